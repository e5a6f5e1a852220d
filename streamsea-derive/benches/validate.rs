//! The derived `validate()` on a `BoilerData` value against
//! `serde_json::to_vec` of the same value: validation is meant to cost at
//! most a tenth of serialization. Prints both figures and their ratio.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use serde::Serialize;
use streamsea_derive::StreamSchema;
use streamsea_schema::{Date, StreamSchema};

#[derive(Serialize, StreamSchema)]
#[serde(rename_all = "lowercase")]
enum Mode {
    Idle,
    Heating,
}

#[derive(Serialize, StreamSchema)]
#[serde(rename_all = "camelCase")]
struct Reading {
    at: Date,
    value: f64,
    #[stream_schema(one_of = ["ok", "suspect"])]
    quality: String,
}

#[derive(Serialize, StreamSchema)]
struct Site {
    name: String,
    lat: f64,
    lon: f64,
}

#[derive(Serialize, StreamSchema)]
#[stream_schema(name = "boiler_data", version = 2)]
#[serde(rename_all = "camelCase")]
struct BoilerData {
    temperature: f64,
    pressure: i64,
    measured_at: Date,
    mode: Mode,
    tags: Vec<String>,
    readings: Vec<Reading>,
    site: Option<Site>,
    #[stream_schema(date)]
    serviced_at: String,
    #[stream_schema(one_of = ["gas", "oil", "electric"])]
    fuel: String,
}

fn boiler() -> BoilerData {
    let pressure = 2;
    let at = |s: i64| Date::from_unix(1_714_564_800 + s).unwrap_or_else(Date::now);
    BoilerData {
        temperature: 71.25,
        pressure,
        measured_at: at(0),
        mode: if pressure > 1 {
            Mode::Heating
        } else {
            Mode::Idle
        },
        tags: vec!["basement".into(), "north".into()],
        readings: (0..8)
            .map(|i| Reading {
                at: at(i * 60),
                value: 70.0 + i as f64 / 8.0,
                quality: if i % 3 == 0 { "suspect" } else { "ok" }.into(),
            })
            .collect(),
        site: Some(Site {
            name: "Dock 4".into(),
            lat: 51.9,
            lon: 4.1,
        }),
        serviced_at: "2024-03-01T08:00:00Z".into(),
        fuel: "gas".into(),
    }
}

/// Mean time of one call of `f`, over a fixed number of calls.
fn mean(mut f: impl FnMut()) -> Duration {
    const CALLS: u32 = 200_000;
    for _ in 0..CALLS / 10 {
        f();
    }
    let start = Instant::now();
    for _ in 0..CALLS {
        f();
    }
    start.elapsed() / CALLS
}

fn bench(c: &mut Criterion) {
    let value = boiler();
    assert!(value.validate().is_ok());
    let mut group = c.benchmark_group("boiler_data");
    group.bench_function("derived validate()", |b| {
        b.iter(|| black_box(&value).validate())
    });
    group.bench_function("serde_json::to_vec", |b| {
        b.iter(|| serde_json::to_vec(black_box(&value)))
    });
    group.finish();

    let validate = mean(|| {
        let _ = black_box(black_box(&value).validate());
    });
    let serialize = mean(|| {
        let _ = black_box(serde_json::to_vec(black_box(&value)));
    });
    let ratio = validate.as_secs_f64() / serialize.as_secs_f64();
    println!(
        "boiler_data: validate() {validate:?}, serde_json::to_vec {serialize:?}, validate/serialize = {:.1}% (target: at most 10%)",
        ratio * 100.0
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
