//! Where the runtime crate is, seen from the code being compiled.
//!
//! Users depend on the facade `streamsea` (which holds the runtime as
//! `streamsea::schema`) or on `streamsea-schema` itself. The expansion names
//! the runtime by an absolute path found in the compiled package's manifest:
//! `streamsea` first, then `streamsea-schema`, under whatever name the
//! manifest gives them. Inside the facade's own package the path is
//! `::streamsea::schema` too (its library declares `extern crate self as
//! streamsea`); inside the `streamsea-schema` library it is `crate`, while
//! that package's tests and examples use `::streamsea_schema`.
//! `#[stream_schema(crate = "path")]` overrides the search.

use std::env;

use proc_macro2::{Span, TokenStream};
use proc_macro_crate::{crate_name, FoundCrate};
use quote::{format_ident, quote};

/// The path of the runtime crate, or why it cannot be found.
pub fn runtime(override_path: Option<&syn::Path>) -> Result<TokenStream, syn::Error> {
    if let Some(path) = override_path {
        return Ok(quote!(#path));
    }
    // The library target of the package being compiled, as opposed to its
    // tests, examples and benches, which are crates of their own.
    let compiling = env::var("CARGO_CRATE_NAME").unwrap_or_default();
    if let Ok(found) = crate_name("streamsea") {
        return Ok(match found {
            // The facade's library declares `extern crate self as streamsea`.
            FoundCrate::Itself => quote!(::streamsea::schema),
            FoundCrate::Name(name) => {
                let name = format_ident!("{}", name);
                quote!(::#name::schema)
            }
        });
    }
    if let Ok(found) = crate_name("streamsea-schema") {
        return Ok(match found {
            FoundCrate::Itself if compiling == "streamsea_schema" => quote!(crate),
            FoundCrate::Itself => quote!(::streamsea_schema),
            FoundCrate::Name(name) => {
                let name = format_ident!("{}", name);
                quote!(::#name)
            }
        });
    }
    Err(syn::Error::new(
        Span::call_site(),
        "#[derive(StreamSchema)] found neither `streamsea` nor `streamsea-schema` among this package's dependencies: add one of them, or name the runtime with #[stream_schema(crate = \"path\")]",
    ))
}
