//! [`Date`]: a UTC timestamp at second precision, written `YYYY-MM-DDTHH:mm:ssZ`.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a text is not a stream-sea date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// The text is not of the form `YYYY-MM-DDTHH:mm:ssZ` (20 characters).
    #[error("{0:?} is not of the form YYYY-MM-DDTHH:mm:ssZ (UTC, no fraction, no offset)")]
    Format(String),
    /// The form is right but the calendar date or time does not exist.
    #[error("{0:?} is not a real date and time")]
    Impossible(String),
    /// A chrono timestamp outside years 0000 to 9999.
    #[error("year {0} is outside 0000..=9999")]
    YearOutOfRange(i32),
}

/// A UTC timestamp at second precision whose text form is exactly
/// `YYYY-MM-DDTHH:mm:ssZ`, the form of stream-sea's `date` type.
///
/// ```
/// use streamsea_schema::Date;
/// let d: Date = "2020-02-29T23:59:59Z".parse().unwrap();
/// assert_eq!(d.to_string(), "2020-02-29T23:59:59Z");
/// assert!("2019-02-29T10:00:00Z".parse::<Date>().is_err()); // no such day
/// assert!("2019-01-23T10:00:00.000Z".parse::<Date>().is_err()); // fraction
/// assert!("2019-01-23T10:00:00+00:00".parse::<Date>().is_err()); // offset
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Seconds since 1970-01-01T00:00:00Z.
    secs: i64,
}

/// The earliest representable date, `0000-01-01T00:00:00Z`.
const MIN_SECS: i64 = -62_167_219_200;
/// The latest representable date, `9999-12-31T23:59:59Z`.
const MAX_SECS: i64 = 253_402_300_799;

impl Date {
    /// The current time, truncated to the second.
    pub fn now() -> Date {
        Date {
            secs: Utc::now().timestamp(),
        }
    }

    /// The date `secs` seconds after the UNIX epoch, if its year is 0000..=9999.
    pub fn from_unix(secs: i64) -> Option<Date> {
        (MIN_SECS..=MAX_SECS)
            .contains(&secs)
            .then_some(Date { secs })
    }

    /// Seconds since the UNIX epoch.
    pub fn unix(self) -> i64 {
        self.secs
    }

    /// The date from its parts, if they form a real UTC date and time.
    pub fn from_parts(
        year: u32,
        month: u32,
        day: u32,
        hour: u32,
        min: u32,
        sec: u32,
    ) -> Option<Date> {
        let parts = Parts {
            year,
            month,
            day,
            hour,
            min,
            sec,
        };
        parts.is_real().then(|| Date {
            secs: parts.to_unix(),
        })
    }

    fn parts(self) -> Parts {
        let days = self.secs.div_euclid(86_400);
        let rem = self.secs.rem_euclid(86_400) as u32;
        let (year, month, day) = civil_from_days(days);
        Parts {
            year: year as u32,
            month,
            day,
            hour: rem / 3600,
            min: rem / 60 % 60,
            sec: rem % 60,
        }
    }

    /// Writes the 20-byte text form.
    pub fn to_bytes(self) -> [u8; 20] {
        let p = self.parts();
        let mut b = *b"0000-00-00T00:00:00Z";
        let put = |b: &mut [u8; 20], at: usize, v: u32, width: usize| {
            let mut v = v;
            for i in (0..width).rev() {
                b[at + i] = b'0' + (v % 10) as u8;
                v /= 10;
            }
        };
        put(&mut b, 0, p.year, 4);
        put(&mut b, 5, p.month, 2);
        put(&mut b, 8, p.day, 2);
        put(&mut b, 11, p.hour, 2);
        put(&mut b, 14, p.min, 2);
        put(&mut b, 17, p.sec, 2);
        b
    }
}

struct Parts {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    min: u32,
    sec: u32,
}

impl Parts {
    fn is_real(&self) -> bool {
        self.year <= 9999
            && (1..=12).contains(&self.month)
            && self.day >= 1
            && self.day <= days_in_month(self.year, self.month)
            && self.hour < 24
            && self.min < 60
            && self.sec < 60
    }

    fn to_unix(&self) -> i64 {
        days_from_civil(self.year as i64, self.month, self.day) * 86_400
            + (self.hour * 3600 + self.min * 60 + self.sec) as i64
    }
}

fn is_leap(year: u32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    const DAYS: [u32; 13] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    match month {
        2 if is_leap(year) => 29,
        _ => DAYS.get(month as usize).copied().unwrap_or(0),
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (y, m, d)
}

/// Reads the parts of a `YYYY-MM-DDTHH:mm:ssZ` text without checking that the
/// date is real; `None` when the form is wrong.
#[inline]
fn parse_form(b: &[u8]) -> Option<Parts> {
    let b: &[u8; 20] = b.try_into().ok()?;
    if b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return None;
    }
    // Every other byte must be an ASCII digit.
    let mut bad = 0u8;
    for (i, &c) in b.iter().enumerate() {
        if !matches!(i, 4 | 7 | 10 | 13 | 16 | 19) {
            bad |= (c.wrapping_sub(b'0') > 9) as u8;
        }
    }
    if bad != 0 {
        return None;
    }
    let d = |i: usize| (b[i] - b'0') as u32;
    Some(Parts {
        year: d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3),
        month: d(5) * 10 + d(6),
        day: d(8) * 10 + d(9),
        hour: d(11) * 10 + d(12),
        min: d(14) * 10 + d(15),
        sec: d(17) * 10 + d(18),
    })
}

/// True when `s` is a stream-sea date: exactly `YYYY-MM-DDTHH:mm:ssZ`, a real
/// calendar date and time. This is the one date rule of the project.
#[inline]
pub fn is_valid_date(s: &str) -> bool {
    parse_form(s.as_bytes()).is_some_and(|p| p.is_real())
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Date, DateError> {
        let parts = parse_form(s.as_bytes()).ok_or_else(|| DateError::Format(s.to_string()))?;
        if !parts.is_real() {
            return Err(DateError::Impossible(s.to_string()));
        }
        Ok(Date {
            secs: parts.to_unix(),
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.to_bytes();
        // The buffer holds only ASCII digits and separators.
        f.write_str(std::str::from_utf8(&b).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Date({self})")
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let b = self.to_bytes();
        let s = std::str::from_utf8(&b).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(s)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date string of the form YYYY-MM-DDTHH:mm:ssZ")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(V)
    }
}

impl TryFrom<DateTime<Utc>> for Date {
    type Error = DateError;

    /// Converts a chrono timestamp, dropping any fraction of a second.
    fn try_from(dt: DateTime<Utc>) -> Result<Date, DateError> {
        use chrono::Datelike;
        Date::from_unix(dt.timestamp()).ok_or(DateError::YearOutOfRange(dt.year()))
    }
}

impl From<Date> for DateTime<Utc> {
    fn from(d: Date) -> DateTime<Utc> {
        // Every Date (years 0000..=9999) is inside chrono's range.
        Utc.timestamp_opt(d.secs, 0).single().unwrap_or_default()
    }
}

/// `#[serde(with = "streamsea_schema::date::chrono_utc")]` for
/// `chrono::DateTime<Utc>` fields: written as `YYYY-MM-DDTHH:mm:ssZ`
/// (fractions dropped), read only from that exact form. A timestamp outside
/// years 0000..=9999 has no such form: writing it fails (and a derived
/// `validate()`, which runs the function, reports it). With
/// `#[derive(StreamSchema)]`, state the type the function writes:
/// `#[stream_schema(type = "date")]`.
///
/// ```
/// use chrono::{DateTime, TimeZone, Utc};
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Reading {
///     #[serde(with = "streamsea_schema::date::chrono_utc")]
///     at: DateTime<Utc>,
/// }
/// let r: Reading = serde_json::from_str(r#"{"at": "2024-05-01T12:00:00Z"}"#).unwrap();
/// assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"at":"2024-05-01T12:00:00Z"}"#);
///
/// let far = Reading { at: Utc.with_ymd_and_hms(10_000, 1, 1, 0, 0, 0).unwrap() };
/// let err = serde_json::to_string(&far).unwrap_err();
/// assert!(err.to_string().contains("year 10000 is outside 0000..=9999"), "{err}");
/// ```
pub mod chrono_utc {
    use super::Date;
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes the timestamp as a stream-sea date.
    pub fn serialize<S: Serializer>(dt: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
        Date::try_from(*dt)
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }

    /// Reads a stream-sea date.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        Date::deserialize(deserializer).map(DateTime::from)
    }

    /// The same for `Option<DateTime<Utc>>` fields (`None` is `null`).
    pub mod option {
        use super::Date;
        use chrono::{DateTime, Utc};
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        /// Writes the timestamp as a stream-sea date, or `null`.
        pub fn serialize<S: Serializer>(
            dt: &Option<DateTime<Utc>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match dt {
                Some(dt) => Date::try_from(*dt)
                    .map_err(serde::ser::Error::custom)?
                    .serialize(serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Reads a stream-sea date or `null`.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            Ok(Option::<Date>::deserialize(deserializer)?.map(DateTime::from))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text_and_chrono() {
        for s in [
            "1970-01-01T00:00:00Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "2000-02-29T12:34:56Z",
            "1969-12-31T23:59:59Z",
        ] {
            let d: Date = s.parse().unwrap();
            assert_eq!(d.to_string(), s);
            let c: DateTime<Utc> = d.into();
            assert_eq!(c.format("%Y-%m-%dT%H:%M:%SZ").to_string(), s);
            assert_eq!(Date::try_from(c).unwrap(), d);
        }
    }

    #[test]
    fn rejects_bad_forms_and_impossible_dates() {
        for s in [
            "2019-01-23T10:00:00.000Z",
            "2019-01-23T10:00:00+00:00",
            "2019-01-23 10:00:00Z",
            "2019-01-23T10:00:00z",
            "2019-1-23T10:00:00Z",
            "",
            "+019-01-23T10:00:00Z",
        ] {
            assert!(
                matches!(s.parse::<Date>(), Err(DateError::Format(_))),
                "{s}"
            );
        }
        for s in [
            "2019-02-29T10:00:00Z",
            "1900-02-29T10:00:00Z",
            "2019-01-23T24:00:00Z",
            "2019-01-23T23:60:00Z",
            "2019-01-23T23:59:60Z",
            "2019-13-01T00:00:00Z",
            "2019-00-01T00:00:00Z",
            "2019-04-31T00:00:00Z",
            "2019-04-00T00:00:00Z",
        ] {
            assert!(
                matches!(s.parse::<Date>(), Err(DateError::Impossible(_))),
                "{s}"
            );
        }
        assert!(is_valid_date("2020-02-29T23:59:59Z"));
    }

    #[test]
    fn chrono_conversion_truncates_fractions_and_bounds_years() {
        let c = Utc
            .timestamp_opt(1_700_000_000, 999_000_000)
            .single()
            .unwrap();
        assert_eq!(Date::try_from(c).unwrap().unix(), 1_700_000_000);
        let far = Utc.with_ymd_and_hms(10000, 1, 1, 0, 0, 0).single().unwrap();
        assert_eq!(Date::try_from(far), Err(DateError::YearOutOfRange(10000)));
    }

    #[test]
    fn serde_uses_the_text_form() {
        let d: Date = serde_json::from_str("\"2024-05-01T12:00:00Z\"").unwrap();
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            "\"2024-05-01T12:00:00Z\""
        );
        let err = serde_json::from_str::<Date>("\"2024-05-01T12:00:00.5Z\"").unwrap_err();
        assert!(err.to_string().contains("YYYY-MM-DDTHH:mm:ssZ"), "{err}");
    }
}
