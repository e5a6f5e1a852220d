//! The subcommands, grouped by what they work on.

mod admin;
mod codegen;
pub(crate) mod diff;
mod jwt;
mod publish;
pub(crate) mod sample;
mod schema;
mod serve;
mod subscribe;
mod validate;

use crate::args::{Command, Connection};
use crate::exit::CliError;
use crate::output::Out;

/// Runs one subcommand.
pub async fn run(command: Command, connection: &Connection, out: Out) -> Result<(), CliError> {
    match command {
        Command::Define(a) => schema::define(a, connection, out).await,
        Command::Describe(a) => schema::describe(a, connection, out).await,
        Command::Svv(a) => schema::svv(a, connection, out).await,
        Command::JsonSchema(a) => schema::json_schema(a, connection, out).await,
        Command::Publish(a) => publish::publish(a, connection, out).await,
        Command::Subscribe(a) => subscribe::subscribe(a, connection, out).await,
        Command::CreateClient(a) => admin::create_client(a, connection, out).await,
        Command::DeleteClient(a) => admin::delete_client(a, connection, out).await,
        Command::RotateClientSecret(a) => admin::rotate_client_secret(a, connection, out).await,
        Command::RotateJwt(a) => admin::rotate_jwt(a, connection, out).await,
        Command::CreateJail(a) => admin::create_jail(a, connection, out).await,
        Command::DeleteJail(a) => admin::delete_jail(a, connection, out).await,
        Command::SignJwt(a) => jwt::sign_jwt(a, out),
        Command::GenerateKeypair(a) => jwt::generate_keypair(a, out).await,
        Command::Serve(a) => serve::serve(*a, out).await,
        Command::Validate(a) => validate::validate(a, connection, out).await,
        Command::Codegen(a) => codegen::codegen(a, connection, out).await,
        Command::Diff(a) => diff::diff(a, connection, out).await,
        Command::Sample(a) => sample::sample(a, connection, out).await,
    }
}
