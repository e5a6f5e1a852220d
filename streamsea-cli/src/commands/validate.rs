//! `validate`: payload files against a schema, every error with its path.

use serde_json::{json, Value};
use streamsea_schema::{ValidationErrors, Validator};

use crate::args::{Connection, ValidateArgs};
use crate::commands::schema;
use crate::exit::CliError;
use crate::input::Source;
use crate::output::{Format, Out};

/// What checking one file found.
struct Checked {
    file: String,
    /// How many messages the file holds (1 for an object).
    messages: usize,
    result: Result<(), Problem>,
}

/// Why a file is not valid.
enum Problem {
    /// It cannot be read, or is not JSON (exit 2).
    Unreadable(CliError),
    /// Its messages are invalid against the schema (exit 1).
    Invalid(ValidationErrors),
}

/// The messages of a file: one JSON value (an object, or an array of them:
/// a batch), or several values separated by whitespace, as `publish` reads
/// them (newline-delimited JSON), each an object or an array of objects.
fn read_messages(source: &Source) -> Result<Value, CliError> {
    let text = source.read_text()?;
    let mut values = Vec::new();
    for (n, value) in serde_json::Deserializer::from_str(&text)
        .into_iter::<Value>()
        .enumerate()
    {
        values.push(value.map_err(|e| {
            CliError::usage(format!("{source} is not JSON (after {n} JSON values): {e}"))
        })?);
    }
    match values.len() {
        0 => Err(CliError::usage(format!("{source} holds no JSON value"))),
        // One value is checked as it is: a message or a batch.
        1 => Ok(values.remove(0)),
        // Several: one list of messages, numbered through the file.
        _ => Ok(Value::Array(
            values
                .into_iter()
                .flat_map(|v| match v {
                    Value::Array(items) => items,
                    other => vec![other],
                })
                .collect(),
        )),
    }
}

/// `validate`: every file is read and checked, and every one reported; exit
/// 2 when one cannot be read or is not JSON, else 1 when one is invalid.
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
        let (messages, result) = match read_messages(&source) {
            Ok(payload) => {
                let messages = match &payload {
                    Value::Array(items) => items.len(),
                    _ => 1,
                };
                let result = validator
                    .validate_payload(&payload)
                    .map_err(Problem::Invalid);
                (messages, result)
            }
            Err(e) => (0, Err(Problem::Unreadable(e))),
        };
        checked.push(Checked {
            file: file.clone(),
            messages,
            result,
        });
    }
    let unreadable = checked
        .iter()
        .filter(|c| matches!(c.result, Err(Problem::Unreadable(_))))
        .count();
    let invalid = checked
        .iter()
        .filter(|c| matches!(c.result, Err(Problem::Invalid(_))))
        .count();
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
                    Err(Problem::Invalid(errors)) => {
                        out.line(&format!("{}: invalid, {errors}", c.file))?;
                    }
                    Err(Problem::Unreadable(e)) => {
                        out.line(&format!("{}: not checked: {}", c.file, e.message))?;
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
                    Err(Problem::Invalid(e)) => json!({
                        "file": c.file, "valid": false, "messages": c.messages,
                        "errors": e.errors, "truncated": e.truncated,
                    }),
                    Err(Problem::Unreadable(e)) => json!({
                        "file": c.file, "valid": false, "messages": 0,
                        "errors": [], "unreadable": e.message,
                    }),
                })
                .collect();
            out.line(
                &json!({"valid": invalid == 0 && unreadable == 0, "files": files}).to_string(),
            )?;
        }
    }
    if unreadable > 0 {
        let reasons: Vec<String> = checked
            .iter()
            .filter_map(|c| match &c.result {
                Err(Problem::Unreadable(e)) => Some(format!("{}: {}", c.file, e.message)),
                _ => None,
            })
            .collect();
        return Err(CliError::usage(format!(
            "{unreadable} of {} file{} could not be checked: {}",
            checked.len(),
            if checked.len() == 1 { "" } else { "s" },
            reasons.join("; ")
        )));
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
