//! `oneOf`/`anyOf` unions. A discriminated union reads the tag and decodes the variant it
//! maps to (`Unknown` keeps an unseen tag's JSON); an untagged one tries its variants from
//! the most specific to the least (objects with more required properties first, integers
//! before numbers, known enum values before plain strings, free-form JSON last), so a value
//! lands in the variant that describes it best.

use super::types::value_checks;
use super::{doc, ident, ty, unalias};
use crate::model::{Constraints, Model, Presence, TypeKind, TypeRef, UnionVariant};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// One `validate_at` match arm: pattern and checks.
struct Arm(TokenStream, TokenStream);

impl quote::ToTokens for Arm {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let Arm(pat, check) = self;
        tokens.extend(quote!(#pat => { #check }));
    }
}

pub fn union_def(
    model: &Model,
    name: &proc_macro2::Ident,
    variants: &[UnionVariant],
    tag: Option<&str>,
) -> TokenStream {
    let decl = variants.iter().map(|v| {
        let n = ident(&v.rust);
        let t = ty(&v.ty);
        let d = if v.tags.is_empty() {
            quote!()
        } else {
            doc(&[format!("Tag `{}`.", v.tags.join("`, `"))])
        };
        quote!(#d #n(#t),)
    });
    let validate_arms = variants.iter().filter_map(|v| {
        let n = ident(&v.rust);
        let check = value_checks(
            model,
            &v.ty,
            &Constraints::default(),
            quote!(value),
            quote!(path),
        )?;
        Some(Arm(quote!(Self::#n(value)), check))
    });
    let validate_arms: Vec<_> = validate_arms.collect();
    // Every variant (plus `Unknown` for a tagged union) is matched unless checked.
    let total = variants.len() + usize::from(tag.is_some());
    let checks = match validate_arms.as_slice() {
        _ if !model.validated.contains(&name.to_string()) => None,
        [] => None,
        [Arm(pat, check)] if total > 1 => Some(quote!(if let #pat = self { #check })),
        arms if arms.len() == total => Some(quote!(match self { #(#arms)* })),
        arms => Some(quote!(match self { #(#arms)* _ => {} })),
    };
    // Only unions with something to check (the model's `validated`) get `validate_at`.
    let validate = checks.map(|checks| {
        quote! {
            impl #name {
                /// Checks the active variant's constraints; `path` prefixes field names in the error.
                pub fn validate_at(&self, path: &str) -> Result<(), runtime::ValidationError> {
                    #checks
                    Ok(())
                }
            }
        }
    });
    let Some(tag) = tag else {
        let attempts = attempts(model, &variants.iter().collect::<Vec<_>>(), &quote!(value));
        let name_str = name.to_string();
        let decide = match attempts {
            Some(chain) => quote!(|value| #chain),
            None => quote!(|_| None),
        };
        return quote! {
            #[derive(Debug, Clone, PartialEq, serde::Serialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#decl)*
            }

            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    runtime::unions::untagged(deserializer, #name_str, #decide)
                }
            }
            #validate
        };
    };
    // Discriminated: the tag stays inside each variant's own fields, so deserialise the
    // object once, look at the tag, then decode the matching variant from the same value.
    // One arm per tag value. Several members may share a value (the spec allows it): the
    // arm tries them in spec order, so each stays reachable; the last one's error is kept.
    let mut by_tag: Vec<(&String, Vec<&UnionVariant>)> = Vec::new();
    for v in variants {
        for t in &v.tags {
            match by_tag.iter_mut().find(|(tag, _)| *tag == t) {
                Some((_, vs)) => vs.push(v),
                None => by_tag.push((t, vec![v])),
            }
        }
    }
    // Tags that select the same members share an arm (`Some("a") | Some("b")`).
    let mut grouped: Vec<(Vec<&String>, Vec<&UnionVariant>)> = Vec::new();
    for (tag, vs) in by_tag {
        match grouped.iter_mut().find(|(_, g)| g == &vs) {
            Some((tags, _)) => tags.push(tag),
            None => grouped.push((vec![tag], vs)),
        }
    }
    let tag_prop = tag;
    let arms = grouped.iter().map(|(tags, vs)| {
        let (last, first) = vs.split_last().expect("every tag has a member");
        let n = ident(&last.rust);
        let last = quote!(runtime::unions::variant(&value, Self::#n));
        if first.is_empty() {
            return quote!(#(Some(#tags))|* => #last,);
        }
        // Enums are open, so several members may decode: first the member whose other
        // single-valued properties (`role: [user]`) match, then the first that decodes.
        let attempt = |v: &UnionVariant| {
            let n = ident(&v.rust);
            quote!(if let Some(v) = runtime::unions::attempt(&value, Self::#n) {
                return Ok(v);
            })
        };
        let guarded = vs.iter().filter_map(|v| {
            let fixed = fixed_values(model, &v.ty, tag_prop);
            if fixed.is_empty() {
                return None;
            }
            let conds = fixed.iter().map(|(wire, val)| {
                quote!(value.get(#wire).and_then(serde_json::Value::as_str) == Some(#val))
            });
            let a = attempt(v);
            Some(quote!(if #(#conds)&&* { #a }))
        });
        let tries = first.iter().map(|v| attempt(v));
        quote!(#(Some(#tags))|* => { #(#guarded)* #(#tries)* #last })
    });
    let untagged: Vec<&UnionVariant> = variants.iter().filter(|v| v.tags.is_empty()).collect();
    let unknown = format_ident!("Unknown");
    let otherwise = match attempts(model, &untagged, &quote!(&value)) {
        Some(chain) => quote!({
            let found = #chain;
            Ok(found.unwrap_or(Self::#unknown(value)))
        }),
        None => quote!(Ok(Self::#unknown(value)),),
    };
    // No member's tag is known: a `match` would have only the wildcard arm (clippy
    // `match_single_binding`), so the members are tried by shape.
    let decide = if grouped.is_empty() {
        quote!(|_, value| #otherwise)
    } else {
        quote!(|tag, value| match tag {
            #(#arms)*
            _ => #otherwise
        })
    };
    quote! {
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#decl)*
            /// A tag this SDK version does not know; the raw JSON is kept.
            #unknown(serde_json::Value),
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                runtime::unions::tagged(deserializer, #tag, #decide)
            }
        }
        #validate
    }
}

/// Sort key of a variant type: smaller is tried first.
fn specificity(model: &Model, t: &TypeRef, depth: usize) -> Vec<i64> {
    if depth > 8 {
        return vec![50];
    }
    match unalias(model, t) {
        TypeRef::Option(inner) | TypeRef::Boxed(inner) => specificity(model, inner, depth + 1),
        TypeRef::Named(n) => match model.types.get(n).map(|d| &d.kind) {
            Some(TypeKind::Struct { fields, additional }) => {
                let required = fields
                    .iter()
                    .filter(|f| {
                        matches!(f.presence, Presence::Required | Presence::RequiredNullable)
                    })
                    .count();
                // More required properties first; a struct that also takes extra properties
                // after the closed ones with the same count.
                vec![0, -(required as i64), i64::from(additional.is_some())]
            }
            // A union of objects (tagged ones keep unknown tags, so they accept any object).
            Some(TypeKind::Union { .. }) => vec![1],
            Some(TypeKind::Enum { .. }) => vec![8],
            Some(TypeKind::Alias { .. }) | None => vec![50],
        },
        TypeRef::Map(_) => vec![2],
        TypeRef::Vec(inner) => {
            let mut k = vec![3];
            k.extend(specificity(model, inner, depth + 1));
            k
        }
        TypeRef::Bool => vec![4],
        TypeRef::I32 => vec![5],
        TypeRef::I64 => vec![6],
        // Wider integers accept what narrower ones refuse: tried after them.
        TypeRef::U64 => vec![6, 1],
        TypeRef::I128 => vec![6, 2],
        TypeRef::F64 => vec![7],
        TypeRef::Uuid | TypeRef::DateTime | TypeRef::Date => vec![9],
        TypeRef::String | TypeRef::Secret | TypeRef::File => vec![10],
        TypeRef::Bytes => vec![11],
        TypeRef::Json => vec![12],
    }
}

/// The named enum a variant holds directly, if any.
fn enum_variant(model: &Model, t: &TypeRef) -> bool {
    match unalias(model, t) {
        TypeRef::Named(n) => matches!(
            model.types.get(n).map(|d| &d.kind),
            Some(TypeKind::Enum { .. })
        ),
        _ => false,
    }
}

/// An `Option<Self>` expression trying each variant on `value` (a `&serde_json::Value`
/// expression) in specificity order, giving the first that decodes; `None` without variants.
/// Enums first only take their known values; if nothing else matched, the first enum takes
/// any string (as its `Unknown` value).
fn attempts(model: &Model, variants: &[&UnionVariant], value: &TokenStream) -> Option<TokenStream> {
    let mut order: Vec<(Vec<i64>, usize, &UnionVariant)> = variants
        .iter()
        .enumerate()
        .map(|(i, v)| (specificity(model, &v.ty, 0), i, *v))
        .collect();
    order.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let mut tries = order.iter().map(|(_, _, v)| {
        let n = ident(&v.rust);
        if enum_variant(model, &v.ty) {
            let t = ty(&v.ty);
            quote!(runtime::unions::known(#value, <#t>::is_unknown, Self::#n))
        } else {
            quote!(runtime::unions::attempt(#value, Self::#n))
        }
    });
    let fallback = order
        .iter()
        .find(|(_, _, v)| enum_variant(model, &v.ty))
        .map(|(_, _, v)| {
            let n = ident(&v.rust);
            quote!(runtime::unions::text(#value, Self::#n))
        });
    let first = tries.next().or_else(|| fallback.clone())?;
    let rest = tries.chain(fallback);
    Some(quote!(#first #(.or_else(|| #rest))*))
}

/// Required properties of a struct member that admit one string value (a one-value enum),
/// other than the tag: they tell members that share a tag value apart.
fn fixed_values(model: &Model, t: &TypeRef, tag: &str) -> Vec<(String, String)> {
    let TypeRef::Named(n) = unalias(model, t) else {
        return Vec::new();
    };
    let Some(TypeKind::Struct { fields, .. }) = model.types.get(n).map(|d| &d.kind) else {
        return Vec::new();
    };
    fields
        .iter()
        .filter(|f| f.wire != tag && f.presence == Presence::Required)
        .filter_map(|f| match unalias(model, &f.ty) {
            TypeRef::Named(e) => match model.types.get(e).map(|d| &d.kind) {
                Some(TypeKind::Enum { variants, .. }) if variants.len() == 1 => {
                    Some((f.wire.clone(), variants[0].wire.clone()))
                }
                _ => None,
            },
            _ => None,
        })
        .collect()
}
