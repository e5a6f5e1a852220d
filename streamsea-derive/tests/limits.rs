//! A type that contains itself and a type that only nests deeply fail with
//! messages that tell them apart.

use serde::Serialize;
use streamsea_derive::StreamSchema;
use streamsea_schema::{FieldType, SchemaObject, MAX_DEPTH};

/// Structs `$a` holding `$b` holding ..., the last holding an integer.
macro_rules! nest {
    ($a:ident $b:ident $($rest:ident)*) => {
        #[derive(Serialize, StreamSchema)]
        struct $a {
            next: $b,
        }
        nest!($b $($rest)*);
    };
    ($last:ident) => {
        #[derive(Serialize, StreamSchema)]
        struct $last {
            x: i64,
        }
    };
}

nest!(
    L0 L1 L2 L3 L4 L5 L6 L7 L8 L9 L10 L11 L12 L13 L14 L15 L16 L17 L18 L19 L20 L21 L22 L23 L24
    L25 L26 L27 L28 L29 L30 L31 L32
);

fn depth(fields: &[streamsea_schema::Field]) -> usize {
    fields
        .iter()
        .map(|f| match &f.ty {
            FieldType::Object(n) | FieldType::ObjectArray(n) => 1 + depth(n),
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

#[test]
fn nesting_up_to_the_limit_is_listed() {
    assert_eq!(MAX_DEPTH, 32);
    // L1 is 32 objects deep: itself and 31 nested.
    assert_eq!(depth(&L1::fields()), 31);
}

#[test]
#[should_panic(
    expected = "nests objects 33 levels deep, deeper than the 32 levels stream-sea accepts"
)]
fn one_level_more_is_too_deep_not_recursive() {
    let _ = L0::fields();
}

#[derive(Serialize, StreamSchema)]
struct Node {
    label: String,
    parent: Option<Box<Node>>,
}

#[test]
#[should_panic(expected = "limits::Node` contains itself (through its fields)")]
fn a_type_that_contains_itself_says_so_at_once() {
    let _ = Node::fields();
}

#[derive(Serialize, StreamSchema)]
struct Ping {
    pong: Option<Box<Pong>>,
}

#[derive(Serialize, StreamSchema)]
struct Pong {
    ping: Vec<Ping>,
}

#[test]
#[should_panic(expected = "limits::Ping` contains itself")]
fn mutual_recursion_is_found_too() {
    let _ = Ping::fields();
}

#[test]
fn the_same_generic_type_twice_is_not_recursion() {
    #[derive(Serialize, StreamSchema)]
    struct Wrap<T> {
        inner: T,
    }
    #[derive(Serialize, StreamSchema)]
    struct Leaf {
        x: i64,
    }
    let fields = <Wrap<Wrap<Leaf>> as SchemaObject>::fields();
    assert_eq!(depth(&fields), 2);
}
