//! Typed results for `bareos.models`: the director's JSON `result` read by the Rust
//! models of `bareos::models` (lenient numbers and booleans, empty values and `{}` lists
//! accepted, unknown fields kept) and handed back as JSON with proper types.

use bareos::models::{
    self, ClientList, DirectorStatus, FileList, FilesetList, JobList, JobLog, JobTotals, PoolList,
    ScheduleResource, StorageList, VolumesByPool,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use serde_json::Value;

/// The kinds of result `normalize` reads.
const KINDS: &str =
    "jobs, job_log, job_totals, files, clients, pools, volumes, filesets, storages, status_director, schedules";

fn typed<T: serde::de::DeserializeOwned + serde::Serialize>(
    result: &Value,
) -> Result<Value, serde_json::Error> {
    serde_json::to_value(models::from_result::<T>(result)?)
}

/// Reads the `result` of a command (JSON text) as the model of `kind` and returns it as
/// JSON text with typed values.
#[pyfunction]
pub(crate) fn normalize(kind: &str, result: &str) -> PyResult<String> {
    let value: Value = serde_json::from_str(result)
        .map_err(|e| PyValueError::new_err(format!("the result is not JSON: {e}")))?;
    let typed = match kind {
        "jobs" => typed::<JobList>(&value),
        "job_log" => typed::<JobLog>(&value),
        "job_totals" => typed::<JobTotals>(&value),
        "files" => typed::<FileList>(&value),
        "clients" => typed::<ClientList>(&value),
        "pools" => typed::<PoolList>(&value),
        "volumes" => typed::<VolumesByPool>(&value),
        "filesets" => typed::<FilesetList>(&value),
        "storages" => typed::<StorageList>(&value),
        "status_director" => typed::<DirectorStatus>(&value),
        "schedules" => models::resources::<ScheduleResource>(&value, "schedules")
            .and_then(serde_json::to_value),
        other => {
            return Err(PyValueError::new_err(format!(
                "unknown result kind '{other}' (one of: {KINDS})"
            )))
        }
    };
    let typed = typed.map_err(|e| {
        PyValueError::new_err(format!("the result does not look like '{kind}': {e}"))
    })?;
    Ok(typed.to_string())
}
