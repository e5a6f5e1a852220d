//! HTTPS and WSS with rustls, trusting an added root certificate; TLS
//! failures told apart by the TLS library's error in the source chain.

mod common;

use std::time::Duration;

use common::*;
use streamsea_client::{
    BuildError, Client, ConnectionEvent, NetworkCause, NotSent, RequestError, SubscribeError,
};
use streamsea_testkit::fixtures;

/// The first error of type `T` in `e`'s source chain, looking inside I/O
/// errors too (whose `source()` skips the error they wrap).
fn find_in_chain<'a, T: std::error::Error + 'static>(
    e: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut pending = vec![e];
    while let Some(err) = pending.pop() {
        if let Some(found) = err.downcast_ref::<T>() {
            return Some(found);
        }
        if let Some(inner) = err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            pending.push(inner);
        }
        if let Some(next) = err.source() {
            pending.push(next);
        }
    }
    None
}

/// A client of `port` over TLS that fails fast.
fn secure_client(port: u16) -> streamsea_client::ClientBuilder {
    Client::builder()
        .host("localhost")
        .port(port)
        .secure(true)
        .basic(ADMIN.0, ADMIN.1)
        .read_retries(0)
        .connect_timeout(Duration::from_secs(5))
        .request_timeout(Duration::from_secs(2))
}

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

    // Without the root certificate the server is not trusted: nothing is
    // sent, and the TLS library's certificate error is in the chain.
    let untrusting = secure_client(port).build().unwrap();
    let err = untrusting.describe_stream("boiler_data").await.unwrap_err();
    assert!(
        matches!(&err, RequestError::NotSent(NotSent::Connect { .. })),
        "{err:?}"
    );
    assert!(
        err.is_tls() && err.is_certificate() && !err.is_not_tls(),
        "{err:?}"
    );
    assert_eq!(err.network_cause(), Some(NetworkCause::Certificate));
    let tls = find_in_chain::<rustls::Error>(&err).expect("a rustls error in the chain");
    assert!(
        matches!(tls, rustls::Error::InvalidCertificate(_)),
        "{tls:?}"
    );

    // The WebSocket side says the same, typed, in its event and its error.
    let mut events = untrusting.events();
    let err = untrusting.subscribe_json("s").await.unwrap_err();
    match err {
        SubscribeError::Timeout {
            last_error, cause, ..
        } => {
            let last = last_error.unwrap_or_default();
            assert!(last.to_lowercase().contains("certificate"), "{last}");
            assert_eq!(cause, Some(NetworkCause::Certificate));
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    let cause = loop {
        match tokio::time::timeout(WAIT, events.recv()).await {
            Ok(Ok(ConnectionEvent::Disconnected { cause, .. })) => break cause,
            Ok(Ok(_)) => continue,
            other => panic!("expected a Disconnected event, got {other:?}"),
        }
    };
    assert_eq!(cause, Some(NetworkCause::Certificate));
}

#[tokio::test]
async fn tls_to_a_plain_server_is_told_apart_from_an_untrusted_certificate() {
    let server = start().await;
    let port = server.local_addr().port();
    let client = secure_client(port).build().unwrap();

    let err = client.describe_stream("s").await.unwrap_err();
    assert!(err.is_not_sent(), "{err:?}");
    assert!(
        err.is_tls() && err.is_not_tls() && !err.is_certificate(),
        "{err:?}"
    );
    let tls = find_in_chain::<rustls::Error>(&err).expect("a rustls error in the chain");
    assert!(matches!(tls, rustls::Error::InvalidMessage(_)), "{tls:?}");

    let mut events = client.events();
    let err = client.subscribe_json("s").await.unwrap_err();
    assert!(
        matches!(
            err,
            SubscribeError::Timeout {
                cause: Some(NetworkCause::NotTls),
                ..
            }
        ),
        "{err:?}"
    );
    let cause = loop {
        match tokio::time::timeout(WAIT, events.recv()).await {
            Ok(Ok(ConnectionEvent::Disconnected { cause, .. })) => break cause,
            Ok(Ok(_)) => continue,
            other => panic!("expected a Disconnected event, got {other:?}"),
        }
    };
    assert_eq!(cause, Some(NetworkCause::NotTls));
}

#[tokio::test]
async fn a_ca_flagged_self_signed_certificate_from_a_file_is_trusted() {
    // `openssl req -x509` writes CA:TRUE; webpki alone refuses such a
    // certificate as the server's own.
    let server = server_builder()
        .tls_pem(fixtures::SELF_SIGNED_CA_CERT, fixtures::SELF_SIGNED_CA_KEY)
        .start()
        .await
        .unwrap();
    let port = server.local_addr().port();
    let client = secure_client(port)
        .add_root_certificate_file(fixtures::path("self_signed_ca_cert.pem"))
        .build()
        .unwrap();
    assert_eq!(client.describe_stream("s").await.unwrap(), None);
    // Another added certificate does not make it trusted.
    let other = secure_client(port)
        .add_root_certificate_pem(TLS_CERT)
        .build()
        .unwrap();
    let err = other.describe_stream("s").await.unwrap_err();
    assert!(err.is_certificate(), "{err:?}");
}

#[test]
fn a_secure_client_needs_some_root() {
    let err = Client::builder()
        .secure(true)
        .tls_built_in_roots(false)
        .basic("a", "b")
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::Tls { source: None, .. }), "{err}");
    assert!(
        err.to_string().contains("no root certificate to trust"),
        "{err}"
    );
}

#[test]
fn root_certificate_errors_keep_their_cause_and_say_where() {
    let build = |b: streamsea_client::ClientBuilder| b.basic("a", "b").build().unwrap_err();

    // A missing file: the I/O error, and the file's name.
    let err = build(Client::builder().add_root_certificate_file("no-such-ca.pem"));
    assert!(matches!(err, BuildError::Tls { .. }), "{err:?}");
    assert!(err.to_string().contains("file `no-such-ca.pem`"), "{err}");
    let io = std::error::Error::source(&err)
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .expect("an I/O error as the source");
    assert_eq!(io.kind(), std::io::ErrorKind::NotFound);

    // A certificate section that is not base64: the PEM reader's error.
    let bad_pem = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
    let err = build(Client::builder().add_root_certificate_pem(bad_pem));
    assert!(
        err.to_string().contains("the PEM data is not valid PEM"),
        "{err}"
    );
    let pem = std::error::Error::source(&err)
        .and_then(|s| s.downcast_ref::<rustls::pki_types::pem::Error>())
        .expect("a PEM error as the source");
    assert!(
        matches!(pem, rustls::pki_types::pem::Error::Base64Decode(_)),
        "{pem:?}"
    );

    // Valid PEM whose second certificate is not one: the certificate
    // check's error, and which certificate.
    let not_der = "-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n";
    let err = build(Client::builder().add_root_certificate_pem(format!("{TLS_CERT}{not_der}")));
    assert!(
        err.to_string()
            .contains("certificate 2 in the PEM data cannot be trusted"),
        "{err}"
    );
    let tls = std::error::Error::source(&err)
        .and_then(|s| s.downcast_ref::<rustls::Error>())
        .expect("a rustls error as the source");
    assert!(
        matches!(tls, rustls::Error::InvalidCertificate(_)),
        "{tls:?}"
    );

    // A file with no certificate: said with the file's name, no cause.
    let key = fixtures::path("tls_key.pem");
    let err = build(Client::builder().add_root_certificate_file(&key));
    assert!(
        matches!(err, BuildError::Tls { source: None, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains(&format!("no certificate found in file `{}`", key.display())),
        "{err}"
    );
    // Errors compare by variant and text.
    assert_eq!(
        err,
        build(Client::builder().add_root_certificate_file(&key))
    );
    assert_ne!(err, BuildError::MissingCredentials);
}
