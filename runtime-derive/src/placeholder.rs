//! `#[derive(Placeholder)]`: a struct's placeholder value, for mocked answers. Required
//! fields take their type's placeholder (`Option<T>`, required and nullable, is `None`);
//! optional (`skip_serializing_if`) and flattened fields start absent (`Default`).

use proc_macro2::TokenStream as Tokens;
use quote::quote;
use syn::DeriveInput;

pub fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    let named = super::named_fields(input)?;
    let rt = quote!(::openapi_gen_runtime::__private);
    let mut inits = Vec::new();
    for f in &named.named {
        let n = f.ident.as_ref().expect("named field");
        let s = super::serde_attrs(f)?;
        inits.push(if s.skipped || s.flatten {
            quote!(#n: ::core::default::Default::default())
        } else {
            quote!(#n: #rt::Placeholder::placeholder())
        });
    }
    let name = &input.ident;
    Ok(quote! {
        impl #rt::Placeholder for #name {
            fn placeholder() -> Self {
                Self { #(#inits,)* }
            }
        }
    })
}
