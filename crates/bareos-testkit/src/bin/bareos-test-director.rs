//! Runs the simulated Director and File Daemon as a process, for tests and benchmarks
//! written in other languages.
//!
//! Prints one JSON line once both listen, e.g.
//! `{"director":"127.0.0.1:40123","fd":"127.0.0.1:40124"}`, then serves until its
//! standard input is closed (or forever with `--forever`).

use bareos_testkit::{
    ConsoleSpec, Fault, FaultPoint, FaultSpec, TestDirector, TestFileDaemon, TlsPolicy,
};
use std::io::Read;
use std::process::ExitCode;

const USAGE: &str = "usage: bareos-test-director [options]
  --port N                        director port on 127.0.0.1 (default: any free port)
  --fd-port N                     file daemon port on 127.0.0.1 (default: any free port)
  --password PW                   password of the default console (default dir_password)
  --default-console-tls POLICY    none | enabled | required (default required)
  --console NAME:PW[:POLICY][:pam]  a named console (repeatable)
  --pam-user USER:PW              a PAM user (repeatable)
  --fault KIND                    stall-after-login | stall-before-challenge | tls-failure |
                                  impostor | close-mid-login (repeatable)
  --fd-director NAME:PW[:POLICY]  the file daemon's director (default bareos-dir:secret:required)
  --forever                       do not stop when standard input is closed";

fn policy(text: &str) -> Result<TlsPolicy, String> {
    match text {
        "none" => Ok(TlsPolicy::None),
        "enabled" => Ok(TlsPolicy::Enabled),
        "required" => Ok(TlsPolicy::Required),
        other => Err(format!("unknown TLS policy '{other}'")),
    }
}

fn fault(kind: &str) -> Result<FaultSpec, String> {
    Ok(match kind {
        "stall-after-login" => FaultSpec::new(FaultPoint::AfterLogin, Fault::Stall),
        "stall-before-challenge" => FaultSpec::new(FaultPoint::BeforeChallenge, Fault::Stall),
        "tls-failure" => FaultSpec::login(Fault::TlsHandshakeFailure),
        "impostor" => FaultSpec::login(Fault::WrongCramAnswer),
        "close-mid-login" => FaultSpec::login(Fault::CloseMidLogin),
        other => return Err(format!("unknown fault '{other}'")),
    })
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut director = TestDirector::builder();
    let mut fd = TestFileDaemon::builder();
    let mut fd_director = None;
    let mut forever = false;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--port" => director = director.port(value()?.parse().map_err(|_| "bad --port")?),
            "--fd-port" => fd = fd.port(value()?.parse().map_err(|_| "bad --fd-port")?),
            "--password" => director = director.password(value()?),
            "--default-console-tls" => director = director.default_console_tls(policy(&value()?)?),
            "--console" => {
                let spec = value()?;
                let parts: Vec<&str> = spec.split(':').collect();
                if parts.len() < 2 {
                    return Err(format!("--console wants NAME:PASSWORD, got '{spec}'"));
                }
                let mut console = ConsoleSpec::new(parts[0], parts[1]);
                for extra in &parts[2..] {
                    console = match *extra {
                        "pam" => console.pam(true),
                        other => console.tls(policy(other)?),
                    };
                }
                director = director.console(console);
            }
            "--pam-user" => {
                let spec = value()?;
                let (user, password) = spec
                    .split_once(':')
                    .ok_or_else(|| format!("--pam-user wants USER:PASSWORD, got '{spec}'"))?;
                director = director.pam_user(user, password);
            }
            "--fault" => director = director.fault(fault(&value()?)?),
            "--fd-director" => {
                let spec = value()?;
                let parts: Vec<&str> = spec.split(':').collect();
                if parts.len() < 2 {
                    return Err(format!("--fd-director wants NAME:PASSWORD, got '{spec}'"));
                }
                let tls = parts
                    .get(2)
                    .map_or(Ok(TlsPolicy::Required), |p| policy(p))?;
                fd_director = Some((parts[0].to_string(), parts[1].to_string(), tls));
            }
            "--forever" => forever = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown option '{other}'\n{USAGE}")),
        }
    }
    let (name, password, tls) =
        fd_director.unwrap_or(("bareos-dir".into(), "secret".into(), TlsPolicy::Required));
    let fd = fd.director(name, password, tls);
    let director = director
        .start()
        .map_err(|e| format!("cannot start the director: {e}"))?;
    let fd = fd
        .start()
        .map_err(|e| format!("cannot start the file daemon: {e}"))?;
    println!(
        "{{\"director\":\"{}\",\"fd\":\"{}\"}}",
        director.addr(),
        fd.addr()
    );
    if forever {
        loop {
            std::thread::park();
        }
    }
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    director.shutdown();
    fd.shutdown();
    Ok(())
}

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bareos-test-director: {message}");
            ExitCode::from(2)
        }
    }
}
