//! Runs the simulated Director and File Daemon as a process, for tests and benchmarks
//! written in other languages.
//!
//! Prints one JSON line once both listen, e.g.
//! `{"director":"127.0.0.1:40123","fd":"127.0.0.1:40124"}`, then serves until its
//! standard input is closed (or forever with `--forever`).

use bareos_testkit::certs::TestCertificates;
use bareos_testkit::{
    CatalogSeed, ClientSpec, ConsoleSpec, Fault, FaultPoint, FaultSpec, ScriptTable, StorageSpec,
    TestDirector, TestFileDaemon, TlsPolicy,
};
use std::io::Read;
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = r#"usage: bareos-test-director [options]
  --port N                        director port on 127.0.0.1 (default: any free port)
  --fd-port N                     file daemon port on 127.0.0.1 (default: any free port)
  --password PW                   password of the default console (default dir_password)
  --default-console-tls POLICY    none | enabled | required (default required)
  --console NAME:PW[:POLICY][:pam]  a named console (repeatable; the name ends at the
                                  first ':', the password may contain ':')
  --pam-user USER:PW              a PAM user (repeatable); PAM consoles take direct
                                  credentials or run the conversation ("login:",
                                  "Password: ")
  --pam-info TEXT                 a PAM info text sent in the conversation after the
                                  password (repeatable)
  --fault KIND[@COMMAND]          a fault (repeatable); with @COMMAND it strikes when that
                                  command arrives, without it right after the login:
                                  stall | oversized-header | garbage | close-mid-frame |
                                  trickle | unknown-signal | delay=SECONDS;
                                  login faults (no @COMMAND):
                                  stall-before-challenge | tls-failure | impostor |
                                  close-mid-login | endless-pam-prompts;
                                  stall-after-login = stall
  --message TEXT                  a pending console message (repeatable): announced after
                                  commands, shown by `messages`
  --catalog FILE                  a catalog seed (JSON): pools with their volumes and
                                  past jobs ending SECONDS before the start, e.g.
                                  {"pools":[{"name":"Full","maxvols":4,"volumes":
                                  [{"name":"Full-1","status":"Full","bytes":9}]}],
                                  "jobs":[{"name":"backup-bareos-fd","level":"F",
                                  "status":"T","ended_ago":3600}]}
  --job-outcome NAME=STATUS       runs of job NAME end with STATUS (W, E, f) instead of T
  --client NAME[:unreachable]     a client resource (repeatable; default bareos-fd and
                                  test2-fd); unreachable: `status client=` cannot connect
  --storage NAME[:unreachable]    a storage resource (repeatable; default File)
  --job-seconds N                 how long a simulated job runs, its files and bytes
                                  growing in `status director` (default 1.5)
  --max-running-jobs N            at most N simulated jobs run at once, the others wait
                                  (default: no limit)
  --script FILE                   scripted answers (JSON lines, see ScriptTable)
  --transcript FILE               answers taken from a recorded transcript (.jsonl)
  --fd-director NAME:PW[:POLICY]  the file daemon's director (default bareos-dir:secret:required)
  --tls-cert FILE --tls-key FILE  serve certificate TLS with this certificate and key (PEM;
                                  director and file daemon) to clients that offer no PSK
  --tls-verify-peer CAFILE        require a client certificate signed by this CA
  --tls-allowed-cn CN             accepted client common name (repeatable; with
                                  --tls-verify-peer, also refuses TLS-PSK consoles)
  --tls-test-certs DIR            write a fresh test CA and certificates to DIR (ca.pem,
                                  server.pem, client.pem, ... see the README) and serve
                                  server.pem unless --tls-cert is given
  --forever                       do not stop when standard input is closed"#;

fn policy(text: &str) -> Result<TlsPolicy, String> {
    match text {
        "none" => Ok(TlsPolicy::None),
        "enabled" => Ok(TlsPolicy::Enabled),
        "required" => Ok(TlsPolicy::Required),
        other => Err(format!("unknown TLS policy '{other}'")),
    }
}

fn fault(spec: &str) -> Result<FaultSpec, String> {
    let (kind, command) = match spec.split_once('@') {
        Some((kind, command)) => (kind, Some(command)),
        None => (spec, None),
    };
    let at = |fault: Fault| match command {
        Some(command) => FaultSpec::on_command(command, fault),
        None => FaultSpec::new(FaultPoint::AfterLogin, fault),
    };
    let login_only = |fault: Fault| match command {
        Some(_) => Err(format!("fault '{kind}' happens during login: no @COMMAND")),
        None => Ok(FaultSpec::login(fault)),
    };
    Ok(match kind {
        "stall" | "stall-after-login" => at(Fault::Stall),
        "oversized-header" => at(Fault::OversizedHeader),
        "garbage" => at(Fault::garbage()),
        "close-mid-frame" => at(Fault::CloseMidFrame {
            announced: 1000,
            sent: 10,
        }),
        "trickle" => at(Fault::SlowTrickle(Duration::from_millis(50))),
        "unknown-signal" => at(Fault::UnknownSignal(-99)),
        delay if delay.starts_with("delay=") => {
            let seconds: f64 = delay["delay=".len()..]
                .parse()
                .ok()
                .filter(|s: &f64| s.is_finite() && *s >= 0.0)
                .ok_or_else(|| format!("fault '{delay}': delay=SECONDS wants a number"))?;
            at(Fault::Delay(Duration::from_secs_f64(seconds)))
        }
        "stall-before-challenge" => FaultSpec::new(FaultPoint::BeforeChallenge, Fault::Stall),
        "tls-failure" => login_only(Fault::TlsHandshakeFailure)?,
        "impostor" => login_only(Fault::WrongCramAnswer)?,
        "close-mid-login" => login_only(Fault::CloseMidLogin)?,
        "endless-pam-prompts" => login_only(Fault::EndlessPamPrompts)?,
        other => return Err(format!("unknown fault '{other}'")),
    })
}

/// `NAME:PASSWORD[:POLICY][:pam]`: known suffixes are taken from the right, the name
/// ends at the first ':'.
fn console(spec: &str) -> Result<ConsoleSpec, String> {
    let mut rest = spec;
    let mut pam = false;
    let mut tls = None;
    loop {
        match rest.rsplit_once(':') {
            Some((head, "pam")) if !pam => {
                pam = true;
                rest = head;
            }
            Some((head, word @ ("none" | "enabled" | "required"))) if tls.is_none() => {
                tls = Some(policy(word)?);
                rest = head;
            }
            _ => break,
        }
    }
    let (name, password) = rest
        .split_once(':')
        .ok_or_else(|| format!("--console wants NAME:PASSWORD, got '{spec}'"))?;
    let mut console = ConsoleSpec::new(name, password).pam(pam);
    if let Some(tls) = tls {
        console = console.tls(tls);
    }
    Ok(console)
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut director = TestDirector::builder();
    let mut fd = TestFileDaemon::builder();
    let mut fd_director = None;
    let mut forever = false;
    let mut tls_cert = None;
    let mut tls_key = None;
    let mut test_certs = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--port" => director = director.port(value()?.parse().map_err(|_| "bad --port")?),
            "--fd-port" => fd = fd.port(value()?.parse().map_err(|_| "bad --fd-port")?),
            "--password" => director = director.password(value()?),
            "--default-console-tls" => director = director.default_console_tls(policy(&value()?)?),
            "--console" => director = director.console(console(&value()?)?),
            "--script" => {
                let file = value()?;
                let table = ScriptTable::from_file(&file)
                    .map_err(|e| format!("cannot read the script {file}: {e}"))?;
                director = director.script(table);
            }
            "--transcript" => {
                let file = value()?;
                let table = ScriptTable::from_transcript(&file)
                    .map_err(|e| format!("cannot read the transcript {file}: {e}"))?;
                director = director.script(table);
            }
            "--pam-user" => {
                let spec = value()?;
                let (user, password) = spec
                    .split_once(':')
                    .ok_or_else(|| format!("--pam-user wants USER:PASSWORD, got '{spec}'"))?;
                director = director.pam_user(user, password);
            }
            "--pam-info" => director = director.pam_info(value()?),
            "--job-seconds" => {
                let seconds: f64 = value()?
                    .parse()
                    .ok()
                    .filter(|s: &f64| s.is_finite() && *s > 0.0 && *s <= 86_400.0)
                    .ok_or("--job-seconds wants a number of seconds (0 < N <= 86400)")?;
                director = director.job_duration(Duration::from_secs_f64(seconds));
            }
            "--max-running-jobs" => {
                let max: usize = value()?
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or("--max-running-jobs wants a number > 0")?;
                director = director.max_running_jobs(max);
            }
            "--fault" => director = director.fault(fault(&value()?)?),
            "--catalog" => {
                let file = value()?;
                let seed = CatalogSeed::from_file(&file)
                    .map_err(|e| format!("cannot read the catalog {file}: {e}"))?;
                director = director.catalog(seed);
            }
            "--job-outcome" => {
                let spec = value()?;
                let (name, status) = spec
                    .split_once('=')
                    .ok_or_else(|| format!("--job-outcome wants NAME=STATUS, got '{spec}'"))?;
                director = director.job_outcome(name, status);
            }
            "--client" => {
                let spec = value()?;
                director = director.client(match spec.strip_suffix(":unreachable") {
                    Some(name) => ClientSpec::new(name).unreachable(),
                    None => ClientSpec::new(spec),
                });
            }
            "--storage" => {
                let spec = value()?;
                director = director.storage(match spec.strip_suffix(":unreachable") {
                    Some(name) => StorageSpec::new(name).unreachable(),
                    None => StorageSpec::new(spec),
                });
            }
            "--message" => director = director.message(value()?),
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
            "--tls-cert" => tls_cert = Some(value()?),
            "--tls-key" => tls_key = Some(value()?),
            "--tls-verify-peer" => director = director.tls_verify_peer(value()?),
            "--tls-allowed-cn" => director = director.tls_allowed_cn(value()?),
            "--tls-test-certs" => test_certs = Some(value()?),
            "--forever" => forever = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown option '{other}'\n{USAGE}")),
        }
    }
    if let Some(dir) = test_certs {
        let certs = TestCertificates::generate(std::path::Path::new(&dir))
            .map_err(|e| format!("cannot write test certificates to {dir}: {e}"))?;
        if tls_cert.is_none() && tls_key.is_none() {
            tls_cert = Some(certs.server_cert.to_string_lossy().into_owned());
            tls_key = Some(certs.server_key.to_string_lossy().into_owned());
        }
    }
    match (tls_cert, tls_key) {
        (Some(cert), Some(key)) => {
            director = director.tls_certificate(&cert, &key);
            fd = fd.tls_certificate(cert, key);
        }
        (None, None) => {}
        _ => return Err("--tls-cert and --tls-key go together".into()),
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
