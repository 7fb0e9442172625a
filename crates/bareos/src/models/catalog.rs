//! Catalog rows other than jobs: clients, filesets, pools, volumes (media), storages.

use super::lenient;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A client row of `list clients` / `llist clients` / `llist client=NAME`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogClient {
    /// Client id.
    #[serde(deserialize_with = "lenient::req_u64")]
    pub clientid: u64,
    /// Client name.
    pub name: String,
    /// `uname` of the client's system (long listing).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub uname: Option<String>,
    /// Whether automatic pruning is on.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub autoprune: Option<bool>,
    /// File retention in seconds.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub fileretention: Option<u64>,
    /// Job retention in seconds.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub jobretention: Option<u64>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `list clients` and friends.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClientList {
    /// The clients.
    #[serde(default, deserialize_with = "lenient::list")]
    pub clients: Vec<CatalogClient>,
}

/// A fileset row of `list filesets`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogFileset {
    /// FileSet id.
    #[serde(deserialize_with = "lenient::req_u64")]
    pub filesetid: u64,
    /// FileSet name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub fileset: Option<String>,
    /// MD5 of the definition.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub md5: Option<String>,
    /// When it was first used.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub createtime: Option<String>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `list filesets`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FilesetList {
    /// The filesets.
    #[serde(default, deserialize_with = "lenient::list")]
    pub filesets: Vec<CatalogFileset>,
}

/// A pool row of `list pools` / `llist pools` / `update pool=` (under `query`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogPool {
    /// Pool id.
    #[serde(deserialize_with = "lenient::req_u64")]
    pub poolid: u64,
    /// Pool name.
    pub name: String,
    /// Number of volumes.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub numvols: Option<u64>,
    /// Maximum number of volumes (0 = no limit).
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub maxvols: Option<u64>,
    /// Pool type (`Backup`, `Scratch`, ...).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub pooltype: Option<String>,
    /// Label format.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub labelformat: Option<String>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `list pools`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PoolList {
    /// The pools.
    #[serde(default, deserialize_with = "lenient::list")]
    pub pools: Vec<CatalogPool>,
}

/// A volume (media) row of `list`/`llist volumes`, `list media`, `list volume=NAME`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Volume {
    /// Media id.
    #[serde(deserialize_with = "lenient::req_u64")]
    pub mediaid: u64,
    /// Volume name.
    pub volumename: String,
    /// Pool name (long listing).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub pool: Option<String>,
    /// Pool id (long listing).
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub poolid: Option<u64>,
    /// Status (`Append`, `Full`, `Used`, `Purged`, ...).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub volstatus: Option<String>,
    /// Whether enabled.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub enabled: Option<bool>,
    /// Bytes written.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub volbytes: Option<u64>,
    /// Files written.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub volfiles: Option<u64>,
    /// Jobs written (long listing).
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub voljobs: Option<u64>,
    /// Retention in seconds.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub volretention: Option<u64>,
    /// Maximum bytes (long listing).
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub maxvolbytes: Option<u64>,
    /// Media type.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub mediatype: Option<String>,
    /// Storage name (short listing).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub storage: Option<String>,
    /// Slot.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub slot: Option<u64>,
    /// Whether in the changer.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub inchanger: Option<bool>,
    /// Whether recycling is on.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub recycle: Option<bool>,
    /// Last write time (may be empty).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub lastwritten: Option<String>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `list volumes` / `llist volumes` / `list media`: volumes keyed by lower-cased pool
/// name (empty pools as `[]`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VolumesByPool {
    /// Pool name (lower case) to its volumes.
    #[serde(default, deserialize_with = "volumes_map")]
    pub volumes: BTreeMap<String, Vec<Volume>>,
}

impl VolumesByPool {
    /// All volumes of all pools.
    pub fn all(&self) -> impl Iterator<Item = &Volume> {
        self.volumes.values().flatten()
    }
}

fn volumes_map<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, Vec<Volume>>, D::Error> {
    use serde::de::Error;
    match Value::deserialize(d)? {
        Value::Null => Ok(BTreeMap::new()),
        Value::Object(map) => map
            .into_iter()
            .map(|(pool, list)| {
                let volumes = match list {
                    Value::Array(items) => items
                        .into_iter()
                        .map(serde_json::from_value)
                        .collect::<Result<Vec<Volume>, _>>(),
                    Value::Object(o) if o.is_empty() => Ok(Vec::new()),
                    other => serde_json::from_value(other).map(|v| vec![v]),
                }
                .map_err(D::Error::custom)?;
                Ok((pool, volumes))
            })
            .collect(),
        // `list volumes pool=X` answers a plain array.
        Value::Array(items) => {
            let volumes = items
                .into_iter()
                .map(serde_json::from_value)
                .collect::<Result<Vec<Volume>, _>>()
                .map_err(D::Error::custom)?;
            let mut map = BTreeMap::new();
            for v in volumes {
                let pool = v.pool.clone().unwrap_or_default().to_lowercase();
                map.entry(pool).or_insert_with(Vec::new).push(v);
            }
            Ok(map)
        }
        other => Err(D::Error::custom(format!("expected volumes, got {other}"))),
    }
}

/// `list volume=NAME` / `llist volume=NAME`: one object, or `{}` when unknown.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SingleVolume {
    /// The volume, if it exists.
    #[serde(default, deserialize_with = "single_volume")]
    pub volume: Option<Volume>,
}

fn single_volume<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Volume>, D::Error> {
    use serde::de::Error;
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Object(o) if o.is_empty() => Ok(None),
        other => serde_json::from_value(other)
            .map(Some)
            .map_err(D::Error::custom),
    }
}

/// A storage row of `list storages`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogStorage {
    /// Storage id.
    #[serde(deserialize_with = "lenient::req_u64")]
    pub storageid: u64,
    /// Storage name.
    pub name: String,
    /// Whether it is an autochanger.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub autochanger: Option<bool>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `list storages`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StorageList {
    /// The storages.
    #[serde(default, deserialize_with = "lenient::list")]
    pub storages: Vec<CatalogStorage>,
}
