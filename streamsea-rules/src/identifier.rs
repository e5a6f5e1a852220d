//! The one rule for names that travel in URL paths and credentials: stream
//! names, client ids and jail ids.

use std::fmt;

/// The longest stream name, client id or jail id accepted.
pub const MAX_IDENTIFIER_LEN: usize = 128;

/// Why a name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameError {
    /// What kind of name (`stream name`, `client id`, `jail id`).
    pub what: &'static str,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.what, self.reason)
    }
}

impl std::error::Error for NameError {}

/// Checks `value` as an identifier called `what`: 1 to 128 ASCII letters,
/// digits, `_`, `-` or `.`, and not `.` or `..` (PROTOCOL.md names no rule;
/// this is ours, so names are safe in URL paths and before the `:` of a Basic
/// credential).
///
/// ```
/// use streamsea_rules::check_identifier;
/// assert!(check_identifier("client id", "app-1").is_ok());
/// assert_eq!(check_identifier("jail id", "..").unwrap_err().reason, "it cannot be `.` or `..`");
/// ```
pub fn check_identifier(what: &'static str, value: &str) -> Result<(), NameError> {
    let bad = |reason| Err(NameError { what, reason });
    if value.is_empty() {
        return bad("it is empty");
    }
    if value.len() > MAX_IDENTIFIER_LEN {
        return bad("it is longer than 128 characters");
    }
    if value == "." || value == ".." {
        return bad("it cannot be `.` or `..`");
    }
    if !value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
    {
        return bad("only ASCII letters, digits, `_`, `-` and `.` are allowed");
    }
    Ok(())
}

/// Checks a stream name (the identifier rule of [`check_identifier`]).
pub fn check_stream_name(name: &str) -> Result<(), NameError> {
    check_identifier("stream name", name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_rule() {
        for ok in ["a", "boiler_data", "v1.2-x", &"x".repeat(128)] {
            assert_eq!(check_stream_name(ok), Ok(()), "{ok}");
        }
        for (bad, reason) in [
            ("", "it is empty"),
            (".", "it cannot be `.` or `..`"),
            ("..", "it cannot be `.` or `..`"),
            (
                "a b",
                "only ASCII letters, digits, `_`, `-` and `.` are allowed",
            ),
            (
                "é",
                "only ASCII letters, digits, `_`, `-` and `.` are allowed",
            ),
        ] {
            assert_eq!(check_stream_name(bad).unwrap_err().reason, reason, "{bad}");
        }
        let long = "x".repeat(129);
        assert_eq!(
            check_stream_name(&long).unwrap_err().to_string(),
            "invalid stream name: it is longer than 128 characters"
        );
    }
}
