//! `streamsea::testing`: each row of the schema lock's table.

use serde::{Deserialize, Serialize};
use streamsea::testing::{LockError, LockOutcome, SchemaLock};
use streamsea::{Compatibility, StreamSchema};

mod v1 {
    use super::*;
    #[derive(Serialize, Deserialize, StreamSchema)]
    #[stream_schema(name = "lock_demo", version = 1)]
    pub struct Demo {
        pub temperature: f64,
        #[stream_schema(one_of = ["idle", "heating"])]
        pub mode: String,
    }
}

mod v1_changed {
    use super::*;
    /// Version 1 with a field more: the version should have been raised.
    #[derive(Serialize, Deserialize, StreamSchema)]
    #[stream_schema(name = "lock_demo", version = 1)]
    pub struct Demo {
        pub temperature: f64,
        #[stream_schema(one_of = ["idle", "heating"])]
        pub mode: String,
        pub pressure: i64,
    }
}

mod v2_compatible {
    use super::*;
    #[derive(Serialize, Deserialize, StreamSchema)]
    #[stream_schema(name = "lock_demo", version = 2)]
    pub struct Demo {
        pub temperature: f64,
        #[stream_schema(one_of = ["idle", "heating"])]
        pub mode: String,
        pub pressure: Option<i64>,
    }
}

mod v3_breaking {
    use super::*;
    /// A mode more: consumers typed for version 2 do not know it.
    #[derive(Serialize, Deserialize, StreamSchema)]
    #[stream_schema(name = "lock_demo", version = 3)]
    pub struct Demo {
        pub temperature: f64,
        #[stream_schema(one_of = ["idle", "heating", "standby"])]
        pub mode: String,
        pub pressure: Option<i64>,
    }
}

fn lock(dir: &tempfile::TempDir) -> SchemaLock {
    SchemaLock::new(dir.path().join("schemas")).update(false)
}

fn locked_text(dir: &tempfile::TempDir) -> String {
    std::fs::read_to_string(dir.path().join("schemas/lock_demo.json")).unwrap()
}

fn locked_text_of<T: StreamSchema>() -> String {
    serde_json::to_string_pretty(&T::definition().sorted().to_value()).unwrap() + "\n"
}

#[test]
fn a_lock_records_keeps_and_upgrades_the_definition() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schemas/lock_demo.json");
    assert_eq!(
        lock(&dir).check::<v1::Demo>().unwrap(),
        LockOutcome::Recorded { path: path.clone() }
    );
    let text = locked_text(&dir);
    assert!(text.starts_with("{\n  \"fields\": ["), "{text}");
    assert_eq!(
        streamsea::SchemaDefinition::from_json_str(&text).unwrap(),
        v1::Demo::definition()
    );
    assert_eq!(
        lock(&dir).check::<v1::Demo>().unwrap(),
        LockOutcome::Unchanged
    );
    assert_eq!(lock(&dir).assert::<v1::Demo>(), LockOutcome::Unchanged);

    // Same version, other fields: fails, naming the field and the version to bump to.
    let err = lock(&dir).check::<v1_changed::Demo>().unwrap_err();
    assert!(matches!(err, LockError::FieldsChangedWithoutVersion { .. }));
    let text = err.to_string();
    assert!(text.contains("+ pressure: integer (compatible)"), "{text}");
    assert!(text.contains("bump the version to 2"), "{text}");
    assert_eq!(locked_text(&dir), locked_text_of::<v1::Demo>());

    // A higher version with a compatible change: recorded, with its class.
    match lock(&dir).check::<v2_compatible::Demo>().unwrap() {
        LockOutcome::Upgraded { evolution, .. } => {
            assert_eq!(evolution.class, Compatibility::Compatible);
            assert_eq!(evolution.changes.len(), 1);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(locked_text(&dir), locked_text_of::<v2_compatible::Demo>());

    // A lower version: fails.
    let err = lock(&dir).check::<v1::Demo>().unwrap_err();
    assert!(err.to_string().contains("versions must rise"), "{err}");
}

#[test]
fn breaking_changes_fail_unless_intended() {
    let dir = tempfile::tempdir().unwrap();
    lock(&dir).check::<v2_compatible::Demo>().unwrap();
    let err = lock(&dir).check::<v3_breaking::Demo>().unwrap_err();
    let text = err.to_string();
    assert!(text.contains("version 2 -> 3 breaks consumers"), "{text}");
    assert!(
        text.contains("+ mode: enum value \"standby\" (breaks consumers)"),
        "{text}"
    );
    assert!(text.contains("allow_breaking"), "{text}");
    // Nothing was written.
    assert_eq!(locked_text(&dir), locked_text_of::<v2_compatible::Demo>());

    match lock(&dir)
        .allow_breaking()
        .check::<v3_breaking::Demo>()
        .unwrap()
    {
        LockOutcome::Upgraded { evolution, .. } => {
            assert_eq!(evolution.class, Compatibility::BreaksConsumers)
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(locked_text(&dir), locked_text_of::<v3_breaking::Demo>());
}

#[test]
fn update_rewrites_whatever_changed_and_unreadable_files_fail() {
    let dir = tempfile::tempdir().unwrap();
    lock(&dir).check::<v1::Demo>().unwrap();
    assert!(matches!(
        lock(&dir).update(true).check::<v1_changed::Demo>().unwrap(),
        LockOutcome::Updated { .. }
    ));
    assert_eq!(locked_text(&dir), locked_text_of::<v1_changed::Demo>());

    std::fs::write(dir.path().join("schemas/lock_demo.json"), "{not json").unwrap();
    let err = lock(&dir).check::<v1::Demo>().unwrap_err();
    assert!(matches!(err, LockError::Unreadable { .. }), "{err}");
    assert!(err.to_string().contains("lock_demo.json"), "{err}");
}

#[test]
#[should_panic(expected = "schema `lock_demo`: the fields changed but the version is still 1")]
fn assert_panics_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    lock(&dir).assert::<v1::Demo>();
    lock(&dir).assert::<v1_changed::Demo>();
}
