//! Request bodies and query parameters of the REST API, with the field names of
//! bareos-restapi 25 (so its clients keep working).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

/// `yes` / `no` as bareos-restapi spells booleans.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum YesNo {
    /// Yes.
    Yes,
    /// No.
    No,
}

impl YesNo {
    /// As a bool.
    pub fn is_yes(self) -> bool {
        self == YesNo::Yes
    }
    /// As the director writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            YesNo::Yes => "yes",
            YesNo::No => "no",
        }
    }
}

/// `POST /token` form (OAuth2 password flow).
#[derive(Deserialize, ToSchema)]
pub struct TokenForm {
    /// Console name on the director.
    pub username: String,
    /// Console password.
    pub password: String,
    /// OAuth2 grant type (`password`), optional.
    #[serde(default)]
    pub grant_type: Option<String>,
    /// OAuth2 scope, ignored.
    #[serde(default)]
    pub scope: Option<String>,
}

/// `POST /token` answer.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct Token {
    /// The JWT.
    pub access_token: String,
    /// Always `bearer`.
    pub token_type: String,
    /// Lifetime in seconds.
    pub expires_in: u64,
}

/// `GET /users/me`.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct UserInfo {
    /// The console name.
    pub username: String,
    /// The director.
    #[serde(rename = "directorName")]
    pub director_name: String,
}

/// `?verbose=yes|no` of the configuration routes.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VerboseQuery {
    /// Verbose output (default yes).
    pub verbose: Option<YesNo>,
    /// Director (default: the token's).
    pub director: Option<String>,
}

/// Filters of `GET /control/jobs` (query string, or a JSON body as bareos-restapi had).
#[derive(Clone, Debug, Default, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobQuery {
    /// Job name.
    pub job: Option<String>,
    /// Client name.
    pub client: Option<String>,
    /// Job status letter.
    pub jobstatus: Option<String>,
    /// Job level letter.
    pub joblevel: Option<String>,
    /// Volume name.
    pub volume: Option<String>,
    /// Jobs of the last days.
    pub days: Option<u64>,
    /// Jobs of the last hours.
    pub hours: Option<u64>,
    /// Result limit.
    pub limit: Option<u64>,
    /// Result offset.
    pub offset: Option<u64>,
    /// Director (default: the token's).
    #[serde(default)]
    pub director: Option<String>,
}

/// Filters of `GET /control/volumes`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VolumeQuery {
    /// One volume by name.
    pub volume: Option<String>,
    /// Volumes used by a job.
    pub jobid: Option<u64>,
    /// Volumes used by a job (unique job name).
    pub ujobid: Option<String>,
    /// Volumes of a pool.
    pub pool: Option<String>,
    /// Result limit.
    pub limit: Option<u64>,
    /// Result offset.
    pub offset: Option<u64>,
    /// Director (default: the token's).
    #[serde(default)]
    pub director: Option<String>,
}

/// `?name=` of `/control/clients` and `/control/pools`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NameQuery {
    /// One by name.
    pub name: Option<String>,
    /// Director (default: the token's).
    pub director: Option<String>,
}

/// `?director=` only.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DirectorQuery {
    /// Director (default: the token's).
    pub director: Option<String>,
}

/// What to run (`run`).
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct JobControl {
    /// Job name.
    pub job: String,
    /// Client.
    pub client: Option<String>,
    /// FileSet.
    pub fileset: Option<String>,
    /// Level (`Full`, `Incremental`, ...).
    pub level: Option<String>,
    /// Storage.
    pub storage: Option<String>,
    /// When to run.
    pub when: Option<String>,
    /// Pool.
    pub pool: Option<String>,
    /// Plugin options.
    pub pluginoptions: Option<String>,
    /// Accurate.
    pub accurate: Option<YesNo>,
    /// Comment.
    pub comment: Option<String>,
    /// Spool data.
    pub spooldata: Option<YesNo>,
    /// Priority.
    pub priority: Option<String>,
    /// Catalog.
    pub catalog: Option<String>,
    /// Migration job.
    pub migrationjob: Option<String>,
    /// Backup format.
    pub backupformat: Option<String>,
    /// Next pool.
    pub nextpool: Option<String>,
    /// Since.
    pub since: Option<String>,
    /// Verify job.
    pub verifyjob: Option<String>,
    /// Verify list.
    pub verifylist: Option<String>,
}

/// `{"jobControl": {...}}` as bareos-restapi expects, or the fields directly.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum RunBody {
    /// Embedded.
    Embedded {
        /// The job.
        #[serde(rename = "jobControl")]
        job_control: JobControl,
    },
    /// Flat.
    Flat(JobControl),
}

/// What to restore (`restore ... yes`).
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct RestoreJobControl {
    /// Client of the backup.
    pub client: String,
    /// Where to restore.
    #[serde(rename = "where")]
    pub where_: Option<String>,
    /// Storage.
    pub storage: Option<String>,
    /// Bootstrap.
    pub bootstrap: Option<String>,
    /// Restore job.
    pub restorejob: Option<String>,
    /// Comment.
    pub comment: Option<String>,
    /// Job id.
    pub jobid: Option<u64>,
    /// FileSet.
    pub fileset: Option<String>,
    /// always | never | ifolder | ifnewer.
    pub replace: Option<String>,
    /// Plugin options.
    pub pluginoptions: Option<String>,
    /// Regex where.
    pub regexwhere: Option<String>,
    /// Client to restore to.
    pub restoreclient: Option<String>,
    /// Backup format.
    pub backupformat: Option<String>,
    /// Pool.
    pub pool: Option<String>,
    /// One file.
    pub file: Option<String>,
    /// One directory.
    pub directory: Option<String>,
    /// Before date.
    pub before: Option<String>,
    /// Strip prefix.
    pub strip_prefix: Option<String>,
    /// Add prefix.
    pub add_prefix: Option<String>,
    /// Add suffix.
    pub add_suffix: Option<String>,
    /// select=date.
    pub select: Option<String>,
    /// `select all done`.
    #[serde(rename = "selectAllDone")]
    pub select_all_done: Option<YesNo>,
}

/// `{"jobControl": {...}}` or flat.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum RestoreBody {
    /// Embedded.
    Embedded {
        /// The restore.
        #[serde(rename = "jobControl")]
        job_control: RestoreJobControl,
    },
    /// Flat.
    Flat(RestoreJobControl),
}

/// `rerun` range.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct JobRange {
    /// Days.
    pub days: Option<u64>,
    /// Hours.
    pub hours: Option<u64>,
    /// Since job id.
    pub since_jobid: Option<u64>,
    /// Until job id (bareos-restapi's spelling `unitl_jobid` is accepted too).
    #[serde(alias = "unitl_jobid")]
    pub until_jobid: Option<u64>,
}

/// `label`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct VolumeLabel {
    /// New volume name.
    pub volume: String,
    /// Pool.
    pub pool: String,
    /// Storage.
    pub storage: Option<String>,
    /// Slot.
    pub slot: Option<u64>,
    /// Drive.
    pub drive: Option<u64>,
}

/// `relabel`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct VolumeRelabel {
    /// New name.
    pub volume: String,
    /// Storage.
    pub storage: String,
    /// Pool.
    pub pool: String,
    /// Encrypt.
    pub encrypt: Option<YesNo>,
}

/// `update volume=` properties.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct VolumeProperties {
    /// Pool.
    pub pool: Option<String>,
    /// Slot.
    pub slot: Option<u64>,
    /// Status.
    pub volstatus: Option<String>,
    /// Retention.
    pub volretention: Option<String>,
    /// Action on purge.
    pub actiononpurge: Option<String>,
    /// Recycle.
    pub recycle: Option<YesNo>,
    /// In changer.
    pub inchanger: Option<YesNo>,
    /// Max bytes.
    pub maxvolbytes: Option<String>,
    /// Max files.
    pub maxvolfiles: Option<u64>,
    /// Max jobs.
    pub maxvoljobs: Option<u64>,
    /// Enabled.
    pub enabled: Option<YesNo>,
    /// Recycle pool.
    pub recyclepool: Option<String>,
}

/// `move`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct VolumeMove {
    /// Storage.
    pub storage: String,
    /// Source slots.
    pub srcslots: String,
    /// Destination slots.
    pub dstslots: String,
}

/// `export` / `import`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct VolumeExportImport {
    /// Storage.
    pub storage: String,
    /// Source slots.
    pub srcslots: Option<String>,
    /// Destination slots.
    pub dstslots: Option<String>,
    /// Volume selection.
    pub volume: Option<String>,
    /// Scan.
    pub scan: Option<YesNo>,
}

/// A resource for `configure add`: `name` plus directives (lower-case names; values are
/// strings, numbers, booleans or lists of strings).
#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct ResourceDefinition {
    /// Resource name.
    pub name: String,
    /// Other directives.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub directives: Map<String, Value>,
}

/// A plain message answer.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct Message {
    /// Text.
    pub message: String,
}

/// A started job.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct StartedJob {
    /// Its id.
    pub jobid: u64,
}

/// Error body.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub detail: String,
    /// What the director said.
    #[serde(default)]
    pub messages: Vec<String>,
}
