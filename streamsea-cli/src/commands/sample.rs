//! `sample`: valid or near-miss invalid payloads of a schema, one JSON
//! document per line, reproducible from a seed.

use std::io::{self, BufWriter, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Args;
use serde_json::json;
use streamsea_schema::sample::{SampleOptions, Sampler};

use crate::args::{Connection, SchemaSource};
use crate::commands::schema;
use crate::exit::CliError;
use crate::output::{stdout_error, Format, Out};

/// `sample`.
#[derive(Debug, Args)]
pub struct SampleArgs {
    /// The schema to sample.
    #[command(flatten)]
    pub source: SchemaSource,
    /// How many payloads.
    #[arg(long, short = 'n', default_value_t = 1,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub count: u64,
    /// Near-miss invalid payloads, each with exactly one error (with
    /// `--output json`, each line says where: `{"payload", "path", "mistake"}`).
    #[arg(long)]
    pub invalid: bool,
    /// The seed: the same seed and schema give the same payloads [default:
    /// from the clock, printed on stderr].
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Payloads a Rust type generated from the schema reads: every field
    /// present, small integers, dates in 1970 to 2099.
    #[arg(long, conflicts_with = "invalid")]
    pub typed: bool,
}

/// `sample`.
pub async fn sample(args: SampleArgs, connection: &Connection, out: Out) -> Result<(), CliError> {
    let def = schema::resolve(&args.source, connection).await?;
    let seed = match args.seed {
        Some(seed) => seed,
        None => {
            let seed = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            out.notice(&format!("seed {seed}"));
            seed
        }
    };
    let options = if args.typed {
        SampleOptions::typed()
    } else {
        SampleOptions::default()
    };
    let mut sampler = Sampler::with_options(&def, seed, options);
    let mut w = BufWriter::new(io::stdout().lock());
    for _ in 0..args.count {
        let line = if args.invalid {
            let bad = sampler.invalid();
            match out.format {
                Format::Text => bad.payload.to_string(),
                Format::Json => {
                    json!({"payload": bad.payload, "path": bad.path, "mistake": bad.mistake})
                        .to_string()
                }
            }
        } else {
            sampler.valid().to_string()
        };
        if let Err(e) = writeln!(w, "{line}") {
            return quiet_on_broken_pipe(e);
        }
    }
    w.flush().or_else(quiet_on_broken_pipe)
}

/// The reader of stdout went away (`streamsea sample ... | head -3`): the
/// rest is dropped quietly.
fn quiet_on_broken_pipe(e: io::Error) -> Result<(), CliError> {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(stdout_error(e))
    }
}
