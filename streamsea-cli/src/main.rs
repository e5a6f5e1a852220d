//! # streamsea
//!
//! The command line of the streamsea toolkit for stream-sea 4.x: every
//! command of the official `ssc` tool (`define`, `describe`, `publish`,
//! `subscribe`, `svv`, `create-client`, `delete-client`,
//! `rotate-client-secret`, `rotate-jwt`, `create-jail`, `delete-jail`,
//! `sign-jwt`, `generate-keypair`), and `serve` (a local server in this
//! process), `validate` (payload files against a schema, every error with
//! its path), `codegen` (Rust types from a schema) and `json-schema`
//! (export).
//!
//! ```text
//! streamsea serve --bind 127.0.0.1:3104 --client app:secret &
//! export STREAMSEA_CLIENT_ID=app STREAMSEA_CLIENT_SECRET=secret   # localhost:3104 by default
//! streamsea define --stream boiler_data --schema '{"_version": 1, "temperature": "float"}'
//! streamsea subscribe --stream boiler_data --count 1 &
//! echo '{"temperature": 70.5}' | streamsea publish --stream boiler_data
//! ```
//!
//! Connection flags (`--host --port --secure --client-id --client-secret
//! --jwt`) are also read from the `STREAMSEA_*` variables that
//! `Client::from_env` reads, then from the official tool's `STREAM_SEA_*`
//! ones, and accepted in the official tool's spellings too (`--clientId`/`-i`,
//! `--clientSecret`/`-q`, `--remoteServerHost`/`-h`, `--remoteServerPort`/`-p`,
//! `-t`): its command lines run unchanged. Errors name the flag or variable
//! a setting came from. `--output json` prints one JSON document per
//! result (and only JSON on stderr) for scripts. Exit codes: 0
//! success; 1 the operation failed (refused by the server, no connection, an
//! invalid payload); 2 bad usage or unreadable input, with a message naming
//! the option, file or value at fault. See `README.md` beside this crate
//! for every command.
//!
//! ## Modules
//!
//! `args` (the command line), `connect` (a client from the flags and
//! variables, where each setting came from, and explanations of failures),
//! `token` (what a JWT says about itself), `input`
//! (inline JSON, files, stdin), `output` (text or JSON), `exit` (failures and
//! exit codes), `progress` (the publish progress bar), `signal` (Ctrl-C and
//! SIGTERM), and `commands/` with one module per group of subcommands.
//!
//! ## Dependencies
//!
//! - `clap` (derive, `env`) for the command line, each connection flag
//!   backed by its environment variable;
//! - `tokio` for the runtime, signals and the bounded channel between the
//!   input reader and the publisher; `futures-util` to read subscriptions;
//! - `indicatif` for the progress bar of a large `publish`. It is drawn only
//!   when stderr is a terminal: in a pipe, a CI log or a file, a redrawn bar
//!   would leave a trail of control characters and partial lines, and
//!   nobody watches it there;
//! - `tracing` (set up by `streamsea_server::cli::init_logging`) for the logs of the client and the
//!   server on stderr (`RUST_LOG` sets the level);
//! - `serde`/`serde_json` for JSON;
//! - `base64` to read a JWT's claims (without verifying it) so that
//!   `subscribe` can explain an expired token or a `mustFanout` group;
//! - `jsonwebtoken` to sign HS256 tokens for the official tool's
//!   `sign-jwt --jwtSecret` (RS512 signing is the client library's);
//! - `streamsea-client`, `streamsea-schema`, `streamsea-protocol` and
//!   `streamsea-server` for everything stream-sea.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod args;
mod commands;
mod connect;
mod exit;
mod input;
mod output;
mod progress;
mod signal;
mod token;

use std::process::ExitCode;

use crate::args::{Cli, Command};
use crate::exit::CliError;
use crate::output::Out;

fn main() -> ExitCode {
    let cli = Cli::parse_args();
    let out = Out { format: cli.output };
    // The client library's own log lines would repeat what the command
    // reports itself (once, and as JSON with `--output json`): they show
    // only when RUST_LOG asks for them.
    let default_level = match cli.command {
        Command::Serve(_) => "info",
        _ => "warn,streamsea_client=off",
    };
    streamsea_server::cli::init_logging(default_level);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            out.failure(&CliError::failure(format!("cannot start the runtime: {e}")));
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(commands::run(cli.command, &cli.connection, out));
    // A reader still blocked on stdin must not hold the process open.
    runtime.shutdown_background();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let e = match connect::Settings::from_env(&cli.connection) {
                Ok(settings) => connect::explain(e, &settings),
                Err(_) => e,
            }
            .finished();
            out.failure(&e);
            e.exit_code()
        }
    }
}
