//! Validation errors, their paths, and the bounded report that collects them.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

/// How many errors a full report keeps by default before it stops checking.
pub const DEFAULT_ERROR_LIMIT: usize = 100;

/// One segment of a path inside a payload.
#[derive(Debug, Clone, Copy)]
pub enum Segment<'a> {
    /// The payload itself.
    Root,
    /// An object key.
    Key(&'a str),
    /// An array index.
    Index(usize),
}

/// A path inside a payload, kept on the stack as a chain of segments so that
/// checking a valid payload allocates nothing; it is rendered
/// (`readings[3].at`) only when an error is recorded.
#[derive(Debug, Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
}

impl Path<'static> {
    /// The path of the payload itself.
    pub const ROOT: Path<'static> = Path {
        parent: None,
        segment: Segment::Root,
    };
}

impl<'a> Path<'a> {
    /// The path of key `key` under this one.
    #[inline]
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Key(key),
        }
    }

    /// The path of element `index` under this one.
    #[inline]
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    /// The path as text: `readings[3].at`; the root is the empty string.
    pub fn render(&self) -> String {
        let mut segments = Vec::new();
        let mut at = Some(self);
        while let Some(p) = at {
            segments.push(p.segment);
            at = p.parent;
        }
        let mut out = String::new();
        for s in segments.iter().rev() {
            match s {
                Segment::Root => {}
                Segment::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Segment::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }
}

/// One problem found in a payload: where, what was expected and what was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ValidationError {
    /// Where: `readings[3].at`, or `""` for the payload itself.
    pub path: String,
    /// What the schema expects there.
    pub expected: String,
    /// What the payload holds there.
    pub found: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "payload"
        } else {
            &self.path
        };
        write!(
            f,
            "{path}: expected {}, found {}",
            self.expected, self.found
        )
    }
}

impl std::error::Error for ValidationError {}

/// Every problem found in a payload (up to the report's limit).
///
/// The [`Validator`](crate::Validator) and a derived `validate()` report
/// errors in one order: depth first, the keys of each object in byte order,
/// the elements of each array by index; a report keeps the first
/// [`DEFAULT_ERROR_LIMIT`] errors in that order (unless a validator is given
/// another limit) and then says it is `truncated`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidationErrors {
    /// The errors, in the order above.
    pub errors: Vec<ValidationError>,
    /// True when checking stopped at the limit and more errors may exist.
    pub truncated: bool,
}

impl ValidationErrors {
    /// The paths of the errors, in order.
    pub fn paths(&self) -> Vec<&str> {
        self.errors.iter().map(|e| e.path.as_str()).collect()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        write!(f, "{n} validation error{}", if n == 1 { "" } else { "s" })?;
        if self.truncated {
            f.write_str(" (stopped at the limit)")?;
        }
        for e in &self.errors {
            write!(f, "\n  {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// Collects errors up to a limit; once full, checkers stop early so hostile
/// input cannot make validation do unbounded work.
#[derive(Debug)]
pub struct Report {
    errors: Vec<ValidationError>,
    limit: usize,
    truncated: bool,
}

impl Default for Report {
    fn default() -> Self {
        Report::new(DEFAULT_ERROR_LIMIT)
    }
}

impl Report {
    /// A report that keeps at most `limit` errors (at least one).
    pub fn new(limit: usize) -> Report {
        Report {
            errors: Vec::new(),
            limit: limit.max(1),
            truncated: false,
        }
    }

    /// True once the limit is reached; checkers stop when it is.
    #[inline]
    pub fn is_full(&self) -> bool {
        self.truncated
    }

    /// True when nothing has been recorded.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Records an error at `path`.
    #[cold]
    pub fn push(&mut self, path: &Path<'_>, expected: impl Into<String>, found: impl Into<String>) {
        if self.errors.len() >= self.limit {
            self.truncated = true;
            return;
        }
        self.errors.push(ValidationError {
            path: path.render(),
            expected: expected.into(),
            found: found.into(),
        });
        if self.errors.len() >= self.limit {
            self.truncated = true;
        }
    }

    /// `Ok` when nothing was recorded, else every error.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors {
                errors: self.errors,
                truncated: self.truncated,
            })
        }
    }
}

/// The longest excerpt of a string value that an error quotes.
const QUOTE_LIMIT: usize = 60;

/// Describes a string found in a payload, quoting at most 60 characters.
pub fn describe_str(s: &str) -> String {
    if s.chars().count() <= QUOTE_LIMIT {
        format!("string {s:?}")
    } else {
        let cut: String = s.chars().take(QUOTE_LIMIT).collect();
        format!("string {cut:?}... ({} characters)", s.chars().count())
    }
}

/// Describes a JSON value found in a payload, briefly.
pub fn describe_value(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) => describe_str(s),
        Value::Array(a) => format!("array of {} elements", a.len()),
        Value::Object(o) => format!("object with {} keys", o.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_paths() {
        let root = Path::ROOT;
        let a = root.key("readings");
        let b = a.index(3);
        let c = b.key("at");
        assert_eq!(c.render(), "readings[3].at");
        assert_eq!(root.index(2).key("x").render(), "[2].x");
        assert_eq!(root.render(), "");
    }

    #[test]
    fn report_stops_at_its_limit() {
        let mut r = Report::new(2);
        for _ in 0..5 {
            r.push(&Path::ROOT, "string", "null");
        }
        let e = r.into_result().unwrap_err();
        assert_eq!(e.errors.len(), 2);
        assert!(e.truncated);
    }

    #[test]
    fn long_strings_are_cut() {
        let s = "x".repeat(1000);
        assert!(describe_str(&s).len() < 100);
    }
}
