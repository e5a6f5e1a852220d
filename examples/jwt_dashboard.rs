//! A read-only dashboard: the service signs a JWT with a filter, and the
//! bearer subscribes with it, receiving only the messages the filter lets
//! through. The bearer holds no secret and cannot publish.
//!
//! ```text
//! cargo run --example jwt_dashboard
//! ```

mod common;

use std::time::Duration;

use serde::{Deserialize, Serialize};
use streamsea::jwt::{self, Claims};
use streamsea::{Filter, StreamExt, StreamSchema};

/// A temperature sample of one site.
#[derive(Debug, Clone, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "site_temperatures", version = 1)]
struct SiteTemperature {
    site: String,
    celsius: f64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let setup = common::Setup::new().await?;
    let service = setup.builder.clone().build()?;
    service.define_stream::<SiteTemperature>().await?;

    // The service registers its public key once; the private key stays with it.
    let keys =
        tokio::task::spawn_blocking(|| jwt::generate_key_pair(jwt::DEFAULT_KEY_BITS)).await??;
    service
        .rotate_jwt_public_key(Some(keys.public_pem()))
        .await?;
    println!(
        "registered a JWT public key for client `{}`",
        service.client_id()
    );

    // A token for one hour, every subscription in a group of its own, and only
    // the messages of site "oslo".
    let claims = Claims {
        exp: jwt::expires_in(Duration::from_secs(3600)),
        must_fanout: true,
        filter: Some(Filter::path("site").eq(Filter::string("oslo"))),
    };
    let token = jwt::sign(&claims, keys.private_pem())?;
    println!(
        "signed a dashboard token ({} bytes) with filter site == \"oslo\"",
        token.len()
    );

    // The dashboard: a client of the same server that holds only the issuing
    // client's id and the token (`jwt` replaces the secret).
    let dashboard = setup
        .builder
        .clone()
        .jwt(service.client_id(), token)
        .build()?;
    let mut sub = dashboard.subscribe::<SiteTemperature>().await?;

    for (site, celsius) in [
        ("oslo", 3.5),
        ("bergen", 7.0),
        ("oslo", 4.0),
        ("tromso", -2.5),
        ("oslo", 4.5),
    ] {
        service
            .publish(&SiteTemperature {
                site: site.into(),
                celsius,
            })
            .await?;
    }
    println!("published 5 samples from three sites");

    for _ in 0..3 {
        match tokio::time::timeout(Duration::from_secs(10), sub.next()).await {
            Ok(Some(Ok(t))) => println!("dashboard received {}: {:.1} °C", t.site, t.celsius),
            Ok(Some(Err(e))) => return Err(e.into()),
            Ok(None) => return Err("the dashboard's subscription ended".into()),
            Err(_) => return Err("no sample arrived within 10 s".into()),
        }
    }
    // Nothing else may arrive: the other sites were filtered out.
    if let Ok(Some(extra)) = tokio::time::timeout(Duration::from_millis(300), sub.next()).await {
        return Err(format!("the filter let through {extra:?}").into());
    }
    println!("the samples of bergen and tromso were withheld by the filter");

    // A bearer is read-only: the HTTP API takes Basic credentials only.
    match dashboard
        .publish(&SiteTemperature {
            site: "oslo".into(),
            celsius: 99.0,
        })
        .await
    {
        Err(e) => println!("the dashboard cannot publish: {e}"),
        Ok(()) => return Err("a JWT bearer could publish".into()),
    }

    drop(sub);
    drop(dashboard);
    drop(service);
    setup.finish().await;
    Ok(())
}
