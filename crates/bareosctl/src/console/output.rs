//! Where console output goes: the terminal, a file (`@output`), or both (`@tee`).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// The destination of console output.
#[derive(Debug, Default)]
pub struct Output {
    file: Option<File>,
    tee: bool,
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
        self.file = None;
        self.tee = false;
    }

    /// Writes text to the current destination(s); a failing file is reported and dropped.
    pub fn write(&mut self, text: &str) {
        self.write_bytes(text.as_bytes());
    }

    /// Writes raw bytes (the director's output as received) to the current
    /// destination(s); a failing file is reported and dropped.
    pub fn write_bytes(&mut self, text: &[u8]) {
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
