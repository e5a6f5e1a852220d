//! `validate`: payload files against a schema, every error with its path.

use serde_json::{json, Value};
use streamsea_schema::{ValidationErrors, Validator};

use crate::args::{Connection, ValidateArgs};
use crate::commands::schema;
use crate::exit::CliError;
use crate::input::{parse_json, Source};
use crate::output::{Format, Out};

/// What checking one file found.
struct Checked {
    file: String,
    /// How many messages the file holds (1 for an object).
    messages: usize,
    result: Result<(), ValidationErrors>,
}

/// `validate`: every file is read first (an unreadable one is a usage
/// error), then checked; exit 1 when any is invalid.
pub async fn validate(
    args: ValidateArgs,
    connection: &Connection,
    out: Out,
) -> Result<(), CliError> {
    let def = schema::resolve(&args.source, connection).await?;
    let validator = Validator::new(&def);
    let mut checked = Vec::with_capacity(args.files.len());
    for file in &args.files {
        let source = Source::file_arg(file);
        let payload = read_documents(&source)?;
        let messages = match &payload {
            Value::Array(items) => items.len(),
            _ => 1,
        };
        checked.push(Checked {
            file: file.clone(),
            messages,
            result: validator.validate_payload(&payload),
        });
    }
    let invalid = checked.iter().filter(|c| c.result.is_err()).count();
    match out.format {
        Format::Text => {
            for c in &checked {
                match &c.result {
                    Ok(()) => out.line(&format!(
                        "{}: valid ({} message{})",
                        c.file,
                        c.messages,
                        if c.messages == 1 { "" } else { "s" }
                    ))?,
                    Err(errors) => {
                        out.line(&format!("{}: invalid, {errors}", c.file))?;
                    }
                }
            }
        }
        Format::Json => {
            let files: Vec<Value> = checked
                .iter()
                .map(|c| match &c.result {
                    Ok(()) => {
                        json!({"file": c.file, "valid": true, "messages": c.messages, "errors": []})
                    }
                    Err(e) => json!({
                        "file": c.file, "valid": false, "messages": c.messages,
                        "errors": e.errors, "truncated": e.truncated,
                    }),
                })
                .collect();
            out.line(&json!({"valid": invalid == 0, "files": files}).to_string())?;
        }
    }
    if invalid > 0 {
        let mut e = CliError::failure(format!(
            "{invalid} of {} file{} invalid",
            checked.len(),
            if checked.len() == 1 { " is" } else { "s are" }
        ));
        if out.format == Format::Json {
            // The errors are in the result on stdout already.
            e.errors.clear();
        }
        return Err(e);
    }
    Ok(())
}

/// A file's JSON: one document as it is; several (JSON lines, as `sample`
/// prints them), the batch of them.
fn read_documents(source: &Source) -> Result<Value, CliError> {
    let text = source.read_text()?;
    let docs = serde_json::Deserializer::from_str(&text)
        .into_iter::<Value>()
        .collect::<Result<Vec<Value>, _>>();
    match docs {
        Ok(mut docs) if docs.len() > 1 => Ok(Value::Array(std::mem::take(&mut docs))),
        _ => parse_json(&text, source),
    }
}
