//! Date-times as the API writes them: with `Z`, with an offset, with no zone at all, with or
//! without fractional seconds. The value keeps the form it came in, so it goes back unchanged.

use std::fmt;
use std::str::FromStr;

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};

/// A date-time from or for the API.
///
/// Some answers hold a location's wall-clock time with a trailing `Z`, and some hold no zone, so
/// the zone is kept as sent ([`DateTime::offset`]) rather than trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    naive: NaiveDateTime,
    offset: Option<FixedOffset>,
}

impl DateTime {
    /// A date-time with no zone, such as a location's wall-clock time.
    pub fn from_naive(naive: NaiveDateTime) -> Self {
        DateTime { naive, offset: None }
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

    /// The form list filters take: `YYYY-MM-DDTHH:mm`.
    pub fn to_filter_string(&self) -> String {
        self.naive.format("%Y-%m-%dT%H:%M").to_string()
    }
}

impl<Tz: TimeZone> From<chrono::DateTime<Tz>> for DateTime {
    fn from(value: chrono::DateTime<Tz>) -> Self {
        let fixed = value.fixed_offset();
        DateTime { naive: fixed.naive_local(), offset: Some(*fixed.offset()) }
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
        if let Ok(zoned) = chrono::DateTime::parse_from_rfc3339(text) {
            return Ok(zoned.into());
        }
        const NAIVE_FORMATS: [&str; 3] = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S%.f"];
        if let Some(naive) = NAIVE_FORMATS.iter().find_map(|format| NaiveDateTime::parse_from_str(text, format).ok()) {
            return Ok(DateTime::from_naive(naive));
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|date| date.and_hms_opt(0, 0, 0))
            .map(DateTime::from_naive)
            .ok_or_else(|| ParseDateTimeError(text.to_owned()))
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.offset {
            Some(offset) => {
                let zoned = offset.from_local_datetime(&self.naive).single().ok_or(fmt::Error)?;
                f.write_str(&zoned.to_rfc3339_opts(SecondsFormat::AutoSi, true))
            }
            None => write!(f, "{}", self.naive.format("%Y-%m-%dT%H:%M:%S%.f")),
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
        check("2025-01-15T10:30:00.5", "2025-01-15T10:30:00.500");
        check("2025-01-15T10:30", "2025-01-15T10:30:00");
        check("2025-01-15", "2025-01-15T00:00:00");
    }

    #[test]
    fn zone_is_kept_apart_from_wall_clock() {
        let value: DateTime = "2025-01-15T10:30:00+01:00".parse().unwrap();
        assert_eq!(value.naive().to_string(), "2025-01-15 10:30:00");
        assert_eq!(value.to_utc().unwrap().to_rfc3339(), "2025-01-15T09:30:00+00:00");
        let local: DateTime = "2025-01-15T10:30:00".parse().unwrap();
        assert_eq!(local.to_utc(), None);
        assert_eq!(local.to_filter_string(), "2025-01-15T10:30");
    }

    #[test]
    fn rejects_what_is_no_date() {
        assert!("yesterday".parse::<DateTime>().is_err());
        assert!(serde_json::from_str::<DateTime>("12").is_err());
    }
}
