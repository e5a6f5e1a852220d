//! What `validate()` reports: serde's names in every path, the same errors
//! as the compiled validator, and a bounded report.

use serde::{Deserialize, Serialize};
use streamsea_derive::StreamSchema;
use streamsea_schema::{Date, StreamSchema, Validator, DEFAULT_ERROR_LIMIT, EXPECTED_DATE};

#[derive(Debug, Clone, Serialize, Deserialize, StreamSchema)]
#[serde(rename_all = "camelCase")]
struct Reading {
    at: Date,
    #[stream_schema(date)]
    logged_at: String,
    #[stream_schema(one_of = ["ok", "suspect"])]
    quality: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, StreamSchema)]
struct Site {
    #[serde(rename = "openedOn")]
    #[stream_schema(date)]
    opened: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, StreamSchema)]
#[serde(rename_all = "camelCase")]
struct Meta {
    #[stream_schema(date)]
    sent_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "boiler_data", version = 2)]
#[serde(rename_all = "camelCase")]
struct BoilerData {
    temperature: f64,
    readings: Vec<Reading>,
    site: Option<Box<Site>>,
    #[stream_schema(date)]
    service_dates: Vec<String>,
    #[serde(flatten)]
    meta: Meta,
    #[serde(skip)]
    #[allow(dead_code)]
    draft: Option<String>,
}

fn reading(logged_at: &str, quality: Option<&str>) -> Reading {
    Reading {
        at: "2024-05-01T12:00:00Z".parse().unwrap(),
        logged_at: logged_at.into(),
        quality: quality.map(str::to_owned),
    }
}

fn valid() -> BoilerData {
    BoilerData {
        temperature: 70.0,
        readings: vec![
            reading("2024-05-01T12:00:00Z", Some("ok")),
            reading("2024-05-01T12:01:00Z", None),
        ],
        site: Some(Box::new(Site {
            opened: Some("2001-01-01T00:00:00Z".into()),
        })),
        service_dates: vec!["2023-01-01T00:00:00Z".into()],
        meta: Meta {
            sent_at: "2024-05-01T12:02:00Z".into(),
        },
        draft: Some("not a date, but skipped".into()),
    }
}

#[test]
fn a_valid_value_passes() {
    assert_eq!(valid().validate(), Ok(()));
}

#[test]
fn errors_carry_serde_paths_and_match_the_validator() {
    let mut b = valid();
    b.readings[1] = reading("2024-05-01 12:01:00", Some("bad"));
    b.site = Some(Box::new(Site {
        opened: Some("2019-02-29T00:00:00Z".into()),
    }));
    b.service_dates.push("soon".into());
    b.meta.sent_at = "2024-05-01T12:02:00.000Z".into();

    let errors = b.validate().unwrap_err();
    assert_eq!(
        errors.paths(),
        [
            "readings[1].loggedAt",
            "readings[1].quality",
            "site.openedOn",
            "serviceDates[1]",
            "sentAt"
        ]
    );
    assert!(!errors.truncated);
    let quality = &errors.errors[1];
    assert_eq!(quality.expected, r#"one of ["ok", "suspect"]"#);
    assert_eq!(quality.found, r#"string "bad""#);
    assert_eq!(errors.errors[0].expected, EXPECTED_DATE);
    assert_eq!(
        errors.to_string().lines().nth(3).unwrap().trim(),
        r#"site.openedOn: expected date (YYYY-MM-DDTHH:mm:ssZ, UTC, no fraction), found string "2019-02-29T00:00:00Z""#
    );

    // The validator compiled from the definition finds the same errors in the JSON.
    let json = serde_json::to_value(&b).unwrap();
    let mut from_validator = Validator::new(&BoilerData::definition())
        .validate(&json)
        .unwrap_err()
        .errors;
    let mut from_type = errors.errors;
    from_validator.sort_by(|a, c| a.path.cmp(&c.path));
    from_type.sort_by(|a, c| a.path.cmp(&c.path));
    assert_eq!(from_type, from_validator);
}

#[test]
fn the_report_stops_at_its_limit() {
    let mut b = valid();
    b.service_dates = vec!["x".to_string(); 10 * DEFAULT_ERROR_LIMIT];
    b.meta.sent_at = "also wrong".into();
    let errors = b.validate().unwrap_err();
    assert_eq!(errors.errors.len(), DEFAULT_ERROR_LIMIT);
    assert!(errors.truncated);
    assert_eq!(errors.errors[99].path, "serviceDates[99]");
}

#[test]
fn long_values_are_quoted_briefly() {
    let mut b = valid();
    b.meta.sent_at = "y".repeat(10_000);
    let errors = b.validate().unwrap_err();
    assert!(
        errors.errors[0].found.len() < 100,
        "{}",
        errors.errors[0].found
    );
}
