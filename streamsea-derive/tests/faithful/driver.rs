//! The properties, checked for one payload type over generated values.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt::Debug;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRng, TestRunner};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use streamsea_schema::{Field, FieldType, SchemaDefinition, StreamSchema, Validator};

/// Cases per payload type: enough to write every declared field, few enough
/// that the whole suite runs in seconds in debug builds.
const CASES: u32 = 96;

/// The paths of every declared field: `a`, `a.b`, `a[].b`.
fn declared(fields: &[Field], prefix: &str, out: &mut BTreeSet<String>) {
    for f in fields {
        let path = join(prefix, &f.name);
        match &f.ty {
            FieldType::Object(nested) => declared(nested, &path, out),
            FieldType::ObjectArray(nested) => declared(nested, &format!("{path}[]"), out),
            _ => {}
        }
        out.insert(path);
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// True when `v` (not null) has the JSON kind of field type `ty`.
fn compatible(ty: &FieldType, v: &Value) -> bool {
    match ty {
        FieldType::String | FieldType::Date | FieldType::Enum(_) => v.is_string(),
        FieldType::Float | FieldType::Integer => v.is_number(),
        FieldType::StringArray
        | FieldType::FloatArray
        | FieldType::IntegerArray
        | FieldType::DateArray
        | FieldType::ObjectArray(_) => v.is_array(),
        FieldType::Object(_) => v.is_object(),
    }
}

/// Walks the JSON serde wrote: every key must be declared, every non-null
/// value of the declared kind (array elements too; `null` elements only in
/// float arrays, where serde writes NaN and infinities as `null`). Records
/// the declared paths that hold a value.
fn written(
    json: &serde_json::Map<String, Value>,
    fields: &[Field],
    prefix: &str,
    seen: &mut BTreeSet<String>,
) -> Result<(), String> {
    if fields.is_empty() {
        // An open object: anything goes.
        return Ok(());
    }
    for (key, v) in json {
        let path = join(prefix, key);
        let Some(f) = fields.iter().find(|f| &f.name == key) else {
            return Err(format!("serde wrote `{path}`, which is not declared"));
        };
        if v.is_null() {
            continue;
        }
        if !compatible(&f.ty, v) {
            return Err(format!("`{path}` is declared {} but serde wrote {v}", f.ty));
        }
        seen.insert(path.clone());
        match (&f.ty, v) {
            (FieldType::Object(nested), Value::Object(m)) => written(m, nested, &path, seen)?,
            (FieldType::ObjectArray(nested), Value::Array(items)) => {
                for item in items {
                    match item {
                        Value::Object(m) => written(m, nested, &format!("{path}[]"), seen)?,
                        other => return Err(format!("`{path}` holds {other}, not an object")),
                    }
                }
            }
            (ty, Value::Array(items)) => {
                let element = ty
                    .element()
                    .ok_or_else(|| format!("`{path}` is no array"))?;
                for item in items {
                    let ok = if item.is_null() {
                        element == FieldType::Float
                    } else {
                        compatible(&element, item)
                    };
                    if !ok {
                        return Err(format!("`{path}` is declared {} but holds {item}", f.ty));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The value at an error path (`readings[3].at`) in the JSON, if any. The
/// payload types use no `.` or `[` in their names.
fn resolve<'a>(json: &'a Value, path: &str) -> Option<&'a Value> {
    let mut at = json;
    for part in path.split('.') {
        let (key, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            at = at.get(key)?;
        }
        for index in indexes.split(['[', ']']).filter(|s| !s.is_empty()) {
            at = at.get(index.parse::<usize>().ok()?)?;
        }
    }
    Some(at)
}

/// Reads `text` back as `T`; the text is leaked so that types that borrow
/// from it can be read.
fn read_back<T: Deserialize<'static>>(text: String) -> serde_json::Result<T> {
    serde_json::from_str(Box::leak(text.into_boxed_str()))
}

/// How the values drawn for one type came out.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    /// Values `validate()` passed.
    pub valid: u32,
    /// Values with errors.
    pub invalid: u32,
    /// Values whose report stopped at the cap.
    pub truncated: u32,
    /// Values serde could not write.
    pub unwritable: u32,
}

/// Checks every property for values of `T` drawn from `strategy`.
pub fn check<T>(strategy: BoxedStrategy<T>) -> Stats
where
    T: StreamSchema + Serialize + Deserialize<'static> + PartialEq + Debug,
{
    // 1. The definition survives its wire form.
    let def = T::definition();
    let text = serde_json::to_string(&def.to_value()).unwrap();
    assert_eq!(
        SchemaDefinition::from_json_str(&text).unwrap(),
        def,
        "{text}"
    );

    let validator = Validator::new(&def);
    let mut expected = BTreeSet::new();
    declared(&def.fields, "", &mut expected);
    let seen = RefCell::new(BTreeSet::new());
    let stats = RefCell::new(Stats::default());
    // A fixed seed: the same values on every run, so that the coverage
    // checks (every declared field written, the cap reached) are stable.
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::deterministic_rng(config.rng_algorithm);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let result = runner.run(&strategy, |value| {
        let derived = value.validate();
        {
            let mut stats = stats.borrow_mut();
            match &derived {
                Ok(()) => stats.valid += 1,
                Err(e) => {
                    stats.invalid += 1;
                    stats.truncated += u32::from(e.truncated);
                }
            }
        }
        let json = match serde_json::to_value(&value) {
            Ok(json) => json,
            Err(e) => {
                stats.borrow_mut().unwritable += 1;
                // 2. What serde cannot write, validate() refuses.
                prop_assert!(
                    derived.is_err(),
                    "serde cannot write {value:?} ({e}), but validate() says Ok"
                );
                return Ok(());
            }
        };
        // 2. The same errors, in the same order, with the same cap.
        let compiled = validator.validate(&json);
        prop_assert_eq!(&derived, &compiled, "for {}", json);
        prop_assert_eq!(validator.is_valid(&json), derived.is_ok());
        // 3. Every key written is declared, with a compatible type.
        let Value::Object(map) = &json else {
            return Err(TestCaseError::fail(format!(
                "serde wrote {json}, not an object"
            )));
        };
        written(map, &def.fields, "", &mut seen.borrow_mut()).map_err(TestCaseError::fail)?;
        // 5. Error paths name values serde wrote.
        if let Err(errors) = &derived {
            for e in &errors.errors {
                prop_assert!(
                    resolve(&json, &e.path).is_some(),
                    "error at `{}`, which is not in {}",
                    e.path,
                    json
                );
            }
        } else {
            // 4. Valid values read back equal, from text and from the value.
            let text = serde_json::to_string(&value).unwrap();
            let back: T = read_back(text.clone())
                .map_err(|e| TestCaseError::fail(format!("cannot read back {text}: {e}")))?;
            prop_assert_eq!(&back, &value, "through {}", text);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{}: {e}", std::any::type_name::<T>());
    }
    // 3. Every declared field is written by some value.
    let seen = seen.into_inner();
    let never: Vec<&String> = expected.difference(&seen).collect();
    assert!(
        never.is_empty(),
        "{}: declared but never written: {never:?}",
        std::any::type_name::<T>()
    );
    stats.into_inner()
}
