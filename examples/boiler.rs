//! The main job: one struct gives the schema, the validator, a type-checked
//! publish and a typed subscription.
//!
//! ```text
//! cargo run --example boiler
//! ```
//!
//! Without `STREAMSEA_HOST` it starts a local stream-sea server in-process;
//! with it, it uses the server the `STREAMSEA_*` variables describe.

mod common;
// The payload type, shared with the schema lock test (tests/schema_lock.rs).
#[path = "common/boiler_data.rs"]
mod boiler_data;

use std::time::Duration;

use boiler_data::{BoilerData, Mode, Reading, Site};
use futures_util::StreamExt;
use streamsea::{Date, NotSent, RequestError, StreamSchema};

fn reading(i: i64, start: Date) -> BoilerData {
    let at = |s: i64| Date::from_unix(start.unix() + s).unwrap_or(start);
    BoilerData {
        boiler_id: "b-17".into(),
        temperature: 70.0 + i as f64 * 1.5,
        pressure: 3000 + i,
        measured_at: at(i * 10),
        mode: if i == 0 { Mode::Idle } else { Mode::Heating },
        tags: vec!["north-wing".into()],
        flow_rates: vec![1.25, 1.5],
        error_codes: vec![],
        serviced_on: vec![Date::from_parts(2024, 1, 15, 9, 0, 0).unwrap_or(start)],
        site: Site {
            name: "Plant 4".into(),
            lat: 59.91,
            lon: 10.75,
        },
        readings: vec![
            Reading {
                at: at(i * 10),
                sensor: "inlet".into(),
                value: 55.0 + i as f64,
            },
            Reading {
                at: at(i * 10 + 5),
                sensor: "outlet".into(),
                value: 70.0 + i as f64,
            },
        ],
        note: None,
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let setup = common::Setup::new().await?;
    let client = setup.builder.clone().build()?;

    // At startup: register the schema (or confirm the server has it).
    let outcome = client.define_stream::<BoilerData>().await?;
    println!("define_stream boiler_data: {outcome}");
    let check = client.check_schema::<BoilerData>().await?;
    println!("schema check: {check}");

    // A typed subscription: a Stream of Result<BoilerData, _>.
    let mut sub = client.subscribe::<BoilerData>().await?;

    let count = 5;
    let start = Date::now();
    for i in 0..count {
        client.publish(&reading(i, start)).await?;
    }
    println!("published {count} readings");

    for _ in 0..count {
        let next = tokio::time::timeout(Duration::from_secs(10), sub.next()).await;
        match next {
            Ok(Some(Ok(r))) => println!(
                "received {} at {}: {:.1} °C, {} mbar, {:?}, {} readings",
                r.boiler_id,
                r.measured_at,
                r.temperature,
                r.pressure,
                r.mode,
                r.readings.len()
            ),
            Ok(Some(Err(e))) => return Err(e.into()),
            Ok(None) => return Err("the subscription ended early".into()),
            Err(_) => return Err("no reading arrived within 10 s".into()),
        }
    }

    // An invalid reading never leaves the process: the error says where.
    let mut bad = reading(count, start);
    bad.readings[1].sensor = "chimney".into();
    match client.publish(&bad).await {
        Err(RequestError::NotSent(NotSent::Invalid { errors, .. })) => {
            println!("invalid reading refused before sending:");
            for e in &errors.errors {
                println!("  {e}");
            }
        }
        Err(other) => return Err(other.into()),
        Ok(()) => return Err("the invalid reading was accepted".into()),
    }
    let schema = BoilerData::definition();
    println!(
        "boiler_data version {} has {} fields",
        schema.version,
        schema.fields.len()
    );

    drop(sub);
    drop(client);
    setup.finish().await;
    Ok(())
}
