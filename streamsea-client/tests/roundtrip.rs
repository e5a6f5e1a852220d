//! Typed publish to typed subscribe over a real server and real sockets.

mod common;

use common::*;
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
