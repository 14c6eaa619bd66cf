//! Request bodies that are not JSON (multipart forms, url-encoded forms) and the `Accept`
//! header of binary downloads.

use super::ident;
use crate::model::{
    FormStyle, MultipartPlan, Operation, Presence, RequestBody, ResponseKind, Success,
};
use proc_macro2::TokenStream;
use quote::quote;

/// Encodes `body` as `multipart/form-data` by the model's plan: field by field for a
/// closed struct (file parts from `FilePart`s), else each top-level property of its JSON form.
pub fn multipart(op: &Operation, b: &RequestBody) -> TokenStream {
    let l = &op.idents.locals;
    let (body, form, map, name, value) = (
        ident(&l.body),
        ident(&l.form),
        ident(&l.map),
        ident(&l.name),
        ident(&l.value),
    );
    let Some(MultipartPlan::Fields(fields)) = &b.multipart else {
        return quote!({
            let mut #form = runtime::MultipartForm::new();
            if let serde_json::Value::Object(#map) = serde_json::to_value(#body).unwrap_or_default() {
                for (#name, #value) in &#map {
                    #form.value(#name, #value)?;
                }
            }
            #form.finish()
        });
    };
    let parts = fields.iter().map(|f| {
        let n = ident(&f.rust);
        let wire = &f.wire;
        let add = if f.file {
            quote!(#form.file(#wire, #value);)
        } else {
            quote!(#form.value(#wire, #value)?;)
        };
        match f.presence {
            Presence::Required => quote! { { let #value = &#body.#n; #add } },
            Presence::RequiredNullable | Presence::Optional => {
                quote! { if let Some(#value) = &#body.#n { #add } }
            }
            Presence::OptionalNullable => {
                quote! { if let Tristate::Value(#value) = &#body.#n { #add } }
            }
        }
    });
    quote!({
        let mut #form = runtime::MultipartForm::new();
        #(#parts)*
        #form.finish()
    })
}

/// Encodes `body` as `application/x-www-form-urlencoded` through the runtime, which
/// flattens its JSON form by each property's declared `encoding` (default: exploded `form`).
pub fn form(op: &Operation, b: &RequestBody) -> TokenStream {
    let body = ident(&op.idents.locals.body);
    let styles = b.encoding.iter().map(|e| {
        let p = &e.property;
        let style = match (e.style, e.explode) {
            (FormStyle::Form, true) => quote!(Form),
            (FormStyle::Form, false) => quote!(FormComma),
            (FormStyle::SpaceDelimited, _) => quote!(SpaceDelimited),
            (FormStyle::PipeDelimited, _) => quote!(PipeDelimited),
            (FormStyle::DeepObject, _) => quote!(DeepObject),
        };
        quote!((#p, runtime::FormStyle::#style))
    });
    quote!(runtime::form_body(#body, &[#(#styles),*])?)
}

/// `Accept` for an operation whose success is raw bytes: the documented content types,
/// plus JSON when error bodies are JSON.
pub fn accept(op: &Operation) -> Option<String> {
    if op.success != Success::Bytes {
        return None;
    }
    let mut types: Vec<&str> = Vec::new();
    for r in &op.responses {
        let success = matches!(r.status, crate::model::StatusMatch::Code(200..=299));
        let wanted = if success {
            r.kind == ResponseKind::Bytes
        } else {
            r.kind == ResponseKind::Json
        };
        if wanted {
            for ct in &r.content_types {
                if !types.contains(&ct.as_str()) {
                    types.push(ct);
                }
            }
        }
    }
    (!types.is_empty()).then(|| types.join(", "))
}
