//! The Filter DSL (PROTOCOL.md section 7): the expression type with its
//! `{"t": ..., "e": ...}` wire form, a builder, and an evaluator.
//!
//! Reading a filter checks it whole: unknown node types, malformed paths,
//! unknown metadata names and wrong operand shapes are errors that say where
//! (`e[1].e`) and what. A filter is bounded: at most [`MAX_DEPTH`] levels of
//! nesting and [`MAX_NODES`] nodes, so a hostile token cannot make the server
//! recurse deeply or evaluate without end.
//!
//! ```
//! use serde_json::json;
//! use streamsea_protocol::filter::Filter;
//!
//! let f = Filter::path("site.country").eq(Filter::string("NZ"))
//!     .and(!Filter::path("test"));
//! assert_eq!(
//!     serde_json::to_value(&f).unwrap(),
//!     json!({"t": "and", "e": [
//!         {"t": "eq", "e": [{"t": "path", "e": "site.country"}, {"t": "string", "e": "NZ"}]},
//!         {"t": "not", "e": {"t": "path", "e": "test"}}
//!     ]})
//! );
//! assert!(f.matches(&json!({"site": {"country": "NZ"}}), "boiler_data"));
//! assert!(!f.matches(&json!({"site": {"country": "NZ"}, "test": true}), "boiler_data"));
//!
//! let read: Filter = serde_json::from_value(json!({"t": "eq", "e": [
//!     {"t": "meta", "e": "streamName"}, {"t": "string", "e": "boiler_data"}]})).unwrap();
//! assert!(read.matches(&json!({}), "boiler_data"));
//! ```

mod eval;
pub use eval::{json_eq, json_truthy, EvalError};
mod path;

pub use path::{FilterPath, PathError, Step, MAX_PATH_LEN};

use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// The deepest nesting of filter nodes accepted.
pub const MAX_DEPTH: usize = 32;
/// The most nodes a filter may have.
pub const MAX_NODES: usize = 1024;

/// The one metadata name that exists.
pub const META_STREAM_NAME: &str = "streamName";

/// A Filter DSL expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `{"t": "string", "e": "text"}`
    String(String),
    /// `{"t": "number", "e": 12.5}`
    Number(f64),
    /// `{"t": "bool", "e": true}`
    Bool(bool),
    /// `{"t": "null"}`
    Null,
    /// `{"t": "path", "e": "a.b[0].c"}`: the value at that path in the
    /// payload (missing: null). Holds the parse error of a path built with
    /// [`Filter::path`] from malformed text; such a node fails evaluation,
    /// which withholds the message.
    Path(Result<FilterPath, PathError>),
    /// `{"t": "meta", "e": "streamName"}`: the stream's name.
    MetaStreamName,
    /// `{"t": "eq", "e": [X, Y]}`
    Eq(Box<Filter>, Box<Filter>),
    /// `{"t": "and", "e": [X, ...]}`
    And(Vec<Filter>),
    /// `{"t": "or", "e": [X, ...]}`
    Or(Vec<Filter>),
    /// `{"t": "not", "e": X}`
    Not(Box<Filter>),
}

/// A filter that cannot be read: where in the expression (`e[1].e`, `""` for
/// the root) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("filter{}: {message}", if .at.is_empty() { String::new() } else { format!(" at `{}`", .at) })]
pub struct FilterError {
    /// Where in the expression.
    pub at: String,
    /// What is wrong.
    pub message: String,
}

impl Filter {
    /// A string literal.
    pub fn string(s: impl Into<String>) -> Filter {
        Filter::String(s.into())
    }

    /// A number literal.
    pub fn number(n: f64) -> Filter {
        Filter::Number(n)
    }

    /// A boolean literal.
    pub fn bool(b: bool) -> Filter {
        Filter::Bool(b)
    }

    /// The null literal.
    pub fn null() -> Filter {
        Filter::Null
    }

    /// The value at `path` in the payload. A malformed path gives a node that
    /// withholds every message; [`Filter::try_path`] reports it instead.
    pub fn path(path: &str) -> Filter {
        Filter::Path(path.parse())
    }

    /// The value at `path` in the payload, or the path's syntax error.
    pub fn try_path(path: &str) -> Result<Filter, PathError> {
        path.parse().map(|p| Filter::Path(Ok(p)))
    }

    /// The stream's name (`{"t": "meta", "e": "streamName"}`).
    pub fn stream_name() -> Filter {
        Filter::MetaStreamName
    }

    /// `self == other`.
    #[allow(clippy::should_implement_trait)]
    pub fn eq(self, other: Filter) -> Filter {
        Filter::Eq(Box::new(self), Box::new(other))
    }

    /// `self && other` (extends an existing `and`).
    pub fn and(self, other: Filter) -> Filter {
        match self {
            Filter::And(mut all) => {
                all.push(other);
                Filter::And(all)
            }
            first => Filter::And(vec![first, other]),
        }
    }

    /// `self || other` (extends an existing `or`).
    pub fn or(self, other: Filter) -> Filter {
        match self {
            Filter::Or(mut any) => {
                any.push(other);
                Filter::Or(any)
            }
            first => Filter::Or(vec![first, other]),
        }
    }

    /// True when every one of `filters` is truthy (true for none).
    pub fn all(filters: impl IntoIterator<Item = Filter>) -> Filter {
        Filter::And(filters.into_iter().collect())
    }

    /// True when any of `filters` is truthy (false for none).
    pub fn any(filters: impl IntoIterator<Item = Filter>) -> Filter {
        Filter::Or(filters.into_iter().collect())
    }

    /// Reads a filter from its wire JSON, checking it whole.
    pub fn from_value(value: &Value) -> Result<Filter, FilterError> {
        let mut nodes = 0;
        read(value, &mut String::new(), 1, &mut nodes)
    }

    /// The filter as wire JSON.
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Checks the bounds and paths of a filter built in code: the first
    /// problem found.
    pub fn check(&self) -> Result<(), FilterError> {
        let mut nodes = 0;
        check(self, &mut String::new(), 1, &mut nodes)
    }
}

impl std::ops::Not for Filter {
    type Output = Filter;

    /// `!self`.
    fn not(self) -> Filter {
        Filter::Not(Box::new(self))
    }
}

fn err(at: &str, message: impl Into<String>) -> FilterError {
    FilterError {
        at: at.to_string(),
        message: message.into(),
    }
}

fn count(at: &str, depth: usize, nodes: &mut usize) -> Result<(), FilterError> {
    if depth > MAX_DEPTH {
        return Err(err(at, format!("nested deeper than {MAX_DEPTH} levels")));
    }
    *nodes += 1;
    if *nodes > MAX_NODES {
        return Err(err(at, format!("more than {MAX_NODES} nodes")));
    }
    Ok(())
}

fn check(f: &Filter, at: &mut String, depth: usize, nodes: &mut usize) -> Result<(), FilterError> {
    count(at, depth, nodes)?;
    let mut child = |f: &Filter, suffix: &str, at: &mut String| {
        let len = push_at(at, suffix);
        let r = check(f, at, depth + 1, nodes);
        at.truncate(len);
        r
    };
    match f {
        Filter::Path(Err(e)) => Err(err(at, e.to_string())),
        Filter::Eq(a, b) => {
            child(a, "e[0]", at)?;
            child(b, "e[1]", at)
        }
        Filter::And(list) | Filter::Or(list) => {
            for (i, x) in list.iter().enumerate() {
                child(x, &format!("e[{i}]"), at)?;
            }
            Ok(())
        }
        Filter::Not(x) => child(x, "e", at),
        _ => Ok(()),
    }
}

fn push_at(at: &mut String, suffix: &str) -> usize {
    let len = at.len();
    if !at.is_empty() {
        at.push('.');
    }
    at.push_str(suffix);
    len
}

fn read(
    v: &Value,
    at: &mut String,
    depth: usize,
    nodes: &mut usize,
) -> Result<Filter, FilterError> {
    count(at, depth, nodes)?;
    let Value::Object(obj) = v else {
        return Err(err(
            at,
            format!(
                "expected a node object {{\"t\": ..., \"e\": ...}}, found {}",
                streamsea_schema::describe_value(v)
            ),
        ));
    };
    if let Some(k) = obj.keys().find(|k| *k != "t" && *k != "e") {
        return Err(err(
            at,
            format!("unknown key {k:?} (a node has only `t` and `e`)"),
        ));
    }
    let Some(t) = obj.get("t") else {
        return Err(err(at, "missing the node type `t`"));
    };
    let Value::String(t) = t else {
        return Err(err(at, "the node type `t` must be a string"));
    };
    let e = obj.get("e");
    let need_e = |at: &str| -> Result<&Value, FilterError> {
        e.ok_or_else(|| err(at, format!("node `{t}` needs its operand `e`")))
    };
    let mut child = |v: &Value, suffix: &str, at: &mut String| {
        let len = push_at(at, suffix);
        let r = read(v, at, depth + 1, nodes);
        at.truncate(len);
        r
    };
    Ok(match t.as_str() {
        "string" => match need_e(at)? {
            Value::String(s) => Filter::String(s.clone()),
            other => return Err(operand(at, "string", "a string", other)),
        },
        "number" => match need_e(at)?.as_f64() {
            Some(n) => Filter::Number(n),
            None => return Err(operand(at, "number", "a number", need_e(at)?)),
        },
        "bool" => match need_e(at)? {
            Value::Bool(b) => Filter::Bool(*b),
            other => return Err(operand(at, "bool", "a boolean", other)),
        },
        "null" => match e {
            None | Some(Value::Null) => Filter::Null,
            Some(other) => return Err(operand(at, "null", "nothing or null", other)),
        },
        "path" => match need_e(at)? {
            Value::String(s) => match s.parse::<FilterPath>() {
                Ok(p) => Filter::Path(Ok(p)),
                Err(e) => return Err(err(at, e.to_string())),
            },
            other => return Err(operand(at, "path", "a path string", other)),
        },
        "meta" => match need_e(at)? {
            Value::String(s) if s == META_STREAM_NAME => Filter::MetaStreamName,
            Value::String(s) => {
                return Err(err(
                    at,
                    format!("unknown metadata {s:?} (only \"streamName\" exists)"),
                ))
            }
            other => return Err(operand(at, "meta", "the string \"streamName\"", other)),
        },
        "eq" => match need_e(at)? {
            Value::Array(pair) if pair.len() == 2 => {
                let a = child(&pair[0], "e[0]", at)?;
                let b = child(&pair[1], "e[1]", at)?;
                Filter::Eq(Box::new(a), Box::new(b))
            }
            other => return Err(operand(at, "eq", "an array of two nodes", other)),
        },
        "and" | "or" => match need_e(at)? {
            Value::Array(list) => {
                let mut out = Vec::with_capacity(list.len().min(MAX_NODES));
                for (i, x) in list.iter().enumerate() {
                    out.push(child(x, &format!("e[{i}]"), at)?);
                }
                if t == "and" {
                    Filter::And(out)
                } else {
                    Filter::Or(out)
                }
            }
            other => return Err(operand(at, t, "an array of nodes", other)),
        },
        "not" => {
            let x = child(need_e(at)?, "e", at)?;
            Filter::Not(Box::new(x))
        }
        other => {
            return Err(err(
                at,
                format!(
                    "unknown node type {other:?} (expected string, number, bool, null, path, meta, eq, and, or, not)"
                ),
            ))
        }
    })
}

fn operand(at: &str, t: &str, expected: &str, found: &Value) -> FilterError {
    err(
        at,
        format!(
            "node `{t}` expects {expected} as `e`, found {}",
            streamsea_schema::describe_value(found)
        ),
    )
}

impl Serialize for Filter {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match self {
            Filter::String(s) => {
                map.serialize_entry("t", "string")?;
                map.serialize_entry("e", s)?;
            }
            Filter::Number(n) => {
                map.serialize_entry("t", "number")?;
                map.serialize_entry("e", n)?;
            }
            Filter::Bool(b) => {
                map.serialize_entry("t", "bool")?;
                map.serialize_entry("e", b)?;
            }
            Filter::Null => {
                map.serialize_entry("t", "null")?;
            }
            Filter::Path(Ok(p)) => {
                map.serialize_entry("t", "path")?;
                map.serialize_entry("e", p.as_str())?;
            }
            Filter::Path(Err(e)) => {
                map.serialize_entry("t", "path")?;
                map.serialize_entry("e", &e.text)?;
            }
            Filter::MetaStreamName => {
                map.serialize_entry("t", "meta")?;
                map.serialize_entry("e", META_STREAM_NAME)?;
            }
            Filter::Eq(a, b) => {
                map.serialize_entry("t", "eq")?;
                map.serialize_entry("e", &[a.as_ref(), b.as_ref()])?;
            }
            Filter::And(list) => {
                map.serialize_entry("t", "and")?;
                map.serialize_entry("e", list)?;
            }
            Filter::Or(list) => {
                map.serialize_entry("t", "or")?;
                map.serialize_entry("e", list)?;
            }
            Filter::Not(x) => {
                map.serialize_entry("t", "not")?;
                map.serialize_entry("e", x.as_ref())?;
            }
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Filter {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Filter::from_value(&value).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_every_node() {
        let wire = json!({"t": "or", "e": [
            {"t": "eq", "e": [{"t": "path", "e": "a.b[0]"}, {"t": "number", "e": 12.5}]},
            {"t": "and", "e": [{"t": "bool", "e": true}, {"t": "null"}]},
            {"t": "not", "e": {"t": "eq", "e": [{"t": "meta", "e": "streamName"}, {"t": "string", "e": "x"}]}}
        ]});
        let f = Filter::from_value(&wire).unwrap();
        assert_eq!(f.to_value(), wire);
        assert!(f.check().is_ok());
    }

    #[test]
    fn errors_say_where() {
        let e = Filter::from_value(
            &json!({"t": "and", "e": [{"t": "bool", "e": true}, {"t": "nope"}]}),
        )
        .unwrap_err();
        assert_eq!(e.at, "e[1]");
        assert!(e.message.contains("unknown node type \"nope\""), "{e}");
        let e =
            Filter::from_value(&json!({"t": "not", "e": {"t": "path", "e": "a..b"}})).unwrap_err();
        assert_eq!(e.at, "e");
        let e = Filter::from_value(&json!({"t": "meta", "e": "other"})).unwrap_err();
        assert!(e.message.contains("only \"streamName\""));
        let e = Filter::from_value(&json!({"t": "eq", "e": [{"t": "null"}]})).unwrap_err();
        assert!(e.message.contains("two nodes"));
        let e = Filter::from_value(&json!([1])).unwrap_err();
        assert!(e.message.contains("expected a node object"));
        let e = Filter::from_value(&json!({"t": "bool", "e": true, "x": 1})).unwrap_err();
        assert!(e.message.contains("unknown key"));
        let e = Filter::from_value(&json!({"t": "number", "e": "1"})).unwrap_err();
        assert!(e.message.contains("a number"));
    }

    #[test]
    fn deep_filters_are_refused() {
        let mut v = json!({"t": "bool", "e": true});
        for _ in 0..MAX_DEPTH {
            v = json!({"t": "not", "e": v});
        }
        let e = Filter::from_value(&v).unwrap_err();
        assert!(e.message.contains("nested deeper"), "{e}");

        let mut f = Filter::bool(true);
        for _ in 0..MAX_DEPTH {
            f = !f;
        }
        assert!(f.check().is_err());
    }

    #[test]
    fn big_filters_are_refused() {
        let list: Vec<Value> = (0..MAX_NODES).map(|_| json!({"t": "null"})).collect();
        let e = Filter::from_value(&json!({"t": "or", "e": list})).unwrap_err();
        assert!(e.message.contains("more than"), "{e}");
    }

    #[test]
    fn builder_with_bad_path_is_reported_by_check() {
        let f = Filter::path("a.").eq(Filter::null());
        assert!(f.check().unwrap_err().at == "e[0]");
        assert!(Filter::try_path("a.").is_err());
    }
}
