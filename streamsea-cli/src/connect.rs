//! A client from the connection flags (or their `STREAMSEA_*` variables).

use streamsea_client::{env, BuildError, Client, ClientBuilder};

use crate::args::Connection;
use crate::exit::CliError;
use crate::input::file_error;

/// Builds the client the connection flags describe. No connection is opened
/// yet; a missing client id or credential is a usage error that names both
/// the flag and its variable.
pub fn client(connection: &Connection) -> Result<Client, CliError> {
    let id = non_empty(&connection.client_id).ok_or_else(|| {
        CliError::usage(format!(
            "no client id: pass --client-id or set {}",
            env::CLIENT_ID
        ))
    })?;
    let mut builder = ClientBuilder::new()
        .host(connection.host.trim())
        .secure(connection.secure);
    if let Some(port) = connection.port {
        builder = builder.port(port);
    }
    if let Some(path) = &connection.ca_cert {
        let pem = std::fs::read(path).map_err(|e| file_error(path, &e).context("--ca-cert"))?;
        builder = builder.add_root_certificate_pem(pem);
    }
    let given = connection.given;
    let mut secret = non_empty(&connection.client_secret);
    let mut jwt = non_empty(&connection.jwt);
    if secret.is_some() && jwt.is_some() && given.secret_flag != given.jwt_flag {
        // One came as a flag, the other from its variable: the flag wins.
        if given.secret_flag {
            jwt = None;
        } else {
            secret = None;
        }
    }
    builder = match (secret, jwt) {
        (Some(secret), None) => builder.basic(id, secret),
        (None, Some(jwt)) => builder.jwt(id, jwt.trim()),
        (Some(_), Some(_)) => {
            return Err(CliError::usage(format!(
                "both a client secret (--client-secret or {}) and a JWT (--jwt or {}) are given: give one",
                env::CLIENT_SECRET,
                env::JWT
            )))
        }
        (None, None) => {
            return Err(CliError::usage(format!(
                "no credentials: pass --client-secret (or set {}), or --jwt (or set {})",
                env::CLIENT_SECRET,
                env::JWT
            )))
        }
    };
    builder.build().map_err(|e| match e {
        BuildError::Tls(reason) => CliError::usage(format!("--ca-cert: {reason}")),
        other => other.into(),
    })
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::Given;

    fn connection(secure: bool, port: Option<u16>) -> Connection {
        Connection {
            host: "example.com".into(),
            port,
            secure,
            client_id: Some("app".into()),
            client_secret: Some("secret".into()),
            jwt: None,
            ca_cert: None,
            given: Given::default(),
        }
    }

    #[test]
    fn without_a_port_secure_connections_use_443_and_plain_ones_80() {
        // A URL without a port uses its scheme's: 443 for https and wss, 80
        // for http and ws.
        let secure = client(&connection(true, None)).unwrap();
        assert_eq!(secure.api_url(), "https://example.com/api/v1");
        assert_eq!(secure.ws_url(), "wss://example.com/api/v1/streams");
        let plain = client(&connection(false, None)).unwrap();
        assert_eq!(plain.api_url(), "http://example.com/api/v1");
        assert_eq!(plain.ws_url(), "ws://example.com/api/v1/streams");
        let given = client(&connection(true, Some(3104))).unwrap();
        assert_eq!(given.api_url(), "https://example.com:3104/api/v1");
    }
}
