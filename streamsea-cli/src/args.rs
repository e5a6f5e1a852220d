//! The command line: global connection flags, the output form, and every
//! subcommand with its options.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use clap::builder::BoolishValueParser;
use clap::{ArgAction, ArgGroup, Args, Parser, Subcommand};
pub use streamsea_server::cli::{parse_duration, ServeArgs};

use crate::output::Format;

/// The streamsea command line: define, publish, subscribe and administer
/// stream-sea 4.x streams; sign JWTs; run a local server; validate payloads;
/// generate Rust types and JSON Schemas from stream schemas.
///
/// Exit codes: 0 success; 1 the operation failed (refused by the server, a
/// connection failure, an invalid payload); 2 bad usage or unreadable input.
// `-h` is the official tool's short flag for the host, so help is `--help` only.
#[derive(Debug, Parser)]
#[command(
    name = "streamsea",
    version,
    max_term_width = 100,
    disable_help_flag = true
)]
pub struct Cli {
    /// The server to talk to and the credentials to use.
    #[command(flatten)]
    pub connection: Connection,
    /// The form of the output: `text` for people, `json` for scripts.
    // `help_heading = None`: listed with each command's own options, not
    // under the connection flags' heading set just above.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text, help_heading = None)]
    pub output: Format,
    /// Print help.
    #[arg(long, global = true, action = ArgAction::Help, help_heading = None)]
    help: Option<bool>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The help heading of the connection flags.
pub const CONNECTION_HEADING: &str = "Connection";

/// The subcommands that never talk to a server: their help leaves the
/// connection flags out (they are still accepted, and ignored).
const OFFLINE_COMMANDS: [&str; 3] = ["serve", "sign-jwt", "generate-keypair"];

/// Connection flags. Each is also read from its `STREAMSEA_*` variable (the
/// ones `Client::from_env` reads) and, for the official tool's users, from
/// its `STREAM_SEA_*` variable; a flag wins over `STREAMSEA_*`, which wins
/// over `STREAM_SEA_*` (see [`crate::connect`]). The spellings of the
/// official `ssc` tool (`--clientId`/`-i`, `--clientSecret`/`-q`,
/// `--remoteServerHost`/`-h`, `--remoteServerPort`/`-p`, `-t`) are accepted
/// as hidden aliases.
///
/// The variables are read by `connect`, not by the parser, so that an
/// error in one names the variable, never a flag the user did not type.
#[derive(Clone, Default, Args)]
#[command(next_help_heading = CONNECTION_HEADING)]
pub struct Connection {
    /// The server's host name or IP address [env: STREAMSEA_HOST] [default: localhost].
    #[arg(
        long,
        global = true,
        value_name = "HOST",
        alias = "remoteServerHost",
        short_alias = 'h'
    )]
    pub host: Option<String>,
    /// The server's port [env: STREAMSEA_PORT] [default: 3104 for localhost and
    /// loopback addresses (where `streamsea serve` listens), else 443, as
    /// the official tools].
    #[arg(
        long,
        global = true,
        value_name = "PORT",
        alias = "remoteServerPort",
        short_alias = 'p'
    )]
    pub port: Option<u16>,
    /// Use HTTPS and WSS [env: STREAMSEA_SECURE, true/false, 1/0, yes/no, on/off].
    #[arg(long, global = true, short_alias = 't')]
    pub secure: bool,
    /// The client id to authenticate as [env: STREAMSEA_CLIENT_ID].
    #[arg(
        long,
        global = true,
        value_name = "ID",
        alias = "clientId",
        short_alias = 'i'
    )]
    pub client_id: Option<String>,
    /// The client's secret (basic credentials) [env: STREAMSEA_CLIENT_SECRET].
    #[arg(
        long,
        global = true,
        value_name = "SECRET",
        alias = "clientSecret",
        short_alias = 'q',
        // Generated secrets are base64url: one in 64 starts with `-`.
        allow_hyphen_values = true
    )]
    pub client_secret: Option<String>,
    /// A JWT issued by the client, instead of its secret (subscribe only) [env: STREAMSEA_JWT].
    #[arg(long, global = true, value_name = "TOKEN")]
    pub jwt: Option<String>,
    /// Also trust the certificates in this PEM file (a CA, or a server's
    /// self-signed certificate) for --secure.
    #[arg(long, global = true, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
}

/// Debug output that never shows the secret or the JWT (`***` when set), so
/// a logged or printed `Connection` leaks no credential.
impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Masked;
        impl fmt::Debug for Masked {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("***")
            }
        }
        let masked = |value: &Option<String>| value.as_ref().map(|_| Masked);
        f.debug_struct("Connection")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("secure", &self.secure)
            .field("client_id", &self.client_id)
            .field("client_secret", &masked(&self.client_secret))
            .field("jwt", &masked(&self.jwt))
            .field("ca_cert", &self.ca_cert)
            .finish()
    }
}

impl Cli {
    /// The command line as parsed and shown in help: [`Cli`]'s, with `-h`
    /// left to the host (help is `--help`), and the connection flags hidden
    /// from the help of the subcommands that never connect (they are still
    /// accepted there).
    pub fn command_line() -> clap::Command {
        use clap::CommandFactory;
        let command = Cli::command();
        let connection: Vec<clap::Arg> = command
            .get_arguments()
            .filter(|a| a.get_help_heading() == Some(CONNECTION_HEADING))
            .cloned()
            .collect();
        let names: Vec<String> = command
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect();
        let command = names.iter().fold(command, |command, name| {
            command.mut_subcommand(name, |sub| sub.disable_help_flag(true))
        });
        // A subcommand that already holds an argument of a global's id does
        // not get the global's copy: these hidden copies take its place.
        // `sign-jwt` keeps `-p` for the official tool's payload.
        OFFLINE_COMMANDS.iter().fold(command, |command, name| {
            command.mut_subcommand(name, |sub| {
                connection.iter().fold(sub, |sub, arg| {
                    let mut arg = arg.clone().hide(true);
                    if arg.get_id() == "port" {
                        arg = arg.short_alias(None);
                    }
                    sub.arg(arg)
                })
            })
        })
    }

    /// Parses the command line, exiting with clap's message and code 2 on a
    /// usage error (0 for `--help` and `--version`).
    pub fn parse_args() -> Cli {
        use clap::FromArgMatches;
        let matches = Cli::command_line().get_matches();
        Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Define (or upgrade) a stream's schema, long or short form.
    Define(DefineArgs),
    /// Print a stream's schema.
    Describe(DescribeArgs),
    /// Publish messages: inline JSON, a file, or JSON from stdin (one message per line).
    Publish(PublishArgs),
    /// Print a stream's messages as they arrive, one JSON message per line.
    Subscribe(SubscribeArgs),
    /// Print the current schema version of streams (the schema versions vector).
    Svv(SvvArgs),
    /// Create a client in your jail and print its secret.
    CreateClient(CreateClientArgs),
    /// Delete a client of your jail.
    DeleteClient(DeleteClientArgs),
    /// Replace your own secret and print the new one.
    RotateClientSecret(RotateSecretArgs),
    /// Set or remove the RSA public key that verifies the JWTs you issue.
    RotateJwt(RotateJwtArgs),
    /// Create a jail with its first client (root jail clients only).
    CreateJail(CreateJailArgs),
    /// Delete a jail with its clients and schemas (root jail clients only).
    DeleteJail(DeleteJailArgs),
    /// Sign a JWT (RS512) with an RSA private key.
    SignJwt(SignJwtArgs),
    /// Generate an RSA key pair for JWTs and write it as PEM files.
    GenerateKeypair(GenerateKeypairArgs),
    /// Run a stream-sea 4.x compatible server in this process.
    Serve(Box<ServeArgs>),
    /// Check payload files against a schema; every error with its path.
    Validate(ValidateArgs),
    /// Generate Rust types (serde + StreamSchema) from a schema.
    Codegen(CodegenArgs),
    /// Export a schema as JSON Schema (draft 2020-12).
    JsonSchema(JsonSchemaArgs),
    /// Compare two definitions: every change and whom it breaks (exit 1 when something breaks).
    Diff(crate::commands::diff::DiffArgs),
    /// Print sample payloads of a schema, valid or near-miss invalid, one per line.
    Sample(crate::commands::sample::SampleArgs),
}

/// Where a schema comes from: `--schema` (a file, inline JSON or `-`), or
/// the server's schema of `--stream`.
#[derive(Debug, Clone, Args)]
pub struct SchemaSource {
    /// The schema: a file path, inline JSON (text starting with `{`), or `-`
    /// for stdin; long or short form.
    #[arg(long, short = 'm', value_name = "FILE|JSON")]
    pub schema: Option<String>,
    /// The stream: with --schema, its name (overriding the definition's);
    /// without, the schema is read from the server.
    #[arg(long, short = 's', value_name = "NAME")]
    pub stream: Option<String>,
}

/// `define`.
#[derive(Debug, Args)]
pub struct DefineArgs {
    /// The schema: a file path, inline JSON (text starting with `{`), or `-`
    /// for stdin; long form (`{"version", "fields"}`) or short form
    /// (`{"_version": 1, "temp": "float"}`).
    #[arg(long, short = 'm', value_name = "FILE|JSON")]
    pub schema: String,
    /// The stream's name; required when the definition has none, and
    /// overrides the one it has.
    #[arg(long, short = 's', value_name = "NAME")]
    pub stream: Option<String>,
}

/// `describe`.
#[derive(Debug, Args)]
pub struct DescribeArgs {
    /// The stream.
    #[arg(long, short = 's', value_name = "NAME")]
    pub stream: String,
}

/// `publish`.
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The stream.
    #[arg(long, short = 's', value_name = "NAME")]
    pub stream: String,
    /// The messages: inline JSON (text starting with `{` or `[`), a file
    /// path, or `-` for stdin [default: stdin]. The input holds JSON
    /// objects (one message each) or arrays of objects, separated by
    /// whitespace: newline-delimited JSON works.
    #[arg(long, short = 'd', value_name = "FILE|JSON")]
    pub data: Option<String>,
    /// Messages sent in one request (batches are also cut at 1 MiB).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub batch_size: u32,
    /// Do not check the messages against the stream's schema before sending
    /// (the server checks them anyway).
    #[arg(long)]
    pub no_validate: bool,
}

/// `subscribe`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("grouping").args(["fanout", "group"])))]
pub struct SubscribeArgs {
    /// The stream.
    #[arg(long, short = 's', value_name = "NAME")]
    pub stream: String,
    /// Receive every message, in a group of your own (instead of sharing
    /// them with the client's other subscribers).
    #[arg(long, short = 'f')]
    pub fanout: bool,
    /// Share the messages with the subscribers of this group (an RFC 4122 UUID).
    #[arg(long, value_name = "UUID")]
    pub group: Option<String>,
    /// Exit after this many messages.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Exit after this long (`30`, `30s`, `5m`, `2h`); with --count, not
    /// having received them all by then is a failure.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,
    /// When the server cannot be reached at start, keep trying (until
    /// --timeout, if given) instead of exiting 1.
    #[arg(long)]
    pub keep_trying: bool,
}

/// `svv`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("names").args(["streams", "schemas"]).required(true).multiple(true)))]
pub struct SvvArgs {
    /// The streams.
    #[arg(value_name = "STREAM")]
    pub streams: Vec<String>,
    /// The streams, separated by colons (`a:b:c`), as the official tool takes them.
    #[arg(long, short = 's', value_name = "A:B:...")]
    pub schemas: Option<String>,
}

/// `create-client`.
#[derive(Debug, Args)]
pub struct CreateClientArgs {
    /// The new client's id.
    #[arg(long, short = 'c', value_name = "ID", alias = "targetClientId")]
    pub id: String,
    /// A description of the client.
    #[arg(
        long,
        short = 'd',
        default_value = "",
        alias = "targetClientDescription"
    )]
    pub description: String,
}

/// `delete-client`.
#[derive(Debug, Args)]
pub struct DeleteClientArgs {
    /// The id of the client to delete.
    #[arg(long, short = 'c', value_name = "ID", alias = "targetClientId")]
    pub id: String,
}

/// `rotate-client-secret`.
#[derive(Debug, Args)]
pub struct RotateSecretArgs {
    /// Your own client id, as the official tool takes it: a client rotates
    /// only its own secret, so another id is refused.
    #[arg(long, short = 'c', value_name = "ID", alias = "targetClientId")]
    pub target_client_id: Option<String>,
}

/// `rotate-jwt`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("key").args(["public_key", "clear"]).required(true)))]
pub struct RotateJwtArgs {
    /// The RSA public key: a PEM file, the PEM text itself
    /// (`-----BEGIN PUBLIC KEY-----...`), or `null` to remove the key (as
    /// the official tool takes it).
    #[arg(
        long,
        short = 'k',
        value_name = "FILE|PEM|null",
        alias = "jwtPublicKey",
        allow_hyphen_values = true
    )]
    pub public_key: Option<String>,
    /// Remove the key: JWTs you issued stop working.
    #[arg(long)]
    pub clear: bool,
    /// Your own client id, as the official tool takes it: a client rotates
    /// only its own key, so another id is refused.
    #[arg(long, short = 'c', value_name = "ID", alias = "targetClientId")]
    pub target_client_id: Option<String>,
}

/// `create-jail`.
#[derive(Debug, Args)]
pub struct CreateJailArgs {
    /// The new jail's id.
    #[arg(long, short = 'j', value_name = "ID")]
    pub id: String,
    /// The new jail's name [default: its id].
    #[arg(long, short = 'n')]
    pub name: Option<String>,
    /// The id of the jail's first client.
    #[arg(long, short = 'c', value_name = "ID")]
    pub client: String,
}

/// `delete-jail`.
#[derive(Debug, Args)]
pub struct DeleteJailArgs {
    /// The id of the jail to delete.
    #[arg(long, short = 'j', value_name = "ID")]
    pub id: String,
}

/// `sign-jwt`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("signing_key").args(["private_key", "jwt_secret"]).required(true)))]
pub struct SignJwtArgs {
    /// The RSA private key (PKCS#8 or PKCS#1): a PEM file, or the PEM text
    /// itself (`-----BEGIN PRIVATE KEY-----...`). Signs RS512, the only
    /// algorithm stream-sea accepts.
    #[arg(
        long,
        short = 'k',
        value_name = "FILE|PEM",
        alias = "jwtPrivateKey",
        allow_hyphen_values = true
    )]
    pub private_key: Option<String>,
    /// Sign with this shared secret (HS256) instead, as the official tool's
    /// `--jwtSecret`: stream-sea servers refuse such tokens.
    #[arg(
        long,
        short = 's',
        value_name = "SECRET",
        alias = "jwtSecret",
        hide_short_help = true
    )]
    pub jwt_secret: Option<String>,
    /// Expiry, UNIX seconds [default: 1893456000, as the official tool].
    #[arg(long, value_name = "UNIX_SECONDS", conflicts_with = "expires_in")]
    pub exp: Option<u64>,
    /// Expiry, from now (`3600`, `90s`, `15m`, `12h`, `30d`).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub expires_in: Option<Duration>,
    /// Whether every subscription of the bearer gets a group of its own.
    #[arg(long, value_name = "BOOL", default_value = "true", num_args = 0..=1,
          default_missing_value = "true", value_parser = BoolishValueParser::new())]
    pub must_fanout: bool,
    /// Deliver only the messages this Filter DSL expression accepts: inline
    /// JSON or a file path.
    #[arg(long, value_name = "FILE|JSON")]
    pub filter: Option<String>,
    /// The whole claims object instead of the options above: inline JSON or
    /// a file path (`--payload`/`-p` in the official tool). Only `exp`,
    /// `mustFanout` and `filter` are allowed; `mustFanout` defaults to true.
    #[arg(long, short = 'p', value_name = "FILE|JSON", alias = "payload",
          conflicts_with_all = ["exp", "expires_in", "must_fanout", "filter"])]
    pub claims: Option<String>,
}

/// `generate-keypair`.
#[derive(Debug, Args)]
pub struct GenerateKeypairArgs {
    /// Write `PREFIXprivate.pem` and `PREFIXpublic.pem`, as the official
    /// tool's `--filePrefix` (`-o keys/jwt_`: `keys/jwt_private.pem`).
    #[arg(
        long,
        short = 'o',
        value_name = "PREFIX",
        alias = "filePrefix",
        default_value = ""
    )]
    pub prefix: String,
    /// Where to write the private key (PKCS#8 PEM; keep it secret)
    /// [default: PREFIXprivate.pem].
    #[arg(long, value_name = "FILE")]
    pub private_key: Option<PathBuf>,
    /// Where to write the public key (SubjectPublicKeyInfo PEM, for
    /// rotate-jwt) [default: PREFIXpublic.pem].
    #[arg(long, value_name = "FILE")]
    pub public_key: Option<PathBuf>,
    /// The key size in bits (2048 to 4096, what RS512 signing takes).
    #[arg(long, default_value_t = 2048)]
    pub bits: usize,
    /// Overwrite existing files.
    #[arg(long)]
    pub force: bool,
}

/// `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The payload files, each one message (an object) or a batch (an array
    /// of objects); `-` reads stdin.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<String>,
    /// The schema to check against.
    #[command(flatten)]
    pub source: SchemaSource,
}

/// `codegen`.
#[derive(Debug, Args)]
pub struct CodegenArgs {
    /// The schema to generate types for.
    #[command(flatten)]
    pub source: SchemaSource,
    /// Write the source to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The top type's name [default: the stream name in UpperCamelCase].
    #[arg(long, value_name = "NAME")]
    pub type_name: Option<String>,
    /// A further derive on every generated struct (repeatable), e.g. `Default`.
    #[arg(long = "derive", value_name = "TRAIT")]
    pub derives: Vec<String>,
}

/// `json-schema`.
#[derive(Debug, Args)]
pub struct JsonSchemaArgs {
    /// The schema to export.
    #[command(flatten)]
    pub source: SchemaSource,
    /// Write the JSON Schema to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::FromArgMatches;

    fn parse(args: &[&str]) -> Cli {
        let matches = Cli::command_line()
            .try_get_matches_from(std::iter::once("streamsea").chain(args.iter().copied()))
            .unwrap();
        Cli::from_arg_matches(&matches).unwrap()
    }

    /// The help text `args` (ending in `--help`) print.
    fn help(args: &[&str]) -> String {
        let err = Cli::command_line()
            .try_get_matches_from(std::iter::once("streamsea").chain(args.iter().copied()))
            .unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::DisplayHelp);
        err.to_string()
    }

    #[test]
    fn the_command_line_is_consistent() {
        // `Cli::command()` alone gives `-p` to both the port and sign-jwt's
        // claims: `command_line()` settles that.
        Cli::command_line().debug_assert();
    }

    #[test]
    fn debug_output_masks_the_secret_and_the_jwt() {
        let cli = parse(&[
            "--client-id",
            "app",
            "--client-secret",
            "hunter2-secret",
            "--jwt",
            "eyJ-token-value",
            "describe",
            "-s",
            "x",
        ]);
        for text in [
            format!("{:?}", cli.connection),
            format!("{:#?}", cli.connection),
            format!("{cli:?}"),
        ] {
            assert!(!text.contains("hunter2-secret"), "{text}");
            assert!(!text.contains("eyJ-token-value"), "{text}");
            assert!(text.contains("\"app\""), "{text}");
        }
        let text = format!("{:?}", cli.connection);
        assert!(text.contains("client_secret: Some(***)"), "{text}");
        assert!(text.contains("jwt: Some(***)"), "{text}");
        let cli = parse(&["--client-id", "app", "--client-secret", "s", "svv", "a"]);
        assert!(format!("{cli:?}").contains("jwt: None"));
    }

    #[test]
    fn a_subcommand_help_lists_its_own_options_before_the_connection_flags() {
        let text = help(&["describe", "--help"]);
        let own = text.find("--stream").unwrap();
        let heading = text.find("Connection:").unwrap();
        let host = text.find("--host").unwrap();
        assert!(own < heading && heading < host, "{text}");
        // The aliases of the official tool stay out of help.
        assert!(!text.contains("clientId"), "{text}");
        assert!(!text.contains("remoteServer"), "{text}");
        let top = help(&["--help"]);
        assert!(top.contains("Connection:"), "{top}");
        assert!(top.contains("--client-secret"), "{top}");
    }

    #[test]
    fn commands_that_never_connect_leave_the_connection_flags_out_of_help() {
        for command in ["serve", "sign-jwt", "generate-keypair"] {
            let text = help(&[command, "--help"]);
            for flag in [
                "--host ",
                "--port ",
                "--client-id ",
                "--client-secret ",
                "--jwt ",
            ] {
                assert!(
                    !text.contains(flag),
                    "{command} --help shows {flag}:\n{text}"
                );
            }
            assert!(!text.contains("Connection:"), "{text}");
            assert!(text.contains("--output"), "{text}");
        }
        // Still accepted there, before or after the command.
        let cli = parse(&["serve", "--client-id", "app", "--port", "3104"]);
        assert_eq!(cli.connection.client_id.as_deref(), Some("app"));
        assert_eq!(cli.connection.port, Some(3104));
        assert!(matches!(cli.command, Command::Serve(_)));
        let cli = parse(&["--host", "example.com", "generate-keypair"]);
        assert_eq!(cli.connection.host.as_deref(), Some("example.com"));
        // Commands that connect show them.
        let text = help(&["codegen", "--help"]);
        assert!(
            text.contains("Connection:") && text.contains("--client-id"),
            "{text}"
        );
    }

    #[test]
    fn the_official_tools_flag_spellings_are_accepted() {
        let cli = parse(&[
            "--remoteServerHost",
            "example.com",
            "--remoteServerPort",
            "8443",
            "-t",
            "describe",
            "--clientId",
            "app",
            "--clientSecret",
            "s3cret",
            "-s",
            "x",
        ]);
        let c = &cli.connection;
        assert_eq!(c.host.as_deref(), Some("example.com"));
        assert_eq!(c.port, Some(8443));
        assert!(c.secure);
        assert_eq!(c.client_id.as_deref(), Some("app"));
        assert_eq!(c.client_secret.as_deref(), Some("s3cret"));
        let cli = parse(&["-p", "3104", "svv", "a"]);
        assert_eq!(cli.connection.port, Some(3104));
        let cli = parse(&[
            "-h",
            "sea.example",
            "-i",
            "app",
            "-q",
            "s",
            "svv",
            "-s",
            "a:b",
        ]);
        let c = &cli.connection;
        assert_eq!(c.host.as_deref(), Some("sea.example"));
        assert_eq!(c.client_id.as_deref(), Some("app"));
        assert_eq!(c.client_secret.as_deref(), Some("s"));
        // A generated secret may start with `-`: it is still the value.
        let cli = parse(&["--client-secret", "-Cq_x", "svv", "a"]);
        assert_eq!(cli.connection.client_secret.as_deref(), Some("-Cq_x"));
        let cli = parse(&["-q", "-abc", "svv", "a"]);
        assert_eq!(cli.connection.client_secret.as_deref(), Some("-abc"));
        // In sign-jwt, -p is the official tool's payload, not the port.
        let cli = parse(&["sign-jwt", "-k", "key.pem", "-p", "{}"]);
        match cli.command {
            Command::SignJwt(a) => assert_eq!(a.claims.as_deref(), Some("{}")),
            other => panic!("{other:?}"),
        }
        assert_eq!(cli.connection.port, None);
    }

    #[test]
    fn dash_h_is_the_host_and_help_is_long_only() {
        let err = Cli::command_line()
            .try_get_matches_from(["streamsea", "-h"])
            .unwrap_err();
        assert_ne!(err.kind(), clap::error::ErrorKind::DisplayHelp);
        assert!(err.to_string().contains("--host"), "{err}");
        for args in [
            &["streamsea", "--help"][..],
            &["streamsea", "describe", "--help"],
        ] {
            let err = Cli::command_line().try_get_matches_from(args).unwrap_err();
            assert_eq!(err.kind(), clap::error::ErrorKind::DisplayHelp);
        }
    }

    /// Splits a command line as a shell would, for the quoting the README
    /// uses (single and double quotes; `$(...)` stays one word).
    fn shell_words(line: &str) -> Vec<String> {
        let mut words = Vec::new();
        let mut word = String::new();
        let mut quote = None;
        let mut in_word = false;
        for c in line.chars() {
            match (quote, c) {
                (None, '\'' | '"') => {
                    quote = Some(c);
                    in_word = true;
                }
                (Some(q), c) if c == q => quote = None,
                (None, c) if c.is_whitespace() => {
                    if in_word {
                        words.push(std::mem::take(&mut word));
                        in_word = false;
                    }
                }
                (_, c) => {
                    word.push(c);
                    in_word = true;
                }
            }
        }
        assert!(quote.is_none(), "unclosed quote in {line}");
        if in_word {
            words.push(word);
        }
        words
    }

    #[test]
    fn every_command_of_the_readme_migration_table_parses() {
        let readme = include_str!("../README.md");
        let start = readme
            .find("## From the official tool")
            .expect("the README has a migration table");
        let section = &readme[start..];
        let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
        let rows: Vec<&str> = section
            .lines()
            .filter(|l| l.starts_with("| `ssc "))
            .collect();
        assert!(rows.len() >= 15, "{rows:?}");
        for row in rows {
            let cells: Vec<&str> = row.split(" | ").collect();
            let spans = |cell: &str| -> Vec<String> {
                cell.split('`')
                    .skip(1)
                    .step_by(2)
                    .map(str::to_string)
                    .collect()
            };
            let ssc = spans(cells[0]);
            let ours = spans(cells[1]);
            assert!(
                ssc.iter().any(|c| c.starts_with("ssc ")),
                "no ssc command in {row}"
            );
            assert!(
                ours.iter().any(|c| c.starts_with("streamsea ")),
                "no streamsea command in {row}"
            );
            for command in ssc.iter().chain(&ours) {
                let mut words = shell_words(command);
                assert!(
                    matches!(words[0].as_str(), "ssc" | "streamsea"),
                    "{command}"
                );
                // ssc's command lines run unchanged with `streamsea` in its place.
                words[0] = "streamsea".into();
                let parsed = Cli::command_line().try_get_matches_from(&words);
                assert!(
                    parsed.is_ok(),
                    "`{command}` does not parse: {}",
                    parsed.unwrap_err()
                );
            }
        }
    }

    #[test]
    fn shell_words_follow_the_quotes() {
        assert_eq!(
            shell_words(r#"a -k "$(cat x)" -p '{"a": 1}' b"#),
            ["a", "-k", "$(cat x)", "-p", r#"{"a": 1}"#, "b"]
        );
    }
}
