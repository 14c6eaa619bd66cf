//! `oneOf`/`anyOf` unions. A discriminated union reads the tag and decodes the variant it
//! maps to (`Unknown` keeps an unseen tag's JSON); an untagged one tries its variants from
//! the most specific to the least (objects with more required properties first, integers
//! before numbers, known enum values before plain strings, free-form JSON last), so a value
//! lands in the variant that describes it best.

use super::validate::checks;
use super::{doc, ident, ty};
use crate::model::{Model, UnionPlan, UnionVariant};
use proc_macro2::TokenStream;
use quote::quote;

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
    // The model plans every union.
    let plan = &model.unions[&name.to_string()];
    let validate_arms = variants.iter().filter_map(|v| {
        let n = ident(&v.rust);
        let check = checks(v.check.as_ref()?, quote!(value), quote!(path));
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
    // A mocked answer's value where a test sets none (the model picks a finite variant).
    let placeholder = variants.get(plan.placeholder).map(|v| {
        let n = ident(&v.rust);
        quote! {
            #[cfg(feature = "mock")]
            runtime::union_placeholder!(#name::#n);
        }
    });
    let Some(tag) = tag else {
        let tries = tries(plan, variants);
        return quote! {
            #[derive(Debug, Clone, PartialEq, serde::Serialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#decl)*
            }
            runtime::untagged_union!(#name { #(#tries),* });
            #validate
            #placeholder
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
            let i = variants.iter().position(|w| std::ptr::eq(w, *v))?;
            let fixed = &plan.guards[i];
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
    let unknown = ident(plan.unknown.as_deref().unwrap_or_default());
    let decl_enum = quote! {
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#decl)*
            /// A tag this SDK version does not know; the raw JSON is kept.
            #unknown(serde_json::Value),
        }
    };
    // The common case, one member per tag and an unknown tag kept as it is, is one macro
    // call that maps tags to variants.
    let chain = attempts(plan, variants, &quote!(&value));
    let simple =
        grouped.iter().all(|(_, vs)| vs.len() == 1) && !grouped.is_empty() && chain.is_none();
    if simple {
        let arms = grouped.iter().map(|(tags, vs)| {
            let n = ident(&vs[0].rust);
            quote!(#(#tags)|* => #n)
        });
        return quote! {
            #decl_enum
            runtime::tagged_union!(#name, #tag, #unknown { #(#arms),* });
            #validate
            #placeholder
        };
    }
    let otherwise = match chain {
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
        #decl_enum

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                runtime::unions::tagged(deserializer, #tag, #decide)
            }
        }
        #validate
        #placeholder
    }
}

/// An untagged union's variants in the plan's try order, as `runtime::untagged_union!`
/// lists them: an open enum with its type (`Kind(ContentKind)`), which it only takes for a
/// value it knows; the macro ends with any string as the first enum's (as [`attempts`]).
fn tries(plan: &UnionPlan, variants: &[UnionVariant]) -> Vec<TokenStream> {
    plan.try_order
        .iter()
        .map(|&i| {
            let v = &variants[i];
            let n = ident(&v.rust);
            if plan.enums[i] {
                let t = ty(&v.ty);
                quote!(#n(#t))
            } else {
                quote!(#n)
            }
        })
        .collect()
}

/// An `Option<Self>` expression trying each variant on `value` (a `&serde_json::Value`
/// expression) in the plan's try order, giving the first that decodes; `None` without variants.
/// Enums first only take their known values; if nothing else matched, the first enum takes
/// any string (as its `Unknown` value).
fn attempts(
    plan: &UnionPlan,
    variants: &[UnionVariant],
    value: &TokenStream,
) -> Option<TokenStream> {
    let order: Vec<(usize, &UnionVariant)> =
        plan.try_order.iter().map(|&i| (i, &variants[i])).collect();
    let mut tries = order.iter().map(|&(i, v)| {
        let n = ident(&v.rust);
        if plan.enums[i] {
            let t = ty(&v.ty);
            quote!(runtime::unions::known(#value, <#t>::is_unknown, Self::#n))
        } else {
            quote!(runtime::unions::attempt(#value, Self::#n))
        }
    });
    let fallback = order.iter().find(|&&(i, _)| plan.enums[i]).map(|(_, v)| {
        let n = ident(&v.rust);
        quote!(runtime::unions::text(#value, Self::#n))
    });
    let first = tries.next().or_else(|| fallback.clone())?;
    let rest = tries.chain(fallback);
    Some(quote!(#first #(.or_else(|| #rest))*))
}
