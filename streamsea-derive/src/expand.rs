//! Code generation: the impls of `SchemaType`, `ArrayElement`,
//! `SchemaObject` and `StreamSchema`, inside `const _: () = { ... };` and
//! with absolute paths to the runtime crate, so user code needs no imports.

use proc_macro2::{Literal, TokenStream};
use quote::{quote, quote_spanned};
use streamsea_schema::FieldType;
use syn::spanned::Spanned;
use syn::DeriveInput;

use crate::ast::{Field, Input, Shape};
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
    if let syn::Data::Struct(_) = input.data {
        out.extend(quote! {
            #[automatically_derived]
            impl #ig #k::ArrayElement for #ident #tg #wc {
                fn array_type() -> #k::FieldType { #never }
            }
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

/// Code that builds `ty`.
fn field_type_tokens(k: &TokenStream, ty: &FieldType) -> TokenStream {
    let fields = |fields: &[streamsea_schema::Field]| {
        let items = fields.iter().map(|f| {
            let name = &f.name;
            let ty = field_type_tokens(k, &f.ty);
            quote!(#k::Field::new(#name, #ty))
        });
        quote!(::std::vec![#(#items),*])
    };
    match ty {
        FieldType::String => quote!(#k::FieldType::String),
        FieldType::Float => quote!(#k::FieldType::Float),
        FieldType::Integer => quote!(#k::FieldType::Integer),
        FieldType::Date => quote!(#k::FieldType::Date),
        FieldType::StringArray => quote!(#k::FieldType::StringArray),
        FieldType::FloatArray => quote!(#k::FieldType::FloatArray),
        FieldType::IntegerArray => quote!(#k::FieldType::IntegerArray),
        FieldType::DateArray => quote!(#k::FieldType::DateArray),
        FieldType::Enum(values) => {
            quote!(#k::FieldType::Enum(#k::__private::values(&[#(#values),*])))
        }
        FieldType::Object(f) => {
            let f = fields(f);
            quote!(#k::FieldType::Object(#f))
        }
        FieldType::ObjectArray(f) => {
            let f = fields(f);
            quote!(#k::FieldType::ObjectArray(#f))
        }
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

    /// The expression of a field's type.
    fn field_type(&self, f: &Field) -> TokenStream {
        let k = self.k;
        let ty = f.ty;
        let span = ty.span();
        match f.attrs.kinds.first() {
            None => quote_spanned!(span=> <#ty as #k::SchemaType>::field_type()),
            Some((Kind::Date, _)) => {
                quote_spanned!(span=> <#ty as #k::__private::DateField>::field_type())
            }
            Some((Kind::OneOf(values), _)) => {
                quote!(#k::FieldType::Enum(#k::__private::values(&[#(#values),*])))
            }
            // `valid` rejected names `stated_type` does not know.
            Some((Kind::Type(lit), _)) => stated_type(&lit.value())
                .map(|ty| field_type_tokens(k, &ty))
                .unwrap_or_default(),
        }
    }

    /// The statement that checks a field at `path`. Local names are
    /// interpolated, never written under the field's span, so that hygiene
    /// keeps them visible when the type comes from another macro.
    ///
    /// A field serde writes through a function (`with`, `serialize_with`)
    /// skips its type's own check, which describes how the type writes
    /// itself: `chrono_utc` drops the fraction a `DateTime<Utc>` would be
    /// reported for. A stated `date` or `one_of` is still checked.
    fn check(&self, f: &Field, path: TokenStream) -> TokenStream {
        let k = self.k;
        let ty = f.ty;
        let member = &f.member;
        let value = quote!(&self.#member);
        let report = quote!(__report);
        let span = ty.span();
        if f.attrs.flatten.is_some() {
            return quote_spanned!(span=>
                <#ty as #k::__private::Flatten>::check_flattened(#value, #path, #report);
            );
        }
        match f.attrs.kinds.first() {
            None if f.attrs.serialize_with => quote!(),
            None => quote_spanned!(span=> <#ty as #k::SchemaType>::check(#value, #path, #report);),
            Some((Kind::Date, _)) => quote_spanned!(span=>
                <#ty as #k::__private::DateField>::check_date(#value, #path, #report);
            ),
            Some((Kind::OneOf(values), _)) => quote_spanned!(span=>
                <#ty as #k::__private::OneOfField>::check_one_of(#value, &[#(#values),*], #path, #report);
            ),
            Some((Kind::Type(_), _)) => quote!(),
        }
    }

    /// A struct with named fields: an `object`.
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
        let mut checks = Vec::new();
        for f in &written {
            let ty = f.ty;
            if f.attrs.flatten.is_some() {
                let inner = quote_spanned!(ty.span()=> <#ty as #k::__private::Flatten>::fields());
                pushes.push(quote!(__fields.extend(#inner);));
                checks.push(self.check(f, quote!(__path)));
            } else {
                let name = &f.ser_name;
                let ft = self.field_type(f);
                pushes.push(quote!(__fields.push(#k::Field::new(#name, #ft));));
                checks.push(self.check(f, quote!(&__path.key(#name))));
            }
        }
        let capacity = pushes.len();
        let type_name = self.input.ident.to_string();
        // Only a flattened struct can bring a name the derive has not seen.
        let unique = written
            .iter()
            .any(|f| f.attrs.flatten.is_some())
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
                    #(#checks)*
                }
            }
            #array_element {
                fn array_type() -> #k::FieldType {
                    #k::FieldType::ObjectArray(<Self as #k::SchemaObject>::fields())
                }
            }
            #schema_object {
                fn fields() -> ::std::vec::Vec<#k::Field> {
                    let __nesting = #k::__private::Nesting::enter(#type_name);
                    let mut __fields = ::std::vec::Vec::with_capacity(#capacity);
                    #(#pushes)*
                    #unique
                    __fields
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
        let wc = self.where_clause(std::iter::once(f), &[]);
        let field_type = self.field_type(f);
        let check = self.check(f, quote!(__path));
        let is_optional = match f.attrs.kinds.first() {
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
        let element = match f.attrs.kinds.first() {
            None => Some((
                quote!(for<'__s> #ty: #k::ArrayElement),
                quote!(<#ty as #k::ArrayElement>::array_type()),
            )),
            Some((Kind::Date, _)) => Some((
                quote!(for<'__s> #ty: #k::__private::Text),
                quote!(#k::FieldType::DateArray),
            )),
            Some((Kind::OneOf(_), _)) => None,
            Some((Kind::Type(lit), _)) => stated_type(&lit.value())
                .and_then(|ty| ty.array_of())
                .map(|array| (quote!(), field_type_tokens(k, &array))),
        };
        if let Some((extra, array)) = element {
            let extra: Vec<TokenStream> =
                (!extra.is_empty()).then_some(extra).into_iter().collect();
            let wc = self.where_clause(std::iter::once(f), &extra);
            let head = self.impl_head(quote!(#k::ArrayElement), &wc);
            out.extend(quote! {
                #head {
                    fn array_type() -> #k::FieldType {
                        #array
                    }
                }
            });
        }
        if f.attrs.kinds.is_empty() {
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
                }
            });
        }
        out
    }

    /// An enum of unit variants: an `enum` of the names serde writes.
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
        let wc = self.where_clause(std::iter::empty(), &[]);
        let head = self.impl_head(quote!(#k::SchemaType), &wc);
        quote! {
            #head {
                fn field_type() -> #k::FieldType {
                    #k::FieldType::Enum(#k::__private::values(&[#(#values),*]))
                }
            }
        }
    }
}
