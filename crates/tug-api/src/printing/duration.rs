//! Ages as kubectl shows them: upstream's `duration.HumanDuration`
//! (`k8s.io/apimachinery/pkg/util/duration`) and the printers' `translateTimestampSince`.

use std::time::Duration;

/// Upstream's `HumanDuration`: a succinct age with two or three significant figures —
/// `59s`, `119s`, `2m`, `2m3s`, `9m59s`, `10m`, `179m`, `3h`, `7h59m`, `8h`, `47h`, `2d`,
/// `7d23h`, `8d`, `729d`, `2y`, `7y364d`, `8y`.
pub fn human_duration(d: Duration) -> String {
    human_duration_nanos(i128::try_from(d.as_nanos()).unwrap_or(i128::MAX))
}

/// `HumanDuration` of a signed span in nanoseconds. Upstream tolerates up to two seconds of clock
/// skew (`0s`) and prints anything further in the future as `<invalid>`.
pub(crate) fn human_duration_nanos(nanos: i128) -> String {
    const SECOND: i128 = 1_000_000_000;
    // Go's `int(d.Seconds())` truncates toward zero.
    let seconds = nanos / SECOND;
    if seconds < -1 {
        return "<invalid>".to_string();
    }
    if seconds < 0 {
        return "0s".to_string();
    }
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        let days = hours / 24;
        return if h == 0 {
            format!("{days}d")
        } else {
            format!("{days}d{h}h")
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let years = hours / 24 / 365;
        let dy = (hours / 24) % 365;
        return if dy == 0 {
            format!("{years}y")
        } else {
            format!("{years}y{dy}d")
        };
    }
    format!("{}y", hours / 24 / 365)
}

/// Upstream's `translateTimestampSince`: the age of `timestamp` at `now`, or `<unknown>` when the
/// timestamp is unset.
pub fn translate_timestamp_since(
    timestamp: Option<jiff::Timestamp>,
    now: jiff::Timestamp,
) -> String {
    match timestamp {
        None => "<unknown>".to_string(),
        Some(t) => human_duration_nanos(now.as_nanosecond() - t.as_nanosecond()),
    }
}

/// [`translate_timestamp_since`] for the optional `metav1.Time` fields of the API types.
pub(crate) fn age(
    time: Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>,
    now: jiff::Timestamp,
) -> String {
    translate_timestamp_since(time.map(|t| t.0), now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> String {
        human_duration(Duration::from_secs(s))
    }

    #[test]
    fn seconds_are_printed_up_to_two_minutes() {
        assert_eq!(secs(0), "0s");
        assert_eq!(secs(59), "59s");
        assert_eq!(secs(119), "119s");
        assert_eq!(human_duration(Duration::from_millis(1999)), "1s");
    }

    #[test]
    fn minutes_carry_seconds_only_below_ten_minutes() {
        assert_eq!(secs(120), "2m");
        assert_eq!(secs(123), "2m3s");
        assert_eq!(secs(599), "9m59s");
        assert_eq!(secs(600), "10m");
        assert_eq!(secs(601), "10m");
        assert_eq!(secs(3 * 3600 - 1), "179m");
    }

    #[test]
    fn hours_carry_minutes_only_below_eight_hours() {
        assert_eq!(secs(3 * 3600), "3h");
        assert_eq!(secs(3 * 3600 + 60), "3h1m");
        assert_eq!(secs(8 * 3600 - 60), "7h59m");
        assert_eq!(secs(8 * 3600 + 59 * 60), "8h");
        assert_eq!(secs(47 * 3600 + 3599), "47h");
    }

    #[test]
    fn days_carry_hours_only_below_eight_days() {
        assert_eq!(secs(48 * 3600), "2d");
        assert_eq!(secs(49 * 3600), "2d1h");
        assert_eq!(secs(8 * 24 * 3600 - 3600), "7d23h");
        assert_eq!(secs(8 * 24 * 3600), "8d");
        assert_eq!(secs(729 * 24 * 3600), "729d");
    }

    #[test]
    fn years_carry_days_only_below_eight_years() {
        assert_eq!(secs(730 * 24 * 3600), "2y");
        assert_eq!(secs(731 * 24 * 3600), "2y1d");
        assert_eq!(secs((8 * 365 - 1) * 24 * 3600), "7y364d");
        assert_eq!(secs(8 * 365 * 24 * 3600), "8y");
        assert_eq!(secs(20 * 365 * 24 * 3600 + 100), "20y");
    }

    #[test]
    fn a_timestamp_slightly_in_the_future_is_zero_seconds_old_and_further_is_invalid() {
        let now: jiff::Timestamp = "2026-01-01T00:00:10Z".parse().unwrap();
        let soon: jiff::Timestamp = "2026-01-01T00:00:11.5Z".parse().unwrap();
        let later: jiff::Timestamp = "2026-01-01T00:00:13Z".parse().unwrap();
        assert_eq!(translate_timestamp_since(Some(soon), now), "0s");
        assert_eq!(translate_timestamp_since(Some(later), now), "<invalid>");
        assert_eq!(translate_timestamp_since(None, now), "<unknown>");
    }
}
