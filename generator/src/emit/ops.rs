//! The items of one operation in the operations file: its `OperationMeta` static, parameters
//! struct and request preparation (the model's checks, path, query, headers, body); the
//! response decoders operations share; and the errors file (`ApiErrorBody`).

use super::signature::prepare_args;
use super::validate::checks;
use super::{doc, ident, ty};
use crate::model::{
    ArmAction, BodyKind, DecodeOut, Decoder, ErrorVariant, Model, Operation, Param, ParamLocation,
    ParamStyle, PathPart, RetryHint, Serialization, StatusMatch, unraw,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `crate::runtime::RetrySpec { … }` for a retry hint.
pub fn retry_spec(r: &RetryHint) -> TokenStream {
    let (i, m, e, x) = (
        r.initial_interval_ms,
        r.max_interval_ms,
        r.exponent,
        r.max_elapsed_ms,
    );
    let codes = &r.status_codes;
    let conn = r.retry_connection_errors;
    quote! {
        crate::runtime::RetrySpec {
            initial_interval_ms: #i,
            max_interval_ms: #m,
            exponent: #e,
            max_elapsed_ms: #x,
            status_codes: &[#(#codes),*],
            retry_connection_errors: #conn,
        }
    }
}

pub fn errors_file(model: &Model) -> TokenStream {
    let variants = model.error_variants.iter().map(|v: &ErrorVariant| {
        let n = ident(&v.name);
        let t = ty(&v.ty);
        let status = match v.status {
            StatusMatch::Code(c) => format!("HTTP {c}"),
            StatusMatch::Range(r) => format!("HTTP {r}XX"),
            StatusMatch::Default => "Any other status (`default`)".to_owned(),
        };
        let mut lines = vec![format!("{status}: {}", v.doc.join(" "))];
        lines.retain(|l| !l.is_empty());
        let d = doc(&lines);
        quote!(#d #n(#t),)
    });
    quote! {
        //! The typed bodies of documented error responses.
        #[allow(unused_imports)]
        use crate::generated::*;

        /// The body of a documented error response, parsed into the schema its status names.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum ApiErrorBody {
            #(#variants)*
            /// The status is documented but the body was absent or did not match its schema;
            /// the raw body is on the error.
            Unparsed,
        }
    }
}

pub(super) fn operation(op: &Operation) -> TokenStream {
    let meta = ident(&op.idents.meta);
    let id = &op.operation_id;
    // `OperationMeta::get(..)` and its siblings: the method's constructor.
    let method = format_ident!("{}", op.method.as_str().to_ascii_lowercase());
    let path = &op.path;
    let (retry_static, with_retry) = match (&op.retry, &op.idents.retry) {
        (Some(r), Some(n)) => {
            let s = retry_spec(r);
            let n = ident(n);
            (
                quote!(static #n: crate::runtime::RetrySpec = #s;),
                quote!(.with_retry(&#n)),
            )
        }
        _ => (quote!(), quote!()),
    };
    let with_auth = op.auth.as_ref().map(|list| {
        let list = list.iter().map(super::client::auth_scheme);
        quote!(.with_auth(&[#(#list),*]))
    });
    let params_struct = params_struct(op);
    let prepare = prepare_fn(op);
    let pagination = super::paging::pagination_impl(op);
    quote! {
        #retry_static
        static #meta: OperationMeta = OperationMeta::#method(#id, #path) #with_retry #with_auth;
        #params_struct
        #prepare
        #pagination
    }
}

fn param_doc(p: &Param) -> TokenStream {
    let mut lines = p.doc.clone();
    if let Some(d) = &p.default {
        lines.push(String::new());
        lines.push(format!("Server default: `{d}`."));
    }
    doc(&lines)
}

fn params_struct(op: &Operation) -> TokenStream {
    let Some(name) = &op.params_type else {
        return quote!();
    };
    let name = ident(name);
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();
    // `new` and the setters are derived (`runtime::Builder`); the attributes say only what
    // differs from the field's name.
    let fields = optional.iter().map(|p| {
        let n = ident(&p.rust);
        let t = ty(&p.ty);
        let d = param_doc(p);
        let wire = (unraw(&p.rust) != p.wire).then(|| {
            let w = &p.wire;
            quote!(#[builder(wire = #w)])
        });
        let setter = p.setter.as_deref().filter(|s| *s != p.rust).map(|s| {
            let s = ident(s);
            quote!(#[builder(setter = #s)])
        });
        quote!(#d #wire #setter pub #n: Option<#t>,)
    });
    let d = doc(&[format!(
        "Optional parameters of `{}` (`{} {}`).",
        op.operation_id,
        op.method.as_str(),
        op.path
    )]);
    quote! {
        #d
        #[derive(Debug, Clone, Default, PartialEq, runtime::Builder)]
        #[builder(parameters)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
    }
}

/// The runtime's description of how a parameter is written (`runtime::Style::form(false)`).
fn style(p: &Param) -> TokenStream {
    match &p.serialization {
        Serialization::Content { json: true, .. } => quote!(runtime::Style::json()),
        Serialization::Content { json: false, .. } => quote!(runtime::Style::text()),
        Serialization::Style {
            style,
            explode,
            allow_reserved,
        } => {
            let f = format_ident!(
                "{}",
                match style {
                    ParamStyle::Form => "form",
                    ParamStyle::SpaceDelimited => "space_delimited",
                    ParamStyle::PipeDelimited => "pipe_delimited",
                    ParamStyle::DeepObject => "deep_object",
                    ParamStyle::Simple => "simple",
                    ParamStyle::Label => "label",
                    ParamStyle::Matrix => "matrix",
                }
            );
            let reserved = allow_reserved.then(|| quote!(.reserved()));
            quote!(runtime::Style::#f(#explode) #reserved)
        }
    }
}

/// One call writing a query, header or cookie parameter into the request (`v`: `&T`, or
/// `&Option<T>` for an optional one, where `None` writes nothing).
fn param_call(op: &Operation, p: &Param, v: TokenStream) -> TokenStream {
    let request = ident(&op.idents.locals.request);
    let wire = &p.wire;
    let style = style(p);
    let f = match p.location {
        ParamLocation::Query => quote!(query),
        ParamLocation::Header => quote!(header),
        ParamLocation::Cookie => quote!(cookie),
        ParamLocation::Path => unreachable!("path parameters are written into the path"),
    };
    quote!(#request.#f(#wire, #style, #v)?;)
}

/// The request path from its template: a string literal (`true`) when it has no
/// parameters; otherwise each path parameter is first encoded into a local of its own name
/// (the statements returned first), so the `format!` reads like the template
/// (`"/keys/{hash}"`). A raw identifier cannot be named in a format string: it is an
/// argument.
fn path_expr(op: &Operation) -> (TokenStream, TokenStream, bool) {
    let mut fmt = String::new();
    let mut binds = Vec::new();
    let mut bound: Vec<&str> = Vec::new();
    let mut args = Vec::new();
    for part in &op.template {
        match part {
            PathPart::Literal(s) => fmt.push_str(&s.replace('{', "{{").replace('}', "}}")),
            PathPart::Param(rust) => {
                let n = ident(rust);
                // A parameter the template names twice is encoded once.
                if !bound.contains(&rust.as_str()) {
                    bound.push(rust);
                    let p = op.params.iter().find(|p| &p.rust == rust);
                    let (wire, style) = p.map(|p| (p.wire.as_str(), style(p))).unzip();
                    binds.push(quote!(let #n = runtime::path_param(#wire, #style, #n)?;));
                }
                if rust.starts_with("r#") {
                    fmt.push_str("{}");
                    args.push(n);
                } else {
                    fmt.push_str(&format!("{{{rust}}}"));
                }
            }
        }
    }
    if binds.is_empty() {
        (quote!(), quote!(#fmt), true)
    } else {
        (quote!(#(#binds)*), quote!(format!(#fmt #(, #args)*)), false)
    }
}

/// The statements setting the request body (`request.body`), validated first where the
/// type validates.
fn body_statements(op: &Operation) -> TokenStream {
    let Some(b) = &op.body else {
        return quote!();
    };
    let l = &op.idents.locals;
    let (body, request) = (ident(&l.body), ident(&l.request));
    let validate = b.validate.then(|| quote!(#body.validate_at("body")?;));
    let (encode, fallible) = match b.kind {
        BodyKind::Json => (quote!(runtime::json_body(#body)?), true),
        BodyKind::Multipart => (super::body::multipart(op, b), true),
        BodyKind::Form => (super::body::form(op, b), true),
        BodyKind::Binary => {
            let ct = &b.content_type;
            (quote!(runtime::bytes_body(#ct, #body.to_vec())), false)
        }
    };
    match (b.required, validate.is_some() || fallible) {
        (true, _) => quote!(#validate #request.body = Some(#encode);),
        // Nothing can fail: a plain map (clippy `manual_map` flags the `match`).
        (false, false) => quote!(#request.body = #body.map(|#body| #encode);),
        (false, true) => quote! {
            if let Some(#body) = #body {
                #validate
                #request.body = Some(#encode);
            }
        },
    }
}

/// `<op>_prepare`: the model's checks, then the request: its path, then one line per
/// query, header or cookie parameter, then the body (the first failing input is the error
/// reported).
fn prepare_fn(op: &Operation) -> TokenStream {
    let l = &op.idents.locals;
    let name = ident(&op.idents.prepare);
    let value = ident(&l.value);
    let params = ident(&l.params);
    let request = ident(&l.request);
    let (decl, _) = prepare_args(op);
    let mut request_checks = Vec::new();
    let mut pushes = Vec::new();
    for p in &op.params {
        let wire = &p.wire;
        let n = ident(&p.rust);
        let access = if p.required {
            quote!(#n)
        } else {
            quote!(#value)
        };
        let check = p.check.as_ref().map(|c| checks(c, access, quote!(#wire)));
        if let Some(c) = check {
            request_checks.push(if p.required {
                c
            } else {
                quote!(if let Some(#value) = &#params.#n { #c })
            });
        }
        if p.location != ParamLocation::Path {
            pushes.push(param_call(
                op,
                p,
                if p.required {
                    quote!(#n)
                } else {
                    quote!(&#params.#n)
                },
            ));
        }
    }
    let (encode_path_params, path, literal) = path_expr(op);
    let accept = super::body::accept(op).map(|a| quote!(#request.accept(#a);));
    let body = body_statements(op);
    // A `format!` nested in two calls prints as a tower: bound first.
    let (bind_path, path) = if literal {
        (quote!(), path)
    } else {
        let local = ident(&l.path);
        (
            quote!(#encode_path_params let #local = #path;),
            quote!(#local),
        )
    };
    let fill = if accept.is_some() || !pushes.is_empty() || !body.is_empty() {
        quote! {
            #bind_path
            let mut #request = PreparedRequest::at(#path);
            #accept
            #(#pushes)*
            #body
            Ok(#request)
        }
    } else {
        quote! {
            #bind_path
            Ok(PreparedRequest::at(#path))
        }
    };
    quote! {
        #[inline]
        fn #name(#(#decl),*) -> Result<PreparedRequest, Error> {
            #(#request_checks)*
            #fill
        }
    }
}

/// A response decoder (shared by the operations that answer alike; see
/// `model::decoders`): generic over the result type when the success body is JSON.
pub(super) fn decoder(d: &Decoder, cfg: Option<TokenStream>) -> TokenStream {
    let name = ident(&d.name);
    // A generic function is compiled where it is used already; the others are `#[inline]`.
    let (inline, generics, out) = match d.out {
        DecodeOut::Json => (
            quote!(),
            quote!(<T: serde::de::DeserializeOwned>),
            quote!(T),
        ),
        DecodeOut::Unit => (quote!(#[inline]), quote!(), quote!(())),
        DecodeOut::Bytes => (quote!(#[inline]), quote!(), quote!(bytes::Bytes)),
    };
    let action = |a: &ArmAction| match a {
        ArmAction::Json => quote!(runtime::decode_json(raw)),
        ArmAction::Empty => quote!(runtime::decode_empty(raw)),
        ArmAction::Bytes => quote!(Ok(raw.body)),
        ArmAction::Unexpected => quote!(Err(runtime::unexpected_status(raw))),
        ArmAction::ApiError(v) => {
            let v = ident(v);
            quote!(Err(runtime::api_error(raw, ApiErrorBody::#v)))
        }
        ArmAction::Unparsed => quote!(Err(runtime::api_error::<serde_json::Value, _>(raw, |_| {
            ApiErrorBody::Unparsed
        }))),
    };
    let body = match d.arms.as_slice() {
        // Nothing documented: a lone `_` arm is clippy `match_single_binding`.
        [(StatusMatch::Default, a)] => action(a),
        arms => {
            let arms = arms.iter().map(|(status, a)| {
                let pat = match *status {
                    StatusMatch::Code(c) => {
                        let c = proc_macro2::Literal::u16_unsuffixed(c);
                        quote!(#c)
                    }
                    StatusMatch::Range(x) => {
                        let lo = proc_macro2::Literal::u16_unsuffixed(x * 100);
                        let hi = proc_macro2::Literal::u16_unsuffixed(x * 100 + 99);
                        quote!(#lo..=#hi)
                    }
                    StatusMatch::Default => quote!(_),
                };
                let a = action(a);
                quote!(#pat => #a,)
            });
            quote!(match raw.status.as_u16() { #(#arms)* })
        }
    };
    quote! {
        #cfg
        #inline
        fn #name #generics(raw: RawResponse) -> Result<#out, Error> {
            #body
        }
    }
}
