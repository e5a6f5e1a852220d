//! `diff`: every change between two definitions with its compatibility
//! class; exit 0 when nothing breaks, 1 when something does.

use clap::Args;
use serde_json::{json, Value};
use streamsea_schema::{evolution, Change, ChangeKind, Evolution, SchemaDefinition};

use crate::args::Connection;
use crate::commands::schema;
use crate::connect;
use crate::exit::CliError;
use crate::input;
use crate::output::Out;

/// `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old definition: a file path, inline JSON (text starting with `{`)
    /// or `-` for stdin; long or short form. With --stream, leave it out:
    /// the server's schema is the old one.
    #[arg(value_name = "OLD")]
    pub old: Option<String>,
    /// The new definition, in the same forms.
    #[arg(value_name = "NEW")]
    pub new: Option<String>,
    /// Compare the server's current schema of this stream (the old side)
    /// with the one definition given (the new side).
    #[arg(long, short = 's', value_name = "NAME")]
    pub stream: Option<String>,
}

/// `diff`.
pub async fn diff(args: DiffArgs, connection: &Connection, out: Out) -> Result<(), CliError> {
    let (old, new) = match (&args.stream, &args.old, &args.new) {
        (Some(stream), Some(new), None) => {
            let new = input::definition("NEW", new, None)?;
            let old = schema::fetch(&connect::client(connection)?, stream).await?;
            (old, new)
        }
        (Some(_), _, _) => {
            return Err(CliError::usage(
                "with --stream, give one definition: the new one (the server's is the old one)",
            ))
        }
        (None, Some(old), Some(new)) => (
            input::definition("OLD", old, None)?,
            input::definition("NEW", new, None)?,
        ),
        (None, _, _) => {
            return Err(CliError::usage(
                "give two definitions, OLD and NEW, or --stream NAME and NEW",
            ))
        }
    };
    let e = evolution(&old, &new);
    out.result(|| e.to_string(), || to_json(&old, &new, &e))?;
    if e.is_breaking() {
        let what = match e.version_problem() {
            Some(problem) if !e.class.is_breaking() => problem,
            Some(problem) => format!("the change {}; {problem}", e.class),
            None => format!("the change {}", e.class),
        };
        return Err(CliError::failure(what));
    }
    Ok(())
}

fn to_json(old: &SchemaDefinition, new: &SchemaDefinition, e: &Evolution) -> Value {
    json!({
        "name": new.name.as_ref().or(old.name.as_ref()),
        "from": e.from,
        "to": e.to,
        "class": e.class.as_str(),
        "breaking": e.is_breaking(),
        "versionProblem": e.version_problem(),
        "changes": e.changes.iter().map(change_json).collect::<Vec<_>>(),
    })
}

fn change_json(c: &Change) -> Value {
    let mut v = json!({
        "path": c.path,
        "class": c.class.as_str(),
        "publishersPass": c.class.publishers_pass(),
        "consumersRead": c.class.consumers_read(),
        "text": c.to_string(),
    });
    match &c.kind {
        ChangeKind::FieldAdded(ty) => {
            v["change"] = json!("field-added");
            v["type"] = json!(ty.wire_name());
        }
        ChangeKind::FieldRemoved(ty) => {
            v["change"] = json!("field-removed");
            v["type"] = json!(ty.wire_name());
        }
        ChangeKind::Retyped { from, to } => {
            v["change"] = json!("retyped");
            v["fromType"] = json!(from.wire_name());
            v["toType"] = json!(to.wire_name());
        }
        ChangeKind::EnumValueAdded(value) => {
            v["change"] = json!("enum-value-added");
            v["value"] = json!(value);
        }
        ChangeKind::EnumValueRemoved(value) => {
            v["change"] = json!("enum-value-removed");
            v["value"] = json!(value);
        }
    }
    v
}
