//! The boiler example's payload type, locked in `schemas/boiler_data.json`:
//! changing its fields without raising its version, or breaking its
//! consumers, fails here. Sample values of it pass its own checks.

#[path = "../examples/common/boiler_data.rs"]
mod boiler_data;

use boiler_data::BoilerData;
use proptest::prelude::*;
use streamsea::schema::sample::strategy;
use streamsea::testing::assert_schema_locked;
use streamsea::{StreamSchema, Validator};

#[test]
fn boiler_data_schema_is_locked() {
    assert_schema_locked::<BoilerData>("schemas");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Typed samples read into the type, which writes them back as valid
    /// payloads.
    #[test]
    fn sampled_boiler_data_round_trips(value in strategy::values::<BoilerData>()) {
        prop_assert!(value.validate().is_ok());
        let json = serde_json::to_value(&value).unwrap();
        prop_assert!(Validator::new(&BoilerData::definition()).is_valid(&json), "{}", json);
    }

    /// Invalid samples of the type's schema fail exactly where announced.
    #[test]
    fn invalid_boiler_data_fails_where_announced(bad in strategy::invalid_payloads::<BoilerData>()) {
        let errors = Validator::new(&BoilerData::definition()).validate(&bad.payload).unwrap_err();
        prop_assert_eq!(errors.paths(), vec![bad.path.as_str()]);
    }
}

/// The README's walk from version 2 to 3: the definitions it shows, the
/// classes, and what consumers typed for version 2 actually read.
mod version_2_to_3 {
    use super::*;
    use streamsea::schema::sample::{SampleOptions, Sampler};
    use streamsea::schema::{evolution, Compatibility};
    use streamsea::testing::{LockOutcome, SchemaLock};
    use streamsea::{Field, FieldType, SchemaDefinition};

    fn with_outdoor_temp(version: u64) -> SchemaDefinition {
        let mut def = BoilerData::definition();
        def.version = version.into();
        def.fields.push(Field::new("outdoorTemp", FieldType::Float));
        def
    }

    fn with_standby(mut def: SchemaDefinition) -> SchemaDefinition {
        for f in &mut def.fields {
            if let FieldType::Enum(values) = &mut f.ty {
                values.push("standby".into());
            }
        }
        def
    }

    /// A lock directory holding the committed version 2.
    fn lock_dir() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(
            "schemas/boiler_data.json",
            dir.path().join("boiler_data.json"),
        )
        .unwrap();
        dir
    }

    #[test]
    fn the_lock_says_what_the_readme_shows() {
        let dir = lock_dir();
        let lock = || SchemaLock::new(dir.path()).update(false);

        let err = lock()
            .check_definition(&with_standby(with_outdoor_temp(2)))
            .unwrap_err()
            .to_string();
        let lines: Vec<&str> = err.lines().collect();
        assert!(
            lines[0].starts_with("the fields changed but the version is still 2 (locked in "),
            "{err}"
        );
        assert_eq!(
            lines[1..3],
            [
                "  + mode: enum value \"standby\" (breaks consumers)",
                "  + outdoorTemp: float (compatible)"
            ]
        );
        assert!(
            lines[3].starts_with("bump the version to 3 (#[stream_schema(version = 3)])"),
            "{err}"
        );

        let err = lock()
            .check_definition(&with_standby(with_outdoor_temp(3)))
            .unwrap_err();
        assert!(
            err.to_string().contains("version 2 -> 3 breaks consumers"),
            "{err}"
        );

        let outcome = lock().check_definition(&with_outdoor_temp(3)).unwrap();
        assert!(
            matches!(&outcome, LockOutcome::Upgraded { evolution, .. } if evolution.class == Compatibility::Compatible),
            "{outcome}"
        );
        let outcome = SchemaLock::new(dir.path())
            .update(false)
            .allow_breaking()
            .check_definition(&with_standby(with_outdoor_temp(4)))
            .unwrap();
        assert!(matches!(outcome, LockOutcome::Upgraded { .. }), "{outcome}");
    }

    #[test]
    fn version_2_consumers_read_what_the_classes_say() {
        let v2 = BoilerData::definition();
        let compatible = with_outdoor_temp(3);
        assert_eq!(evolution(&v2, &compatible).class, Compatibility::Compatible);
        let mut sampler = Sampler::with_options(&compatible, 1, SampleOptions::typed());
        for _ in 0..200 {
            let payload = sampler.valid();
            assert!(payload.get("outdoorTemp").is_some());
            if let Err(e) = serde_json::from_value::<BoilerData>(payload.clone()) {
                panic!("a version 2 consumer cannot read {payload}: {e}");
            }
        }

        let breaking = with_standby(with_outdoor_temp(3));
        assert_eq!(
            evolution(&v2, &breaking).class,
            Compatibility::BreaksConsumers
        );
        let mut sampler = Sampler::with_options(&breaking, 1, SampleOptions::typed());
        let unreadable = (0..200)
            .map(|_| sampler.valid())
            .filter(|p| serde_json::from_value::<BoilerData>(p.clone()).is_err())
            .collect::<Vec<_>>();
        assert!(!unreadable.is_empty());
        assert!(unreadable.iter().all(|p| p["mode"] == "standby"));
    }
}
