//! Signatures shared by the operation items and the group methods: how positional
//! parameters are taken and borrowed, what `prepare` takes, what a call returns. Leaf
//! helpers: nothing here imports another emit module but the crate root's printers.

use super::{ident, ty};
use crate::model::{Borrow, Operation, Param, ParamPass, Success};
use proc_macro2::TokenStream;
use quote::quote;

/// The required parameters as method arguments (path ids take anything `Display`), the
/// statements converting them, and their names. Shared by the call and pager methods.
pub fn positional_arguments(
    op: &Operation,
) -> (Vec<TokenStream>, Vec<TokenStream>, Vec<proc_macro2::Ident>) {
    let mut args = Vec::new();
    let mut conv = Vec::new();
    let mut names = Vec::new();
    for p in op.positional() {
        let n = ident(&p.rust);
        if p.pass == ParamPass::Display {
            args.push(quote!(#n: impl std::fmt::Display));
            conv.push(quote!(let #n = #n.to_string();));
        } else {
            let t = ty(&p.ty);
            args.push(quote!(#n: impl Into<#t>));
            conv.push(quote!(let #n: #t = #n.into();));
        }
        names.push(n);
    }
    (args, conv, names)
}

/// How `prepare` borrows a required parameter: strings as `&str` and arrays as slices
/// (clippy `ptr_arg`), anything else as `&T`.
fn borrowed(p: &Param) -> TokenStream {
    match &p.borrow {
        Borrow::Str => quote!(&str),
        Borrow::Slice(item) => {
            let t = ty(item);
            quote!(&[#t])
        }
        Borrow::Ref => {
            let t = ty(&p.ty);
            quote!(&#t)
        }
    }
}

/// The parameters of the `prepare` function and the arguments the group methods pass it:
/// positional parameters borrowed, then the body, then the parameters struct.
pub fn prepare_args(op: &Operation) -> (Vec<TokenStream>, Vec<TokenStream>) {
    // (parameters of the prepare fn, arguments passed to it from the group method)
    let l = &op.idents.locals;
    let mut decl = Vec::new();
    let mut pass = Vec::new();
    for p in op.positional() {
        let n = ident(&p.rust);
        let t = borrowed(p);
        decl.push(quote!(#n: #t));
        pass.push(quote!(&#n));
    }
    if let Some(b) = &op.body {
        let t = ty(&b.ty);
        let n = ident(&l.body);
        if b.required {
            decl.push(quote!(#n: &#t));
            pass.push(quote!(&#n));
        } else {
            decl.push(quote!(#n: Option<&#t>));
            pass.push(quote!(#n.as_ref()));
        }
    }
    if let Some(pt) = &op.params_type {
        let t = ident(pt);
        let n = ident(&l.params);
        decl.push(quote!(#n: &#t));
        pass.push(quote!(&#n));
    }
    (decl, pass)
}

/// `field: local`, or the shorthand when they agree (clippy `redundant_field_names`).
pub fn field_init(field: &str, local: &str) -> TokenStream {
    let f = ident(field);
    if field == local {
        quote!(#f)
    } else {
        let l = ident(local);
        quote!(#f: #l)
    }
}

/// The result type of the operation's `Call` (not used when it only streams).
pub fn success_type(op: &Operation) -> TokenStream {
    match &op.success {
        Success::Unit | Success::Stream => quote!(()),
        Success::Json(t) => ty(t),
        Success::Bytes => quote!(bytes::Bytes),
    }
}
