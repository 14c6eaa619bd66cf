//! `mock.rs` (feature `mock`): a typed mock of every operation for users' tests, one handle
//! per group (`mock.byok().create()`), over the runtime's `mock` module.

use super::{Piece, Pieces, doc, ident, ty};
use crate::model::{BodyKind, Model, Operation, StatusMatch, Success};
use proc_macro2::TokenStream;
use quote::quote;

/// `mock.rs`, in pieces: a group's endpoints are emitted a few at a time.
pub fn mock_file(model: &Model) -> Pieces<'_> {
    let server = ident(&model.api.mock_server);
    let accessors = model.groups.values().filter_map(|g| {
        let handle = ident(model.api.mock_groups.get(&g.name)?);
        let accessor = ident(&g.accessor);
        let d = format!(" Mocks of the `{}` operations.", g.name);
        let cfg = super::group_cfg(model, &g.name);
        Some(quote! {
            #[doc = #d]
            #cfg
            pub fn #accessor(&self) -> #handle<'_> {
                #handle(&self.0)
            }
        })
    });
    let mut by_group = super::ops_file::ops_by_group(model);
    let handles = model.groups.values().flat_map(move |g| {
        let handle = model.api.mock_groups.get(&g.name).map(|h| ident(h));
        let group_ops = by_group.remove(g.name.as_str()).unwrap_or_default();
        let d = format!(
            " The `{}` operations of a [`{}`].",
            g.name, model.api.mock_server
        );
        let cfg = super::group_cfg(model, &g.name);
        handle.into_iter().flat_map(move |handle| {
            let open = [
                Piece::Items(quote! {
                    #[doc = #d]
                    #cfg
                    #[derive(Debug, Clone, Copy)]
                    pub struct #handle<'m>(&'m runtime::mock::MockServer);
                }),
                Piece::Open {
                    attrs: quote!(#cfg),
                    head: quote!(impl<'m> #handle<'m>),
                },
            ];
            open.into_iter()
                .chain(super::ops_file::op_pieces(group_ops.clone(), endpoint))
                .chain([Piece::Close])
        })
    });
    let header = Piece::Items(quote! {
        //! Typed mocks of every operation, for the tests of code that calls this crate.
        #[allow(unused_imports)]
        use crate::generated::*;
        use crate::runtime;

        /// A mock of the API on 127.0.0.1: say per operation what it answers (a typed value,
        /// a status with an error body, a delay), point a client at [`base_url`](Self::base_url),
        /// then check what each operation received, decoded into its request types. The
        /// server stops when dropped.
        #[derive(Debug)]
        pub struct #server(runtime::mock::MockServer);

        impl #server {
            /// Starts the mock on a free port of 127.0.0.1.
            pub async fn start() -> Self {
                #server(runtime::mock::MockServer::start().await)
            }

            /// The base URL to build a client with.
            pub fn base_url(&self) -> String {
                self.0.base_url()
            }

            /// A client pointed at the mock, with a placeholder API key.
            pub fn client(&self) -> Result<Client, Error> {
                Client::builder().api_key("mock-api-key").base_url(self.base_url()).build()
            }

            #(#accessors)*
        }
    });
    Box::new(std::iter::once(header).chain(handles))
}

fn endpoint(op: &Operation) -> TokenStream {
    let method = ident(&op.method_name);
    let http = op.method.as_str();
    let path = &op.path;
    let req = match &op.body {
        Some(b) if b.kind == BodyKind::Json => ty(&b.ty),
        _ => quote!(()),
    };
    let resp = match &op.success {
        Success::Json(t) => ty(t),
        Success::Unit => quote!(()),
        Success::Bytes | Success::Stream => quote!(serde_json::Value),
    };
    let status = op
        .responses
        .iter()
        .find_map(|r| match r.status {
            StatusMatch::Code(c) if (200..300).contains(&c) => Some(c),
            _ => None,
        })
        .unwrap_or(200);
    let d = doc(&[format!(
        "`{http} {path}` (operation `{}`); answers {status} unless told otherwise.",
        op.operation_id
    )]);
    quote! {
        #d
        pub fn #method(&self) -> runtime::mock::Endpoint<'m, #req, #resp> {
            self.0.endpoint(#http, #path, #status)
        }
    }
}
