//! Where console output goes: the terminal, a file (`@output`), or both (`@tee`).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// Held-back output is written once it reaches this size.
const HOLD_LIMIT: usize = 64 * 1024;

/// The destination of console output.
#[derive(Debug, Default)]
pub struct Output {
    file: Option<File>,
    tee: bool,
    /// Output of [`Output::hold`] not yet written.
    held: Vec<u8>,
}

/// How `@output`/`@tee` open their file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileMode {
    /// Truncate (`w`).
    Write,
    /// Append (`a`, the default).
    Append,
}

impl Output {
    /// Sends output to `path` only (`tee == false`) or to the terminal and `path`.
    pub fn open(&mut self, path: &Path, mode: FileMode, tee: bool) -> io::Result<()> {
        self.flush();
        let file = OpenOptions::new()
            .create(true)
            .write(true)
            .append(mode == FileMode::Append)
            .truncate(mode == FileMode::Write)
            .open(path)?;
        self.file = Some(file);
        self.tee = tee;
        Ok(())
    }

    /// Back to the terminal only.
    pub fn reset(&mut self) {
        self.flush();
        self.file = None;
        self.tee = false;
    }

    /// Writes text to the current destination(s); a failing file is reported and dropped.
    pub fn write(&mut self, text: &str) {
        self.write_bytes(text.as_bytes());
    }

    /// Keeps raw bytes (the director's output as received) for one later write: a big
    /// result of many small frames then costs one `write` per 64 KiB, not one per frame.
    /// Call [`Output::flush`] before waiting for more.
    pub fn hold(&mut self, text: &[u8]) {
        self.held.extend_from_slice(text);
        if self.held.len() >= HOLD_LIMIT {
            self.flush();
        }
    }

    /// Writes what [`Output::hold`] kept.
    pub fn flush(&mut self) {
        if self.held.is_empty() {
            return;
        }
        let held = std::mem::take(&mut self.held);
        self.write_now(&held);
        self.held = held;
        self.held.clear();
    }

    /// Writes raw bytes (the director's output as received) to the current
    /// destination(s), after any held output; a failing file is reported and dropped.
    pub fn write_bytes(&mut self, text: &[u8]) {
        self.flush();
        self.write_now(text);
    }

    fn write_now(&mut self, text: &[u8]) {
        if let Some(file) = &mut self.file {
            if let Err(e) = file.write_all(text).and_then(|_| file.flush()) {
                eprintln!(
                    "error: cannot write the output file ({e}); output goes to the terminal again"
                );
                self.reset();
                let mut stdout = io::stdout().lock();
                let _ = stdout.write_all(text);
                let _ = stdout.flush();
                return;
            }
            if !self.tee {
                return;
            }
        }
        let mut stdout = io::stdout().lock();
        let _ = stdout.write_all(text);
        let _ = stdout.flush();
    }
}
