//! Validation speed on a realistic ~1 KB port-call record: the compiled
//! validator (yes/no and full report) beside the `jsonschema` crate running our
//! exported JSON Schema, and beside the time `serde_json` takes to parse the
//! same bytes.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use serde_json::Value;
use streamsea_schema::{to_json_schema, SchemaDefinition, Validator};

const SCHEMA: &str = include_str!("data/port_call_schema.json");
const PAYLOAD: &str = include_str!("data/port_call.json");

fn bench(c: &mut Criterion) {
    let def = SchemaDefinition::from_json_str(SCHEMA).expect("bench schema");
    let payload: Value = serde_json::from_str(PAYLOAD).expect("bench payload");
    let compact = serde_json::to_vec(&payload).expect("compact payload");
    let ours = Validator::new(&def);
    let theirs =
        jsonschema::validator_for(&to_json_schema(&def)).expect("exported schema compiles");
    assert!(ours.is_valid(&payload));
    assert!(theirs.is_valid(&payload));

    let mut g = c.benchmark_group("port_call");
    g.throughput(Throughput::Bytes(compact.len() as u64));
    g.bench_function("streamsea is_valid", |b| {
        b.iter(|| ours.is_valid(black_box(&payload)))
    });
    g.bench_function("streamsea validate (full report)", |b| {
        b.iter(|| ours.validate(black_box(&payload)).is_ok())
    });
    g.bench_function("jsonschema is_valid", |b| {
        b.iter(|| theirs.is_valid(black_box(&payload)))
    });
    g.bench_function("jsonschema iter_errors (full report)", |b| {
        b.iter(|| theirs.iter_errors(black_box(&payload)).count())
    });
    g.bench_function("serde_json parse to Value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&compact)).map(|v| v.is_object()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
