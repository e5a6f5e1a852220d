//! Evaluating a filter against a message: JavaScript truthiness, JSON equality.

use serde_json::Value;

use super::{Filter, MAX_DEPTH};

/// Why a filter could not be evaluated (the message is then withheld).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// A path node built from malformed text.
    #[error("{0}")]
    BadPath(String),
    /// A filter built in code nested deeper than the limit.
    #[error("filter nested deeper than {MAX_DEPTH} levels")]
    TooDeep,
}

/// The value of a node: borrowed from the payload or the filter where it can be.
#[derive(Debug, Clone, Copy)]
enum Val<'a> {
    Json(&'a Value),
    Str(&'a str),
    Num(f64),
    Bool(bool),
    Null,
}

impl Val<'_> {
    fn truthy(self) -> bool {
        match self {
            Val::Json(v) => json_truthy(v),
            Val::Str(s) => !s.is_empty(),
            Val::Num(n) => n != 0.0 && !n.is_nan(),
            Val::Bool(b) => b,
            Val::Null => false,
        }
    }

    fn to_value(self) -> Value {
        match self {
            Val::Json(v) => v.clone(),
            Val::Str(s) => Value::String(s.to_string()),
            Val::Num(n) => serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
            Val::Bool(b) => Value::Bool(b),
            Val::Null => Value::Null,
        }
    }
}

/// JSON/JavaScript truthiness: false, null, 0 and "" are falsy.
pub fn json_truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

fn scalar(v: Val<'_>) -> Val<'_> {
    match v {
        Val::Json(Value::Null) => Val::Null,
        Val::Json(Value::Bool(b)) => Val::Bool(*b),
        Val::Json(Value::String(s)) => Val::Str(s),
        Val::Json(Value::Number(n)) => match n.as_f64() {
            Some(f) => Val::Num(f),
            None => v,
        },
        other => other,
    }
}

fn val_eq(a: Val<'_>, b: Val<'_>) -> bool {
    match (a, b) {
        (Val::Json(x @ Value::Number(_)), Val::Json(y @ Value::Number(_))) => json_eq(x, y),
        (Val::Json(x @ (Value::Array(_) | Value::Object(_))), Val::Json(y)) => json_eq(x, y),
        _ => match (scalar(a), scalar(b)) {
            (Val::Str(x), Val::Str(y)) => x == y,
            (Val::Num(x), Val::Num(y)) => x == y,
            (Val::Bool(x), Val::Bool(y)) => x == y,
            (Val::Null, Val::Null) => true,
            _ => false,
        },
    }
}

/// Deep JSON equality where numbers compare by value (`1` equals `1.0`).
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            if let (Some(x), Some(y)) = (x.as_i64(), y.as_i64()) {
                x == y
            } else if let (Some(x), Some(y)) = (x.as_u64(), y.as_u64()) {
                x == y
            } else {
                x.as_f64() == y.as_f64()
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

impl Filter {
    /// Evaluates the filter against a message: the resulting JSON value.
    pub fn evaluate(&self, payload: &Value, stream_name: &str) -> Result<Value, EvalError> {
        eval(self, payload, stream_name, 1).map(Val::to_value)
    }

    /// True when the message passes: the filter evaluates to a truthy value.
    /// An evaluation error withholds the message (false).
    pub fn matches(&self, payload: &Value, stream_name: &str) -> bool {
        eval(self, payload, stream_name, 1).is_ok_and(Val::truthy)
    }
}

fn eval<'a>(
    f: &'a Filter,
    payload: &'a Value,
    stream: &'a str,
    depth: usize,
) -> Result<Val<'a>, EvalError> {
    if depth > MAX_DEPTH {
        return Err(EvalError::TooDeep);
    }
    let sub = |x: &'a Filter| eval(x, payload, stream, depth + 1);
    Ok(match f {
        Filter::String(s) => Val::Str(s),
        Filter::Number(n) => Val::Num(*n),
        Filter::Bool(b) => Val::Bool(*b),
        Filter::Null => Val::Null,
        Filter::Path(Ok(p)) => p.lookup(payload).map_or(Val::Null, Val::Json),
        Filter::Path(Err(e)) => return Err(EvalError::BadPath(e.to_string())),
        Filter::MetaStreamName => Val::Str(stream),
        Filter::Eq(a, b) => Val::Bool(val_eq(sub(a)?, sub(b)?)),
        Filter::And(list) => {
            for x in list {
                if !sub(x)?.truthy() {
                    return Ok(Val::Bool(false));
                }
            }
            Val::Bool(true)
        }
        Filter::Or(list) => {
            for x in list {
                if sub(x)?.truthy() {
                    return Ok(Val::Bool(true));
                }
            }
            Val::Bool(false)
        }
        Filter::Not(x) => Val::Bool(!sub(x)?.truthy()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn t(f: &Filter, payload: Value) -> bool {
        f.matches(&payload, "s")
    }

    #[test]
    fn truthiness_follows_javascript() {
        for (v, expected) in [
            (json!(false), false),
            (json!(null), false),
            (json!(0), false),
            (json!(0.0), false),
            (json!(-0.0), false),
            (json!(""), false),
            (json!(true), true),
            (json!(1), true),
            (json!(-2.5), true),
            (json!("0"), true),
            (json!("false"), true),
            (json!([]), true),
            (json!({}), true),
        ] {
            assert_eq!(t(&Filter::path("x"), json!({"x": v})), expected, "{v}");
        }
        assert!(!t(&Filter::path("missing"), json!({})));
        assert!(!t(&Filter::number(0.0), json!({})));
        assert!(t(&Filter::string("a"), json!({})));
        assert!(!t(&Filter::string(""), json!({})));
        assert!(!t(&Filter::null(), json!({})));
    }

    #[test]
    fn equality_is_json_equality() {
        let eq = |a: Filter, b: Filter, p: Value| t(&a.eq(b), p);
        assert!(eq(Filter::path("n"), Filter::number(3.0), json!({"n": 3})));
        assert!(eq(
            Filter::path("n"),
            Filter::path("m"),
            json!({"n": 3, "m": 3.0})
        ));
        assert!(!eq(Filter::path("n"), Filter::string("3"), json!({"n": 3})));
        assert!(eq(Filter::path("missing"), Filter::null(), json!({})));
        assert!(eq(Filter::path("x"), Filter::null(), json!({"x": null})));
        assert!(eq(
            Filter::path("a"),
            Filter::path("b"),
            json!({"a": {"k": [1, 2]}, "b": {"k": [1.0, 2]}})
        ));
        assert!(!eq(
            Filter::path("a"),
            Filter::path("b"),
            json!({"a": {"k": [1, 2]}, "b": {"k": [2, 1]}})
        ));
        assert!(!eq(
            Filter::path("a"),
            Filter::path("b"),
            json!({"a": {}, "b": []})
        ));
        assert!(eq(
            Filter::bool(true),
            Filter::path("b"),
            json!({"b": true})
        ));
        assert!(eq(Filter::stream_name(), Filter::string("s"), json!({})));
        assert!(!eq(
            Filter::stream_name(),
            Filter::string("other"),
            json!({})
        ));
    }

    #[test]
    fn connectives() {
        let yes = || Filter::bool(true);
        let no = || Filter::bool(false);
        assert!(t(&Filter::all([]), json!({})));
        assert!(!t(&Filter::any([]), json!({})));
        assert!(t(&yes().and(yes()).and(yes()), json!({})));
        assert!(!t(&yes().and(no()), json!({})));
        assert!(t(&no().or(yes()), json!({})));
        assert!(!t(&no().or(no()), json!({})));
        assert!(t(&!no(), json!({})));
        assert!(!t(&!Filter::path("x"), json!({"x": "y"})));
    }

    #[test]
    fn errors_withhold() {
        let f = Filter::path("a..b").or(Filter::bool(true));
        assert!(!t(&f, json!({})));
        assert!(matches!(
            f.evaluate(&json!({}), "s"),
            Err(EvalError::BadPath(_))
        ));
        let mut deep = Filter::bool(true);
        for _ in 0..(MAX_DEPTH * 4) {
            deep = !!deep;
        }
        assert_eq!(deep.evaluate(&json!({}), "s"), Err(EvalError::TooDeep));
    }

    #[test]
    fn evaluate_gives_the_value() {
        let p = json!({"a": {"b": [1, {"c": "x"}]}});
        assert_eq!(
            Filter::path("a.b[1].c").evaluate(&p, "s").unwrap(),
            json!("x")
        );
        assert_eq!(
            Filter::path("a.b[5]").evaluate(&p, "s").unwrap(),
            json!(null)
        );
        assert_eq!(Filter::number(2.5).evaluate(&p, "s").unwrap(), json!(2.5));
    }
}
