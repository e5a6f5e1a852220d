//! Compatibility of a schema change: for each difference between an old and a
//! new definition, whether publishers built for the old version still pass
//! and whether consumers typed for the old version still read every new
//! message.
//!
//! stream-sea's rules (PROTOCOL.md sections 3 and 4) decide the classes: every
//! field may be absent or `null`, a key the schema does not declare is
//! refused, and a stream's version must rise for its fields to change.
//! Consumers are taken to be typed the way `serde` reads by default: unknown
//! keys are ignored, a field that is not an `Option` (and has no
//! `#[serde(default)]`) must be present, and a Rust enum accepts only the
//! values it lists.
//!
//! | change (old -> new) | old publishers | old consumers | why |
//! |---|---|---|---|
//! | field added (at any depth) | pass | read | old publishers never send it; serde ignores the new key |
//! | field removed | refused | may fail | an old publisher's key is now undeclared; a consumer's required field is now missing |
//! | enum value added | pass | may fail | an exhaustive enum does not accept the new value |
//! | enum value removed | refused | read | the removed value is no longer allowed |
//! | `integer` -> `float` (and their arrays) | pass | may fail | a consumer's integer cannot hold `2.5` |
//! | `float` -> `integer` (and their arrays) | refused | read | `2.5` is not an integer; every integer is a number |
//! | `date` or `enum` -> `string` (and `array<date>` -> `array<string>`) | pass | may fail | every date and value is a string, not the other way round |
//! | `string` -> `date` or `enum` (and `array<string>` -> `array<date>`) | refused | read | a free string may not be a date or a listed value |
//! | `enum` -> `date` | pass when every value is a date | may fail | a consumer's enum does not accept arbitrary dates |
//! | `date` -> `enum` | refused | read when every value is a date | only the listed values remain |
//! | object with any keys (no `fields`) -> object with declared fields | refused | read | keys the new fields leave out are refused |
//! | object with declared fields -> object with any keys | pass | may fail | new objects may hold anything under the old names |
//! | any other change of type (`string` -> `float`, `object` -> `array<object>`, scalar -> array, ...) | refused | may fail | the values have different JSON kinds |
//!
//! Changes inside `object` and `array<object>` fields are classified field by
//! field, with dotted paths (`readings.at`), as [`diff`](crate::diff) reports
//! them. The class of a whole change of definition is the worst of its
//! changes; besides, the version must rise when fields change
//! ([`VersionStep`]), or the server refuses the definition.
//!
//! ```
//! use serde_json::json;
//! use streamsea_schema::{evolution, Compatibility, SchemaDefinition};
//!
//! let v2 = SchemaDefinition::from_value(json!({"name": "boiler_data", "version": 2, "fields": [
//!     {"name": "temperature", "type": "float"},
//!     {"name": "mode", "type": "enum", "enum": ["idle", "heating"]}
//! ]})).unwrap();
//! let v3 = SchemaDefinition::from_value(json!({"name": "boiler_data", "version": 3, "fields": [
//!     {"name": "temperature", "type": "float"},
//!     {"name": "outdoorTemp", "type": "float"},
//!     {"name": "mode", "type": "enum", "enum": ["idle", "heating", "standby"]}
//! ]})).unwrap();
//! let e = evolution(&v2, &v3);
//! assert_eq!(e.class, Compatibility::BreaksConsumers);
//! assert_eq!(e.changes[0].to_string(), "+ mode: enum value \"standby\" (breaks consumers)");
//! assert_eq!(e.changes[1].to_string(), "+ outdoorTemp: float (compatible)");
//! assert!(e.is_breaking());
//! ```

use std::fmt;

use crate::date::is_valid_date;
use crate::definition::SchemaDefinition;
use crate::field::{Field, FieldType};
use crate::version::Version;

/// Who a change breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Compatibility {
    /// Publishers built for the old version still pass, and consumers typed
    /// for it still read every new message.
    Compatible,
    /// Some messages of publishers built for the old version are refused;
    /// consumers typed for it still read every new message.
    BreaksPublishers,
    /// Publishers built for the old version still pass; consumers typed for
    /// it may fail to read some new messages.
    BreaksConsumers,
    /// Both.
    BreaksBoth,
}

impl Compatibility {
    /// The class from its two halves.
    pub fn from_parts(publishers_pass: bool, consumers_read: bool) -> Compatibility {
        match (publishers_pass, consumers_read) {
            (true, true) => Compatibility::Compatible,
            (false, true) => Compatibility::BreaksPublishers,
            (true, false) => Compatibility::BreaksConsumers,
            (false, false) => Compatibility::BreaksBoth,
        }
    }

    /// True when every message of a publisher built for the old version
    /// still passes.
    pub fn publishers_pass(self) -> bool {
        matches!(
            self,
            Compatibility::Compatible | Compatibility::BreaksConsumers
        )
    }

    /// True when a consumer typed for the old version still reads every new
    /// message.
    pub fn consumers_read(self) -> bool {
        matches!(
            self,
            Compatibility::Compatible | Compatibility::BreaksPublishers
        )
    }

    /// True unless the class is [`Compatible`](Compatibility::Compatible).
    pub fn is_breaking(self) -> bool {
        self != Compatibility::Compatible
    }

    /// The class of two changes made together: broken for whoever either breaks.
    pub fn and(self, other: Compatibility) -> Compatibility {
        Compatibility::from_parts(
            self.publishers_pass() && other.publishers_pass(),
            self.consumers_read() && other.consumers_read(),
        )
    }

    /// A short machine-readable name: `compatible`, `breaks-publishers`,
    /// `breaks-consumers`, `breaks-both`.
    pub fn as_str(self) -> &'static str {
        match self {
            Compatibility::Compatible => "compatible",
            Compatibility::BreaksPublishers => "breaks-publishers",
            Compatibility::BreaksConsumers => "breaks-consumers",
            Compatibility::BreaksBoth => "breaks-both",
        }
    }
}

impl fmt::Display for Compatibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Compatibility::Compatible => "compatible",
            Compatibility::BreaksPublishers => "breaks publishers",
            Compatibility::BreaksConsumers => "breaks consumers",
            Compatibility::BreaksBoth => "breaks publishers and consumers",
        })
    }
}

/// What changed at one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// A field only the new definition has.
    FieldAdded(FieldType),
    /// A field only the old definition has.
    FieldRemoved(FieldType),
    /// A field whose type changed (an `object` that took any keys and now
    /// declares fields, or the reverse, included).
    Retyped {
        /// The old type.
        from: FieldType,
        /// The new type.
        to: FieldType,
    },
    /// A value added to an `enum` field.
    EnumValueAdded(String),
    /// A value removed from an `enum` field.
    EnumValueRemoved(String),
}

/// One classified difference between two definitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Dotted path of the field (`readings.at`).
    pub path: String,
    /// What changed.
    pub kind: ChangeKind,
    /// Who it breaks.
    pub class: Compatibility,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = &self.path;
        match &self.kind {
            ChangeKind::FieldAdded(ty) => write!(f, "+ {path}: {}", describe(ty))?,
            ChangeKind::FieldRemoved(ty) => write!(f, "- {path}: {}", describe(ty))?,
            ChangeKind::Retyped { from, to } => {
                write!(f, "~ {path}: {} -> {}", describe(from), describe(to))?
            }
            ChangeKind::EnumValueAdded(v) => write!(f, "+ {path}: enum value {v:?}")?,
            ChangeKind::EnumValueRemoved(v) => write!(f, "- {path}: enum value {v:?}")?,
        }
        write!(f, " ({})", self.class)
    }
}

/// A type as a change shows it: `object` fields say whether they take any key.
fn describe(ty: &FieldType) -> String {
    match ty {
        FieldType::Object(f) | FieldType::ObjectArray(f) if f.is_empty() => {
            format!("{} (any keys)", ty.wire_name())
        }
        FieldType::Object(_) | FieldType::ObjectArray(_) => {
            format!("{} (declared fields)", ty.wire_name())
        }
        other => other.to_string(),
    }
}

/// How the version moved between the two definitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionStep {
    /// The new version is higher: the server stores the new definition.
    Raised,
    /// Same version: the server accepts it only when the fields are equal.
    Same,
    /// Lower: the server refuses the new definition.
    Lowered,
}

/// Everything that changes from an old definition to a new one, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evolution {
    /// The old version.
    pub from: Version,
    /// The new version.
    pub to: Version,
    /// Every change, sorted by path.
    pub changes: Vec<Change>,
    /// The worst class of the changes (`Compatible` when there are none).
    pub class: Compatibility,
}

impl Evolution {
    /// How the version moved.
    pub fn version_step(&self) -> VersionStep {
        match self.to.cmp(&self.from) {
            std::cmp::Ordering::Greater => VersionStep::Raised,
            std::cmp::Ordering::Equal => VersionStep::Same,
            std::cmp::Ordering::Less => VersionStep::Lowered,
        }
    }

    /// The reason the server would refuse the new definition after the old
    /// one, if it would: a lower version, or other fields under the same
    /// version.
    pub fn version_problem(&self) -> Option<String> {
        match self.version_step() {
            VersionStep::Raised => None,
            VersionStep::Same if self.changes.is_empty() => None,
            VersionStep::Same => Some(format!(
                "the fields changed but the version is still {}: raise it to {} or more",
                self.to,
                self.to.0.saturating_add(1)
            )),
            VersionStep::Lowered => Some(format!(
                "the version went down from {} to {}: versions must rise",
                self.from, self.to
            )),
        }
    }

    /// True when a change breaks publishers or consumers, or the server
    /// would refuse the new definition.
    pub fn is_breaking(&self) -> bool {
        self.class.is_breaking() || self.version_problem().is_some()
    }
}

impl fmt::Display for Evolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "version {} -> {}: ", self.from, self.to)?;
        if self.changes.is_empty() {
            f.write_str("no field changes")?;
        } else {
            write!(f, "{}", self.class)?;
        }
        if let Some(problem) = self.version_problem() {
            write!(f, "; {problem}")?;
        }
        for c in &self.changes {
            write!(f, "\n{c}")?;
        }
        Ok(())
    }
}

/// Classifies every change from `old` to `new` (see the module documentation
/// for the rules).
pub fn evolution(old: &SchemaDefinition, new: &SchemaDefinition) -> Evolution {
    let mut changes = Vec::new();
    compare_fields(&old.fields, &new.fields, "", &mut changes);
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    let class = changes
        .iter()
        .fold(Compatibility::Compatible, |acc, c| acc.and(c.class));
    Evolution {
        from: old.version,
        to: new.version,
        changes,
        class,
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

fn compare_fields(old: &[Field], new: &[Field], prefix: &str, out: &mut Vec<Change>) {
    for fo in old {
        let path = join(prefix, &fo.name);
        match new.iter().find(|fnew| fnew.name == fo.name) {
            None => out.push(Change {
                path,
                kind: ChangeKind::FieldRemoved(fo.ty.clone()),
                class: Compatibility::BreaksBoth,
            }),
            Some(fnew) => compare_types(&fo.ty, &fnew.ty, path, out),
        }
    }
    for fnew in new {
        if !old.iter().any(|fo| fo.name == fnew.name) {
            out.push(Change {
                path: join(prefix, &fnew.name),
                kind: ChangeKind::FieldAdded(fnew.ty.clone()),
                class: Compatibility::Compatible,
            });
        }
    }
}

fn compare_types(old: &FieldType, new: &FieldType, path: String, out: &mut Vec<Change>) {
    match (old, new) {
        (FieldType::Object(a), FieldType::Object(b))
        | (FieldType::ObjectArray(a), FieldType::ObjectArray(b))
            if a.is_empty() == b.is_empty() =>
        {
            compare_fields(a, b, &path, out)
        }
        (FieldType::Enum(a), FieldType::Enum(b)) => {
            let mut added: Vec<&String> = b.iter().filter(|v| !a.contains(v)).collect();
            let mut removed: Vec<&String> = a.iter().filter(|v| !b.contains(v)).collect();
            added.sort();
            added.dedup();
            removed.sort();
            removed.dedup();
            for v in removed {
                out.push(Change {
                    path: path.clone(),
                    kind: ChangeKind::EnumValueRemoved(v.clone()),
                    class: Compatibility::BreaksPublishers,
                });
            }
            for v in added {
                out.push(Change {
                    path: path.clone(),
                    kind: ChangeKind::EnumValueAdded(v.clone()),
                    class: Compatibility::BreaksConsumers,
                });
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(Change {
            path,
            kind: ChangeKind::Retyped {
                from: a.clone(),
                to: b.clone(),
            },
            // Publishers pass when the new type accepts every old value;
            // consumers read when the old type holds every new value.
            class: Compatibility::from_parts(accepts_all(b, a), accepts_all(a, b)),
        }),
    }
}

/// True when every non-null value of type `narrow` is a valid value of type
/// `wide`. Called only for types that differ (equal ones never reach it), and
/// for objects only where one side takes any keys and the other does not.
fn accepts_all(wide: &FieldType, narrow: &FieldType) -> bool {
    use FieldType as T;
    match (wide, narrow) {
        (T::Float, T::Integer) => true,
        (T::String, T::Date | T::Enum(_)) => true,
        (T::Date, T::Enum(values)) => values.iter().all(|v| is_valid_date(v)),
        (T::FloatArray, T::IntegerArray) | (T::StringArray, T::DateArray) => true,
        // An object with any keys accepts every object.
        (T::Object(w), T::Object(_)) | (T::ObjectArray(w), T::ObjectArray(_)) => w.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_combine_to_the_worst_of_each_half() {
        use Compatibility::*;
        assert_eq!(Compatible.and(Compatible), Compatible);
        assert_eq!(BreaksPublishers.and(BreaksConsumers), BreaksBoth);
        assert_eq!(Compatible.and(BreaksConsumers), BreaksConsumers);
        assert_eq!(BreaksPublishers.and(BreaksPublishers), BreaksPublishers);
        for c in [Compatible, BreaksPublishers, BreaksConsumers, BreaksBoth] {
            assert_eq!(
                Compatibility::from_parts(c.publishers_pass(), c.consumers_read()),
                c
            );
        }
    }
}
