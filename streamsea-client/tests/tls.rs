//! HTTPS and WSS with rustls, trusting an added root certificate.

mod common;

use common::*;
use streamsea_client::{BuildError, Client, NotSent, RequestError, SubscribeError};

#[tokio::test]
async fn https_and_wss_with_an_added_root_certificate() {
    let server = server_builder()
        .tls_pem(TLS_CERT, TLS_KEY)
        .start()
        .await
        .unwrap();
    assert!(server.is_tls());
    let port = server.local_addr().port();
    let client = Client::builder()
        .host("localhost")
        .port(port)
        .secure(true)
        .add_root_certificate_pem(TLS_CERT)
        .basic(ADMIN.0, ADMIN.1)
        .reconnect(fast_policy())
        .build()
        .unwrap();
    assert!(client.api_url().starts_with("https://localhost:"));
    assert!(client.ws_url().starts_with("wss://localhost:"));
    client.define_stream::<BoilerData>().await.unwrap();
    let mut sub = client.subscribe::<BoilerData>().await.unwrap();
    client.publish(&reading(1)).await.unwrap();
    assert_eq!(next_ok(&mut sub).await, reading(1));

    // Without the root certificate the server is not trusted: nothing is sent.
    let untrusting = Client::builder()
        .host("localhost")
        .port(port)
        .secure(true)
        .basic(ADMIN.0, ADMIN.1)
        .read_retries(0)
        .connect_timeout(std::time::Duration::from_secs(5))
        .request_timeout(std::time::Duration::from_secs(2))
        .build()
        .unwrap();
    let err = untrusting.describe_stream("boiler_data").await.unwrap_err();
    assert!(
        matches!(&err, RequestError::NotSent(NotSent::Connect { .. })),
        "{err:?}"
    );
    let err = untrusting.subscribe_json("s").await.unwrap_err();
    match err {
        SubscribeError::Timeout { last_error, .. } => {
            let last = last_error.unwrap_or_default();
            assert!(last.to_lowercase().contains("certificate"), "{last}");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[test]
fn a_secure_client_needs_some_root() {
    let err = Client::builder()
        .secure(true)
        .tls_built_in_roots(false)
        .basic("a", "b")
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::Tls(_)), "{err}");
}
