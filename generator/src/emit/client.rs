//! The crate's face: the `Client` newtype over the runtime's client, the `ApiSpec` that tells
//! the runtime about this API, the type aliases that fix the runtime's generics to this
//! crate's error bodies, the global-header setters, and the crate root of a standalone crate.

use super::{doc, ident, ops};
use crate::model::api::{AuthScheme, GlobalHeader};
use crate::model::{BodyKind, Model, Operation, Success, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// `mod.rs` items describing the API and its client.
pub fn client_items(model: &Model) -> TokenStream {
    let api = &model.api;
    let base = &model.base_url;
    let prefix = &api.env_prefix;
    let retry = match &model.retry {
        Some(r) => {
            let spec = ops::retry_spec(r);
            quote!(Some(#spec))
        }
        None => quote!(None),
    };
    let auth = api.auth.iter().map(auth_scheme);
    let required = api.auth_required;
    let globals = api.globals.iter().map(|g| {
        let (field, name) = (&g.setter, &g.wire);
        quote!(runtime::GlobalHeader { field: #field, name: #name })
    });
    let client_doc = doc(&client_doc_lines(model));
    let group_docs = group_doc_lines(model);
    let from_env_doc = doc(&from_env_doc_lines(model));
    let stream_alias = model
        .operations
        .iter()
        .any(|o| o.stream.is_some())
        .then(|| {
            quote! {
                /// A stream of server-sent events decoded as `T`; ends after the sentinel, at the
                /// end of the body, or after the first error.
                pub type EventStream<'c, T> = runtime::EventStream<'c, T, ApiErrorBody>;
            }
        });
    let global_setters = global_headers_trait(&api.globals);
    quote! {
        /// The first server URL in the document;
        /// [`ClientBuilder::base_url`](openapi_gen_runtime::ClientBuilder::base_url) overrides it.
        pub const DEFAULT_BASE_URL: &str = #base;
        /// Prefix of the environment variables [`Client::from_env`] reads.
        pub const ENV_PREFIX: &str = #prefix;

        /// What the runtime needs to know about this API.
        static API: runtime::ApiSpec = runtime::ApiSpec {
            default_base_url: DEFAULT_BASE_URL,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "-rust/", env!("CARGO_PKG_VERSION")),
            env_prefix: ENV_PREFIX,
            auth: &[#(#auth),*],
            auth_required: #required,
            default_retry: #retry,
            global_headers: &[#(#globals),*],
        };

        #client_doc
        #group_docs
        #[derive(Clone, Debug)]
        pub struct Client(runtime::Client);

        impl From<runtime::Client> for Client {
            fn from(client: runtime::Client) -> Self {
                Client(client)
            }
        }

        /// The runtime's client: `base_url()`.
        impl std::ops::Deref for Client {
            type Target = runtime::Client;
            fn deref(&self) -> &runtime::Client {
                &self.0
            }
        }

        impl runtime::ApiClient for Client {
            type ErrorBody = ApiErrorBody;
            const SPEC: &'static runtime::ApiSpec = &API;
        }

        impl Client {
            /// Starts configuring a client.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new()
            }

            #from_env_doc
            pub fn from_env() -> Result<Client, Error> {
                ClientBuilder::from_env()?.build()
            }
        }

        impl runtime::ErrorBody for ApiErrorBody {
            fn unparsed() -> Self {
                ApiErrorBody::Unparsed
            }
        }

        /// Configures a [`Client`]: start with [`Client::builder`], then
        /// [`api_key`](openapi_gen_runtime::ClientBuilder::api_key),
        /// [`base_url`](openapi_gen_runtime::ClientBuilder::base_url),
        /// [`timeout`](openapi_gen_runtime::ClientBuilder::timeout),
        /// [`retry_policy`](openapi_gen_runtime::ClientBuilder::retry_policy),
        /// [`hook`](openapi_gen_runtime::ClientBuilder::hook), and
        /// [`build`](openapi_gen_runtime::ClientBuilder::build).
        /// All methods are those of [`openapi_gen_runtime::ClientBuilder`].
        pub type ClientBuilder = runtime::ClientBuilder<Client>;
        /// Everything that can go wrong with a call; documented error bodies are [`ApiErrorBody`].
        ///
        /// On any variant: [`status`](openapi_gen_runtime::Error::status),
        /// [`headers`](openapi_gen_runtime::Error::headers),
        /// [`raw_body`](openapi_gen_runtime::Error::raw_body),
        /// [`api_body`](openapi_gen_runtime::Error::api_body) and
        /// [`attempts`](openapi_gen_runtime::Error::attempts). The variants and all methods are
        /// those of [`openapi_gen_runtime::Error`].
        pub type Error = runtime::Error<ApiErrorBody>;
        /// A documented error response.
        pub type ApiError = runtime::ApiError<ApiErrorBody>;
        /// A pending call: await it to send the request (with retries).
        pub type Call<'c, T> = runtime::Call<'c, T, ApiErrorBody>;
        #stream_alias
        #global_setters
    }
}

fn client_doc_lines(model: &Model) -> Vec<String> {
    let mut lines = vec![format!("A client for the {}.", api_name(model))];
    lines.push(String::new());
    lines.push(
        "Cheap to clone (the state is shared): create one per process and share it.".to_owned(),
    );
    if !model.groups.is_empty() {
        lines.push(String::new());
        lines.push("Operation groups, each behind its cargo feature:".to_owned());
        lines.push(String::new());
    }
    lines
}

/// One doc line per group, a link only where its feature is on (a link to a method that is
/// compiled out would fail `cargo doc -D warnings`).
fn group_doc_lines(model: &Model) -> TokenStream {
    let lines = model.groups.values().map(|g| {
        let (accessor, feature) = (&g.accessor, &g.feature);
        let on = format!(" - [`{accessor}()`](Client::{accessor}) (feature `{feature}`)");
        let off = format!(" - `{accessor}()` (feature `{feature}`, off in this build)");
        quote! {
            #[cfg_attr(feature = #feature, doc = #on)]
            #[cfg_attr(not(feature = #feature), doc = #off)]
        }
    });
    quote!(#(#lines)*)
}

fn from_env_doc_lines(model: &Model) -> Vec<String> {
    vec![format!(
        "A client configured from the environment: {}.",
        env_vars(model)
    )]
}

/// The environment variables `from_env` reads, with whether each is required.
fn env_vars(model: &Model) -> String {
    let p = &model.api.env_prefix;
    let cred = if model.api.auth.is_empty() {
        String::new()
    } else if model.api.auth.iter().all(|a| *a == AuthScheme::Basic) {
        format!("`{p}_USERNAME` and `{p}_PASSWORD`")
    } else {
        format!("`{p}_API_KEY`")
    };
    let need = if model.api.auth_required {
        " (required)"
    } else {
        " (optional)"
    };
    let mut line = String::new();
    if !cred.is_empty() {
        line.push_str(&format!("{cred}{need}, "));
    }
    line.push_str(&format!("`{p}_BASE_URL` (optional)"));
    line
}

/// `the Foo API` / `the Foo` from the title.
fn api_name(model: &Model) -> String {
    let t = model.title.trim();
    if t.is_empty() {
        "API".to_owned()
    } else if t.to_ascii_lowercase().ends_with("api") {
        format!("`{t}`")
    } else {
        format!("`{t}` API")
    }
}

fn global_headers_trait(globals: &[GlobalHeader]) -> Option<TokenStream> {
    if globals.is_empty() {
        return None;
    }
    let setters = globals.iter().map(|g| {
        let method = ident(&g.setter);
        let (field, wire) = (&g.setter, &g.wire);
        let mut lines = vec![format!("`{}` header.", g.display)];
        if !g.doc.is_empty() {
            lines.push(String::new());
            lines.extend(g.doc.iter().cloned());
        }
        let d = doc(&lines);
        quote! {
            #d
            fn #method(self, value: impl Into<String>) -> Self {
                self.global_header(#field, #wire, value.into())
            }
        }
    });
    Some(quote! {
        /// Setters for the headers every operation accepts (`x-speakeasy-globals`): on
        /// [`ClientBuilder`] for every call, and on a [`Call`] to override the client's value.
        /// An invalid value fails `build()` or the call before anything is sent.
        pub trait GlobalHeaders: runtime::GlobalHeaderTarget {
            #(#setters)*
        }

        impl<T: runtime::GlobalHeaderTarget> GlobalHeaders for T {}
    })
}

/// An operation the crate docs' quick start can call with literal arguments: no required
/// body, every required parameter a path id or a string; GETs without arguments first.
pub fn quick_start_op(model: &Model) -> Option<&Operation> {
    model
        .operations
        .iter()
        .filter(|op| !matches!(op.success, Success::Stream) && !op.deprecated)
        .filter(|op| op.body.as_ref().is_none_or(|b| !b.required))
        .filter(|op| {
            op.positional()
                .all(|p| p.argument_type() == TypeRef::String)
        })
        .min_by_key(|op| {
            (
                op.method != crate::model::Method::Get,
                op.positional().count(),
                op.params_type.is_some(),
                op.body.is_some(),
            )
        })
}

/// The crate docs of a standalone crate, as Markdown lines: what it is, a quick start that
/// calls a real operation (a doctest), configuration, cargo features and the mock. The
/// crate's README repeats them (see [`crate::krate`]).
pub fn crate_doc_lines(model: &Model, lib_name: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let para = |lines: &mut Vec<String>, text: &[&str]| {
        lines.push(String::new());
        lines.extend(text.iter().map(|t| (*t).to_owned()));
    };
    lines.push(format!(
        "Typed Rust client for the {} (version {}), generated from its OpenAPI document.",
        api_name(model),
        model.api.version
    ));
    if !model.api.description.is_empty() {
        lines.push(String::new());
        lines.extend(model.api.description.iter().cloned());
    }
    para(&mut lines, &["# Quick start", "", "```no_run"]);
    lines.extend(quick_start(model, lib_name));
    lines.push("```".to_owned());
    para(
        &mut lines,
        &[
            "Start from [`Client`]: [`Client::from_env`] or [`Client::builder`]. Every call \
             returns `Result<T, Error>`; [`Error`] keeps the status, headers and raw body of \
             a failed response, and documented error bodies are [`ApiErrorBody`].",
        ],
    );
    para(&mut lines, &["# Configuration", ""]);
    lines.push(format!(
        "[`Client::from_env`] reads {}. [`Client::builder`] sets the same in code \
         ([`ClientBuilder`]), plus timeouts, retries and hooks.",
        env_vars(model)
    ));
    lines.push(String::new());
    lines.push(if model.base_url.is_empty() {
        "The document names no server: set the base URL with `ClientBuilder::base_url` or the \
         environment."
            .to_owned()
    } else {
        format!(
            "The default base URL is [`DEFAULT_BASE_URL`] (`{}`).",
            model.base_url
        )
    });
    para(&mut lines, &["# Cargo features", ""]);
    for g in model.groups.values() {
        lines.push(format!(
            "- `{}` (default): the `{}()` operations, their types and mocks.",
            g.feature, g.accessor
        ));
    }
    lines.extend(
        [
            "- `rustls-ring` (default), `rustls-aws-lc`, `native-tls`: the TLS backend.",
            "- `mock`: [`MockServer`](crate#testing-with-mocks), a typed fake of the API on \
             127.0.0.1 for your tests.",
        ]
        .map(str::to_owned),
    );
    lines.push(String::new());
    lines.push(
        "Turn off the groups you do not call (`default-features = false`, then the groups and \
         a TLS backend) to compile only their code."
            .to_owned(),
    );
    para(
        &mut lines,
        &[
            "# Testing with mocks",
            "",
            "With the `mock` feature, `MockServer::start().await` serves the API on 127.0.0.1. \
             Per operation (`mock.<group>().<operation>()`) say what it answers \
             (`respond(&value)`, `respond_with(status, &body)`, `delay(..)`), call your code \
             with `mock.client()?`, then read what the operation received \
             (`received().await`, its body decoded into the request type).",
            "",
            "Build answers by field name: every type an operation returns has `T::mock()` \
             (required fields at placeholders: empty, zero, `false`, the nil UUID, the Unix \
             epoch, an enum's first value; optional ones absent) and a `with_<field>` setter \
             per field, e.g. `T::mock().with_id(..)`.",
        ],
    );
    lines
}

/// `src/lib.rs` of a standalone crate: the docs of [`crate_doc_lines`], the generated module
/// (private: its items are re-exported at the root, where the docs show them) and the
/// runtime types and crates that appear in its API.
pub fn crate_root(model: &Model, lib_name: &str) -> TokenStream {
    let docs = crate_doc_lines(model, lib_name).into_iter().map(|l| {
        let text = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#![doc = #text])
    });
    // `FilePart` only where a multipart body takes one.
    let file_part = model
        .operations
        .iter()
        .any(|o| {
            o.body
                .as_ref()
                .is_some_and(|b| b.kind == BodyKind::Multipart)
        })
        .then(|| quote!(FilePart,));
    quote! {
        #(#docs)*

        /// Generated code reaches the runtime through this path only.
        use openapi_gen_runtime::__private as runtime;

        #[rustfmt::skip]
        mod generated;

        pub use generated::*;
        pub use openapi_gen_runtime::http;
        pub use openapi_gen_runtime::{
            AttemptInfo, DecodeError, #file_part Hook, HookError, HookRequest, KeyProvider, Response, RetryPolicy, Secret, TransportKind, Tristate,
            UnexpectedStatusError, ValidationError,
        };
        #[cfg(feature = "mock")]
        pub use openapi_gen_runtime::mock::{Endpoint, Mocked, Received};
        /// Crates whose types appear in this crate's API (dates, UUIDs, bytes, JSON values),
        /// re-exported so that naming them needs no dependency of your own.
        pub use {bytes, chrono, serde_json, uuid};
    }
}

fn quick_start(model: &Model, lib: &str) -> Vec<String> {
    let p = &model.api.env_prefix;
    let mut out = vec![
        format!("# async fn quick_start() -> Result<(), {lib}::Error> {{"),
        format!("let client = {lib}::Client::from_env()?; // reads the {p}_* variables"),
    ];
    if let Some(op) = quick_start_op(model) {
        let accessor = model
            .groups
            .get(&op.group)
            .map_or("group", |g| g.accessor.as_str());
        let mut args: Vec<String> = op.positional().map(|p| format!("{:?}", p.wire)).collect();
        if op.body.is_some() {
            args.push("None".into());
        }
        if op.params_type.is_some() {
            args.push("Default::default()".into());
        }
        let call = format!(
            "client.{accessor}().{}({})",
            op.method_name,
            args.join(", ")
        );
        match op.success {
            Success::Unit => out.push(format!("{call}.await?;")),
            _ => {
                out.push(format!("let response = {call}.await?;"));
                out.push("# let _ = response;".into());
            }
        }
    } else {
        out.push("# let _ = client;".into());
    }
    out.push("# Ok(())".into());
    out.push("# }".into());
    out
}

/// A credential scheme as the runtime's `Auth`.
pub(super) fn auth_scheme(a: &AuthScheme) -> TokenStream {
    match a {
        AuthScheme::Bearer => quote!(runtime::Auth::Bearer),
        AuthScheme::Header(h) => quote!(runtime::Auth::Header(#h)),
        AuthScheme::Query(q) => quote!(runtime::Auth::Query(#q)),
        AuthScheme::Basic => quote!(runtime::Auth::Basic),
    }
}
