//! Reader for bconsole configuration files (`bconsole.conf`).
//!
//! Supported: `Director { ... }` and `Console { ... }` resources, `key = value` lines
//! (keys case-insensitive, spaces inside keys ignored, `;` or a newline ends a line),
//! quoted strings with `\"` and `\\`, comments (`#`, `//`, `/* ... */`), includes
//! (`@include PATTERN` or `@PATTERN`, glob patterns, relative to the including file), and
//! the directory form (all `*.conf` files below `DIR/bconsole.d`, or below `DIR`).
//! Other resources and unknown keys are ignored. Errors name the file and line.
//!
//! The TLS directives of both resources are read into [`TlsDirectives`]: `TLS CA
//! Certificate File`, `TLS CA Certificate Dir`, `TLS Certificate`, `TLS Key`, `TLS Verify
//! Peer`, `TLS Allowed CN` (repeatable, comma-separated lists), `TLS Cipher List`, and
//! the server-side `TLS DH File` and `TLS Protocol`, kept but not used by a console.

use std::fmt;
use std::path::{Path, PathBuf};

/// `Some("<redacted>")` for a secret that is set (for `Debug`).
fn redacted<T>(secret: &Option<T>) -> Option<&'static str> {
    secret.as_ref().map(|_| "<redacted>")
}

/// The certificate TLS directives of a `Director` or `Console` resource.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsDirectives {
    /// `TLS CA Certificate File`.
    pub ca_certificate_file: Option<String>,
    /// `TLS CA Certificate Dir`.
    pub ca_certificate_dir: Option<String>,
    /// `TLS Certificate`: the console's own certificate.
    pub certificate: Option<String>,
    /// `TLS Key`: its private key.
    pub key: Option<String>,
    /// `TLS Verify Peer`.
    pub verify_peer: Option<bool>,
    /// `TLS Allowed CN` (all occurrences, in order).
    pub allowed_cn: Vec<String>,
    /// `TLS Cipher List`.
    pub cipher_list: Option<String>,
    /// `TLS DH File` (only meaningful for a server; not used by a console).
    pub dh_file: Option<String>,
    /// `TLS Protocol` (OpenSSL's `Protocol` setting; not used).
    pub protocol: Option<String>,
}

impl TlsDirectives {
    /// Whether any certificate setting is present (a CA, a certificate or a key).
    pub fn has_certificates(&self) -> bool {
        self.ca_certificate_file.is_some()
            || self.ca_certificate_dir.is_some()
            || self.certificate.is_some()
            || self.key.is_some()
    }

    /// Takes one TLS keyword (lower case, spaces removed); `false` if it is none.
    fn take(&mut self, key: &str, value: &Value) -> Result<bool, ConfigError> {
        let text = || value.text();
        match key {
            "tlscacertificatefile" => self.ca_certificate_file = Some(text()),
            "tlscacertificatedir" => self.ca_certificate_dir = Some(text()),
            "tlscertificate" => self.certificate = Some(text()),
            "tlskey" => self.key = Some(text()),
            "tlsverifypeer" => self.verify_peer = Some(yes_no(&text(), &value.pos, key)?),
            "tlsallowedcn" => self.allowed_cn.extend(value.list()),
            "tlscipherlist" => self.cipher_list = Some(text()),
            "tlsdhfile" => self.dh_file = Some(text()),
            "tlsprotocol" => self.protocol = Some(text()),
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// The value of one `key = value` line.
struct Value {
    tokens: Vec<Tok>,
    pos: Pos,
}

impl Value {
    /// The words and strings, joined by single spaces.
    fn text(&self) -> String {
        self.tokens
            .iter()
            .filter_map(|t| match t {
                Tok::Word(w) | Tok::Quoted(w) => Some(w.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A comma-separated list: quoted strings are taken whole, bare words are split at
    /// commas.
    fn list(&self) -> Vec<String> {
        let mut out = Vec::new();
        for token in &self.tokens {
            match token {
                Tok::Quoted(q) => out.push(q.clone()),
                Tok::Word(w) => out.extend(
                    w.split(',')
                        .map(str::trim)
                        .filter(|part| !part.is_empty())
                        .map(str::to_string),
                ),
                _ => {}
            }
        }
        out
    }
}

/// A `Director` resource. `Debug` redacts the password.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct DirectorResource {
    /// `Name`.
    pub name: String,
    /// `Address`.
    pub address: Option<String>,
    /// `Port` / `DirPort`.
    pub port: Option<u16>,
    /// `Password` (clear text or `[md5]...`). Never printed.
    pub password: Option<String>,
    /// `TlsEnable` / `TlsPskEnable` = no turns TLS-PSK off.
    pub tls_enable: Option<bool>,
    /// `TlsRequire` / `TlsPskRequire`.
    pub tls_require: Option<bool>,
    /// `Description`.
    pub description: Option<String>,
    /// The certificate TLS directives (used with the default console).
    pub tls: TlsDirectives,
}

/// A `Console` resource of bconsole.conf: a named console to log in as instead of the
/// default console. `Debug` redacts the password. (What the director itself reports about
/// its Console resources is [`crate::models::ConsoleResource`].)
#[derive(Clone, Default, PartialEq, Eq)]
pub struct NamedConsole {
    /// `Name`: the console name used to log in.
    pub name: String,
    /// `Password`. Never printed.
    pub password: Option<String>,
    /// `Director`: the director this console belongs to.
    pub director: Option<String>,
    /// `HistoryFile`.
    pub history_file: Option<String>,
    /// `HistoryLength`.
    pub history_length: Option<usize>,
    /// `RcFile`.
    pub rc_file: Option<String>,
    /// `TlsEnable` / `TlsPskEnable`.
    pub tls_enable: Option<bool>,
    /// `TlsRequire` / `TlsPskRequire`.
    pub tls_require: Option<bool>,
    /// The certificate TLS directives (used when this console logs in).
    pub tls: TlsDirectives,
}

impl fmt::Debug for DirectorResource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DirectorResource")
            .field("name", &self.name)
            .field("address", &self.address)
            .field("port", &self.port)
            .field("password", &redacted(&self.password))
            .field("tls_enable", &self.tls_enable)
            .field("tls_require", &self.tls_require)
            .field("description", &self.description)
            .field("tls", &self.tls)
            .finish()
    }
}

impl fmt::Debug for NamedConsole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NamedConsole")
            .field("name", &self.name)
            .field("password", &redacted(&self.password))
            .field("director", &self.director)
            .field("history_file", &self.history_file)
            .field("history_length", &self.history_length)
            .field("rc_file", &self.rc_file)
            .field("tls_enable", &self.tls_enable)
            .field("tls_require", &self.tls_require)
            .field("tls", &self.tls)
            .finish()
    }
}

/// A parsed configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConsoleConfig {
    /// Director resources in file order.
    pub directors: Vec<DirectorResource>,
    /// Console resources in file order.
    pub consoles: Vec<NamedConsole>,
}

/// A configuration error: where and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// `file:line: ` or `file: ` prefix material.
    pub location: String,
    /// The problem.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl ConfigError {
    fn at(pos: &Pos, message: impl Into<String>) -> Self {
        ConfigError {
            location: format!("{}:{}", pos.file.display(), pos.line),
            message: message.into(),
        }
    }

    fn file(path: &Path, message: impl Into<String>) -> Self {
        ConfigError {
            location: path.display().to_string(),
            message: message.into(),
        }
    }
}

const MAX_INCLUDE_DEPTH: usize = 16;

#[derive(Clone, Debug, PartialEq, Eq)]
struct Pos {
    file: PathBuf,
    line: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(String),
    Quoted(String),
    Eq,
    Open,
    Close,
    End,
}

impl ConsoleConfig {
    /// Reads a file or a directory (see the module documentation).
    pub fn load(path: &Path) -> Result<ConsoleConfig, ConfigError> {
        let meta = std::fs::metadata(path)
            .map_err(|e| ConfigError::file(path, format!("cannot read the configuration: {e}")))?;
        let files = if meta.is_dir() {
            let sub = path.join("bconsole.d");
            let root = if sub.is_dir() {
                sub
            } else {
                path.to_path_buf()
            };
            let mut files = Vec::new();
            collect_conf_files(&root, &mut files, 0)?;
            if files.is_empty() {
                return Err(ConfigError::file(
                    &root,
                    "no *.conf files in this configuration directory",
                ));
            }
            files
        } else {
            vec![path.to_path_buf()]
        };
        let mut tokens = Vec::new();
        let mut files_read = 0;
        for file in &files {
            tokenize_file(file, &mut tokens, 0, &mut files_read)?;
        }
        parse(&tokens, files.last().map(PathBuf::as_path).unwrap_or(path))
    }

    /// Parses text as if read from `name` (includes are resolved relative to the current
    /// directory). Used by the tests and the fuzz target.
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn parse_str(text: &str, name: &Path) -> Result<ConsoleConfig, ConfigError> {
        let mut tokens = Vec::new();
        tokenize(text, name, &mut tokens, 0, &mut 0)?;
        parse(&tokens, name)
    }

    /// The director named `name`.
    pub fn director(&self, name: &str) -> Option<&DirectorResource> {
        self.directors.iter().find(|d| d.name == name)
    }

    /// The console for `director`, chosen as bconsole does: the first console bound to that
    /// director, else the first console bound to no director, else none (default console).
    pub fn console_for(&self, director: &str) -> Option<&NamedConsole> {
        self.consoles
            .iter()
            .find(|c| c.director.as_deref() == Some(director))
            .or_else(|| self.consoles.iter().find(|c| c.director.is_none()))
    }
}

fn collect_conf_files(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<(), ConfigError> {
    if depth > MAX_INCLUDE_DEPTH {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| ConfigError::file(dir, format!("cannot read the directory: {e}")))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect_conf_files(&path, out, depth + 1)?;
        } else if path.extension().is_some_and(|e| e == "conf") {
            out.push(path);
        }
    }
    Ok(())
}

/// Largest configuration file read (bconsole configurations are a few kB).
pub const MAX_FILE_SIZE: u64 = 1 << 20;
/// Most configuration files read for one configuration (includes and directory form).
pub const MAX_FILES: usize = 64;

fn tokenize_file(
    path: &Path,
    out: &mut Vec<(Tok, Pos)>,
    depth: usize,
    files_read: &mut usize,
) -> Result<(), ConfigError> {
    *files_read += 1;
    if *files_read > MAX_FILES {
        return Err(ConfigError::file(
            path,
            format!("more than {MAX_FILES} configuration files (an include loop?)"),
        ));
    }
    let bytes = read_capped(path, MAX_FILE_SIZE)
        .map_err(|e| ConfigError::file(path, format!("cannot read the configuration: {e}")))?;
    let text = String::from_utf8_lossy(&bytes);
    tokenize(&text, path, out, depth, files_read)
}

/// Reads a regular file of at most `limit` bytes; anything else (a device, a FIFO, a
/// directory, a bigger file) is refused with a reason.
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() > limit {
        return Err(format!("larger than {limit} bytes"));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!("larger than {limit} bytes"));
    }
    Ok(bytes)
}

fn include(
    pattern: &str,
    pos: &Pos,
    out: &mut Vec<(Tok, Pos)>,
    depth: usize,
    files_read: &mut usize,
) -> Result<(), ConfigError> {
    if depth >= MAX_INCLUDE_DEPTH {
        return Err(ConfigError::at(pos, "includes nested too deeply (a loop?)"));
    }
    let base = pos.file.parent().unwrap_or(Path::new("."));
    let full = if Path::new(pattern).is_absolute() {
        PathBuf::from(pattern)
    } else {
        base.join(pattern)
    };
    let full_text = full.to_string_lossy().into_owned();
    let has_glob = pattern.contains(['*', '?', '[']);
    if !has_glob {
        return tokenize_file(&full, out, depth + 1, files_read)
            .map_err(|e| ConfigError::at(pos, format!("in @include {pattern}: {e}")));
    }
    let paths = glob::glob(&full_text)
        .map_err(|e| ConfigError::at(pos, format!("bad @include pattern '{pattern}': {e}")))?;
    let mut matched: Vec<PathBuf> = paths.filter_map(Result::ok).collect();
    matched.sort();
    for path in matched {
        tokenize_file(&path, out, depth + 1, files_read)?;
    }
    Ok(())
}

fn tokenize(
    text: &str,
    file: &Path,
    out: &mut Vec<(Tok, Pos)>,
    depth: usize,
    files_read: &mut usize,
) -> Result<(), ConfigError> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut line = 1;
    let mut at_line_start = true;
    let pos = |line| Pos {
        file: file.to_path_buf(),
        line,
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\n' => {
                out.push((Tok::End, pos(line)));
                line += 1;
                i += 1;
                at_line_start = true;
                continue;
            }
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                let start = line;
                i += 2;
                loop {
                    if i >= chars.len() {
                        return Err(ConfigError::at(&pos(start), "unterminated /* comment"));
                    }
                    if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                        i += 2;
                        break;
                    }
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
                continue;
            }
            '@' if at_line_start => {
                let start = i + 1;
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                let rest: String = chars[start..i].iter().collect();
                let rest = rest.trim();
                let target = match rest.strip_prefix("include") {
                    Some(r) if r.starts_with(char::is_whitespace) => r.trim(),
                    _ => rest,
                };
                let target = target.trim_matches('"');
                if target.is_empty() {
                    return Err(ConfigError::at(&pos(line), "@include without a file name"));
                }
                include(target, &pos(line), out, depth, files_read)?;
                continue;
            }
            '=' => out.push((Tok::Eq, pos(line))),
            '{' => out.push((Tok::Open, pos(line))),
            '}' => out.push((Tok::Close, pos(line))),
            ';' => out.push((Tok::End, pos(line))),
            '"' => {
                let start = line;
                let mut value = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None | Some('\n') => {
                            return Err(ConfigError::at(&pos(start), "unterminated quoted string"))
                        }
                        Some('"') => break,
                        Some('\\') if i + 1 < chars.len() && chars[i + 1] != '\n' => {
                            value.push(chars[i + 1]);
                            i += 2;
                        }
                        Some(&c) => {
                            value.push(c);
                            i += 1;
                        }
                    }
                }
                out.push((Tok::Quoted(value), pos(start)));
            }
            _ => {
                let start = i;
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !matches!(chars[i], '=' | '{' | '}' | ';' | '"' | '#')
                {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                out.push((Tok::Word(word), pos(line)));
                at_line_start = false;
                continue;
            }
        }
        at_line_start = false;
        i += 1;
    }
    out.push((Tok::End, pos(line)));
    Ok(())
}

fn parse(tokens: &[(Tok, Pos)], last_file: &Path) -> Result<ConsoleConfig, ConfigError> {
    let eof = Pos {
        file: last_file.to_path_buf(),
        line: tokens.last().map_or(1, |t| t.1.line),
    };
    let mut config = ConsoleConfig::default();
    let mut i = 0;
    let skip_ends = |i: &mut usize| {
        while matches!(tokens.get(*i), Some((Tok::End, _))) {
            *i += 1;
        }
    };
    loop {
        skip_ends(&mut i);
        let Some((tok, pos)) = tokens.get(i) else {
            break;
        };
        let Tok::Word(kind) = tok else {
            return Err(ConfigError::at(
                pos,
                "expected a resource name such as Director or Console",
            ));
        };
        let kind_pos = pos.clone();
        i += 1;
        skip_ends(&mut i);
        match tokens.get(i) {
            Some((Tok::Open, _)) => i += 1,
            Some((_, pos)) => {
                return Err(ConfigError::at(
                    pos,
                    format!("expected '{{' after '{kind}'"),
                ))
            }
            None => {
                return Err(ConfigError::at(
                    &eof,
                    format!("expected '{{' after '{kind}'"),
                ))
            }
        }
        let mut items: Vec<(String, Value)> = Vec::new();
        loop {
            skip_ends(&mut i);
            let Some((tok, pos)) = tokens.get(i) else {
                return Err(ConfigError::at(
                    &kind_pos,
                    format!("resource '{kind}' is not closed with '}}'"),
                ));
            };
            match tok {
                Tok::Close => {
                    i += 1;
                    break;
                }
                Tok::Word(_) => {}
                _ => return Err(ConfigError::at(pos, "expected a keyword")),
            }
            let key_pos = pos.clone();
            let mut key = String::new();
            let mut first_word = String::new();
            while let Some((Tok::Word(w), _)) = tokens.get(i) {
                if first_word.is_empty() {
                    first_word = w.clone();
                }
                key.push_str(w);
                i += 1;
            }
            match tokens.get(i) {
                Some((Tok::Eq, _)) => i += 1,
                Some((Tok::Open, _)) => {
                    // A nested block (e.g. from other daemons' resources): skip it.
                    let mut depth = 0;
                    while let Some((t, _)) = tokens.get(i) {
                        match t {
                            Tok::Open => depth += 1,
                            Tok::Close => depth -= 1,
                            _ => {}
                        }
                        i += 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    continue;
                }
                _ => {
                    return Err(ConfigError::at(
                        &key_pos,
                        format!("expected '=' after '{first_word}'"),
                    ))
                }
            }
            let mut words = Vec::new();
            while let Some((t, _)) = tokens.get(i) {
                match t {
                    Tok::Word(_) | Tok::Quoted(_) => words.push(t.clone()),
                    Tok::End | Tok::Close => break,
                    Tok::Eq | Tok::Open => {
                        return Err(ConfigError::at(
                            &key_pos,
                            format!("unexpected character in the value of '{key}'"),
                        ))
                    }
                }
                i += 1;
            }
            if words.is_empty() {
                return Err(ConfigError::at(
                    &key_pos,
                    format!("missing value for '{key}'"),
                ));
            }
            items.push((
                key.to_ascii_lowercase(),
                Value {
                    tokens: words,
                    pos: key_pos,
                },
            ));
        }
        match kind.to_ascii_lowercase().as_str() {
            "director" => config.directors.push(director_from(&items, &kind_pos)?),
            "console" => config.consoles.push(console_from(&items, &kind_pos)?),
            other => tracing::debug!(
                "ignoring resource '{other}' at {}:{}",
                kind_pos.file.display(),
                kind_pos.line
            ),
        }
    }
    Ok(config)
}

fn yes_no(value: &str, pos: &Pos, key: &str) -> Result<bool, ConfigError> {
    match value.to_ascii_lowercase().as_str() {
        "yes" | "true" | "on" | "1" => Ok(true),
        "no" | "false" | "off" | "0" => Ok(false),
        _ => Err(ConfigError::at(
            pos,
            format!("'{key}' expects yes or no, not '{value}'"),
        )),
    }
}

fn director_from(items: &[(String, Value)], at: &Pos) -> Result<DirectorResource, ConfigError> {
    let mut d = DirectorResource::default();
    for (key, value) in items {
        if d.tls.take(key, value)? {
            continue;
        }
        let (pos, value) = (&value.pos, &value.text());
        match key.as_str() {
            "name" => d.name = value.clone(),
            "address" => d.address = Some(value.clone()),
            "port" | "dirport" => {
                d.port = Some(value.parse().map_err(|_| {
                    ConfigError::at(pos, format!("'{key}' expects a port number, not '{value}'"))
                })?)
            }
            "password" => d.password = Some(value.clone()),
            "tlsenable" | "tlspskenable" => d.tls_enable = Some(yes_no(value, pos, key)?),
            "tlsrequire" | "tlspskrequire" => d.tls_require = Some(yes_no(value, pos, key)?),
            "description" => d.description = Some(value.clone()),
            _ => tracing::debug!("ignoring Director keyword '{key}'"),
        }
    }
    if d.name.is_empty() {
        return Err(ConfigError::at(at, "Director resource without a Name"));
    }
    Ok(d)
}

fn console_from(items: &[(String, Value)], at: &Pos) -> Result<NamedConsole, ConfigError> {
    let mut c = NamedConsole::default();
    for (key, value) in items {
        if c.tls.take(key, value)? {
            continue;
        }
        let (pos, value) = (&value.pos, &value.text());
        match key.as_str() {
            "name" => c.name = value.clone(),
            "password" => c.password = Some(value.clone()),
            "director" => c.director = Some(value.clone()),
            "historyfile" => c.history_file = Some(value.clone()),
            "historylength" => {
                c.history_length = Some(value.parse().map_err(|_| {
                    ConfigError::at(pos, format!("'{key}' expects a number, not '{value}'"))
                })?)
            }
            "rcfile" => c.rc_file = Some(value.clone()),
            "tlsenable" | "tlspskenable" => c.tls_enable = Some(yes_no(value, pos, key)?),
            "tlsrequire" | "tlspskrequire" => c.tls_require = Some(yes_no(value, pos, key)?),
            _ => tracing::debug!("ignoring Console keyword '{key}'"),
        }
    }
    if c.name.is_empty() {
        return Err(ConfigError::at(at, "Console resource without a Name"));
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ConsoleConfig, ConfigError> {
        ConsoleConfig::parse_str(text, Path::new("test.conf"))
    }

    #[test]
    fn director_and_console() {
        let c = parse(
            "# comment\nDirector {\n  Name = bareos-dir\n  DIRport = 9101; address = \"my host\"\n  Password = \"se\\\"cret\" // c\n}\n/* block\n comment */\nConsole { Name = admin\n Password = x\n Director = bareos-dir\n History Length = 5 }\n",
        )
        .unwrap();
        let d = &c.directors[0];
        assert_eq!(d.name, "bareos-dir");
        assert_eq!(d.port, Some(9101));
        assert_eq!(d.address.as_deref(), Some("my host"));
        assert_eq!(d.password.as_deref(), Some("se\"cret"));
        assert_eq!(c.consoles[0].history_length, Some(5));
        assert_eq!(c.console_for("bareos-dir").unwrap().name, "admin");
    }

    #[test]
    fn errors_have_line_numbers() {
        let e = parse("Director {\n Name = a\n Address localhost\n}\n").unwrap_err();
        assert_eq!(e.to_string(), "test.conf:3: expected '=' after 'Address'");
        let e = parse("Director {\n Name = \"a\n}\n").unwrap_err();
        assert!(e.to_string().starts_with("test.conf:2:"), "{e}");
        let e = parse("Director {\n Name = a\n").unwrap_err();
        assert!(e.to_string().contains("not closed"), "{e}");
        let e = parse("Director {\n Name = a\n DirPort = x\n}").unwrap_err();
        assert!(e.to_string().starts_with("test.conf:3:"), "{e}");
    }

    #[test]
    fn debug_redacts_passwords() {
        let c = parse(
            "Director { Name = d; Password = \"dir-secret\" }\nConsole { Name = c; Password = con-secret }\n",
        )
        .unwrap();
        let text = format!("{c:?} {:#?} {:?}", c.directors[0], c.consoles[0]);
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }

    #[test]
    fn tls_directives() {
        let c = parse(
            "Director {\n Name = d\n TLS CA Certificate File = /etc/bareos/tls/ca.pem\n TLS Verify Peer = yes\n TLS Allowed CN = \"a, b\", c,d\n TlsAllowedCn = e\n TLS DH File = dh.pem\n}\nConsole { Name = admin; TLS Certificate = \"/tls/my cert.pem\"; TLS Key = /tls/key.pem; TLS Cipher List = HIGH:!aNULL }\n",
        )
        .unwrap();
        let d = &c.directors[0].tls;
        assert_eq!(
            d.ca_certificate_file.as_deref(),
            Some("/etc/bareos/tls/ca.pem")
        );
        assert_eq!(d.verify_peer, Some(true));
        assert_eq!(d.allowed_cn, ["a, b", "c", "d", "e"]);
        assert_eq!(d.dh_file.as_deref(), Some("dh.pem"));
        assert!(d.has_certificates());
        let t = &c.consoles[0].tls;
        assert_eq!(t.certificate.as_deref(), Some("/tls/my cert.pem"));
        assert_eq!(t.key.as_deref(), Some("/tls/key.pem"));
        assert_eq!(t.cipher_list.as_deref(), Some("HIGH:!aNULL"));
        let e = parse("Director { Name = d\n TLS Verify Peer = maybe\n}").unwrap_err();
        assert!(e.to_string().starts_with("test.conf:2:"), "{e}");
    }

    #[test]
    fn console_choice() {
        let c =
            parse("Console { Name = free }\nConsole { Name = bound; Director = d2 }\n").unwrap();
        assert_eq!(c.console_for("d2").unwrap().name, "bound");
        assert_eq!(c.console_for("d1").unwrap().name, "free");
    }
}
