//! Test helpers: an in-process server on 127.0.0.1:0, and the built
//! `streamsea` binary run against it with bounded waits.

#![allow(dead_code, unused_imports)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use streamsea_server::ServerHandle;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStderr, ChildStdout, Command};

pub use streamsea_testkit::fixtures;
pub use streamsea_testkit::{ADMIN, WAIT};

/// Every variable the binary reads, removed so the machine's environment
/// cannot leak into a test.
pub const VARIABLES: [&str; 11] = [
    "STREAMSEA_HOST",
    "STREAMSEA_PORT",
    "STREAMSEA_SECURE",
    "STREAMSEA_CLIENT_ID",
    "STREAMSEA_CLIENT_SECRET",
    "STREAMSEA_JWT",
    "STREAM_SEA_HOST",
    "STREAM_SEA_PORT",
    "STREAM_SEA_CLIENT_ID",
    "STREAM_SEA_CLIENT_SECRET",
    // The logs' level: tests see what a user sees by default.
    "RUST_LOG",
];

/// A server running in this process, and a scratch directory.
pub struct TestServer {
    pub handle: ServerHandle,
    pub dir: tempfile::TempDir,
}

pub async fn start() -> TestServer {
    let handle = streamsea_testkit::start().await;
    TestServer {
        handle,
        dir: tempfile::tempdir().unwrap(),
    }
}

/// A server with these limits, and a scratch directory.
pub async fn start_with(limits: streamsea_server::Limits) -> TestServer {
    let handle = streamsea_testkit::start_with(limits).await;
    TestServer {
        handle,
        dir: tempfile::tempdir().unwrap(),
    }
}

impl TestServer {
    pub fn port(&self) -> String {
        self.handle.local_addr().port().to_string()
    }

    /// The binary with connection flags for `id` and `secret`.
    pub fn as_client(&self, id: &str, secret: &str) -> Cli {
        Cli::new()
            .args(["--host", "127.0.0.1", "--port", &self.port()])
            .args(["--client-id", id, "--client-secret", secret])
            .dir(self.dir.path())
    }

    /// The binary connected as the bootstrap admin.
    pub fn cli(&self) -> Cli {
        self.as_client(ADMIN.0, ADMIN.1)
    }

    /// A file in the scratch directory, written with `text`.
    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Generates a key pair in the scratch directory (`private.pem`,
    /// `public.pem`) and makes its public key the admin client's JWT key.
    pub async fn use_new_jwt_key(&self) {
        Cli::new()
            .dir(self.dir.path())
            .arg("generate-keypair")
            .run()
            .await
            .success();
        self.cli()
            .args(["rotate-jwt", "-k", "public.pem"])
            .run()
            .await
            .success();
    }

    /// A token signed with the scratch directory's `private.pem`, with
    /// `extra` arguments to `sign-jwt`.
    pub async fn sign_jwt(&self, extra: &[&str]) -> String {
        Cli::new()
            .dir(self.dir.path())
            .args(["sign-jwt", "-k", "private.pem"])
            .args(extra)
            .run()
            .await
            .success()
            .stdout
            .trim()
            .to_string()
    }

    /// Defines `stream` with the short-form `schema`, through the binary.
    pub async fn define(&self, stream: &str, schema: &str) {
        self.cli()
            .args(["define", "--stream", stream, "--schema", schema])
            .run()
            .await
            .success();
    }
}

/// One run of the binary, being set up.
pub struct Cli {
    command: Command,
    stdin: Option<Vec<u8>>,
}

/// The binary's path.
pub const BIN: &str = env!("CARGO_BIN_EXE_streamsea");

/// What a finished run printed, and its exit code.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Asserts exit 0.
    #[track_caller]
    pub fn success(self) -> Output {
        assert_eq!(self.code, 0, "expected success: {self:#?}");
        self
    }

    /// Asserts the exit code, and that a failure says why on stderr.
    #[track_caller]
    pub fn code(self, code: i32) -> Output {
        assert_eq!(self.code, code, "expected exit {code}: {self:#?}");
        if code != 0 {
            assert!(
                !self.stderr.trim().is_empty(),
                "a failure without a message: {self:#?}"
            );
        }
        self
    }

    /// Asserts that stderr holds `text`.
    #[track_caller]
    pub fn stderr_has(self, text: &str) -> Output {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}: {self:#?}"
        );
        self
    }

    /// Stdout as one JSON document.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {self:#?}"))
    }

    /// Stderr as one JSON document (failures with `--output json`).
    #[track_caller]
    pub fn stderr_json(&self) -> Value {
        serde_json::from_str(self.stderr.trim())
            .unwrap_or_else(|e| panic!("stderr is not one JSON document ({e}): {self:#?}"))
    }

    /// Stdout's lines.
    pub fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }
}

impl Cli {
    /// The binary with a clean environment (no `STREAMSEA_*` variables).
    pub fn new() -> Cli {
        Cli::program(BIN)
    }

    /// Another program (`script`, to run the binary on a terminal), with
    /// the same clean environment.
    pub fn program(program: &str) -> Cli {
        let mut command = Command::new(program);
        for v in VARIABLES {
            command.env_remove(v);
        }
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        Cli {
            command,
            stdin: None,
        }
    }

    pub fn args<I, S>(mut self, args: I) -> Cli
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.command.args(args);
        self
    }

    pub fn arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> Cli {
        self.command.arg(arg);
        self
    }

    pub fn env(mut self, name: &str, value: &str) -> Cli {
        self.command.env(name, value);
        self
    }

    pub fn dir(mut self, dir: &Path) -> Cli {
        self.command.current_dir(dir);
        self
    }

    /// Feeds `bytes` on stdin.
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Cli {
        self.stdin = Some(bytes.into());
        self.command.stdin(Stdio::piped());
        self
    }

    /// Keeps stdin open as a pipe the test writes to ([`Running::stdin`]).
    pub fn piped_stdin(mut self) -> Cli {
        self.command.stdin(Stdio::piped());
        self
    }

    /// Runs to the end (within [`WAIT`]).
    pub async fn run(mut self) -> Output {
        let mut child = self.command.spawn().unwrap();
        if let Some(bytes) = self.stdin.take() {
            let mut stdin = child.stdin.take().unwrap();
            // Written while the output is read, so that neither pipe can
            // fill up and stall both sides. The binary may stop reading
            // early (a failure): a closed pipe is fine.
            tokio::spawn(async move {
                let _ = stdin.write_all(&bytes).await;
            });
        }
        let out = tokio::time::timeout(WAIT, child.wait_with_output())
            .await
            .expect("the binary did not finish in time")
            .unwrap();
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }

    /// Starts the binary and keeps it running.
    pub fn spawn(mut self) -> Running {
        let mut child = self.command.spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        Running {
            stdin: child.stdin.take(),
            child,
            stdout: BufReader::new(stdout),
            stderr: BufReader::new(stderr),
            stderr_seen: String::new(),
        }
    }
}

/// A binary still running (`subscribe`, `serve`).
pub struct Running {
    pub child: Child,
    /// The pipe to stdin, with [`Cli::piped_stdin`].
    pub stdin: Option<tokio::process::ChildStdin>,
    pub stdout: BufReader<ChildStdout>,
    pub stderr: BufReader<ChildStderr>,
    /// Every stderr line read so far.
    pub stderr_seen: String,
}

impl Running {
    /// Reads stderr until a line holding `text` (within [`WAIT`]); panics
    /// with what was printed when the binary ends first.
    pub async fn wait_for_stderr(&mut self, text: &str) -> String {
        loop {
            let mut line = String::new();
            let n = tokio::time::timeout(WAIT, self.stderr.read_line(&mut line))
                .await
                .unwrap_or_else(|_| {
                    panic!(
                        "no {text:?} on stderr in time; so far: {}",
                        self.stderr_seen
                    )
                })
                .unwrap();
            if n == 0 {
                panic!(
                    "stderr ended before {text:?}; it said: {}",
                    self.stderr_seen
                );
            }
            self.stderr_seen.push_str(&line);
            if line.contains(text) {
                return line;
            }
        }
    }

    /// Reads one stdout line (within [`WAIT`]).
    pub async fn stdout_line(&mut self) -> String {
        let mut line = String::new();
        let n = tokio::time::timeout(WAIT, self.stdout.read_line(&mut line))
            .await
            .expect("no stdout line in time")
            .unwrap();
        assert!(n > 0, "stdout ended; stderr: {}", self.stderr_seen);
        line.trim_end().to_string()
    }

    /// Waits for the end (within [`WAIT`]) and collects what is left.
    pub async fn finish(mut self) -> Output {
        let mut stdout = String::new();
        let mut stderr = self.stderr_seen;
        let (out, err, status) = tokio::time::timeout(WAIT, async {
            let (out, err) = tokio::join!(
                self.stdout.read_to_string(&mut stdout),
                self.stderr.read_to_string(&mut stderr)
            );
            (out, err, self.child.wait().await)
        })
        .await
        .expect("the binary did not finish in time");
        out.unwrap();
        err.unwrap();
        let status = status.unwrap();
        Output {
            code: status.code().unwrap_or(-1),
            stdout,
            stderr,
        }
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        self.signal("-TERM");
    }

    /// Sends SIGINT, as Ctrl-C does.
    pub fn interrupt(&self) {
        self.signal("-INT");
    }

    fn signal(&self, which: &str) {
        let pid = self.child.id().expect("the binary already ended");
        let status = std::process::Command::new("kill")
            .args([which, &pid.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}
