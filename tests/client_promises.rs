//! The client's promises, checked as a user relies on them, through the
//! `streamsea` facade: retry safety from the route table, one validator per
//! type, errors with causes and predicates, configuration refused at build
//! time, and "no schema" only from stream-sea itself.

use std::error::Error as _;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize, Serializer};
use streamsea::server::{Server, ServerHandle};
use streamsea::{Client, ClientBuilder, Date, RequestError, StreamExt, StreamSchema};
// Test data only (a certificate and its key): the API is used through
// `streamsea::` alone.
use streamsea_testkit::fixtures::{TLS_CERT, TLS_KEY};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const ID: &str = "app";
const SECRET: &str = "app-secret";
/// The longest any step of these tests waits.
const WAIT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "readings", version = 1)]
struct Reading {
    seq: i64,
    at: Date,
}

fn reading(seq: i64) -> Reading {
    Reading {
        seq,
        at: Date::from_unix(1_700_000_000 + seq).unwrap(),
    }
}

async fn server() -> ServerHandle {
    Server::builder()
        .bind("127.0.0.1:0".parse().unwrap())
        .client(ID, SECRET)
        .start()
        .await
        .unwrap()
}

fn builder(addr: SocketAddr) -> ClientBuilder {
    Client::builder()
        .host("127.0.0.1")
        .port(addr.port())
        .request_timeout(WAIT)
}

fn client(addr: SocketAddr) -> Client {
    builder(addr).basic(ID, SECRET).build().unwrap()
}

/// An HTTP server that answers every request with one fixed answer, and
/// counts the requests. `None`: read the request, never answer.
async fn foreign(
    answer: Option<(u16, &'static str, &'static str)>,
) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                if !read_request(&mut sock).await {
                    return;
                }
                counter.fetch_add(1, Ordering::SeqCst);
                let Some((status, content_type, body)) = answer else {
                    // Hold the connection open without answering.
                    let _ = sock.read(&mut [0u8; 1]).await;
                    return;
                };
                let text = format!(
                    "HTTP/1.1 {status} Answer\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(text.as_bytes()).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    (addr, count)
}

/// Reads one request (head and a `content-length` body, at most 1 MiB).
async fn read_request(sock: &mut tokio::net::TcpStream) -> bool {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match sock.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        let text = String::from_utf8_lossy(&buf);
        if let Some(end) = text.find("\r\n\r\n") {
            let len = text[..end]
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return true;
            }
        }
        if buf.len() > 1 << 20 {
            return false;
        }
    }
}

// ---- retry class from the route table -----------------------------------

#[tokio::test]
async fn a_5xx_to_a_publish_is_an_unknown_outcome_that_is_not_retry_safe() {
    let body = r#"{"message": "The change was made but the state file could not be written"}"#;
    let (addr, count) = foreign(Some((500, "application/json", body))).await;
    let err = client(addr).publish(&reading(1)).await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert!(!err.is_retry_safe(), "{err:?}");
    assert_eq!(err.status(), Some(500));
    assert!(err.to_string().contains("state file"), "{err}");
    assert_eq!(
        count.load(Ordering::SeqCst),
        1,
        "a publish is never repeated"
    );

    // A proxy's 502 or 504 page: the same.
    for status in [502, 504] {
        let (addr, count) = foreign(Some((status, "text/html", "<h1>Bad Gateway</h1>"))).await;
        let err = client(addr)
            .publish_batch(&[reading(1), reading(2)])
            .await
            .unwrap_err();
        assert!(err.is_outcome_unknown() && !err.is_retry_safe(), "{err:?}");
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }
}

#[tokio::test]
async fn the_servers_own_500_after_a_change_is_an_unknown_outcome() {
    let dir = std::env::temp_dir().join(format!(
        "streamsea-promises-{}-{}",
        std::process::id(),
        line!()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let server = Server::builder()
        .bind("127.0.0.1:0".parse().unwrap())
        .client(ID, SECRET)
        .state_file(dir.join("state.json"))
        .start()
        .await
        .unwrap();
    // From now on the state file cannot be written: changes answer 500.
    std::fs::remove_dir_all(&dir).unwrap();
    let client = client(server.local_addr());

    let err = client.create_client("other", "").await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_eq!(err.status(), Some(500));
    assert!(!err.is_retry_safe(), "its secret would be lost: {err:?}");

    // Defining is idempotent: repeating it cannot duplicate anything.
    let err = client.define_stream::<Reading>().await.unwrap_err();
    assert!(err.is_outcome_unknown() && err.is_retry_safe(), "{err:?}");

    // Reads are retried and answer. The server applies a change only once it
    // is on disk, so after that 500 nothing was defined.
    assert!(client.describe_stream("readings").await.unwrap().is_none());
}

#[tokio::test]
async fn reads_are_retried_writes_are_not() {
    let (addr, count) = foreign(Some((503, "text/plain", "busy"))).await;
    let c = builder(addr)
        .basic(ID, SECRET)
        .read_retries(2)
        .build()
        .unwrap();
    let err = c.describe_stream("readings").await.unwrap_err();
    assert!(err.is_rejected() && err.is_transient(), "{err:?}");
    assert_eq!(count.load(Ordering::SeqCst), 3, "one call and two retries");

    let (addr, count) = foreign(Some((503, "text/plain", "busy"))).await;
    let c = builder(addr)
        .basic(ID, SECRET)
        .read_retries(2)
        .build()
        .unwrap();
    let err = c.delete_jail("j1").await.unwrap_err();
    assert!(err.is_outcome_unknown() && err.is_retry_safe(), "{err:?}");
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

// ---- a validator per type ----------------------------------------------

#[derive(Debug, Serialize, StreamSchema)]
#[stream_schema(name = "shared", version = 1)]
struct A {
    a: Date,
}

#[derive(Debug, Serialize, StreamSchema)]
#[stream_schema(name = "shared", version = 1)]
struct B {
    b: String,
}

#[tokio::test]
async fn two_types_of_one_stream_and_version_are_each_checked_against_their_own_schema() {
    let (addr, count) = foreign(Some((200, "application/json", "{}"))).await;
    let a = A {
        a: Date::from_unix(0).unwrap(),
    };
    let b = B { b: "text".into() };
    let c = client(addr);
    c.publish(&a).await.unwrap();
    c.publish(&b).await.unwrap();
    c.publish_batch(std::slice::from_ref(&a)).await.unwrap();
    // The other order, on a fresh client.
    let c = client(addr);
    c.publish(&b).await.unwrap();
    c.publish(&a).await.unwrap();
    assert_eq!(count.load(Ordering::SeqCst), 5);
}

/// A value whose JSON is a string, declared as a float: only the schema
/// check of the serialized bytes can see it.
#[derive(Debug)]
struct Mislabelled;

impl Serialize for Mislabelled {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("not a number")
    }
}

#[derive(Debug, Serialize, StreamSchema)]
#[stream_schema(name = "mislabelled", version = 1)]
struct Declared {
    #[stream_schema(type = "float")]
    value: Mislabelled,
}

#[tokio::test]
async fn the_schema_check_reads_the_bytes_that_are_sent() {
    let (addr, count) = foreign(Some((200, "application/json", "{}"))).await;
    let err = client(addr)
        .publish(&Declared { value: Mislabelled })
        .await
        .unwrap_err();
    assert!(err.is_invalid() && err.is_not_sent(), "{err:?}");
    assert_eq!(err.validation_errors().unwrap().paths(), ["value"]);
    let err = client(addr)
        .publish_batch(&[Declared { value: Mislabelled }])
        .await
        .unwrap_err();
    assert_eq!(err.validation_errors().unwrap().paths(), ["[0].value"]);
    assert_eq!(count.load(Ordering::SeqCst), 0, "nothing was sent");

    // Without the full check, the type's own validate() is all there is.
    let unchecked = builder(addr)
        .basic(ID, SECRET)
        .full_validation(false)
        .build()
        .unwrap();
    unchecked
        .publish(&Declared { value: Mislabelled })
        .await
        .unwrap();
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

// ---- errors with causes and predicates ------------------------------------

/// True when `err`'s source chain holds an I/O error of `kind`.
fn chain_has_io(err: &RequestError, kind: std::io::ErrorKind) -> bool {
    let mut next = err.source();
    while let Some(e) = next {
        if e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == kind)
        {
            return true;
        }
        next = e.source();
    }
    false
}

#[tokio::test]
async fn a_refused_connection_says_so_and_keeps_its_cause() {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    let err = client(addr).publish(&reading(1)).await.unwrap_err();
    assert!(err.is_connection_refused(), "{err:?}");
    assert!(err.is_not_sent() && err.is_retry_safe() && err.is_transient());
    assert!(!err.is_timeout() && !err.is_tls() && !err.is_dns());
    assert!(
        chain_has_io(&err, std::io::ErrorKind::ConnectionRefused),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_timeout_after_sending_a_publish_is_an_unknown_outcome() {
    let (addr, count) = foreign(None).await;
    let c = builder(addr)
        .basic(ID, SECRET)
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = c.publish(&reading(1)).await.unwrap_err();
    assert!(err.is_timeout() && err.is_outcome_unknown(), "{err:?}");
    assert!(!err.is_retry_safe());
    assert!(err.source().is_some());
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

/// The connection is reset once the whole publish was received: the message
/// may have been published, so the outcome is unknown and it is not retried.
#[tokio::test]
async fn a_reset_after_sending_a_publish_is_an_unknown_outcome() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            if read_request(&mut sock).await {
                counter.fetch_add(1, Ordering::SeqCst);
                // A zero linger turns the close into a reset.
                #[allow(deprecated)]
                let _ = sock.set_linger(Some(Duration::ZERO));
                drop(sock);
            }
        }
    });
    let err = client(addr).publish(&reading(1)).await.unwrap_err();
    assert!(err.is_outcome_unknown() && !err.is_retry_safe(), "{err:?}");
    assert!(!err.is_timeout(), "{err:?}");
    assert_eq!(count.load(Ordering::SeqCst), 1, "a publish is never resent");
}

#[tokio::test]
async fn authentication_and_rejections_are_told_apart() {
    let server = server().await;
    let wrong = builder(server.local_addr())
        .basic(ID, "wrong")
        .build()
        .unwrap();
    let err = wrong.publish(&reading(1)).await.unwrap_err();
    assert!(err.is_authentication() && err.is_rejected(), "{err:?}");
    assert_eq!(err.status(), Some(401));

    // No schema for the stream: stream-sea's own 404.
    let err = client(server.local_addr())
        .publish(&reading(1))
        .await
        .unwrap_err();
    assert!(err.is_rejected() && !err.is_authentication(), "{err:?}");
    assert_eq!(err.status(), Some(404));
    assert!(err.is_retry_safe() && !err.is_outcome_unknown());
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_tls_error() {
    let server = Server::builder()
        .bind("127.0.0.1:0".parse().unwrap())
        .client(ID, SECRET)
        .tls_pem(TLS_CERT, TLS_KEY)
        .start()
        .await
        .unwrap();
    let c = Client::builder()
        .url(format!("https://localhost:{}", server.local_addr().port()))
        .basic(ID, SECRET)
        .build()
        .unwrap();
    let err = c.describe_stream("readings").await.unwrap_err();
    assert!(err.is_tls() && err.is_not_sent(), "{err:?}");
    assert!(err.source().is_some());

    // Trusting the certificate fixes it.
    let c = Client::builder()
        .url(format!("https://localhost:{}", server.local_addr().port()))
        .add_root_certificate_pem(TLS_CERT)
        .basic(ID, SECRET)
        .build()
        .unwrap();
    assert_eq!(c.describe_stream("readings").await.unwrap(), None);
}

// ---- only stream-sea's 404 means "no schema" -------------------------------

#[tokio::test]
async fn only_stream_seas_404_means_no_schema() {
    let server = server().await;
    assert_eq!(
        client(server.local_addr())
            .describe_stream("readings")
            .await
            .unwrap(),
        None
    );
    let c = client(server.local_addr());
    assert!(!c.check_schema::<Reading>().await.unwrap().matches());

    let html = "<html><body><h1>404 Not Found</h1></body></html>";
    let (addr, _) = foreign(Some((404, "text/html", html))).await;
    let err = client(addr).describe_stream("readings").await.unwrap_err();
    assert!(err.is_not_stream_sea(), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("does not speak stream-sea") && text.contains(&addr.to_string()),
        "{text}"
    );
    let err = client(addr).check_schema::<Reading>().await.unwrap_err();
    assert!(err.is_not_stream_sea(), "{err:?}");

    let (addr, _) = foreign(Some((404, "application/json", r#"{"error": "no route"}"#))).await;
    let err = client(addr).describe_stream("readings").await.unwrap_err();
    assert!(err.is_not_stream_sea(), "{err:?}");
    // Another framework's 404 JSON, with a `message` of its own.
    let nest = r#"{"statusCode":404,"message":"Cannot GET /api/v1/streams/readings/schema","error":"Not Found"}"#;
    let (addr, _) = foreign(Some((404, "application/json", nest))).await;
    let err = client(addr).describe_stream("readings").await.unwrap_err();
    assert!(err.is_not_stream_sea(), "{err:?}");

    // A success that is not JSON at all is not stream-sea either.
    let (addr, _) = foreign(Some((200, "text/html", "<html>welcome</html>"))).await;
    let err = client(addr).describe_stream("readings").await.unwrap_err();
    assert!(err.is_not_stream_sea(), "{err:?}");
    // Nor is a page answering a publish, even with 200: the message was not
    // published to stream-sea.
    let err = client(addr)
        .publish_json("readings", &serde_json::json!({"n": 1}))
        .await
        .unwrap_err();
    assert!(err.is_not_stream_sea(), "{err:?}");
    assert!(
        err.to_string().contains("does not speak stream-sea"),
        "{err}"
    );
}

// ---- configuration that cannot be misread ----------------------------------

#[tokio::test]
async fn a_url_is_an_entry_point_and_a_host_with_a_port_is_refused() {
    let server = server().await;
    let c = Client::builder()
        .url(server.http_url())
        .basic(ID, SECRET)
        .build()
        .unwrap();
    c.define_stream::<Reading>().await.unwrap();

    let e = Client::builder()
        .host(server.local_addr().to_string())
        .basic(ID, SECRET)
        .build()
        .unwrap_err();
    let port = server.local_addr().port();
    assert!(
        e.to_string()
            .contains(&format!("host(\"127.0.0.1\").port({port})")),
        "{e}"
    );
    let e = Client::builder()
        .host(server.http_url())
        .basic(ID, SECRET)
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("url("), "{e}");
    let e = Client::builder()
        .url(format!("{}/somewhere", server.http_url()))
        .basic(ID, SECRET)
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("path"), "{e}");
}

#[tokio::test]
async fn duration_max_turns_the_watchdog_off_and_nothing_overflows() {
    let server = server().await;
    let c = builder(server.local_addr())
        .basic(ID, SECRET)
        .silence_timeout(Duration::MAX)
        .connect_timeout(Duration::MAX)
        .build()
        .unwrap();
    c.define_stream::<Reading>().await.unwrap();
    let mut sub = c.subscribe::<Reading>().await.unwrap();
    c.publish(&reading(7)).await.unwrap();
    let got = tokio::time::timeout(WAIT, sub.next()).await.unwrap();
    assert_eq!(got.unwrap().unwrap(), reading(7));

    let c = builder(server.local_addr())
        .basic(ID, SECRET)
        .request_timeout(Duration::MAX)
        .build()
        .unwrap();
    assert!(c.describe_stream("readings").await.unwrap().is_some());
}
