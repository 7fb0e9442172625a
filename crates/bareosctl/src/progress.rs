//! `call --wait run ...`: start a job, follow it with a progress line until it ends, and
//! exit with the job's status.

use crate::exit::{self, CliError, CliResult};
use bareos::blocking;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::Value;
use std::io::Write;
use std::time::{Duration, Instant};

/// How often the job is polled.
const POLL: Duration = Duration::from_millis(500);

/// The job id in a `run` reply (`Job queued. JobId=12`).
pub fn job_id(text: &str) -> Option<u64> {
    let start = text.find("JobId=")? + "JobId=".len();
    let digits: String = text[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The exit status for a final job status letter; `None` while the job runs.
pub fn final_status(status: &str) -> Option<i32> {
    match status {
        "T" | "W" => Some(exit::OK),
        "A" => Some(exit::JOB_CANCELED),
        "E" | "e" | "f" | "B" => Some(exit::DIRECTOR_ERROR),
        _ => None,
    }
}

fn field<'a>(job: &'a Value, name: &str) -> &'a str {
    job.get(name).and_then(Value::as_str).unwrap_or("")
}

/// Human-readable bytes in decimal units, as the director prints sizes: `139.9 KB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KB", "MB", "GB", "TB", "PB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Runs the command, then follows the job.
pub fn run_and_wait(director: &mut blocking::Director, command: &str) -> CliResult<i32> {
    let first = command.split_whitespace().next().unwrap_or("");
    if !first.eq_ignore_ascii_case("run") {
        return Err(CliError::usage(
            "--wait works with 'run job=NAME ... yes' only",
        ));
    }
    let reply = director.call(command)?;
    let text = reply.text().into_owned();
    print!("{text}");
    let _ = std::io::stdout().flush();
    if reply.is_prompt() {
        let _ = director.cancel_prompt();
        return Err(CliError::director(
            "the run command asks for confirmation: add 'yes' to the command line",
        ));
    }
    let id = job_id(&text).ok_or_else(|| {
        CliError::director("the director did not start a job (no JobId in its reply)")
    })?;
    director.enable_json()?;
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let started = Instant::now();
    loop {
        let value = director.call_json(&format!("llist jobs jobid={id}"))?;
        let job = value
            .get("jobs")
            .and_then(Value::as_array)
            .and_then(|jobs| jobs.first())
            .cloned()
            .unwrap_or(Value::Null);
        let status = field(&job, "jobstatus").to_string();
        let files: u64 = field(&job, "jobfiles").parse().unwrap_or(0);
        let total: u64 = field(&job, "jobbytes").parse().unwrap_or(0);
        let elapsed = started.elapsed();
        let rate = total as f64 / elapsed.as_secs_f64().max(0.001);
        bar.set_message(format!(
            "JobId {id} [{status}]: {files} files, {}, {}/s, {}s elapsed",
            bytes(total),
            bytes(rate as u64),
            elapsed.as_secs()
        ));
        bar.tick();
        if let Some(code) = final_status(&status) {
            bar.finish();
            eprintln!(
                "JobId {id} ended with status {status}: {files} files, {}",
                bytes(total)
            );
            return Ok(code);
        }
        std::thread::sleep(POLL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!(job_id("Job queued. JobId=42\n"), Some(42));
        assert_eq!(job_id("nothing"), None);
        assert_eq!(final_status("T"), Some(0));
        assert_eq!(final_status("A"), Some(5));
        assert_eq!(final_status("R"), None);
        assert_eq!(bytes(1500), "1.5 KB");
    }
}
