//! Client-side validation: prints the model's validation plans ([`Check`]) as `validate_at`
//! bodies and request checks. What gets checked is the model's decision (`model::validate`).

use super::ident;
use crate::model::{Check, Field, Presence};
use proc_macro2::TokenStream;
use quote::quote;

/// The statements checking one value (`value: &T`) named `field` (an `&str` expression).
pub fn checks(c: &Check, value: TokenStream, field: TokenStream) -> TokenStream {
    match c {
        Check::Text {
            secret,
            min_length,
            max_length,
            pattern,
            uuid,
        } => {
            let s = if *secret {
                quote!(#value.expose())
            } else {
                quote!(AsRef::<str>::as_ref(#value))
            };
            let min = min_length.map(|n| quote!(runtime::validate::min_length(#field, #s, #n)?;));
            let max = max_length.map(|n| quote!(runtime::validate::max_length(#field, #s, #n)?;));
            let pattern = pattern
                .as_ref()
                .map(|p| quote!(runtime::validate::pattern(#field, #s, #p)?;));
            let uuid = uuid.then(|| quote!(runtime::validate::uuid(#field, #s)?;));
            quote!(#min #max #pattern #uuid)
        }
        Check::Integer {
            i32,
            minimum,
            maximum,
        } => {
            let v = if *i32 {
                quote!(i64::from(*#value))
            } else {
                quote!(*#value)
            };
            let min = minimum
                .map(|(m, ex)| quote!(runtime::validate::minimum_i64(#field, #v, #m, #ex)?;));
            let max = maximum
                .map(|(m, ex)| quote!(runtime::validate::maximum_i64(#field, #v, #m, #ex)?;));
            quote!(#min #max)
        }
        Check::Number { minimum, maximum } => {
            let min = minimum
                .map(|(m, ex)| quote!(runtime::validate::minimum_f64(#field, *#value, #m, #ex)?;));
            let max = maximum
                .map(|(m, ex)| quote!(runtime::validate::maximum_f64(#field, *#value, #m, #ex)?;));
            quote!(#min #max)
        }
        Check::List {
            min_items,
            max_items,
            items,
        } => {
            let min = min_items.map(|n| quote!(runtime::validate::min_items(#field, #value, #n)?;));
            let max = max_items.map(|n| quote!(runtime::validate::max_items(#field, #value, #n)?;));
            let each = items.as_deref().map(|c| {
                let inner = checks(c, quote!(item), quote!(&item_field));
                quote! {
                    for (index, item) in #value.iter().enumerate() {
                        let item_field = format!("{}[{index}]", #field);
                        #inner
                    }
                }
            });
            quote!(#min #max #each)
        }
        Check::Present(c) => {
            let inner = checks(c, quote!(inner), field);
            quote!(if let Some(inner) = #value { #inner })
        }
        Check::Nested => quote!(#value.validate_at(#field)?;),
    }
}

/// `validate_at` for a struct: checks each field's plan (nested types check themselves).
pub fn struct_validate(name: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let checks: Vec<TokenStream> = fields
        .iter()
        .filter_map(|f| {
            let n = ident(&f.rust);
            let wire = &f.wire;
            let check = checks(f.check.as_ref()?, quote!(value), quote!(&field));
            let field = quote!(let field = format!("{path}.{}", #wire););
            Some(match f.presence {
                Presence::Required => quote! { { let value = &self.#n; #field #check } },
                Presence::RequiredNullable | Presence::Optional => {
                    quote! { if let Some(value) = &self.#n { #field #check } }
                }
                Presence::OptionalNullable => {
                    quote! { if let Tristate::Value(value) = &self.#n { #field #check } }
                }
            })
        })
        .collect();
    quote! {
        impl #name {
            /// Checks the schema's constraints; `path` prefixes field names in the error.
            pub fn validate_at(&self, path: &str) -> Result<(), runtime::ValidationError> {
                #(#checks)*
                Ok(())
            }
        }
    }
}
