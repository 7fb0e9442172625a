//! Typed results of API mode 2 (JSON) commands.
//!
//! The director is not consistent about types: catalog rows carry every number as a
//! string (`"jobid":"1"`, `"jobbytes":"139898"`), empty timestamps as `""`, empty lists
//! as `{}`; `status`, `wait`, `show` use real numbers. These types accept all of that,
//! and keep every field they do not name in `extra`, so nothing the director sends is
//! lost.
//!
//! ```
//! use bareos::models::{from_result, JobList};
//! let result = serde_json::json!({"jobs": [{"jobid": "1", "jobbytes": "139898", "foo": 1}]});
//! let jobs: JobList = from_result(&result).unwrap();
//! assert_eq!(jobs.jobs[0].jobid, 1);
//! assert_eq!(jobs.jobs[0].jobbytes, Some(139898));
//! assert_eq!(jobs.jobs[0].extra["foo"], 1);
//! let empty: JobList = from_result(&serde_json::json!({"jobs": {}})).unwrap();
//! assert!(empty.jobs.is_empty());
//! ```

mod catalog;
mod config;
mod director;
mod jobs;
pub mod lenient;

pub use catalog::{
    CatalogClient, CatalogFileset, CatalogPool, CatalogStorage, ClientList, FilesetList, PoolList,
    SingleVolume, StorageList, Volume, VolumesByPool,
};
pub use config::{
    named_list, resources, Acls, ConsoleResource, NamedEntry, ProfileResource, Resource,
    ResourceMap, ScheduleResource, UserResource,
};
pub use director::{
    DirectorStatus, DirectorTime, DirectorVersion, StatusHeader, StatusJob, TimeResult,
    VersionResult, WhoAmI,
};
pub use jobs::{
    Count, FileEntry, FileList, Job, JobList, JobLog, JobLogEntry, JobTotals, JobTotalsRow,
    RunResult, RunStarted, WaitedJob,
};

/// Reads a typed result from the `result` value of a JSON reply
/// ([`Director::call_json`](crate::Director::call_json)).
pub fn from_result<T: serde::de::DeserializeOwned>(
    result: &serde_json::Value,
) -> Result<T, serde_json::Error> {
    T::deserialize(result)
}
