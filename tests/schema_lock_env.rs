//! `STREAMSEA_UPDATE_SCHEMAS=1` makes `assert_schema_locked` rewrite the
//! lock whatever changed. A test binary of its own: it sets the variable.

use serde::{Deserialize, Serialize};
use streamsea::testing::{assert_schema_locked, LockOutcome, UPDATE_VAR};
use streamsea::StreamSchema;

mod before {
    use super::*;
    #[derive(Serialize, Deserialize, StreamSchema)]
    #[stream_schema(name = "env_demo", version = 1)]
    pub struct Demo {
        pub a: f64,
    }
}

mod after {
    use super::*;
    #[derive(Serialize, Deserialize, StreamSchema)]
    #[stream_schema(name = "env_demo", version = 1)]
    pub struct Demo {
        pub a: String,
    }
}

#[test]
fn the_variable_rewrites_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    std::env::remove_var(UPDATE_VAR);
    assert_schema_locked::<before::Demo>(dir.path());
    let changed = std::panic::catch_unwind(|| assert_schema_locked::<after::Demo>(dir.path()));
    assert!(changed.is_err());
    std::env::set_var(UPDATE_VAR, "0");
    assert!(std::panic::catch_unwind(|| assert_schema_locked::<after::Demo>(dir.path())).is_err());
    std::env::set_var(UPDATE_VAR, "1");
    assert!(matches!(
        assert_schema_locked::<after::Demo>(dir.path()),
        LockOutcome::Updated { .. }
    ));
    std::env::remove_var(UPDATE_VAR);
    assert_eq!(
        assert_schema_locked::<after::Demo>(dir.path()),
        LockOutcome::Unchanged
    );
}
