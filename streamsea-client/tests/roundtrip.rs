//! Typed publish to typed subscribe over a real server and real sockets.

mod common;

use common::*;
use serde::{Deserialize, Serialize};
use streamsea_client::DefineOutcome;

#[tokio::test]
async fn typed_publish_reaches_typed_subscription() {
    let server = start().await;
    let client = admin(&server);
    assert!(matches!(
        client.define_stream::<BoilerData>().await.unwrap(),
        DefineOutcome::Created { .. }
    ));
    let mut sub = client.subscribe::<BoilerData>().await.unwrap();
    for i in 0..5 {
        client.publish(&reading(i)).await.unwrap();
    }
    for i in 0..5 {
        assert_eq!(next_ok(&mut sub).await, reading(i));
    }
}

/// Floats whose shortest decimal form needs 17 significant digits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, streamsea_derive::StreamSchema)]
#[stream_schema(name = "exact", version = 1)]
struct Exact {
    value: f64,
    values: Vec<f64>,
}

#[tokio::test]
async fn floats_arrive_bit_exact() {
    let server = start().await;
    let client = admin(&server);
    client.define_stream::<Exact>().await.unwrap();
    let mut typed = client.subscribe::<Exact>().await.unwrap();
    let mut raw = client
        .subscribe_json_with(
            "exact",
            streamsea_client::SubscribeOptions::new().group(streamsea_client::Group::Private),
        )
        .await
        .unwrap();
    let sent = Exact {
        value: -428014.17085322476,
        values: vec![
            0.1 + 0.2,
            1e-310,
            f64::MAX,
            2.2250738585072014e-308,
            9007199254740993.0,
        ],
    };
    client.publish(&sent).await.unwrap();
    let got = next_ok(&mut typed).await;
    assert_eq!(got.value.to_bits(), (-428014.17085322476f64).to_bits());
    let bits = |v: &[f64]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&got.values), bits(&sent.values));
    let json = next_ok(&mut raw).await;
    assert_eq!(
        json["value"].as_f64().map(f64::to_bits),
        Some(sent.value.to_bits())
    );
}
