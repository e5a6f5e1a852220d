//! JWT access (PROTOCOL.md section 6): the claims a stream-sea token carries.
//!
//! Tokens are signed with RS512 ([`ALGORITHM`]) and serialized in JWS compact
//! form; any other algorithm is refused.
//!
//! ```
//! use streamsea_protocol::jwt::Claims;
//! let c: Claims = serde_json::from_str(r#"{"exp": 1893456000, "mustFanout": true}"#).unwrap();
//! assert!(c.must_fanout && c.filter.is_none());
//! assert_eq!(serde_json::to_string(&Claims::default_for_tool()).unwrap(), r#"{"exp":1893456000,"mustFanout":true}"#);
//! ```

use serde::{Deserialize, Serialize};

use crate::filter::Filter;

/// The one signing algorithm stream-sea accepts, as written in a JWS header.
pub const ALGORITHM: &str = "RS512";

/// The claims of a stream-sea JWT.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Claims {
    /// Expiry, UNIX seconds (required): once passed, the bearer's connection
    /// is closed and reconnecting fails.
    pub exp: u64,
    /// Every subscription of the bearer gets a group of its own.
    #[serde(default)]
    pub must_fanout: bool,
    /// Only messages for which this filter is truthy are delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
}

impl Claims {
    /// The official tool's default claims: `{"exp": 1893456000, "mustFanout": true}`.
    pub fn default_for_tool() -> Claims {
        Claims {
            exp: 1_893_456_000,
            must_fanout: true,
            filter: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_a_filter() {
        let c: Claims = serde_json::from_value(json!({
            "exp": 10, "filter": {"t": "path", "e": "a"}, "other": 1
        }))
        .unwrap();
        assert!(!c.must_fanout);
        assert_eq!(c.filter, Some(Filter::path("a")));
    }

    #[test]
    fn exp_is_required_and_bad_filters_are_refused() {
        assert!(serde_json::from_value::<Claims>(json!({"mustFanout": true})).is_err());
        let e =
            serde_json::from_value::<Claims>(json!({"exp": 1, "filter": {"t": "x"}})).unwrap_err();
        assert!(e.to_string().contains("unknown node type"), "{e}");
    }
}
