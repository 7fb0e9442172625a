//! Files and directories chosen by name (`InsertOneFileOrDir` of `ua_restore.cc`):
//! the keywords `file=` and `directory=`, the menu items 7, 8 and 11, `<FILE` lists
//! and `?TABLE`. Each name is looked up in the saved files of the catalog's jobs as
//! the director's catalog queries do; what is found goes straight into the bootstrap,
//! without the file tree.

use super::super::files::saved_files;
use super::{catalog_jobs, Rx};
use crate::commands::Session;
use std::collections::BTreeSet;
use std::io::{self, Read};

/// What the test director answers where the director runs an SQL query of its own
/// making or of the user's: it has no SQL engine.
pub(super) const NO_SQL_ENGINE: &str = "the test director has no SQL engine";

/// The most a `<FILE` list is read of.
const MAX_LIST_BYTES: u64 = 1_000_000;

/// The entries chosen by name as the bootstrap holds them: (JobId, FileIndex).
#[derive(Debug, Default)]
pub(super) struct Findex(BTreeSet<(u32, u32)>);

impl Findex {
    /// Entries to restore (what `WriteBsrFile` counts).
    pub(super) fn count(&self) -> u64 {
        self.0.len() as u64
    }

    /// The jobs the entries come from, by JobId.
    pub(super) fn jobs(&self) -> Vec<u32> {
        let mut jobs: Vec<u32> = self.0.iter().map(|(job, _)| *job).collect();
        jobs.dedup();
        jobs
    }
}

/// `SplitPathAndFilename`: the path up to and with the last `/`, and the name after
/// it (empty for a directory); without a `/` all of it is the path.
fn split(name: &str) -> (&str, &str) {
    match name.rfind('/') {
        Some(at) => name.split_at(at + 1),
        None => (name, ""),
    }
}

/// The JobIds of a list; parts that are no number match no job (the director's
/// query would fail on them).
fn listed_jobs(list: &str) -> Vec<u32> {
    list.split(',')
        .filter_map(|p| p.trim().parse::<u32>().ok())
        .collect()
}

/// `JobidFileindexHandler`: one found entry; its job joins the JobIds unless it is
/// the last one added (`JobidHandler`).
fn found(rx: &mut Rx, job: u32, index: u32) {
    rx.findex.0.insert((job, index));
    let id = job.to_string();
    if rx.last_jobid == id {
        return;
    }
    if !rx.jobids.is_empty() {
        rx.jobids.push(',');
    }
    rx.jobids.push_str(&id);
    rx.last_jobid = id;
}

/// `strerror` of an error: the system's text without Rust's `(os error N)`.
fn strerror(e: &io::Error) -> String {
    let text = e.to_string();
    match e.raw_os_error() {
        Some(n) => text
            .strip_suffix(&format!(" (os error {n})"))
            .unwrap_or(&text)
            .to_string(),
        None => text,
    }
}

/// Reads the lines of a `<FILE` list as `fgets` returns them (with their newline).
async fn read_list(path: &str) -> io::Result<Vec<String>> {
    let path = path.to_string();
    let bytes = tokio::task::spawn_blocking(move || {
        let mut bytes = Vec::new();
        std::fs::File::open(path)?
            .take(MAX_LIST_BYTES)
            .read_to_end(&mut bytes)?;
        Ok::<_, io::Error>(bytes)
    })
    .await
    .map_err(io::Error::other)??;
    Ok(bytes
        .split_inclusive(|b| *b == b'\n')
        .map(|line| String::from_utf8_lossy(line).into_owned())
        .collect())
}

/// `InsertOneFileOrDir`: a name, `<FILE` (a list of names, one a line, read on the
/// director's machine) or `?TABLE` (a catalog table of JobIds and FileIndexes).
pub(super) async fn insert(
    s: &mut Session,
    rx: &mut Rx,
    entry: &str,
    date: &str,
    dir: bool,
) -> io::Result<()> {
    if let Some(path) = entry.strip_prefix('<') {
        let lines = match read_list(path).await {
            Ok(lines) => lines,
            Err(e) => {
                return s
                    .error_msg(format!("Cannot open file {path}: ERR={}\n", strerror(&e)))
                    .await
            }
        };
        for (n, line) in lines.iter().enumerate() {
            let inserted = if dir {
                insert_dir(s, rx, line).await?
            } else {
                insert_file(s, rx, line, date).await?
            };
            if !inserted {
                s.error_msg(format!(
                    "Error occurred on line {} of file \"{path}\"\n",
                    n + 1
                ))
                .await?;
            }
        }
        return Ok(());
    }
    if let Some(table) = entry.strip_prefix('?') {
        let table = table.trim_end();
        s.error_msg(format!(
            "Query failed: SELECT JobId, FileIndex\n  FROM {table}\n ORDER BY JobId, FileIndex ASC\n. ERR={NO_SQL_ENGINE}\n"
        ))
        .await?;
        return s.error_msg(format!("No table found: {table}\n")).await;
    }
    if dir {
        insert_dir(s, rx, entry).await?;
    } else {
        insert_file(s, rx, entry, date).await?;
    }
    Ok(())
}

/// `InsertFileIntoFindexList`: the file as the most recent terminated backup of the
/// client up to the date saved it, among the JobIds chosen or found so far.
async fn insert_file(s: &mut Session, rx: &mut Rx, file: &str, date: &str) -> io::Result<bool> {
    let file = file.trim_end_matches(['\n', '\r']);
    let (path, name) = split(file);
    let among = listed_jobs(&rx.jobids);
    let mut jobs: Vec<_> = catalog_jobs()
        .into_iter()
        .filter(|j| {
            Some(j.client) == rx.client.as_deref()
                && j.start <= date
                && (rx.jobids.is_empty() || among.contains(&j.id))
        })
        .collect();
    jobs.sort_by(|a, b| b.start.cmp(a.start));
    let hit = jobs.iter().find_map(|job| {
        saved_files(job.id)
            .iter()
            .position(|f| split(&f.path) == (path, name))
            .map(|at| (job.id, at as u32 + 1))
    });
    match hit {
        Some((job, index)) => found(rx, job, index),
        None => {
            s.error_msg(format!("No database record found for: {file}\n"))
                .await?
        }
    }
    Ok(true)
}

/// `InsertDirIntoFindexList`: the directory and the entries directly in it, of every
/// chosen job of the client; `false` when no JobId was chosen. The name is taken as
/// it is (a line of a `<FILE` list keeps its newline, as with the director).
async fn insert_dir(s: &mut Session, rx: &mut Rx, dir: &str) -> io::Result<bool> {
    if rx.jobids.is_empty() {
        s.error_msg("No JobId specified cannot continue.\n").await?;
        return Ok(false);
    }
    let among = listed_jobs(&rx.jobids);
    let mut hits = Vec::new();
    for job in catalog_jobs()
        .iter()
        .filter(|j| among.contains(&j.id) && Some(j.client) == rx.client.as_deref())
    {
        for (at, file) in saved_files(job.id).iter().enumerate() {
            if split(&file.path).0 == dir {
                hits.push((job.id, at as u32 + 1));
            }
        }
    }
    if hits.is_empty() {
        s.error_msg(format!("No database record found for: {dir}\n"))
            .await?;
    }
    for (job, index) in hits {
        found(rx, job, index);
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_at_the_last_slash() {
        assert_eq!(split("/a/b/c.txt"), ("/a/b/", "c.txt"));
        assert_eq!(split("/a/b/"), ("/a/b/", ""));
        assert_eq!(split("c:"), ("c:", ""));
    }

    #[test]
    fn found_entries_extend_the_jobids_once_per_run() {
        let mut rx = Rx::default();
        found(&mut rx, 4, 1);
        found(&mut rx, 4, 2);
        found(&mut rx, 4, 2);
        assert_eq!(rx.jobids, "4");
        assert_eq!(rx.findex.count(), 2);
        found(&mut rx, 1, 2);
        assert_eq!(rx.jobids, "4,1");
        assert_eq!(rx.findex.jobs(), vec![1, 4]);
        assert_eq!(listed_jobs("1, 4,x"), vec![1, 4]);
    }

    #[test]
    fn os_errors_read_as_strerror() {
        let e = io::Error::from_raw_os_error(2);
        assert_eq!(strerror(&e), "No such file or directory");
    }
}
