//! `#[derive(Deserialize)]` and `#[derive(Builder)]` for the structs openapi-gen
//! generates, re-exported by `openapi-gen-runtime` as `__private::{Deserialize, Builder}`.
//!
//! serde's derive expands every struct into a field enum, three key visitors, a sequence
//! visitor and a map visitor: about 25 lines per field, which on a large API is most of the
//! crate's compile time and memory. This derive writes only what differs per struct (its
//! wire names, a tuple of slots, where each value lands and how the slots become the
//! struct) and leaves the reading to the one generic visitor of
//! `openapi_gen_runtime::__private::de`.
//!
//! It reads the `#[serde(..)]` attributes the generator writes for `Serialize`:
//! - `rename = "wire"`: the key (else the field name, without `r#`);
//! - `skip_serializing_if = ".."`: an optional field (`Option` or `Tristate`): absent is
//!   its `Default`;
//! - `flatten`: the map that keeps undeclared keys (`additionalProperties`);
//! - none of these: a required field: its key must be present (`missing field`), even when
//!   its type is an `Option` (required and nullable).

use proc_macro::TokenStream;
use proc_macro2::{Literal, TokenStream as Tokens};
use quote::quote;
use syn::ext::IdentExt as _;
use syn::{Data, DeriveInput, Fields, parse_macro_input};

mod builder;
mod placeholder;

/// A struct's placeholder value, for mocked answers (see the `placeholder` module source).
#[proc_macro_derive(Placeholder, attributes(serde))]
pub fn derive_placeholder(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match placeholder::expand(&input) {
        Ok(tokens) => tokens.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// `new` with the required fields and a setter per optional field (see the `builder` module source).
#[proc_macro_derive(Builder, attributes(builder, serde))]
pub fn derive_builder(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match builder::expand(&input) {
        Ok(tokens) => tokens.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

#[proc_macro_derive(Deserialize, attributes(serde))]
pub fn derive_deserialize(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match expand(&input) {
        Ok(tokens) => tokens.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

enum Kind {
    /// The key must be present (its value may be `null` if the type is an `Option`).
    Required,
    /// Missing: `Default::default()`.
    Optional,
}

struct Field<'a> {
    ident: syn::Ident,
    ty: &'a syn::Type,
    wire: String,
    kind: Kind,
}

/// What to do instead, in every error of a shape or attribute this derive does not read.
const INSTEAD: &str = "derive `serde::Deserialize` for this type instead";

/// The named fields of a struct; an error for anything else.
fn named_fields(input: &DeriveInput) -> syn::Result<&syn::FieldsNamed> {
    let shape = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => return Ok(named),
            Fields::Unnamed(_) => "a tuple struct",
            Fields::Unit => "a unit struct",
        },
        Data::Enum(_) => "an enum",
        Data::Union(_) => "a union",
    };
    Err(syn::Error::new_spanned(
        &input.ident,
        format!(
            "openapi-gen's derive reads only structs with named fields, not {shape}: {INSTEAD}"
        ),
    ))
}

/// Rejects what serde's derive would honour and this one would silently ignore: generics
/// and every container attribute (`deny_unknown_fields`, `rename_all`, `default`, `tag`…).
fn supported_container(input: &DeriveInput) -> syn::Result<()> {
    if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            format!("openapi-gen's `Deserialize` derive does not support generics: {INSTEAD}"),
        ));
    }
    if let Some(attr) = input.attrs.iter().find(|a| a.path().is_ident("serde")) {
        let mut named = String::new();
        let _ = attr.parse_nested_meta(|meta| {
            if named.is_empty() {
                named = meta
                    .path
                    .get_ident()
                    .map(ToString::to_string)
                    .unwrap_or_default();
            }
            // Skip any value, so the first name is found whatever follows it.
            if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            } else if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
                meta.parse_nested_meta(|_| Ok(()))?;
            }
            Ok(())
        });
        return Err(syn::Error::new_spanned(
            attr,
            format!(
                "openapi-gen's `Deserialize` derive does not implement the container attribute \
                 `#[serde({named})]`: {INSTEAD}"
            ),
        ));
    }
    Ok(())
}

/// What a field's `#[serde(..)]` attributes say (the ones the generator writes).
struct Serde {
    /// `rename = "wire"`, else the field's name without `r#`.
    wire: String,
    /// `skip_serializing_if = ".."`: optional.
    skipped: bool,
    flatten: bool,
}

fn serde_attrs(f: &syn::Field) -> syn::Result<Serde> {
    let ident = f.ident.as_ref().expect("named field");
    let mut out = Serde {
        wire: ident.unraw().to_string(),
        skipped: false,
        flatten: false,
    };
    for attr in f.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                out.wire = meta.value()?.parse::<syn::LitStr>()?.value();
            } else if meta.path.is_ident("skip_serializing_if") {
                meta.value()?.parse::<syn::LitStr>()?;
                out.skipped = true;
            } else if meta.path.is_ident("flatten") {
                out.flatten = true;
            } else {
                let name = meta
                    .path
                    .get_ident()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                return Err(meta.error(format!(
                    "openapi-gen's derives read only the field attributes `rename`, \
                     `skip_serializing_if` and `flatten`, not `{name}`: {INSTEAD}"
                )));
            }
            Ok(())
        })?;
    }
    Ok(out)
}

fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    let named = named_fields(input)?;
    supported_container(input)?;
    let mut fields = Vec::new();
    let mut others = None;
    for f in &named.named {
        let ident = f.ident.clone().expect("named field");
        let Serde {
            wire,
            skipped: optional,
            flatten,
        } = serde_attrs(f)?;
        if flatten {
            if others.is_some() {
                return Err(syn::Error::new_spanned(f, "only one `flatten` field"));
            }
            others = Some((ident, &f.ty));
            continue;
        }
        let kind = if optional {
            Kind::Optional
        } else {
            Kind::Required
        };
        fields.push(Field {
            ident,
            ty: &f.ty,
            wire,
            kind,
        });
    }
    let rt = quote!(::openapi_gen_runtime::__private);
    let name = &input.ident;
    let name_text = name.to_string();
    let wires = fields.iter().map(|f| &f.wire);
    let types = fields.iter().map(|f| {
        let t = f.ty;
        match f.kind {
            Kind::Optional => quote!(#t),
            Kind::Required => quote!(::core::option::Option<#t>),
        }
    });
    let empty = fields.iter().map(|f| match f.kind {
        Kind::Optional => quote!(::core::default::Default::default()),
        _ => quote!(::core::option::Option::None),
    });
    let at = |i: usize| Literal::usize_unsuffixed(i);
    let reads = fields.iter().enumerate().map(|(i, f)| {
        let i = at(i);
        match f.kind {
            Kind::Optional => quote!(#i => #rt::de::set(&mut slots.#i, map),),
            _ => quote!(#i => #rt::de::put(&mut slots.#i, map),),
        }
    });
    // The visitor has checked that every required slot is filled.
    let inits = fields.iter().enumerate().map(|(i, f)| {
        let (n, i) = (&f.ident, at(i));
        match f.kind {
            Kind::Required => quote!(#n: ::core::option::Option::unwrap(slots.#i),),
            Kind::Optional => quote!(#n: slots.#i,),
        }
    });
    let required: Vec<Literal> = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| matches!(f.kind, Kind::Required))
        .map(|(i, _)| at(i))
        .collect();
    let required = (!required.is_empty())
        .then(|| quote!(const REQUIRED: &'static [usize] = &[#(#required),*];));
    let index_arms = fields.iter().enumerate().map(|(i, f)| {
        let (w, i) = (&f.wire, at(i));
        quote!(#w => ::core::option::Option::Some(#i),)
    });
    let (other_slot, other_empty, other_read, other_init, keeps) = match &others {
        Some((n, ty)) => {
            let i = at(fields.len());
            (
                Some(quote!(#ty,)),
                Some(quote!(::core::default::Default::default(),)),
                Some(quote! {
                    fn other<A: #rt::serde::de::MapAccess<'de>>(
                        slots: &mut Self::Slots,
                        key: ::std::string::String,
                        map: &mut A,
                    ) -> ::core::result::Result<(), A::Error> {
                        slots.#i.insert(key, map.next_value()?);
                        ::core::result::Result::Ok(())
                    }
                }),
                Some(quote!(#n: slots.#i,)),
                Some(quote!(
                    const KEEPS_OTHERS: bool = true;
                )),
            )
        }
        None => (None, None, None, None, None),
    };
    Ok(quote! {
        #[allow(deprecated, unused_variables, unreachable_patterns, clippy::all)]
        const _: () = {
            #[doc(hidden)]
            impl<'de> #rt::de::StructFields<'de> for #name {
                const NAME: &'static str = #name_text;
                const FIELDS: &'static [&'static str] = &[#(#wires),*];
                #keeps
                #required
                type Slots = (#(#types,)* #other_slot);
                // `#[inline]`, like the generic items: compiled where a decode is.
                #[inline]
                fn index(name: &str) -> ::core::option::Option<usize> {
                    match name {
                        #(#index_arms)*
                        _ => ::core::option::Option::None,
                    }
                }
                #[inline]
                fn slots() -> Self::Slots {
                    (#(#empty,)* #other_empty)
                }
                fn field<A: #rt::serde::de::MapAccess<'de>>(
                    slots: &mut Self::Slots,
                    index: usize,
                    map: &mut A,
                ) -> ::core::result::Result<(), A::Error> {
                    match index {
                        #(#reads)*
                        _ => ::core::result::Result::Ok(()),
                    }
                }
                #other_read
                #[inline]
                fn finish(slots: Self::Slots) -> Self {
                    Self { #(#inits)* #other_init }
                }
            }
            impl<'de> #rt::serde::Deserialize<'de> for #name {
                fn deserialize<D: #rt::serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> ::core::result::Result<Self, D::Error> {
                    #rt::de::deserialize_struct(deserializer)
                }
            }
        };
    })
}

#[cfg(test)]
mod tests {
    /// The error `derive(Deserialize)` reports for `item`, if any.
    fn error(item: &str) -> Option<String> {
        let input = syn::parse_str(item).expect("test item parses");
        super::expand(&input).err().map(|e| e.to_string())
    }

    #[test]
    fn rejects_what_it_does_not_implement() {
        for (item, says) in [
            (
                "#[serde(deny_unknown_fields)] struct S { a: i64 }",
                "`#[serde(deny_unknown_fields)]`",
            ),
            (
                "#[serde(rename_all = \"camelCase\")] struct S { a: i64 }",
                "`#[serde(rename_all)]`",
            ),
            (
                "#[serde(default)] struct S { a: i64 }",
                "`#[serde(default)]`",
            ),
            (
                "#[serde(bound(deserialize = \"\"))] struct S { a: i64 }",
                "`#[serde(bound)]`",
            ),
            ("struct S<T> { a: T }", "generics"),
            ("struct S where Self: Sized { a: i64 }", "generics"),
            ("struct S(i64);", "a tuple struct"),
            ("struct S;", "a unit struct"),
            ("enum E { A }", "an enum"),
            ("struct S { #[serde(default)] a: i64 }", "not `default`"),
            ("struct S { #[serde(alias = \"b\")] a: i64 }", "not `alias`"),
            (
                "struct S { #[serde(deserialize_with = \"f\")] a: i64 }",
                "not `deserialize_with`",
            ),
            (
                "struct S { #[serde(flatten)] a: M, #[serde(flatten)] b: M }",
                "only one `flatten`",
            ),
        ] {
            let message = error(item).unwrap_or_else(|| panic!("`{item}` was accepted"));
            assert!(message.contains(says), "`{item}`: {message}");
        }
    }

    #[test]
    fn accepts_what_the_generator_writes() {
        let item = "struct S { a: i64, #[serde(rename = \"b-c\", skip_serializing_if = \"Option::is_none\")] \
                    b: Option<i64>, #[serde(flatten)] rest: M }";
        assert_eq!(error(item), None);
    }
}
