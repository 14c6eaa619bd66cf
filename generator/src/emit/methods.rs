//! Methods on the operation groups (`client.byok().list(…)`): the call itself, an event
//! stream when one is documented, and page/item streams for paginated operations.

use super::signature::{positional_arguments, prepare_args, success_type};
use super::{doc, ident, ty};
use crate::model::{EventStream, Operation, Presence, Success};
use proc_macro2::TokenStream;
use quote::quote;

/// Arguments of the group method and the statements turning them into `prepare` inputs.
fn arguments(op: &Operation) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let (mut args, conv, _) = positional_arguments(op);
    if let Some(b) = &op.body {
        let t = ty(&b.ty);
        let n = ident(&op.idents.locals.body);
        args.push(if b.required {
            quote!(#n: #t)
        } else {
            quote!(#n: Option<#t>)
        });
    }
    if let Some(pt) = &op.params_type {
        let t = ident(pt);
        let n = ident(&op.idents.locals.params);
        args.push(quote!(#n: #t));
    }
    (args, conv)
}

fn method_doc(op: &Operation, extra: &[String]) -> TokenStream {
    // Paragraphs, each separated from the next by one blank line.
    let summary = op.summary.iter().cloned().collect::<Vec<_>>();
    let wire = [format!(
        "`{} {}` (operation `{}`).",
        op.method.as_str(),
        op.path,
        op.operation_id
    )];
    let mut lines: Vec<String> = Vec::new();
    for paragraph in [&summary[..], &op.doc[..], extra, &wire[..]] {
        if paragraph.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(paragraph.iter().cloned());
    }
    doc(&lines)
}

pub fn group_methods(op: &Operation) -> TokenStream {
    let method = ident(&op.method_name);
    let meta = ident(&op.idents.meta);
    let prepare = ident(&op.idents.prepare);
    let decode = ident(&op.idents.decode);
    let (_, pass) = prepare_args(op);
    let (args, conv) = arguments(op);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let main = match (&op.success, &op.stream) {
        (Success::Stream, Some(stream)) => {
            stream_method(op, &op.method_name, stream, &args, &conv, &pass)
        }
        _ => {
            let out = success_type(op);
            let d = method_doc(op, &[]);
            quote! {
                #d
                #deprecated
                #[inline]
                pub fn #method(&self, #(#args),*) -> Call<'c, #out> {
                    #(#conv)*
                    Call::new(self.client, &#meta, #prepare(#(#pass),*), #decode)
                }
            }
        }
    };
    let extra_stream = match (&op.stream, &op.stream_method) {
        (Some(stream), Some(name)) => stream_method(op, name, stream, &args, &conv, &pass),
        _ => quote!(),
    };
    let pages = super::paging::methods(op);
    quote! {
        #main
        #extra_stream
        #pages
    }
}

fn stream_method(
    op: &Operation,
    name: &str,
    stream: &EventStream,
    args: &[TokenStream],
    conv: &[TokenStream],
    pass: &[TokenStream],
) -> TokenStream {
    let method = ident(name);
    let meta = ident(&op.idents.meta);
    let prepare = ident(&op.idents.prepare);
    let on_error = ident(op.idents.stream_error.as_deref().unwrap_or_default());
    let event = ty(&stream.ty);
    let sentinel = match &stream.sentinel {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    };
    let envelope = stream.envelope;
    let mut extra = vec![
        "Streams the response as server-sent events (`text/event-stream`), one decoded event per item.".to_owned(),
    ];
    if let Some(s) = &stream.sentinel {
        extra.push(format!("The stream ends at the `{s}` sentinel."));
    }
    let flag = stream.flag.as_ref().map(|f| {
        extra.push("Sets the body's `stream` flag to `true`.".to_owned());
        let field = ident(&f.rust);
        let value = match f.presence {
            Presence::Required => quote!(true),
            Presence::OptionalNullable => quote!(Tristate::Value(true)),
            _ => quote!(Some(true)),
        };
        let body = ident(&op.idents.locals.body);
        quote! {
            let mut #body = #body;
            #body.#field = #value;
        }
    });
    let d = method_doc(op, &extra);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #d
        #deprecated
        #[inline]
        pub fn #method(&self, #(#args),*) -> EventStream<'c, #event> {
            #(#conv)*
            #flag
            runtime::event_stream(
                self.client,
                &#meta,
                #prepare(#(#pass),*),
                #on_error,
                runtime::StreamSpec { sentinel: #sentinel, envelope: #envelope },
            )
        }
    }
}
