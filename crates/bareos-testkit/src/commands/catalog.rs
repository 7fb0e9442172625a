//! Catalog-style built-ins: `version`, `help`, `.help`, `list`/`llist`, dot lists and
//! `status director`, with a small fixed catalog (4 pools, 4 jobs).

use super::{commands, Session};
use crate::json::Json;
use bareos_proto::command_table::DirectorCommand;
use std::io;

type Reply = io::Result<(bool, Json)>;

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
#[rustfmt::skip]
pub(super) const JOBS: [JobRow; 4] = [
    (1, "backup-bareos-fd", "bareos-fd", "2026-11-26 17:44:08", "00:00:00", "B", "F", 86, 139898, "T"),
    (2, "backup-bareos-fd", "bareos-fd", "2026-11-26 17:44:11", "00:00:01", "B", "I", 0, 0, "T"),
    (3, "backup-bareos-fd", "bareos-fd", "2026-11-26 17:44:14", "00:00:01", "B", "F", 1002, 5005, "T"),
    (4, "backup-test2-fd", "test2-fd", "2026-11-26 17:44:16", "00:00:00", "B", "F", 86, 139898, "T"),
];

pub(super) const JOB_NAMES: [&str; 3] = ["backup-test2-fd", "backup-bareos-fd", "RestoreFiles"];

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
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    pub numeric: Vec<bool>,
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
    pub fn frames(&self, decorated: bool) -> Vec<String> {
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

    pub fn json(&self) -> Json {
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
    pub fn long(&self) -> Vec<String> {
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
    pub(super) async fn announce_catalog(&mut self) -> io::Result<()> {
        if self.catalog_announced || self.api != 0 {
            return Ok(());
        }
        self.catalog_announced = true;
        self.text("Automatically selected Catalog: MyCatalog\n")
            .await?;
        self.text("Using Catalog \"MyCatalog\"\n").await
    }

    /// The table's text: the `llist` blocks, or the rows (with borders in API 0).
    pub(super) async fn send_rows(&mut self, table: &Table, long: bool) -> io::Result<()> {
        let frames = if long {
            table.long()
        } else {
            table.frames(self.api == 0)
        };
        for frame in frames {
            self.text(frame).await?;
        }
        Ok(())
    }

    pub(super) async fn send_table(&mut self, key: &str, table: Table, long: bool) -> Reply {
        self.announce_catalog().await?;
        self.send_rows(&table, long).await?;
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
        if let Some(DirectorCommand {
            name,
            description,
            arguments,
        }) = commands().find(|c| c.name.eq_ignore_ascii_case(word))
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
    for DirectorCommand {
        name,
        description,
        arguments,
    } in commands().filter(|c| !c.name.starts_with('.'))
    {
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
    for DirectorCommand {
        name,
        description,
        arguments,
    } in commands()
    {
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

pub(super) async fn list(s: &mut Session, long: bool, args: &[String]) -> Reply {
    let what = args
        .first()
        .map(|a| a.to_ascii_lowercase())
        .unwrap_or_default();
    match what.as_str() {
        "pools" | "pool" => super::listing::pools(s, long).await,
        "jobs" | "job" | "jobname" => super::listing::jobs(s, long, args).await,
        _ if what.starts_with("jobid=")
            || what.starts_with("job=")
            || what.starts_with("jobname=") =>
        {
            super::listing::jobs(s, long, args).await
        }
        "volumes" | "media" => super::listing::volumes(s, long, args).await,
        _ if what.starts_with("volume=") => {
            let name = super::args::value(args, "volume").unwrap_or_default();
            super::listing::volume(s, long, name).await
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
        ".jobs" => ("jobs", s.config.catalog.job_names(), true),
        ".clients" => ("clients", clients, true),
        ".pools" => (
            "pools",
            s.config
                .catalog
                .snapshot()
                .pools
                .iter()
                .map(|p| p.name.clone())
                .collect(),
            false,
        ),
        ".filesets" => (
            "filesets",
            FILESETS.iter().map(|n| n.to_string()).collect(),
            false,
        ),
        ".storages" => (
            "storages",
            s.config.storages.iter().map(|st| st.name.clone()).collect(),
            true,
        ),
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
    let runs = c.runs.status();
    let jobs_run = JOBS.len() + runs.terminated.len();
    s.text(format!(
        "{} Version: {} ({}) {}\n",
        c.name, c.version, c.date, c.os
    ))
    .await?;
    s.text(format!(
        "Daemon started 26-Nov-26 17:44. Jobs: run={jobs_run}, running={} db:postgresql, self-compiled binary\n",
        runs.running.len()
    ))
    .await?;
    let (running_text, running) = super::jobs::running_section(&runs.running, s.api);
    if !api1 {
        s.text("No Scheduled Jobs.\n").await?;
        s.text("====\n").await?;
        s.text("\nRunning Jobs:\n").await?;
        s.text("Console connected at 26-Nov-26 17:44\n").await?;
    }
    if !running_text.is_empty() {
        s.text(running_text).await?;
    }
    if !api1 {
        s.text("\nTerminated Jobs:\n").await?;
        s.text(" JobId  Level    Files      Bytes   Status   Finished        Name \n")
            .await?;
        s.text(format!("{}\n", "=".repeat(68))).await?;
    }
    let fixed = JOBS.iter().map(|j| super::jobs::TerminatedRow {
        jobid: j.0,
        level: if j.6 == "F" { "Full" } else { "Incr" }.into(),
        files: j.7,
        bytes: j.8,
        status: "OK",
        finished: "26-Nov-26 17:44".into(),
        name: j.1.into(),
    });
    let simulated = runs.terminated.iter().map(super::jobs::terminated_row);
    let mut terminated = Vec::new();
    for row in fixed.chain(simulated) {
        let size = human_size(row.bytes);
        let cells = [
            format!("{:>6}", row.jobid),
            format!("{:<6}", row.level),
            format!("{:>8}", grouped(row.files)),
            format!("{size:>10}"),
            format!("{:<7}", row.status),
            row.finished.clone(),
            row.name.clone(),
        ];
        // API 1 separates the cells by tabs, the console by the table's gaps.
        let gaps = if api1 {
            ["\t"; 6]
        } else {
            ["  ", " ", " ", "  ", "  ", " "]
        };
        let mut line = cells[0].clone();
        for (gap, cell) in gaps.iter().zip(&cells[1..]) {
            line.push_str(gap);
            line.push_str(cell);
        }
        line.push('\n');
        s.text(line).await?;
        terminated.push(
            Json::obj()
                .with("jobid", Json::Int(row.jobid as i64))
                .with("name", Json::s(row.name))
                .with("level", Json::s(row.level))
                .with("type", Json::s("Backup"))
                .with("status", Json::s(row.status))
                .with("files", Json::Int(row.files as i64))
                .with("bytes", Json::Int(row.bytes as i64))
                .with("finished", Json::s(row.finished)),
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
        .with("jobs_run", Json::Int(jobs_run as i64))
        .with("jobs_running", Json::Int(runs.running.len() as i64))
        .with("config_warnings", Json::Bool(false));
    Ok((
        true,
        Json::obj()
            .with("header", header)
            .with("scheduled", Json::Arr(vec![]))
            .with("running", running)
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
