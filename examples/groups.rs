//! Groups: competing consumers share a stream's messages; private groups
//! (the JavaScript client's `fanout`) each receive every message.
//!
//! ```text
//! cargo run --example groups
//! ```

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use streamsea::{Group, StreamExt, StreamSchema, SubscribeOptions, Subscription};

/// A unit of work.
#[derive(Debug, Clone, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "jobs", version = 1)]
struct Job {
    id: i64,
    #[stream_schema(one_of = ["resize", "transcode"])]
    kind: String,
}

/// Reads from every subscription until `total` messages arrived in all, and
/// counts what each one got.
async fn drain(
    subs: &mut [(&str, Subscription<Job>)],
    total: usize,
) -> Result<BTreeMap<String, Vec<i64>>, Box<dyn std::error::Error>> {
    let mut got: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (name, _) in subs.iter() {
        got.insert(name.to_string(), Vec::new());
    }
    let mut received = 0;
    while received < total {
        let next = futures_util::future::select_all(
            subs.iter_mut()
                .map(|(name, s)| Box::pin(async move { (*name, s.next().await) })),
        );
        let ((name, item), _, _) = tokio::time::timeout(Duration::from_secs(10), next)
            .await
            .map_err(|_| "no message within 10 s")?;
        match item {
            Some(Ok(job)) => got.entry(name.to_string()).or_default().push(job.id),
            Some(Err(e)) => return Err(e.into()),
            None => return Err(format!("subscription {name} ended").into()),
        }
        received += 1;
    }
    Ok(got)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let setup = common::Setup::new().await?;
    let client = setup.builder.clone().build()?;
    client.define_stream::<Job>().await?;
    let jobs = 10;
    let publish_all = || async {
        for id in 0..jobs {
            let kind = if id % 2 == 0 { "resize" } else { "transcode" };
            client
                .publish(&Job {
                    id,
                    kind: kind.into(),
                })
                .await?;
        }
        Ok::<_, streamsea::RequestError>(())
    };

    // Competing consumers: two workers in the client's default group share
    // the work, round-robin.
    let mut workers = vec![
        ("worker-a", client.subscribe::<Job>().await?),
        ("worker-b", client.subscribe::<Job>().await?),
    ];
    publish_all().await?;
    let split = drain(&mut workers, jobs as usize).await?;
    println!("default group, {jobs} jobs shared by two workers:");
    for (name, ids) in &split {
        println!("  {name} got {} jobs: {ids:?}", ids.len());
    }
    drop(workers);

    // Fanout: each dashboard is in a private group and sees every job.
    let private = || SubscribeOptions::new().group(Group::Private);
    let mut dashboards = vec![
        (
            "dashboard-1",
            client.subscribe_with::<Job>(private()).await?,
        ),
        (
            "dashboard-2",
            client.subscribe_with::<Job>(private()).await?,
        ),
    ];
    publish_all().await?;
    let copies = drain(&mut dashboards, 2 * jobs as usize).await?;
    println!("private groups, {jobs} jobs:");
    for (name, ids) in &copies {
        println!("  {name} got {} jobs", ids.len());
    }
    drop(dashboards);

    // A named group: subscriptions naming the same UUID share its messages.
    let group = Group::Named("6f1c2a9e-3b7d-4e2a-9c1f-8a7b6c5d4e3f".into());
    let named = || SubscribeOptions::new().group(group.clone());
    let mut pool = vec![
        ("pool-1", client.subscribe_with::<Job>(named()).await?),
        ("pool-2", client.subscribe_with::<Job>(named()).await?),
        ("pool-3", client.subscribe_with::<Job>(named()).await?),
    ];
    publish_all().await?;
    let shared = drain(&mut pool, jobs as usize).await?;
    println!("named group, {jobs} jobs shared by three subscriptions:");
    for (name, ids) in &shared {
        println!("  {name} got {} jobs: {ids:?}", ids.len());
    }
    drop(pool);

    drop(client);
    setup.finish().await;
    Ok(())
}
