//! What a JWT says about itself, read without verifying it: the claims a
//! bearer's subscription is subject to, and whether the token has expired.
//! Used only to explain what the server does; the server decides.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;

/// The largest token read (a JWT with a filter is a few KiB).
const MAX_TOKEN_BYTES: usize = 64 * 1024;

/// The claims of a JWS compact token, or `None` when it is not one.
pub fn claims(token: &str) -> Option<Value> {
    if token.len() > MAX_TOKEN_BYTES {
        return None;
    }
    let mut parts = token.trim().split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice::<Value>(&bytes)
        .ok()
        .filter(Value::is_object)
}

/// True when the token's `mustFanout` claim is true: the server gives each
/// of the bearer's subscriptions a group of its own.
pub fn must_fanout(token: &str) -> bool {
    claims(token).is_some_and(|c| c["mustFanout"] == Value::Bool(true))
}

/// The seconds since the UNIX epoch.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `the JWT expired 3600 s ago (exp 1700000000)` when its `exp` has passed.
pub fn expiry_note(token: &str) -> Option<String> {
    let exp = claims(token)?.get("exp")?.as_u64()?;
    let now = now();
    (exp <= now).then(|| format!("the JWT expired {} s ago (exp {exp})", now - exp))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(claims: &str) -> String {
        format!(
            "eyJhbGciOiJSUzUxMiJ9.{}.c2ln",
            URL_SAFE_NO_PAD.encode(claims)
        )
    }

    #[test]
    fn reads_claims_and_expiry() {
        assert!(must_fanout(&token(r#"{"exp": 1, "mustFanout": true}"#)));
        assert!(!must_fanout(&token(r#"{"exp": 1}"#)));
        assert_eq!(
            expiry_note(&token(r#"{"exp": 0}"#)).map(|n| n.ends_with("(exp 0)")),
            Some(true)
        );
        assert_eq!(expiry_note(&token(r#"{"exp": 99999999999}"#)), None);
        assert_eq!(claims("not a token"), None);
        assert_eq!(claims("a.!!!.c"), None);
        assert_eq!(claims(&token("[1]")), None);
    }
}
