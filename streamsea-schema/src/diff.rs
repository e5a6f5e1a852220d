//! The difference between two definitions: which fields were added, removed
//! or changed, with their paths (drift between a compiled type and a server).

use std::fmt;

use crate::definition::SchemaDefinition;
use crate::field::{Field, FieldType};
use crate::version::Version;

/// One field that differs between two definitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldChange {
    /// In the second definition only.
    Added {
        /// Dotted path of the field.
        path: String,
        /// Its type.
        ty: FieldType,
    },
    /// In the first definition only.
    Removed {
        /// Dotted path of the field.
        path: String,
        /// Its type.
        ty: FieldType,
    },
    /// In both, with different types (or enum values).
    Changed {
        /// Dotted path of the field.
        path: String,
        /// Its type in the first definition.
        from: FieldType,
        /// Its type in the second definition.
        to: FieldType,
    },
}

impl FieldChange {
    /// The path of the field that changed.
    pub fn path(&self) -> &str {
        match self {
            FieldChange::Added { path, .. }
            | FieldChange::Removed { path, .. }
            | FieldChange::Changed { path, .. } => path,
        }
    }
}

impl fmt::Display for FieldChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldChange::Added { path, ty } => write!(f, "+ {path}: {ty}"),
            FieldChange::Removed { path, ty } => write!(f, "- {path}: {ty}"),
            FieldChange::Changed { path, from, to } => write!(f, "~ {path}: {from} -> {to}"),
        }
    }
}

/// How two definitions differ.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SchemaDiff {
    /// The two versions, when they differ.
    pub version: Option<(Version, Version)>,
    /// The fields that differ, sorted by path.
    pub changes: Vec<FieldChange>,
}

impl SchemaDiff {
    /// True when the definitions have equal versions and fields.
    pub fn is_empty(&self) -> bool {
        self.version.is_none() && self.changes.is_empty()
    }
}

impl fmt::Display for SchemaDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("no differences");
        }
        let mut first = true;
        if let Some((a, b)) = self.version {
            write!(f, "version {a} -> {b}")?;
            first = false;
        }
        for c in &self.changes {
            if !first {
                f.write_str("\n")?;
            }
            write!(f, "{c}")?;
            first = false;
        }
        Ok(())
    }
}

/// The differences from `a` to `b`.
///
/// ```
/// use streamsea_schema::{diff, Field, FieldType, SchemaDefinition, FieldChange};
/// let a = SchemaDefinition::new("s", 1, vec![Field::new("t", FieldType::Float)]);
/// let b = SchemaDefinition::new("s", 1, vec![Field::new("t", FieldType::Integer)]);
/// assert_eq!(diff(&a, &b).changes[0].path(), "t");
/// ```
pub fn diff(a: &SchemaDefinition, b: &SchemaDefinition) -> SchemaDiff {
    let mut changes = Vec::new();
    diff_fields(&a.fields, &b.fields, "", &mut changes);
    changes.sort_by(|x, y| x.path().cmp(y.path()));
    SchemaDiff {
        version: (a.version != b.version).then_some((a.version, b.version)),
        changes,
    }
}

fn diff_fields(a: &[Field], b: &[Field], prefix: &str, out: &mut Vec<FieldChange>) {
    let path = |name: &str| {
        if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}.{name}")
        }
    };
    for fa in a {
        match b.iter().find(|fb| fb.name == fa.name) {
            None => out.push(FieldChange::Removed {
                path: path(&fa.name),
                ty: fa.ty.clone(),
            }),
            Some(fb) => match (&fa.ty, &fb.ty) {
                (FieldType::Object(x), FieldType::Object(y))
                | (FieldType::ObjectArray(x), FieldType::ObjectArray(y)) => {
                    diff_fields(x, y, &path(&fa.name), out)
                }
                (x, y) if x != y => out.push(FieldChange::Changed {
                    path: path(&fa.name),
                    from: x.clone(),
                    to: y.clone(),
                }),
                _ => {}
            },
        }
    }
    for fb in b {
        if !a.iter().any(|fa| fa.name == fb.name) {
            out.push(FieldChange::Added {
                path: path(&fb.name),
                ty: fb.ty.clone(),
            });
        }
    }
}
