//! Named types: structs, open enums, unions and aliases, plus their client-side validation.

use super::{Unit, doc, ident, ty};
use crate::model::{
    EnumVariant, Field, Members, Model, Presence, TypeDef, TypeKind, TypeModule, TypeRef, unraw,
};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// The files of the schema types: `types.rs` with the types every build compiles, and one
/// file under `types/` per module of the model's `type_modules` (types behind the same
/// features). Each module is its own file: readers open the group they use, and the writer
/// emits and formats the files in parallel.
pub fn type_units(model: &Model) -> Vec<Unit<'_>> {
    let in_module: BTreeSet<&str> = model
        .type_modules
        .iter()
        .flat_map(|m| m.types.iter().map(String::as_str))
        .collect();
    let always: Vec<&TypeDef> = model
        .types
        .values()
        .filter(|d| !in_module.contains(d.name.as_str()))
        .collect();
    let mut units = vec![Unit::new("types.rs", always.len(), move || {
        let items = always.iter().map(|def| type_def(model, def));
        let modules = model.type_modules.iter().map(|m| {
            let name = ident(&m.name);
            let cfg = module_cfg(model, m);
            quote! {
                #cfg
                #[rustfmt::skip]
                mod #name;
                #cfg
                pub use #name::*;
            }
        });
        quote! {
            //! Schema types.
            #[allow(unused_imports)]
            use crate::runtime::{self, Tristate};
            #(#items)*
            #(#modules)*
        }
    })];
    units.extend(model.type_modules.iter().map(|m| {
        Unit::new(format!("types/{}.rs", m.name), m.types.len(), move || {
            feature_module(model, m)
        })
    }));
    units
}

/// The `cfg` a module of types is compiled with.
fn module_cfg(model: &Model, m: &TypeModule) -> Option<TokenStream> {
    match (&m.any_of, model.features.as_slice()) {
        (Some(features), _) => super::cfg_any(features),
        (None, [(one, _)]) => Some(quote!(#[cfg(feature = #one)])),
        (None, many) => {
            let features = many.iter().map(|(f, _)| f);
            Some(quote!(#[cfg(all(#(feature = #features),*))]))
        }
    }
}

/// The file of a module of types (`types.rs` declares it with its `cfg`).
fn feature_module(model: &Model, m: &TypeModule) -> TokenStream {
    let doc = match &m.any_of {
        Some(features) => format!(
            " Types only the `{}` feature(s) reach.",
            features.join("`, `")
        ),
        None => " Schemas the document declares but no operation uses: compiled with every \
                 group on."
            .to_owned(),
    };
    let items = m
        .types
        .iter()
        .map(|name| type_def(model, &model.types[name]));
    quote! {
        #![doc = #doc]
        #[allow(unused_imports)]
        use super::*;
        #(#items)*
    }
}

fn type_def(model: &Model, def: &TypeDef) -> TokenStream {
    let mut lines = def.doc.clone();
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!("Generated from `{}`.", def.origin));
    let docs = doc(&lines);
    let deprecated = def.deprecated.then(|| quote!(#[deprecated]));
    let name = ident(&def.name);
    let body = match &def.kind {
        TypeKind::Struct { fields, additional } => {
            let members = model.members.get(&def.name);
            struct_def(model, def, &name, members, fields, additional.as_ref())
        }
        // Attributes on a macro call would not reach the enum: they go inside.
        TypeKind::Enum { variants, unknown } => {
            return enum_def(quote!(#docs #deprecated), &name, variants, unknown);
        }
        TypeKind::Union {
            variants,
            discriminator,
        } => super::unions::union_def(
            model,
            &name,
            variants,
            discriminator.as_ref().map(|d| d.property.as_str()),
        ),
        TypeKind::Alias { target } => {
            let t = ty(target);
            quote!(pub type #name = #t;)
        }
    };
    quote! {
        #docs
        #deprecated
        #body
    }
}

/// The Rust type of a field given its presence.
pub fn field_type(f: &Field) -> TokenStream {
    let t = ty(&f.ty);
    match f.presence {
        Presence::Required => t,
        Presence::RequiredNullable | Presence::Optional => quote!(Option<#t>),
        Presence::OptionalNullable => quote!(Tristate<#t>),
    }
}

fn struct_def(
    model: &Model,
    def: &TypeDef,
    name: &proc_macro2::Ident,
    members: Option<&Members>,
    fields: &[Field],
    additional: Option<&TypeRef>,
) -> TokenStream {
    let request = model.request_types.contains(&def.name);
    let mut decls = Vec::new();
    for f in fields {
        let fname = ident(&f.rust);
        let fty = field_type(f);
        let docs = doc(&f.doc);
        let rename = (unraw(&f.rust) != f.wire).then(|| {
            let w = &f.wire;
            quote!(#[serde(rename = #w)])
        });
        // `runtime::Deserialize` reads these too: a skipped field is optional when absent.
        let presence = match f.presence {
            Presence::Required | Presence::RequiredNullable => quote!(),
            Presence::Optional => quote!(#[serde(skip_serializing_if = "Option::is_none")]),
            Presence::OptionalNullable => {
                quote!(#[serde(skip_serializing_if = "crate::runtime::Tristate::is_absent")])
            }
        };
        let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
        // The setter's name where the model chose another than the field's.
        let setter = members
            .map(|m| m.setter(&f.rust))
            .filter(|s| *s != f.rust && request)
            .map(|s| {
                let s = ident(s);
                quote!(#[builder(setter = #s)])
            });
        decls.push(quote! {
            #docs
            #deprecated
            #rename
            #presence
            #setter
            pub #fname: #fty,
        });
    }
    let additional_decl = additional.map(|a| {
        let t = ty(a);
        // The model claims the map's name for every struct that has one.
        let n = ident(
            members
                .and_then(|m| m.additional.as_deref())
                .expect("the model names the additional-properties field"),
        );
        quote! {
            /// Properties not named by the schema (`additionalProperties`).
            #[serde(flatten)]
            pub #n: std::collections::BTreeMap<String, #t>,
        }
    });
    // `new` and the setters are derived (`runtime::Builder`, see runtime-derive): setters
    // on types users send; with `mock`, `T::mock()` and `with_` setters on the types users
    // only receive, and placeholders for every struct (a mocked answer may hold any).
    let builder = if request {
        quote! {
            #[derive(runtime::Builder)]
            #[cfg_attr(feature = "mock", derive(runtime::Placeholder))]
        }
    } else {
        quote! {
            #[cfg_attr(
                feature = "mock",
                derive(runtime::Builder, runtime::Placeholder),
                builder(new_only)
            )]
        }
    };
    let validate = model
        .validated
        .contains(&def.name)
        .then(|| super::validate::struct_validate(name, fields));
    // With nothing required, `new()` is the default value; say so for `Default` users too.
    let nothing_required = fields
        .iter()
        .all(|f| matches!(f.presence, Presence::Optional | Presence::OptionalNullable));
    let default = nothing_required.then(|| quote!(Default,));
    // `runtime::Deserialize` is the runtime's lean derive: it reads the same `serde`
    // attributes and leaves the reading to one generic visitor (compile time).
    quote! {
        #[derive(Debug, Clone, #default PartialEq, serde::Serialize, runtime::Deserialize)]
        #builder
        #[non_exhaustive]
        pub struct #name {
            #(#decls)*
            #additional_decl
        }
        #validate
    }
}

fn enum_def(
    attrs: TokenStream,
    name: &proc_macro2::Ident,
    variants: &[EnumVariant],
    unknown: &str,
) -> TokenStream {
    let unknown = ident(unknown);
    let decl = variants.iter().map(|v| {
        let n = ident(&v.rust);
        let w = &v.wire;
        // The macro documents each variant with its wire value.
        quote!(#n = #w,)
    });
    quote! {
        runtime::open_enum! {
            #attrs
            pub enum #name {
                #unknown(String),
                #(#decl)*
            }
        }
    }
}
