//! Times and durations on the command line: `--now MS` (else the system clock), durations such
//! as `90s`, `15m`, `2h`, `1d`, and how far a time lies from now, for people.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::args::Args;

const SECOND: u64 = 1000;
const MINUTE: u64 = 60 * SECOND;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;

/// `--now MS` (Unix ms), else the system clock.
pub(crate) fn now(args: &Args) -> Result<u64, String> {
    match args.number("now")? {
        Some(now) => Ok(now),
        None => system_now(),
    }
}

fn system_now() -> Result<u64, String> {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|_| "the system clock is before 1970: set it, or give --now MS")?;
    Ok(u64::try_from(since.as_millis()).unwrap_or(u64::MAX))
}

/// The duration option `name` in ms, or `default`.
pub(crate) fn duration_option(args: &Args, name: &str, default: Duration) -> Result<u64, String> {
    match args.get(name) {
        Some(text) => parse_duration(text).ok_or_else(|| {
            format!(
                "--{name}: expected a whole number and a unit s, m, h or d (such as 90s, 15m, \
                 2h, 1d)"
            )
        }),
        None => Ok(u64::try_from(default.as_millis()).unwrap_or(u64::MAX)),
    }
}

/// `90s`, `15m`, `2h`, `1d` in ms; `None` for anything else (or past `u64` ms).
pub(crate) fn parse_duration(text: &str) -> Option<u64> {
    let unit = match text.bytes().last()? {
        b's' => SECOND,
        b'm' => MINUTE,
        b'h' => HOUR,
        b'd' => DAY,
        _ => return None,
    };
    let number = text.get(..text.len() - 1)?;
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    number.parse::<u64>().ok()?.checked_mul(unit)
}

/// A duration for people, in its two largest units, rounded down to the second: `15m`,
/// `2m 30s`, `1d 2h`, `0s`.
pub(crate) fn human(ms: u64) -> String {
    let parts = [
        (ms / DAY, "d"),
        (ms % DAY / HOUR, "h"),
        (ms % HOUR / MINUTE, "m"),
        (ms % MINUTE / SECOND, "s"),
    ];
    let Some(first) = parts.iter().position(|&(n, _)| n > 0) else {
        return "0s".into();
    };
    parts
        .iter()
        .skip(first)
        .take(2)
        .filter(|&&(n, _)| n > 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// How far `time` lies from `now`: `in 15m`, `2h ago`, or `now`.
pub(crate) fn relative(time: u64, now: u64) -> String {
    if time > now {
        format!("in {}", human(time - now))
    } else if now - time < SECOND {
        "now".into()
    } else {
        format!("{} ago", human(now - time))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_a_whole_number_and_a_unit() {
        assert_eq!(parse_duration("90s"), Some(90_000));
        assert_eq!(parse_duration("15m"), Some(900_000));
        assert_eq!(parse_duration("2h"), Some(7_200_000));
        assert_eq!(parse_duration("1d"), Some(86_400_000));
        assert_eq!(parse_duration("0s"), Some(0));
        for bad in [
            "",
            "s",
            "15",
            "1.5h",
            "-1m",
            "+1m",
            "1 m",
            "1w",
            "15mm",
            "é",
            "99999999999999999d",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn durations_for_people() {
        assert_eq!(human(0), "0s");
        assert_eq!(human(999), "0s");
        assert_eq!(human(900_000), "15m");
        assert_eq!(human(900_999), "15m");
        assert_eq!(human(150_000), "2m 30s");
        assert_eq!(human(DAY + 2 * HOUR + 5 * MINUTE), "1d 2h");
        assert_eq!(human(DAY + 5 * MINUTE), "1d");
        assert_eq!(relative(10 * MINUTE, 0), "in 10m");
        assert_eq!(relative(0, 3 * HOUR), "3h ago");
        assert_eq!(relative(5, 5), "now");
    }
}
