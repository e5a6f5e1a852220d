//! Filter paths: dot-separated keys with `[n]` array indexes (`a.b[0].c`).

use std::fmt;

use serde_json::Value;

/// The longest path text accepted.
pub const MAX_PATH_LEN: usize = 1024;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// An object key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// A parsed path into a message payload.
///
/// ```
/// use streamsea_protocol::filter::FilterPath;
/// use serde_json::json;
/// let p: FilterPath = "readings[1].at".parse().unwrap();
/// let payload = json!({"readings": [{"at": 1}, {"at": 2}]});
/// assert_eq!(p.lookup(&payload), Some(&json!(2)));
/// assert!("a..b".parse::<FilterPath>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterPath {
    text: String,
    steps: Vec<Step>,
}

/// Why a path text is not a path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid path {text:?} at character {at}: {reason}")]
pub struct PathError {
    /// The path text (cut to 64 characters).
    pub text: String,
    /// Where (0-based character offset).
    pub at: usize,
    /// What is wrong.
    pub reason: &'static str,
}

impl FilterPath {
    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The steps of the path.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The value at this path in `payload`; `None` where it is missing.
    pub fn lookup<'a>(&self, payload: &'a Value) -> Option<&'a Value> {
        let mut at = payload;
        for step in &self.steps {
            at = match (step, at) {
                (Step::Key(k), Value::Object(m)) => m.get(k)?,
                (Step::Index(i), Value::Array(a)) => a.get(*i)?,
                _ => return None,
            };
        }
        Some(at)
    }
}

impl fmt::Display for FilterPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for FilterPath {
    type Err = PathError;

    fn from_str(text: &str) -> Result<FilterPath, PathError> {
        let bad = |at: usize, reason| {
            Err(PathError {
                text: streamsea_schema::rules::clip(text, 64).into_owned(),
                at,
                reason,
            })
        };
        if text.is_empty() {
            return bad(0, "a path cannot be empty");
        }
        if text.len() > MAX_PATH_LEN {
            return bad(MAX_PATH_LEN, "a path is at most 1024 bytes long");
        }
        let chars: Vec<char> = text.chars().collect();
        let mut steps = Vec::new();
        let mut i = 0;
        // true when a key may start here (start of path or after a dot)
        let mut expect_key = true;
        while i < chars.len() {
            let c = chars[i];
            if c == '[' {
                if expect_key && !steps.is_empty() {
                    return bad(i, "a `.` must be followed by a key");
                }
                let start = i + 1;
                let mut j = start;
                while j < chars.len() && chars[j].is_ascii_digit() {
                    j += 1;
                }
                if j == start {
                    return bad(start, "expected digits after `[`");
                }
                if j >= chars.len() || chars[j] != ']' {
                    return bad(j, "expected `]`");
                }
                let digits: String = chars[start..j].iter().collect();
                let Ok(index) = digits.parse::<usize>() else {
                    return bad(start, "index too large");
                };
                steps.push(Step::Index(index));
                i = j + 1;
                expect_key = false;
                if i < chars.len() && !matches!(chars[i], '.' | '[') {
                    return bad(i, "expected `.` or `[` after `]`");
                }
            } else if c == '.' {
                if expect_key {
                    return bad(i, "empty key");
                }
                expect_key = true;
                i += 1;
                if i == chars.len() {
                    return bad(i, "a path cannot end with `.`");
                }
            } else if c == ']' {
                return bad(i, "`]` without `[`");
            } else {
                if !expect_key {
                    return bad(i, "expected `.` or `[` before a key");
                }
                let start = i;
                while i < chars.len() && !matches!(chars[i], '.' | '[' | ']') {
                    i += 1;
                }
                steps.push(Step::Key(chars[start..i].iter().collect()));
                expect_key = false;
            }
        }
        Ok(FilterPath {
            text: text.to_string(),
            steps,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn steps(s: &str) -> Vec<Step> {
        s.parse::<FilterPath>().unwrap().steps().to_vec()
    }

    #[test]
    fn parses() {
        assert_eq!(steps("a"), [Step::Key("a".into())]);
        assert_eq!(
            steps("a.b[0].c"),
            [
                Step::Key("a".into()),
                Step::Key("b".into()),
                Step::Index(0),
                Step::Key("c".into())
            ]
        );
        assert_eq!(steps("[2][3]"), [Step::Index(2), Step::Index(3)]);
        assert_eq!(
            steps("ünï.ok"),
            [Step::Key("ünï".into()), Step::Key("ok".into())]
        );
    }

    #[test]
    fn rejects() {
        for bad in [
            "",
            ".a",
            "a.",
            "a..b",
            "a[",
            "a[]",
            "a[x]",
            "a[1",
            "a]",
            "a[1]b",
            "a.[1]",
            "a[99999999999999999999999]",
        ] {
            assert!(
                bad.parse::<FilterPath>().is_err(),
                "{bad:?} should be rejected"
            );
        }
    }

    #[test]
    fn looks_up() {
        let p: FilterPath = "a.b[1]".parse().unwrap();
        assert_eq!(p.lookup(&json!({"a": {"b": [1, 2]}})), Some(&json!(2)));
        assert_eq!(p.lookup(&json!({"a": {"b": [1]}})), None);
        assert_eq!(p.lookup(&json!({"a": {"b": "xy"}})), None);
        assert_eq!(p.lookup(&json!([1])), None);
    }
}
