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
//!
//! let publish = routes::Operation::Publish.route();
//! assert_eq!((publish.method.as_str(), publish.template), ("POST", routes::PUBLISH));
//! assert!(publish.retry.repeat_can_duplicate());
//! ```
//!
//! [`ROUTES`] is the one table of every operation, with its retry class
//! ([`RetryClass`]): what sending it a second time can do.

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

/// An HTTP method of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method's name on the wire (`"GET"`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// What sending an operation a second time can do: the retry class of an
/// operation.
///
/// It decides what a client may do after a failure whose outcome it cannot
/// know (a reset after sending, a timeout, a `5xx` answer): repeat the call or
/// report that the effect may or may not have happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryClass {
    /// Reads: nothing changes on the server; repeating is always safe.
    Read,
    /// Changes that a repeat cannot duplicate: the second call finds the
    /// change made and changes nothing more (it may answer differently, for
    /// example 404 after a delete).
    Idempotent,
    /// Changes that a repeat can duplicate (a publish delivers the message
    /// twice) or whose answer is lost with the first call (a generated
    /// secret): never repeated without knowing the first call's outcome.
    NotIdempotent,
}

impl RetryClass {
    /// True when repeating the call can duplicate an effect or lose one.
    pub const fn repeat_can_duplicate(self) -> bool {
        matches!(self, RetryClass::NotIdempotent)
    }
}

/// Names every HTTP operation of PROTOCOL.md section 2; [`Operation::route`]
/// gives its method, path template and retry class from [`ROUTES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// Publish one message or a batch.
    Publish,
    /// Define a stream's schema.
    DefineStream,
    /// Describe a stream's schema.
    DescribeStream,
    /// Read the current versions of several schemas.
    SchemaVersionsVector,
    /// Create a client.
    CreateClient,
    /// Delete a client.
    DeleteClient,
    /// Rotate the caller's own secret.
    RotateSecret,
    /// Set or clear the caller's JWT public key.
    RotateJwtPublicKey,
    /// Create a jail.
    CreateJail,
    /// Delete a jail.
    DeleteJail,
}

/// One row of the route table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// The operation.
    pub operation: Operation,
    /// Its name in messages (`"publish"`, `"describe stream"`, ...).
    pub name: &'static str,
    /// Its method.
    pub method: Method,
    /// Its path template, relative to [`API_BASE`].
    pub template: &'static str,
    /// What repeating it can do.
    pub retry: RetryClass,
}

impl Operation {
    /// The operation's row of [`ROUTES`].
    pub const fn route(self) -> &'static Route {
        &ROUTES[self as usize]
    }

    /// The operation's name in messages.
    pub const fn name(self) -> &'static str {
        self.route().name
    }

    /// The operation's retry class.
    pub const fn retry(self) -> RetryClass {
        self.route().retry
    }
}

/// Every HTTP operation: name, method, path template (relative to
/// [`API_BASE`]) and retry class, in the order of [`Operation`]. The client
/// builds its requests and the server its router from this one table.
///
/// | operation | method | path | retry class |
/// |---|---|---|---|
/// | publish | `POST` | `/streams/{stream}/publish` | not idempotent: a repeat publishes twice |
/// | define stream | `POST` | `/streams/{stream}/define` | idempotent: the same definition again changes nothing |
/// | describe stream | `GET` | `/streams/{stream}/schema` | read |
/// | schema versions vector | `POST` | `/schema-versions-vector` | read |
/// | create client | `POST` | `/client` | not idempotent: the first call's secret is lost, the repeat is refused |
/// | delete client | `DELETE` | `/client/{clientId}` | idempotent |
/// | rotate own secret | `PUT` | `/client/{clientId}` | not idempotent: each call makes a new secret |
/// | rotate JWT public key | `PUT` | `/client/{clientId}/jwt-public-key` | idempotent |
/// | create jail | `POST` | `/jails` | not idempotent: the first call's secret is lost, the repeat is refused |
/// | delete jail | `DELETE` | `/jails/{jailId}` | idempotent |
pub const ROUTES: [Route; 10] = [
    route(
        Operation::Publish,
        "publish",
        Method::Post,
        PUBLISH,
        RetryClass::NotIdempotent,
    ),
    route(
        Operation::DefineStream,
        "define stream",
        Method::Post,
        DEFINE,
        RetryClass::Idempotent,
    ),
    route(
        Operation::DescribeStream,
        "describe stream",
        Method::Get,
        DESCRIBE,
        RetryClass::Read,
    ),
    route(
        Operation::SchemaVersionsVector,
        "schema versions vector",
        Method::Post,
        SCHEMA_VERSIONS_VECTOR,
        RetryClass::Read,
    ),
    route(
        Operation::CreateClient,
        "create client",
        Method::Post,
        CREATE_CLIENT,
        RetryClass::NotIdempotent,
    ),
    route(
        Operation::DeleteClient,
        "delete client",
        Method::Delete,
        CLIENT,
        RetryClass::Idempotent,
    ),
    route(
        Operation::RotateSecret,
        "rotate own secret",
        Method::Put,
        CLIENT,
        RetryClass::NotIdempotent,
    ),
    route(
        Operation::RotateJwtPublicKey,
        "rotate JWT public key",
        Method::Put,
        JWT_PUBLIC_KEY,
        RetryClass::Idempotent,
    ),
    route(
        Operation::CreateJail,
        "create jail",
        Method::Post,
        CREATE_JAIL,
        RetryClass::NotIdempotent,
    ),
    route(
        Operation::DeleteJail,
        "delete jail",
        Method::Delete,
        JAIL,
        RetryClass::Idempotent,
    ),
];

const fn route(
    operation: Operation,
    name: &'static str,
    method: Method,
    template: &'static str,
    retry: RetryClass,
) -> Route {
    Route {
        operation,
        name,
        method,
        template,
        retry,
    }
}

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
    fn the_table_is_in_operation_order_and_has_one_row_per_method_and_path() {
        for (i, r) in ROUTES.iter().enumerate() {
            assert_eq!(r.operation as usize, i, "{}", r.name);
            assert!(r.template.starts_with('/'), "{}", r.name);
        }
        for a in &ROUTES {
            let same = ROUTES
                .iter()
                .filter(|b| a.method == b.method && a.template == b.template)
                .count();
            assert_eq!(same, 1, "{} {}", a.method.as_str(), a.template);
        }
        assert!(Operation::Publish.retry().repeat_can_duplicate());
        assert!(!Operation::DescribeStream.retry().repeat_can_duplicate());
        assert_eq!(Operation::DeleteJail.name(), "delete jail");
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
