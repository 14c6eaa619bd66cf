//! `#[derive(Builder)]`: a struct's constructor and setters, written by the compiler from
//! the struct instead of by the generator once per field.
//!
//! - `new` takes each required field, in declaration order: `impl Into<T>`, or `Option<T>`
//!   as it is when the field is required and nullable (`Option<T>` without
//!   `skip_serializing_if`). Every other field starts at its `Default` (absent).
//! - Each optional field (`skip_serializing_if`) gets a setter named after the field, or
//!   `#[builder(setter = name)]` where the generator chose another name: `impl Into<T>` for
//!   `Option<T>`, `impl Into<Tristate<T>>` (a value, `Null` or `Absent`) for a tri-state.
//! - `#[builder(new_only)]` on the struct: `new` and a `with_<field>` setter for every field,
//!   required ones too (the generator derives it so, and only with the crate's `mock`
//!   feature, on types users only receive, to build mocked answers by name), and `mock()`:
//!   every required field at its placeholder (the struct derives `Placeholder` too), so a
//!   test writes `T::mock().with_id(..)` instead of a long positional `new`.
//! - `#[builder(parameters)]` on the struct: an operation's optional parameters. Every
//!   field is an optional `Option<T>` and its setter says "Sets the `wire` parameter.", where
//!   the wire name is `#[builder(wire = "…")]` when it is not the field's name.
//!
//! The setters' docs name the wire key (`#[serde(rename)]`, else the field name).

use proc_macro2::TokenStream as Tokens;
use quote::quote;
use syn::DeriveInput;

enum Kind {
    Required,
    /// Required and nullable: `new` takes the `Option` as it is.
    RequiredNullable,
    /// `Option<T>`: the setter takes `impl Into<T>`.
    Optional,
    /// Any other optional type (a tri-state): the setter takes `impl Into<Field type>`.
    OptionalWhole,
    /// `#[serde(flatten)]`: starts empty, no setter.
    Flattened,
}

pub fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    let named = super::named_fields(input)?;
    let (mut new_only, mut parameters) = (false, false);
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("builder")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("new_only") {
                new_only = true;
                Ok(())
            } else if meta.path.is_ident("parameters") {
                parameters = true;
                Ok(())
            } else {
                Err(meta.error("unsupported builder attribute"))
            }
        })?;
    }
    let (mut args, mut inits, mut setters) = (Vec::new(), Vec::new(), Vec::new());
    for f in &named.named {
        let n = f.ident.as_ref().expect("named field");
        let ty = &f.ty;
        let super::Serde {
            mut wire,
            skipped,
            flatten,
        } = super::serde_attrs(f)?;
        let skipped = skipped || parameters;
        let mut setter = n.clone();
        for attr in f.attrs.iter().filter(|a| a.path().is_ident("builder")) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("setter") {
                    setter = meta.value()?.parse::<syn::Ident>()?;
                    Ok(())
                } else if meta.path.is_ident("wire") {
                    wire = meta.value()?.parse::<syn::LitStr>()?.value();
                    Ok(())
                } else {
                    Err(meta.error("unsupported builder attribute"))
                }
            })?;
        }
        let option = option_inner(ty);
        let kind = match (flatten, skipped, option) {
            (true, ..) => Kind::Flattened,
            (false, true, Some(_)) => Kind::Optional,
            (false, true, None) => Kind::OptionalWhole,
            (false, false, Some(_)) => Kind::RequiredNullable,
            (false, false, None) => Kind::Required,
        };
        match kind {
            Kind::Required => {
                args.push(quote!(#n: impl ::core::convert::Into<#ty>));
                inits.push(quote!(#n: ::core::convert::Into::into(#n)));
            }
            Kind::RequiredNullable => {
                args.push(quote!(#n: #ty));
                inits.push(quote!(#n));
            }
            Kind::Optional | Kind::OptionalWhole | Kind::Flattened => {
                inits.push(quote!(#n: ::core::default::Default::default()));
            }
        }
        if new_only {
            // Mocked answers: a `with_` setter per field, so a test builds a value by name
            // (`T::mock().with_id(..)`) instead of a long positional `new`.
            if !matches!(kind, Kind::Flattened) {
                let with = quote::format_ident!("with_{}", syn::ext::IdentExt::unraw(n));
                let doc = format!("Sets `{wire}` (to build a mocked answer).");
                // An `Option` starts `None`: its setter takes the value.
                let (arg, set) = match option {
                    Some(inner) => (inner, quote!(::core::option::Option::Some(value.into()))),
                    None => (ty, quote!(value.into())),
                };
                setters.push(quote! {
                    #[doc = #doc]
                    // `with__2fa` for a field `_2fa`: the name mirrors the field's.
                    #[allow(non_snake_case)]
                    pub fn #with(mut self, value: impl ::core::convert::Into<#arg>) -> Self {
                        self.#n = #set;
                        self
                    }
                });
            }
            continue;
        }
        let doc = if parameters {
            format!("Sets the `{wire}` parameter.")
        } else {
            format!("Sets `{wire}`.")
        };
        match (kind, option) {
            (Kind::Optional, Some(inner)) => setters.push(quote! {
                #[doc = #doc]
                pub fn #setter(mut self, value: impl ::core::convert::Into<#inner>) -> Self {
                    self.#n = ::core::option::Option::Some(value.into());
                    self
                }
            }),
            (Kind::OptionalWhole, _) => setters.push(quote! {
                #[doc = #doc]
                #[doc = ""]
                #[doc = "Accepts a value, `Tristate::Null` (send `null`) or `Tristate::Absent` (omit)."]
                pub fn #setter(mut self, value: impl ::core::convert::Into<#ty>) -> Self {
                    self.#n = value.into();
                    self
                }
            }),
            _ => {}
        }
    }
    let name = &input.ident;
    let new_doc = if parameters {
        "No parameters set: the server's defaults apply."
    } else {
        "Creates a value with the required fields; optional ones start absent."
    };
    let mock = new_only.then(|| {
        quote! {
            /// A mocked answer to fill in by name: every required field at its placeholder
            /// (empty, zero, `false`, the nil UUID, the Unix epoch, an enum's first value),
            /// every optional one absent. Set what the test reads with the `with_` setters.
            pub fn mock() -> Self {
                <Self as ::openapi_gen_runtime::__private::Placeholder>::placeholder()
            }
        }
    });
    Ok(quote! {
        impl #name {
            #mock
            #[doc = #new_doc]
            #[allow(clippy::too_many_arguments)]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* }
            }
            #(#setters)*
        }
    })
}

/// `T` of a field typed `Option<T>` (as the generator writes it: a bare `Option`).
fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    if p.qself.is_some() || p.path.segments.len() != 1 {
        return None;
    }
    let last = &p.path.segments[0];
    if last.ident != "Option" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(a) if a.args.len() == 1 => match &a.args[0] {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        },
        _ => None,
    }
}
