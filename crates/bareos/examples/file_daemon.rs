//! Talking to a File Daemon as its director would.
//!
//! `cargo run -p bareos --example file_daemon`

mod common;

fn main() -> bareos::Result<()> {
    let target = common::file_daemon();
    let mut fd = bareos::blocking::FileDaemon::connect(target.config.clone())?;
    println!("{} (encrypted: {})", fd.hello(), fd.is_encrypted());
    print!("{}", fd.call("status")?.text());
    fd.close();
    Ok(())
}
