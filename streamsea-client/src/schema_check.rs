//! What defining a schema did, and how a compiled schema compares with the
//! server's.

use std::fmt;

use streamsea_schema::{diff, Compatibility, SchemaDefinition, SchemaDiff, Version};

/// What [`Client::define_stream`](crate::Client::define_stream) did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefineOutcome {
    /// The stream had no schema; this one is stored.
    Created {
        /// The version stored.
        version: Version,
    },
    /// The same version with equal fields was already stored.
    Unchanged {
        /// The version.
        version: Version,
    },
    /// A lower version was stored; this one replaces it.
    Upgraded {
        /// The version stored before.
        from: Version,
        /// The version stored now.
        to: Version,
        /// Who the change from the stored definition breaks
        /// ([`streamsea_schema::evolution`]).
        class: Compatibility,
    },
}

impl fmt::Display for DefineOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DefineOutcome::Created { version } => write!(f, "created version {version}"),
            DefineOutcome::Unchanged { version } => write!(f, "version {version} unchanged"),
            DefineOutcome::Upgraded { from, to, class } => {
                write!(f, "upgraded from version {from} to {to} ({class})")
            }
        }
    }
}

/// A compiled schema compared with the server's
/// ([`Client::check_schema`](crate::Client::check_schema)).
///
/// ```
/// use streamsea_client::SchemaCheck;
/// use streamsea_schema::{Field, FieldType, SchemaDefinition};
///
/// let local = SchemaDefinition::new("s", 2, vec![Field::new("t", FieldType::Float)]);
/// let remote = SchemaDefinition::new("s", 1, vec![Field::new("t", FieldType::Integer)]);
/// let check = SchemaCheck::new(local, Some(remote));
/// assert!(!check.matches());
/// assert_eq!(check.to_string(), "schema `s` differs from the server's:\nversion 1 -> 2\n~ t: integer -> float");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SchemaCheck {
    /// The compiled definition.
    pub local: SchemaDefinition,
    /// The server's definition, `None` when the stream has none.
    pub remote: Option<SchemaDefinition>,
    /// The differences from the server's definition to the compiled one
    /// (`Added`: only in the compiled one); empty when the server has none.
    pub diff: SchemaDiff,
}

impl SchemaCheck {
    /// Compares `local` with `remote`.
    pub fn new(local: SchemaDefinition, remote: Option<SchemaDefinition>) -> SchemaCheck {
        let diff = match &remote {
            Some(r) => diff(r, &local),
            None => SchemaDiff::default(),
        };
        SchemaCheck {
            local,
            remote,
            diff,
        }
    }

    /// True when the server holds the same version with equal fields.
    pub fn matches(&self) -> bool {
        self.remote.is_some() && self.diff.is_empty()
    }

    /// True when the server has no schema for the stream.
    pub fn is_missing(&self) -> bool {
        self.remote.is_none()
    }
}

impl fmt::Display for SchemaCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.local.name.as_deref().unwrap_or("");
        if self.remote.is_none() {
            write!(f, "schema `{name}` is not defined on the server")
        } else if self.diff.is_empty() {
            write!(f, "schema `{name}` matches the server's")
        } else {
            write!(
                f,
                "schema `{name}` differs from the server's:\n{}",
                self.diff
            )
        }
    }
}
