//! Administration: clients, secrets, JWT public keys and jails.

use serde_json::json;

use crate::args::{
    Connection, CreateClientArgs, CreateJailArgs, DeleteClientArgs, DeleteJailArgs, RotateJwtArgs,
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

/// `rotate-client-secret`: replaces the caller's own secret, prints the new one.
pub async fn rotate_client_secret(connection: &Connection, out: Out) -> Result<(), CliError> {
    let client = connect::client(connection)?;
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
    let key = match (&args.public_key, args.clear) {
        (Some(path), false) => Some(input::pem(
            "--public-key",
            path,
            &["PUBLIC KEY", "RSA PUBLIC KEY"],
        )?),
        (None, true) => None,
        _ => return Err(CliError::usage("pass either --public-key FILE or --clear")),
    };
    let client = connect::client(connection)?;
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
