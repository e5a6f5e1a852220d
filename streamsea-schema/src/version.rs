//! Schema versions: non-negative integers, written as JSON numbers.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A schema version (PROTOCOL.md section 3): a non-negative integer.
///
/// Written as a JSON number; read from a JSON number or from a string holding
/// an integer (`"3"`), as older clients send it.
///
/// A version is at most [`Version::MAX`], 2^53-1: stream-sea is a Node
/// service, and larger integers are not safe in JavaScript. Reading refuses
/// larger versions, negative ones, and numbers with a fraction; a number is
/// never rounded or saturated into a version (`2e0` is 2, but
/// `9007199254740993.0`, which a 64-bit float cannot hold, is refused).
///
/// ```
/// use streamsea_schema::Version;
/// let v: Version = serde_json::from_str("\"3\"").unwrap();
/// assert_eq!(v, Version(3));
/// assert_eq!(serde_json::to_string(&v).unwrap(), "3");
/// assert!(serde_json::from_str::<Version>("9007199254740992").is_err());
/// assert!(serde_json::from_str::<Version>("18446744073709551616").is_err());
/// assert!(serde_json::from_str::<Version>("1.5").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Version(pub u64);

impl Version {
    /// The largest version: 2^53-1, JavaScript's largest safe integer.
    pub const MAX: Version = Version(9_007_199_254_740_991);

    /// `v` as a version, when it is at most [`Version::MAX`].
    pub fn checked(v: u64) -> Result<Version, String> {
        if v <= Version::MAX.0 {
            Ok(Version(v))
        } else {
            Err(too_large(v))
        }
    }
}

impl Version {
    /// The version a JSON value's text denotes, read exactly: a number
    /// (`3`, `3.0`, `3e0`) or a string holding an integer (`"3"`).
    ///
    /// A JSON parser that reads numbers as 64-bit floats rounds
    /// `1.0000000000000001` to `1.0`; this reads the digits themselves, so a
    /// number with any nonzero fraction is refused, however small.
    ///
    /// ```
    /// use streamsea_schema::Version;
    /// assert_eq!(Version::from_json_text("2e0"), Ok(Version(2)));
    /// assert_eq!(Version::from_json_text("\"3\""), Ok(Version(3)));
    /// assert!(Version::from_json_text("1.0000000000000001").is_err());
    /// ```
    pub fn from_json_text(text: &str) -> Result<Version, String> {
        let t = text.trim();
        if let Some(inner) = t.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
            return inner.parse();
        }
        let not_integer = || format!("version {t} is not a non-negative integer");
        let (negative, unsigned) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
            Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
            None => (unsigned, None),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let exponent =
            exponent.map(|e| (e.starts_with('-'), e.strip_prefix(['+', '-']).unwrap_or(e)));
        if int.is_empty()
            || !all_digits(int)
            || !all_digits(frac)
            || (mantissa.contains('.') && frac.is_empty())
            || exponent.is_some_and(|(_, d)| d.is_empty() || !all_digits(d))
        {
            return Err(not_integer());
        }
        // The digits without the point, and where the point falls among them
        // once the exponent moved it (saturating: a huge exponent is a huge
        // number or a tiny one, either way refused below).
        let digits: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
        let shift: i64 = exponent.map_or(0, |(minus, d)| {
            let magnitude = d.bytes().fold(0i64, |acc, b| {
                acc.saturating_mul(10).saturating_add(i64::from(b - b'0'))
            });
            if minus {
                -magnitude
            } else {
                magnitude
            }
        });
        let point = i64::try_from(int.len())
            .unwrap_or(i64::MAX)
            .saturating_add(shift);
        let zero = digits.iter().all(|&d| d == b'0');
        if zero {
            return Ok(Version(0));
        }
        if negative {
            return Err(format!("version {t} is negative"));
        }
        if point <= 0 {
            return Err(not_integer());
        }
        let point = usize::try_from(point).unwrap_or(usize::MAX);
        if digits.iter().skip(point).any(|&d| d != b'0') {
            return Err(not_integer());
        }
        // The integer part: the digits before the point, then zeros.
        let significant = digits
            .iter()
            .take(point)
            .skip_while(|&&d| d == b'0')
            .count();
        let length = significant + point.saturating_sub(digits.len());
        if length > Version::MAX.0.to_string().len() {
            return Err(too_large(t));
        }
        let mut value: u64 = 0;
        for i in 0..point {
            let d = digits.get(i).map_or(0, |d| u64::from(d - b'0'));
            value = value.saturating_mul(10).saturating_add(d);
        }
        Version::checked(value).map_err(|_| too_large(t))
    }
}

fn too_large(v: impl fmt::Display) -> String {
    format!(
        "version {v} is larger than {}, the largest version stream-sea can hold (2^53-1)",
        Version::MAX.0
    )
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl From<u64> for Version {
    fn from(v: u64) -> Self {
        Version(v)
    }
}

impl std::str::FromStr for Version {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            // All digits: either it fits, or it is too large (never rounded).
            return match t.parse::<u64>() {
                Ok(v) => Version::checked(v),
                Err(_) => Err(too_large(t)),
            };
        }
        Err(format!("version {s:?} is not a non-negative integer"))
    }
}

impl Serialize for Version {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Version;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-negative integer version, as a number or a string")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Version, E> {
                Version::checked(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Version, E> {
                match u64::try_from(v) {
                    Ok(v) => self.visit_u64(v),
                    Err(_) => Err(E::custom(format!("version {v} is negative"))),
                }
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Version, E> {
                // Every integer up to 2^53-1 is exact in a float; a float
                // above it may be the rounding of another number: refused.
                if v.fract() == 0.0 && v >= 0.0 && v <= Version::MAX.0 as f64 {
                    Ok(Version(v as u64))
                } else if v.fract() == 0.0 && v > 0.0 {
                    Err(E::custom(too_large(v)))
                } else {
                    Err(E::custom(format!(
                        "version {v} is not a non-negative integer"
                    )))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Version, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Version, String> {
        serde_json::from_str::<Version>(text).map_err(|e| e.to_string())
    }

    #[test]
    fn versions_beyond_safe_integers_are_refused_not_rounded() {
        assert_eq!(read("9007199254740991"), Ok(Version::MAX));
        assert_eq!(read("9007199254740991.0"), Ok(Version::MAX));
        assert_eq!(read("\"9007199254740991\""), Ok(Version::MAX));
        for bad in [
            "9007199254740992",
            "9007199254740993.0",
            "18446744073709551615",
            "18446744073709551616",
            "1e300",
            "\"18446744073709551616\"",
            "\"9007199254740992\"",
        ] {
            let e = read(bad).unwrap_err();
            assert!(e.contains("2^53-1"), "{bad}: {e}");
        }
        for bad in ["-1", "1.5", "\"1.0\"", "\"\"", "\"-3\"", "null"] {
            assert!(read(bad).is_err(), "{bad}");
        }
        assert_eq!("7".parse::<Version>(), Ok(Version(7)));
        assert!(Version::checked(Version::MAX.0 + 1).is_err());
    }

    #[test]
    fn the_exact_reading_refuses_what_a_float_would_round() {
        let exact = Version::from_json_text;
        for (text, v) in [
            ("0", 0),
            ("-0", 0),
            ("0.000", 0),
            ("7", 7),
            (" 7 ", 7),
            ("7.0", 7),
            ("7.000000000000000000000", 7),
            ("2e0", 2),
            ("2E+1", 20),
            ("0.25e2", 25),
            ("1500e-2", 15),
            ("007", 7),
            ("\"12\"", 12),
            ("9007199254740991", Version::MAX.0),
            ("9007199254740991.0", Version::MAX.0),
            ("9.007199254740991e15", Version::MAX.0),
        ] {
            assert_eq!(exact(text), Ok(Version(v)), "{text}");
        }
        for text in [
            "1.0000000000000001",
            "1.5",
            "1e-1",
            "0.1",
            "-1",
            "-1.0",
            "1.",
            ".5",
            "1e",
            "1e+",
            "abc",
            "null",
            "true",
            "\"1.0\"",
            "1e-99999999999999999999",
        ] {
            let e = exact(text).unwrap_err();
            assert!(e.contains("version"), "{text}: {e}");
        }
        for text in [
            "9007199254740992",
            "9007199254740993.0",
            "1e16",
            "1e300",
            "1e99999999999999999999",
            "123456789012345678901234567890",
        ] {
            let e = exact(text).unwrap_err();
            assert!(e.contains("2^53-1"), "{text}: {e}");
        }
    }
}
