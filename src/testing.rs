//! Test-time guards for a stream's schema.
//!
//! One line in a test suite keeps the definition of a type in a file, and
//! fails when the type changes in a way stream-sea or its consumers would
//! not accept:
//!
//! ```no_run
//! # use serde::{Deserialize, Serialize};
//! # use streamsea::StreamSchema;
//! # #[derive(Serialize, Deserialize, StreamSchema)]
//! # #[stream_schema(name = "boiler_data", version = 2)]
//! # struct BoilerData { temperature: f64 }
//! #[test]
//! fn boiler_data_schema_is_locked() {
//!     streamsea::testing::assert_schema_locked::<BoilerData>("schemas");
//! }
//! ```
//!
//! The file is `schemas/boiler_data.json` (the stream's name), relative to
//! the directory the test runs in (for `cargo test`, the package's). It holds
//! the definition as the server stores it, fields sorted by name. Then:
//!
//! | the type, against the file | result |
//! |---|---|
//! | no file yet | the file is written; the test passes |
//! | same version, same fields | passes |
//! | same version, other fields | fails, naming each changed field and the version to bump to (the server refuses other fields under a stored version) |
//! | lower version | fails: versions must rise |
//! | higher version, a compatible change | the file is rewritten; passes, and the [`LockOutcome`] carries the [`Evolution`] |
//! | higher version, a breaking change | fails, naming each change and whom it breaks, unless the lock says breaking changes are intended ([`SchemaLock::allow_breaking`]); then the file is rewritten |
//!
//! With the environment variable `STREAMSEA_UPDATE_SCHEMAS=1` ([`UPDATE_VAR`])
//! every lock file is rewritten with the type's definition, whatever
//! changed: for a version that was never published, or a breaking change
//! that is known and accepted. The classes are those of
//! [`streamsea_schema::evolution`].

use std::fmt;
use std::path::{Path, PathBuf};

use streamsea_schema::{evolution, Evolution, SchemaDefinition, StreamSchema, VersionStep};

/// The environment variable that makes every lock rewrite its file with the
/// type's definition: set to anything but empty, `0`, `false` or `no`.
pub const UPDATE_VAR: &str = "STREAMSEA_UPDATE_SCHEMAS";

/// Fails (panics, as test assertions do) when `T`'s definition no longer
/// matches its file under `dir` in a way the module documentation lists;
/// records it when it may. Breaking changes fail even with a higher version:
/// use [`SchemaLock::allow_breaking`] when they are intended.
#[track_caller]
pub fn assert_schema_locked<T: StreamSchema>(dir: impl AsRef<Path>) -> LockOutcome {
    SchemaLock::new(dir).assert::<T>()
}

/// A schema lock with its options: where the files are, whether breaking
/// changes are intended, whether to rewrite files unconditionally.
#[derive(Debug, Clone)]
pub struct SchemaLock {
    dir: PathBuf,
    allow_breaking: bool,
    update: bool,
}

/// What a lock found, when it passes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockOutcome {
    /// There was no file: it now holds the definition.
    Recorded {
        /// The file.
        path: PathBuf,
    },
    /// The file holds the same version and fields.
    Unchanged,
    /// The version rose: the file now holds the new definition.
    Upgraded {
        /// The file.
        path: PathBuf,
        /// Every change, with its class.
        evolution: Evolution,
    },
    /// [`UPDATE_VAR`] (or [`SchemaLock::update`]) rewrote the file.
    Updated {
        /// The file.
        path: PathBuf,
        /// What changed from the file's definition.
        evolution: Evolution,
    },
}

impl fmt::Display for LockOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LockOutcome::Recorded { path } => write!(f, "recorded in {}", path.display()),
            LockOutcome::Unchanged => f.write_str("unchanged"),
            LockOutcome::Upgraded { path, evolution } => {
                write!(f, "recorded in {}: {evolution}", path.display())
            }
            LockOutcome::Updated { path, evolution } => {
                write!(f, "rewritten in {}: {evolution}", path.display())
            }
        }
    }
}

/// Why a lock fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockError {
    /// The definition has no name (a [`StreamSchema`] always has one).
    Unnamed,
    /// The file could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The file does not hold a definition.
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The fields changed and the version did not.
    FieldsChangedWithoutVersion {
        /// The file.
        path: PathBuf,
        /// The changes, version unchanged.
        evolution: Evolution,
    },
    /// The version is lower than the file's.
    VersionLowered {
        /// The file.
        path: PathBuf,
        /// The changes.
        evolution: Evolution,
    },
    /// The version rose, and a change breaks publishers or consumers.
    Breaking {
        /// The file.
        path: PathBuf,
        /// The changes.
        evolution: Evolution,
    },
}

impl fmt::Display for LockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let changes = |f: &mut fmt::Formatter<'_>, e: &Evolution| -> fmt::Result {
            for c in &e.changes {
                write!(f, "\n  {c}")?;
            }
            Ok(())
        };
        match self {
            LockError::Unnamed => f.write_str("the definition has no name"),
            LockError::Io { path, message } => {
                write!(f, "schema lock {}: {message}", path.display())
            }
            LockError::Unreadable { path, message } => write!(
                f,
                "schema lock {} holds no schema definition: {message} (set {UPDATE_VAR}=1 to rewrite it)",
                path.display()
            ),
            LockError::FieldsChangedWithoutVersion { path, evolution } => {
                write!(
                    f,
                    "the fields changed but the version is still {} (locked in {}):",
                    evolution.to,
                    path.display()
                )?;
                changes(f, evolution)?;
                write!(
                    f,
                    "\nbump the version to {} (#[stream_schema(version = {})]); the server refuses \
                     other fields under a version it holds. If version {} was never published, \
                     set {UPDATE_VAR}=1 to rewrite the lock",
                    evolution.to.0.saturating_add(1),
                    evolution.to.0.saturating_add(1),
                    evolution.to
                )
            }
            LockError::VersionLowered { path, evolution } => write!(
                f,
                "version {} is lower than version {} locked in {}: versions must rise",
                evolution.to,
                evolution.from,
                path.display()
            ),
            LockError::Breaking { path, evolution } => {
                write!(
                    f,
                    "version {} -> {} {} (locked in {}):",
                    evolution.from,
                    evolution.to,
                    evolution.class,
                    path.display()
                )?;
                changes(f, evolution)?;
                write!(
                    f,
                    "\nif that is intended, say so with SchemaLock::new(dir).allow_breaking(), \
                     or set {UPDATE_VAR}=1 to record it"
                )
            }
        }
    }
}

impl std::error::Error for LockError {}

impl SchemaLock {
    /// A lock keeping its files in `dir`; it rewrites them when
    /// [`UPDATE_VAR`] is set.
    pub fn new(dir: impl AsRef<Path>) -> SchemaLock {
        let update = std::env::var(UPDATE_VAR).is_ok_and(|v| {
            let v = v.trim().to_ascii_lowercase();
            !(v.is_empty() || v == "0" || v == "false" || v == "no")
        });
        SchemaLock {
            dir: dir.as_ref().to_path_buf(),
            allow_breaking: false,
            update,
        }
    }

    /// Breaking changes are intended: a higher version that breaks
    /// publishers or consumers is recorded instead of failing.
    pub fn allow_breaking(mut self) -> SchemaLock {
        self.allow_breaking = true;
        self
    }

    /// Whether to rewrite the files whatever changed (as [`UPDATE_VAR`] does).
    pub fn update(mut self, update: bool) -> SchemaLock {
        self.update = update;
        self
    }

    /// The file of `stream`.
    pub fn file(&self, stream: &str) -> PathBuf {
        self.dir.join(format!("{stream}.json"))
    }

    /// Checks `T`'s definition against its file; panics with the reason
    /// when the check fails.
    #[track_caller]
    pub fn assert<T: StreamSchema>(&self) -> LockOutcome {
        match self.check::<T>() {
            Ok(outcome) => outcome,
            Err(e) => panic!("schema `{}`: {e}", T::STREAM_NAME),
        }
    }

    /// Checks `T`'s definition against its file.
    pub fn check<T: StreamSchema>(&self) -> Result<LockOutcome, LockError> {
        self.check_definition(&T::definition())
    }

    /// Checks a definition against the file of its name.
    pub fn check_definition(&self, def: &SchemaDefinition) -> Result<LockOutcome, LockError> {
        let name = def.name.as_deref().ok_or(LockError::Unnamed)?;
        let path = self.file(name);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.write(&path, def)?;
                return Ok(LockOutcome::Recorded { path });
            }
            Err(e) => return Err(io_error(&path, e)),
        };
        let locked = match SchemaDefinition::from_json_str(&text) {
            Ok(locked) => locked,
            Err(_) if self.update => {
                self.write(&path, def)?;
                return Ok(LockOutcome::Recorded { path });
            }
            Err(e) => {
                return Err(LockError::Unreadable {
                    path,
                    message: e.to_string(),
                })
            }
        };
        let evolution = evolution(&locked, def);
        if evolution.changes.is_empty() && evolution.version_step() == VersionStep::Same {
            return Ok(LockOutcome::Unchanged);
        }
        if self.update {
            self.write(&path, def)?;
            return Ok(LockOutcome::Updated { path, evolution });
        }
        match evolution.version_step() {
            VersionStep::Same => Err(LockError::FieldsChangedWithoutVersion { path, evolution }),
            VersionStep::Lowered => Err(LockError::VersionLowered { path, evolution }),
            VersionStep::Raised if evolution.class.is_breaking() && !self.allow_breaking => {
                Err(LockError::Breaking { path, evolution })
            }
            VersionStep::Raised => {
                self.write(&path, def)?;
                Ok(LockOutcome::Upgraded { path, evolution })
            }
        }
    }

    fn write(&self, path: &Path, def: &SchemaDefinition) -> Result<(), LockError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| io_error(&self.dir, e))?;
        let text = serde_json::to_string_pretty(&def.sorted().to_value())
            .map_err(|e| io_error(path, std::io::Error::other(e)))?;
        std::fs::write(path, text + "\n").map_err(|e| io_error(path, e))
    }
}

fn io_error(path: &Path, e: std::io::Error) -> LockError {
    LockError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}
