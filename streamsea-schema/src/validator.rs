//! The payload validator (PROTOCOL.md section 4): a definition compiled once into a
//! tree of checks, then run on `serde_json::Value` payloads and batches.
//!
//! Two entry points per shape: `is_valid*`, a yes/no that tracks no paths and
//! stops at the first problem, and `validate*`, a full report of every error
//! with its path, capped at a bounded number of errors. Both also run on
//! serialized JSON (`*_json`), reading the bytes without building a tree.

use std::collections::HashSet;

use serde_json::{Map, Number, Value};

mod json_bytes;

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
    Enum(EnumNode),
    Object(ObjectNode),
    Array(Box<Node>),
}

/// The allowed values of an `enum`: in declared order (for messages), and,
/// when there are more than a few, in a set, so a check costs the same for
/// ten values as for a million.
#[derive(Debug, Clone)]
struct EnumNode {
    values: Box<[Name]>,
    set: Option<HashSet<Box<str>>>,
}

/// Up to this many enum values a check scans their tags; beyond it, a set.
const ENUM_SCAN_LIMIT: usize = 16;

impl EnumNode {
    fn compile(values: &[String]) -> EnumNode {
        let set = (values.len() > ENUM_SCAN_LIMIT)
            .then(|| values.iter().map(|v| Box::from(v.as_str())).collect());
        EnumNode {
            values: values.iter().map(|v| Name::new(v)).collect(),
            set,
        }
    }

    #[inline]
    fn contains(&self, s: &str) -> bool {
        match &self.set {
            Some(set) => set.contains(s),
            None => {
                let tag = Tag::of(s);
                self.values.iter().any(|v| v.is(tag, s))
            }
        }
    }
}

#[derive(Debug, Clone)]
struct ObjectNode {
    /// The declared fields, sorted bytewise by name.
    entries: Box<[Entry]>,
}

/// One declared field: its name, a cheap tag of the name for comparisons, and
/// its check.
#[derive(Debug, Clone)]
struct Entry {
    name: Name,
    /// The JSON kind a value must have (null aside).
    kind: Kind,
    /// False when the right kind is all there is to check (string, float).
    deep: bool,
    node: Node,
}

/// A field name or enum value with its [`Tag`].
#[derive(Debug, Clone)]
struct Name {
    tag: Tag,
    text: Box<str>,
}

impl Name {
    fn new(text: &str) -> Name {
        Name {
            tag: Tag::of(text),
            text: text.into(),
        }
    }

    /// True when `key`, whose tag is `tag`, is this name.
    #[inline(always)]
    fn is(&self, tag: Tag, key: &str) -> bool {
        self.tag == tag
            && (tag.len <= 8 || self.text.as_bytes().get(8..) == key.as_bytes().get(8..))
    }
}

/// The kind of a JSON value, without its contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

#[inline(always)]
fn kind_of(v: &Value) -> Kind {
    match v {
        Value::Null => Kind::Null,
        Value::Bool(_) => Kind::Bool,
        Value::Number(_) => Kind::Number,
        Value::String(_) => Kind::String,
        Value::Array(_) => Kind::Array,
        Value::Object(_) => Kind::Object,
    }
}

/// A name's length and up to eight of its bytes (all of them for names of up
/// to eight bytes, the first eight otherwise): equal tags mean equal names for
/// short names, and settle most other comparisons without reading the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tag {
    len: usize,
    head: u64,
}

impl Tag {
    #[inline(always)]
    fn of(s: &str) -> Tag {
        let b = s.as_bytes();
        let n = b.len();
        let word = |at: usize| -> u64 {
            b.get(at..at + 4)
                .and_then(|w| w.first_chunk::<4>())
                .map_or(0, |w| u32::from_le_bytes(*w) as u64)
        };
        let head = match b.first_chunk::<8>() {
            Some(first) => u64::from_le_bytes(*first),
            // Two overlapping words cover every byte of a 4 to 7 byte name.
            None if n >= 4 => word(0) | (word(n - 4) << 32),
            // The first, middle and last bytes cover a 1 to 3 byte name.
            None if n > 0 => b[0] as u64 | ((b[n / 2] as u64) << 8) | ((b[n - 1] as u64) << 16),
            None => 0,
        };
        Tag { len: n, head }
    }
}

impl Entry {
    /// True when `v` is valid for this field (null always is).
    #[inline(always)]
    fn accepts(&self, v: &Value) -> bool {
        let k = kind_of(v);
        k == Kind::Null || (k == self.kind && (!self.deep || self.node.is_valid(v)))
    }
}

/// Up to this many fields a lookup scans the tags; beyond it, binary search.
const SCAN_LIMIT: usize = 16;

impl ObjectNode {
    fn compile(fields: &[Field]) -> ObjectNode {
        let mut sorted: Vec<&Field> = fields.iter().collect();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        sorted.dedup_by(|a, b| a.name == b.name);
        ObjectNode {
            entries: sorted
                .iter()
                .map(|f| {
                    let node = Node::compile(&f.ty);
                    Entry {
                        name: Name::new(&f.name),
                        kind: node.kind(),
                        deep: !matches!(node, Node::String | Node::Float),
                        node,
                    }
                })
                .collect(),
        }
    }

    /// Absent or empty `fields`: any object passes.
    #[inline]
    fn is_open(&self) -> bool {
        self.entries.is_empty()
    }

    /// The check of field `key`. The keys of a `serde_json::Map` usually come
    /// in sorted order, like the entries, so the entry at `*cursor` (just past
    /// the last match) is tried first; any order is still found.
    #[inline(always)]
    fn find(&self, key: &str, cursor: &mut usize) -> Option<&Entry> {
        let tag = Tag::of(key);
        let entries = &self.entries;
        if let Some(e) = entries.get(*cursor) {
            if e.name.is(tag, key) {
                *cursor += 1;
                return Some(e);
            }
        }
        let found = if entries.len() <= SCAN_LIMIT {
            entries.iter().position(|e| e.name.is(tag, key))
        } else {
            entries
                .binary_search_by(|e| e.name.text.as_ref().cmp(key))
                .ok()
        };
        let i = found?;
        *cursor = i + 1;
        entries.get(i)
    }

    fn is_valid(&self, map: &Map<String, Value>) -> bool {
        if self.is_open() {
            return true;
        }
        let mut cursor = 0;
        map.iter().all(|(k, v)| match self.find(k, &mut cursor) {
            Some(e) => e.accepts(v),
            None => false,
        })
    }

    fn report(&self, map: &Map<String, Value>, path: &Path<'_>, report: &mut Report) {
        if self.is_open() {
            return;
        }
        // Errors come in one order, keys in byte order (see
        // `ValidationErrors`), whatever order the map keeps (serde_json's
        // `preserve_order` keeps the order of the text).
        if !map.keys().zip(map.keys().skip(1)).all(|(a, b)| a < b) {
            let mut sorted: Vec<(&String, &Value)> = map.iter().collect();
            sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
            return self.report_entries(sorted, path, report);
        }
        self.report_entries(map, path, report)
    }

    fn report_entries<'v>(
        &self,
        entries: impl IntoIterator<Item = (&'v String, &'v Value)>,
        path: &Path<'_>,
        report: &mut Report,
    ) {
        let mut cursor = 0;
        for (k, v) in entries {
            if report.is_full() {
                return;
            }
            let at = path.key(k);
            match self.find(k, &mut cursor) {
                // A valid value needs no paths: the yes/no check settles it.
                Some(e) if e.accepts(v) => {}
                Some(e) => e.node.report(v, &at, report),
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
            FieldType::Enum(values) => Node::Enum(EnumNode::compile(values)),
            FieldType::Object(fields) => Node::Object(ObjectNode::compile(fields)),
            FieldType::ObjectArray(fields) => {
                Node::Array(Box::new(Node::Object(ObjectNode::compile(fields))))
            }
        }
    }

    fn kind(&self) -> Kind {
        match self {
            Node::String | Node::Date | Node::Enum(_) => Kind::String,
            Node::Float | Node::Integer => Kind::Number,
            Node::Object(_) => Kind::Object,
            Node::Array(_) => Kind::Array,
        }
    }

    #[inline]
    fn is_valid(&self, v: &Value) -> bool {
        match (self, v) {
            (Node::String, Value::String(_)) => true,
            (Node::Float, Value::Number(_)) => true,
            (Node::Integer, Value::Number(n)) => is_integral(n),
            (Node::Date, Value::String(s)) => is_valid_date(s),
            (Node::Enum(values), Value::String(s)) => values.contains(s),
            (Node::Object(o), Value::Object(m)) => o.is_valid(m),
            (Node::Array(e), Value::Array(a)) => match **e {
                // The kind settles strings and floats: no dispatch per element.
                Node::String => a.iter().all(Value::is_string),
                Node::Float => a.iter().all(Value::is_number),
                _ => a.iter().all(|x| e.is_valid(x)),
            },
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
                    if !e.is_valid(x) {
                        e.report(x, &path.index(i), report);
                    }
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
            Node::Enum(e) => expected_one_of(e.values.iter().map(|v| v.text.as_ref())),
            Node::Object(_) => "object".into(),
            Node::Array(e) => format!("array of {}", e.expected()),
        }
    }
}

/// Checks one value against a field type as a field of a payload is checked
/// (`null` passes), recording errors at `path`: how `validate()` checks the
/// JSON a `with`/`serialize_with` function writes.
pub(crate) fn report_value(ty: &FieldType, value: &Value, path: &Path<'_>, report: &mut Report) {
    let node = Node::compile(ty);
    if !value.is_null() && !node.is_valid(value) {
        node.report(value, path, report);
    }
}

/// The most enum values an error lists; longer lists end with how many
/// values there are in all.
const EXPECTED_ENUM_LISTED: usize = 16;

/// What an error says an `enum` value should be: `one of ["idle", "heating"]`;
/// after 16 values, `..., (N values)`, so an error on a
/// huge enum stays short.
///
/// ```
/// use streamsea_schema::expected_one_of;
/// assert_eq!(expected_one_of(["idle", "heating"]), r#"one of ["idle", "heating"]"#);
/// let many: Vec<String> = (0..1000).map(|i| i.to_string()).collect();
/// let text = expected_one_of(many.iter().map(String::as_str));
/// assert!(text.ends_with(r#""15", ... (1000 values)]"#), "{text}");
/// ```
pub fn expected_one_of<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    let mut list: Vec<String> = Vec::new();
    let mut count = 0usize;
    for v in values {
        if count < EXPECTED_ENUM_LISTED {
            list.push(format!("{v:?}"));
        }
        count += 1;
    }
    if count > EXPECTED_ENUM_LISTED {
        list.push(format!("... ({count} values)"));
    }
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
