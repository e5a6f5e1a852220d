//! Sample payloads from a schema definition: valid messages, and near-miss
//! invalid ones that each hold exactly one error, whose path comes with them.
//!
//! A [`Sampler`] is seeded: the same definition, options and seed give the
//! same samples, on every platform and in every release of this crate (its
//! generator is a small SplitMix64 written here rather than a dependency, so
//! nothing outside the crate can change its output).
//!
//! Valid samples use every rule of PROTOCOL.md section 4: fields absent or
//! `null`, integers written as `3.0`, dates across years 0000 to 9999, enum
//! values, objects that take any keys, empty and full arrays, nesting to the
//! depth the definition has. Each invalid sample is a valid one with one
//! mistake a publisher could make: a misspelt or undeclared key, a number
//! written as a string, an integer with a fraction, a date with a fraction or
//! an offset or no such day, an enum value in the wrong case, one value where
//! an array is expected, a `null` array element, and so on.
//!
//! ```
//! use serde_json::json;
//! use streamsea_schema::sample::Sampler;
//! use streamsea_schema::{SchemaDefinition, Validator};
//!
//! let def = SchemaDefinition::from_value(json!({"name": "boiler_data", "version": 2, "fields": [
//!     {"name": "temperature", "type": "float"},
//!     {"name": "mode", "type": "enum", "enum": ["idle", "heating"]},
//!     {"name": "readings", "type": "array<object>", "fields": [{"name": "at", "type": "date"}]}
//! ]})).unwrap();
//! let validator = Validator::new(&def);
//! let mut sampler = Sampler::new(&def, 42);
//! for _ in 0..20 {
//!     assert!(validator.is_valid(&sampler.valid()));
//!     let bad = sampler.invalid();
//!     let errors = validator.validate(&bad.payload).unwrap_err();
//!     assert_eq!(errors.paths(), [bad.path.as_str()]);
//! }
//! // The same seed, the same samples.
//! assert_eq!(Sampler::new(&def, 7).valid(), Sampler::new(&def, 7).valid());
//! ```

mod rng;
#[cfg(feature = "proptest")]
pub mod strategy;

use serde_json::{Map, Number, Value};

use crate::date::Date;
use crate::definition::SchemaDefinition;
use crate::field::{Field, FieldType};
use crate::report::Path;
use rng::Rng;

/// How samples are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleOptions {
    /// The longest array generated.
    pub max_array_len: usize,
    /// About this many values in one sample (objects, array elements and
    /// scalars): once they are spent, arrays end and (in wire form) fields
    /// are left out, so a sample stays small however deep or wide the
    /// definition is (typed samples still hold every field of the objects
    /// under way).
    pub max_values: usize,
    /// `true`: samples a Rust type deriving the definition reads: every
    /// field present and non-null, integers 0 to 100 (they fit every integer
    /// type), dates in years 1970 to 2099, no extreme floats, no keys in
    /// objects without declared fields. `false` (the default): everything the
    /// wire allows.
    pub typed: bool,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            max_array_len: 3,
            max_values: 128,
            typed: false,
        }
    }
}

impl SampleOptions {
    /// Options for samples that deserialize into the Rust type of the
    /// definition (see [`typed`](SampleOptions::typed)).
    pub fn typed() -> SampleOptions {
        SampleOptions {
            typed: true,
            ..SampleOptions::default()
        }
    }
}

/// An invalid payload and the one error it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidSample {
    /// The payload.
    pub payload: Value,
    /// The path the validator reports for its error (`readings[1].at`; `""`
    /// for the payload itself).
    pub path: String,
    /// What is wrong there, in words.
    pub mistake: String,
}

/// Makes sample payloads for one definition from a seed.
#[derive(Debug, Clone)]
pub struct Sampler {
    fields: Vec<Field>,
    options: SampleOptions,
    rng: Rng,
}

impl Sampler {
    /// A sampler of `definition` with the default options.
    pub fn new(definition: &SchemaDefinition, seed: u64) -> Sampler {
        Sampler::with_options(definition, seed, SampleOptions::default())
    }

    /// A sampler of `definition` with `options`.
    pub fn with_options(
        definition: &SchemaDefinition,
        seed: u64,
        options: SampleOptions,
    ) -> Sampler {
        Sampler {
            fields: definition.fields.clone(),
            options,
            rng: Rng::new(seed),
        }
    }

    /// The next valid payload (a JSON object).
    pub fn valid(&mut self) -> Value {
        let fields = std::mem::take(&mut self.fields);
        let mut budget = self.options.max_values;
        let v = self.object(&fields, &mut budget);
        self.fields = fields;
        v
    }

    /// The next invalid payload, with exactly one error.
    ///
    /// A definition without fields accepts every object; its only invalid
    /// payload is one that is not an object (`null`, path `""`).
    pub fn invalid(&mut self) -> InvalidSample {
        let fields = std::mem::take(&mut self.fields);
        let sample = self.invalid_of(&fields);
        self.fields = fields;
        sample
    }

    fn invalid_of(&mut self, fields: &[Field]) -> InvalidSample {
        let mut budget = self.options.max_values;
        let mut map = self.object_map(fields, &mut budget);
        if fields.is_empty() {
            return InvalidSample {
                payload: Value::Null,
                path: String::new(),
                mistake: "not an object".into(),
            };
        }
        let mut count = 0;
        self.walk(&mut map, fields, &Path::ROOT, &mut count, None);
        let target = self.rng.below(count);
        let mut seen = 0;
        let (path, mistake) = self
            .walk(&mut map, fields, &Path::ROOT, &mut seen, Some(target))
            .unwrap_or_default();
        InvalidSample {
            payload: Value::Object(map),
            path,
            mistake,
        }
    }

    // ---- valid values ----------------------------------------------------

    fn object(&mut self, fields: &[Field], budget: &mut usize) -> Value {
        Value::Object(self.object_map(fields, budget))
    }

    fn object_map(&mut self, fields: &[Field], budget: &mut usize) -> Map<String, Value> {
        *budget = budget.saturating_sub(1);
        let mut map = Map::new();
        if fields.is_empty() {
            // Absent or empty `fields`: any object passes.
            if !self.options.typed {
                for i in 0..self.rng.below(3) {
                    let v = self.any_scalar();
                    map.insert(format!("k{i}"), v);
                }
            }
            return map;
        }
        for f in fields {
            if matches!(&f.ty, FieldType::Enum(v) if v.is_empty()) {
                // Nothing but null passes.
                if !self.options.typed && self.rng.chance(50) {
                    map.insert(f.name.clone(), Value::Null);
                }
                continue;
            }
            if !self.options.typed {
                if *budget == 0 {
                    continue;
                }
                match self.rng.below(10) {
                    0 => continue,
                    1 => {
                        map.insert(f.name.clone(), Value::Null);
                        continue;
                    }
                    _ => {}
                }
            }
            let v = self.value(&f.ty, budget);
            map.insert(f.name.clone(), v);
        }
        map
    }

    fn value(&mut self, ty: &FieldType, budget: &mut usize) -> Value {
        match ty {
            FieldType::Object(fields) => return self.object(fields, budget),
            FieldType::Enum(values) => {
                *budget = budget.saturating_sub(1);
                return self
                    .rng
                    .pick(values)
                    .map_or(Value::Null, |v| Value::String(v.clone()));
            }
            _ => {}
        }
        if let Some(element) = ty.element() {
            *budget = budget.saturating_sub(1);
            // Never more elements than the budget has values left.
            let len = self
                .rng
                .below(self.options.max_array_len.saturating_add(1))
                .min(*budget);
            let mut items = Vec::with_capacity(len);
            // Elements stop once the budget is spent.
            while items.len() < len && *budget > 0 {
                items.push(self.value(&element, budget));
            }
            return Value::Array(items);
        }
        *budget = budget.saturating_sub(1);
        match ty {
            FieldType::String => Value::String(self.string()),
            FieldType::Float => self.float(),
            FieldType::Integer => self.integer(),
            _ => Value::String(self.date().to_string()),
        }
    }

    fn string(&mut self) -> String {
        const SPECIAL: &[&str] = &[
            "",
            "Plant 4",
            "ünïcödé",
            "with \"quotes\" and \\",
            "line\nbreak",
            "🔥",
            "2024-01-15T10:00:00Z",
        ];
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 _-";
        if !self.options.typed && self.rng.chance(20) {
            if let Some(s) = self.rng.pick(SPECIAL) {
                return (*s).to_string();
            }
        }
        let len = 1 + self.rng.below(10);
        (0..len)
            .map(|_| char::from(ALPHABET[self.rng.below(ALPHABET.len())]))
            .collect()
    }

    fn float(&mut self) -> Value {
        let x = match (self.options.typed, self.rng.below(6)) {
            (_, 0) => self.rng.range_i64(-100, 100) as f64,
            (false, 1) => *self
                .rng
                .pick(&[1e300, -2.5e-300, f64::MAX, f64::MIN_POSITIVE, -0.0])
                .unwrap_or(&0.0),
            _ => self.rng.range_i64(-1_000_000, 1_000_000) as f64 / 1000.0,
        };
        Number::from_f64(x).map_or(Value::Null, Value::Number)
    }

    fn integer(&mut self) -> Value {
        if self.options.typed {
            return Value::from(self.rng.range_i64(0, 100));
        }
        match self.rng.below(8) {
            0 => Value::from(*self.rng.pick(&[i64::MIN, i64::MAX, 0]).unwrap_or(&0)),
            1 => Value::from(u64::MAX),
            // An integer written with `.0` is an integer too.
            2 => Number::from_f64(self.rng.range_i64(-1000, 1000) as f64)
                .map_or(Value::Null, Value::Number),
            _ => Value::from(self.rng.range_i64(-100_000, 100_000)),
        }
    }

    fn date(&mut self) -> Date {
        // 0000-01-01 to 9999-12-31, or 1970-01-01 to 2099-12-31 for types.
        let (lo, hi) = if self.options.typed {
            (0, 4_102_444_799)
        } else {
            (-62_167_219_200, 253_402_300_799)
        };
        let secs = if self.rng.chance(10) {
            // A leap day.
            let year = 4 * self
                .rng
                .range_i64(if self.options.typed { 493 } else { 1 }, 524);
            let d = Date::from_parts(year as u32, 2, 29, 12, 0, 0);
            d.map_or(0, Date::unix)
        } else {
            self.rng.range_i64(lo, hi)
        };
        Date::from_unix(secs).unwrap_or_else(|| Date::from_unix(0).unwrap_or_else(Date::now))
    }

    fn any_scalar(&mut self) -> Value {
        match self.rng.below(4) {
            0 => Value::String(self.string()),
            1 => self.float(),
            2 => Value::Bool(self.rng.chance(50)),
            _ => Value::Null,
        }
    }

    // ---- mistakes --------------------------------------------------------

    /// Walks the sites where a mistake can go, in a fixed order, counting
    /// them in `seen`; with `target`, makes the mistake at site number
    /// `target` and returns its path and description.
    fn walk(
        &mut self,
        map: &mut Map<String, Value>,
        fields: &[Field],
        path: &Path<'_>,
        seen: &mut usize,
        target: Option<usize>,
    ) -> Option<(String, String)> {
        if fields.is_empty() {
            // Any object passes: nothing inside can be wrong.
            return None;
        }
        if self.hit(seen, target) {
            let key = self.undeclared_key(fields);
            let mistake = format!("undeclared key {key:?}");
            let value = self.any_scalar();
            let at = path.key(&key).render();
            map.insert(key, value);
            return Some((at, mistake));
        }
        for f in fields {
            let at = path.key(&f.name);
            if self.hit(seen, target) {
                let (value, mistake) = self.wrong(&f.ty);
                map.insert(f.name.clone(), value);
                return Some((at.render(), mistake));
            }
            let Some(v) = map.get_mut(&f.name) else {
                continue;
            };
            match (&f.ty, v) {
                (FieldType::Object(nested), Value::Object(m)) => {
                    if let Some(done) = self.walk(m, nested, &at, seen, target) {
                        return Some(done);
                    }
                }
                (ty, Value::Array(items)) => {
                    let Some(element) = ty.element() else {
                        continue;
                    };
                    for (i, item) in items.iter_mut().enumerate() {
                        let at_i = at.index(i);
                        if self.hit(seen, target) {
                            let (value, mistake) = if self.rng.chance(30) {
                                (Value::Null, "a null array element".to_string())
                            } else {
                                self.wrong(&element)
                            };
                            *item = value;
                            return Some((at_i.render(), mistake));
                        }
                        if let (FieldType::Object(nested), Value::Object(m)) = (&element, item) {
                            if let Some(done) = self.walk(m, nested, &at_i, seen, target) {
                                return Some(done);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Counts a site; true when it is the target.
    fn hit(&mut self, seen: &mut usize, target: Option<usize>) -> bool {
        let here = *seen;
        *seen += 1;
        target == Some(here)
    }

    /// A key `fields` does not declare: most often a declared name misspelt
    /// (its first letter's case flipped, or a letter dropped).
    fn undeclared_key(&mut self, fields: &[Field]) -> String {
        let declared = |k: &str| fields.iter().any(|f| f.name == k);
        let base = self
            .rng
            .pick(fields)
            .map_or_else(String::new, |f| f.name.clone());
        let mut candidates = Vec::new();
        let mut chars = base.chars();
        if let Some(first) = chars.next() {
            let rest: String = chars.collect();
            let flipped: String = if first.is_uppercase() {
                first.to_lowercase().collect()
            } else {
                first.to_uppercase().collect()
            };
            candidates.push(format!("{flipped}{rest}"));
            if base.chars().count() > 2 {
                let mut dropped: String = base.clone();
                let at = base
                    .char_indices()
                    .nth(1 + self.rng.below(base.chars().count() - 1))
                    .map_or(0, |(i, _)| i);
                dropped.remove(at);
                candidates.push(dropped);
            }
        }
        candidates.push(format!("{base}_"));
        let start = self.rng.below(candidates.len());
        for i in 0..candidates.len() {
            let c = &candidates[(start + i) % candidates.len()];
            if !c.is_empty() && !declared(c) {
                return c.clone();
            }
        }
        let mut key = "undeclared".to_string();
        while declared(&key) {
            key.push('_');
        }
        key
    }

    /// A non-null value that type `ty` refuses, and what is wrong with it.
    fn wrong(&mut self, ty: &FieldType) -> (Value, String) {
        let pair = |v: Value, m: &str| (v, m.to_string());
        match ty {
            FieldType::String => {
                if self.rng.chance(50) {
                    pair(
                        Value::from(self.rng.range_i64(0, 999)),
                        "a number, not a string",
                    )
                } else {
                    pair(Value::Bool(true), "a boolean, not a string")
                }
            }
            FieldType::Float => {
                let x = self.rng.range_i64(-9999, 9999) as f64 / 10.0;
                pair(Value::String(x.to_string()), "a number written as a string")
            }
            FieldType::Integer => {
                if self.rng.chance(70) {
                    let x = self.rng.range_i64(-999, 999) as f64 + 0.5;
                    let v = Number::from_f64(x).map_or(Value::Null, Value::Number);
                    pair(v, "a number with a fraction, not an integer")
                } else {
                    let x = self.rng.range_i64(-999, 999);
                    pair(
                        Value::String(x.to_string()),
                        "an integer written as a string",
                    )
                }
            }
            FieldType::Date => {
                const BAD: &[(&str, &str)] = &[
                    ("2023-02-29T10:00:00Z", "a date that does not exist"),
                    (
                        "2024-01-15T10:00:00.250Z",
                        "a date with a fraction of a second",
                    ),
                    ("2024-01-15T10:00:00+01:00", "a date with an offset"),
                    ("2024-01-15 10:00:00Z", "a date without the `T`"),
                    ("2024-01-15T10:00:00", "a date without the `Z`"),
                    ("2024-1-5T10:00:00Z", "a date without leading zeros"),
                    ("2024-01-15", "a date without the time"),
                    ("2024-01-15T24:00:00Z", "a date at hour 24"),
                ];
                match self.rng.pick(BAD) {
                    Some((text, why)) => pair(Value::String((*text).into()), why),
                    None => pair(Value::Bool(false), "a boolean, not a date"),
                }
            }
            FieldType::Enum(values) => {
                let mut candidates: Vec<String> = Vec::new();
                for v in values {
                    candidates.push(v.to_uppercase());
                    candidates.push(flip_first(v));
                    candidates.push(format!("{v} "));
                }
                candidates.push("unknown".into());
                candidates.retain(|c| !values.contains(c));
                let pick = self.rng.pick(&candidates).cloned().unwrap_or_default();
                let mut value = pick;
                while values.contains(&value) {
                    value.push('?');
                }
                let why = format!("{value:?}, a value the enum does not list");
                (Value::String(value), why)
            }
            FieldType::Object(_) => pair(
                Value::Array(vec![Value::Object(Map::new())]),
                "an array, not an object",
            ),
            FieldType::ObjectArray(_) => pair(
                Value::Object(Map::new()),
                "one object where an array is expected",
            ),
            array => {
                // One valid element where an array is expected.
                let element = array.element().unwrap_or(FieldType::String);
                let mut budget = 1;
                let v = self.value(&element, &mut budget);
                let v = if v.is_null() { Value::from(1) } else { v };
                pair(v, "one value where an array is expected")
            }
        }
    }
}

/// The first character's case flipped (`idle` -> `Idle`).
fn flip_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() => c.to_lowercase().chain(chars).collect(),
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
