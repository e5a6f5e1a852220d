//! The payload validator (SPEC section 4): a definition compiled once into a
//! tree of checks, then run on `serde_json::Value` payloads and batches.
//!
//! Two entry points per shape: `is_valid*`, a yes/no that tracks no paths and
//! stops at the first problem, and `validate*`, a full report of every error
//! with its path, capped at a bounded number of errors.

use serde_json::{Map, Number, Value};

use crate::date::is_valid_date;
use crate::definition::SchemaDefinition;
use crate::field::{Field, FieldType};
use crate::report::{describe_value, Path, Report, ValidationErrors, DEFAULT_ERROR_LIMIT};

/// What an error says a `date` value should be.
pub const EXPECTED_DATE: &str = "date (YYYY-MM-DDTHH:mm:ssZ, UTC, no fraction)";
/// What an error says about a key the schema does not declare.
pub const EXPECTED_DECLARED_KEY: &str = "only keys the schema declares";

/// A compiled validator for one schema definition.
///
/// ```
/// use streamsea_schema::{SchemaDefinition, Validator};
/// use serde_json::json;
/// let def = SchemaDefinition::from_value(json!({"version": 1, "fields": [
///     {"name": "readings", "type": "array<object>", "fields": [{"name": "at", "type": "date"}]}
/// ]})).unwrap();
/// let v = Validator::new(&def);
/// assert!(v.is_valid(&json!({"readings": [{"at": "2024-01-01T00:00:00Z"}]})));
/// let errors = v.validate(&json!({"readings": [{"at": "yesterday"}]})).unwrap_err();
/// assert_eq!(errors.paths(), ["readings[0].at"]);
/// ```
#[derive(Debug, Clone)]
pub struct Validator {
    root: ObjectNode,
    limit: usize,
}

#[derive(Debug, Clone)]
enum Node {
    String,
    Float,
    Integer,
    Date,
    Enum(Box<[Box<str>]>),
    Object(ObjectNode),
    Array(Box<Node>),
}

#[derive(Debug, Clone)]
struct ObjectNode {
    /// Field names, sorted bytewise, for binary search.
    names: Box<[Box<str>]>,
    /// The check of each field, in the order of `names`.
    nodes: Box<[Node]>,
}

impl ObjectNode {
    fn compile(fields: &[Field]) -> ObjectNode {
        let mut sorted: Vec<&Field> = fields.iter().collect();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        sorted.dedup_by(|a, b| a.name == b.name);
        ObjectNode {
            names: sorted.iter().map(|f| f.name.as_str().into()).collect(),
            nodes: sorted.iter().map(|f| Node::compile(&f.ty)).collect(),
        }
    }

    /// Absent or empty `fields`: any object passes.
    #[inline]
    fn is_open(&self) -> bool {
        self.names.is_empty()
    }

    #[inline]
    fn find(&self, key: &str) -> Option<&Node> {
        let names = &self.names;
        if names.len() <= 8 {
            names
                .iter()
                .position(|n| n.as_ref() == key)
                .map(|i| &self.nodes[i])
        } else {
            names
                .binary_search_by(|n| n.as_ref().cmp(key))
                .ok()
                .map(|i| &self.nodes[i])
        }
    }

    fn is_valid(&self, map: &Map<String, Value>) -> bool {
        if self.is_open() {
            return true;
        }
        map.iter().all(|(k, v)| match self.find(k) {
            Some(node) => v.is_null() || node.is_valid(v),
            None => false,
        })
    }

    fn report(&self, map: &Map<String, Value>, path: &Path<'_>, report: &mut Report) {
        if self.is_open() {
            return;
        }
        for (k, v) in map {
            if report.is_full() {
                return;
            }
            let at = path.key(k);
            match self.find(k) {
                Some(_) if v.is_null() => {}
                Some(node) => node.report(v, &at, report),
                None => report.push(&at, EXPECTED_DECLARED_KEY, format!("undeclared key {k:?}")),
            }
        }
    }
}

#[inline]
fn is_integral(n: &Number) -> bool {
    n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
}

impl Node {
    fn compile(ty: &FieldType) -> Node {
        match ty {
            FieldType::String => Node::String,
            FieldType::Float => Node::Float,
            FieldType::Integer => Node::Integer,
            FieldType::Date => Node::Date,
            FieldType::StringArray => Node::Array(Box::new(Node::String)),
            FieldType::FloatArray => Node::Array(Box::new(Node::Float)),
            FieldType::IntegerArray => Node::Array(Box::new(Node::Integer)),
            FieldType::DateArray => Node::Array(Box::new(Node::Date)),
            FieldType::Enum(values) => {
                Node::Enum(values.iter().map(|v| v.as_str().into()).collect())
            }
            FieldType::Object(fields) => Node::Object(ObjectNode::compile(fields)),
            FieldType::ObjectArray(fields) => {
                Node::Array(Box::new(Node::Object(ObjectNode::compile(fields))))
            }
        }
    }

    #[inline]
    fn is_valid(&self, v: &Value) -> bool {
        match (self, v) {
            (Node::String, Value::String(_)) => true,
            (Node::Float, Value::Number(_)) => true,
            (Node::Integer, Value::Number(n)) => is_integral(n),
            (Node::Date, Value::String(s)) => is_valid_date(s),
            (Node::Enum(values), Value::String(s)) => values.iter().any(|x| x.as_ref() == s),
            (Node::Object(o), Value::Object(m)) => o.is_valid(m),
            (Node::Array(e), Value::Array(a)) => a.iter().all(|x| e.is_valid(x)),
            _ => false,
        }
    }

    fn report(&self, v: &Value, path: &Path<'_>, report: &mut Report) {
        match (self, v) {
            (Node::Object(o), Value::Object(m)) => o.report(m, path, report),
            (Node::Array(e), Value::Array(a)) => {
                for (i, x) in a.iter().enumerate() {
                    if report.is_full() {
                        return;
                    }
                    e.report(x, &path.index(i), report);
                }
            }
            _ if self.is_valid(v) => {}
            _ => report.push(path, self.expected(), describe_value(v)),
        }
    }

    fn expected(&self) -> String {
        match self {
            Node::String => "string".into(),
            Node::Float => "float (a number)".into(),
            Node::Integer => "integer (a number without fraction)".into(),
            Node::Date => EXPECTED_DATE.into(),
            Node::Enum(values) => expected_one_of(values.iter().map(|v| v.as_ref())),
            Node::Object(_) => "object".into(),
            Node::Array(e) => format!("array of {}", e.expected()),
        }
    }
}

/// What an error says an `enum` value should be: `one of ["idle", "heating"]`.
pub fn expected_one_of<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    let list: Vec<String> = values.into_iter().map(|v| format!("{v:?}")).collect();
    format!("one of [{}]", list.join(", "))
}

impl Validator {
    /// Compiles `definition` into a validator.
    pub fn new(definition: &SchemaDefinition) -> Validator {
        Validator::for_fields(&definition.fields)
    }

    /// Compiles a validator for an object with these fields.
    pub fn for_fields(fields: &[Field]) -> Validator {
        Validator {
            root: ObjectNode::compile(fields),
            limit: DEFAULT_ERROR_LIMIT,
        }
    }

    /// The same validator, keeping at most `limit` errors in a report.
    pub fn with_error_limit(mut self, limit: usize) -> Validator {
        self.limit = limit.max(1);
        self
    }

    /// True when `payload` is a valid message (a JSON object).
    #[inline]
    pub fn is_valid(&self, payload: &Value) -> bool {
        matches!(payload, Value::Object(m) if self.root.is_valid(m))
    }

    /// True when `batch` is a non-empty array of valid messages.
    pub fn is_valid_batch(&self, batch: &Value) -> bool {
        matches!(batch, Value::Array(a) if !a.is_empty() && a.iter().all(|p| self.is_valid(p)))
    }

    /// True when `payload` is a valid message or a valid batch: what the
    /// `payload` of a publish request may hold.
    pub fn is_valid_payload(&self, payload: &Value) -> bool {
        match payload {
            Value::Array(_) => self.is_valid_batch(payload),
            _ => self.is_valid(payload),
        }
    }

    /// Checks one message; every error with its path.
    pub fn validate(&self, payload: &Value) -> Result<(), ValidationErrors> {
        let mut report = Report::new(self.limit);
        self.report_message(payload, &Path::ROOT, &mut report);
        report.into_result()
    }

    /// Checks a batch: paths start with the element's index (`[2].at`).
    pub fn validate_batch(&self, batch: &Value) -> Result<(), ValidationErrors> {
        let mut report = Report::new(self.limit);
        match batch {
            Value::Array(a) if !a.is_empty() => {
                for (i, p) in a.iter().enumerate() {
                    if report.is_full() {
                        break;
                    }
                    self.report_message(p, &Path::ROOT.index(i), &mut report);
                }
            }
            other => report.push(
                &Path::ROOT,
                "a non-empty array of objects",
                describe_value(other),
            ),
        }
        report.into_result()
    }

    /// Checks a message or a batch, whichever `payload` is.
    pub fn validate_payload(&self, payload: &Value) -> Result<(), ValidationErrors> {
        match payload {
            Value::Array(_) => self.validate_batch(payload),
            _ => self.validate(payload),
        }
    }

    fn report_message(&self, payload: &Value, path: &Path<'_>, report: &mut Report) {
        match payload {
            Value::Object(m) => self.root.report(m, path, report),
            other => report.push(path, "an object", describe_value(other)),
        }
    }
}
