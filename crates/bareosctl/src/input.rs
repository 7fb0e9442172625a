//! Lines of piped input (standard input, `@input` files, the rc file) read as bytes: a
//! line that is not UTF-8, or absurdly long, is rejected on its own and reading goes on.

use std::io::{BufRead, Read};

/// Longest line accepted (the director refuses commands near 1 MB anyway).
pub const MAX_LINE: usize = 4 << 20;

/// A source of input lines with its name and line counter, for messages.
pub struct LineReader {
    reader: Box<dyn BufRead>,
    name: String,
    line: usize,
}

/// What reading produced.
pub enum Line {
    /// A line, without its line end.
    Text(String),
    /// A line that was skipped; the message names it.
    Rejected(String),
    /// End of input.
    End,
    /// The source could not be read.
    Error(String),
}

impl LineReader {
    /// Reads lines from `reader`; `name` is used in messages ("standard input", a file).
    pub fn new(reader: Box<dyn BufRead>, name: impl Into<String>) -> Self {
        LineReader {
            reader,
            name: name.into(),
            line: 0,
        }
    }

    /// The next line.
    pub fn next_line(&mut self) -> Line {
        let mut bytes = Vec::new();
        let limit = MAX_LINE as u64 + 1;
        match (&mut self.reader).take(limit).read_until(b'\n', &mut bytes) {
            Ok(0) => return Line::End,
            Ok(_) => {}
            Err(e) => return Line::Error(format!("reading {}: {e}", self.name)),
        }
        self.line += 1;
        if bytes.len() > MAX_LINE && !bytes.ends_with(b"\n") {
            // Skip the rest of the line.
            let mut rest = Vec::new();
            loop {
                rest.clear();
                match (&mut self.reader)
                    .take(1 << 16)
                    .read_until(b'\n', &mut rest)
                {
                    Ok(0) => break,
                    Ok(_) if rest.ends_with(b"\n") => break,
                    Ok(_) => continue,
                    Err(_) => break,
                }
            }
            return Line::Rejected(format!(
                "line {} of {} is longer than {MAX_LINE} bytes; skipped",
                self.line, self.name
            ));
        }
        while bytes.ends_with(b"\n") || bytes.ends_with(b"\r") {
            bytes.pop();
        }
        match String::from_utf8(bytes) {
            Ok(text) => Line::Text(text),
            Err(_) => Line::Rejected(format!(
                "line {} of {} is not valid UTF-8; skipped",
                self.line, self.name
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_lines_and_goes_on() {
        let mut long = vec![b'a'; MAX_LINE + 10];
        long.push(b'\n');
        let mut data = b"one\r\n\xe9t\xe9\n".to_vec();
        data.extend_from_slice(&long);
        data.extend_from_slice(b"two");
        let mut r = LineReader::new(Box::new(std::io::Cursor::new(data)), "test");
        assert!(matches!(r.next_line(), Line::Text(t) if t == "one"));
        assert!(matches!(r.next_line(), Line::Rejected(m) if m.contains("line 2 of test")));
        assert!(matches!(r.next_line(), Line::Rejected(m) if m.contains("line 3 of test")));
        assert!(matches!(r.next_line(), Line::Text(t) if t == "two"));
        assert!(matches!(r.next_line(), Line::End));
    }
}
