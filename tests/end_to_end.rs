//! The toolkit as a user meets it, through `streamsea::` only: derive a
//! payload type, register it, publish, subscribe, check for drift, hand a
//! filtered JWT to a read-only subscriber, share or fan out messages with
//! groups, and ride out a server restart. Each test starts the local server
//! (feature `server`) in this process on a free loopback port.

use std::net::SocketAddr;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use streamsea::jwt::{self, Claims};
use streamsea::server::{Server, ServerHandle};
use streamsea::{
    Client, ClientBuilder, Date, DefineOutcome, Filter, Group, Interruption, ReconnectPolicy,
    StreamExt, StreamSchema, SubscribeError, SubscribeOptions, Subscription,
};

/// The bound of any single wait: a hang fails the test.
const WAIT: Duration = Duration::from_secs(20);
const APP: (&str, &str) = ("app", "app-secret");

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, StreamSchema)]
#[serde(rename_all = "snake_case")]
enum Mode {
    Idle,
    Heating,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
struct Reading {
    #[stream_schema(one_of = ["t1", "t2"])]
    sensor: String,
    value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "boiler_data", version = 2)]
#[serde(rename_all = "camelCase")]
struct BoilerData {
    site: String,
    seq: i64,
    temperature: f64,
    measured_at: Date,
    mode: Mode,
    readings: Vec<Reading>,
}

/// The same stream as the server knows it after someone else changed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "boiler_data", version = 3)]
struct BoilerDataV3 {
    site: String,
    seq: i64,
    pressure: i64,
}

fn reading(site: &str, seq: i64) -> BoilerData {
    BoilerData {
        site: site.into(),
        seq,
        temperature: 60.0 + seq as f64 / 8.0,
        measured_at: Date::from_unix(1_700_000_000 + seq).expect("a date in range"),
        mode: if seq % 2 == 0 {
            Mode::Idle
        } else {
            Mode::Heating
        },
        readings: vec![Reading {
            sensor: "t1".into(),
            value: -428014.17085322476,
        }],
    }
}

async fn start_on(addr: SocketAddr) -> ServerHandle {
    Server::builder()
        .bind(addr)
        .client(APP.0, APP.1)
        .start()
        .await
        .expect("the server starts")
}

fn builder(server: &ServerHandle) -> ClientBuilder {
    Client::builder()
        .host("127.0.0.1")
        .port(server.local_addr().port())
        .request_timeout(WAIT)
        .reconnect(
            ReconnectPolicy::default()
                .initial_delay(Duration::from_millis(20))
                .max_delay(Duration::from_millis(200)),
        )
}

fn app(server: &ServerHandle) -> Client {
    builder(server)
        .basic(APP.0, APP.1)
        .build()
        .expect("a valid configuration")
}

/// The next item of a subscription, within [`WAIT`].
async fn next<T: serde::de::DeserializeOwned>(
    sub: &mut Subscription<T>,
) -> Result<T, SubscribeError> {
    tokio::time::timeout(WAIT, sub.next())
        .await
        .expect("an item within the wait")
        .expect("the subscription goes on")
}

#[tokio::test]
async fn define_publish_subscribe_round_trip() {
    let server = start_on(([127, 0, 0, 1], 0).into()).await;
    let client = app(&server);

    assert!(matches!(
        client.define_stream::<BoilerData>().await.unwrap(),
        DefineOutcome::Created { .. }
    ));
    assert!(matches!(
        client.define_stream::<BoilerData>().await.unwrap(),
        DefineOutcome::Unchanged { .. }
    ));
    let mut sub = client.subscribe::<BoilerData>().await.unwrap();
    for seq in 0..20 {
        client.publish(&reading("oslo", seq)).await.unwrap();
    }
    client
        .publish_batch(&(20..40).map(|s| reading("oslo", s)).collect::<Vec<_>>())
        .await
        .unwrap();
    for seq in 0..40 {
        // Every field arrives as sent, floats bit for bit.
        assert_eq!(next(&mut sub).await.unwrap(), reading("oslo", seq));
    }

    // An invalid value is refused before anything is sent, with its path.
    let mut bad = reading("oslo", 40);
    bad.readings[0].sensor = "t9".into();
    let err = client.publish(&bad).await.unwrap_err();
    assert!(err.to_string().contains("readings[0].sensor"), "{err}");
    client.publish(&reading("oslo", 41)).await.unwrap();
    assert_eq!(next(&mut sub).await.unwrap().seq, 41);
    server.shutdown().await;
}

#[tokio::test]
async fn drift_between_the_type_and_the_server_is_reported() {
    let server = start_on(([127, 0, 0, 1], 0).into()).await;
    let client = app(&server);

    let check = client.check_schema::<BoilerData>().await.unwrap();
    assert!(check.is_missing(), "{check:?}");
    client.define_stream::<BoilerData>().await.unwrap();
    assert!(client.check_schema::<BoilerData>().await.unwrap().matches());

    // Someone upgrades the stream: the old type no longer matches, and the
    // check names what differs.
    assert!(matches!(
        client.define_stream::<BoilerDataV3>().await.unwrap(),
        DefineOutcome::Upgraded { .. }
    ));
    let check = client.check_schema::<BoilerData>().await.unwrap();
    assert!(!check.matches());
    let text = check.to_string();
    assert!(text.contains("pressure"), "{text}");
    assert!(text.contains("temperature"), "{text}");
    server.shutdown().await;
}

#[tokio::test]
async fn a_jwt_subscriber_sees_only_what_its_filter_lets_through() {
    let server = start_on(([127, 0, 0, 1], 0).into()).await;
    let service = app(&server);
    service.define_stream::<BoilerData>().await.unwrap();
    let keys = tokio::task::spawn_blocking(|| jwt::generate_key_pair(jwt::DEFAULT_KEY_BITS))
        .await
        .unwrap()
        .unwrap();
    service
        .rotate_jwt_public_key(Some(keys.public_pem()))
        .await
        .unwrap();
    let token = jwt::sign(
        &Claims {
            exp: jwt::expires_in(Duration::from_secs(600)),
            must_fanout: true,
            filter: Some(Filter::path("site").eq(Filter::string("oslo"))),
        },
        keys.private_pem(),
    )
    .unwrap();

    let dashboard = builder(&server).jwt(APP.0, token).build().unwrap();
    let mut sub = dashboard.subscribe::<BoilerData>().await.unwrap();
    for seq in 0..10 {
        let site = if seq % 2 == 0 { "oslo" } else { "bergen" };
        service.publish(&reading(site, seq)).await.unwrap();
    }
    for seq in (0..10).step_by(2) {
        let got = next(&mut sub).await.unwrap();
        assert_eq!((got.site.as_str(), got.seq), ("oslo", seq));
    }
    // The bearer of the token cannot publish: it holds no secret.
    assert!(dashboard.publish(&reading("oslo", 99)).await.is_err());
    server.shutdown().await;
}

#[tokio::test]
async fn default_groups_share_and_private_groups_fan_out() {
    let server = start_on(([127, 0, 0, 1], 0).into()).await;
    let publisher = app(&server);
    publisher.define_stream::<BoilerData>().await.unwrap();
    // Two instances of one service share the messages; a third, private,
    // subscriber sees every one.
    let (a, b, c) = (app(&server), app(&server), app(&server));
    let mut first = a.subscribe::<BoilerData>().await.unwrap();
    let mut second = b.subscribe::<BoilerData>().await.unwrap();
    let mut all = c
        .subscribe_with::<BoilerData>(SubscribeOptions::new().group(Group::Private))
        .await
        .unwrap();
    const N: i64 = 20;
    for seq in 0..N {
        publisher.publish(&reading("oslo", seq)).await.unwrap();
    }
    let mut seen = Vec::new();
    for _ in 0..N {
        seen.push(next(&mut all).await.unwrap().seq);
    }
    assert_eq!(seen, (0..N).collect::<Vec<_>>());

    // Between them the two sharing instances see each message once.
    let mut shared = Vec::new();
    while shared.len() < N as usize {
        tokio::select! {
            r = next(&mut first) => shared.push(r.unwrap().seq),
            r = next(&mut second) => shared.push(r.unwrap().seq),
        }
    }
    shared.sort_unstable();
    assert_eq!(shared, (0..N).collect::<Vec<_>>());
    server.shutdown().await;
}

#[tokio::test]
async fn a_subscription_resumes_after_a_server_restart() {
    let server = start_on(([127, 0, 0, 1], 0).into()).await;
    let addr = server.local_addr();
    let client = app(&server);
    client.define_stream::<BoilerData>().await.unwrap();
    let mut sub = client.subscribe::<BoilerData>().await.unwrap();
    client.publish(&reading("oslo", 0)).await.unwrap();
    assert_eq!(next(&mut sub).await.unwrap().seq, 0);

    server.shutdown().await;
    let server = start_on(addr).await;
    // The restarted server keeps nothing in memory: register again.
    client.define_stream::<BoilerData>().await.unwrap();
    // Publish until the resumed subscription delivers: messages published
    // before it is back are lost (stream-sea delivers at most once), and the
    // subscription says so with one item before the first message.
    let mut seq = 1;
    let mut interruptions = 0;
    let got = loop {
        client.publish(&reading("oslo", seq)).await.unwrap();
        match tokio::time::timeout(Duration::from_millis(100), sub.next()).await {
            Ok(Some(Ok(v))) => break v,
            Ok(Some(Err(SubscribeError::Interrupted {
                stream,
                reason: Interruption::Reconnected { .. },
            }))) => {
                assert_eq!(stream, "boiler_data");
                interruptions += 1;
            }
            Ok(Some(Err(e))) => panic!("unexpected error item: {e}"),
            Ok(None) => panic!("the subscription ended"),
            Err(_) => {
                seq += 1;
                assert!(seq < 200, "the subscription never resumed");
            }
        }
    };
    assert_eq!(
        interruptions, 1,
        "one interruption item before the first message"
    );
    assert!(got.seq >= 1);
    server.shutdown().await;
}
