//! Durations of the check options: `90` or `90s`, `30m`, `26h`, `3d`, `2w`, and sums
//! such as `1d12h`; and the short human form of an age (`2d 3h`).

/// Seconds in a duration such as `26h` or `1d12h` (a bare number is seconds).
pub fn parse(text: &str) -> Result<u64, String> {
    let bad = || format!("'{text}' is not a duration (examples: 90s, 30m, 26h, 3d, 1d12h)");
    let text = text.trim();
    if text.is_empty() {
        return Err(bad());
    }
    let mut total: u64 = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return Err(bad());
        }
        let number: u64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let factor = match &rest[..unit_len] {
            "" | "s" => 1,
            "m" => 60,
            "h" => 3600,
            "d" => 86_400,
            "w" => 604_800,
            _ => return Err(bad()),
        };
        rest = &rest[unit_len..];
        total = number
            .checked_mul(factor)
            .and_then(|n| total.checked_add(n))
            .ok_or_else(bad)?;
    }
    Ok(total)
}

/// The two largest units of an age: `42s`, `5m 10s`, `26h 0m` is `1d 2h`.
pub fn human(seconds: i64) -> String {
    let negative = seconds < 0;
    let s = seconds.unsigned_abs();
    let text = match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m {}s", s / 60, s % 60),
        3600..=86_399 => format!("{}h {}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d {}h", s / 86_400, s % 86_400 / 3600),
    };
    if negative {
        format!("-{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_sums() {
        assert_eq!(parse("90"), Ok(90));
        assert_eq!(parse("90s"), Ok(90));
        assert_eq!(parse("30m"), Ok(1800));
        assert_eq!(parse("26h"), Ok(93_600));
        assert_eq!(parse("3d"), Ok(259_200));
        assert_eq!(parse("2w"), Ok(1_209_600));
        assert_eq!(parse("1d12h"), Ok(129_600));
        assert_eq!(parse("1h30m15s"), Ok(5415));
        assert_eq!(parse(" 5m "), Ok(300));
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "h",
            "26x",
            "1.5h",
            "-3d",
            "3 d",
            "99999999999999999999",
            "9999999999999999w",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn human_ages() {
        assert_eq!(human(42), "42s");
        assert_eq!(human(310), "5m 10s");
        assert_eq!(human(93_600), "1d 2h");
        assert_eq!(human(7260), "2h 1m");
        assert_eq!(human(-5), "-5s");
    }
}
