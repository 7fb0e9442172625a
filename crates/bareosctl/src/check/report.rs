//! What a check found: its state, one summary line, performance data, details; printed
//! as the plugin status line (`BAREOS JOB OK - ... | 'age'=120s;93600;180000;0`) or as
//! JSON.

use super::range::{plain, Range};
use serde_json::{json, Value};

/// The plugin states, in the order of their exit codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Exit 0.
    Ok,
    /// Exit 1.
    Warning,
    /// Exit 2.
    Critical,
    /// Exit 3: the check could not tell (connection, login, timeout, bad usage).
    Unknown,
}

impl Status {
    /// The exit code.
    pub fn code(self) -> i32 {
        match self {
            Status::Ok => 0,
            Status::Warning => 1,
            Status::Critical => 2,
            Status::Unknown => 3,
        }
    }

    /// The word of the status line.
    pub fn word(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::Warning => "WARNING",
            Status::Critical => "CRITICAL",
            Status::Unknown => "UNKNOWN",
        }
    }

    /// The state of `value` against optional warning and critical ranges.
    pub fn of(value: f64, warning: Option<&Range>, critical: Option<&Range>) -> Status {
        if critical.is_some_and(|r| r.alerts(value)) {
            Status::Critical
        } else if warning.is_some_and(|r| r.alerts(value)) {
            Status::Warning
        } else {
            Status::Ok
        }
    }
}

/// One performance value: `'label'=value[UOM];[warn];[crit];[min];[max]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Perf {
    /// Label.
    pub label: String,
    /// Value.
    pub value: f64,
    /// Unit: `s`, `%`, `B`, `c` or empty.
    pub uom: &'static str,
    /// Warning range.
    pub warn: Option<Range>,
    /// Critical range.
    pub crit: Option<Range>,
    /// Minimum.
    pub min: Option<f64>,
    /// Maximum.
    pub max: Option<f64>,
}

impl Perf {
    /// A value without thresholds.
    pub fn new(label: impl Into<String>, value: f64, uom: &'static str) -> Perf {
        Perf {
            label: label.into(),
            value,
            uom,
            warn: None,
            crit: None,
            min: None,
            max: None,
        }
    }

    /// With thresholds.
    pub fn thresholds(mut self, warn: Option<&Range>, crit: Option<&Range>) -> Perf {
        self.warn = warn.cloned();
        self.crit = crit.cloned();
        self
    }

    /// With a minimum and maximum.
    pub fn bounds(mut self, min: Option<f64>, max: Option<f64>) -> Perf {
        self.min = min;
        self.max = max;
        self
    }

    /// The perfdata text; the label is quoted when it needs it (`'` doubled).
    pub fn text(&self) -> String {
        let label = if self
            .label
            .chars()
            .any(|c| c.is_whitespace() || c == '=' || c == '\'')
        {
            format!("'{}'", self.label.replace('\'', "''"))
        } else {
            self.label.clone()
        };
        let opt = |r: &Option<Range>| r.as_ref().map(Range::to_string).unwrap_or_default();
        let num = |n: Option<f64>| n.map(plain).unwrap_or_default();
        let text = format!(
            "{label}={}{};{};{};{};{}",
            plain(self.value),
            self.uom,
            opt(&self.warn),
            opt(&self.crit),
            num(self.min),
            num(self.max)
        );
        text.trim_end_matches(';').to_string()
    }

    fn json(&self) -> Value {
        json!({
            "label": self.label,
            "value": self.value,
            "uom": self.uom,
            "warning": self.warn.as_ref().map(Range::to_string),
            "critical": self.crit.as_ref().map(Range::to_string),
            "min": self.min,
            "max": self.max,
        })
    }
}

/// The result of one check.
#[derive(Clone, Debug)]
pub struct Report {
    /// The state.
    pub status: Status,
    /// One line saying why.
    pub summary: String,
    /// Performance data.
    pub perf: Vec<Perf>,
    /// Details for `--json`.
    pub details: Value,
}

impl Report {
    /// A report.
    pub fn new(status: Status, summary: impl Into<String>) -> Report {
        Report {
            status,
            summary: summary.into(),
            perf: Vec::new(),
            details: Value::Null,
        }
    }

    /// UNKNOWN with the reason.
    pub fn unknown(reason: impl Into<String>) -> Report {
        Report::new(Status::Unknown, reason)
    }

    /// The status line: `BAREOS <CHECK> <STATE> - <summary> | <perfdata>`.
    pub fn line(&self, check: &str) -> String {
        let summary = crate::exit::one_line(&self.summary).replace('|', "/");
        let mut line = format!(
            "BAREOS {} {} - {summary}",
            check.to_ascii_uppercase(),
            self.status.word()
        );
        if !self.perf.is_empty() {
            line.push_str(" | ");
            let perf: Vec<String> = self.perf.iter().map(Perf::text).collect();
            line.push_str(&perf.join(" "));
        }
        line
    }

    /// The JSON form.
    pub fn json(&self, check: &str) -> Value {
        json!({
            "check": check,
            "status": self.status.word(),
            "code": self.status.code(),
            "summary": self.summary,
            "perfdata": self.perf.iter().map(Perf::json).collect::<Vec<_>>(),
            "details": self.details,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfdata_syntax() {
        let w = Range::duration("26h").unwrap();
        let c = Range::duration("50h").unwrap();
        let p = Perf::new("age", 120.0, "s")
            .thresholds(Some(&w), Some(&c))
            .bounds(Some(0.0), None);
        assert_eq!(p.text(), "age=120s;93600;180000;0");
        assert_eq!(Perf::new("time", 0.0123, "s").text(), "time=0.0123s");
        assert_eq!(
            Perf::new("Full pool's used", 5.0, "%").text(),
            "'Full pool''s used'=5%"
        );
        let only_crit = Perf::new("failed", 2.0, "").thresholds(None, Some(&c));
        assert_eq!(only_crit.text(), "failed=2;;180000");
    }

    #[test]
    fn worst_state_and_line() {
        let w = Range::number("1").unwrap();
        let c = Range::number("3").unwrap();
        assert_eq!(Status::of(1.0, Some(&w), Some(&c)), Status::Ok);
        assert_eq!(Status::of(2.0, Some(&w), Some(&c)), Status::Warning);
        assert_eq!(Status::of(4.0, Some(&w), Some(&c)), Status::Critical);
        assert_eq!(Status::of(4.0, None, None), Status::Ok);
        assert!(Status::Unknown > Status::Critical && Status::Critical > Status::Warning);
        let mut r = Report::new(Status::Warning, "a | b\nc");
        r.perf.push(Perf::new("x", 1.0, ""));
        assert_eq!(r.line("jobs"), "BAREOS JOBS WARNING - a / b; c | x=1");
        assert_eq!(Report::unknown("no").line("job"), "BAREOS JOB UNKNOWN - no");
        assert_eq!(Report::unknown("no").json("job")["code"], 3);
    }
}
