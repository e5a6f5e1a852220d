//! The HTTP operations of PROTOCOL.md section 2 against the in-process server, and
//! how failures are classified.

mod common;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use streamsea_client::{Client, DefineOutcome, NotSent, RequestError};
use streamsea_derive::StreamSchema;
use streamsea_schema::{
    Compatibility, FieldChange, SchemaDefinition, StreamSchema as _, Validator, Version,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Version 2 of `boiler_data`: one field more, one field of another type.
#[derive(Debug, Clone, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "boiler_data", version = 2)]
#[serde(rename_all = "camelCase")]
struct BoilerDataV2 {
    seq: i64,
    temperature: i64,
    #[stream_schema(one_of = ["idle", "heating"])]
    mode: String,
    measured_at: streamsea_schema::Date,
    tags: Vec<String>,
    pressure: Option<f64>,
}

/// Version 1 with different fields: a conflict.
#[derive(Debug, Clone, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "boiler_data", version = 1)]
struct BoilerDataConflict {
    seq: String,
}

#[tokio::test]
async fn define_reports_created_unchanged_upgraded_and_refuses_conflicts() {
    let server = start().await;
    let client = admin(&server);
    assert_eq!(
        client.define_stream::<BoilerData>().await.unwrap(),
        DefineOutcome::Created {
            version: Version(1)
        }
    );
    assert_eq!(
        client.define_stream::<BoilerData>().await.unwrap(),
        DefineOutcome::Unchanged {
            version: Version(1)
        }
    );
    let conflict = client
        .define_stream::<BoilerDataConflict>()
        .await
        .unwrap_err();
    assert_eq!(conflict.status(), Some(409), "{conflict}");
    assert!(
        conflict.to_string().contains("different fields"),
        "{conflict}"
    );

    assert_eq!(
        client.define_stream::<BoilerDataV2>().await.unwrap(),
        DefineOutcome::Upgraded {
            from: Version(1),
            to: Version(2),
            // `temperature` went from float to integer: version 1
            // publishers' fractions are refused; `pressure` is new.
            class: Compatibility::BreaksPublishers,
        }
    );
    let lower = client.define_stream::<BoilerData>().await.unwrap_err();
    assert_eq!(lower.status(), Some(400), "{lower}");
    assert!(
        lower
            .to_string()
            .contains("there is already an older version defined [2]"),
        "{lower}"
    );
    assert!(lower.is_retry_safe());

    // A definition without a name cannot say which stream it is for.
    let mut nameless = BoilerData::definition();
    nameless.name = None;
    assert!(matches!(
        client.define_schema(&nameless).await,
        Err(RequestError::NotSent(NotSent::Argument(_)))
    ));
}

#[tokio::test]
async fn describe_versions_and_drift() {
    let server = start().await;
    let client = admin(&server);
    assert_eq!(client.describe_stream("boiler_data").await.unwrap(), None);
    let check = client.check_schema::<BoilerData>().await.unwrap();
    assert!(check.is_missing() && !check.matches());

    client.define_stream::<BoilerData>().await.unwrap();
    let described = client
        .describe_stream("boiler_data")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(described, BoilerData::definition());
    assert_eq!(
        client
            .schema_versions_vector(&["boiler_data", "nothing_here"])
            .await
            .unwrap(),
        vec![Some(Version(1)), None]
    );
    assert!(client.check_schema::<BoilerData>().await.unwrap().matches());

    // The compiled type moved on while the server kept version 1.
    let drift = client.check_schema::<BoilerDataV2>().await.unwrap();
    assert!(!drift.matches());
    assert_eq!(drift.diff.version, Some((Version(1), Version(2))));
    let paths: Vec<&str> = drift.diff.changes.iter().map(FieldChange::path).collect();
    assert_eq!(paths, ["pressure", "temperature"]);
    assert!(
        drift
            .to_string()
            .contains("~ temperature: float -> integer"),
        "{drift}"
    );

    let bad = client.describe_stream("no spaces").await.unwrap_err();
    assert!(
        matches!(bad, RequestError::NotSent(NotSent::Argument(_))),
        "{bad}"
    );
}

#[tokio::test]
async fn invalid_values_are_refused_before_any_byte_is_sent() {
    let server = start().await;
    let admin = admin(&server);
    admin.define_stream::<BoilerData>().await.unwrap();
    let mut sub = admin.subscribe::<BoilerData>().await.unwrap();

    let proxy = Proxy::start(server.local_addr()).await;
    let client = builder_for(proxy.addr)
        .basic(ADMIN.0, ADMIN.1)
        .build()
        .unwrap();

    let mut bad = reading(1);
    bad.mode = "off".into();
    let err = client.publish(&bad).await.unwrap_err();
    let errors = err.validation_errors().expect("a local validation error");
    assert_eq!(errors.paths(), ["mode"]);
    assert!(err.is_retry_safe());

    let err = client
        .publish_batch(&[reading(1), reading(2), bad.clone()])
        .await
        .unwrap_err();
    assert_eq!(err.validation_errors().unwrap().paths(), ["[2].mode"]);

    let err = client.publish_batch::<BoilerData>(&[]).await.unwrap_err();
    assert!(matches!(err, RequestError::NotSent(NotSent::Argument(_))));

    let err = client
        .publish_json("boiler_data", &json!([1, 2]))
        .await
        .unwrap_err();
    assert!(err.validation_errors().is_some(), "{err}");

    let validator = Validator::new(&BoilerData::definition());
    let err = client
        .publish_json_validated(
            "boiler_data",
            &json!({"seq": 1, "temperature": "hot"}),
            &validator,
        )
        .await
        .unwrap_err();
    assert_eq!(err.validation_errors().unwrap().paths(), ["temperature"]);

    // Nothing reached the server: not even a connection was opened.
    assert_eq!(proxy.connections(), 0);
    assert_eq!(proxy.bytes_up(), 0);

    // The same path carries a valid publish, which the subscriber receives.
    client.publish(&reading(7)).await.unwrap();
    assert_eq!(proxy.connections(), 1);
    assert_eq!(next_ok(&mut sub).await, reading(7));
}

#[tokio::test]
async fn batches_json_and_server_side_rejections() {
    let server = start().await;
    let client = admin(&server);
    client.define_stream::<BoilerData>().await.unwrap();
    let mut sub = client.subscribe_json("boiler_data").await.unwrap();

    client
        .publish_batch(&[reading(1), reading(2)])
        .await
        .unwrap();
    assert_eq!(next_ok(&mut sub).await["seq"], 1);
    assert_eq!(next_ok(&mut sub).await["seq"], 2);

    client
        .publish_json("boiler_data", &serde_json::to_value(reading(3)).unwrap())
        .await
        .unwrap();
    assert_eq!(next_ok(&mut sub).await["seq"], 3);

    // Unchecked JSON goes to the server, which rejects it with its errors list.
    let err = client
        .publish_json(
            "boiler_data",
            &json!({"seq": 1.5, "mode": "off", "extra": true}),
        )
        .await
        .unwrap_err();
    match &err {
        RequestError::Rejected {
            status,
            message,
            errors,
        } => {
            assert_eq!(*status, 400);
            assert!(message.contains("boiler_data"), "{message}");
            let mut paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
            paths.sort_unstable();
            assert_eq!(paths, ["extra", "mode", "seq"]);
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
    assert!(err.is_retry_safe() && !err.is_transient());

    let err = client
        .publish_json("no_schema_here", &json!({"a": 1}))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404), "{err}");
}

#[tokio::test]
async fn large_bodies_are_gzipped_and_accepted() {
    let server = start().await;
    let client = builder_for(server.local_addr())
        .basic(ADMIN.0, ADMIN.1)
        .gzip_threshold(64)
        .build()
        .unwrap();
    client.define_stream::<BoilerData>().await.unwrap();
    let mut sub = client.subscribe::<BoilerData>().await.unwrap();
    let mut big = reading(9);
    big.tags = (0..2000).map(|i| format!("tag-{i}")).collect();
    client.publish(&big).await.unwrap();
    assert_eq!(next_ok(&mut sub).await, big);

    // Compression shrinks what goes over the wire.
    let proxy = Proxy::start(server.local_addr()).await;
    let via = |threshold| {
        builder_for(proxy.addr)
            .basic(ADMIN.0, ADMIN.1)
            .gzip_threshold(threshold)
            .build()
            .unwrap()
    };
    via(usize::MAX).publish(&big).await.unwrap();
    let plain = proxy.bytes_up();
    via(64).publish(&big).await.unwrap();
    let gzipped = proxy.bytes_up() - plain;
    assert!(gzipped * 3 < plain, "gzip {gzipped} bytes, plain {plain}");
    assert_eq!(next_ok(&mut sub).await, big);
    assert_eq!(next_ok(&mut sub).await, big);
}

#[tokio::test]
async fn connections_are_reused() {
    let server = start().await;
    let proxy = Proxy::start(server.local_addr()).await;
    let client = builder_for(proxy.addr)
        .basic(ADMIN.0, ADMIN.1)
        .build()
        .unwrap();
    client.define_stream::<BoilerData>().await.unwrap();
    for i in 0..10 {
        client.publish(&reading(i)).await.unwrap();
    }
    assert_eq!(proxy.connections(), 1);
}

#[tokio::test]
async fn administration() {
    let server = start().await;
    let admin = admin(&server);
    let addr = server.local_addr();

    // Clients: create, use, rotate, delete.
    let created = admin.create_client("worker", "does work").await.unwrap();
    assert_eq!(created.client_id, "worker");
    assert!(!format!("{created:?}").contains(&created.secret));
    let worker = builder_for(addr)
        .basic("worker", created.secret.clone())
        .build()
        .unwrap();
    worker.define_stream::<BoilerData>().await.unwrap();
    let rotated = worker.rotate_secret().await.unwrap();
    assert_ne!(rotated.secret, created.secret);
    let stale = worker.describe_stream("boiler_data").await.unwrap_err();
    assert_eq!(stale.status(), Some(401), "{stale}");
    let worker = builder_for(addr)
        .basic("worker", rotated.secret)
        .build()
        .unwrap();
    assert!(worker
        .describe_stream("boiler_data")
        .await
        .unwrap()
        .is_some());
    let dup = admin.create_client("worker", "").await.unwrap_err();
    assert_eq!(dup.status(), Some(409), "{dup}");
    admin.delete_client("worker").await.unwrap();
    assert_eq!(
        worker
            .describe_stream("boiler_data")
            .await
            .unwrap_err()
            .status(),
        Some(401)
    );

    // JWT public key: set and remove.
    admin.rotate_jwt_public_key(Some(JWT_PUBLIC)).await.unwrap();
    admin.rotate_jwt_public_key(None).await.unwrap();
    let bad_key = admin
        .rotate_jwt_public_key(Some("not a key"))
        .await
        .unwrap_err();
    assert_eq!(bad_key.status(), Some(400), "{bad_key}");

    // Jails: create, whose client works in its own jail only, then delete.
    let jail = admin
        .create_jail("tenant", "Tenant", "tenant-app")
        .await
        .unwrap();
    assert_eq!(jail.new_jail_id, "tenant");
    let tenant = builder_for(addr)
        .basic("tenant-app", jail.new_client_secret.clone())
        .build()
        .unwrap();
    assert_eq!(tenant.describe_stream("boiler_data").await.unwrap(), None);
    let denied = tenant.create_jail("other", "Other", "x").await.unwrap_err();
    assert_eq!(denied.status(), Some(403), "{denied}");
    admin.delete_jail("tenant").await.unwrap();
    assert_eq!(
        tenant
            .describe_stream("boiler_data")
            .await
            .unwrap_err()
            .status(),
        Some(401)
    );

    // Bad ids never leave the process.
    assert!(matches!(
        admin.delete_client("a/b").await,
        Err(RequestError::NotSent(NotSent::Argument(_)))
    ));
}

#[tokio::test]
async fn wrong_credentials_and_jwt_credentials_over_http() {
    let server = start().await;
    let wrong = builder_for(server.local_addr())
        .basic(ADMIN.0, "wrong")
        .build()
        .unwrap();
    let err = wrong.describe_stream("boiler_data").await.unwrap_err();
    match err {
        RequestError::Rejected {
            status, message, ..
        } => {
            assert_eq!(status, 401);
            assert_eq!(
                message,
                "The credentials are present and well formed but invalid."
            );
        }
        other => panic!("{other:?}"),
    }
    let bearer = builder_for(server.local_addr())
        .jwt(ADMIN.0, "a.b.c")
        .build()
        .unwrap();
    let err = bearer.publish(&reading(1)).await.unwrap_err();
    assert!(
        matches!(&err, RequestError::NotSent(NotSent::Argument(m)) if m.contains("basic credentials")),
        "{err}"
    );
}

/// A local port with nothing listening.
async fn closed_port() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    addr
}

#[tokio::test]
async fn connection_refused_is_not_sent() {
    let addr = closed_port().await;
    let client = builder_for(addr)
        .basic(ADMIN.0, ADMIN.1)
        .read_retries(0)
        .build()
        .unwrap();
    let err = client.publish(&reading(1)).await.unwrap_err();
    assert!(
        matches!(err, RequestError::NotSent(NotSent::Connect { .. })),
        "{err:?}"
    );
    assert!(err.is_retry_safe() && err.is_transient());
}

/// What a scripted HTTP server does with one connection.
#[derive(Clone, Copy)]
enum Act {
    /// Reads the request, then closes without answering.
    Hangup,
    /// Answers 200 with this JSON body.
    Ok(&'static str),
    /// Answers with a status and a plain-text body.
    Status(u16, &'static str),
}

/// An HTTP server that handles connection `i` with `script[i]` (the last
/// entry repeats), and counts connections.
async fn scripted(script: Vec<Act>) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let c = count.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let i = c.fetch_add(1, Ordering::SeqCst);
            let act = script[i.min(script.len() - 1)];
            tokio::spawn(async move {
                // Read the head and the body (Content-Length), bounded.
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let Ok(n) = sock.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len = text[..end]
                            .lines()
                            .find_map(|l| {
                                let (k, v) = l.split_once(':')?;
                                k.eq_ignore_ascii_case("content-length")
                                    .then(|| v.trim().parse::<usize>().ok())?
                            })
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + len || buf.len() > 1 << 20 {
                            break;
                        }
                    }
                }
                let answer = match act {
                    Act::Hangup => return,
                    Act::Ok(body) => format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    ),
                    Act::Status(code, body) => format!(
                        "HTTP/1.1 {code} Oops\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    ),
                };
                let _ = sock.write_all(answer.as_bytes()).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    (addr, count)
}

fn scripted_client(addr: SocketAddr) -> Client {
    builder_for(addr).basic(ADMIN.0, ADMIN.1).build().unwrap()
}

#[tokio::test]
async fn a_hangup_after_sending_is_unknown_and_publish_is_not_retried() {
    let (addr, count) = scripted(vec![Act::Hangup, Act::Ok("{}")]).await;
    let client = scripted_client(addr);
    let err = client.publish(&reading(1)).await.unwrap_err();
    assert!(
        matches!(
            err,
            RequestError::Unknown {
                operation: "publish",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.is_retry_safe());
    assert_eq!(count.load(Ordering::SeqCst), 1, "publish must not retry");
}

#[tokio::test]
async fn reads_retry_transient_failures() {
    let definition = BoilerData::definition().to_value().to_string();
    let body: &'static str = Box::leak(definition.into_boxed_str());
    let (addr, count) = scripted(vec![Act::Hangup, Act::Status(503, "busy"), Act::Ok(body)]).await;
    let client = scripted_client(addr);
    let def: SchemaDefinition = client
        .describe_stream("boiler_data")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(def, BoilerData::definition());
    assert_eq!(count.load(Ordering::SeqCst), 3);

    // A non-JSON error answer still gives status and text; 4xx is not retried.
    let (addr, count) = scripted(vec![Act::Status(418, "short and stout")]).await;
    let err = scripted_client(addr)
        .describe_stream("boiler_data")
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            RequestError::Rejected { status: 418, message, errors } if message == "short and stout" && errors.is_empty()
        ),
        "{err:?}"
    );
    assert_eq!(count.load(Ordering::SeqCst), 1);

    // An unreadable success answer is an unknown outcome, not a panic.
    let (addr, _) = scripted(vec![Act::Ok("{\"versionsVector\": 12}")]).await;
    let err = scripted_client(addr)
        .schema_versions_vector(&["a"])
        .await
        .unwrap_err();
    assert!(matches!(err, RequestError::Unknown { .. }), "{err:?}");
}
