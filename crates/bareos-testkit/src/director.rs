//! The simulated Director: configuration, builder, and the handle that owns its thread.

use crate::admission::{self, Transport};
use crate::commands;
use crate::fault::{FaultPoint, Faults};
use crate::login;
use crate::policy::TlsPolicy;
use crate::record::Recorder;
use crate::script::{Replay, ScriptTable};
use crate::server::Server;
use crate::tls::{PskKeys, ServerCertificates, TlsSettings};
use bareos_proto::hello::{psk_identity, ResourceType, DEFAULT_CONSOLE};
use bareos_proto::Password;
use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// A named console of the simulated director.
#[derive(Clone, Debug)]
pub struct ConsoleSpec {
    pub(crate) name: String,
    pub(crate) password: Password,
    pub(crate) tls: TlsPolicy,
    pub(crate) pam: bool,
    pub(crate) commands: Option<Vec<String>>,
}

impl ConsoleSpec {
    /// A console with this name and password, TLS policy `Required`, no ACL.
    pub fn new(name: impl Into<String>, password: impl AsRef<[u8]>) -> Self {
        ConsoleSpec {
            name: name.into(),
            password: Password::new(password),
            tls: TlsPolicy::Required,
            pam: false,
            commands: None,
        }
    }

    /// Sets the TLS policy.
    pub fn tls(mut self, policy: TlsPolicy) -> Self {
        self.tls = policy;
        self
    }

    /// Requires PAM credentials after CRAM-MD5 (`UsePamAuthentication = yes`).
    pub fn pam(mut self, enabled: bool) -> Self {
        self.pam = enabled;
        self
    }

    /// Restricts the console to these commands (full names, e.g. `list`, `.api`);
    /// `quit`, `exit` and `whoami` are always allowed. Denied commands read like
    /// unknown ones.
    pub fn allow_commands<I, S>(mut self, commands: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.commands = Some(commands.into_iter().map(Into::into).collect());
        self
    }

    /// The console name.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn allows(&self, command: &str) -> bool {
        match &self.commands {
            None => true,
            Some(list) => {
                matches!(command, "quit" | "exit" | "whoami")
                    || list.iter().any(|c| c.eq_ignore_ascii_case(command))
            }
        }
    }
}

/// A client (file daemon) resource the simulated director knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientSpec {
    pub(crate) name: String,
    pub(crate) address: String,
    pub(crate) port: u16,
    pub(crate) reachable: bool,
}

impl ClientSpec {
    /// A client with this name at `localhost:9102`.
    pub fn new(name: impl Into<String>) -> Self {
        ClientSpec {
            name: name.into(),
            address: "localhost".into(),
            port: 9102,
            reachable: true,
        }
    }

    /// Makes the director fail to connect to it (`status client=` answers
    /// `Failed to connect to Client NAME.`).
    pub fn unreachable(mut self) -> Self {
        self.reachable = false;
        self
    }

    /// Sets the address and port shown in outputs.
    pub fn address(mut self, address: impl Into<String>, port: u16) -> Self {
        self.address = address.into();
        self.port = port;
        self
    }
}

/// A storage (storage daemon) resource the simulated director knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StorageSpec {
    pub(crate) name: String,
    pub(crate) daemon: String,
    pub(crate) address: String,
    pub(crate) port: u16,
    pub(crate) reachable: bool,
}

impl StorageSpec {
    /// A storage with this name, served by the daemon `bareos-sd` at `localhost:9103`.
    pub fn new(name: impl Into<String>) -> Self {
        StorageSpec {
            name: name.into(),
            daemon: "bareos-sd".into(),
            address: "localhost".into(),
            port: 9103,
            reachable: true,
        }
    }

    /// Makes the director fail to connect to it (`status storage=` answers
    /// `Failed to connect to Storage daemon NAME.`).
    pub fn unreachable(mut self) -> Self {
        self.reachable = false;
        self
    }
}

/// Everything the director simulation needs, shared by its connections.
#[derive(Debug)]
pub(crate) struct DirectorConfig {
    pub name: String,
    pub password: Password,
    pub default_tls: TlsPolicy,
    pub consoles: Vec<ConsoleSpec>,
    pub pam_users: Vec<(String, Password)>,
    pub pam_messages: Vec<String>,
    pub version: String,
    pub date: String,
    pub os: String,
    pub services: String,
    pub clients: Vec<ClientSpec>,
    pub faults: Faults,
    pub script: Option<ScriptTable>,
    pub replay: Option<Replay>,
    pub auth_failure_delay: Duration,
    pub tls: TlsSettings,
    pub certificates: ServerCertificates,
    pub messages: Vec<String>,
    pub runs: crate::commands::Runs,
    pub storages: Vec<StorageSpec>,
    pub catalog: crate::commands::Catalog,
    pub seed: Option<crate::seed::CatalogSeed>,
    pub job_outcomes: Vec<(String, String)>,
}

impl DirectorConfig {
    fn psk_keys(&self) -> PskKeys {
        let mut keys = HashMap::new();
        keys.insert(
            psk_identity(ResourceType::Console, DEFAULT_CONSOLE),
            self.password.clone(),
        );
        for console in &self.consoles {
            keys.insert(
                psk_identity(ResourceType::Console, &console.name),
                console.password.clone(),
            );
        }
        Arc::new(keys)
    }
}

/// Builds a [`TestDirector`].
#[derive(Debug)]
pub struct TestDirectorBuilder {
    config: DirectorConfig,
    addr: SocketAddr,
}

/// The date the simulated daemons print after their version.
pub const DEFAULT_DATE: &str = "21 August 2026";
/// The version the simulated daemons announce.
pub const DEFAULT_VERSION: &str = "26.0.0~pre1298.eda204c31";
/// The services text of self-compiled builds (first part of the `1002` message).
pub const DEFAULT_SERVICES: &str =
    "Self-compiled binaries (UNSUPPORTED)\nGet professional support from https://www.bareos.com";

impl TestDirectorBuilder {
    crate::builder::shared_daemon_setters! {
        fault: "Adds a fault.",
        auth_failure_delay: "The pause after an authentication failure (real daemons: 5 s; default 0.1 s).",
        tls_certificate: "Serves certificate TLS with this certificate and key (PEM files; the `Director`\nresource's `TLS Certificate` and `TLS Key`). TLS-PSK stays available: as with the\nreal director, a console that offers a known PSK identity gets TLS-PSK, one that\noffers none gets this certificate.",
    }

    fn new() -> Self {
        TestDirectorBuilder {
            config: DirectorConfig {
                name: "bareos-dir".into(),
                password: Password::new("dir_password"),
                default_tls: TlsPolicy::Required,
                consoles: Vec::new(),
                pam_users: Vec::new(),
                pam_messages: Vec::new(),
                version: DEFAULT_VERSION.into(),
                date: DEFAULT_DATE.into(),
                os: "Debian GNU/Linux 12 (bookworm)".into(),
                services: DEFAULT_SERVICES.into(),
                clients: Vec::new(),
                faults: Faults::default(),
                script: None,
                replay: None,
                auth_failure_delay: Duration::from_millis(100),
                tls: TlsSettings::default(),
                certificates: ServerCertificates::default(),
                messages: Vec::new(),
                runs: Default::default(),
                storages: Vec::new(),
                catalog: crate::commands::Catalog::fixed(),
                seed: None,
                job_outcomes: Vec::new(),
            },
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        }
    }

    /// The director's name (default `bareos-dir`).
    pub fn director_name(mut self, name: impl Into<String>) -> Self {
        self.config.name = name.into();
        self
    }

    /// The password of the default console `*UserAgent*` (default `dir_password`).
    pub fn password(mut self, password: impl AsRef<[u8]>) -> Self {
        self.config.password = Password::new(password);
        self
    }

    /// The TLS policy of the default console (default `Required`).
    pub fn default_console_tls(mut self, policy: TlsPolicy) -> Self {
        self.config.default_tls = policy;
        self
    }

    /// Adds a named console.
    pub fn console(mut self, console: ConsoleSpec) -> Self {
        self.config.consoles.push(console);
        self
    }

    /// Adds a PAM user that PAM consoles accept.
    pub fn pam_user(mut self, user: impl Into<String>, password: impl AsRef<[u8]>) -> Self {
        self.config
            .pam_users
            .push((user.into(), Password::new(password)));
        self
    }

    /// A PAM info text (like `pam_unix`'s password expiry warning) sent after the
    /// password in the interactive PAM conversation; the director relays it with the
    /// echo-on style and does not wait for an answer (repeatable).
    pub fn pam_info(mut self, text: impl Into<String>) -> Self {
        self.config.pam_messages.push(text.into());
        self
    }

    /// The version string of the welcome and of `version`.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.config.version = version.into();
        self
    }

    /// The release date printed after the version (default `21 August 2026`).
    pub fn release_date(mut self, date: impl Into<String>) -> Self {
        self.config.date = date.into();
        self
    }

    /// The services text at the start of the `1002` message.
    pub fn services_message(mut self, text: impl Into<String>) -> Self {
        self.config.services = text.into();
        self
    }

    /// Adds a client resource (default: `bareos-fd` and `test2-fd`).
    pub fn client(mut self, client: ClientSpec) -> Self {
        self.config.clients.push(client);
        self
    }

    /// Adds a storage resource (default: `File`).
    pub fn storage(mut self, storage: StorageSpec) -> Self {
        self.config.storages.push(storage);
        self
    }

    /// Replaces parts of the fixed catalog (pools and volumes, job history); the seed's
    /// job times count back from the start of the director.
    pub fn catalog(mut self, seed: crate::seed::CatalogSeed) -> Self {
        self.config.seed = Some(seed);
        self
    }

    /// Runs of the job `name` end with this status letter instead of `T` (`W` with
    /// warnings, `E` error, `f` fatal error).
    pub fn job_outcome(mut self, name: impl Into<String>, status: impl Into<String>) -> Self {
        self.config.job_outcomes.push((name.into(), status.into()));
        self
    }

    /// Queues a console message (shown by `messages`, announced after commands).
    pub fn message(mut self, line: impl Into<String>) -> Self {
        self.config.messages.push(line.into());
        self
    }

    /// How long a simulated job (`run ... yes`) runs, its files and bytes growing
    /// evenly, after 0.3 s in the created state (default 1.5 s).
    pub fn job_duration(mut self, duration: Duration) -> Self {
        self.config.runs.set_running_for(duration);
        self
    }

    /// At most `max` simulated jobs run at once (default: no limit); the others wait
    /// (`is waiting on max total jobs`) until one ends.
    pub fn max_running_jobs(mut self, max: usize) -> Self {
        self.config.runs.set_max_running(max);
        self
    }

    /// Scripted answers that override the built-in commands; a table made from a
    /// transcript also sets the welcome (name, version, date, services text). A console's
    /// command ACL (`allow_commands`) applies to them as to the built-ins.
    pub fn script(mut self, table: ScriptTable) -> Self {
        if let Some(welcome) = table.welcome.clone() {
            self.config.name = welcome.director;
            self.config.version = welcome.version;
            self.config.date = welcome.date;
            if let Some(services) = welcome.services {
                self.config.services = services;
            }
        }
        self.config.script = Some(table);
        self
    }

    /// Replays a transcript's command phase in order (see [`Replay`]); also sets the
    /// welcome from it.
    pub fn replay(mut self, replay: Replay) -> Self {
        if let Some(welcome) = replay.welcome.clone() {
            self.config.name = welcome.director;
            self.config.version = welcome.version;
            self.config.date = welcome.date;
            if let Some(services) = welcome.services {
                self.config.services = services;
            }
        }
        self.config.replay = Some(replay);
        self
    }

    /// Requires a client certificate signed by the CA in `ca_file` on certificate TLS
    /// connections (`TLS Verify Peer = yes`, `TLS CA Certificate File`).
    pub fn tls_verify_peer(mut self, ca_file: impl Into<PathBuf>) -> Self {
        self.config.certificates.verify_clients = Some(ca_file.into());
        self
    }

    /// With [`TestDirectorBuilder::tls_verify_peer`]: the accepted client common names
    /// (`TLS Allowed CN`). As on the real director, a non-empty list also refuses
    /// TLS-PSK consoles, which present no certificate.
    pub fn tls_allowed_cn(mut self, name: impl Into<String>) -> Self {
        self.config.certificates.allowed_cn.push(name.into());
        self
    }

    /// Binds and starts the director in its own thread with its own runtime.
    pub fn start(mut self) -> io::Result<TestDirector> {
        if self.config.clients.is_empty() {
            self.config.clients = vec![ClientSpec::new("bareos-fd"), ClientSpec::new("test2-fd")];
        }
        if self.config.storages.is_empty() {
            self.config.storages = vec![StorageSpec::new("File")];
        }
        if let Some(seed) = &self.config.seed {
            self.config.catalog = crate::commands::Catalog::seeded(seed, crate::commands::now());
        }
        let config = Arc::new(self.config);
        let keys = config.psk_keys();
        let (server, recorder) =
            admission::start_admitting(self.addr, "test-director", config, keys, serve)?;
        Ok(TestDirector { server, recorder })
    }
}

async fn serve(conn: crate::conn::Conn, transport: Transport, config: Arc<DirectorConfig>) {
    let Some((mut conn, who)) = login::login(conn, transport, &config).await else {
        return;
    };
    conn.command_phase = true;
    if let Some(fault) = config.faults.at(&FaultPoint::AfterLogin) {
        let Some(c) = login::apply_or_trickle(conn, &fault).await else {
            return;
        };
        conn = c;
    }
    commands::run_session(conn, who, config).await;
}

/// A running simulated Director; stops on [`TestDirector::shutdown`] or drop.
pub struct TestDirector {
    server: Server,
    recorder: Recorder,
}

crate::builder::running_daemon!(TestDirector);

impl TestDirector {
    /// Starts configuring a director.
    pub fn builder() -> TestDirectorBuilder {
        TestDirectorBuilder::new()
    }

    /// The data frames and signals clients sent in the command phase, in order.
    pub fn received_commands(&self) -> Vec<bareos_proto::Frame> {
        self.recorder
            .snapshot()
            .into_iter()
            .filter(|r| r.command_phase && r.direction == crate::record::Direction::ClientToServer)
            .map(|r| r.frame)
            .collect()
    }
}

impl admission::AdmissionConfig for DirectorConfig {
    fn tls(&self) -> (&TlsSettings, &Faults) {
        (&self.tls, &self.faults)
    }

    fn certificates(&self) -> &ServerCertificates {
        &self.certificates
    }
}
