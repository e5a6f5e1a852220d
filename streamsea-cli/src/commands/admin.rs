//! Administration: clients, secrets, JWT public keys and jails.

use serde_json::json;

use std::path::Path;

use streamsea_client::Client;

use crate::args::{
    Connection, CreateClientArgs, CreateJailArgs, DeleteClientArgs, DeleteJailArgs, RotateJwtArgs,
    RotateSecretArgs,
};
use crate::connect;
use crate::exit::CliError;
use crate::input;
use crate::output::Out;

/// `create-client`: prints the new client's id and secret.
pub async fn create_client(
    args: CreateClientArgs,
    connection: &Connection,
    out: Out,
) -> Result<(), CliError> {
    let client = connect::client(connection)?;
    let created = client.create_client(&args.id, &args.description).await?;
    out.result(
        || {
            format!(
                "Client Identifier: {}\nClient Secret: {}",
                created.client_id, created.secret
            )
        },
        || json!({"clientId": created.client_id, "description": created.description, "secret": created.secret}),
    )
}

/// `delete-client`.
pub async fn delete_client(
    args: DeleteClientArgs,
    connection: &Connection,
    out: Out,
) -> Result<(), CliError> {
    let client = connect::client(connection)?;
    client.delete_client(&args.id).await?;
    out.result(
        || format!("Client {} deleted", args.id),
        || json!({"clientId": args.id, "deleted": true}),
    )
}

/// Refuses a `-c ID` that names another client than the caller: a client
/// rotates only its own secret and key (the official tool took the option
/// and ignored it).
fn check_own_id(client: &Client, target: Option<&str>, what: &str) -> Result<(), CliError> {
    match target {
        Some(target) if target != client.client_id() => Err(CliError::usage(format!(
            "-c/--target-client-id `{target}`: a client rotates only its own {what}, and you authenticate as `{}` (authenticate as `{target}` to rotate its {what})",
            client.client_id()
        ))),
        _ => Ok(()),
    }
}

/// `rotate-client-secret`: replaces the caller's own secret, prints the new one.
pub async fn rotate_client_secret(
    args: RotateSecretArgs,
    connection: &Connection,
    out: Out,
) -> Result<(), CliError> {
    let client = connect::client(connection)?;
    check_own_id(&client, args.target_client_id.as_deref(), "secret")?;
    let rotated = client.rotate_secret().await?;
    let id = if rotated.client_id.is_empty() {
        client.client_id().to_string()
    } else {
        rotated.client_id
    };
    out.result(
        || format!("Client Identifier: {id}\nClient Secret: {}", rotated.secret),
        || json!({"clientId": id, "secret": rotated.secret}),
    )
}

/// `rotate-jwt`: sets the caller's JWT public key from a PEM file, or removes it.
pub async fn rotate_jwt(
    args: RotateJwtArgs,
    connection: &Connection,
    out: Out,
) -> Result<(), CliError> {
    const LABELS: [&str; 2] = ["PUBLIC KEY", "RSA PUBLIC KEY"];
    let key = match (args.public_key.as_deref(), args.clear) {
        // The official tool's way of removing the key.
        (Some("null"), false) | (None, true) => None,
        (Some(value), false) if input::is_pem_text(value) => {
            Some(input::pem_text("--public-key", value, &LABELS)?)
        }
        (Some(path), false) => Some(input::pem("--public-key", Path::new(path), &LABELS)?),
        _ => {
            return Err(CliError::usage(
                "pass either --public-key FILE|PEM or --clear",
            ))
        }
    };
    let client = connect::client(connection)?;
    check_own_id(&client, args.target_client_id.as_deref(), "JWT public key")?;
    client.rotate_jwt_public_key(key.as_deref()).await?;
    let id = client.client_id().to_string();
    let set = key.is_some();
    out.result(
        || {
            if set {
                format!("JWT public key of client {id} set")
            } else {
                format!("JWT public key of client {id} removed")
            }
        },
        || json!({"clientId": id, "jwtPublicKey": key}),
    )
}

/// `create-jail`: prints the jail, its first client and that client's secret.
pub async fn create_jail(
    args: CreateJailArgs,
    connection: &Connection,
    out: Out,
) -> Result<(), CliError> {
    let client = connect::client(connection)?;
    let name = args.name.as_deref().unwrap_or(&args.id);
    let created = client.create_jail(&args.id, name, &args.client).await?;
    out.result(
        || {
            format!(
                "Jail Identifier: {}\nClient Identifier: {}\nClient Secret: {}",
                created.new_jail_id, created.new_client_id, created.new_client_secret
            )
        },
        || {
            json!({
                "newJailId": created.new_jail_id,
                "newClientId": created.new_client_id,
                "newClientSecret": created.new_client_secret,
            })
        },
    )
}

/// `delete-jail`.
pub async fn delete_jail(
    args: DeleteJailArgs,
    connection: &Connection,
    out: Out,
) -> Result<(), CliError> {
    let client = connect::client(connection)?;
    client.delete_jail(&args.id).await?;
    out.result(
        || format!("Jail {} deleted", args.id),
        || json!({"jailId": args.id, "deleted": true}),
    )
}
