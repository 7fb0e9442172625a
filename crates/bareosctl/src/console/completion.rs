//! Tab completion driven by the director, as bconsole does it: command names from
//! `.help all`, keywords from `.help item=CMD`, values of `job=`, `client=`, ... from the
//! resource dot commands, and file names inside the restore tree. Lists are cached per
//! connection; every query is bounded by the connection's read timeout.

use bareos::{blocking, ApiMode};
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// The director connection shared by the REPL and the completer.
pub type Shared = Rc<RefCell<blocking::Director>>;

/// Commands of the restore file-selection tree.
const TREE_COMMANDS: &[&str] = &[
    "add",
    "cd",
    "count",
    "delete",
    "dir",
    "done",
    "estimate",
    "exit",
    "find",
    "help",
    "ls",
    "lsmark",
    "mark",
    "markdir",
    "pwd",
    "quit",
    "unmark",
    "unmarkdir",
];

/// The dot command listing the values of a keyword.
pub fn values_command(keyword: &str) -> Option<&'static str> {
    Some(match keyword {
        "job" | "jobname" => ".jobs",
        "client" | "restoreclient" | "fd" => ".clients",
        "pool" | "nextpool" | "fullpool" | "incrementalpool" | "differentialpool" => ".pools",
        "storage" | "sd" => ".storages",
        "fileset" => ".filesets",
        "level" => ".levels",
        "schedule" => ".schedule",
        "volume" | "media" => ".media",
        "catalog" => ".catalogs",
        "jobdefs" => ".jobdefs",
        "msgs" | "messages" => ".msgs",
        "profile" => ".profiles",
        "volstatus" => ".volstatus",
        "actiononpurge" => ".actiononpurge",
        _ => return None,
    })
}

/// The rustyline helper.
pub struct ConsoleHelper {
    director: Shared,
    cache: RefCell<HashMap<String, Vec<String>>>,
}

impl ConsoleHelper {
    /// A helper for this connection.
    pub fn new(director: Shared) -> Self {
        ConsoleHelper {
            director,
            cache: RefCell::new(HashMap::new()),
        }
    }

    /// Forgets cached lists (after a reconnect).
    pub fn clear_cache(&self) {
        self.cache.borrow_mut().clear();
    }

    /// Runs a dot command and returns its items (cached).
    fn items(&self, command: &str) -> Vec<String> {
        if let Some(items) = self.cache.borrow().get(command) {
            return items.clone();
        }
        let Ok(mut director) = self.director.try_borrow_mut() else {
            return Vec::new();
        };
        let items = match director.api_mode() {
            ApiMode::Json => match director.call_json(command) {
                Ok(value) => json_items(&value),
                Err(e) => {
                    tracing::debug!("completion query '{command}' failed: {e}");
                    return Vec::new();
                }
            },
            _ => match director.call(command) {
                Ok(reply) if !reply.is_prompt() => text_items(&reply.text()),
                Ok(_) => {
                    let _ = director.cancel_prompt();
                    return Vec::new();
                }
                Err(e) => {
                    tracing::debug!("completion query '{command}' failed: {e}");
                    return Vec::new();
                }
            },
        };
        drop(director);
        self.cache
            .borrow_mut()
            .insert(command.to_string(), items.clone());
        items
    }

    /// Items of a tree command (never cached: they depend on the current directory).
    fn tree_items(&self, command: &str) -> Vec<String> {
        let Ok(mut director) = self.director.try_borrow_mut() else {
            return Vec::new();
        };
        match director.answer(command) {
            Ok(reply) => {
                let text = reply.text();
                let body = match reply.prompt() {
                    Some(p) => text.strip_suffix(p.text.as_str()).unwrap_or(&text),
                    None => &text,
                };
                text_items(body)
                    .into_iter()
                    .map(|item| item.trim_start_matches('*').to_string())
                    .collect()
            }
            Err(e) => {
                tracing::debug!("tree completion '{command}' failed: {e}");
                Vec::new()
            }
        }
    }

    /// Candidates for the word ending at `pos`.
    pub fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let line = &line[..pos];
        let start = line.rfind(char::is_whitespace).map_or(0, |i| i + 1);
        let word = &line[start..];
        let first = line.split_whitespace().next().unwrap_or("");
        let is_first = line[..start].trim().is_empty();
        let (at_prompt, in_tree) = match self.director.try_borrow() {
            Ok(d) => (d.at_prompt(), d.in_restore_tree()),
            Err(_) => return (start, Vec::new()),
        };
        let pool: Vec<String> = if in_tree && at_prompt {
            if is_first {
                TREE_COMMANDS.iter().map(|s| s.to_string()).collect()
            } else {
                match first {
                    "cd" => self.tree_items(".lsdir"),
                    "ls" | "dir" | "mark" | "unmark" | "markdir" | "unmarkdir" | "add"
                    | "delete" => self.tree_items(".ls"),
                    _ => Vec::new(),
                }
            }
        } else if at_prompt {
            Vec::new()
        } else if is_first {
            self.items(".help all")
        } else if let Some((key, _)) = word.split_once('=') {
            let key_lower = key.to_ascii_lowercase();
            match values_command(&key_lower) {
                Some(command) => self
                    .items(command)
                    .into_iter()
                    .map(|v| {
                        if v.contains(char::is_whitespace) {
                            format!("{key}=\"{v}\"")
                        } else {
                            format!("{key}={v}")
                        }
                    })
                    .collect(),
                None => Vec::new(),
            }
        } else {
            let usage = self.items(&format!(".help item={first}"));
            keywords(&usage.join(" "))
        };
        let mut matches: Vec<String> = pool.into_iter().filter(|c| c.starts_with(word)).collect();
        matches.sort();
        matches.dedup();
        (start, matches)
    }
}

/// Lines of a text reply as items (empty lines and decorations dropped).
fn text_items(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("You have messages"))
        .map(str::to_string)
        .collect()
}

/// Items from a JSON result: every `name` value, or the keys of an object of objects.
fn json_items(value: &Value) -> Vec<String> {
    let mut names = Vec::new();
    collect_names(value, &mut names);
    if names.is_empty() {
        if let Value::Object(map) = value {
            names = map.keys().cloned().collect();
        }
    }
    names
}

fn collect_names(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("name", Value::String(s)) => out.push(s.clone()),
                    _ => collect_names(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_names(v, out)),
        _ => {}
    }
}

/// Keywords from a usage text: `job=<name> | jobid=<id> [yes]` gives `job=`, `jobid=`,
/// `yes`.
pub fn keywords(usage: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in usage.split(|c: char| c.is_whitespace() || c == '|') {
        let word = raw.trim_matches(|c| matches!(c, '[' | ']' | '(' | ')' | '{' | '}' | ','));
        if word.is_empty() || word.starts_with('<') || word.starts_with('-') {
            continue;
        }
        let keyword = match word.split_once('=') {
            Some((k, _)) => format!("{k}="),
            None => word.to_string(),
        };
        let name = keyword.trim_end_matches('=');
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        {
            out.push(keyword);
        }
    }
    out
}

impl Completer for ConsoleHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, candidates) = self.candidates(line, pos);
        let pairs = candidates
            .into_iter()
            .map(|c| {
                let replacement = if c.ends_with('=') {
                    c.clone()
                } else {
                    format!("{c} ")
                };
                Pair {
                    display: c,
                    replacement,
                }
            })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for ConsoleHelper {
    type Hint = String;
}
impl Highlighter for ConsoleHelper {}
impl Validator for ConsoleHelper {}
impl Helper for ConsoleHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_from_usage() {
        assert_eq!(
            keywords("job=<job-name> | jobid=<nn> [yes] client=<client-name>"),
            ["job=", "jobid=", "yes", "client="]
        );
    }

    #[test]
    fn json_names() {
        let v: Value = serde_json::from_str(r#"{"jobs":[{"name":"a"},{"name":"b"}]}"#).unwrap();
        assert_eq!(json_items(&v), ["a", "b"]);
        let v: Value = serde_json::from_str(r#"{"list":{},"run":{}}"#).unwrap();
        assert_eq!(json_items(&v), ["list", "run"]);
    }
}
