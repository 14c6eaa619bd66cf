//! The conformance driver: an example program for a generated crate (`examples/conformance.rs`,
//! written by `cargo xtask conformance`, never into the SDK) that calls any operation with
//! arguments given as JSON by wire name, and prints what came back as JSON.
//!
//! Input, one JSON object per line on stdin:
//! `{"key": "GET /pets/{id}", "args": {"path": {..}, "query": {..}, "header": {..}, "cookie": {..}, "body": ..}}`.
//! Output, one line per call: `{"key", "outcome": "ok"|"decode"|"api"|"unexpected_status"|
//! "invalid_request"|"transport"|"other"|"bad_arguments"|"skipped", "status", "value",
//! "message", "raw", "echo", "violations"}` (the last two: headers of the oracles' answers).
//!
//! Every argument is deserialised into the Rust type the model gives the parameter, and passed
//! the way the group method takes it ([`Operation::positional`], then the body, then the
//! parameters struct), so a change to how parameters are typed flows through here.

use super::{ident, ty};
use crate::model::{
    BodyKind, Model, Operation, Param, ParamLocation, ParamPass, Success, TextForm,
};
use proc_macro2::TokenStream;
use quote::quote;

/// The operation's key in the driver's input: `METHOD /path/template`.
pub fn key(op: &Operation) -> String {
    format!("{} {}", op.method.as_str(), op.path)
}

/// Why the driver cannot call an operation, if it cannot.
pub fn skip_reason(_model: &Model, op: &Operation) -> Option<&'static str> {
    let body = op.body.as_ref()?;
    match body.kind {
        // File parts are built from bytes, not deserialised.
        BodyKind::Multipart => Some("multipart body (file parts are not built from JSON)"),
        BodyKind::Binary if !body.bytes => Some("binary body of a non-bytes type"),
        _ => None,
    }
}

fn location(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// A required argument as the group method takes it (mirrors
/// `signature::positional_arguments`): a path parameter is `impl Display` there, so a value
/// whose type is not `Display` goes as the text a user would write for the default `simple`
/// style (items joined by `,`; a string-valued union as its string; an object as its JSON
/// text). Everything else is passed as the model's type. (When parameters carry how they
/// are passed: only a `Display` one takes text.)
fn pass_positional(p: &Param, v: TokenStream) -> TokenStream {
    if p.pass != ParamPass::Display {
        return v;
    }
    match p.text {
        TextForm::Items => quote!(#v.iter().map(text).collect::<Vec<_>>().join(",")),
        TextForm::Json => quote!(text(&#v)),
        TextForm::Plain => v,
    }
}

/// The `match` arm that calls one operation.
fn arm(model: &Model, op: &Operation) -> TokenStream {
    let key = key(op);
    if let Some(reason) = skip_reason(model, op) {
        return quote!(#key => skipped(#reason),);
    }
    let mut lets = Vec::new();
    let mut pass = Vec::new();
    for (i, p) in op.positional().enumerate() {
        let n = quote::format_ident!("p{}", i);
        let t = ty(&p.ty);
        let (at, wire) = (location(p.location), &p.wire);
        lets.push(quote!(let #n: #t = arg!(required(args, #at, #wire));));
        pass.push(pass_positional(p, quote!(#n)));
    }
    if let Some(b) = &op.body {
        let t = ty(&b.ty);
        let read = if b.bytes {
            quote!(raw_body(args))
        } else {
            quote!(optional(args, "body", ""))
        };
        if b.required {
            lets.push(quote!(let body: #t = arg!(#read.and_then(|b| b.ok_or_else(|| "the body is missing".to_owned())));));
        } else {
            lets.push(quote!(let body: Option<#t> = arg!(#read);));
        }
        pass.push(quote!(body));
    }
    if let Some(pt) = &op.params_type {
        let t = ident(pt);
        let sets = op.params.iter().filter(|p| !p.required).map(|p| {
            let f = ident(&p.rust);
            let (at, wire) = (location(p.location), &p.wire);
            quote!(params.#f = arg!(optional(args, #at, #wire));)
        });
        lets.push(quote! {
            let mut params = api::#t::default();
            #(#sets)*
        });
        pass.push(quote!(params));
    }
    let group = &model.groups[&op.group].accessor;
    let group = ident(group);
    let method = ident(&op.method_name);
    let call = quote!(client.#group().#method(#(#pass),*));
    let done = match &op.success {
        Success::Stream => quote!(stream(#call).await),
        Success::Bytes => quote!(report(#call.no_retries().await.map(|b| b.len()))),
        _ => quote!(report(#call.no_retries().await)),
    };
    quote! {
        #key => {
            #(#lets)*
            #done
        }
    }
}

/// The whole driver program for the crate whose library is `lib` (`my_api`).
pub fn driver(model: &Model, lib: &str) -> TokenStream {
    let krate = ident(lib);
    let arms = model.operations.iter().map(|op| arm(model, op));
    quote! {
        //! Conformance driver (generated by `cargo xtask conformance`): calls operations with
        //! JSON arguments read from stdin and prints each outcome as one JSON line.
        #![allow(deprecated, unused, clippy::all)]

        use #krate as api;
        // The model's type names, as the crate's own code sees them.
        use api::*;
        use std::io::BufRead as _;

        /// Bail out of an arm with the message of a bad argument.
        macro_rules! arg {
            ($e:expr) => {
                match $e {
                    Ok(v) => v,
                    Err(message) => return serde_json::json!({"outcome": "bad_arguments", "message": message}),
                }
            };
        }

        fn optional<T: serde::de::DeserializeOwned>(
            args: &serde_json::Value,
            at: &str,
            wire: &str,
        ) -> Result<Option<T>, String> {
            let value = match at {
                "body" => args.get("body"),
                _ => args.get(at).and_then(|m| m.get(wire)),
            };
            let Some(v) = value else {
                return Ok(None);
            };
            match serde_json::from_value(v.clone()) {
                Ok(t) => Ok(Some(t)),
                // A value the generator widened to a string (a JSON `content` parameter, a
                // warned `type_widened`) takes the JSON text, as its docs tell a user.
                Err(e) if !v.is_string() => {
                    serde_json::from_value(serde_json::Value::String(v.to_string()))
                        .map(Some)
                        .map_err(|_| format!("{at} `{wire}`: {e}"))
                }
                Err(e) => Err(format!("{at} `{wire}`: {e}")),
            }
        }

        fn required<T: serde::de::DeserializeOwned>(
            args: &serde_json::Value,
            at: &str,
            wire: &str,
        ) -> Result<T, String> {
            optional(args, at, wire)?.ok_or_else(|| format!("{at} `{wire}` is missing"))
        }

        /// A raw body is given as a JSON string.
        fn raw_body(args: &serde_json::Value) -> Result<Option<bytes::Bytes>, String> {
            match args.get("body") {
                None => Ok(None),
                Some(serde_json::Value::String(s)) => Ok(Some(bytes::Bytes::from(s.clone().into_bytes()))),
                Some(other) => Ok(Some(bytes::Bytes::from(other.to_string().into_bytes()))),
            }
        }

        /// A value as the text a user writes for it: a string as itself, anything else
        /// as its JSON text.
        fn text<T: serde::Serialize>(v: &T) -> String {
            match serde_json::to_value(v) {
                Ok(serde_json::Value::String(s)) => s,
                Ok(other) => other.to_string(),
                Err(_) => String::new(),
            }
        }

        fn skipped(reason: &str) -> serde_json::Value {
            serde_json::json!({"outcome": "skipped", "message": reason})
        }

        fn failure(e: &api::Error) -> serde_json::Value {
            let outcome = match e {
                api::Error::Decode(_) => "decode",
                api::Error::Api(_) => "api",
                api::Error::UnexpectedStatus(_) => "unexpected_status",
                api::Error::InvalidRequest(_) => "invalid_request",
                api::Error::Transport { .. } => "transport",
                _ => "other",
            };
            let message = match e {
                // The serde error itself, with its line and column in the raw body.
                api::Error::Decode(d) => d.source.to_string(),
                other => other.to_string(),
            };
            serde_json::json!({
                "outcome": outcome,
                "status": e.status().map(|s| s.as_u16()),
                "message": message,
                "raw": e.raw_body().map(|b| String::from_utf8_lossy(b).into_owned()),
                // The echo server's answer to a HEAD request, which has no body.
                "echo": e
                    .headers()
                    .and_then(|h| h.get("x-conformance-echo"))
                    .and_then(|v| v.to_str().ok()),
                // Prism's request violations, when it answers with the document's own 4xx.
                "violations": e
                    .headers()
                    .and_then(|h| h.get("sl-violations"))
                    .and_then(|v| v.to_str().ok()),
            })
        }

        fn report<T: serde::Serialize>(result: Result<T, api::Error>) -> serde_json::Value {
            match result {
                Ok(v) => serde_json::json!({
                    "outcome": "ok",
                    "value": serde_json::to_value(&v).unwrap_or(serde_json::Value::Null),
                }),
                Err(e) => failure(&e),
            }
        }

        /// Reads at most a few events: enough to decode what the server made up.
        async fn stream<T: serde::Serialize>(
            mut s: futures::stream::BoxStream<'_, Result<T, api::Error>>,
        ) -> serde_json::Value {
            use futures::StreamExt as _;
            let mut events = Vec::new();
            while let Some(item) = s.next().await {
                match item {
                    Ok(v) => events.push(serde_json::to_value(&v).unwrap_or(serde_json::Value::Null)),
                    Err(e) => return failure(&e),
                }
                if events.len() >= 8 {
                    break;
                }
            }
            serde_json::json!({"outcome": "ok", "value": events})
        }

        async fn call(client: &api::Client, key: &str, args: &serde_json::Value) -> serde_json::Value {
            match key {
                #(#arms)*
                _ => skipped("no such operation"),
            }
        }

        #[tokio::main(flavor = "current_thread")]
        async fn main() {
            let base = std::env::args().nth(1).expect("usage: conformance BASE_URL < calls.jsonl");
            let client = api::Client::builder()
                .base_url(base)
                .api_key("conformance-key")
                .basic_auth("conformance", "conformance-password")
                .timeout(std::time::Duration::from_secs(20))
                .build()
                .expect("the client builds");
            for line in std::io::stdin().lock().lines() {
                let line = line.expect("stdin is readable");
                if line.trim().is_empty() {
                    continue;
                }
                let input: serde_json::Value = serde_json::from_str(&line).expect("one JSON object per line");
                let key = input["key"].as_str().unwrap_or_default().to_owned();
                let mut out = call(&client, &key, &input["args"]).await;
                out["key"] = serde_json::Value::String(key);
                println!("{out}");
            }
        }
    }
}

/// The driver, formatted.
pub fn driver_source(model: &Model, lib: &str) -> crate::Result<String> {
    crate::write::format_file("conformance.rs", driver(model, lib))
}
