//! Schemas: `define`, `describe`, `svv`, `json-schema`, and where a schema
//! given by `--schema` or `--stream` comes from.

use serde_json::{json, Value};
use streamsea_client::{Client, DefineOutcome};
use streamsea_schema::{to_json_schema, SchemaDefinition};

use crate::args::{Connection, DefineArgs, DescribeArgs, JsonSchemaArgs, SchemaSource, SvvArgs};
use crate::connect;
use crate::exit::CliError;
use crate::input;
use crate::output::{write_file, Format, Out};

/// The schema `source` names: read from `--schema` (named by `--stream` when
/// given), or else the server's schema of `--stream`.
pub(crate) async fn resolve(
    source: &SchemaSource,
    connection: &Connection,
) -> Result<SchemaDefinition, CliError> {
    match (&source.schema, &source.stream) {
        (Some(schema), stream) => input::definition("--schema", schema, stream.as_deref()),
        (None, Some(stream)) => fetch(&connect::client(connection)?, stream).await,
        (None, None) => Err(CliError::usage(
            "no schema: pass --schema FILE|JSON, or --stream NAME to use the server's",
        )),
    }
}

/// The server's schema of `stream`; a stream without one is a failure.
pub(crate) async fn fetch(client: &Client, stream: &str) -> Result<SchemaDefinition, CliError> {
    match client.describe_stream(stream).await? {
        Some(def) => Ok(def),
        None => Err(CliError::failure(format!(
            "stream `{stream}` has no schema"
        ))),
    }
}

/// `define`.
pub async fn define(args: DefineArgs, connection: &Connection, out: Out) -> Result<(), CliError> {
    let def = input::definition("--schema", &args.schema, args.stream.as_deref())?;
    let Some(stream) = def.name.clone() else {
        return Err(CliError::usage(
            "the definition has no name: pass --stream NAME (the schema's name is the stream's)",
        ));
    };
    let client = connect::client(connection)?;
    let outcome = client.define_schema(&def).await?;
    out.result(
        || format!("stream `{stream}`: {outcome}"),
        || {
            let mut v = json!({"stream": stream});
            match outcome {
                DefineOutcome::Created { version } => {
                    v["outcome"] = json!("created");
                    v["version"] = json!(version);
                }
                DefineOutcome::Unchanged { version } => {
                    v["outcome"] = json!("unchanged");
                    v["version"] = json!(version);
                }
                DefineOutcome::Upgraded { from, to, class } => {
                    v["outcome"] = json!("upgraded");
                    v["version"] = json!(to);
                    v["from"] = json!(from);
                    v["class"] = json!(class.as_str());
                }
            }
            v
        },
    )
}

/// `describe`: the definition, pretty in text form, one line in JSON form.
pub async fn describe(
    args: DescribeArgs,
    connection: &Connection,
    out: Out,
) -> Result<(), CliError> {
    let def = fetch(&connect::client(connection)?, &args.stream).await?;
    print_json(out, &def.sorted().to_value())
}

/// `svv`: the versions, colon-separated like the official tool (`3:null`),
/// or `{"schemaNames": [...], "versionsVector": [...]}`.
pub async fn svv(args: SvvArgs, connection: &Connection, out: Out) -> Result<(), CliError> {
    let mut names = args.streams;
    if let Some(list) = &args.schemas {
        names.extend(list.split(':').map(str::to_string));
    }
    if let Some(empty) = names.iter().position(|n| n.trim().is_empty()) {
        return Err(CliError::usage(format!(
            "stream name {} of the list is empty",
            empty + 1
        )));
    }
    let client = connect::client(connection)?;
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let versions = client.schema_versions_vector(&refs).await?;
    out.result(
        || {
            versions
                .iter()
                .map(|v| v.map_or_else(|| "null".to_string(), |v| v.to_string()))
                .collect::<Vec<_>>()
                .join(":")
        },
        || json!({"schemaNames": names, "versionsVector": versions}),
    )
}

/// `json-schema`.
pub async fn json_schema(
    args: JsonSchemaArgs,
    connection: &Connection,
    out: Out,
) -> Result<(), CliError> {
    let def = resolve(&args.source, connection).await?;
    let schema = to_json_schema(&def);
    match &args.out {
        Some(path) => write_file("--out", path, &pretty(&schema)),
        None => print_json(out, &schema),
    }
}

/// Prints a JSON document: indented in text form, one line in JSON form.
pub(crate) fn print_json(out: Out, value: &Value) -> Result<(), CliError> {
    match out.format {
        Format::Text => out.line(&pretty(value)),
        Format::Json => out.line(&value.to_string()),
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}
