// Rust types for the messages of stream `deep`, schema version 1,
// generated from its schema definition. Regenerate rather than edit.

use serde::{Deserialize, Serialize};
use streamsea::{Date, StreamSchema};

/// A message of stream `deep`, schema version 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "deep", version = 1)]
pub struct Deep {
    /// `depth1`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth1: Option<i64>,
    /// `child`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<Child>,
}

/// The object in field `child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Child {
    /// `depth2`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth2: Option<i64>,
    /// `child`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<Vec<ChildChild>>,
}

/// An element of the array in field `child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild {
    /// `depth3`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth3: Option<i64>,
    /// `child`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<ChildChild2>,
}

/// The object in field `child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild2 {
    /// `depth4`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth4: Option<i64>,
    /// `child`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<Vec<ChildChild3>>,
}

/// An element of the array in field `child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild3 {
    /// `depth5`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth5: Option<i64>,
    /// `child`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<ChildChild4>,
}

/// The object in field `child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild4 {
    /// `depth6`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth6: Option<i64>,
    /// `child`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<Vec<ChildChild5>>,
}

/// An element of the array in field `child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild5 {
    /// `depth7`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth7: Option<i64>,
    /// `child`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<ChildChild6>,
}

/// The object in field `child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild6 {
    /// `depth8`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth8: Option<i64>,
    /// `child`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<Vec<ChildChild7>>,
}

/// An element of the array in field `child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild7 {
    /// `depth9`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth9: Option<i64>,
    /// `child`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<ChildChild8>,
}

/// The object in field `child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild8 {
    /// `depth10`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth10: Option<i64>,
    /// `child`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<Vec<ChildChild9>>,
}

/// An element of the array in field `child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild9 {
    /// `depth11`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth11: Option<i64>,
    /// `child`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<ChildChild10>,
}

/// The object in field `child.child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild10 {
    /// `depth12`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth12: Option<i64>,
    /// `child`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<Vec<ChildChild11>>,
}

/// An element of the array in field `child.child.child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild11 {
    /// `depth13`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth13: Option<i64>,
    /// `child`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<ChildChild12>,
}

/// The object in field `child.child.child.child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild12 {
    /// `depth14`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth14: Option<i64>,
    /// `child`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<Vec<ChildChild13>>,
}

/// An element of the array in field `child.child.child.child.child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild13 {
    /// `depth15`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth15: Option<i64>,
    /// `child`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<ChildChild14>,
}

/// The object in field `child.child.child.child.child.child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild14 {
    /// `depth16`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth16: Option<i64>,
    /// `child`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<Vec<ChildChild15>>,
}

/// An element of the array in field `child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild15 {
    /// `depth17`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth17: Option<i64>,
    /// `child`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<ChildChild16>,
}

/// The object in field `child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild16 {
    /// `depth18`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth18: Option<i64>,
    /// `child`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<Vec<ChildChild17>>,
}

/// An element of the array in field `child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild17 {
    /// `depth19`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth19: Option<i64>,
    /// `child`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<ChildChild18>,
}

/// The object in field `child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild18 {
    /// `depth20`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth20: Option<i64>,
    /// `child`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<Vec<ChildChild19>>,
}

/// An element of the array in field `child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild19 {
    /// `depth21`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth21: Option<i64>,
    /// `child`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<ChildChild20>,
}

/// The object in field `child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild20 {
    /// `depth22`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth22: Option<i64>,
    /// `child`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<Vec<ChildChild21>>,
}

/// An element of the array in field `child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild21 {
    /// `depth23`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth23: Option<i64>,
    /// `child`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<ChildChild22>,
}

/// The object in field `child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild22 {
    /// `depth24`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth24: Option<i64>,
    /// `child`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<Vec<ChildChild23>>,
}

/// An element of the array in field `child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild23 {
    /// `depth25`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth25: Option<i64>,
    /// `child`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<ChildChild24>,
}

/// The object in field `child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild24 {
    /// `depth26`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth26: Option<i64>,
    /// `child`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<Vec<ChildChild25>>,
}

/// An element of the array in field `child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild25 {
    /// `depth27`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth27: Option<i64>,
    /// `child`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<ChildChild26>,
}

/// The object in field `child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild26 {
    /// `depth28`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth28: Option<i64>,
    /// `child`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<Vec<ChildChild27>>,
}

/// An element of the array in field `child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild27 {
    /// `depth29`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth29: Option<i64>,
    /// `child`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<ChildChild28>,
}

/// The object in field `child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild28 {
    /// `depth30`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth30: Option<i64>,
    /// `child`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<Vec<ChildChild29>>,
}

/// An element of the array in field `child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild29 {
    /// `depth31`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth31: Option<i64>,
    /// `child`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<ChildChild30>,
}

/// The object in field `child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child.child` of stream `deep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ChildChild30 {
    /// `leaf`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leaf: Option<i64>,
    /// `when`: `date`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<Date>,
}
