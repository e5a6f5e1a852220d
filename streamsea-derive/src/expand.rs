//! Code generation: the impls of `SchemaType`, `ArrayElement`,
//! `SchemaObject` and `StreamSchema`, inside `const _: () = { ... };` and
//! with absolute paths to the runtime crate, so user code needs no imports.

use proc_macro2::{Literal, TokenStream};
use quote::{quote, quote_spanned};
use streamsea_rules::WireType;
use syn::spanned::Spanned;
use syn::DeriveInput;

use crate::ast::{Field, Input, Shape, Variant};
use crate::attr::Kind;
use crate::bound;
use crate::valid::stated_type;

/// Generates the impls for an input that passed every check.
pub fn expand(input: &Input, krate: &TokenStream) -> TokenStream {
    let g = Gen { input, k: krate };
    let impls = match &input.data {
        Shape::Named(fields) if input.attrs.transparent.is_some() => {
            match fields.iter().find(|f| !f.skipped()) {
                Some(field) => g.newtype(field),
                None => quote!(),
            }
        }
        Shape::Named(fields) => g.object(fields),
        Shape::Newtype(field) => g.newtype(field),
        Shape::Enum(_) => g.enumeration(),
        Shape::OtherStruct { .. } | Shape::Union(_) => quote!(),
    };
    quote! {
        #[allow(non_upper_case_globals, unused_qualifications, clippy::all)]
        const _: () = {
            #impls
        };
    }
}

/// What is emitted beside the errors when the input has a mistake: impls
/// whose bodies never run (the crate does not compile), so that uses of the
/// type elsewhere do not add errors of their own.
pub fn fallback(input: &DeriveInput, payload: bool, krate: &TokenStream) -> TokenStream {
    let k = krate;
    let ident = &input.ident;
    let (ig, tg, wc) = input.generics.split_for_impl();
    let never = quote!(::core::unreachable!(
        "#[derive(StreamSchema)] reported a compile error"
    ));
    let mut out = quote! {
        #[automatically_derived]
        impl #ig #k::SchemaType for #ident #tg #wc {
            fn field_type() -> #k::FieldType { #never }
        }
    };
    out.extend(quote! {
        #[automatically_derived]
        impl #ig #k::ArrayElement for #ident #tg #wc {
            fn array_type() -> #k::FieldType { #never }
        }
    });
    if let syn::Data::Struct(_) = input.data {
        out.extend(quote! {
            #[automatically_derived]
            impl #ig #k::SchemaObject for #ident #tg #wc {
                fn fields() -> ::std::vec::Vec<#k::Field> { #never }
            }
        });
        if payload {
            out.extend(quote! {
                #[automatically_derived]
                impl #ig #k::StreamSchema for #ident #tg #wc {
                    const STREAM_NAME: &'static str = "";
                    const VERSION: u64 = 0;
                }
            });
        }
    }
    quote! {
        #[allow(unreachable_code, clippy::all)]
        const _: () = {
            #out
        };
    }
}

struct Gen<'a> {
    input: &'a Input<'a>,
    k: &'a TokenStream,
}

/// Code that builds the field type a `type = "..."` states (`object` and
/// `array<object>` with no fields: any object).
fn wire_type_tokens(k: &TokenStream, ty: WireType) -> TokenStream {
    match ty {
        WireType::String => quote!(#k::FieldType::String),
        WireType::Float => quote!(#k::FieldType::Float),
        WireType::Integer => quote!(#k::FieldType::Integer),
        WireType::Date => quote!(#k::FieldType::Date),
        WireType::StringArray => quote!(#k::FieldType::StringArray),
        WireType::FloatArray => quote!(#k::FieldType::FloatArray),
        WireType::IntegerArray => quote!(#k::FieldType::IntegerArray),
        WireType::DateArray => quote!(#k::FieldType::DateArray),
        WireType::Object => quote!(#k::FieldType::Object(::std::vec::Vec::new())),
        WireType::ObjectArray => quote!(#k::FieldType::ObjectArray(::std::vec::Vec::new())),
        // `valid` refuses a stated `enum`.
        WireType::Enum => quote!(#k::FieldType::Enum(::std::vec::Vec::new())),
    }
}

impl Gen<'_> {
    fn impl_head(&self, tr: TokenStream, where_clause: &syn::WhereClause) -> TokenStream {
        let ident = self.input.ident;
        let (ig, tg, _) = self.input.generics.split_for_impl();
        let wc = bound::tokens(where_clause);
        quote!(#[automatically_derived] impl #ig #tr for #ident #tg #wc)
    }

    /// The trait(s) a written field's type must implement.
    fn needed(&self, f: &Field) -> Option<TokenStream> {
        let k = self.k;
        if f.attrs.flatten.is_some() {
            return Some(quote!(#k::__private::Flatten));
        }
        if f.attrs.serialize_with.is_some() {
            return None;
        }
        match f.attrs.kinds.first() {
            None => Some(quote!(#k::SchemaType)),
            Some((Kind::Date, _)) => Some(quote!(#k::__private::DateField)),
            Some((Kind::OneOf(_), _)) => Some(quote!(#k::__private::OneOfField)),
            Some((Kind::Type(_), _)) => None,
        }
    }

    fn where_clause<'f>(
        &self,
        fields: impl Iterator<Item = &'f Field<'f>>,
        extra: &[TokenStream],
    ) -> syn::WhereClause {
        let needed: Vec<(&syn::Type, TokenStream)> = fields
            .filter_map(|f| self.needed(f).map(|b| (f.ty, b)))
            .collect();
        bound::where_clause(
            self.input.generics,
            self.input.attrs.bound.as_deref(),
            &needed,
            extra,
        )
    }

    /// The field type a kind states, for a field a function writes.
    fn stated(&self, f: &Field) -> TokenStream {
        let k = self.k;
        match f.attrs.kinds.first() {
            Some((Kind::Date, _)) => quote!(#k::FieldType::Date),
            Some((Kind::OneOf(values), _)) => {
                quote!(#k::FieldType::Enum(#k::__private::values(&[#(#values),*])))
            }
            Some((Kind::Type(lit), _)) => stated_type(&lit.value())
                .map(|ty| wire_type_tokens(k, ty))
                .unwrap_or_default(),
            // `valid` requires a kind beside `with`.
            None => quote!(#k::FieldType::String),
        }
    }

    /// The expression of a field's type.
    fn field_type(&self, f: &Field) -> TokenStream {
        let k = self.k;
        let ty = f.ty;
        let span = ty.span();
        if f.attrs.serialize_with.is_some() {
            return self.stated(f);
        }
        match f.attrs.kinds.first() {
            None => quote_spanned!(span=> <#ty as #k::SchemaType>::field_type()),
            Some((Kind::Date, _)) => {
                quote_spanned!(span=> <#ty as #k::__private::DateField>::field_type())
            }
            Some(_) => self.stated(f),
        }
    }

    /// The statement that checks a field at `path`. Local names are
    /// interpolated, never written under the field's span, so that hygiene
    /// keeps them visible when the type comes from another macro.
    ///
    /// A field serde leaves out when its `skip_serializing_if` predicate
    /// holds is not checked then; a field a function writes is checked by
    /// running the function and checking what it writes against the stated
    /// type.
    fn check(&self, f: &Field, path: TokenStream) -> TokenStream {
        let k = self.k;
        let ty = f.ty;
        let member = &f.member;
        let value = quote!(&self.#member);
        let report = quote!(__report);
        let span = ty.span();
        let check = if f.attrs.flatten.is_some() {
            quote_spanned!(span=>
                <#ty as #k::__private::Flatten>::check_flattened(#value, #path, #report);
            )
        } else if let Some((function, _)) = &f.attrs.serialize_with {
            let stated = self.stated(f);
            quote! {
                #k::__private::check_written(
                    #function(#value, #k::__private::JsonValueSerializer),
                    #stated,
                    #path,
                    #report,
                );
            }
        } else {
            match f.attrs.kinds.first() {
                None => {
                    quote_spanned!(span=> <#ty as #k::SchemaType>::check(#value, #path, #report);)
                }
                Some((Kind::Date, _)) => quote_spanned!(span=>
                    <#ty as #k::__private::DateField>::check_date(#value, #path, #report);
                ),
                Some((Kind::OneOf(values), _)) => quote_spanned!(span=>
                    <#ty as #k::__private::OneOfField>::check_one_of(#value, &[#(#values),*], #path, #report);
                ),
                Some((Kind::Type(_), _)) => quote!(),
            }
        };
        self.unless_skipped(f, check)
    }

    /// `code`, run only when serde writes the field.
    fn unless_skipped(&self, f: &Field, code: TokenStream) -> TokenStream {
        let member = &f.member;
        match &f.attrs.skip_serializing_if {
            Some(predicate) if !code.is_empty() => quote! {
                if !#predicate(&self.#member) {
                    #code
                }
            },
            _ => code,
        }
    }

    /// A struct with named fields: an `object`.
    ///
    /// Its check reports errors in the order the validator does: keys in
    /// byte order, so the fields are checked sorted by the names serde
    /// writes; with flattened structs, whose names are known only at run
    /// time, the keys of all are merged in that order.
    fn object(&self, fields: &[Field]) -> TokenStream {
        let k = self.k;
        let written: Vec<&Field> = fields.iter().filter(|f| !f.skipped()).collect();
        let wc = self.where_clause(written.iter().copied(), &[]);
        let mut pushes = Vec::new();
        if let Some(tag) = &self.input.attrs.tag {
            let value = self.input.ser_name();
            pushes.push(quote! {
                __fields.push(#k::Field::new(#tag, #k::FieldType::Enum(#k::__private::values(&[#value]))));
            });
        }
        let mut own: Vec<&Field> = Vec::new();
        let mut flattened: Vec<&Field> = Vec::new();
        for f in &written {
            let ty = f.ty;
            if f.attrs.flatten.is_some() {
                let inner = quote_spanned!(ty.span()=> <#ty as #k::__private::Flatten>::fields());
                pushes.push(quote!(__fields.extend(#inner);));
                flattened.push(f);
            } else {
                let name = &f.ser_name;
                let ft = self.field_type(f);
                pushes.push(quote!(__fields.push(#k::Field::new(#name, #ft));));
                own.push(f);
            }
        }
        own.sort_by(|a, b| a.ser_name.cmp(&b.ser_name));
        let names: Vec<&String> = own.iter().map(|f| &f.ser_name).collect();
        let arms: Vec<TokenStream> = own
            .iter()
            .map(|f| {
                let name = &f.ser_name;
                let check = self.check(f, quote!(&__path.key(#name)));
                quote!(#name => { #check })
            })
            .collect();
        let next_keys: Vec<TokenStream> = flattened
            .iter()
            .map(|f| {
                let ty = f.ty;
                quote!(__next = #k::__private::min_key(__next, <#ty as #k::__private::Flatten>::next_key(__after));)
            })
            .collect();
        let flattened_checks: Vec<TokenStream> = flattened
            .iter()
            .map(|f| {
                let ty = f.ty;
                let member = &f.member;
                let code = quote!(<#ty as #k::__private::Flatten>::check_key(&self.#member, __key, __path, __report););
                self.unless_skipped(f, code)
            })
            .collect();
        let check_body = if flattened.is_empty() {
            let checks = own.iter().map(|f| {
                let name = &f.ser_name;
                self.check(f, quote!(&__path.key(#name)))
            });
            quote!(#(#checks)*)
        } else {
            quote! {
                let mut __after: ::core::option::Option<&str> = ::core::option::Option::None;
                while let ::core::option::Option::Some(__key) =
                    <Self as #k::SchemaObject>::__next_key(__after)
                {
                    if __report.is_full() {
                        return;
                    }
                    <Self as #k::SchemaObject>::__check_key(self, __key, __path, __report);
                    __after = ::core::option::Option::Some(__key);
                }
            }
        };
        let capacity = pushes.len();
        let type_name = self.input.ident.to_string();
        // Only a flattened struct can bring a name the derive has not seen.
        let unique = (!flattened.is_empty())
            .then(|| quote!(#k::__private::unique_names(#type_name, &__fields);));
        let schema_type = self.impl_head(quote!(#k::SchemaType), &wc);
        let array_element = self.impl_head(quote!(#k::ArrayElement), &wc);
        let schema_object = self.impl_head(quote!(#k::SchemaObject), &wc);
        let payload = self.payload(&wc);
        quote! {
            #schema_type {
                fn field_type() -> #k::FieldType {
                    #k::FieldType::Object(<Self as #k::SchemaObject>::fields())
                }
                #[inline]
                fn check(&self, __path: &#k::Path<'_>, __report: &mut #k::Report) {
                    #check_body
                }
            }
            #array_element {
                fn array_type() -> #k::FieldType {
                    #k::FieldType::ObjectArray(<Self as #k::SchemaObject>::fields())
                }
            }
            #schema_object {
                fn fields() -> ::std::vec::Vec<#k::Field> {
                    let __nesting = #k::__private::Nesting::enter(::core::any::type_name::<Self>());
                    let mut __fields = ::std::vec::Vec::with_capacity(#capacity);
                    #(#pushes)*
                    #unique
                    __fields
                }
                fn __next_key(__after: ::core::option::Option<&str>) -> ::core::option::Option<&'static str> {
                    #[allow(unused_mut)]
                    let mut __next = #k::__private::next_name(&[#(#names),*], __after);
                    #(#next_keys)*
                    __next
                }
                #[allow(unused_variables)]
                fn __check_key(&self, __key: &str, __path: &#k::Path<'_>, __report: &mut #k::Report) {
                    match __key {
                        #(#arms)*
                        _ => { #(#flattened_checks)* }
                    }
                }
            }
            #payload
        }
    }

    fn payload(&self, wc: &syn::WhereClause) -> TokenStream {
        let k = self.k;
        let (Some(name), Some(version)) = (&self.input.attrs.name, &self.input.attrs.version)
        else {
            return quote!();
        };
        let Ok(version) = version.base10_parse::<u64>() else {
            return quote!();
        };
        let version = Literal::u64_unsuffixed(version);
        let head = self.impl_head(quote!(#k::StreamSchema), wc);
        quote! {
            #head {
                const STREAM_NAME: &'static str = #name;
                const VERSION: u64 = #version;
            }
        }
    }

    /// A newtype or transparent struct: the field's own type.
    fn newtype(&self, f: &Field) -> TokenStream {
        let k = self.k;
        let ty = f.ty;
        let member = &f.member;
        let wc = self.where_clause(std::iter::once(f), &[]);
        let field_type = self.field_type(f);
        let check = self.check(f, quote!(__path));
        let with = f.attrs.serialize_with.is_some();
        let is_optional = match f.attrs.kinds.first() {
            _ if with => quote!(false),
            None => quote!(<#ty as #k::SchemaType>::is_optional()),
            Some((Kind::Date, _)) => quote!(<#ty as #k::__private::DateField>::is_optional()),
            Some((Kind::OneOf(_), _)) => quote!(<#ty as #k::__private::OneOfField>::is_optional()),
            Some((Kind::Type(_), _)) => quote!(false),
        };
        let schema_type = self.impl_head(quote!(#k::SchemaType), &wc);
        let mut out = quote! {
            #schema_type {
                fn field_type() -> #k::FieldType {
                    #field_type
                }
                fn is_optional() -> bool {
                    #is_optional
                }
                #[inline]
                fn check(&self, __path: &#k::Path<'_>, __report: &mut #k::Report) {
                    #check
                }
            }
        };
        // Bounds under `for<'__s>` are checked where the impl is used rather
        // than where it is written, so a newtype of a type that is no array
        // element (or no object) simply lacks that impl.
        let stated_array = |w: Option<WireType>| {
            w.and_then(WireType::array_of)
                .map(|array| (quote!(), wire_type_tokens(k, array), quote!()))
        };
        let element = match f.attrs.kinds.first() {
            Some((Kind::Date, _)) if with => stated_array(Some(WireType::Date)),
            Some((Kind::Type(lit), _)) => stated_array(stated_type(&lit.value())),
            None if with => None,
            None => Some((
                quote!(for<'__s> #ty: #k::ArrayElement),
                quote!(<#ty as #k::ArrayElement>::array_type()),
                quote! {
                    #[inline]
                    fn check_element(&self, __path: &#k::Path<'_>, __report: &mut #k::Report) {
                        <#ty as #k::ArrayElement>::check_element(&self.#member, __path, __report)
                    }
                },
            )),
            Some((Kind::Date, _)) => Some((
                quote!(for<'__s> #ty: #k::__private::Text),
                quote!(#k::FieldType::DateArray),
                quote!(),
            )),
            Some((Kind::OneOf(_), _)) => None,
        };
        if let Some((extra, array, check_element)) = element {
            let extra: Vec<TokenStream> =
                (!extra.is_empty()).then_some(extra).into_iter().collect();
            let wc = self.where_clause(std::iter::once(f), &extra);
            let head = self.impl_head(quote!(#k::ArrayElement), &wc);
            out.extend(quote! {
                #head {
                    fn array_type() -> #k::FieldType {
                        #array
                    }
                    #check_element
                }
            });
        }
        if f.attrs.kinds.is_empty() && !with {
            let wc = self.where_clause(
                std::iter::once(f),
                &[quote!(for<'__s> #ty: #k::SchemaObject)],
            );
            let head = self.impl_head(quote!(#k::SchemaObject), &wc);
            out.extend(quote! {
                #head {
                    fn fields() -> ::std::vec::Vec<#k::Field> {
                        <#ty as #k::SchemaObject>::fields()
                    }
                    fn __next_key(__after: ::core::option::Option<&str>) -> ::core::option::Option<&'static str> {
                        <#ty as #k::SchemaObject>::__next_key(__after)
                    }
                    fn __check_key(&self, __key: &str, __path: &#k::Path<'_>, __report: &mut #k::Report) {
                        <#ty as #k::SchemaObject>::__check_key(&self.#member, __key, __path, __report)
                    }
                }
            });
        }
        out
    }

    /// An enum of unit variants: an `enum` of the names serde writes, and
    /// the element of an `array<string>` (stream-sea has no array of enum
    /// values). A value holding a variant serde does not write is reported.
    fn enumeration(&self) -> TokenStream {
        let k = self.k;
        let Shape::Enum(variants) = &self.input.data else {
            return quote!();
        };
        let values: Vec<&String> = variants
            .iter()
            .filter(|v| !v.attrs.skip_serializing)
            .map(|v| &v.ser_name)
            .collect();
        let type_name = self.input.ident.to_string();
        let skipped: Vec<&Variant> = variants
            .iter()
            .filter(|v| v.attrs.skip_serializing)
            .collect();
        let check = (!skipped.is_empty()).then(|| {
            let arms = skipped.iter().map(|v| {
                let ident = &v.original.ident;
                let name = ident.to_string();
                quote!(Self::#ident { .. } => #k::__private::skipped_variant(#type_name, #name, __path, __report),)
            });
            quote! {
                #[inline]
                fn check(&self, __path: &#k::Path<'_>, __report: &mut #k::Report) {
                    #[allow(unreachable_patterns)]
                    match self {
                        #(#arms)*
                        _ => {}
                    }
                }
            }
        });
        let wc = self.where_clause(std::iter::empty(), &[]);
        let head = self.impl_head(quote!(#k::SchemaType), &wc);
        let element = self.impl_head(quote!(#k::ArrayElement), &wc);
        quote! {
            #head {
                fn field_type() -> #k::FieldType {
                    #k::FieldType::Enum(#k::__private::values(&[#(#values),*]))
                }
                #check
            }
            #element {
                fn array_type() -> #k::FieldType {
                    #k::FieldType::StringArray
                }
            }
        }
    }
}
