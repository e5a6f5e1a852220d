// Rust types for the messages of stream `collisions`, schema version 3,
// generated from its schema definition. Regenerate rather than edit.

use serde::{Deserialize, Serialize};
use streamsea::StreamSchema;

/// A message of stream `collisions`, schema version 3.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "collisions", version = 3)]
pub struct Collisions {
    /// `fooBar`: `string`.
    #[serde(rename = "fooBar", skip_serializing_if = "Option::is_none")]
    pub foo_bar_3: Option<String>,
    /// `foo_bar`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub foo_bar: Option<String>,
    /// `FOO-BAR`: `string`.
    #[serde(rename = "FOO-BAR", skip_serializing_if = "Option::is_none")]
    pub foo_bar_4: Option<String>,
    /// `foo bar`: `string`.
    #[serde(rename = "foo bar", skip_serializing_if = "Option::is_none")]
    pub foo_bar_5: Option<String>,
    /// `foo_bar_2`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub foo_bar_2: Option<String>,
    /// `Type`: `string`.
    #[serde(rename = "Type", skip_serializing_if = "Option::is_none")]
    pub type_2: Option<String>,
    /// `type`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// `site`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<Site>,
    /// `Site`: `object`.
    #[serde(rename = "Site", skip_serializing_if = "Option::is_none")]
    pub site_2: Option<CollisionsSite>,
    /// `sites`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sites: Option<Vec<CollisionsSite2>>,
    /// `collisions`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collisions: Option<CollisionsCollisions>,
    /// `kind`: `enum`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// `Kind`: `enum`.
    #[serde(rename = "Kind", skip_serializing_if = "Option::is_none")]
    pub kind_2: Option<CollisionsKind>,
}

/// The object in field `site` of stream `collisions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Site {
    /// `site`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<SiteSite>,
}

/// The object in field `Site` of stream `collisions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct CollisionsSite {
    /// `code`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// An element of the array in field `sites` of stream `collisions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct CollisionsSite2 {
    /// `code`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// The object in field `collisions` of stream `collisions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct CollisionsCollisions {
    /// `n`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<i64>,
}

/// The values of the enum in field `kind` of stream `collisions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, StreamSchema)]
pub enum Kind {
    /// `a`.
    #[serde(rename = "a")]
    A,
    /// `b`.
    #[serde(rename = "b")]
    B,
}

/// The values of the enum in field `Kind` of stream `collisions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, StreamSchema)]
pub enum CollisionsKind {
    /// `c`.
    #[serde(rename = "c")]
    C,
    /// `d`.
    #[serde(rename = "d")]
    D,
}

/// The object in field `site.site` of stream `collisions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct SiteSite {
    /// `site`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
}
