//! `publish` and `subscribe` against an in-process server: subscribers print
//! what `publish` sent, from NDJSON on stdin, files and inline JSON.

mod common;

use common::*;
use serde_json::{json, Value};

const SCHEMA: &str = r#"{"temperature": "float", "seq": "integer", "site": {"name": "string"}}"#;

/// Starts `subscribe` with `extra` arguments and waits until it is subscribed.
async fn subscriber(server: &TestServer, stream: &str, extra: &[&str]) -> Running {
    let mut sub = server
        .cli()
        .args(["subscribe", "--stream", stream])
        .args(extra)
        .spawn();
    sub.wait_for_stderr("subscribed to").await;
    sub
}

fn parse_lines(out: &Output) -> Vec<Value> {
    out.lines()
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}")))
        .collect()
}

#[tokio::test]
async fn subscribe_prints_what_ndjson_publish_sent() {
    let server = start().await;
    server.define("boiler", SCHEMA).await;
    let sub = subscriber(&server, "boiler", &["--count", "3", "--timeout", "30s"]).await;

    let ndjson = "{\"seq\": 1, \"temperature\": 20.5}\n\n{\"seq\": 2, \"site\": {\"name\": \"north\"}}\n{\"seq\": 3}\n";
    let out = server
        .cli()
        .args(["publish", "--stream", "boiler"])
        .stdin(ndjson)
        .run()
        .await
        .success();
    assert_eq!(
        out.stdout.trim(),
        "published 3 messages to `boiler` in 1 request"
    );

    let got = sub.finish().await.success();
    assert_eq!(
        parse_lines(&got),
        vec![
            json!({"seq": 1, "temperature": 20.5}),
            json!({"seq": 2, "site": {"name": "north"}}),
            json!({"seq": 3}),
        ]
    );
}

#[tokio::test]
async fn publish_batches_files_inline_json_and_pretty_stdin() {
    let server = start().await;
    server.define("boiler", SCHEMA).await;
    let sub = subscriber(&server, "boiler", &["--count", "9"]).await;

    // A file of 5 messages in batches of 2: 3 requests.
    let lines: String = (1..=5).map(|i| format!("{{\"seq\": {i}}}\n")).collect();
    let file = server.file("five.ndjson", &lines);
    let out = server
        .cli()
        .args([
            "--output",
            "json",
            "publish",
            "-s",
            "boiler",
            "--batch-size",
            "2",
            "--data",
        ])
        .arg(&file)
        .run()
        .await
        .success();
    assert_eq!(
        out.json(),
        json!({"stream": "boiler", "published": 5, "requests": 3})
    );

    // Inline: an array is a batch.
    let out = server
        .cli()
        .args([
            "publish",
            "-s",
            "boiler",
            "-d",
            r#"[{"seq": 6}, {"seq": 7}]"#,
        ])
        .run()
        .await
        .success();
    assert_eq!(
        out.stdout.trim(),
        "published 2 messages to `boiler` in 1 request"
    );

    // One pretty-printed document on stdin, as the official tool reads it.
    let pretty = "[\n  {\"seq\": 8},\n  {\n    \"seq\": 9\n  }\n]\n";
    server
        .cli()
        .args(["publish", "-s", "boiler", "-d", "-"])
        .stdin(pretty)
        .run()
        .await
        .success();

    let got = sub.finish().await.success();
    let seqs: Vec<i64> = parse_lines(&got)
        .iter()
        .map(|m| m["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs, (1..=9).collect::<Vec<_>>());
}

#[tokio::test]
async fn publish_checks_messages_against_the_schema_first() {
    let server = start().await;
    server.define("boiler", SCHEMA).await;
    let input = "{\"seq\": 1}\n{\"seq\": 2.5, \"site\": {\"nmae\": \"x\"}}\n";

    let out = server
        .cli()
        .args(["publish", "-s", "boiler"])
        .stdin(input)
        .run()
        .await
        .code(1)
        .stderr_has("message 2 of stdin is invalid for stream `boiler`")
        .stderr_has("seq: expected integer")
        .stderr_has("site.nmae: expected only keys the schema declares");
    assert!(out.stdout.is_empty());

    // --output json: the errors with their paths, as JSON on stderr.
    let out = server
        .cli()
        .args(["--output", "json", "publish", "-s", "boiler"])
        .stdin(input)
        .run()
        .await
        .code(1);
    let e = out.stderr_json();
    let paths: Vec<&str> = e["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["seq", "site.nmae"]);

    // Without the local check, the server refuses the batch with its own paths.
    let out = server
        .cli()
        .args([
            "--output",
            "json",
            "publish",
            "-s",
            "boiler",
            "--no-validate",
        ])
        .stdin(input)
        .run()
        .await
        .code(1);
    let e = out.stderr_json();
    assert_eq!(e["status"], 400);
    assert!(
        e["error"].as_str().unwrap().contains("messages 1 to 2"),
        "{e}"
    );
    assert_eq!(e["errors"][0]["path"], "[1].seq");

    // A batch that is sent before the invalid message is read stays published.
    server
        .cli()
        .args(["publish", "-s", "boiler", "--batch-size", "1"])
        .stdin(input)
        .run()
        .await
        .code(1)
        .stderr_has("1 message published before this");
}

#[tokio::test]
async fn publish_refuses_unreadable_input_and_unknown_streams() {
    let server = start().await;
    server.define("boiler", SCHEMA).await;
    let cases: [(&str, &str); 5] = [
        (
            "{\"seq\": 1}\n{\"seq\": ",
            "stdin is not JSON after message 1",
        ),
        (
            "{\"seq\": 1}\n[{\"seq\": 2}, 3]\n",
            "message 3 of stdin (JSON value 2) is not an object: found number 3",
        ),
        ("\"text\"", "is not an object"),
        ("", "no message to publish in stdin"),
        ("  \n\n", "no message to publish in stdin"),
    ];
    for (input, message) in cases {
        server
            .cli()
            .args(["publish", "-s", "boiler"])
            .stdin(input)
            .run()
            .await
            .code(2)
            .stderr_has(message);
    }
    server
        .cli()
        .args(["publish", "-s", "boiler", "-d", "none.json"])
        .run()
        .await
        .code(2)
        .stderr_has("--data: cannot read file `none.json`: no such file");
    server
        .cli()
        .args(["publish", "-s", "boiler", "--batch-size", "0", "-d", "{}"])
        .run()
        .await
        .code(2);
    // No schema: the local check cannot run, and the server would refuse it.
    server
        .cli()
        .args(["publish", "-s", "undefined", "-d", "{}"])
        .run()
        .await
        .code(1)
        .stderr_has("stream `undefined` has no schema");
    server
        .cli()
        .args(["publish", "-s", "undefined", "-d", "{}", "--no-validate"])
        .run()
        .await
        .code(1)
        .stderr_has("rejected by the server (404)");
}

#[tokio::test]
async fn fanout_subscribers_each_get_every_message_and_a_group_shares_them() {
    let server = start().await;
    server.define("s", r#"{"n": "integer"}"#).await;
    let group = "7f0c6a52-3d5e-4b4e-9a3c-1f2e3d4c5b6a";
    let fan_a = subscriber(&server, "s", &["--fanout", "--count", "4"]).await;
    let fan_b = subscriber(&server, "s", &["-f", "--count", "4"]).await;
    let shared_a = subscriber(&server, "s", &["--group", group, "--count", "2"]).await;
    let shared_b = subscriber(&server, "s", &["--group", group, "--count", "2"]).await;

    server
        .cli()
        .args([
            "publish",
            "-s",
            "s",
            "-d",
            r#"[{"n": 1}, {"n": 2}, {"n": 3}, {"n": 4}]"#,
        ])
        .run()
        .await
        .success();

    for sub in [fan_a, fan_b] {
        let out = sub.finish().await.success();
        assert_eq!(out.lines().len(), 4, "{out:?}");
    }
    let mut shared: Vec<Value> = Vec::new();
    for sub in [shared_a, shared_b] {
        let out = sub.finish().await.success();
        shared.extend(parse_lines(&out));
    }
    shared.sort_by_key(|m| m["n"].as_i64());
    assert_eq!(
        shared,
        vec![
            json!({"n": 1}),
            json!({"n": 2}),
            json!({"n": 3}),
            json!({"n": 4})
        ]
    );
}

#[tokio::test]
async fn subscribe_timeouts_and_bad_arguments() {
    let server = start().await;
    // Without --count, --timeout is how long to listen: a normal end.
    let out = server
        .cli()
        .args(["subscribe", "-s", "quiet", "--timeout", "200ms"])
        .run()
        .await
        .success();
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("subscribed to quiet"), "{out:?}");
    // With --count, not getting them all in time is a failure.
    server
        .cli()
        .args([
            "subscribe",
            "-s",
            "quiet",
            "--count",
            "2",
            "--timeout",
            "200ms",
        ])
        .run()
        .await
        .code(1)
        .stderr_has("received 0 of 2 messages from `quiet`");

    server
        .cli()
        .args([
            "subscribe",
            "-s",
            "quiet",
            "--group",
            "not-a-uuid",
            "--timeout",
            "1s",
        ])
        .run()
        .await
        .code(2)
        .stderr_has("not-a-uuid");
    server
        .cli()
        .args([
            "subscribe",
            "-s",
            "q",
            "--fanout",
            "--group",
            "7f0c6a52-3d5e-4b4e-9a3c-1f2e3d4c5b6a",
        ])
        .run()
        .await
        .code(2)
        .stderr_has("cannot be used with");
    server
        .cli()
        .args(["subscribe", "-s", "q", "--count", "0"])
        .run()
        .await
        .code(2);
    server
        .cli()
        .args(["subscribe", "-s", "q", "--timeout", "soon"])
        .run()
        .await
        .code(2);
    server
        .cli()
        .args(["subscribe", "-s", "bad name", "--timeout", "1s"])
        .run()
        .await
        .code(2)
        .stderr_has("invalid stream name");
    server
        .as_client(ADMIN.0, "wrong")
        .args(["subscribe", "-s", "q", "--timeout", "10s"])
        .run()
        .await
        .code(1)
        .stderr_has("authentication failed");
}

#[tokio::test]
async fn subscribe_stops_cleanly_on_sigterm() {
    let server = start().await;
    server.define("s", r#"{"n": "integer"}"#).await;
    let mut sub = subscriber(&server, "s", &[]).await;
    server
        .cli()
        .args(["publish", "-s", "s", "-d", r#"{"n": 1}"#])
        .run()
        .await
        .success();
    assert_eq!(sub.stdout_line().await, r#"{"n":1}"#);
    sub.terminate();
    sub.finish().await.success();
    // Right after it says it is subscribed, too.
    let sub = subscriber(&server, "s", &["--fanout"]).await;
    sub.terminate();
    let out = sub.finish().await.success();
    assert!(out.stdout.is_empty(), "{out:?}");
}

#[tokio::test]
async fn subscribe_ends_quietly_when_its_reader_goes_away() {
    let server = start().await;
    server.define("s", r#"{"n": "integer"}"#).await;
    let mut sub = subscriber(&server, "s", &[]).await;
    server
        .cli()
        .args(["publish", "-s", "s", "-d", r#"{"n": 1}"#])
        .run()
        .await
        .success();
    assert_eq!(sub.stdout_line().await, r#"{"n":1}"#);
    // Like `streamsea subscribe ... | head -1`: the pipe closes.
    let Running {
        mut child,
        stdout,
        mut stderr,
        ..
    } = sub;
    drop(stdout);
    server
        .cli()
        .args(["publish", "-s", "s", "-d", r#"{"n": 2}"#])
        .run()
        .await
        .success();
    let status = tokio::time::timeout(WAIT, child.wait())
        .await
        .unwrap()
        .unwrap();
    let mut said = String::new();
    tokio::io::AsyncReadExt::read_to_string(&mut stderr, &mut said)
        .await
        .unwrap();
    assert_eq!(status.code(), Some(0), "{said}");
    assert!(!said.contains("error"), "{said}");
}

#[tokio::test]
async fn an_interrupted_publish_says_what_was_sent_and_where_to_resume() {
    use tokio::io::AsyncWriteExt;
    let server = start().await;
    server.define("boiler", SCHEMA).await;
    for format in ["text", "json"] {
        let sub = subscriber(&server, "boiler", &["--count", "2"]).await;
        let mut publish = server
            .cli()
            .args([
                "--output",
                format,
                "publish",
                "-s",
                "boiler",
                "--batch-size",
                "1",
            ])
            .piped_stdin()
            .spawn();
        // Held open until the end: the input has not ended when Ctrl-C comes.
        let mut stdin = publish.stdin.take().unwrap();
        stdin
            .write_all(b"{\"seq\": 1}\n{\"seq\": 2}\n")
            .await
            .unwrap();
        stdin.flush().await.unwrap();
        // Both were published once the subscriber has them.
        assert_eq!(sub.finish().await.success().lines().len(), 2);
        publish.interrupt();
        let out = publish.finish().await.code(1);
        drop(stdin);
        if format == "text" {
            assert_eq!(
                out.stdout.trim(),
                "interrupted: published 2 messages to `boiler` in 2 requests (messages 1 to 2 of stdin); 0 read but not sent; resume from message 3"
            );
            assert_eq!(
                out.stderr.trim(),
                "error: publish to `boiler` interrupted after 2 messages"
            );
        } else {
            assert_eq!(
                out.json(),
                json!({"stream": "boiler", "published": 2, "requests": 2, "interrupted": true,
                       "readNotSent": 0, "resumeAt": 3})
            );
            assert_eq!(out.stderr_json()["exitCode"], 1);
        }
    }
}

#[tokio::test]
async fn publish_from_a_terminal_says_how_to_end_and_draws_no_spinner() {
    use tokio::io::AsyncWriteExt;
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: no `script` to give the binary a terminal");
        return;
    }
    let server = start().await;
    server.define("boiler", SCHEMA).await;
    let sub = subscriber(&server, "boiler", &["--count", "1"]).await;
    let command = format!(
        "{BIN} --host 127.0.0.1 --port {} --client-id {} --client-secret {} publish -s boiler",
        server.port(),
        ADMIN.0,
        ADMIN.1
    );
    let mut typing = Cli::program("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .piped_stdin()
        .spawn();
    let mut keyboard = typing.stdin.take().unwrap();
    // A line, then Ctrl-D at the start of the next line: end of input.
    keyboard.write_all(b"{\"seq\": 7}\n").await.unwrap();
    keyboard.flush().await.unwrap();
    assert_eq!(sub.finish().await.success().stdout.trim(), r#"{"seq":7}"#);
    keyboard.write_all(b"\x04").await.unwrap();
    keyboard.flush().await.unwrap();
    let out = typing.finish().await.success();
    drop(keyboard);
    // On a terminal, stdout and stderr both reach `script`'s output.
    assert!(
        out.stdout
            .contains("reading messages from stdin: type JSON objects, then Ctrl-D to end"),
        "{out:?}"
    );
    assert!(
        out.stdout
            .contains("published 1 message to `boiler` in 1 request"),
        "{out:?}"
    );
    assert!(
        !out.stdout.contains("messages published"),
        "a spinner was drawn: {out:?}"
    );

    // Off a terminal (a pipe), no such hint.
    let out = server
        .cli()
        .args(["publish", "-s", "boiler"])
        .stdin("{\"seq\": 8}")
        .run()
        .await
        .success();
    assert!(out.stderr.is_empty(), "{out:?}");
}
