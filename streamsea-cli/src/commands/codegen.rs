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
    let source = generate_rust(&def, &options).map_err(cli_error)?;
    match (&args.out, out.format) {
        (Some(path), _) => write_file("--out", path, &source),
        (None, Format::Text) => out.line(source.trim_end()),
        (None, Format::Json) => {
            out.line(&json!({"stream": def.name, "source": source}).to_string())
        }
    }
}

/// The failure a code generation error gives, in the command line's terms:
/// an option of the library is named by the flag that sets it.
fn cli_error(e: CodegenError) -> CliError {
    match e {
        CodegenError::MissingStreamName => CliError::usage(
            "the definition has no name: pass --stream NAME with --schema to name the stream",
        ),
        CodegenError::InvalidOption {
            option,
            value,
            reason,
        } => match flag(option) {
            Some(flag) => CliError::usage(format!("{flag} {value:?}: {reason}")),
            // An option the command line leaves at its default: nothing the
            // user gave is at fault.
            None => CliError::failure(format!(
                "code generation option `{option}` = {value:?}: {reason}"
            )),
        },
        CodegenError::Internal(_) => CliError::failure(e.to_string()),
        other => CliError::usage(other.to_string()),
    }
}

/// The flag that sets a `CodegenOptions` field, for those the command line sets.
fn flag(option: &str) -> Option<&'static str> {
    match option {
        "type_name" => Some("--type-name"),
        "struct_derives" => Some("--derive"),
        "stream_name" => Some("--stream"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit::Kind;
    use streamsea_schema::SchemaDefinition;

    fn generate(change: impl FnOnce(&mut CodegenOptions)) -> CliError {
        let def = SchemaDefinition::from_json_str(
            r#"{"name": "boiler_data", "version": 1, "fields": [{"name": "t", "type": "float"}]}"#,
        )
        .unwrap();
        let mut options = CodegenOptions::default();
        change(&mut options);
        cli_error(generate_rust(&def, &options).unwrap_err())
    }

    #[test]
    fn option_errors_name_the_flag_that_sets_the_option() {
        let e = generate(|o| o.type_name = Some("9lives".into()));
        assert_eq!(e.kind, Kind::Usage);
        assert!(
            e.message.starts_with("--type-name \"9lives\": "),
            "{}",
            e.message
        );
        assert!(!e.message.contains("type_name"), "{}", e.message);

        let e = generate(|o| o.struct_derives.push("Vec<u8>".into()));
        assert_eq!(e.kind, Kind::Usage);
        assert!(
            e.message.starts_with("--derive \"Vec<u8>\": "),
            "{}",
            e.message
        );
        assert!(!e.message.contains("struct_derives"), "{}", e.message);
    }

    #[test]
    fn options_the_command_line_never_sets_are_failures_named_as_options() {
        let e = generate(|o| o.date_path = "not a path".into());
        assert_eq!(e.kind, Kind::Failure);
        assert!(e.message.contains("`date_path`"), "{}", e.message);
    }
}
