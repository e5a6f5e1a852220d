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
}
