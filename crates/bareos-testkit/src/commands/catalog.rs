//! Catalog-style built-ins: `version`, `help`, `.help`, `list`/`llist`, dot lists and
//! `status director`, with a small fixed catalog (4 pools, 4 jobs).

use super::{Session, COMMANDS};
use crate::json::Json;
use std::io;

type Reply = io::Result<(bool, Json)>;

/// `poolid, name, numvols, maxvols, pooltype, labelformat`
const POOLS: [(u32, &str, u32, u32, &str, &str); 4] = [
    (1, "Scratch", 0, 0, "Scratch", "*"),
    (2, "Incremental", 0, 100, "Backup", "Incremental-"),
    (3, "Full", 1, 100, "Backup", "Full-"),
    (4, "Differential", 0, 100, "Backup", "Differential-"),
];

/// `jobid, name, client, starttime, duration, type, level, jobfiles, jobbytes, jobstatus`
type JobRow = (
    u32,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    u64,
    u64,
    &'static str,
);

/// The jobs of the fixed catalog.
pub(super) const JOBS: [JobRow; 4] = [
    (
        1,
        "backup-bareos-fd",
        "bareos-fd",
        "2026-11-26 17:44:08",
        "00:00:00",
        "B",
        "F",
        86,
        139898,
        "T",
    ),
    (
        2,
        "backup-bareos-fd",
        "bareos-fd",
        "2026-11-26 17:44:11",
        "00:00:01",
        "B",
        "I",
        0,
        0,
        "T",
    ),
    (
        3,
        "backup-bareos-fd",
        "bareos-fd",
        "2026-11-26 17:44:14",
        "00:00:01",
        "B",
        "F",
        1002,
        5005,
        "T",
    ),
    (
        4,
        "backup-test2-fd",
        "test2-fd",
        "2026-11-26 17:44:16",
        "00:00:00",
        "B",
        "F",
        86,
        139898,
        "T",
    ),
];

const JOB_NAMES: [&str; 3] = ["backup-test2-fd", "backup-bareos-fd", "RestoreFiles"];

/// The client a configured job runs on, `None` for an unknown job.
pub(super) fn job_client(job: &str) -> Option<&'static str> {
    match job {
        "backup-bareos-fd" | "RestoreFiles" => Some("bareos-fd"),
        "backup-test2-fd" => Some("test2-fd"),
        _ => None,
    }
}
const FILESETS: [&str; 3] = ["SelfTest", "NumberedFiles", "Catalog"];
const LEVELS: [(&str, i64, i64); 6] = [
    ("Full", 70, 66),
    ("Base", 66, 66),
    ("Incremental", 73, 66),
    ("Differential", 68, 66),
    ("Since", 83, 66),
    ("VirtualFull", 102, 66),
];

/// Thousands separators, as the director prints counts and sizes.
pub(super) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A catalog table: header, rows (numeric columns right-aligned).
pub(super) struct Table {
    pub(super) headers: Vec<&'static str>,
    pub(super) rows: Vec<Vec<String>>,
    pub(super) numeric: Vec<bool>,
}

impl Table {
    fn widths(&self) -> Vec<usize> {
        (0..self.headers.len())
            .map(|i| {
                self.rows
                    .iter()
                    .map(|r| r[i].len())
                    .chain([self.headers[i].len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }

    fn line(&self, cells: &[String], widths: &[usize], header: bool) -> String {
        let mut out = String::from("|");
        for (i, cell) in cells.iter().enumerate() {
            if self.numeric[i] && !header {
                out.push_str(&format!(" {:>w$} |", cell, w = widths[i]));
            } else {
                out.push_str(&format!(" {:<w$} |", cell, w = widths[i]));
            }
        }
        out.push('\n');
        out
    }

    fn border(widths: &[usize]) -> String {
        let mut out = String::from("+");
        for w in widths {
            out.push_str(&"-".repeat(w + 2));
            out.push('+');
        }
        out.push('\n');
        out
    }

    /// The API 0 frames: borders and header go with the first row.
    pub(super) fn frames(&self, decorated: bool) -> Vec<String> {
        let widths = self.widths();
        let headers: Vec<String> = self.headers.iter().map(|h| h.to_string()).collect();
        let border = Self::border(&widths);
        let mut frames = Vec::new();
        let mut head = String::new();
        if decorated {
            head = format!("{border}{}{border}", self.line(&headers, &widths, true));
        }
        for (i, row) in self.rows.iter().enumerate() {
            let line = self.line(row, &widths, false);
            let line = if decorated {
                line
            } else {
                line[1..].to_string()
            };
            if i == 0 {
                frames.push(format!("{head}{line}"));
            } else {
                frames.push(line);
            }
        }
        if decorated {
            if self.rows.is_empty() {
                frames.push(head);
            }
            frames.push(border);
        }
        frames
    }

    fn json(&self) -> Json {
        Json::Arr(
            self.rows
                .iter()
                .map(|row| {
                    Json::Obj(
                        self.headers
                            .iter()
                            .zip(row)
                            .map(|(h, v)| (h.to_string(), Json::s(v.replace(',', ""))))
                            .collect(),
                    )
                })
                .collect(),
        )
    }

    /// `llist` layout: right-aligned keys, one block per row.
    fn long(&self) -> Vec<String> {
        let width = self.headers.iter().map(|h| h.len()).max().unwrap_or(0);
        self.rows
            .iter()
            .map(|row| {
                let mut block = String::new();
                for (h, v) in self.headers.iter().zip(row) {
                    block.push_str(&format!("{h:>width$}: {v}\n"));
                }
                block.push('\n');
                block
            })
            .collect()
    }
}

impl Session {
    async fn announce_catalog(&mut self) -> io::Result<()> {
        if self.catalog_announced || self.api != 0 {
            return Ok(());
        }
        self.catalog_announced = true;
        self.text("Automatically selected Catalog: MyCatalog\n")
            .await?;
        self.text("Using Catalog \"MyCatalog\"\n").await
    }

    async fn send_table(&mut self, key: &str, table: Table, long: bool) -> Reply {
        self.announce_catalog().await?;
        let frames = if long {
            table.long()
        } else {
            table.frames(self.api == 0)
        };
        for frame in frames {
            self.text(frame).await?;
        }
        let json = if table.rows.is_empty() {
            Json::obj()
        } else {
            table.json()
        };
        Ok((true, Json::obj().with(key, json)))
    }
}

pub(super) async fn version(s: &mut Session) -> Reply {
    let c = s.config.clone();
    s.text(format!(
        "{} Version: {} ({}) {} debian {} \n",
        c.name, c.version, c.date, c.os, c.os
    ))
    .await?;
    let v = Json::obj()
        .with("name", Json::s(&c.name))
        .with("type", Json::s("bareos-director"))
        .with("version", Json::s(&c.version))
        .with("bdate", Json::s(&c.date))
        .with("operatingsystem", Json::s(&c.os))
        .with("distname", Json::s("debian"))
        .with("distversion", Json::s(&c.os))
        .with("customversionid", Json::s(""));
    Ok((true, Json::obj().with("version", v)))
}

fn help_entry(name: &str, description: &str, arguments: &str) -> Json {
    Json::obj()
        .with("command", Json::s(name))
        .with("description", Json::s(description))
        .with("arguments", Json::s(arguments))
        .with("permission", Json::Bool(true))
}

pub(super) async fn help(s: &mut Session, args: &[String]) -> Reply {
    if let Some(word) = args.first() {
        if let Some((name, description, arguments)) = COMMANDS
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(word))
        {
            s.text(format!(
                "  Command            Description\n  =======            ===========\n  {name:<18} {description}\n\nArguments:\n\t{arguments}\n\nWhen at a prompt, entering a period (.) cancels the command.\n\n"
            ))
            .await?;
            return Ok((
                true,
                Json::obj().with(name, help_entry(name, description, arguments)),
            ));
        }
    }
    let mut result = Vec::new();
    let mut first = true;
    for (name, description, arguments) in COMMANDS.iter().filter(|(n, _, _)| !n.starts_with('.')) {
        let mut line = String::new();
        if first {
            line.push_str("  Command            Description\n  =======            ===========\n");
            first = false;
        }
        line.push_str(&format!("  {name:<18} {description}\n"));
        s.text(line).await?;
        result.push((name.to_string(), help_entry(name, description, arguments)));
    }
    s.text("\nWhen at a prompt, entering a period (.) cancels the command.\n\n")
        .await?;
    Ok((true, Json::Obj(result)))
}

pub(super) async fn dot_help(s: &mut Session, args: &[String]) -> Reply {
    let item = args
        .iter()
        .find_map(|a| a.strip_prefix("item=").map(str::to_string));
    let all = args.iter().any(|a| a.eq_ignore_ascii_case("all"));
    let mut result = Vec::new();
    for (name, description, arguments) in COMMANDS {
        if let Some(item) = &item {
            if !name.eq_ignore_ascii_case(item) {
                continue;
            }
            s.text(format!("{arguments}\n")).await?;
        } else if all {
            if name.starts_with('.') {
                continue;
            }
            s.text(format!("{name}\n")).await?;
        } else {
            s.text(format!("{name}\n")).await?;
        }
        result.push((name.to_string(), help_entry(name, description, arguments)));
    }
    if item.is_some() && result.is_empty() {
        s.error_msg("Help item not found\n").await?;
        return Ok((false, Json::obj()));
    }
    Ok((true, Json::Obj(result)))
}

fn pools_table() -> Table {
    Table {
        headers: vec![
            "poolid",
            "name",
            "numvols",
            "maxvols",
            "pooltype",
            "labelformat",
        ],
        rows: POOLS
            .iter()
            .map(|p| {
                vec![
                    p.0.to_string(),
                    p.1.into(),
                    p.2.to_string(),
                    p.3.to_string(),
                    p.4.into(),
                    p.5.into(),
                ]
            })
            .collect(),
        numeric: vec![true, false, true, true, false, false],
    }
}

fn jobs_table(last: bool, jobid: Option<u32>, runs: &super::Runs) -> Table {
    let mut rows: Vec<Vec<String>> = JOBS
        .iter()
        .filter(|j| !last || j.0 >= 3)
        .map(|j| {
            vec![
                j.0.to_string(),
                j.1.into(),
                j.2.into(),
                j.3.into(),
                j.4.into(),
                j.5.into(),
                j.6.into(),
                grouped(j.7),
                grouped(j.8),
                j.9.into(),
            ]
        })
        .collect();
    rows.extend(runs.rows().into_iter().map(|r| {
        vec![
            r.id.to_string(),
            r.name,
            r.client,
            "2026-11-26 18:00:00".into(),
            "00:00:01".into(),
            "B".into(),
            r.level.into(),
            grouped(r.files),
            grouped(r.bytes),
            r.status.into(),
        ]
    }));
    if let Some(id) = jobid {
        rows.retain(|row| row[0] == id.to_string());
    }
    Table {
        headers: vec![
            "jobid",
            "name",
            "client",
            "starttime",
            "duration",
            "type",
            "level",
            "jobfiles",
            "jobbytes",
            "jobstatus",
        ],
        rows,
        numeric: vec![
            true, false, false, false, false, false, false, true, true, false,
        ],
    }
}

pub(super) async fn list(s: &mut Session, long: bool, args: &[String]) -> Reply {
    let what = args
        .first()
        .map(|a| a.to_ascii_lowercase())
        .unwrap_or_default();
    let jobid = args.iter().find_map(|a| {
        let (key, value) = a.split_once('=')?;
        key.eq_ignore_ascii_case("jobid")
            .then(|| value.parse().ok())
            .flatten()
    });
    match what.as_str() {
        "pools" | "pool" => s.send_table("pools", pools_table(), long).await,
        "jobs" => {
            let last = args.iter().any(|a| a.eq_ignore_ascii_case("last"));
            let mut table = jobs_table(last, jobid, &s.config.runs);
            // `client=` and `job=` filter as the director's `list jobs` does.
            let wanted = |key: &str| {
                args.iter().find_map(|a| {
                    let (k, v) = a.split_once('=')?;
                    k.eq_ignore_ascii_case(key).then(|| v.to_string())
                })
            };
            if let Some(client) = wanted("client") {
                table.rows.retain(|row| row[2] == client);
            }
            if let Some(job) = wanted("job").or_else(|| wanted("jobname")) {
                table.rows.retain(|row| row[1] == job);
            }
            s.send_table("jobs", table, long).await
        }
        _ if what.starts_with("jobid=") => {
            let table = jobs_table(false, jobid, &s.config.runs);
            s.send_table("jobs", table, long).await
        }
        "clients" => {
            let table = Table {
                headers: vec!["clientid", "name", "fileretention", "jobretention"],
                rows: s
                    .config
                    .clients
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        vec![
                            (i + 1).to_string(),
                            c.name.clone(),
                            "5184000".into(),
                            "15552000".into(),
                        ]
                    })
                    .collect(),
                numeric: vec![true, false, true, true],
            };
            s.send_table("clients", table, long).await
        }
        _ => {
            s.error_msg(format!(
                "{}: list keyword not simulated by the test director.\n",
                if what.is_empty() { "(none)" } else { &what }
            ))
            .await?;
            Ok((false, Json::obj()))
        }
    }
}

pub(super) async fn dot_list(s: &mut Session, command: &str) -> Reply {
    let clients: Vec<String> = s.config.clients.iter().map(|c| c.name.clone()).collect();
    let (key, names, enabled): (&str, Vec<String>, bool) = match command {
        ".jobs" => (
            "jobs",
            JOB_NAMES.iter().map(|n| n.to_string()).collect(),
            true,
        ),
        ".clients" => ("clients", clients, true),
        ".pools" => (
            "pools",
            POOLS.iter().map(|p| p.1.to_string()).collect(),
            false,
        ),
        ".filesets" => (
            "filesets",
            FILESETS.iter().map(|n| n.to_string()).collect(),
            false,
        ),
        ".storages" => ("storages", vec!["File".into()], true),
        ".schedule" => ("schedules", vec!["WeeklyCycle".into()], true),
        ".catalogs" => ("catalogs", vec!["MyCatalog".into()], false),
        _ => {
            let mut items = Vec::new();
            for (name, level, jobtype) in LEVELS {
                s.text(format!("{name}\n")).await?;
                items.push(
                    Json::obj()
                        .with("name", Json::s(name))
                        .with("level", Json::Int(level))
                        .with("jobtype", Json::Int(jobtype)),
                );
            }
            return Ok((true, Json::obj().with("levels", Json::Arr(items))));
        }
    };
    let mut items = Vec::new();
    for name in names {
        s.text(format!("{name}\n")).await?;
        let mut item = Json::obj().with("name", Json::s(name));
        if enabled {
            item = item.with("enabled", Json::Bool(true));
        }
        items.push(item);
    }
    Ok((true, Json::obj().with(key, Json::Arr(items))))
}

/// `status director` in the three modes.
pub(super) async fn status_director(s: &mut Session) -> Reply {
    let c = s.config.clone();
    let api1 = s.api == 1;
    s.text(format!(
        "{} Version: {} ({}) {}\n",
        c.name, c.version, c.date, c.os
    ))
    .await?;
    s.text("Daemon started 26-Nov-26 17:44. Jobs: run=4, running=0 db:postgresql, self-compiled binary\n")
        .await?;
    if !api1 {
        s.text("No Scheduled Jobs.\n").await?;
        s.text("====\n").await?;
        s.text("\nRunning Jobs:\n").await?;
        s.text("Console connected at 26-Nov-26 17:44\n").await?;
        s.text("No Jobs running.\n====\n").await?;
        s.text("\nTerminated Jobs:\n").await?;
        s.text(" JobId  Level    Files      Bytes   Status   Finished        Name \n")
            .await?;
        s.text(format!("{}\n", "=".repeat(68))).await?;
    }
    let mut terminated = Vec::new();
    for j in JOBS {
        let level = if j.6 == "F" { "Full" } else { "Incr" };
        let size = human_size(j.8);
        if api1 {
            s.text(format!(
                "{:>6}\t{:<6}\t{:>8}\t{:>10}\tOK     \t26-Nov-26 17:44\t{}\n",
                j.0,
                level,
                grouped(j.7),
                size,
                j.1
            ))
            .await?;
        } else {
            s.text(format!(
                "{:>6}  {:<6} {:>8} {:>10}  OK       26-Nov-26 17:44 {}\n",
                j.0,
                level,
                grouped(j.7),
                size,
                j.1
            ))
            .await?;
        }
        terminated.push(
            Json::obj()
                .with("jobid", Json::Int(j.0 as i64))
                .with("name", Json::s(j.1))
                .with("level", Json::s(level))
                .with("type", Json::s("Backup"))
                .with("status", Json::s("OK"))
                .with("files", Json::Int(j.7 as i64))
                .with("bytes", Json::Int(j.8 as i64))
                .with("finished", Json::s("26-Nov-26 17:44")),
        );
    }
    s.text("====\n").await?;
    let header = Json::obj()
        .with("director", Json::s(&c.name))
        .with("version", Json::s(&c.version))
        .with("release_date", Json::s(&c.date))
        .with("os", Json::s(&c.os))
        .with("binary_info", Json::s("self-compiled"))
        .with("daemon_started", Json::s("26-Nov-26 17:44"))
        .with("jobs_run", Json::Int(4))
        .with("jobs_running", Json::Int(0))
        .with("config_warnings", Json::Bool(false));
    Ok((
        true,
        Json::obj()
            .with("header", header)
            .with("scheduled", Json::Arr(vec![]))
            .with("running", Json::Arr(vec![]))
            .with("terminated", Json::Arr(terminated))
            .with("client-connection", Json::Arr(vec![])),
    ))
}

/// `139.8 K`-style sizes of the status tables.
pub(super) fn human_size(bytes: u64) -> String {
    if bytes < 1000 {
        return format!("{bytes} ");
    }
    let mut value = bytes as f64;
    let mut unit = 0;
    let units = ["", "K", "M", "G", "T"];
    while value >= 1000.0 && unit < 4 {
        value /= 1000.0;
        unit += 1;
    }
    let text = format!("{value:.4}");
    let digits: String = text.chars().take(5).collect();
    format!("{} {}", digits.trim_end_matches('.'), units[unit])
}
