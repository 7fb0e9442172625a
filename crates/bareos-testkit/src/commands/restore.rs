//! `restore` as the director runs it (`ua_restore.cc`): the keywords of the command
//! line, the 13-item menu for selecting JobIds or files and directories by name, the
//! client and FileSet lists, the file tree, the bootstrap summary and the restore job's
//! `OK to run? (yes/mod/no):`.

mod by_name;

use super::catalog::{grouped, Table, JOBS};
use super::files::saved_files;
use super::prompts::{ask_ok_to_run, RunAnswer};
use super::select::{Answer, Choice};
use super::tree::{Leave, Tree};
use super::{Outcome, Session};
use crate::json::Json;
use bareos_proto::Signal;
use std::io;

/// Per-console restore state.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// The private catalog connection of `restore` is open (`Using Catalog` was shown).
    private_catalog: bool,
    /// Bootstrap files written so far.
    bootstraps: u32,
}

/// The restore job of the simulated configuration and its settings.
pub(super) const RESTORE_JOB: &str = "RestoreFiles";
const RESTORE_WHERE: &str = "/var/lib/bareos-test/tmp/bareos-restores";
const WORKING_DIRECTORY: &str = "/var/lib/bareos-test/working";

/// The choices of the JobId menu (`UserSelectJobidsOrFiles`).
const MENU: [&str; 13] = [
    "List last 20 Jobs run",
    "List Jobs where a given File is saved",
    "Enter list of comma separated JobIds to select",
    "Enter SQL list command",
    "Select the most recent backup for a client",
    "Select backup for a client before a specified time",
    "Enter a list of files to restore",
    "Enter a list of files to restore before a specified time",
    "Find the JobIds of the most recent backup for a client",
    "Find the JobIds for a backup for a client before a specified time",
    "Enter a list of directories to restore for found JobIds",
    "Select full restore to a specified Job date",
    "Cancel",
];

/// The keywords `restore` accepts.
const KEYWORDS: [&str; 27] = [
    "jobid",
    "current",
    "before",
    "file",
    "directory",
    "select",
    "pool",
    "all",
    "fileregex",
    "client",
    "storage",
    "fileset",
    "where",
    "yes",
    "bootstrap",
    "done",
    "strip_prefix",
    "add_prefix",
    "add_suffix",
    "regexwhere",
    "restoreclient",
    "copies",
    "comment",
    "restorejob",
    "replace",
    "pluginoptions",
    "archive",
];

/// The parameters of `mod` for a restore job (`ModifyJobParameters`).
const RESTORE_PARAMETERS: [&str; 14] = [
    "Level",
    "Storage",
    "Job",
    "FileSet",
    "Restore Client",
    "Backup Format",
    "When",
    "Priority",
    "Bootstrap",
    "Where",
    "File Relocation",
    "Replace",
    "JobId",
    "Plugin Options",
];

/// One job of the fixed catalog, as the restore queries see it.
struct Job {
    id: u32,
    client: &'static str,
    start: &'static str,
    level: &'static str,
    files: u64,
    bytes: u64,
    fileset: &'static str,
}

impl Job {
    /// The volume holding the job's data (`JobMedia`); jobs without files have none.
    fn volume(&self) -> Option<&'static str> {
        (self.files > 0).then_some("Full-0001")
    }
}

fn catalog_jobs() -> Vec<Job> {
    JOBS.iter()
        .filter(|j| j.5 == "B" && j.9 == "T")
        .map(|j| Job {
            id: j.0,
            client: j.2,
            start: j.3,
            level: j.6,
            files: j.7,
            bytes: j.8,
            fileset: if j.0 == 3 {
                "NumberedFiles"
            } else {
                "SelfTest"
            },
        })
        .collect()
}

/// The clients of the catalog, by name.
fn catalog_clients() -> Vec<String> {
    let mut names: Vec<String> = JOBS.iter().map(|j| j.2.to_string()).collect();
    names.sort();
    names.dedup();
    names
}

/// The command line: `key[=value]` words.
struct Args(Vec<(String, Option<String>)>);

impl Args {
    fn parse(args: &[String]) -> Args {
        Args(
            args.iter()
                .map(|a| match a.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    None => (a.clone(), None),
                })
                .collect(),
        )
    }

    fn has(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k.eq_ignore_ascii_case(key))
    }

    fn value(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, v)| k.eq_ignore_ascii_case(key) && v.is_some())
            .and_then(|(_, v)| v.as_deref())
    }
}

/// What the restore collected on its way.
#[derive(Default)]
struct Rx {
    jobids: String,
    /// The JobId added last to `jobids` (`rx->last_jobid`).
    last_jobid: String,
    client: Option<String>,
    all: bool,
    pool: Option<String>,
    /// The entries chosen by name.
    findex: by_name::Findex,
}

/// How `UserSelectJobidsOrFiles` chose what to restore.
enum Chosen {
    /// A list of JobIds: the file tree follows.
    JobIds,
    /// Files or directories by name: they are in the bootstrap already.
    Names,
}

/// A step that may fail (the command ends, CMD_FAILED) or lose the connection.
enum Step<T> {
    Go(T),
    Fail,
    Gone,
}

macro_rules! step {
    ($e:expr) => {
        match $e {
            Step::Go(v) => v,
            Step::Fail => return Ok(Step::Fail),
            Step::Gone => return Ok(Step::Gone),
        }
    };
}

/// `YYYY-MM-DD HH:MM:SS` from the short forms the director accepts
/// (`CompensateShortDate`), `None` if it is no date.
fn full_date(text: &str) -> Option<String> {
    let (date, time) = match text.trim().split_once(' ') {
        Some((d, t)) => (d, Some(t)),
        None => (text.trim(), None),
    };
    let mut d = date.split('-').map(|p| p.parse::<u32>().ok());
    let year = d.next()??;
    let month = d.next().map_or(Some(1), |m| m)?.max(1);
    let day = d.next().map_or(Some(1), |m| m)?.max(1);
    if d.next().is_some() || year < 1900 || month > 12 || day > 31 {
        return None;
    }
    let mut t = time
        .map(|t| {
            t.split(':')
                .map(|p| p.parse::<u32>().ok())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter();
    let hour = t.next().map_or(Some(0), |v| v)?;
    let minute = t.next().map_or(Some(0), |v| v)?;
    let second = t.next().map_or(Some(0), |v| v)?;
    if t.next().is_some() || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(format!(
        "{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}"
    ))
}

/// `GetNextJobidFromList` over a whole list: `None` if a part is no number.
fn parse_jobids(list: &str) -> Option<Vec<u32>> {
    list.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| p.parse::<u32>().ok())
        .collect()
}

/// Runs `restore` with its own brackets.
pub(super) async fn run(s: &mut Session, args: &[String]) -> io::Result<Outcome> {
    s.begin().await?;
    match restore(s, &Args::parse(args)).await? {
        Step::Go(()) => s.finish(true, Json::obj()).await?,
        Step::Fail => s.finish(false, Json::obj()).await?,
        Step::Gone => return Ok(Outcome::Quit),
    }
    Ok(Outcome::Done)
}

async fn restore(s: &mut Session, args: &Args) -> io::Result<Step<()>> {
    for (key, _) in &args.0 {
        if !KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(key)) {
            s.error_msg(format!("Unknown keyword: {key}\n")).await?;
            return Ok(Step::Fail);
        }
    }
    for key in [
        "fileregex",
        "regexwhere",
        "strip_prefix",
        "add_prefix",
        "add_suffix",
    ] {
        if args.has(key) {
            s.error_msg(format!(
                "restore: {key}= is not simulated by the test director.\n"
            ))
            .await?;
            return Ok(Step::Fail);
        }
    }
    open_catalog(s, args).await?;
    let mut rx = Rx {
        all: args.has("all"),
        ..Rx::default()
    };
    if let Some(pool) = args.value("pool") {
        if !["Scratch", "Incremental", "Full", "Differential"].contains(&pool) {
            s.error_msg(format!("Error: Pool resource \"{pool}\" does not exist.\n"))
                .await?;
            return Ok(Step::Fail);
        }
        rx.pool = Some(pool.to_string());
    }
    let (jobs, selected) = match step!(select_jobids(s, args, &mut rx).await?) {
        Chosen::JobIds => {
            let jobs = step!(check_jobids(s, &mut rx).await?);
            let tree = step!(build_tree(s, args, &rx, &jobs).await?);
            (jobs, tree.as_ref().map_or(0, Tree::selected))
        }
        Chosen::Names => (rx.findex.jobs(), rx.findex.count()),
    };
    if selected == 0 {
        s.warning_msg("No files selected to be restored.\n").await?;
        return Ok(Step::Fail);
    }
    s.restore.bootstraps += 1;
    let bootstrap = format!(
        "{WORKING_DIRECTORY}/{}.restore.{}.bsr",
        s.config.name, s.restore.bootstraps
    );
    s.text(format!("Bootstrap records written to {bootstrap}\n"))
        .await?;
    display_volumes(s, &jobs).await?;
    if selected == 1 {
        s.info_msg("\n1 file selected to be restored.\n\n").await?;
    } else {
        s.info_msg(format!(
            "\n{} files selected to be restored.\n\n",
            grouped(selected)
        ))
        .await?;
    }
    let client = step!(client_name(s, args, &mut rx).await?);
    let restore_client = match args.value("restoreclient") {
        Some(name) => {
            if !s.config.clients.iter().any(|c| c.name == name) {
                s.error_msg(format!("invalid restoreclient argument: {name}\n"))
                    .await?;
                return Ok(Step::Fail);
            }
            name.to_string()
        }
        None => client.clone(),
    };
    let job = RestoreRun {
        bootstrap,
        where_: args.value("where").unwrap_or(RESTORE_WHERE).to_string(),
        replace: args.value("replace").unwrap_or("Always").to_string(),
        client,
        restore_client,
        files: selected,
    };
    run_restore_job(s, job, args.has("yes")).await
}

/// `OpenClientDb(ua, true)` of the commands with their own catalog connection
/// (`restore`, `delete`): the first of a console opens it; the catalog is chosen from
/// `client=` or automatically.
pub(super) async fn open_private_catalog(s: &mut Session, args: &[String]) -> io::Result<()> {
    open_catalog(s, &Args::parse(args)).await
}

async fn open_catalog(s: &mut Session, args: &Args) -> io::Result<()> {
    if s.restore.private_catalog {
        return Ok(());
    }
    s.restore.private_catalog = true;
    if s.api != 0 {
        return Ok(());
    }
    let by_argument = args.value("catalog") == Some("MyCatalog")
        || args
            .value("client")
            .is_some_and(|c| s.config.clients.iter().any(|k| k.name == c))
        || args
            .value("job")
            .is_some_and(|j| super::catalog::job_client(j).is_some());
    if !s.catalog_announced && !by_argument {
        s.text("Automatically selected Catalog: MyCatalog\n")
            .await?;
    }
    s.text("Using Catalog \"MyCatalog\"\n").await
}

/// `UserSelectJobidsOrFiles`: a list of JobIds, or files and directories by name.
async fn select_jobids(s: &mut Session, args: &Args, rx: &mut Rx) -> io::Result<Step<Chosen>> {
    let now = super::prompts::now_text();
    let mut date = now.clone();
    let mut done = false;
    let mut explicit = Vec::new();
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for (key, value) in &args.0 {
        let named = if key.eq_ignore_ascii_case("file") {
            Some(&mut files)
        } else if key.eq_ignore_ascii_case("directory") {
            Some(&mut dirs)
        } else {
            None
        };
        if let Some(list) = named {
            let Some(value) = value else {
                s.error_msg(format!("Missing value for keyword: {key}\n"))
                    .await?;
                return Ok(Step::Fail);
            };
            list.push(value.clone());
        } else if key.eq_ignore_ascii_case("jobid") {
            let Some(value) = value else {
                s.error_msg("Missing value for keyword: jobid\n").await?;
                return Ok(Step::Fail);
            };
            explicit.push(value.clone());
            done = true;
        } else if key.eq_ignore_ascii_case("before") {
            let Some(value) = value else {
                s.error_msg("Missing value for keyword: before\n").await?;
                return Ok(Step::Fail);
            };
            match full_date(value) {
                Some(d) => date = d,
                None => {
                    s.error_msg(format!("Improper date format: {value}\n"))
                        .await?;
                    return Ok(Step::Fail);
                }
            }
        }
    }
    rx.jobids = explicit.join(",");
    rx.last_jobid = explicit.last().cloned().unwrap_or_default();
    if !files.is_empty() || !dirs.is_empty() {
        step!(client_name(s, args, rx).await?);
        for file in &files {
            by_name::insert(s, rx, file, &date, false).await?;
        }
        for dir in &dirs {
            by_name::insert(s, rx, dir, &date, true).await?;
        }
        return Ok(Step::Go(Chosen::Names));
    }
    if args.has("select") {
        if done {
            let list = rx.jobids.clone();
            rx.jobids = step!(job_dependencies(s, &list).await?);
        } else {
            step!(backups_before(s, args, rx, &date).await?);
        }
        done = true;
    }
    if done {
        return Ok(Step::Go(Chosen::JobIds));
    }
    s.text("\nFirst you select one or more JobIds that contain files\nto be restored. You will be presented several methods\nof specifying the JobIds. Then you will be allowed to\nselect which files from those JobIds are to be restored.\n\n")
        .await?;
    let items: Vec<String> = MENU.iter().map(|m| m.to_string()).collect();
    loop {
        let choice = s
            .choose(
                "To select the JobIds, you have the following choices:\n",
                &items,
                "",
                "Select item: ",
            )
            .await?;
        let item = match choice {
            Choice::Item(i) => i,
            Choice::Gone => return Ok(Step::Gone),
            Choice::Aborted | Choice::Empty => return Ok(Step::Fail),
        };
        match item {
            0 => last_jobs(s).await?,
            1 => {
                let client = step!(client_name(s, args, rx).await?);
                let name = match s.ask("Enter Filename (no path):").await? {
                    Answer::Text(t) => t,
                    Answer::Cancel => return Ok(Step::Fail),
                    Answer::Gone => return Ok(Step::Gone),
                };
                jobs_with_file(s, &client, &name).await?;
            }
            2 => {
                match s
                    .ask("Enter JobId(s), comma separated, to restore: ")
                    .await?
                {
                    Answer::Text(t) => rx.jobids = t,
                    Answer::Cancel => return Ok(Step::Fail),
                    Answer::Gone => return Ok(Step::Gone),
                }
                return Ok(Step::Go(Chosen::JobIds));
            }
            3 => step!(sql_list(s).await?),
            4 | 8 => {
                step!(backups_before(s, args, rx, &now).await?);
                if item == 4 {
                    return Ok(Step::Go(Chosen::JobIds));
                }
            }
            5 | 9 => {
                let date = step!(ask_date(s).await?);
                step!(backups_before(s, args, rx, &date).await?);
                if item == 5 {
                    return Ok(Step::Go(Chosen::JobIds));
                }
            }
            6 => return enter_names(s, args, rx, &date, false).await,
            7 => {
                let date = step!(ask_date(s).await?);
                return enter_names(s, args, rx, &date, false).await;
            }
            10 => return enter_directories(s, args, rx, &date).await,
            11 => {
                let id = match s.ask("Enter JobId to get the state to restore: ").await? {
                    Answer::Text(t) if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) => t,
                    Answer::Text(_) | Answer::Cancel => return Ok(Step::Fail),
                    Answer::Gone => return Ok(Step::Gone),
                };
                rx.jobids = step!(job_dependencies(s, &id).await?);
                return Ok(Step::Go(Chosen::JobIds));
            }
            _ => return Ok(Step::Fail),
        }
    }
}

/// Item 4: the console's query, which needs the `sqlquery` command; the test director
/// answers it as a failed query and shows the menu again.
async fn sql_list(s: &mut Session) -> io::Result<Step<()>> {
    if !s.console.as_ref().map_or(true, |c| c.allows("sqlquery")) {
        s.error_msg("SQL query not authorized.\n").await?;
        return Ok(Step::Fail);
    }
    match s.ask("Enter SQL list command: ").await? {
        Answer::Text(_) => {
            s.text(format!("Query failed: {}\n", by_name::NO_SQL_ENGINE))
                .await?;
            Ok(Step::Go(()))
        }
        Answer::Cancel => Ok(Step::Fail),
        Answer::Gone => Ok(Step::Gone),
    }
}

/// Item 11: the JobIds (unless chosen before in the menu), the client, then full
/// directory names (or `<FILE`) up to a blank line.
async fn enter_directories(
    s: &mut Session,
    args: &Args,
    rx: &mut Rx,
    date: &str,
) -> io::Result<Step<Chosen>> {
    if !rx.jobids.is_empty() {
        s.text(format!(
            "You have already selected the following JobIds: {}\n",
            rx.jobids
        ))
        .await?;
    } else {
        match s
            .ask("Enter JobId(s), comma separated, to restore: ")
            .await?
        {
            Answer::Text(t) => {
                rx.last_jobid = t.clone();
                rx.jobids = t;
            }
            Answer::Cancel => {}
            Answer::Gone => return Ok(Step::Gone),
        }
    }
    if rx.jobids.is_empty() || rx.jobids.starts_with('.') {
        rx.jobids.clear();
        return Ok(Step::Fail);
    }
    enter_names(s, args, rx, date, true).await
}

/// Items 7 and 8 (files) and the end of 11 (directories): the client, then full names
/// (or `<FILE`) up to a blank line; a file is the version the last backup up to `date`
/// saved, a directory name gets its trailing `/`.
async fn enter_names(
    s: &mut Session,
    args: &Args,
    rx: &mut Rx,
    date: &str,
    dir: bool,
) -> io::Result<Step<Chosen>> {
    step!(client_name(s, args, rx).await?);
    let (intro, prompt) = if dir {
        ("Enter full directory names or start the name\nwith a < to indicate it is a filename containing a list\nof directories and Terminate them with a blank line.\n", "Enter directory name: ")
    } else {
        ("Enter file names with paths, or < to enter a filename\ncontaining a list of file names with paths, and Terminate\nthem with a blank line.\n", "Enter full filename: ")
    };
    s.text(intro).await?;
    loop {
        let mut name = match s.ask(prompt).await? {
            Answer::Text(t) if t.is_empty() => return Ok(Step::Go(Chosen::Names)),
            Answer::Text(t) => t,
            Answer::Cancel => return Ok(Step::Fail),
            Answer::Gone => return Ok(Step::Gone),
        };
        if dir && !name.starts_with('<') && !name.ends_with('/') {
            name.push('/');
        }
        by_name::insert(s, rx, &name, date, dir).await?;
    }
}

/// Item 1: the last 20 terminated backups (`uar_list_jobs`).
async fn last_jobs(s: &mut Session) -> io::Result<()> {
    let mut jobs = catalog_jobs();
    jobs.sort_by(|a, b| b.start.cmp(a.start));
    jobs.truncate(20);
    let rows = jobs
        .iter()
        .map(|j| {
            vec![
                j.id.to_string(),
                j.client.to_string(),
                j.start.to_string(),
                j.level.to_string(),
                grouped(j.files),
                grouped(j.bytes),
            ]
        })
        .collect();
    let table = Table {
        headers: vec![
            "jobid",
            "client",
            "starttime",
            "joblevel",
            "jobfiles",
            "jobbytes",
        ],
        rows,
        numeric: vec![true, false, false, false, true, true],
    };
    send_table(s, &table).await
}

/// Item 2: the jobs of a client that saved a file of that name (`uar_file`).
async fn jobs_with_file(s: &mut Session, client: &str, name: &str) -> io::Result<()> {
    let mut rows = Vec::new();
    let mut jobs = catalog_jobs();
    jobs.sort_by(|a, b| b.start.cmp(a.start));
    for job in jobs.iter().filter(|j| j.client == client) {
        for file in saved_files(job.id) {
            if file.path.rsplit('/').next() == Some(name) && !name.is_empty() {
                rows.push(vec![
                    job.id.to_string(),
                    file.path.clone(),
                    job.start.to_string(),
                    "B".to_string(),
                    "T".to_string(),
                    grouped(job.files),
                    grouped(job.bytes),
                ]);
            }
        }
    }
    rows.truncate(20);
    let table = Table {
        headers: vec![
            "jobid",
            "name",
            "starttime",
            "jobtype",
            "jobstatus",
            "jobfiles",
            "jobbytes",
        ],
        rows,
        numeric: vec![true, false, false, false, false, true, true],
    };
    send_table(s, &table).await
}

async fn send_table(s: &mut Session, table: &Table) -> io::Result<()> {
    for frame in table.frames(s.api == 0) {
        s.text(frame).await?;
    }
    Ok(())
}

/// `get_date`: asks until a date is given.
async fn ask_date(s: &mut Session) -> io::Result<Step<String>> {
    s.text(
        "The restored files will the most current backup\nBEFORE the date you specify below.\n\n",
    )
    .await?;
    loop {
        match s.ask("Enter date as YYYY-MM-DD HH:MM:SS :").await? {
            Answer::Text(t) => match full_date(&t) {
                Some(d) => return Ok(Step::Go(d)),
                None => s.error_msg("Improper date format.\n").await?,
            },
            Answer::Cancel => return Ok(Step::Fail),
            Answer::Gone => return Ok(Step::Gone),
        }
    }
}

/// `GetClientDbr`: `client=` (or `fd=`) if it is in the catalog, else the list of the
/// catalog's clients.
async fn catalog_client(s: &mut Session, args: &Args) -> io::Result<Step<String>> {
    let clients = catalog_clients();
    if let Some(name) = args.value("client").or_else(|| args.value("fd")) {
        if clients.iter().any(|c| c == name) {
            return Ok(Step::Go(name.to_string()));
        }
        s.error_msg(format!(
            "Could not find Client \"{name}\": ERR=Client record not found in Catalog.\n"
        ))
        .await?;
    }
    match s
        .choose(
            "Defined Clients:\n",
            &clients,
            "Client",
            "Select the Client",
        )
        .await?
    {
        Choice::Item(i) => Ok(Step::Go(clients[i].clone())),
        Choice::Gone => Ok(Step::Gone),
        Choice::Aborted | Choice::Empty => Ok(Step::Fail),
    }
}

/// `GetClientName` once per restore: the client chosen before, or asked now.
async fn client_name(s: &mut Session, args: &Args, rx: &mut Rx) -> io::Result<Step<String>> {
    if let Some(client) = &rx.client {
        return Ok(Step::Go(client.clone()));
    }
    let client = step!(backup_client(s, args).await?);
    rx.client = Some(client.clone());
    Ok(Step::Go(client))
}

/// `GetClientName`: the client the backup was made of, from `client=` /
/// `backupclient=` or chosen from the catalog.
async fn backup_client(s: &mut Session, args: &Args) -> io::Result<Step<String>> {
    for key in ["client", "backupclient"] {
        if let Some(name) = args.value(key) {
            if catalog_clients().iter().any(|c| c == name) {
                return Ok(Step::Go(name.to_string()));
            }
            s.error_msg(format!("invalid {key} argument: {name}\n"))
                .await?;
            return Ok(Step::Fail);
        }
    }
    catalog_client(s, args).await
}

/// `SelectBackupsBeforeDate`: client, FileSet, the last Full before the date and the
/// Differential and Incremental backups after it; shows them.
async fn backups_before(
    s: &mut Session,
    args: &Args,
    rx: &mut Rx,
    date: &str,
) -> io::Result<Step<()>> {
    let client = step!(catalog_client(s, args).await?);
    rx.client = Some(client.clone());
    let jobs = catalog_jobs();
    let mut filesets: Vec<&str> = jobs
        .iter()
        .filter(|j| j.client == client)
        .map(|j| j.fileset)
        .collect();
    filesets.sort();
    filesets.dedup();
    let mut fileset = None;
    if let Some(name) = args.value("fileset") {
        if jobs.iter().any(|j| j.fileset == name) {
            fileset = Some(name.to_string());
        } else {
            s.error_msg(format!(
                "Error getting FileSet \"{name}\": ERR=FileSet record \"{name}\" not found.\n"
            ))
            .await?;
        }
    }
    let fileset = match fileset {
        Some(f) => f,
        None => {
            let items: Vec<String> = filesets.iter().map(|f| f.to_string()).collect();
            match s
                .choose(
                    "The defined FileSet resources are:\n",
                    &items,
                    "FileSet",
                    "Select FileSet resource",
                )
                .await?
            {
                Choice::Item(i) => items[i].clone(),
                Choice::Gone => return Ok(Step::Gone),
                Choice::Aborted | Choice::Empty => {
                    s.error_msg(format!("No FileSet found for client \"{client}\".\n"))
                        .await?;
                    return Ok(Step::Fail);
                }
            }
        }
    };
    let in_pool = |j: &Job| {
        rx.pool
            .as_deref()
            .map_or(true, |p| j.volume().is_some() && p == "Full")
    };
    let candidates: Vec<&Job> = jobs
        .iter()
        .filter(|j| j.client == client && j.fileset == fileset && j.start < date)
        .collect();
    let Some(full) = candidates
        .iter()
        .filter(|j| j.level == "F" && in_pool(j))
        .max_by_key(|j| j.start)
    else {
        s.error_msg(format!("No Full backup before {date} found.\n"))
            .await?;
        return Ok(Step::Fail);
    };
    let mut chosen = vec![*full];
    let after_full = |level: &str, since: &str| {
        candidates
            .iter()
            .filter(|j| j.level == level && j.start > since && j.volume().is_some() && in_pool(j))
            .copied()
            .collect::<Vec<&Job>>()
    };
    let diff = after_full("D", full.start)
        .into_iter()
        .max_by_key(|j| j.start);
    let since = diff.map_or(full.start, |d| d.start);
    chosen.extend(diff);
    chosen.extend(after_full("I", since));
    chosen.sort_by_key(|j| j.start);
    rx.jobids = chosen
        .iter()
        .map(|j| j.id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let rows = chosen
        .iter()
        .filter_map(|j| {
            Some(vec![
                j.id.to_string(),
                j.level.to_string(),
                grouped(j.files),
                grouped(j.bytes),
                j.start.to_string(),
                j.volume()?.to_string(),
            ])
        })
        .collect();
    let table = Table {
        headers: vec![
            "jobid",
            "level",
            "jobfiles",
            "jobbytes",
            "starttime",
            "volumename",
        ],
        rows,
        numeric: vec![true, false, true, true, false, false],
    };
    send_table(s, &table).await?;
    Ok(Step::Go(()))
}

/// `FindJobDependencies`: the jobs that make up the state of each given job (its Full,
/// Differential and Incrementals up to it).
async fn job_dependencies(s: &mut Session, list: &str) -> io::Result<Step<String>> {
    let jobs = catalog_jobs();
    let mut found: Vec<u32> = Vec::new();
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Ok(id) = part.parse::<u32>() else {
            s.error_msg(format!("Could not parse jobid from '{part}'\n"))
                .await?;
            return Ok(Step::Fail);
        };
        if id == 0 {
            s.error_msg("0 is not a valid jobid\n").await?;
            return Ok(Step::Fail);
        }
        let Some(job) = jobs.iter().find(|j| j.id == id) else {
            s.error_msg(format!(
                "Unable to get Job record for JobId={id}: ERR=No Job found for JobId {id}\n\n"
            ))
            .await?;
            return Ok(Step::Fail);
        };
        s.text(format!(
            "Selecting jobs to build the Full state at {}\n",
            job.start
        ))
        .await?;
        let same =
            |j: &&Job| j.client == job.client && j.fileset == job.fileset && j.start <= job.start;
        let Some(full) = jobs
            .iter()
            .filter(same)
            .filter(|j| j.level == "F")
            .max_by_key(|j| j.start)
        else {
            s.error_msg(format!(
                "Could not determine the jobs to build the Full state at {}\n",
                job.start
            ))
            .await?;
            return Ok(Step::Fail);
        };
        found.push(full.id);
        found.extend(
            jobs.iter()
                .filter(same)
                .filter(|j| j.level != "F" && j.start > full.start)
                .map(|j| j.id),
        );
    }
    Ok(Step::Go(
        found
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(","),
    ))
}

/// The JobIds checked against the catalog; `You have selected the following JobId...`.
async fn check_jobids(s: &mut Session, rx: &mut Rx) -> io::Result<Step<Vec<u32>>> {
    let Some(ids) = parse_jobids(&rx.jobids) else {
        s.error_msg("Invalid JobId in list.\n").await?;
        return Ok(Step::Fail);
    };
    let jobs = catalog_jobs();
    let mut kept: Vec<u32> = Vec::new();
    for id in ids {
        if kept.last() == Some(&id) {
            continue;
        }
        if !jobs.iter().any(|j| j.id == id) {
            s.error_msg(format!(
                "Unable to get Job record for JobId={id}: ERR=No Job found for JobId {id}\n\n"
            ))
            .await?;
            return Ok(Step::Fail);
        }
        kept.push(id);
    }
    if kept.is_empty() {
        s.warning_msg("No Jobs selected.\n").await?;
        return Ok(Step::Fail);
    }
    rx.jobids = kept
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    if kept.len() > 1 {
        s.info_msg(format!(
            "You have selected the following JobIds: {}\n",
            rx.jobids
        ))
        .await?;
    } else {
        s.info_msg(format!(
            "You have selected the following JobId: {}\n",
            rx.jobids
        ))
        .await?;
    }
    Ok(Step::Go(kept))
}

/// `BuildDirectoryTree`: the tree with progress ticks, then the file selection unless
/// `done` was given; `None` when the jobs have no files and all of them are restored.
async fn build_tree(
    s: &mut Session,
    args: &Args,
    rx: &Rx,
    jobs: &[u32],
) -> io::Result<Step<Option<Tree>>> {
    s.info_msg(format!(
        "\nBuilding directory tree for JobId(s) {} ...  ",
        rx.jobids
    ))
    .await?;
    let files: Vec<_> = jobs.iter().map(|&id| saved_files(id)).collect();
    let mut tree = Tree::build(&files, rx.all);
    for _ in 0..tree.ticks {
        s.text("+").await?;
    }
    if tree.file_count == 0 {
        return no_files(s, args).await;
    }
    if rx.all {
        s.info_msg(format!(
            "\n{} files inserted into the tree and marked for extraction.\n",
            grouped(tree.file_count)
        ))
        .await?;
    } else {
        s.info_msg(format!(
            "\n{} files inserted into the tree.\n",
            grouped(tree.rows)
        ))
        .await?;
    }
    if !args.has("done") {
        match s.select_files(&mut tree).await? {
            Leave::Done => {}
            Leave::Quit => {
                s.text("Restore not done.\n").await?;
                return Ok(Step::Fail);
            }
            Leave::Gone => return Ok(Step::Gone),
        }
    }
    Ok(Step::Go(Some(tree)))
}

/// `AskForFileregex` for jobs without files: restoring all of them finds nothing to
/// read either.
async fn no_files(s: &mut Session, args: &Args) -> io::Result<Step<Option<Tree>>> {
    if !args.has("all") {
        s.text("\n\nFor one or more of the JobIds selected, no files were found,\nso file selection is not possible.\nMost likely your retention policy pruned the files.\n")
            .await?;
        let all = match s
            .yes_no("\nDo you want to restore all the files? (yes|no): ")
            .await?
        {
            None => return Ok(Step::Gone),
            Some(answer) => answer,
        };
        let regexp = match all {
            Some(true) => true,
            None => false,
            Some(false) => match s
                .ask("\nRegexp matching files to restore? (empty to abort): ")
                .await?
            {
                Answer::Gone => return Ok(Step::Gone),
                Answer::Text(t) => !t.is_empty(),
                Answer::Cancel => false,
            },
        };
        if !regexp {
            s.text("Restore not done.\n").await?;
            return Ok(Step::Fail);
        }
    }
    s.info_msg("No files found to read. No bootstrap file written.\n")
        .await?;
    Ok(Step::Go(None))
}

/// `DisplayBsrInfo`: the volumes the restore reads.
async fn display_volumes(s: &mut Session, jobs: &[u32]) -> io::Result<()> {
    s.text("\n").await?;
    s.text("The job will require the following\n   Volume(s)                 Storage(s)                SD Device(s)\n===========================================================================\n")
        .await?;
    s.text("   \n").await?;
    let mut volumes: Vec<&str> = Vec::new();
    for job in catalog_jobs().iter().filter(|j| jobs.contains(&j.id)) {
        if let Some(v) = job.volume() {
            if !volumes.contains(&v) {
                volumes.push(v);
            }
        }
    }
    for volume in &volumes {
        s.text(format!(
            "    {volume:<25} {:<25} {:<25}\n",
            "File", "FileStorage"
        ))
        .await?;
    }
    if volumes.is_empty() {
        s.text("No Volumes found to restore.\n").await?;
    } else {
        s.text("\nVolumes marked with \"*\" are online.\n").await?;
    }
    s.text("\n").await
}

/// The restore job `restore` hands to `run`.
struct RestoreRun {
    bootstrap: String,
    where_: String,
    replace: String,
    client: String,
    restore_client: String,
    files: u64,
}

impl RestoreRun {
    /// `DisplayJobParameters` of a restore job (API 0 layout; API 1 adds `Type:` and
    /// `Title:` after RUN_CMD).
    fn settings(&self, api: u8) -> String {
        let head = if api > 0 {
            "Type: Restore\nTitle: Run Restore job\n"
        } else {
            "Run Restore job\n"
        };
        format!(
            "{head}JobName:         {RESTORE_JOB}\nBootstrap:       {}\nWhere:           {}\nReplace:         {}\nFileSet:         SelfTest\nBackup Client:   {}\nRestore Client:  {}\nFormat:          Native\nStorage:         File\nWhen:            {}\nCatalog:         MyCatalog\nPriority:        10\nPlugin Options:  *None*\n",
            self.bootstrap,
            self.where_,
            self.replace,
            self.client,
            self.restore_client,
            super::prompts::now_text()
        )
    }
}

/// The `run` of the restore job: its settings and `OK to run? (yes/mod/no):` unless
/// `yes` was given; `mod` offers the restore parameters (`Where` can be changed).
async fn run_restore_job(s: &mut Session, mut job: RestoreRun, yes: bool) -> io::Result<Step<()>> {
    if !s.catalog_announced && s.api == 0 {
        s.catalog_announced = true;
        s.text("Using Catalog \"MyCatalog\"\n").await?;
    }
    if !yes {
        loop {
            if s.api > 0 {
                s.conn.signal(Signal::RunCmd).await?;
            }
            let settings = job.settings(s.api);
            s.text(settings).await?;
            match ask_ok_to_run(s).await? {
                RunAnswer::Gone => return Ok(Step::Gone),
                RunAnswer::Cancel | RunAnswer::No => {
                    s.text("Job not run.\n").await?;
                    return Ok(Step::Go(()));
                }
                RunAnswer::Yes => break,
                RunAnswer::Mod => {}
            }
            match s.choose_parameter(&RESTORE_PARAMETERS).await? {
                Choice::Item(9) => {
                    match s
                        .ask("Please enter the full path prefix for restore (/ for none): ")
                        .await?
                    {
                        Answer::Text(t) => job.where_ = if t == "/" { String::new() } else { t },
                        Answer::Cancel => {}
                        Answer::Gone => return Ok(Step::Gone),
                    }
                }
                Choice::Item(_) => {}
                Choice::Gone => return Ok(Step::Gone),
                Choice::Aborted | Choice::Empty => {
                    s.text("Job not run.\n").await?;
                    return Ok(Step::Go(()));
                }
            }
        }
    }
    let id = s.config.runs.start(
        s.config.catalog.next_jobid(),
        RESTORE_JOB,
        &job.restore_client,
        "F",
        "T".to_string(),
    );
    tracing::debug!(files = job.files, "restore job queued");
    s.text(format!("Job queued. JobId={id}\n")).await?;
    Ok(Step::Go(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_dates_are_completed() {
        assert_eq!(
            full_date("2026-11-26 17:44:10").as_deref(),
            Some("2026-11-26 17:44:10")
        );
        assert_eq!(
            full_date("2026-11-26 17").as_deref(),
            Some("2026-11-26 17:00:00")
        );
        assert_eq!(full_date("2026-11").as_deref(), Some("2026-11-01 00:00:00"));
        assert_eq!(full_date("2026").as_deref(), Some("2026-01-01 00:00:00"));
        assert_eq!(full_date("yesterday"), None);
        assert_eq!(full_date("26-11-2026"), None);
    }

    #[test]
    fn jobid_lists() {
        assert_eq!(parse_jobids("1, 3,4"), Some(vec![1, 3, 4]));
        assert_eq!(parse_jobids("1,x"), None);
        assert_eq!(parse_jobids(""), Some(vec![]));
    }
}
