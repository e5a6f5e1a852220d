//! Validates payload files against a stream schema.
//!
//! ```text
//! cargo run --example validate -- SCHEMA.json PAYLOAD.json [PAYLOAD.json ...]
//! ```
//!
//! The schema may be in the long form or the command-line short form. Each
//! payload file holds one message (an object) or a batch (an array of
//! objects). Prints `ok` per valid file or every error with its path; exits 0
//! when all are valid, 1 when any is invalid, 2 on unreadable or malformed
//! input.

use std::process::ExitCode;

use serde_json::Value;
use streamsea::{SchemaDefinition, Validator};

fn read_json(path: &str) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("{path}: not valid JSON: {e}"))
}

fn run(args: &[String]) -> Result<bool, String> {
    let [schema_path, payloads @ ..] = args else {
        return Err("usage: validate SCHEMA.json PAYLOAD.json [PAYLOAD.json ...]".into());
    };
    if payloads.is_empty() {
        return Err("usage: validate SCHEMA.json PAYLOAD.json [PAYLOAD.json ...]".into());
    }
    let def = SchemaDefinition::from_any_json(read_json(schema_path)?)
        .map_err(|e| format!("{schema_path}: not a schema definition: {e}"))?;
    let validator = Validator::new(&def);
    // Read every file first, so malformed input is reported before any verdict.
    let docs = payloads
        .iter()
        .map(|p| read_json(p).map(|v| (p, v)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut all_valid = true;
    for (path, payload) in docs {
        match validator.validate_payload(&payload) {
            Ok(()) => println!("{path}: ok"),
            Err(errors) => {
                all_valid = false;
                println!("{path}: {errors}");
            }
        }
    }
    Ok(all_valid)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
