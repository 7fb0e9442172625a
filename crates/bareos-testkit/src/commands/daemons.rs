//! `status storage=NAME` and unreachable daemons, as the director relays them
//! (`DoNativeStorageStatus` in `sd_cmds.cc`, `DoNativeClientStatus` in `fd_cmds.cc`): the
//! daemon's own status text, which API 2 does not show (only error messages reach the
//! JSON result).

use super::Session;
use crate::json::Json;
use std::io;

type Reply = io::Result<(bool, Json)>;

/// `Failed to connect to <what>.` after the connect attempt (the director's answer when
/// it cannot reach the daemon; it is not an error message).
pub(super) async fn unreachable(s: &mut Session, what: &str) -> Reply {
    s.text(format!("\nFailed to connect to {what}.\n====\n"))
        .await?;
    Ok((true, Json::obj()))
}

/// The status header a storage daemon sends (`ListStatusHeader` in
/// `stored/status.cc`), then empty job and device lists.
fn storage_lines(daemon: &str, version: &str, date: &str, os: &str) -> Vec<String> {
    vec![
        format!("{daemon} Version: {version} ({date}) {os} \n"),
        "Daemon started 26-Nov-26 17:44. Jobs: run=4, running=0, self-compiled binary\n".into(),
        "\nRunning Jobs:\n".into(),
        "No Jobs running.\n".into(),
        "====\n".into(),
        "\nJobs waiting to reserve a drive:\n".into(),
        "====\n".into(),
        "\nTerminated Jobs:\n".into(),
        "====\n".into(),
        "\nDevice status:\n".into(),
        "\nDevice \"FileStorage\" (/var/lib/bareos/storage) is not open.\n".into(),
        "==\n".into(),
        "====\n\n".into(),
        "Used Volume status:\n".into(),
        "====\n\n".into(),
        "====\n\n".into(),
    ]
}

/// The console's `Connecting to DAEMON at ADDRESS:PORT` line (not shown in the API modes).
pub(super) async fn connecting(
    s: &mut Session,
    daemon: &str,
    address: &str,
    port: u16,
) -> io::Result<()> {
    if s.api == 0 {
        let line = format!("Connecting to {daemon} at {address}:{port}\n");
        s.text(line).await?;
    }
    Ok(())
}

/// `status storage=NAME`.
pub(super) async fn status_storage(s: &mut Session, name: &str) -> Reply {
    let Some(store) = s.config.storages.iter().find(|st| st.name == name).cloned() else {
        s.error_msg(format!("Storage resource \"{name}\": not found\n"))
            .await?;
        return Ok((false, Json::obj()));
    };
    let daemon = format!("Storage daemon {}", store.name);
    connecting(s, &daemon, &store.address, store.port).await?;
    if !store.reachable {
        return unreachable(s, &daemon).await;
    }
    s.text(" Encryption: TLS_AES_256_GCM_SHA384\n").await?;
    let c = s.config.clone();
    for line in storage_lines(&store.daemon, &c.version, &c.date, &c.os) {
        s.text(line).await?;
    }
    Ok((true, Json::obj()))
}
