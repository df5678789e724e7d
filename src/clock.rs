//! The one place the clock is read: today's date where the board is, by the machine's local
//! time zone (in Vietnam, UTC+7, the day changes at midnight there, not at 07:00). The engine
//! never reads the clock; the command line and the app pass this date in.

use chrono::{DateTime, Datelike, Local, TimeZone, Timelike, Utc};

use crate::engine::properties::Date;

/// Today in the machine's local time zone.
pub fn today() -> Date {
    date_in(&Local, Utc::now())
}

/// The local date, hour and minute of `unix_secs` (seconds since 1970 UTC), as a person at this
/// machine reads a time ("the window closed at 14:05").
pub fn local_time(unix_secs: u64) -> (Date, u32, u32) {
    time_in(&Local, unix_secs)
}

/// The date, hour and minute of `unix_secs` in the time zone `zone` (the epoch for an instant
/// out of chrono's range).
pub fn time_in<Tz: TimeZone>(zone: &Tz, unix_secs: u64) -> (Date, u32, u32) {
    let utc = i64::try_from(unix_secs)
        .ok()
        .and_then(|s| DateTime::from_timestamp(s, 0))
        .unwrap_or_default();
    let local = utc.with_timezone(zone);
    (date_in(zone, utc), local.hour(), local.minute())
}

/// The calendar date of the instant `now` in the time zone `zone`.
pub fn date_in<Tz: TimeZone>(zone: &Tz, now: DateTime<Utc>) -> Date {
    let local = now.with_timezone(zone).date_naive();
    // A date chrono can represent always has a month and day in range.
    Date::from_ymd(local.year(), local.month(), local.day()).unwrap_or(Date(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("a time")
            .with_timezone(&Utc)
    }

    fn d(s: &str) -> Date {
        Date::parse(s).expect("a date")
    }

    #[test]
    fn the_day_changes_at_local_midnight() {
        let vietnam = FixedOffset::east_opt(7 * 3600).expect("UTC+7");
        // 16:59 UTC is 23:59 in Hà Nội: still the 31st; 17:00 UTC is midnight there.
        assert_eq!(
            date_in(&vietnam, utc("2024-12-31T16:59:59Z")),
            d("2024-12-31")
        );
        assert_eq!(
            date_in(&vietnam, utc("2024-12-31T17:00:00Z")),
            d("2025-01-01")
        );
        // In UTC the year turns seven hours later.
        assert_eq!(date_in(&Utc, utc("2024-12-31T23:59:59Z")), d("2024-12-31"));
        // 06:59 UTC on 1 March in a leap year: already 1 March in Vietnam, as in UTC.
        assert_eq!(
            date_in(&vietnam, utc("2024-03-01T06:59:00Z")),
            d("2024-03-01")
        );
        // West of Greenwich the day is behind.
        let west = FixedOffset::west_opt(5 * 3600).expect("UTC-5");
        assert_eq!(date_in(&west, utc("2024-03-01T04:00:00Z")), d("2024-02-29"));
    }

    #[test]
    fn a_time_is_read_on_the_local_clock() {
        let vietnam = FixedOffset::east_opt(7 * 3600).expect("UTC+7");
        let secs = utc("2024-12-31T17:05:00Z").timestamp() as u64;
        assert_eq!(time_in(&vietnam, secs), (d("2025-01-01"), 0, 5));
        assert_eq!(time_in(&Utc, secs), (d("2024-12-31"), 17, 5));
    }
}
