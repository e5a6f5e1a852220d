//! Field type names as the wire writes them, and the Rust types whose field
//! type the derive knows by name.

/// A stream-sea field type without what it carries (enum values, nested
/// fields): what a type name on the wire or in `#[stream_schema(type = "...")]`
/// says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WireType {
    /// `string`
    String,
    /// `float`
    Float,
    /// `integer`
    Integer,
    /// `date`
    Date,
    /// `array<string>`
    StringArray,
    /// `array<float>`
    FloatArray,
    /// `array<integer>`
    IntegerArray,
    /// `array<date>`
    DateArray,
    /// `enum`
    Enum,
    /// `object`
    Object,
    /// `array<object>`
    ObjectArray,
}

impl WireType {
    /// Every type, in the order PROTOCOL.md lists them.
    pub const ALL: [WireType; 11] = [
        WireType::String,
        WireType::Float,
        WireType::Integer,
        WireType::Date,
        WireType::StringArray,
        WireType::FloatArray,
        WireType::IntegerArray,
        WireType::DateArray,
        WireType::Enum,
        WireType::Object,
        WireType::ObjectArray,
    ];

    /// The wire name, e.g. `array<date>`.
    pub const fn name(self) -> &'static str {
        match self {
            WireType::String => "string",
            WireType::Float => "float",
            WireType::Integer => "integer",
            WireType::Date => "date",
            WireType::StringArray => "array<string>",
            WireType::FloatArray => "array<float>",
            WireType::IntegerArray => "array<integer>",
            WireType::DateArray => "array<date>",
            WireType::Enum => "enum",
            WireType::Object => "object",
            WireType::ObjectArray => "array<object>",
        }
    }

    /// The type called `name` on the wire.
    pub fn from_name(name: &str) -> Option<WireType> {
        WireType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The array type whose elements are of this type, where stream-sea has one.
    pub const fn array_of(self) -> Option<WireType> {
        match self {
            WireType::String => Some(WireType::StringArray),
            WireType::Float => Some(WireType::FloatArray),
            WireType::Integer => Some(WireType::IntegerArray),
            WireType::Date => Some(WireType::DateArray),
            WireType::Object => Some(WireType::ObjectArray),
            _ => None,
        }
    }

    /// True for the types that carry nothing else (all but `enum`, `object`
    /// and `array<object>`).
    pub const fn is_scalar(self) -> bool {
        !matches!(
            self,
            WireType::Enum | WireType::Object | WireType::ObjectArray
        )
    }
}

/// The Rust types, by the last segment of their path, whose field type the
/// derive knows without asking the trait system; `streamsea-schema` maps each
/// of them to the same type (a test there checks it).
pub const KNOWN_RUST_TYPES: &[(&str, WireType)] = &[
    ("String", WireType::String),
    ("str", WireType::String),
    ("char", WireType::String),
    ("i8", WireType::Integer),
    ("i16", WireType::Integer),
    ("i32", WireType::Integer),
    ("i64", WireType::Integer),
    ("isize", WireType::Integer),
    ("u8", WireType::Integer),
    ("u16", WireType::Integer),
    ("u32", WireType::Integer),
    ("u64", WireType::Integer),
    ("usize", WireType::Integer),
    ("f32", WireType::Float),
    ("f64", WireType::Float),
];

/// The field type of a Rust type known by name (see [`KNOWN_RUST_TYPES`]).
pub fn known_rust_type(last_segment: &str) -> Option<WireType> {
    KNOWN_RUST_TYPES
        .iter()
        .find(|(n, _)| *n == last_segment)
        .map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back() {
        for t in WireType::ALL {
            assert_eq!(WireType::from_name(t.name()), Some(t));
        }
        assert_eq!(WireType::from_name("array<enum>"), None);
        assert_eq!(WireType::Enum.array_of(), None);
        assert_eq!(known_rust_type("f64"), Some(WireType::Float));
        assert_eq!(known_rust_type("bool"), None);
    }
}
