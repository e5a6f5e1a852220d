//! The derive applies, at compile time, the rules of `streamsea-rules`; the
//! runtime must agree with them: the same stream-name rule, the same type
//! names, and the same field type for every Rust type the derive knows by
//! name. And the derive compiles none of the runtime for the host.

use streamsea_schema::rules::{self, WireType, KNOWN_RUST_TYPES};
use streamsea_schema::{
    check_stream_name, scalar_type_from_wire, FieldType, SchemaType, MAX_DEPTH, MAX_STREAM_NAME_LEN,
};

/// The runtime's field type of each type the derive knows by name.
macro_rules! runtime_types {
    ($($t:ty),*) => {
        vec![$((stringify!($t), <$t as SchemaType>::field_type(), <[Box<$t>] as SchemaType>::field_type())),*]
    };
}

#[test]
fn known_rust_types_map_as_the_runtime_maps_them() {
    let runtime = runtime_types!(
        String, str, char, i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, f32, f64
    );
    assert_eq!(runtime.len(), KNOWN_RUST_TYPES.len());
    for (name, ty, array) in runtime {
        let known = rules::known_rust_type(name).unwrap_or_else(|| panic!("{name} unknown"));
        assert_eq!(known.name(), ty.wire_name(), "{name}");
        assert_eq!(
            known.array_of().map(WireType::name),
            Some(array.wire_name()),
            "{name}"
        );
    }
}

#[test]
fn type_names_are_the_runtimes() {
    let all = [
        FieldType::String,
        FieldType::Float,
        FieldType::Integer,
        FieldType::Date,
        FieldType::StringArray,
        FieldType::FloatArray,
        FieldType::IntegerArray,
        FieldType::DateArray,
        FieldType::Enum(vec![]),
        FieldType::Object(vec![]),
        FieldType::ObjectArray(vec![]),
    ];
    for (wire, runtime) in WireType::ALL.iter().zip(&all) {
        assert_eq!(wire.name(), runtime.wire_name());
        assert_eq!(
            scalar_type_from_wire(wire.name()).is_some(),
            wire.is_scalar(),
            "{}",
            wire.name()
        );
        assert_eq!(
            wire.array_of().map(WireType::name),
            runtime.array_of().map(|t| t.wire_name()),
            "{}",
            wire.name()
        );
    }
    assert_eq!(MAX_DEPTH, rules::MAX_DEPTH);
}

#[test]
fn stream_names_follow_one_rule() {
    let long = "x".repeat(MAX_STREAM_NAME_LEN + 1);
    for name in [
        "boiler_data",
        "a.b-c",
        "",
        ".",
        "..",
        "a b",
        "é",
        long.as_str(),
    ] {
        let derive = rules::check_stream_name(name);
        let runtime = check_stream_name(name);
        assert_eq!(derive.is_ok(), runtime.is_ok(), "{name:?}");
        if let (Err(d), Err(r)) = (derive, runtime) {
            assert!(r.to_string().ends_with(d.reason), "{r} / {d}");
        }
    }
}

#[test]
fn the_derive_compiles_none_of_the_runtime() {
    let manifest = include_str!("../../streamsea-derive/Cargo.toml");
    let deps: Vec<&str> = manifest
        .split("\n[")
        .find(|section| section.starts_with("dependencies]"))
        .expect("streamsea-derive has a [dependencies] section")
        .lines()
        .skip(1)
        .filter_map(|line| line.split(['=', '.']).next())
        .map(str::trim)
        .filter(|name| !name.is_empty() && !name.starts_with('#'))
        .collect();
    assert_eq!(
        deps,
        [
            "proc-macro2",
            "quote",
            "syn",
            "proc-macro-crate",
            "streamsea-rules"
        ]
    );
}
