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
