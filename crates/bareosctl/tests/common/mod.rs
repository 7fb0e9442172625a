//! Shared helpers: a test director and a `bareosctl` command with a clean environment.
#![allow(dead_code)]

use assert_cmd::Command;
use bareos_testkit::{ConsoleSpec, FaultSpec, TestDirector, TlsPolicy};
use std::path::Path;

/// Password of the default console of [`director`].
pub const DIR_PASSWORD: &str = "dir_password";
/// Named console with cleartext allowed.
pub const ADMIN: (&str, &str) = ("admin", "admin secret");

/// A test director with the default console (TLS-PSK required) and `admin` (TLS optional).
pub fn director() -> TestDirector {
    TestDirector::builder()
        .password(DIR_PASSWORD)
        .console(ConsoleSpec::new(ADMIN.0, ADMIN.1).tls(TlsPolicy::None))
        .auth_failure_delay(std::time::Duration::from_millis(10))
        .start()
        .expect("test director starts")
}

/// A cleartext console allowed only `commands`.
pub fn restricted_console(name: &str, password: &str, commands: &[&str]) -> ConsoleSpec {
    ConsoleSpec::new(name, password)
        .tls(TlsPolicy::None)
        .allow_commands(commands.iter().copied())
}

/// A test director with only the default console, and `fault`.
pub fn director_with_fault(fault: FaultSpec) -> TestDirector {
    TestDirector::builder()
        .password(DIR_PASSWORD)
        .fault(fault)
        .start()
        .expect("test director starts")
}

/// `bareosctl` with no BAREOS_* variables, HOME in `home`, no RUST_LOG.
pub fn bareosctl(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("bareosctl").expect("binary built");
    for var in [
        "BAREOS_ADDRESS",
        "BAREOS_PORT",
        "BAREOS_NAME",
        "BAREOS_PASSWORD",
        "BAREOS_PAM_PASSWORD",
        "RUST_LOG",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home);
    cmd.timeout(std::time::Duration::from_secs(30));
    cmd
}

/// `bareosctl -c CONF`: the configuration file `conf`, HOME in `home`.
pub fn configured(home: &Path, conf: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = bareosctl(home);
    cmd.arg("-c").arg(conf);
    cmd
}

/// `bareosctl --address 127.0.0.1 --port PORT` with the default console password in the
/// environment.
pub fn connected(home: &Path, director: &TestDirector) -> Command {
    let mut cmd = bareosctl(home);
    cmd.args(["--address", "127.0.0.1", "--port"])
        .arg(director.port().to_string())
        .env("BAREOS_PASSWORD", DIR_PASSWORD);
    cmd
}

/// Copies the fixture tree into `dest`, replacing `@PORT@` with `port`.
pub fn fixtures(dest: &Path, port: u16) {
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        dest,
        port,
    );
}

fn copy_tree(from: &Path, to: &Path, port: u16) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target, port);
        } else {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            std::fs::write(target, text.replace("@PORT@", &port.to_string())).unwrap();
        }
    }
}
