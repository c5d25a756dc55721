//! Date-times as the API writes them: with `Z`, with an offset, with no zone at all, with or
//! without fractional seconds. A value read from text keeps that text and is written back as it
//! came (same fraction digits, same zone form), so a record read and sent back changes nothing.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Timelike, Utc};

/// A date-time from or for the API.
///
/// Some answers hold a location's wall-clock time with a trailing `Z`, and some hold no zone, so
/// the zone is kept as sent ([`DateTime::offset`]) rather than trusted.
///
/// A value read from the API (or parsed from a string) is written back exactly as it was read:
/// `2025-03-01T09:30:00.1234567` keeps its seven fraction digits, `.5Z` stays `.5Z`, `+00:00`
/// stays `+00:00`. A value made in Rust (from a `chrono` date-time or a naive one) is written as
/// .NET reads it: the fraction to 100 ns at most, without trailing zeros, `Z` for UTC.
///
/// Two values are equal when they hold the same wall-clock time and the same offset (or both
/// none), whatever their text: `10:30:00Z` equals `10:30:00.000+00:00`.
#[derive(Clone, Copy)]
pub struct DateTime {
    naive: NaiveDateTime,
    offset: Option<FixedOffset>,
    /// The text the value was read from, empty for a value made in Rust.
    text: KeptText,
}

impl DateTime {
    /// A date-time with no zone, such as a location's wall-clock time.
    pub fn from_naive(naive: NaiveDateTime) -> Self {
        DateTime { naive, offset: None, text: KeptText::NONE }
    }

    /// The date and time as written, ignoring any zone.
    pub fn naive(&self) -> NaiveDateTime {
        self.naive
    }

    /// The offset the value was written with (`Z` is zero), or `None` when it had no zone.
    pub fn offset(&self) -> Option<FixedOffset> {
        self.offset
    }

    /// The instant in UTC, when the value carried a zone.
    pub fn to_utc(&self) -> Option<chrono::DateTime<Utc>> {
        let offset = self.offset?;
        offset.from_local_datetime(&self.naive).single().map(|local| local.with_timezone(&Utc))
    }

    /// The form list filters take, `YYYY-MM-DDTHH:mm`, rounded down to the minute: the time in
    /// UTC when the value has a zone (filters take none), the wall-clock time as written when it
    /// has none. What equality filters and the lower end of a range send.
    pub fn to_filter_string(&self) -> String {
        let minute = self.filter_time().with_second(0).and_then(|time| time.with_nanosecond(0));
        minute.unwrap_or(self.naive).format(FILTER_FORMAT).to_string()
    }

    /// [`DateTime::to_filter_string`], rounded up to the next minute when the value is not on a
    /// whole minute: what the upper end of a range sends, so that an inclusive range to
    /// `23:59:59` keeps the records of 23:59.
    pub fn to_filter_string_rounded_up(&self) -> String {
        let time = self.filter_time();
        let minute = time.with_second(0).and_then(|time| time.with_nanosecond(0)).unwrap_or(time);
        let rounded =
            if minute == time { minute } else { minute.checked_add_signed(TimeDelta::minutes(1)).unwrap_or(minute) };
        rounded.format(FILTER_FORMAT).to_string()
    }

    /// The time a filter compares: in UTC when the value has a zone, as written otherwise.
    fn filter_time(&self) -> NaiveDateTime {
        self.to_utc().map_or(self.naive, |utc| utc.naive_utc())
    }

    /// The text of a value made in Rust: seconds always, the fraction in 100 ns ticks without
    /// trailing zeros (what .NET's `DateTime` holds), `Z` for a zero offset.
    fn write_made_in_rust(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.naive.format("%Y-%m-%dT%H:%M:%S"))?;
        // A leap second carries its extra second in the nanoseconds.
        let ticks = (self.naive.nanosecond() % 1_000_000_000) / 100;
        if ticks != 0 {
            let digits = format!("{ticks:07}");
            write!(f, ".{}", digits.trim_end_matches('0'))?;
        }
        match self.offset {
            None => Ok(()),
            Some(offset) if offset.local_minus_utc() == 0 => f.write_str("Z"),
            Some(offset) => write!(f, "{offset}"),
        }
    }
}

impl PartialEq for DateTime {
    fn eq(&self, other: &Self) -> bool {
        (self.naive, self.offset) == (other.naive, other.offset)
    }
}

impl Eq for DateTime {}

impl Hash for DateTime {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.naive, self.offset).hash(state);
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({self})")
    }
}

impl<Tz: TimeZone> From<chrono::DateTime<Tz>> for DateTime {
    fn from(value: chrono::DateTime<Tz>) -> Self {
        let fixed = value.fixed_offset();
        DateTime { naive: fixed.naive_local(), offset: Some(*fixed.offset()), text: KeptText::NONE }
    }
}

impl From<NaiveDateTime> for DateTime {
    fn from(naive: NaiveDateTime) -> Self {
        DateTime::from_naive(naive)
    }
}

/// A string that is not one of the date-time forms the API uses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a date-time: {0:?}")]
pub struct ParseDateTimeError(String);

impl FromStr for DateTime {
    type Err = ParseDateTimeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (naive, offset) = parse(text).ok_or_else(|| ParseDateTimeError(text.to_owned()))?;
        Ok(DateTime { naive, offset, text: KeptText::new(text) })
    }
}

/// The wall-clock time and zone of one of the forms the API writes.
fn parse(text: &str) -> Option<(NaiveDateTime, Option<FixedOffset>)> {
    if let Ok(zoned) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some((zoned.naive_local(), Some(*zoned.offset())));
    }
    const NAIVE_FORMATS: [&str; 3] = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S%.f"];
    if let Some(naive) = NAIVE_FORMATS.iter().find_map(|format| NaiveDateTime::parse_from_str(text, format).ok()) {
        return Some((naive, None));
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some((date.and_hms_opt(0, 0, 0)?, None))
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.text.as_str() {
            Some(text) => f.write_str(text),
            None => self.write_made_in_rust(f),
        }
    }
}

impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The form filters take date-times in.
const FILTER_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// The longest text kept: every form the API writes fits (35 characters with nine fraction
/// digits and an offset). A longer one is still read, and written back in the form of a value
/// made in Rust.
const KEPT_TEXT_CAPACITY: usize = 40;

/// Text kept inline, so that a date-time stays `Copy` and reading one allocates nothing.
#[derive(Clone, Copy)]
struct KeptText {
    len: u8,
    bytes: [u8; KEPT_TEXT_CAPACITY],
}

impl KeptText {
    const NONE: KeptText = KeptText { len: 0, bytes: [0; KEPT_TEXT_CAPACITY] };

    fn new(text: &str) -> Self {
        if text.is_empty() || text.len() > KEPT_TEXT_CAPACITY {
            return KeptText::NONE;
        }
        let mut kept = KeptText::NONE;
        kept.bytes[..text.len()].copy_from_slice(text.as_bytes());
        kept.len = text.len() as u8;
        kept
    }

    fn as_str(&self) -> Option<&str> {
        // Only whole `&str`s are ever copied in, so the bytes are UTF-8.
        (self.len > 0).then(|| std::str::from_utf8(&self.bytes[..usize::from(self.len)]).ok()).flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, written_back: &str) {
        let value: DateTime = input.parse().unwrap();
        assert_eq!(value.to_string(), written_back);
    }

    #[test]
    fn keeps_the_form_it_came_in() {
        check("2025-01-15T10:30:00Z", "2025-01-15T10:30:00Z");
        check("2025-01-15T10:30:00+01:00", "2025-01-15T10:30:00+01:00");
        check("2025-01-15T10:30:00", "2025-01-15T10:30:00");
        check("2025-01-15T10:30:00.123Z", "2025-01-15T10:30:00.123Z");
        check("2025-01-15T10:30", "2025-01-15T10:30");
        check("2025-01-15", "2025-01-15");
    }

    #[test]
    fn keeps_every_fraction_digit_and_the_zone_form() {
        // .NET writes up to 7 fraction digits (100 ns ticks), and drops trailing zeros or not
        // depending on the serializer: each form goes back as it came.
        for fraction in ["", ".1", ".12", ".123", ".1234", ".12345", ".123456", ".1234567", ".5", ".500", ".1000000"] {
            for zone in ["", "Z", "+00:00", "-00:00", "+05:30", "-08:00"] {
                let text = format!("2025-03-01T09:30:00{fraction}{zone}");
                check(&text, &text);
            }
        }
        check("2025-03-01 09:30:00.25", "2025-03-01 09:30:00.25");
    }

    #[test]
    fn equal_values_compare_equal_whatever_their_form() {
        let parse = |text: &str| text.parse::<DateTime>().unwrap();
        assert_eq!(parse("2025-01-15T10:30:00Z"), parse("2025-01-15T10:30:00.000+00:00"));
        assert_ne!(parse("2025-01-15T10:30:00Z"), parse("2025-01-15T10:30:00"));
        assert_ne!(parse("2025-01-15T10:30:00Z"), parse("2025-01-15T10:30:00.0000001Z"));
    }

    #[test]
    fn values_made_in_rust_are_written_as_dotnet_reads_them() {
        let utc = chrono::DateTime::parse_from_rfc3339("2025-01-15T10:30:00.123456789Z").unwrap();
        assert_eq!(DateTime::from(utc).to_string(), "2025-01-15T10:30:00.1234567Z", "100 ns ticks at most");
        let half = chrono::DateTime::parse_from_rfc3339("2025-01-15T10:30:00.5+01:00").unwrap();
        assert_eq!(DateTime::from(half).to_string(), "2025-01-15T10:30:00.5+01:00");
        let naive = NaiveDate::from_ymd_opt(2025, 1, 15).unwrap().and_hms_opt(10, 30, 0).unwrap();
        assert_eq!(DateTime::from_naive(naive).to_string(), "2025-01-15T10:30:00");
    }

    #[test]
    fn serde_writes_back_the_text_it_read() {
        for text in
            [r#""2025-03-01T09:30:00.1234567""#, r#""2025-03-01T09:30:00.5Z""#, r#""2025-03-01T09:30:00+00:00""#]
        {
            let value: DateTime = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&value).unwrap(), text);
        }
    }

    #[test]
    fn zone_is_kept_apart_from_wall_clock() {
        let value: DateTime = "2025-01-15T10:30:00+01:00".parse().unwrap();
        assert_eq!(value.naive().to_string(), "2025-01-15 10:30:00");
        assert_eq!(value.to_utc().unwrap().to_rfc3339(), "2025-01-15T09:30:00+00:00");
        let local: DateTime = "2025-01-15T10:30:00".parse().unwrap();
        assert_eq!(local.to_utc(), None);
    }

    fn check_filter(input: &str, rounded_down: &str, rounded_up: &str) {
        let value: DateTime = input.parse().unwrap();
        assert_eq!(value.to_filter_string(), rounded_down, "{input} rounded down");
        assert_eq!(value.to_filter_string_rounded_up(), rounded_up, "{input} rounded up");
    }

    #[test]
    fn filters_take_the_minute_rounded_outward_and_in_utc() {
        check_filter("2025-01-15T23:59:59Z", "2025-01-15T23:59", "2025-01-16T00:00");
        check_filter("2025-01-15T23:59:00Z", "2025-01-15T23:59", "2025-01-15T23:59");
        check_filter("2025-01-15T23:59:00.0000001Z", "2025-01-15T23:59", "2025-01-16T00:00");
        check_filter("2025-01-15T10:30:00+02:00", "2025-01-15T08:30", "2025-01-15T08:30");
        check_filter("2025-01-15T10:30:45-05:00", "2025-01-15T15:30", "2025-01-15T15:31");
        check_filter("2025-01-15T10:30:45", "2025-01-15T10:30", "2025-01-15T10:31");
        check_filter("2025-12-31T23:59:30", "2025-12-31T23:59", "2026-01-01T00:00");
    }

    #[test]
    fn rejects_what_is_no_date() {
        assert!("yesterday".parse::<DateTime>().is_err());
        assert!(serde_json::from_str::<DateTime>("12").is_err());
    }
}
