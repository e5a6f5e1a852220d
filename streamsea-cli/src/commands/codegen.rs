//! `codegen`: Rust types (serde + `StreamSchema`) from a schema, through
//! `streamsea_schema::codegen`.

use serde_json::json;
use streamsea_schema::codegen::{generate_rust, CodegenError, CodegenOptions};

use crate::args::{CodegenArgs, Connection};
use crate::commands::schema;
use crate::exit::CliError;
use crate::output::{write_file, Format, Out};

/// `codegen`: the source on stdout, or in `--out`; with `--output json` and
/// no `--out`, `{"stream", "source"}`.
pub async fn codegen(args: CodegenArgs, connection: &Connection, out: Out) -> Result<(), CliError> {
    let def = schema::resolve(&args.source, connection).await?;
    let mut options = CodegenOptions::default();
    options.type_name = args.type_name;
    options.struct_derives.extend(args.derives);
    let source = generate_rust(&def, &options).map_err(|e| match &e {
        CodegenError::MissingStreamName => CliError::usage(
            "the definition has no name: pass --stream NAME with --schema to name the stream",
        ),
        CodegenError::Internal(_) => CliError::failure(e.to_string()),
        _ => CliError::usage(e.to_string()),
    })?;
    match (&args.out, out.format) {
        (Some(path), _) => write_file("--out", path, &source),
        (None, Format::Text) => out.line(source.trim_end()),
        (None, Format::Json) => {
            out.line(&json!({"stream": def.name, "source": source}).to_string())
        }
    }
}
