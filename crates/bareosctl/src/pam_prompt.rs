//! The PAM conversation at the terminal, as bconsole has it: the director's PAM prompts
//! are shown on stderr and answered from standard input, without echo for a password
//! prompt. A user name from `--pam-username` answers the first echo-on prompt and a
//! password from `BAREOS_PAM_PASSWORD` the first echo-off prompt, without asking.

use bareos::{PamAnswer, PamConversation, PamPrompt, PamStyle};
use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The longest answer read from the terminal, in bytes.
const MAX_ANSWER: usize = 4096;

/// Whether a prompt without a given answer is asked at the terminal.
#[derive(Clone, Copy)]
enum Asking {
    Terminal,
    NoTerminal,
    Never,
}

/// Answers PAM prompts from the given values, then from the terminal.
pub struct TerminalPam {
    username: Mutex<Option<String>>,
    password: Mutex<Option<PamAnswer>>,
    /// Whether the terminal can be asked: no when standard input is not one, or for
    /// `top`.
    ask_terminal: Asking,
}

impl TerminalPam {
    /// A conversation with the answers already known (either may be missing).
    pub fn new(username: Option<String>, password: Option<String>) -> Self {
        TerminalPam {
            username: Mutex::new(username),
            password: Mutex::new(password.map(PamAnswer::new)),
            ask_terminal: if std::io::stdin().is_terminal() {
                Asking::Terminal
            } else {
                Asking::NoTerminal
            },
        }
    }

    /// A conversation that never asks at the terminal (for `top`, whose screen the
    /// terminal is, and which logs in again in the background).
    pub fn preset_only(username: Option<String>, password: Option<String>) -> Self {
        TerminalPam {
            ask_terminal: Asking::Never,
            ..TerminalPam::new(username, password)
        }
    }

    fn preset(&self, style: PamStyle) -> Option<PamAnswer> {
        match style {
            PamStyle::EchoOn => self
                .username
                .lock()
                .ok()?
                .take()
                .map(|user| PamAnswer::new(user.into_bytes())),
            PamStyle::EchoOff => self.password.lock().ok()?.take(),
        }
    }
}

impl PamConversation for TerminalPam {
    fn answer(&self, prompt: &PamPrompt, time_left: Duration) -> Result<PamAnswer, String> {
        if let Some(answer) = self.preset(prompt.style) {
            return Ok(answer);
        }
        let asked = prompt.text_lossy();
        match self.ask_terminal {
            Asking::Terminal => {}
            Asking::NoTerminal => {
                return Err(format!(
                    "the director's PAM asks \"{}\", but standard input is not a terminal: give --pam-username and BAREOS_PAM_PASSWORD",
                    asked.trim()
                ))
            }
            // Short: it is shown in top's status line.
            Asking::Never => return Err("top needs --pam-username and BAREOS_PAM_PASSWORD".into()),
        }
        let echo = prompt.style == PamStyle::EchoOn;
        let _quiet = if echo { None } else { Some(EchoOff::new()?) };
        let mut stderr = std::io::stderr().lock();
        let _ = stderr.write_all(&prompt.text);
        let _ = stderr.flush();
        let answer = read_line(time_left);
        if !echo {
            // The Enter key was not echoed either.
            let _ = writeln!(stderr);
        }
        answer.map(PamAnswer::new)
    }

    fn message(&self, text: &[u8]) {
        let mut stderr = std::io::stderr().lock();
        let _ = stderr.write_all(text);
        let _ = writeln!(stderr);
    }
}

/// Turns the terminal's echo off until dropped.
struct EchoOff(libc::termios);

impl EchoOff {
    fn new() -> Result<EchoOff, String> {
        // SAFETY: termios is plain data; tcgetattr fills it for fd 0 or fails.
        let mut saved: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(libc::STDIN_FILENO, &mut saved) } != 0 {
            return Err(format!(
                "cannot read the terminal settings: {}",
                std::io::Error::last_os_error()
            ));
        }
        let mut quiet = saved;
        quiet.c_lflag &= !libc::ECHO;
        quiet.c_lflag |= libc::ECHONL;
        // SAFETY: a valid termios for fd 0.
        if unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &quiet) } != 0 {
            return Err(format!(
                "cannot turn off the terminal echo: {}",
                std::io::Error::last_os_error()
            ));
        }
        Ok(EchoOff(saved))
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        // SAFETY: restores the settings read in `new`.
        unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &self.0) };
    }
}

/// One line from standard input (without its newline), within `time_left`.
fn read_line(time_left: Duration) -> Result<Vec<u8>, String> {
    let deadline = Instant::now() + time_left;
    let mut line = Vec::new();
    let mut buffer = [0u8; 256];
    let result = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break Err("no answer in time".to_string());
        }
        let mut poll = libc::pollfd {
            fd: libc::STDIN_FILENO,
            events: libc::POLLIN,
            revents: 0,
        };
        let wait = left.as_millis().clamp(1, i32::MAX as u128) as i32;
        // SAFETY: one valid pollfd.
        let ready = unsafe { libc::poll(&mut poll, 1, wait) };
        if ready < 0 {
            match failed() {
                Some(why) => break Err(why),
                None => continue,
            }
        }
        if ready == 0 {
            continue;
        }
        // SAFETY: reads at most buffer.len() bytes into the buffer.
        let n = unsafe { libc::read(libc::STDIN_FILENO, buffer.as_mut_ptr().cast(), buffer.len()) };
        if n < 0 {
            match failed() {
                Some(why) => break Err(why),
                None => continue,
            }
        }
        if n == 0 {
            break Err("standard input was closed".to_string());
        }
        line.extend_from_slice(&buffer[..n as usize]);
        if let Some(end) = line.iter().position(|&b| b == b'\n') {
            line.truncate(end);
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            break Ok(std::mem::take(&mut line));
        }
        if line.len() > MAX_ANSWER {
            break Err(format!("the answer is longer than {MAX_ANSWER} bytes"));
        }
    };
    buffer.fill(0);
    // A partial line may hold a secret: wipe it.
    line.fill(0);
    result
}

/// The last system call failed: why, or `None` when it was only interrupted (retry).
fn failed() -> Option<String> {
    let error = std::io::Error::last_os_error();
    (error.kind() != std::io::ErrorKind::Interrupted)
        .then(|| format!("cannot read the terminal: {error}"))
}
