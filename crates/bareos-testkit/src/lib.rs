//! A simulated Bareos Director and File Daemon for tests, speaking the real wire
//! protocol on loopback: TLS-PSK or cleartext admission, CRAM-MD5 both ways, protocol 1
//! and 2 welcomes, PAM, API modes 0/1/2, prompts, scripted and replayed answers, and
//! fault injection.
//!
//! Each daemon runs in its own thread with its own tokio runtime, so synchronous tests,
//! async tests and other processes can all talk to it.
//!
//! ```no_run
//! use bareos_testkit::{ConsoleSpec, TestDirector, TlsPolicy};
//! let director = TestDirector::builder()
//!     .password("dir_password")
//!     .console(ConsoleSpec::new("admin", "secret").tls(TlsPolicy::None))
//!     .start()
//!     .unwrap();
//! println!("director on {}", director.addr());
//! ```
//!
//! Built-in commands include `whoami`, `version`, `help`, `.help`, `.`, `list`/`llist`
//! (`pools`, `volumes`, `jobs` with their filters, `clients`), the dot lists, `status
//! director`, `status client` (selection prompt), `status storage=NAME`, `delete volume=` (yes/no), `label` (text input), `restore`
//! (file-selection tree), `messages`, `autodisplay`, `.api`, `quit`, and
//! `.testkit output size=<bytes> [json] [frame=<bytes>]` for large replies.
#![deny(missing_docs)]

mod admission;
mod builder;
pub mod certs;
mod commands;
mod conn;
mod director;
mod error;
mod fault;
mod fd;
mod json;
mod login;
mod policy;
mod record;
mod script;
mod seed;
mod server;
mod tls;
mod transcript;

pub use bareos_proto::TlsVersion;
pub use director::{
    ClientSpec, ConsoleSpec, StorageSpec, TestDirector, TestDirectorBuilder, DEFAULT_DATE,
    DEFAULT_SERVICES, DEFAULT_VERSION,
};
pub use error::Error;
pub use fault::{Fault, FaultPoint, FaultSpec};
pub use fd::{TestFileDaemon, TestFileDaemonBuilder};
pub use policy::TlsPolicy;
pub use record::{Direction, RecordedFrame};
pub use script::{signal_by_name, Replay, ScriptTable, ScriptedReply};
pub use seed::{CatalogSeed, SeedJob, SeedPool, SeedVolume};
pub use transcript::{recorded_transcripts, Exchange, Transcript, TranscriptFrame, WelcomeInfo};
