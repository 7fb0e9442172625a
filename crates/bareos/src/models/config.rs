//! Configuration resources as `show <type>` reports them (objects keyed by resource name),
//! and the dot lists (`.jobs`, `.clients`, `.schedule`, `.consoles`, `.profiles`, ...).

use super::lenient;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Any configuration resource (client, fileset, job, jobdefs, pool, storage, ...): its
/// name and description, every directive kept as sent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    /// Resource name.
    pub name: String,
    /// Description, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Every other directive, as sent (sizes and times are strings like `"50 g"`).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A Schedule resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ScheduleResource {
    /// Schedule name.
    pub name: String,
    /// Description, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The `Run` lines.
    #[serde(default, deserialize_with = "lenient::strings")]
    pub run: Vec<String>,
    /// Whether enabled (absent means yes).
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub enabled: Option<bool>,
    /// Every other directive, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The ACL lists shared by Profile, Console and User resources.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Acls {
    /// Job ACL.
    #[serde(default, deserialize_with = "lenient::strings")]
    pub jobacl: Vec<String>,
    /// Client ACL.
    #[serde(default, deserialize_with = "lenient::strings")]
    pub clientacl: Vec<String>,
    /// Storage ACL.
    #[serde(default, deserialize_with = "lenient::strings")]
    pub storageacl: Vec<String>,
    /// Schedule ACL.
    #[serde(default, deserialize_with = "lenient::strings")]
    pub scheduleacl: Vec<String>,
    /// Pool ACL.
    #[serde(default, deserialize_with = "lenient::strings")]
    pub poolacl: Vec<String>,
    /// Command ACL.
    #[serde(default, deserialize_with = "lenient::strings")]
    pub commandacl: Vec<String>,
    /// FileSet ACL.
    #[serde(default, deserialize_with = "lenient::strings")]
    pub filesetacl: Vec<String>,
    /// Catalog ACL.
    #[serde(default, deserialize_with = "lenient::strings")]
    pub catalogacl: Vec<String>,
    /// Where ACL.
    #[serde(default, deserialize_with = "lenient::strings")]
    pub whereacl: Vec<String>,
    /// Plugin options ACL.
    #[serde(default, deserialize_with = "lenient::strings")]
    pub pluginoptionsacl: Vec<String>,
}

/// A Profile resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileResource {
    /// Profile name.
    pub name: String,
    /// Description, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The ACLs.
    #[serde(flatten)]
    pub acls: Acls,
    /// Every other directive, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A Console resource of the director, as `show consoles` reports it (the password
/// arrives as `[md5]...`). The named console of a bconsole.conf is
/// [`crate::bconsole::NamedConsole`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConsoleResource {
    /// Console name.
    pub name: String,
    /// Description, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Profiles applied.
    #[serde(default, deserialize_with = "lenient::strings")]
    pub profile: Vec<String>,
    /// Whether TLS is enabled.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub tlsenable: Option<bool>,
    /// The ACLs.
    #[serde(flatten)]
    pub acls: Acls,
    /// Every other directive, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A User resource (PAM users): like a console without a password.
pub type UserResource = ConsoleResource;

/// A `show <type>` result: `{"<type>": {"<name>": {...}, ...}}`, e.g. `show clients`.
pub type ResourceMap<T = Resource> = BTreeMap<String, T>;

/// Reads the resources of type `key` (`clients`, `jobs`, ...) from a `show` result.
pub fn resources<T: serde::de::DeserializeOwned>(
    result: &Value,
    key: &str,
) -> Result<ResourceMap<T>, serde_json::Error> {
    match result.get(key) {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(Value::Array(a)) if a.is_empty() => Ok(BTreeMap::new()),
        Some(v) => serde_json::from_value(v.clone()),
    }
}

/// An entry of a dot list (`.jobs`, `.clients`, `.schedule`, `.consoles`, `.profiles`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NamedEntry {
    /// The name.
    pub name: String,
    /// Whether enabled (jobs, clients, schedules).
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub enabled: Option<bool>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Reads a dot list (`{"jobs":[{"name":..}]}`) under `key`.
pub fn named_list(result: &Value, key: &str) -> Result<Vec<NamedEntry>, serde_json::Error> {
    #[derive(Deserialize)]
    struct Wrapper {
        #[serde(default, deserialize_with = "lenient::list")]
        items: Vec<NamedEntry>,
    }
    let items = result.get(key).cloned().unwrap_or(Value::Null);
    let wrapper: Wrapper = serde_json::from_value(serde_json::json!({ "items": items }))?;
    Ok(wrapper.items)
}
