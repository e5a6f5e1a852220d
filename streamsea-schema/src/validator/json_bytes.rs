//! The validator run on serialized JSON: the same compiled checks, read from
//! the bytes as they are parsed, with no `serde_json::Value` tree built.
//!
//! The yes/no walk stops at the first problem; only an invalid payload is
//! then parsed into a `Value` for the full report, so error texts are the
//! ones [`Validator::validate`] gives.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{Entry, Node, ObjectNode, Validator};
use crate::date::is_valid_date;
use crate::report::{Path, Report, ValidationErrors};

/// What a value must be.
#[derive(Clone, Copy)]
enum Want<'a> {
    /// A declared field's value: null, or what its node says.
    Field(&'a Entry),
    /// An array element: what the node says, never null.
    Element(&'a Node),
    /// A message: an object with these fields.
    Message(&'a ObjectNode),
}

/// The failure of the yes/no walk; it carries nothing, the full report comes
/// from the `Value` path.
#[derive(Debug)]
struct Invalid;

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid")
    }
}

impl std::error::Error for Invalid {}

impl de::Error for Invalid {
    fn custom<T: fmt::Display>(_: T) -> Invalid {
        Invalid
    }
}

fn node_of(want: Want<'_>) -> Option<&Node> {
    match want {
        Want::Field(e) => Some(&e.node),
        Want::Element(n) => Some(n),
        Want::Message(_) => None,
    }
}

impl<'de> DeserializeSeed<'de> for Want<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Want<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value valid against the schema")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        match self {
            Want::Field(_) => Ok(()),
            _ => Err(E::custom(Invalid)),
        }
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(Invalid))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        number(self, true)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        number(self, true)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        number(self, v.fract() == 0.0)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<(), E> {
        let ok = match node_of(self) {
            Some(Node::String) => true,
            Some(Node::Date) => is_valid_date(s),
            Some(Node::Enum(values)) => values.contains(s),
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(E::custom(Invalid))
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some(Node::Array(element)) = node_of(self) else {
            return Err(de::Error::custom(Invalid));
        };
        while seq.next_element_seed(Want::Element(element))?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let object = match self {
            Want::Message(o) => o,
            _ => match node_of(self) {
                Some(Node::Object(o)) => o,
                _ => return Err(de::Error::custom(Invalid)),
            },
        };
        if object.is_open() {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(());
        }
        let mut cursor = 0;
        while let Some(entry) = map.next_key_seed(Key {
            object,
            cursor: &mut cursor,
        })? {
            map.next_value_seed(Want::Field(entry))?;
        }
        Ok(())
    }
}

/// Integers pass `integer` and `float`; other numbers pass `float` only.
fn number<E: de::Error>(want: Want<'_>, integral: bool) -> Result<(), E> {
    match node_of(want) {
        Some(Node::Float) => Ok(()),
        Some(Node::Integer) if integral => Ok(()),
        _ => Err(E::custom(Invalid)),
    }
}

/// A key of a declared object: found among its fields, or invalid.
struct Key<'a, 'c> {
    object: &'a ObjectNode,
    cursor: &'c mut usize,
}

impl<'de, 'a> DeserializeSeed<'de> for Key<'a, '_> {
    type Value = &'a Entry;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<&'a Entry, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, 'a> Visitor<'de> for Key<'a, '_> {
    type Value = &'a Entry;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a declared key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<&'a Entry, E> {
        self.object
            .find(key, self.cursor)
            .ok_or_else(|| E::custom(Invalid))
    }
}

/// A batch: a non-empty array of messages.
struct Batch<'a>(&'a ObjectNode);

impl<'de> DeserializeSeed<'de> for Batch<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Batch<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a non-empty array of messages")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut count = 0usize;
        while seq.next_element_seed(Want::Message(self.0))?.is_some() {
            count += 1;
        }
        if count == 0 {
            return Err(de::Error::custom(Invalid));
        }
        Ok(())
    }
}

/// Runs `seed` over the whole of `json`: true when it passes and nothing
/// follows.
fn passes<'de, S: DeserializeSeed<'de, Value = ()>>(seed: S, json: &'de [u8]) -> bool {
    let mut d = serde_json::Deserializer::from_slice(json);
    seed.deserialize(&mut d).is_ok() && d.end().is_ok()
}

/// The full report of JSON that failed the walk, from its `Value`.
fn report(
    json: &[u8],
    limit: usize,
    check: impl FnOnce(&Value) -> Result<(), ValidationErrors>,
) -> Result<(), ValidationErrors> {
    match serde_json::from_slice::<Value>(json) {
        Ok(v) => check(&v),
        Err(e) => {
            let mut r = Report::new(limit);
            r.push(&Path::ROOT, "JSON", format!("unreadable JSON ({e})"));
            r.into_result()
        }
    }
}

impl Validator {
    /// True when `json` (serialized JSON) is a valid message; reads the bytes
    /// once and builds no tree.
    pub fn is_valid_json(&self, json: &[u8]) -> bool {
        passes(Want::Message(&self.root), json)
    }

    /// True when `json` (serialized JSON) is a non-empty array of valid
    /// messages.
    pub fn is_valid_batch_json(&self, json: &[u8]) -> bool {
        passes(Batch(&self.root), json)
    }

    /// Checks one serialized message: the same result as
    /// [`validate`](Validator::validate) on its `Value`, with no tree built
    /// when it is valid.
    ///
    /// ```
    /// use streamsea_schema::{Field, FieldType, Validator};
    /// let v = Validator::for_fields(&[Field::new("at", FieldType::Date)]);
    /// assert!(v.validate_json(br#"{"at": "2024-01-01T00:00:00Z"}"#).is_ok());
    /// let errors = v.validate_json(br#"{"at": "yesterday"}"#).unwrap_err();
    /// assert_eq!(errors.paths(), ["at"]);
    /// ```
    pub fn validate_json(&self, json: &[u8]) -> Result<(), ValidationErrors> {
        if self.is_valid_json(json) {
            return Ok(());
        }
        report(json, self.limit, |v| self.validate(v))
    }

    /// Checks a serialized batch: the same result as
    /// [`validate_batch`](Validator::validate_batch) on its `Value`, with no
    /// tree built when it is valid.
    pub fn validate_batch_json(&self, json: &[u8]) -> Result<(), ValidationErrors> {
        if self.is_valid_batch_json(json) {
            return Ok(());
        }
        report(json, self.limit, |v| self.validate_batch(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Field, FieldType, SchemaDefinition};
    use serde_json::json;

    fn boiler() -> Validator {
        let def = SchemaDefinition::from_value(json!({"version": 1, "fields": [
            {"name": "temperature", "type": "float"},
            {"name": "count", "type": "integer"},
            {"name": "at", "type": "date"},
            {"name": "mode", "type": "enum", "enum": ["idle", "heating"]},
            {"name": "tags", "type": "array<string>"},
            {"name": "site", "type": "object", "fields": [{"name": "name", "type": "string"}]},
            {"name": "any", "type": "object"},
            {"name": "readings", "type": "array<object>", "fields": [
                {"name": "at", "type": "date"}, {"name": "v", "type": "array<integer>"}
            ]}
        ]}))
        .unwrap();
        Validator::new(&def)
    }

    /// The bytes and the `Value` give the same answer on every case.
    #[test]
    fn agrees_with_the_value_validator() {
        let v = boiler();
        let cases = [
            json!({}),
            json!({"temperature": 1, "count": 3.0, "at": "2024-02-29T23:59:59Z", "mode": "idle"}),
            json!({"temperature": null, "tags": ["a", "b"], "site": {"name": "oslo"}}),
            json!({"any": {"x": [1, {"y": null}]}, "readings": [{"at": "2024-01-01T00:00:00Z", "v": [1, 2]}]}),
            json!({"count": 3.5}),
            json!({"count": "3"}),
            json!({"at": "2023-02-29T00:00:00Z"}),
            json!({"mode": "Idle"}),
            json!({"tags": ["a", null]}),
            json!({"tags": "a"}),
            json!({"site": {"name": "oslo", "extra": 1}}),
            json!({"undeclared": 1}),
            json!({"readings": [{"v": [1.5]}]}),
            json!({"readings": [null]}),
            json!({"temperature": true}),
            json!([]),
            json!("text"),
            json!({"mode": "hea\u{0074}ing", "site": {"na\u{006d}e": "x"}}),
        ];
        for case in &cases {
            let bytes = serde_json::to_vec(case).unwrap();
            assert_eq!(v.is_valid_json(&bytes), v.is_valid(case), "{case}");
            assert_eq!(v.validate_json(&bytes), v.validate(case), "{case}");
        }
        // Escaped keys and values are read as their text.
        assert!(v.is_valid_json(br#"{"mo\u0064e": "idl\u0065"}"#));
    }

    #[test]
    fn batches() {
        let v = Validator::for_fields(&[Field::new("n", FieldType::Integer)]);
        assert!(v.is_valid_batch_json(br#"[{"n": 1}, {"n": 2}]"#));
        assert!(!v.is_valid_batch_json(b"[]"));
        assert!(!v.is_valid_batch_json(br#"{"n": 1}"#));
        let errors = v
            .validate_batch_json(br#"[{"n": 1}, {"n": 1.5}]"#)
            .unwrap_err();
        assert_eq!(errors.paths(), ["[1].n"]);
        assert!(!v.is_valid_json(br#"{"n": 1} trailing"#));
        let errors = v.validate_json(b"{not json").unwrap_err();
        assert!(errors.to_string().contains("unreadable JSON"), "{errors}");
    }
}
