//! What the derive can tell of a field's Rust type from how it is written:
//! the field type of the types it knows by name, and `Option<Option<T>>`.
//! The trait system decides everything else; this only lets the derive check
//! a stated `type` and give errors that say why.

use streamsea_rules::{known_rust_type, WireType};
use syn::{GenericArgument, PathArguments, Type};

/// The last segment of a path type and its type arguments.
fn last_segment(ty: &Type) -> Option<(String, Vec<&Type>)> {
    let Type::Path(p) = ty else { return None };
    if p.qself.is_some() {
        return None;
    }
    let seg = p.path.segments.last()?;
    let args = match &seg.arguments {
        PathArguments::None => Vec::new(),
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|a| match a {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        PathArguments::Parenthesized(_) => return None,
    };
    Some((seg.ident.to_string(), args))
}

/// The type inside smart pointers, references, groups and parentheses,
/// which serde writes as their content.
fn unwrap(ty: &Type) -> &Type {
    match ty {
        Type::Reference(r) => unwrap(&r.elem),
        Type::Paren(p) => unwrap(&p.elem),
        Type::Group(g) => unwrap(&g.elem),
        _ => match last_segment(ty) {
            Some((name, args))
                if matches!(name.as_str(), "Box" | "Arc" | "Rc" | "Cow") && args.len() == 1 =>
            {
                unwrap(args[0])
            }
            _ => ty,
        },
    }
}

/// The `T` of an `Option<T>` (through pointers).
fn option_inner(ty: &Type) -> Option<&Type> {
    match last_segment(unwrap(ty)) {
        Some((name, args)) if name == "Option" && args.len() == 1 => Some(args[0]),
        _ => None,
    }
}

/// True for `Option<Option<T>>` (through pointers).
pub fn is_option_of_option(ty: &Type) -> bool {
    option_inner(ty).is_some_and(|inner| option_inner(inner).is_some())
}

/// The field type of a type the derive knows by name: the scalars of
/// `streamsea_rules::KNOWN_RUST_TYPES`, optional, and in the arrays and sets.
pub fn known(ty: &Type) -> Option<WireType> {
    let ty = option_inner(ty).unwrap_or(ty);
    let ty = unwrap(ty);
    let element = match ty {
        Type::Array(a) => Some(&*a.elem),
        Type::Slice(s) => Some(&*s.elem),
        _ => None,
    };
    if let Some(e) = element {
        return scalar(e).and_then(WireType::array_of);
    }
    let (name, args) = last_segment(ty)?;
    match (name.as_str(), args.as_slice()) {
        ("Vec" | "VecDeque" | "BTreeSet", [e]) | ("HashSet", [e, ..]) => {
            scalar(e).and_then(WireType::array_of)
        }
        _ => scalar(ty),
    }
}

fn scalar(ty: &Type) -> Option<WireType> {
    let ty = unwrap(ty);
    match last_segment(ty) {
        Some((name, args)) if args.is_empty() => known_rust_type(&name),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(s: &str) -> Type {
        syn::parse_str(s).unwrap()
    }

    #[test]
    fn knows_scalars_and_their_arrays() {
        let cases = [
            ("f64", Some(WireType::Float)),
            ("Option<std::string::String>", Some(WireType::String)),
            ("Vec<String>", Some(WireType::StringArray)),
            ("HashSet<char, S>", Some(WireType::StringArray)),
            ("[u8; 4]", Some(WireType::IntegerArray)),
            ("Box<[f32]>", Some(WireType::FloatArray)),
            ("Vec<Reading>", None),
            ("Vec<Vec<i32>>", None),
            ("Meters", None),
        ];
        for (t, want) in cases {
            assert_eq!(known(&ty(t)), want, "{t}");
        }
        assert!(is_option_of_option(&ty("Option<Box<Option<i32>>>")));
        assert!(!is_option_of_option(&ty("Option<Vec<Option<i32>>>")));
    }
}
