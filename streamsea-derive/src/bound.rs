//! The where-clauses of the generated impls for generic types.
//!
//! Like serde, bounds are inferred from the fields that are written: each
//! such field whose type mentions a type parameter must implement the trait
//! its expansion calls (`Vec<T>: SchemaType`, which holds when `T` is an
//! array element). `#[stream_schema(bound = "...")]` replaces the inferred
//! bounds, as serde's `bound` does.

use proc_macro2::{TokenStream, TokenTree};
use quote::{quote, ToTokens};
use syn::{Generics, Ident, WhereClause, WherePredicate};

/// True when `tokens` mention one of `params`.
fn mentions(tokens: TokenStream, params: &[&Ident]) -> bool {
    tokens.into_iter().any(|tt| match tt {
        TokenTree::Ident(i) => params.iter().any(|p| **p == i),
        TokenTree::Group(g) => mentions(g.stream(), params),
        _ => false,
    })
}

/// The generics' where-clause with `extra` predicates added; `needed` lists
/// each written field's type with the trait its expansion needs, and is used
/// unless `given` (the container's `bound`) replaces it.
pub fn where_clause(
    generics: &Generics,
    given: Option<&[WherePredicate]>,
    needed: &[(&syn::Type, TokenStream)],
    extra: &[TokenStream],
) -> WhereClause {
    let params: Vec<&Ident> = generics.type_params().map(|p| &p.ident).collect();
    let mut clause = generics
        .where_clause
        .clone()
        .unwrap_or_else(|| syn::parse_quote!(where));
    match given {
        Some(preds) => clause.predicates.extend(preds.iter().cloned()),
        None => {
            for (ty, bound) in needed {
                if !params.is_empty() && mentions(ty.to_token_stream(), &params) {
                    clause.predicates.push(syn::parse_quote!(#ty: #bound));
                }
            }
        }
    }
    for pred in extra {
        clause.predicates.push(syn::parse_quote!(#pred));
    }
    clause
}

/// The where-clause tokens, empty when there is nothing to say.
pub fn tokens(clause: &WhereClause) -> TokenStream {
    if clause.predicates.is_empty() {
        quote!()
    } else {
        quote!(#clause)
    }
}
