//! What `validate()` reports: serde's names in every path, the same errors
//! as the compiled validator, and a bounded report.

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use streamsea_derive::StreamSchema;
use streamsea_schema::{
    describe_str, Date, StreamSchema, Validator, DEFAULT_ERROR_LIMIT, EXPECTED_DATE,
};

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
            "sentAt",
            "serviceDates[1]",
            "site.openedOn"
        ]
    );
    assert!(!errors.truncated);
    let quality = &errors.errors[1];
    assert_eq!(quality.expected, r#"one of ["ok", "suspect"]"#);
    assert_eq!(quality.found, r#"string "bad""#);
    assert_eq!(errors.errors[0].expected, EXPECTED_DATE);
    assert_eq!(
        errors.to_string().lines().nth(5).unwrap().trim(),
        r#"site.openedOn: expected date (YYYY-MM-DDTHH:mm:ssZ, UTC, no fraction), found string "2019-02-29T00:00:00Z""#
    );

    // The validator compiled from the definition finds the same errors in the JSON.
    let json = serde_json::to_value(&b).unwrap();
    let from_validator = Validator::new(&BoilerData::definition())
        .validate(&json)
        .unwrap_err()
        .errors;
    let from_type = errors.errors;
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
    // Keys in byte order: the flattened `sentAt` before `serviceDates`.
    assert_eq!(errors.errors[0].path, "sentAt");
    assert_eq!(errors.errors[99].path, "serviceDates[98]");
    // The validator keeps the same 100 errors of the JSON.
    let json = serde_json::to_value(&b).unwrap();
    let compiled = Validator::new(&BoilerData::definition())
        .validate(&json)
        .unwrap_err();
    assert_eq!(errors, compiled);
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

#[derive(Debug, Clone, Serialize, StreamSchema)]
#[stream_schema(name = "chrono_times", version = 1)]
#[serde(rename_all = "camelCase")]
struct ChronoTimes {
    taken_at: DateTime<Utc>,
    acked_at: Option<DateTime<Utc>>,
    history: Vec<DateTime<Utc>>,
    #[serde(with = "streamsea_schema::date::chrono_utc")]
    #[stream_schema(type = "date")]
    sent_at: DateTime<Utc>,
    #[serde(serialize_with = "streamsea_schema::date::chrono_utc::option::serialize")]
    #[stream_schema(date)]
    due_at: Option<DateTime<Utc>>,
}

#[test]
fn chrono_timestamps_are_checked_as_serde_writes_them() {
    let whole = Utc.timestamp_opt(1_700_000_000, 0).unwrap();
    let fraction = Utc.timestamp_opt(1_700_000_000, 123_000_000).unwrap();
    let far = Utc.with_ymd_and_hms(12_024, 5, 1, 0, 0, 0).unwrap();
    let times = ChronoTimes {
        taken_at: whole,
        acked_at: Some(whole),
        history: vec![whole, whole],
        sent_at: fraction,
        due_at: Some(fraction),
    };
    // Written through `chrono_utc`, a fraction is dropped: nothing to report.
    assert_eq!(times.validate(), Ok(()));
    let json = serde_json::to_value(&times).unwrap();
    assert_eq!(json["sentAt"], "2023-11-14T22:13:20Z");
    assert!(Validator::new(&ChronoTimes::definition()).is_valid(&json));

    let times = ChronoTimes {
        taken_at: fraction,
        acked_at: Some(far),
        history: vec![whole, Utc.timestamp_opt(1_700_000_000, 5_000).unwrap()],
        ..times
    };
    let errors = times.validate().unwrap_err();
    // Keys in byte order, as the validator reports them.
    assert_eq!(errors.paths(), ["ackedAt", "history[1]", "takenAt"]);
    let found: Vec<&str> = errors.errors.iter().map(|e| e.found.as_str()).collect();
    assert_eq!(
        found,
        [
            describe_str("+12024-05-01T00:00:00Z"),
            describe_str("2023-11-14T22:13:20.000005Z"),
            describe_str("2023-11-14T22:13:20.123Z"),
        ]
    );
    assert!(errors.errors.iter().all(|e| e.expected == EXPECTED_DATE));
    // The same errors as the validator finds in the JSON.
    let json = serde_json::to_value(&times).unwrap();
    let from_validator = Validator::new(&ChronoTimes::definition())
        .validate(&json)
        .unwrap_err()
        .errors;
    assert_eq!(errors.errors, from_validator);

    // Outside years 0000..=9999 `chrono_utc` cannot write the timestamp, so
    // serde cannot write the message: `validate()` says so at the field.
    let times = ChronoTimes {
        sent_at: far,
        due_at: None,
        ..times
    };
    assert!(serde_json::to_value(&times).is_err());
    let errors = times.validate().unwrap_err();
    let at = errors.errors.iter().find(|e| e.path == "sentAt").unwrap();
    assert_eq!(at.expected, "a value serde can write");
    assert!(
        at.found.contains("year 12024 is outside 0000..=9999"),
        "{}",
        at.found
    );
}

#[derive(Debug, Clone, Serialize, StreamSchema)]
#[stream_schema(name = "misstated", version = 1)]
struct Misstated {
    /// `ts_seconds` writes an integer: a stated `date` is wrong, and
    /// `validate()` finds it by running the function, as the validator would.
    #[serde(with = "chrono::serde::ts_seconds")]
    #[stream_schema(type = "date")]
    at: DateTime<Utc>,
    e: Vec<f32>,
}

#[test]
fn what_functions_write_and_non_finite_floats_are_checked() {
    let value = Misstated {
        at: Utc.timestamp_opt(1_700_000_000, 0).unwrap(),
        e: vec![f32::NAN, 1.5, f32::INFINITY],
    };
    let errors = value.validate().unwrap_err();
    let shown: Vec<String> = errors.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "at: expected date (YYYY-MM-DDTHH:mm:ssZ, UTC, no fraction), found number 1700000000",
            "e[0]: expected float (a number), found null",
            "e[2]: expected float (a number), found null",
        ]
    );
    let json = serde_json::to_value(&value).unwrap();
    let compiled = Validator::new(&Misstated::definition())
        .validate(&json)
        .unwrap_err();
    assert_eq!(errors, compiled);
}
