//! Reading what the user hands in: inline JSON, a file, or stdin; and the
//! schema definitions, keys and filters read from them. Every failure is a
//! usage error (exit 2) that names the option and the file.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_json::Value;
use streamsea_schema::{check_stream_name, SchemaDefinition};

use crate::exit::CliError;

/// The largest document read whole (a schema, a key, a payload file to
/// validate): larger input is refused rather than filling memory.
pub const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

/// Where an option's text comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `-`: standard input.
    Stdin,
    /// Text given on the command line.
    Inline(String),
    /// A file.
    File(PathBuf),
}

impl Source {
    /// Reads an option's value: `-` is stdin, text starting with `{` or `[`
    /// (after blanks) is inline JSON, anything else a file path.
    pub fn from_arg(value: &str) -> Source {
        let t = value.trim_start();
        if value == "-" {
            Source::Stdin
        } else if t.starts_with('{') || t.starts_with('[') {
            Source::Inline(value.to_string())
        } else {
            Source::File(PathBuf::from(value))
        }
    }

    /// A file path (never inline), `-` being stdin.
    pub fn file_arg(value: &str) -> Source {
        if value == "-" {
            Source::Stdin
        } else {
            Source::File(PathBuf::from(value))
        }
    }

    /// Opens the source as a reader, with its length in bytes when known.
    pub fn open(&self) -> Result<(Box<dyn Read + Send>, Option<u64>), CliError> {
        match self {
            Source::Stdin => Ok((Box::new(io::stdin()), None)),
            Source::Inline(text) => {
                let bytes = text.clone().into_bytes();
                let len = bytes.len() as u64;
                Ok((Box::new(io::Cursor::new(bytes)), Some(len)))
            }
            Source::File(path) => {
                let file = File::open(path).map_err(|e| file_error(path, &e))?;
                let len = file.metadata().map(|m| m.len()).ok();
                Ok((Box::new(file), len))
            }
        }
    }

    /// Reads the whole text, up to [`MAX_DOCUMENT_BYTES`].
    pub fn read_text(&self) -> Result<String, CliError> {
        if let Source::Inline(text) = self {
            return Ok(text.clone());
        }
        let (reader, _) = self.open()?;
        let mut bytes = Vec::new();
        reader
            .take(MAX_DOCUMENT_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| CliError::usage(format!("cannot read {self}: {e}")))?;
        if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
            return Err(CliError::usage(format!(
                "{self} is larger than {} MiB",
                MAX_DOCUMENT_BYTES / (1024 * 1024)
            )));
        }
        String::from_utf8(bytes).map_err(|e| {
            CliError::usage(format!(
                "{self} is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
        })
    }

    /// Reads the whole text as one JSON value.
    pub fn read_json(&self) -> Result<Value, CliError> {
        parse_json(&self.read_text()?, self)
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Stdin => f.write_str("stdin"),
            Source::Inline(_) => f.write_str("the inline JSON"),
            Source::File(path) => write!(f, "file `{}`", path.display()),
        }
    }
}

/// The error of opening or reading a file, naming it.
pub fn file_error(path: &Path, e: &io::Error) -> CliError {
    let reason = match e.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    CliError::usage(format!("cannot read file `{}`: {reason}", path.display()))
}

/// Parses JSON text read from `source`; the error says where (line, column).
pub fn parse_json<T: DeserializeOwned>(text: &str, source: &Source) -> Result<T, CliError> {
    serde_json::from_str(text).map_err(|e| CliError::usage(format!("{source}: {e}")))
}

/// Reads a schema definition (long or short form) from `--schema`'s value;
/// `stream`, when given, becomes its name.
pub fn definition(
    option: &str,
    value: &str,
    stream: Option<&str>,
) -> Result<SchemaDefinition, CliError> {
    let source = Source::from_arg(value);
    let json = source.read_json().map_err(|e| e.context(option))?;
    let mut def = SchemaDefinition::from_any_json(json).map_err(|e| {
        CliError::usage(format!(
            "{option}: {source} is not a schema definition: {e}"
        ))
    })?;
    if let Some(name) = stream {
        check_stream_name(name).map_err(|e| CliError::usage(format!("--stream: {e}")))?;
        def.name = Some(name.to_string());
    }
    Ok(def)
}

/// True when an option's value is PEM text itself rather than a file path
/// (the official tool took keys as text).
pub fn is_pem_text(value: &str) -> bool {
    value.trim_start().starts_with("-----BEGIN ")
}

/// Reads a PEM file, checking that it holds a PEM block of one of `labels`
/// (for example `PUBLIC KEY`).
pub fn pem(option: &str, path: &Path, labels: &[&str]) -> Result<String, CliError> {
    let text = Source::File(path.to_path_buf())
        .read_text()
        .map_err(|e| e.context(option))?;
    check_pem(option, &format!("file `{}`", path.display()), text, labels)
}

/// Checks PEM text given on the command line, as [`pem`] checks a file.
pub fn pem_text(option: &str, text: &str, labels: &[&str]) -> Result<String, CliError> {
    check_pem(option, "the PEM text", text.to_string(), labels)
}

/// A PEM key given as text or as a file path.
pub fn pem_arg(option: &str, value: &str, labels: &[&str]) -> Result<String, CliError> {
    if is_pem_text(value) {
        pem_text(option, value, labels)
    } else {
        pem(option, Path::new(value), labels)
    }
}

fn check_pem(option: &str, what: &str, text: String, labels: &[&str]) -> Result<String, CliError> {
    let found = labels
        .iter()
        .any(|label| text.contains(&format!("-----BEGIN {label}-----")));
    if !found {
        let wanted: Vec<String> = labels.iter().map(|l| format!("`{l}`")).collect();
        return Err(CliError::usage(format!(
            "{option}: {what} holds no PEM block {}",
            wanted.join(" or ")
        )));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_values_are_stdin_inline_or_files() {
        assert_eq!(Source::from_arg("-"), Source::Stdin);
        assert_eq!(
            Source::from_arg(" {\"a\": 1}"),
            Source::Inline(" {\"a\": 1}".into())
        );
        assert_eq!(Source::from_arg("[1]"), Source::Inline("[1]".into()));
        assert_eq!(Source::from_arg("a.json"), Source::File("a.json".into()));
        assert_eq!(Source::file_arg("{x}"), Source::File("{x}".into()));
    }

    #[test]
    fn errors_name_the_source_and_position() {
        let e = Source::from_arg("{\"a\": }").read_json().unwrap_err();
        assert!(e.message.starts_with("the inline JSON: "), "{e}");
        assert!(e.message.contains("column 7"), "{e}");
        let e = Source::from_arg("/nonexistent/x.json")
            .read_json()
            .unwrap_err();
        assert_eq!(
            e.message,
            "cannot read file `/nonexistent/x.json`: no such file"
        );
        let e = definition("--schema", "{\"temp\": \"flaot\"}", None).unwrap_err();
        assert!(e.message.contains("temp"), "{e}");
        assert!(e.message.contains("flaot"), "{e}");
        let e = definition("--schema", "{\"a\": \"float\"}", Some("bad name")).unwrap_err();
        assert!(e.message.starts_with("--stream: "), "{e}");
        let def = definition("--schema", "{\"a\": \"float\"}", Some("s")).unwrap();
        assert_eq!(def.name.as_deref(), Some("s"));
    }
}
