//! What only a File Daemon connection offers: its hello. Everything else a
//! [`FileDaemon`] shares with the director client ([`Session`]).

use crate::session::{FileDaemonPeer, Session};

/// A connection to a Bareos File Daemon, authenticated as a director.
///
/// Commands are split like a shell and spaces inside words are bashed, as the file daemon
/// expects (`Run Command="echo hi"`). Each command ends by the file daemon's own rules:
/// `status`, `.status`, `cancel` and `estimate` at EOD, the others with their one coded
/// line (`2000 OK ...`).
///
/// Security note: `Run ... When=2 Command=...` followed by `RunBeforeNow` runs a program
/// on the client host, within the file daemon's `AllowedScriptDirs`/`AllowedJobCommand`.
///
/// ```no_run
/// # async fn example() -> bareos::Result<()> {
/// use bareos::{Config, FileDaemon, Password};
/// let config = Config::file_daemon("client1.example.com")
///     .name("bareos-dir")
///     .password(Password::new("client-secret"));
/// let mut fd = FileDaemon::connect(config).await?;
/// println!("{}", fd.call("status").await?.text());
/// fd.close().await;
/// # Ok(())
/// # }
/// ```
pub type FileDaemon = Session<FileDaemonPeer>;

impl Session<FileDaemonPeer> {
    /// The `2000 OK Hello ...` line the file daemon answered the login with.
    pub fn hello(&self) -> &str {
        &self.conn.session().welcome().text
    }
}
