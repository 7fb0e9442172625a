//! The director's prompt primitives (`ua_input.cc`, `DoPrompt` in `ua_select.cc`): free
//! text, yes/no and numbered selection lists, in API 0 (text + `SUB_PROMPT`) and API 1/2
//! (`TEXT_INPUT`, `YESNO`, `START_SELECT` ... `SELECT_INPUT`).

use super::Session;
use bareos_proto::{Frame, Signal};
use std::io;

/// An answer to a prompt.
pub(super) enum Answer {
    /// The line typed (trimmed at the end).
    Text(String),
    /// A lone `.`: the prompt is cancelled.
    Cancel,
    /// TERMINATE or the connection closed.
    Gone,
}

/// The outcome of a selection list.
pub(super) enum Choice {
    /// The index of the chosen item.
    Item(usize),
    /// Cancelled with `.` (`Selection aborted, nothing done.` was sent).
    Aborted,
    /// The list was empty (an error was sent).
    Empty,
    /// The connection went away.
    Gone,
}

/// What a selection came to: a value, nothing (the user cancelled or it was not
/// found; the director said why), or the connection is gone.
pub(super) enum Picked<T> {
    One(T),
    Nothing,
    Gone,
}

impl<T> Picked<T> {
    /// The value changed by `f`.
    pub(super) fn map<U>(self, f: impl FnOnce(T) -> U) -> Picked<U> {
        match self {
            Picked::One(value) => Picked::One(f(value)),
            Picked::Nothing => Picked::Nothing,
            Picked::Gone => Picked::Gone,
        }
    }
}

/// Formats the numbered items as `FormatPrompts` does: one per line, index right-aligned
/// to the widest number; more than 20 short items go in columns of an 80-column window.
fn format_items(items: &[String]) -> String {
    let index_width = items.len().to_string().len();
    let longest = items.iter().map(|i| i.len()).max().unwrap_or(0).max(1);
    // index, ": ", the item, a space
    let cell = longest + index_width + 3;
    let per_line = (80 / cell).max(1);
    if items.len() > 20 && 80 > (cell + 1) * 2 {
        let lines = items.len().div_ceil(per_line);
        let mut out = String::new();
        for line in 0..lines {
            let mut index = line;
            while index < items.len() {
                out.push_str(&format!(
                    "{:>index_width$}: {:<longest$} ",
                    index + 1,
                    items[index]
                ));
                index += lines;
            }
            out.push('\n');
        }
        return out;
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| format!("{:>index_width$}: {item}\n", i + 1))
        .collect()
}

/// `Is_a_number`: digits with an optional sign, fraction and exponent.
fn is_a_number(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    !body.is_empty()
        && body.starts_with(|c: char| c.is_ascii_digit())
        && body.parse::<f64>().is_ok()
}

impl Session {
    /// Reads a prompt answer: signals are ignored, TERMINATE or EOF end the session, a
    /// lone `.` cancels (`GetCmd`).
    pub(super) async fn answer(&mut self) -> Answer {
        loop {
            match self.conn.read_frame().await {
                Ok(Some(Frame::Data(d))) => {
                    let text = d.split(|b| *b == 0).next().unwrap_or_default();
                    let text = String::from_utf8_lossy(text).trim_end().to_string();
                    return if text == "." {
                        Answer::Cancel
                    } else {
                        Answer::Text(text)
                    };
                }
                Ok(Some(Frame::Signal(Signal::Terminate))) | Ok(None) | Err(_) => {
                    return Answer::Gone
                }
                Ok(Some(Frame::Signal(_))) => {}
            }
        }
    }

    /// A free-text prompt (`GetCmd`): text + SUB_PROMPT in API 0, TEXT_INPUT + text in
    /// API 1 and 2.
    pub(super) async fn ask(&mut self, prompt: &str) -> io::Result<Answer> {
        if self.api > 0 {
            self.conn.signal(Signal::TextInput).await?;
            self.conn.data(prompt).await?;
        } else {
            self.conn.data(prompt).await?;
            self.conn.signal(Signal::SubPrompt).await?;
        }
        Ok(self.answer().await)
    }

    /// A prompt that is a sub-prompt in every API mode (`GetCmd(..., true)`: the
    /// restore tree's `$ `).
    pub(super) async fn ask_sub(&mut self, prompt: &str) -> io::Result<Answer> {
        self.conn.data(prompt).await?;
        self.conn.signal(Signal::SubPrompt).await?;
        Ok(self.answer().await)
    }

    /// A yes/no prompt (`GetYesno`): `Some(true)` for yes, `Some(false)` for no or a
    /// cancelled prompt, `None` when the connection is gone.
    pub(super) async fn ask_yes_no(&mut self, prompt: &str) -> io::Result<Option<bool>> {
        Ok(self.yes_no(prompt).await?.map(|a| a == Some(true)))
    }

    /// Like [`Session::ask_yes_no`], but tells a cancelled prompt (`Some(None)`) from `no`.
    pub(super) async fn yes_no(&mut self, prompt: &str) -> io::Result<Option<Option<bool>>> {
        loop {
            if self.api > 0 {
                self.conn.signal(Signal::YesNo).await?;
            }
            match self.ask(prompt).await? {
                Answer::Text(t) if t.eq_ignore_ascii_case("yes") => return Ok(Some(Some(true))),
                Answer::Text(t) if t.eq_ignore_ascii_case("no") => return Ok(Some(Some(false))),
                Answer::Text(_) => {
                    self.warning_msg("Invalid response. You must answer YES or NO.\n")
                        .await?
                }
                Answer::Cancel => return Ok(Some(None)),
                Answer::Gone => return Ok(None),
            }
        }
    }

    /// A selection list (`DoPrompt`): one item is taken at once (`Automatically selected
    /// AUTOMSG: ITEM` in API 0), else the numbered list and `MSG (1-N): ` until a number
    /// in range or `.` is typed.
    pub(super) async fn choose(
        &mut self,
        header: &str,
        items: &[String],
        automsg: &str,
        msg: &str,
    ) -> io::Result<Choice> {
        if items.len() == 1 {
            if self.api == 0 {
                self.conn
                    .data(format!("Automatically selected {automsg}: {}\n", items[0]))
                    .await?;
            }
            return Ok(Choice::Item(0));
        }
        if self.api > 0 {
            self.conn.signal(Signal::StartSelect).await?;
            self.conn.data(header).await?;
            for item in items {
                self.conn.data(item).await?;
            }
            self.conn.signal(Signal::EndSelect).await?;
        } else {
            self.conn.data(header).await?;
            self.conn.data(format_items(items)).await?;
        }
        if items.is_empty() {
            self.error_msg(format!("Selection list for \"{automsg}\" is empty!\n"))
                .await?;
            return Ok(Choice::Empty);
        }
        let prompt = format!("{msg} (1-{}): ", items.len());
        loop {
            if self.api > 0 {
                self.conn.signal(Signal::SelectInput).await?;
            }
            let text = match self.ask(&prompt).await? {
                Answer::Gone => return Ok(Choice::Gone),
                Answer::Cancel => {
                    self.info_msg("Selection aborted, nothing done.\n").await?;
                    return Ok(Choice::Aborted);
                }
                Answer::Text(t) => t,
            };
            if !is_a_number(&text) || text.starts_with('-') {
                self.warning_msg(format!("Expected a positive integer, got: {text}\n"))
                    .await?;
                continue;
            }
            let n = text.parse::<f64>().unwrap_or(0.0) as usize;
            if (1..=items.len()).contains(&n) {
                return Ok(Choice::Item(n - 1));
            }
            self.warning_msg(format!(
                "Please enter a number between 1 and {}\n",
                items.len()
            ))
            .await?;
        }
    }
}

impl Session {
    /// The `Parameters to modify:` menu of `run`, `restore` and `update volume`
    /// (`ModifyJobParameters` in `ua_run.cc`, `UpdateVolume` in `ua_update.cc`).
    pub(super) async fn choose_parameter(&mut self, parameters: &[&str]) -> io::Result<Choice> {
        let items: Vec<String> = parameters.iter().map(|p| p.to_string()).collect();
        self.choose(
            "Parameters to modify:\n",
            &items,
            "",
            "Select parameter to modify",
        )
        .await
    }

    /// [`Session::choose`] as a [`Picked`] index: cancelled and empty lists are nothing.
    pub(super) async fn pick(
        &mut self,
        header: &str,
        items: &[String],
        automsg: &str,
        msg: &str,
    ) -> io::Result<Picked<usize>> {
        Ok(match self.choose(header, items, automsg, msg).await? {
            Choice::Item(i) => Picked::One(i),
            Choice::Gone => Picked::Gone,
            Choice::Aborted | Choice::Empty => Picked::Nothing,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_numbered_to_the_widest_index() {
        let items: Vec<String> = (1..=13).map(|i| format!("item {i}")).collect();
        let text = format_items(&items);
        assert!(text.starts_with(" 1: item 1\n 2: item 2\n"), "{text}");
        assert!(text.ends_with("13: item 13\n"), "{text}");
        let two = format_items(&["bareos-fd".into(), "test2-fd".into()]);
        assert_eq!(two, "1: bareos-fd\n2: test2-fd\n");
    }

    #[test]
    fn long_lists_of_short_items_go_in_columns() {
        let items: Vec<String> = (1..=21).map(|i| format!("v{i}")).collect();
        let text = format_items(&items);
        // cell = 3 + 2 + 3 = 8, 10 per line, 3 lines, column-major.
        assert_eq!(text.lines().count(), 3);
        assert!(text.starts_with(" 1: v1   4: v4  "), "{text:?}");
    }

    #[test]
    fn numbers_as_is_a_number_reads_them() {
        assert!(is_a_number("12"));
        assert!(is_a_number("1.5"));
        assert!(!is_a_number(""));
        assert!(!is_a_number("x1"));
        assert!(!is_a_number("1x"));
    }
}
