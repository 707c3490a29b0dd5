//! The one clock of the tool, always whole seconds. Output must be the same
//! bytes for the same input (helm post-renderers, GitOps diffs), so the
//! current time is only used when asked for. In order of precedence:
//! `SOURCE_DATE_EPOCH` (seconds), then `--wall-clock` (the current UTC time,
//! as the webhook stamps pods), then the Unix epoch `1970-01-01T00:00:00Z`.

use std::time::{SystemTime, UNIX_EPOCH};

/// The instant used when neither `SOURCE_DATE_EPOCH` nor `--wall-clock` says
/// otherwise: `1970-01-01T00:00:00Z`.
pub const DEFAULT_EPOCH: i64 = 0;

/// A `SOURCE_DATE_EPOCH` that is not a whole number of seconds.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("SOURCE_DATE_EPOCH={0:?} is not a whole number of seconds")]
pub struct ClockError(pub String);

/// Seconds since the Unix epoch to use for every timestamp the tool writes.
/// An unparsable `SOURCE_DATE_EPOCH` is an error the CLI reports.
pub fn now_epoch(wall_clock: bool) -> Result<i64, ClockError> {
    choose(
        std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(),
        wall_clock,
        || {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(DEFAULT_EPOCH)
        },
    )
}

/// The precedence rule, apart from the process environment and clock.
fn choose(
    source_date_epoch: Option<&str>,
    wall_clock: bool,
    system_now: impl FnOnce() -> i64,
) -> Result<i64, ClockError> {
    match source_date_epoch.map(str::trim) {
        Some(s) if !s.is_empty() => s.parse::<i64>().map_err(|_| ClockError(s.to_string())),
        _ if wall_clock => Ok(system_now()),
        _ => Ok(DEFAULT_EPOCH),
    }
}

/// RFC 3339 UTC form with second precision, as Go's `metav1.Time` marshals:
/// `2024-01-01T00:00:00Z`.
pub fn rfc3339(epoch: i64) -> String {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_704_067_200), "2024-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_748_764_800), "2025-06-01T08:00:00Z");
    }

    #[test]
    fn source_date_epoch_beats_wall_clock_beats_the_epoch() {
        let wall = || 1_700_000_000;
        assert_eq!(choose(Some("86400"), true, wall), Ok(86_400));
        assert_eq!(choose(Some(" 86400 "), false, wall), Ok(86_400));
        assert_eq!(choose(None, true, wall), Ok(1_700_000_000));
        assert_eq!(choose(Some(""), true, wall), Ok(1_700_000_000));
        assert_eq!(choose(None, false, wall), Ok(DEFAULT_EPOCH));
        assert_eq!(choose(Some("  "), false, wall), Ok(DEFAULT_EPOCH));
        assert!(choose(Some("yesterday"), true, wall).is_err());
    }
}
