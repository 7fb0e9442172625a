//! The restore file-selection tree (`ua_tree.cc`, `lib/tree.cc`): the tree built from
//! the selected jobs' files and the `$ ` mini-shell with `ls`, `dir`, `cd`, `mark`,
//! `unmark`, `estimate`, `find`, `done`, `quit` and the rest of its commands.

use super::catalog::grouped;
use super::files::{Kind, SavedFile};
use super::select::Answer;
use super::Session;
use bareos_proto::Signal;
use std::collections::BTreeMap;
use std::io;

/// What a tree node stands for (`tree_node_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NodeKind {
    Root,
    /// A directory that only exists as the parent of saved entries.
    NewDir,
    Dir,
    File,
}

#[derive(Debug)]
struct Node {
    name: String,
    kind: NodeKind,
    /// Regular file (counted by `estimate`).
    regular: bool,
    size: u64,
    parent: Option<usize>,
    /// Children by name, in byte order like the director's tree.
    children: BTreeMap<String, usize>,
    extract: bool,
    extract_descendant: bool,
}

/// The file tree of one restore.
#[derive(Debug)]
pub(super) struct Tree {
    nodes: Vec<Node>,
    cwd: usize,
    /// Rows inserted (`tree.cnt`).
    pub rows: u64,
    /// Nodes created by a row (`tree.FileCount`).
    pub file_count: u64,
    /// `+` progress ticks printed while building.
    pub ticks: u64,
}

/// How the `$ ` prompt was left.
pub(super) enum Leave {
    /// `done`, `exit` or a cancelled prompt: go on with the restore.
    Done,
    /// `quit` or `abort`: no restore.
    Quit,
    /// The connection went away.
    Gone,
}

/// The commands of the tree in the director's order: a typed word runs the first one
/// it is a prefix of.
const COMMANDS: [(&str, &str); 26] = [
    ("abort", "abort and do not do restore"),
    (
        "add",
        "add dir/file to be restored recursively, wildcards allowed",
    ),
    ("cd", "change current directory"),
    ("count", "count marked files in and below the cd"),
    (
        "delete",
        "delete dir/file to be restored recursively in dir",
    ),
    ("dir", "long list current directory, wildcards allowed"),
    (".dir", "long list current directory, wildcards allowed"),
    ("done", "leave file selection mode"),
    ("estimate", "estimate restore size"),
    ("exit", "same as done command"),
    ("find", "find files, wildcards allowed"),
    ("help", "print help"),
    ("ls", "list current directory, wildcards allowed"),
    (".ls", "list current directory, wildcards allowed"),
    (
        ".lsdir",
        "list subdir in current directory, wildcards allowed",
    ),
    ("lsmark", "list the marked files in and below the cd"),
    (".lsmark", "list the marked files in"),
    (
        "mark",
        "mark dir/file to be restored recursively, wildcards allowed",
    ),
    ("markdir", "mark directory name to be restored (no files)"),
    ("pwd", "print current working directory"),
    (".pwd", "print current working directory"),
    (
        "unmark",
        "unmark dir/file to be restored recursively in dir",
    ),
    ("unmarkdir", "unmark directory name only no recursion"),
    ("quit", "quit and do not do restore"),
    (".help", "print help"),
    ("?", "print help"),
];

/// `fnmatch(pattern, name, 0)`: `*`, `?`, `[...]` (with `!` and ranges) and `\`
/// escapes; `*` also matches `/`.
pub(super) fn fnmatch(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match p.first() {
            None => n.is_empty(),
            Some('*') => (0..=n.len()).any(|i| go(&p[1..], &n[i..])),
            Some('?') => !n.is_empty() && go(&p[1..], &n[1..]),
            Some('[') => {
                let Some(c) = n.first() else { return false };
                let mut i = 1;
                let negate = matches!(p.get(1), Some('!') | Some('^'));
                if negate {
                    i += 1;
                }
                let mut matched = false;
                let mut first = true;
                while i < p.len() && (first || p[i] != ']') {
                    first = false;
                    if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
                        matched |= p[i] <= *c && *c <= p[i + 2];
                        i += 3;
                    } else {
                        matched |= p[i] == *c;
                        i += 1;
                    }
                }
                if i >= p.len() {
                    // No closing bracket: a literal `[`.
                    return *c == '[' && go(&p[1..], &n[1..]);
                }
                matched != negate && go(&p[i + 1..], &n[1..])
            }
            Some('\\') if p.len() > 1 => n.first() == Some(&p[1]) && go(&p[2..], &n[1..]),
            Some(c) => n.first() == Some(c) && go(&p[1..], &n[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}

/// `split_path` of `MarkElements`: path parts, an empty or `**` last part is `*`.
fn split_path(path: &str) -> Vec<String> {
    let mut parts: Vec<String> = path.split('/').map(String::from).collect();
    if let Some(last) = parts.last_mut() {
        if last.is_empty() || last == "**" {
            *last = "*".into();
        }
    }
    parts
}

/// `encode_time`: `YYYY-MM-DD HH:MM:SS` of the catalog's backup time.
const SAVED_AT: &str = "2026-11-26 17:44:06";

impl Tree {
    /// Builds the tree from the saved files of the selected jobs, counting progress
    /// ticks as the director does (one `+` per 1/50 of the first job's files).
    pub(super) fn build(jobs: &[Vec<SavedFile>], all: bool) -> Tree {
        let mut tree = Tree {
            nodes: vec![Node {
                name: String::new(),
                kind: NodeKind::Root,
                regular: false,
                size: 0,
                parent: None,
                children: BTreeMap::new(),
                extract: false,
                extract_descendant: false,
            }],
            cwd: 0,
            rows: 0,
            file_count: 0,
            ticks: 0,
        };
        let delta = jobs.first().map_or(0, |f| f.len() as u64 / 50);
        let mut last = 0;
        for file in jobs.iter().flatten() {
            let created = tree.insert(file, all);
            if created {
                tree.file_count += 1;
                if delta > 0 && tree.file_count - last > delta {
                    tree.ticks += 1;
                    last = tree.file_count;
                }
            }
            tree.rows += 1;
        }
        tree
    }

    /// Inserts one saved entry; `true` when its node is new.
    fn insert(&mut self, file: &SavedFile, all: bool) -> bool {
        let path = file.path.trim_end_matches('/');
        let parts: Vec<&str> = path.split('/').skip(1).collect();
        let mut at = 0;
        let mut created = false;
        for (i, part) in parts.iter().enumerate() {
            let last = i + 1 == parts.len();
            at = match self.nodes[at].children.get(*part) {
                Some(&child) => {
                    created = false;
                    child
                }
                None => {
                    let id = self.nodes.len();
                    self.nodes.push(Node {
                        name: part.to_string(),
                        kind: NodeKind::NewDir,
                        regular: false,
                        size: 0,
                        parent: Some(at),
                        children: BTreeMap::new(),
                        extract: false,
                        extract_descendant: false,
                    });
                    self.nodes[at].children.insert(part.to_string(), id);
                    created = last;
                    id
                }
            };
        }
        let node = &mut self.nodes[at];
        node.kind = match file.kind {
            Kind::Dir => NodeKind::Dir,
            Kind::File | Kind::Special => NodeKind::File,
        };
        node.regular = file.kind == Kind::File;
        node.size = file.size;
        if all {
            node.extract = true;
        }
        created
    }

    fn has_children(&self, id: usize) -> bool {
        !self.nodes[id].children.is_empty()
    }

    /// `tree_getpath`: the full path, directories with a trailing `/`.
    fn path(&self, id: usize) -> String {
        let mut names = Vec::new();
        let mut at = Some(id);
        while let Some(i) = at {
            names.push(i);
            at = self.nodes[i].parent;
        }
        let mut path = String::new();
        for &i in names.iter().rev() {
            let node = &self.nodes[i];
            path.push_str(&node.name);
            if node.kind != NodeKind::File && path != "/" {
                path.push('/');
            }
        }
        path
    }

    /// All nodes but the root, depth first in name order.
    fn walk(&self) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<usize> = self.nodes[0].children.values().rev().copied().collect();
        while let Some(id) = stack.pop() {
            out.push(id);
            stack.extend(self.nodes[id].children.values().rev().copied());
        }
        out
    }

    /// Entries marked to be restored (`rx->selected_files`).
    pub(super) fn selected(&self) -> u64 {
        self.walk()
            .into_iter()
            .filter(|&id| self.nodes[id].extract && self.nodes[id].kind != NodeKind::NewDir)
            .count() as u64
    }

    fn tag(&self, id: usize, none: &'static str) -> &'static str {
        let node = &self.nodes[id];
        if node.extract {
            "*"
        } else if node.extract_descendant {
            "+"
        } else {
            none
        }
    }

    /// `SetExtract`: marks or unmarks a node and everything below; the count of
    /// saved entries that changed.
    fn set_extract(&mut self, id: usize, extract: bool) -> u64 {
        let mut count = 0;
        let node = &self.nodes[id];
        if node.extract != extract && !matches!(node.kind, NodeKind::NewDir | NodeKind::Root) {
            count += 1;
        }
        self.nodes[id].extract = extract;
        if self.nodes[id].kind != NodeKind::File {
            let children: Vec<usize> = self.nodes[id].children.values().copied().collect();
            for child in children {
                count += self.set_extract(child, extract);
            }
        }
        let mut at = id;
        if extract {
            while let Some(parent) = self.nodes[at].parent {
                if self.nodes[parent].extract_descendant {
                    break;
                }
                self.nodes[parent].extract_descendant = true;
                at = parent;
            }
        } else {
            while let Some(parent) = self.nodes[at].parent {
                if !self.nodes[parent].extract_descendant {
                    break;
                }
                let keep = self.nodes[parent]
                    .children
                    .values()
                    .any(|&c| self.nodes[c].extract || self.nodes[c].extract_descendant);
                self.nodes[parent].extract_descendant = keep;
                at = parent;
            }
        }
        count
    }

    /// `MarkElements`: marks (or unmarks) what the arguments match, relative to the
    /// current directory or absolute, with `*`, `?`, `[...]` and `**`.
    fn mark_elements(&mut self, args: &[String], extract: bool) -> u64 {
        let mut count = 0;
        for arg in args {
            let arg = arg.strip_suffix('/').unwrap_or(arg);
            let mut parts = split_path(arg);
            let mut stack = Vec::new();
            if parts[0].is_empty() {
                if parts.len() == 1 {
                    parts.push("*".into());
                }
                stack.push((0, 1));
            } else {
                stack.push((self.cwd, 0));
            }
            while let Some((node, index)) = stack.pop() {
                let part = parts[index].clone();
                let children: Vec<usize> = self.nodes[node].children.values().copied().collect();
                if part == "**" {
                    stack.push((node, index + 1));
                    for child in children {
                        if self.nodes[child].kind != NodeKind::File {
                            stack.push((child, index));
                        }
                    }
                    continue;
                }
                for child in children {
                    if fnmatch(&part, &self.nodes[child].name) {
                        if index + 1 == parts.len() {
                            count += self.set_extract(child, extract);
                        } else if self.nodes[child].kind != NodeKind::File {
                            stack.push((child, index + 1));
                        }
                    }
                }
            }
        }
        count
    }

    /// `tree_cwd`: `.`, `..`, absolute or relative paths, one segment at a time, a
    /// segment may be a pattern; a file without children is no directory.
    fn find_dir(&self, path: &str, from: usize) -> Option<usize> {
        if path == "." {
            return Some(from);
        }
        if path == ".." || path.starts_with("../") {
            let parent = self.nodes[from].parent.unwrap_or(from);
            return match path.strip_prefix("../") {
                Some(rest) => self.find_dir(rest, parent),
                None => Some(parent),
            };
        }
        if let Some(rest) = path.strip_prefix('/') {
            return self.relative(rest, 0);
        }
        self.relative(path, from)
    }

    fn relative(&self, path: &str, from: usize) -> Option<usize> {
        if path.is_empty() {
            return Some(from);
        }
        let (segment, rest) = match path.split_once('/') {
            Some((s, r)) => (s, Some(r)),
            None => (path, None),
        };
        let found =
            self.nodes[from].children.values().copied().find(|&c| {
                self.nodes[c].name == segment || fnmatch(segment, &self.nodes[c].name)
            })?;
        if self.nodes[found].kind == NodeKind::File && !self.has_children(found) {
            return None;
        }
        match rest {
            Some(rest) => self.relative(rest, found),
            None => Some(found),
        }
    }

    /// One line of `dir` (`ls_output`), or of `.dir` with `dot`.
    fn long_line(&self, id: usize, dot: bool) -> String {
        let node = &self.nodes[id];
        let (mode, links, size, time) = match node.kind {
            NodeKind::Dir => ("drwxr-xr-x", 2, 4096, SAVED_AT),
            NodeKind::File if node.regular => ("-rw-r--r--", 1, node.size, SAVED_AT),
            NodeKind::File => ("lrwxrwxrwx", 1, 0, SAVED_AT),
            // Not in the catalog: no attributes.
            NodeKind::NewDir | NodeKind::Root => ("----------", 0, 0, "1970-01-01 00:00:00"),
        };
        let path = self.path(id);
        if dot {
            let tag = self.tag(id, " ");
            format!("{mode},{links},0(root),0(root),{size},{time},{tag},{path}")
        } else {
            let tag = self.tag(id, " ");
            format!("{mode}  {links:>2} 0 (root) 0 (root)  {size:>12}  {time} {tag} {path}")
        }
    }
}

impl Session {
    /// Sends tree output as data in every API mode (the tree's own console context).
    async fn say(&mut self, text: impl AsRef<[u8]>) -> io::Result<()> {
        self.conn.data(text).await
    }

    /// `UserSelectFilesFromTree`: the intro, START_RTREE, `cwd is: /` and the `$ `
    /// prompt until `done`, `quit` or a cancelled prompt; END_RTREE at the end.
    pub(super) async fn select_files(&mut self, tree: &mut Tree) -> io::Result<Leave> {
        self.say("\nYou are now entering file selection mode where you add (mark) and\nremove (unmark) files to be restored. No files are initially added, unless\nyou used the \"all\" keyword on the command line.\nEnter \"done\" to leave this mode.\n\n")
            .await?;
        self.conn.signal(Signal::StartRtree).await?;
        tree.cwd = 0;
        self.say(format!("cwd is: {}\n", tree.path(0))).await?;
        let leave = loop {
            let line = match self.ask_sub("$ ").await? {
                Answer::Gone => return Ok(Leave::Gone),
                Answer::Cancel => break Leave::Done,
                Answer::Text(line) => line,
            };
            if self.api > 0 {
                self.conn.signal(Signal::CmdBegin).await?;
            }
            let words = bareos_proto::command::shell_split(&line)
                .unwrap_or_else(|_| line.split_whitespace().map(String::from).collect());
            let Some(first) = words.first() else {
                self.invalid_tree_command(&line).await?;
                continue;
            };
            let typed = first.to_ascii_lowercase();
            let Some(command) = COMMANDS
                .iter()
                .map(|(name, _)| *name)
                .find(|name| name.starts_with(&typed))
            else {
                if !typed.starts_with('.') {
                    self.invalid_tree_command(&line).await?;
                }
                continue;
            };
            let go_on = self.tree_command(tree, command, &words[1..]).await?;
            if self.api > 0 {
                self.conn.signal(Signal::CmdOk).await?;
            }
            match go_on {
                Some(true) => {}
                Some(false) => break Leave::Done,
                None => break Leave::Quit,
            }
        };
        self.conn.signal(Signal::EndRtree).await?;
        Ok(leave)
    }

    async fn invalid_tree_command(&mut self, line: &str) -> io::Result<()> {
        self.warning_msg(format!(
            "Invalid command \"{line}\". Enter \"done\" to exit.\n"
        ))
        .await?;
        if self.api > 0 {
            self.conn.signal(Signal::CmdFailed).await?;
        }
        Ok(())
    }

    /// Runs one tree command: `Some(true)` goes on, `Some(false)` is done, `None` quits.
    async fn tree_command(
        &mut self,
        tree: &mut Tree,
        command: &str,
        args: &[String],
    ) -> io::Result<Option<bool>> {
        let cwd = tree.cwd;
        let pattern = args.first().map(String::as_str);
        let shown =
            |tree: &Tree, id: usize| pattern.map_or(true, |p| fnmatch(p, &tree.nodes[id].name));
        let children: Vec<usize> = tree.nodes[cwd].children.values().copied().collect();
        match command {
            "abort" | "quit" => return Ok(None),
            "done" | "exit" => return Ok(Some(false)),
            "add" | "mark" | "delete" | "unmark" => {
                let extract = matches!(command, "add" | "mark");
                let (none, one, many) = if extract {
                    (
                        "No files newly marked.\n",
                        "1 file newly marked.\n",
                        "files newly marked.",
                    )
                } else {
                    (
                        "No files newly unmarked.\n",
                        "1 file newly unmarked.\n",
                        "files newly unmarked.",
                    )
                };
                if args.is_empty() || children.is_empty() {
                    let text = if extract { "No files marked.\n" } else { none };
                    self.say(text).await?;
                    return Ok(Some(true));
                }
                let text = match tree.mark_elements(args, extract) {
                    0 => none.to_string(),
                    1 => one.to_string(),
                    n => format!("{} {many}\n", grouped(n)),
                };
                self.say(text).await?;
            }
            "markdir" | "unmarkdir" => {
                let extract = command == "markdir";
                if args.is_empty() || children.is_empty() {
                    let text = if extract {
                        "No directories marked.\n"
                    } else {
                        "No directories newly unmarked.\n"
                    };
                    self.say(text).await?;
                    return Ok(Some(true));
                }
                let mut count = 0u64;
                for arg in args {
                    let arg = arg.strip_suffix('/').unwrap_or(arg);
                    for &child in &children {
                        if fnmatch(arg, &tree.nodes[child].name)
                            && tree.nodes[child].kind == NodeKind::Dir
                        {
                            tree.nodes[child].extract = extract;
                            count += 1;
                        }
                    }
                }
                let verb = if extract { "marked" } else { "unmarked" };
                let text = match count {
                    0 => format!("No directories newly {verb}.\n"),
                    1 => format!("1 directory newly {verb}.\n"),
                    n if extract => format!("{} directories newly marked.\n", grouped(n)),
                    n => format!("{n} directories newly unmarked.\n"),
                };
                self.say(text).await?;
            }
            "cd" => {
                if args.len() != 1 {
                    self.error_msg("Too few or too many arguments. Try using double quotes.\n")
                        .await?;
                    return Ok(Some(true));
                }
                match tree.find_dir(&args[0], cwd) {
                    Some(id) => tree.cwd = id,
                    None => self.warning_msg("Invalid path given.\n").await?,
                }
                self.pwd(tree).await?;
            }
            "pwd" => self.pwd(tree).await?,
            ".pwd" => self.say(tree.path(cwd)).await?,
            "count" => {
                let nodes = tree.walk();
                let saved: Vec<usize> = nodes
                    .into_iter()
                    .filter(|&id| tree.nodes[id].kind != NodeKind::NewDir)
                    .collect();
                let marked = saved.iter().filter(|&&id| tree.nodes[id].extract).count();
                self.say(format!(
                    "{} total files/dirs. {} marked to be restored.\n",
                    grouped(saved.len() as u64),
                    grouped(marked as u64)
                ))
                .await?;
            }
            "estimate" => {
                let (mut total, mut marked, mut bytes) = (0u64, 0u64, 0u64);
                for id in tree.walk() {
                    let node = &tree.nodes[id];
                    if node.kind == NodeKind::NewDir {
                        continue;
                    }
                    total += 1;
                    if node.extract && node.kind == NodeKind::File {
                        marked += 1;
                        if node.regular {
                            bytes += node.size;
                        }
                    } else if node.extract || node.extract_descendant {
                        marked += 1;
                    }
                }
                self.say(format!(
                    "{total} total files; {marked} marked to be restored; {} bytes.\n",
                    grouped(bytes)
                ))
                .await?;
            }
            "find" => {
                if args.is_empty() {
                    self.say("No file specification given.\n").await?;
                    return Ok(Some(true));
                }
                let mut text = String::new();
                for arg in args {
                    for id in tree.walk() {
                        if fnmatch(arg, &tree.nodes[id].name) {
                            text.push_str(&format!("{}{}\n", tree.tag(id, ""), tree.path(id)));
                        }
                    }
                }
                self.say_lines(text).await?;
            }
            "ls" | ".ls" | ".lsdir" | ".lsmark" => {
                let mut text = String::new();
                for &id in &children {
                    if !shown(tree, id) {
                        continue;
                    }
                    let node = &tree.nodes[id];
                    let slash = if tree.has_children(id) { "/" } else { "" };
                    match command {
                        "ls" => {
                            text.push_str(&format!("{}{}{slash}\n", tree.tag(id, ""), node.name))
                        }
                        ".ls" => text.push_str(&format!("{}{slash}\n", node.name)),
                        ".lsdir" if tree.has_children(id) => {
                            text.push_str(&format!("{}/\n", node.name))
                        }
                        ".lsmark" if node.extract => {
                            text.push_str(&format!("{}{slash}\n", node.name))
                        }
                        _ => {}
                    }
                }
                self.say_lines(text).await?;
            }
            "lsmark" => {
                let mut text = String::new();
                lsmark(tree, cwd, 0, pattern, &mut text);
                self.say_lines(text).await?;
            }
            "dir" | ".dir" => {
                if children.is_empty() {
                    let name = tree.nodes[cwd].name.clone();
                    self.say(format!("Node {name} has no children.\n")).await?;
                    return Ok(Some(true));
                }
                let mut text = String::new();
                for &id in &children {
                    if shown(tree, id) {
                        text.push_str(&tree.long_line(id, command == ".dir"));
                        text.push('\n');
                    }
                }
                self.say_lines(text).await?;
            }
            "help" | "?" => {
                let mut text = String::from("  Command    Description\n  =======    ===========\n");
                for (name, help) in COMMANDS.iter().filter(|(n, _)| !n.starts_with('.')) {
                    text.push_str(&format!("  {name:<10} {help}\n"));
                }
                text.push('\n');
                self.say(text).await?;
            }
            ".help" => {
                let text: String = COMMANDS
                    .iter()
                    .filter(|(n, _)| !n.starts_with('.'))
                    .map(|(n, _)| format!("{n}\n"))
                    .collect();
                self.say(text).await?;
            }
            _ => {}
        }
        Ok(Some(true))
    }

    /// Listing output, one frame per line as the director sends it.
    async fn say_lines(&mut self, text: String) -> io::Result<()> {
        for line in text.split_inclusive('\n') {
            self.say(line).await?;
        }
        Ok(())
    }

    /// `pwd`: `cwd is: PATH` in API 0, the bare path in API 1 and 2.
    async fn pwd(&mut self, tree: &Tree) -> io::Result<()> {
        let path = tree.path(tree.cwd);
        if self.api > 0 {
            self.say(path).await
        } else {
            self.say(format!("cwd is: {path}\n")).await
        }
    }
}

/// `rlsmark`: the marked entries in and below a directory, indented by depth.
fn lsmark(tree: &Tree, dir: usize, level: usize, pattern: Option<&str>, out: &mut String) {
    let indent = "  ".repeat(level.min(100));
    for &id in tree.nodes[dir].children.values() {
        let node = &tree.nodes[id];
        let matches = pattern.map_or(true, |p| fnmatch(p, &node.name));
        if matches && (node.extract || node.extract_descendant) {
            let slash = if tree.has_children(id) { "/" } else { "" };
            out.push_str(&format!(
                "{indent}{}{}{slash}\n",
                tree.tag(id, ""),
                node.name
            ));
            if tree.has_children(id) {
                lsmark(tree, id, level + 1, pattern, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::files::saved_files;
    use super::*;

    #[test]
    fn fnmatch_as_the_c_library() {
        assert!(fnmatch("*", "abc"));
        assert!(fnmatch("a*c", "abbbc"));
        assert!(fnmatch("?b?", "abc"));
        assert!(fnmatch("[a-c]x", "bx"));
        assert!(!fnmatch("[!a-c]x", "bx"));
        assert!(fnmatch("\\*", "*"));
        assert!(!fnmatch("\\*", "a"));
        assert!(fnmatch("*dir*", "*dir*"));
        assert!(!fnmatch("a", "ab"));
    }

    #[test]
    fn a_tree_of_job_1_counts_as_the_director() {
        let mut tree = Tree::build(&[saved_files(1)], false);
        assert_eq!(tree.rows, 86);
        // Directories listed after their files already exist when their row comes.
        assert!(tree.file_count < 86 && tree.ticks > 0);
        assert_eq!(tree.selected(), 0);
        assert_eq!(tree.mark_elements(&["*".into()], true), 86);
        assert_eq!(tree.selected(), 86);
        assert_eq!(tree.mark_elements(&["*".into()], true), 0);
        // Unmarking one directory below: the parents keep their marks.
        let dir = tree
            .find_dir("/var/lib/bareos-test/tmp/data/build/src", 0)
            .unwrap();
        tree.cwd = dir;
        assert_eq!(tree.path(dir), "/var/lib/bareos-test/tmp/data/build/src/");
        // The directory and its 17 files.
        assert_eq!(tree.mark_elements(&["tests".into()], false), 18);
        assert_eq!(tree.selected(), 86 - 18);
        assert_eq!(
            tree.find_dir("..", dir).map(|d| tree.path(d)),
            Some("/var/lib/bareos-test/tmp/data/build/".into())
        );
        assert_eq!(tree.find_dir("nowhere", dir), None);
        assert_eq!(tree.find_dir("tests/Makefile", dir), None);
    }

    #[test]
    fn all_marks_while_building() {
        let tree = Tree::build(&[saved_files(3)], true);
        assert_eq!(tree.selected(), 1002);
        assert_eq!(tree.ticks, tree.file_count / 21);
    }
}
