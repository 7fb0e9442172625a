//! Threshold ranges of the Monitoring Plugins Development Guidelines: `10` (alert
//! outside 0..10), `10:` (below 10), `~:10` (above 10), `10:20` (outside 10..20) and
//! `@10:20` (inside 10..20, inclusive). Bounds are numbers, durations (`26h`) or
//! percentages (`80%`), depending on the option.

use super::duration;
use std::fmt;

/// A parsed threshold range over one quantity (seconds, percent, a count).
#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    start: f64,
    end: f64,
    inside: bool,
}

impl Range {
    /// Parses `text`, reading each bound with `bound`.
    pub fn parse_with(
        text: &str,
        bound: impl Fn(&str) -> Result<f64, String>,
    ) -> Result<Range, String> {
        let text = text.trim();
        let (inside, body) = match text.strip_prefix('@') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        if body.is_empty() {
            return Err("an empty threshold range".into());
        }
        let (start, end) = match body.split_once(':') {
            None => (0.0, bound(body)?),
            Some((start, end)) => {
                let start = match start {
                    "~" => f64::NEG_INFINITY,
                    "" => 0.0,
                    s => bound(s)?,
                };
                let end = if end.is_empty() {
                    f64::INFINITY
                } else {
                    bound(end)?
                };
                (start, end)
            }
        };
        if start > end {
            return Err(format!("the threshold range '{text}' starts after its end"));
        }
        Ok(Range { start, end, inside })
    }

    /// A range of plain numbers (`5`, `2:`, `@0:0.5`).
    pub fn number(text: &str) -> Result<Range, String> {
        Self::parse_with(text, number)
    }

    /// A range of durations (`26h`, `~:3d`, `30m:2h`); the unit is the second.
    pub fn duration(text: &str) -> Result<Range, String> {
        Self::parse_with(text, |b| duration::parse(b).map(|s| s as f64))
    }

    /// A range of percentages (`80%`, `80`, `10%:90%`).
    pub fn percent(text: &str) -> Result<Range, String> {
        Self::parse_with(text, |b| number(b.strip_suffix('%').unwrap_or(b)))
    }

    /// Whether `value` raises the alert of this range.
    pub fn alerts(&self, value: f64) -> bool {
        let within = self.start <= value && value <= self.end;
        if self.inside {
            within
        } else {
            !within
        }
    }
}

/// The range in plain numbers of its base unit, as performance data carries it.
impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.inside {
            f.write_str("@")?;
        }
        let start = if self.start == f64::NEG_INFINITY {
            "~".to_string()
        } else {
            plain(self.start)
        };
        match (self.start == 0.0 && !self.inside, self.end.is_infinite()) {
            (true, false) => write!(f, "{}", plain(self.end)),
            (_, true) => write!(f, "{start}:"),
            (false, false) => write!(f, "{start}:{}", plain(self.end)),
        }
    }
}

fn number(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .ok_or_else(|| format!("'{text}' is not a number"))
}

/// A number without a needless fraction: `3`, `0.25`.
pub fn plain(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let text = format!("{n:.6}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guideline_examples() {
        // 10: alert if < 0 or > 10.
        let r = Range::number("10").unwrap();
        assert!(!r.alerts(0.0) && !r.alerts(10.0) && !r.alerts(5.5));
        assert!(r.alerts(-1.0) && r.alerts(10.1));
        // 10: alert if < 10.
        let r = Range::number("10:").unwrap();
        assert!(r.alerts(9.9) && !r.alerts(10.0) && !r.alerts(1e9));
        // ~:10 alert if > 10.
        let r = Range::number("~:10").unwrap();
        assert!(!r.alerts(-1e9) && !r.alerts(10.0) && r.alerts(11.0));
        // 10:20 alert if < 10 or > 20.
        let r = Range::number("10:20").unwrap();
        assert!(r.alerts(9.0) && !r.alerts(10.0) && !r.alerts(20.0) && r.alerts(21.0));
        // @10:20 alert if >= 10 and <= 20.
        let r = Range::number("@10:20").unwrap();
        assert!(!r.alerts(9.0) && r.alerts(10.0) && r.alerts(20.0) && !r.alerts(21.0));
    }

    #[test]
    fn units_and_display() {
        let r = Range::duration("26h").unwrap();
        assert_eq!(r.to_string(), "93600");
        assert!(r.alerts(93_601.0) && !r.alerts(93_600.0));
        assert_eq!(Range::duration("30m:2h").unwrap().to_string(), "1800:7200");
        assert_eq!(Range::duration("~:3d").unwrap().to_string(), "~:259200");
        assert_eq!(Range::percent("80%").unwrap().to_string(), "80");
        assert_eq!(Range::percent("@10%:20").unwrap().to_string(), "@10:20");
        assert_eq!(Range::number("5:").unwrap().to_string(), "5:");
        assert_eq!(Range::number("0.5").unwrap().to_string(), "0.5");
        assert_eq!(Range::number("@0:3").unwrap().to_string(), "@0:3");
    }

    #[test]
    fn bad_ranges() {
        for bad in ["", "@", "x", "20:10", "1:2:3", "nan", "inf", "10%%"] {
            assert!(Range::percent(bad).is_err(), "{bad}");
        }
        assert!(Range::duration("26x").is_err());
        assert!(Range::number("80%").is_err());
    }
}
