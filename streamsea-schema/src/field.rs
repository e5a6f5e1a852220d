//! Fields and field types of a schema definition, and their wire JSON.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::SchemaError;

/// The deepest nesting of `object` / `array<object>` fields a definition may have.
pub const MAX_DEPTH: usize = streamsea_rules::MAX_DEPTH;

/// The type of a field (PROTOCOL.md section 3): one of the eleven stream-sea types.
///
/// `Enum` carries its allowed values; `Object` and `ObjectArray` carry their
/// nested fields (empty: any object).
#[derive(Debug, Clone)]
pub enum FieldType {
    /// `string`: any JSON string.
    String,
    /// `float`: any JSON number.
    Float,
    /// `integer`: a JSON number with no fractional part.
    Integer,
    /// `date`: a string of the form `YYYY-MM-DDTHH:mm:ssZ`.
    Date,
    /// `array<string>`.
    StringArray,
    /// `array<float>`.
    FloatArray,
    /// `array<integer>`.
    IntegerArray,
    /// `array<date>`.
    DateArray,
    /// `enum`: a string from the listed values (case-sensitive).
    Enum(Vec<String>),
    /// `object`: a JSON object checked against the nested fields.
    Object(Vec<Field>),
    /// `array<object>`: an array of objects checked against the nested fields.
    ObjectArray(Vec<Field>),
}

impl FieldType {
    /// The wire name of the type, e.g. `array<date>` (the names are defined
    /// once, by [`WireType`](streamsea_rules::WireType)).
    pub fn wire_name(&self) -> &'static str {
        self.wire_type().name()
    }

    /// The type without what it carries (enum values, nested fields).
    pub fn wire_type(&self) -> streamsea_rules::WireType {
        use streamsea_rules::WireType;
        match self {
            FieldType::String => WireType::String,
            FieldType::Float => WireType::Float,
            FieldType::Integer => WireType::Integer,
            FieldType::Date => WireType::Date,
            FieldType::StringArray => WireType::StringArray,
            FieldType::FloatArray => WireType::FloatArray,
            FieldType::IntegerArray => WireType::IntegerArray,
            FieldType::DateArray => WireType::DateArray,
            FieldType::Enum(_) => WireType::Enum,
            FieldType::Object(_) => WireType::Object,
            FieldType::ObjectArray(_) => WireType::ObjectArray,
        }
    }

    /// The nested fields of an `object` or `array<object>` type.
    pub fn nested_fields(&self) -> Option<&[Field]> {
        match self {
            FieldType::Object(f) | FieldType::ObjectArray(f) => Some(f),
            _ => None,
        }
    }

    /// The array type whose elements are of this type, where stream-sea has one
    /// (`string` gives `array<string>`, `object` gives `array<object>`).
    pub fn array_of(&self) -> Option<FieldType> {
        Some(match self {
            FieldType::String => FieldType::StringArray,
            FieldType::Float => FieldType::FloatArray,
            FieldType::Integer => FieldType::IntegerArray,
            FieldType::Date => FieldType::DateArray,
            FieldType::Object(f) => FieldType::ObjectArray(f.clone()),
            _ => return None,
        })
    }

    /// The element type of an array type.
    pub fn element(&self) -> Option<FieldType> {
        Some(match self {
            FieldType::StringArray => FieldType::String,
            FieldType::FloatArray => FieldType::Float,
            FieldType::IntegerArray => FieldType::Integer,
            FieldType::DateArray => FieldType::Date,
            FieldType::ObjectArray(f) => FieldType::Object(f.clone()),
            _ => return None,
        })
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldType::Enum(values) => write!(f, "enum {values:?}"),
            other => f.write_str(other.wire_name()),
        }
    }
}

impl PartialEq for FieldType {
    /// Equality ignores the order of nested fields and of enum values.
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (FieldType::Enum(a), FieldType::Enum(b)) => {
                let mut a: Vec<&String> = a.iter().collect();
                let mut b: Vec<&String> = b.iter().collect();
                a.sort();
                b.sort();
                a == b
            }
            (FieldType::Object(a), FieldType::Object(b))
            | (FieldType::ObjectArray(a), FieldType::ObjectArray(b)) => fields_equal(a, b),
            (a, b) => {
                a.nested_fields().is_none()
                    && !matches!(a, FieldType::Enum(_))
                    && a.wire_name() == b.wire_name()
            }
        }
    }
}

impl Eq for FieldType {}

/// Compares two field lists as unordered sets, at every depth.
pub fn fields_equal(a: &[Field], b: &[Field]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut a: Vec<&Field> = a.iter().collect();
    let mut b: Vec<&Field> = b.iter().collect();
    a.sort_by(|x, y| x.name.cmp(&y.name));
    b.sort_by(|x, y| x.name.cmp(&y.name));
    a.iter().zip(b.iter()).all(|(x, y)| x == y)
}

/// One named field of a schema definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawField", into = "RawField")]
pub struct Field {
    /// The field's name: the key in the payload object.
    pub name: String,
    /// The field's type.
    pub ty: FieldType,
}

impl Field {
    /// A field named `name` of type `ty`.
    pub fn new(name: impl Into<String>, ty: FieldType) -> Self {
        Field {
            name: name.into(),
            ty,
        }
    }
}

/// The wire shape of a field: `{"name", "type", "enum"?, "fields"?}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawField {
    name: String,
    #[serde(rename = "type")]
    ty: String,
    #[serde(rename = "enum", default, skip_serializing_if = "Option::is_none")]
    values: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fields: Option<Vec<RawField>>,
}

impl From<Field> for RawField {
    fn from(f: Field) -> Self {
        let wire = f.ty.wire_name().to_string();
        let (values, fields) = match f.ty {
            FieldType::Enum(v) => (Some(v), None),
            FieldType::Object(n) | FieldType::ObjectArray(n) => {
                (None, Some(n.into_iter().map(RawField::from).collect()))
            }
            _ => (None, None),
        };
        RawField {
            name: f.name,
            ty: wire,
            values,
            fields,
        }
    }
}

impl TryFrom<RawField> for Field {
    type Error = SchemaError;

    fn try_from(raw: RawField) -> Result<Self, SchemaError> {
        convert_field(raw, "", 1)
    }
}

/// Converts a list of wire fields, checking names are unique; `prefix` is the
/// path of the enclosing field ("" at the top).
pub(crate) fn convert_fields(
    raw: Vec<RawField>,
    prefix: &str,
    depth: usize,
) -> Result<Vec<Field>, SchemaError> {
    let mut out: Vec<Field> = Vec::with_capacity(raw.len());
    // A set of the names so far: linear in the number of fields.
    let mut seen: std::collections::HashSet<String> =
        std::collections::HashSet::with_capacity(raw.len());
    for r in raw {
        if !seen.insert(r.name.clone()) {
            return Err(SchemaError::DuplicateField {
                path: join(prefix, &r.name),
            });
        }
        out.push(convert_field(r, prefix, depth)?);
    }
    Ok(out)
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

fn convert_field(raw: RawField, prefix: &str, depth: usize) -> Result<Field, SchemaError> {
    let path = join(prefix, &raw.name);
    if raw.name.is_empty() {
        return Err(SchemaError::EmptyFieldName { path });
    }
    let nested = |raw_fields: Option<Vec<RawField>>| -> Result<Vec<Field>, SchemaError> {
        if depth >= MAX_DEPTH {
            return Err(SchemaError::TooDeep {
                path: path.clone(),
                max: MAX_DEPTH,
            });
        }
        convert_fields(raw_fields.unwrap_or_default(), &path, depth + 1)
    };
    let ty = match raw.ty.as_str() {
        "object" | "array<object>" => {
            if raw.values.is_some() {
                return Err(SchemaError::UnexpectedEnum { path, ty: raw.ty });
            }
            let fields = nested(raw.fields)?;
            if raw.ty == "object" {
                FieldType::Object(fields)
            } else {
                FieldType::ObjectArray(fields)
            }
        }
        "enum" => {
            if raw.fields.is_some() {
                return Err(SchemaError::UnexpectedFields { path, ty: raw.ty });
            }
            match raw.values {
                Some(values) => FieldType::Enum(values),
                None => return Err(SchemaError::MissingEnum { path }),
            }
        }
        other => {
            let Some(ty) = scalar_type_from_wire(other) else {
                return Err(SchemaError::UnknownType {
                    path,
                    ty: raw.ty.clone(),
                });
            };
            if raw.fields.is_some() {
                return Err(SchemaError::UnexpectedFields { path, ty: raw.ty });
            }
            if raw.values.is_some() {
                return Err(SchemaError::UnexpectedEnum { path, ty: raw.ty });
            }
            ty
        }
    };
    Ok(Field { name: raw.name, ty })
}

/// Parses a field type's wire name for a scalar or array of scalars (the types
/// that carry nothing else), as the short form uses them.
pub fn scalar_type_from_wire(name: &str) -> Option<FieldType> {
    use streamsea_rules::WireType;
    Some(match WireType::from_name(name)? {
        WireType::String => FieldType::String,
        WireType::Float => FieldType::Float,
        WireType::Integer => FieldType::Integer,
        WireType::Date => FieldType::Date,
        WireType::StringArray => FieldType::StringArray,
        WireType::FloatArray => FieldType::FloatArray,
        WireType::IntegerArray => FieldType::IntegerArray,
        WireType::DateArray => FieldType::DateArray,
        WireType::Enum | WireType::Object | WireType::ObjectArray => return None,
    })
}

/// Sorts a field list by name, at every depth, enum values included.
pub(crate) fn sort_fields(fields: &mut [Field]) {
    fields.sort_by(|a, b| a.name.cmp(&b.name));
    for f in fields {
        match &mut f.ty {
            FieldType::Object(n) | FieldType::ObjectArray(n) => sort_fields(n),
            FieldType::Enum(v) => v.sort(),
            _ => {}
        }
    }
}
