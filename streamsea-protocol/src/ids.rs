//! Rules for identifiers: client ids, jail ids and subscription group ids.
//!
//! PROTOCOL.md names no rule for client and jail ids. Ours: 1 to 128 ASCII letters,
//! digits, `_`, `-` or `.` (they travel in URL paths and, for client ids,
//! before the `:` of a Basic credential). Group ids are RFC 4122 UUIDs in the
//! 8-4-4-4-12 form (PROTOCOL.md section 5).

/// The longest client or jail id accepted.
pub const MAX_ID_LEN: usize = streamsea_schema::rules::MAX_IDENTIFIER_LEN;

/// Why an identifier is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} {value:?}: {reason}")]
pub struct IdError {
    /// Which kind of identifier (`client id`, `jail id`, `groupId`).
    pub what: &'static str,
    /// The value given (cut to 64 characters).
    pub value: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

fn cut(value: &str) -> String {
    streamsea_schema::rules::clip(value, 64).into_owned()
}

/// The one identifier rule, shared with stream names
/// (`streamsea_schema::rules::check_identifier`).
fn check_id(what: &'static str, value: &str) -> Result<(), IdError> {
    streamsea_schema::rules::check_identifier(what, value).map_err(|e| IdError {
        what,
        value: cut(value),
        reason: e.reason,
    })
}

/// Checks a client id.
///
/// ```
/// assert!(streamsea_protocol::check_client_id("app-1").is_ok());
/// assert!(streamsea_protocol::check_client_id("a:b").is_err());
/// ```
pub fn check_client_id(value: &str) -> Result<(), IdError> {
    check_id("client id", value)
}

/// Checks a jail id.
pub fn check_jail_id(value: &str) -> Result<(), IdError> {
    check_id("jail id", value)
}

/// Checks a subscription `groupId`: a UUID in the 8-4-4-4-12 hexadecimal form.
///
/// ```
/// use streamsea_protocol::check_group_id;
/// assert!(check_group_id("6f1c2b1e-9a4d-4e2b-8c3f-1a2b3c4d5e6f").is_ok());
/// assert!(check_group_id("not-a-uuid").is_err());
/// ```
pub fn check_group_id(value: &str) -> Result<(), IdError> {
    let bytes = value.as_bytes();
    let well_formed = bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    if well_formed {
        Ok(())
    } else {
        Err(IdError {
            what: "groupId",
            value: cut(value),
            reason: "expected an RFC 4122 UUID (8-4-4-4-12 hexadecimal digits)",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(check_jail_id("").is_err());
        assert!(check_jail_id(&"a".repeat(129)).is_err());
        assert!(check_jail_id("..").is_err());
        assert!(check_jail_id("jail_1.x").is_ok());
        assert!(check_group_id("6F1C2B1E-9A4D-4E2B-8C3F-1A2B3C4D5E6F").is_ok());
        assert!(check_group_id("6f1c2b1e9a4d4e2b8c3f1a2b3c4d5e6f").is_err());
        assert!(check_group_id("6f1c2b1e-9a4d-4e2b-8c3f-1a2b3c4d5e6g").is_err());
    }
}
