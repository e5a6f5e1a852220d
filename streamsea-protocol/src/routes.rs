//! The HTTP routes of PROTOCOL.md section 2 and the WebSocket endpoint of section 1,
//! defined once for the client and the server.
//!
//! Each route has a template relative to [`API_BASE`], written with `{name}`
//! placeholders (the syntax the server's router reads), and a function that
//! fills the placeholder with a percent-encoded value (what the client sends).
//!
//! ```
//! use streamsea_protocol::routes;
//! assert_eq!(routes::publish("boiler_data"), "/streams/boiler_data/publish");
//! assert_eq!(routes::delete_client("a b"), "/client/a%20b");
//! assert_eq!(routes::ws_url("localhost", Some(3104), false), "ws://localhost:3104/api/v1/streams");
//! ```

/// The prefix of every HTTP route.
pub const API_BASE: &str = "/api/v1";
/// The WebSocket endpoint, relative to [`API_BASE`].
pub const STREAMS_WS: &str = "/streams";

/// `POST`: publish one message or a batch.
pub const PUBLISH: &str = "/streams/{stream}/publish";
/// `POST`: define a stream's schema.
pub const DEFINE: &str = "/streams/{stream}/define";
/// `GET`: describe a stream's schema.
pub const DESCRIBE: &str = "/streams/{stream}/schema";
/// `POST`: read the versions of several schemas.
pub const SCHEMA_VERSIONS_VECTOR: &str = "/schema-versions-vector";
/// `POST`: create a client.
pub const CREATE_CLIENT: &str = "/client";
/// `DELETE` a client, or `PUT` to rotate the caller's own secret.
pub const CLIENT: &str = "/client/{clientId}";
/// `PUT`: set or clear the caller's JWT public key.
pub const JWT_PUBLIC_KEY: &str = "/client/{clientId}/jwt-public-key";
/// `POST`: create a jail.
pub const CREATE_JAIL: &str = "/jails";
/// `DELETE`: delete a jail.
pub const JAIL: &str = "/jails/{jailId}";

/// Every HTTP operation: its name, method and template (relative to [`API_BASE`]).
pub const OPERATIONS: [(&str, &str, &str); 10] = [
    ("publish", "POST", PUBLISH),
    ("define stream", "POST", DEFINE),
    ("describe stream", "GET", DESCRIBE),
    ("schema versions vector", "POST", SCHEMA_VERSIONS_VECTOR),
    ("create client", "POST", CREATE_CLIENT),
    ("delete client", "DELETE", CLIENT),
    ("rotate own secret", "PUT", CLIENT),
    ("rotate JWT public key", "PUT", JWT_PUBLIC_KEY),
    ("create jail", "POST", CREATE_JAIL),
    ("delete jail", "DELETE", JAIL),
];

/// Replaces the one `{...}` placeholder of `template` with `value`, percent-encoded.
fn fill(template: &str, value: &str) -> String {
    match (template.find('{'), template.find('}')) {
        (Some(open), Some(close)) if open < close => {
            let mut out = String::with_capacity(template.len() + value.len());
            out.push_str(&template[..open]);
            out.push_str(&encode_segment(value));
            out.push_str(&template[close + 1..]);
            out
        }
        _ => template.to_string(),
    }
}

/// Percent-encodes `value` for use as one path segment: everything but ASCII
/// letters, digits and `-._~` is encoded.
pub fn encode_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The path of [`PUBLISH`] for `stream`.
pub fn publish(stream: &str) -> String {
    fill(PUBLISH, stream)
}

/// The path of [`DEFINE`] for `stream`.
pub fn define(stream: &str) -> String {
    fill(DEFINE, stream)
}

/// The path of [`DESCRIBE`] for `stream`.
pub fn describe(stream: &str) -> String {
    fill(DESCRIBE, stream)
}

/// The path of [`CLIENT`] for deleting `client_id`.
pub fn delete_client(client_id: &str) -> String {
    fill(CLIENT, client_id)
}

/// The path of [`CLIENT`] for rotating the secret of `client_id` (the caller).
pub fn rotate_secret(client_id: &str) -> String {
    fill(CLIENT, client_id)
}

/// The path of [`JWT_PUBLIC_KEY`] for `client_id` (the caller).
pub fn jwt_public_key(client_id: &str) -> String {
    fill(JWT_PUBLIC_KEY, client_id)
}

/// The path of [`JAIL`] for `jail_id`.
pub fn delete_jail(jail_id: &str) -> String {
    fill(JAIL, jail_id)
}

/// The HTTP API base URL: `http[s]://{host}[:{port}]/api/v1`.
pub fn http_base_url(host: &str, port: Option<u16>, secure: bool) -> String {
    base_url(if secure { "https" } else { "http" }, host, port)
}

/// The WebSocket URL: `ws[s]://{host}[:{port}]/api/v1/streams`.
pub fn ws_url(host: &str, port: Option<u16>, secure: bool) -> String {
    let mut url = base_url(if secure { "wss" } else { "ws" }, host, port);
    url.push_str(STREAMS_WS);
    url
}

fn base_url(scheme: &str, host: &str, port: Option<u16>) -> String {
    // An IPv6 address is written in brackets in a URL.
    let bracketed;
    let host = if host.contains(':') && !host.starts_with('[') {
        bracketed = format!("[{host}]");
        bracketed.as_str()
    } else {
        host
    };
    match port {
        Some(p) => format!("{scheme}://{host}:{p}{API_BASE}"),
        None => format!("{scheme}://{host}{API_BASE}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_every_template() {
        assert_eq!(define("s"), "/streams/s/define");
        assert_eq!(describe("s"), "/streams/s/schema");
        assert_eq!(rotate_secret("me"), "/client/me");
        assert_eq!(jwt_public_key("me"), "/client/me/jwt-public-key");
        assert_eq!(delete_jail("j/1"), "/jails/j%2F1");
        assert_eq!(
            http_base_url("h", None, true),
            "https://h/api/v1".to_string()
        );
    }

    #[test]
    fn ipv6_hosts_are_bracketed() {
        assert_eq!(
            http_base_url("::1", Some(3104), false),
            "http://[::1]:3104/api/v1"
        );
        assert_eq!(ws_url("[::1]", None, true), "wss://[::1]/api/v1/streams");
    }
}
