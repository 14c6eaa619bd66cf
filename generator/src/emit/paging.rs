//! Offset pagination: `OffsetPaginated` for the parameters struct (or, when the operation
//! has required parameters, for a pager struct carrying them too) and the page/item stream
//! methods on the group.

use super::signature::{field_init, positional_arguments, success_type};
use super::{doc, ident, ty};
use crate::model::{Operation, Presence};
use proc_macro2::TokenStream;
use quote::quote;

/// `pages`/`stream` methods for a paginated operation.
pub fn methods(op: &Operation) -> TokenStream {
    let (Some(pg), Some(pt)) = (&op.pagination, &op.params_type) else {
        return quote!();
    };
    let group = ident(&op.group);
    let method = ident(&op.method_name);
    let pt = ident(pt);
    let page = success_type(op);
    let item = ty(&pg.item_ty);
    let pages = ident(&pg.pages_method);
    let items = ident(&pg.items_method);
    let base = crate::model::unraw(&op.method_name);
    let pd = doc(&[format!(
        "Every page of [`Self::{base}`], fetched lazily: offset advances by the items received."
    )]);
    let sd = doc(&[format!(
        "Every item of [`Self::{base}`] across pages; memory stays bounded by one page."
    )]);
    let params = ident(&op.idents.locals.params);
    let (args, conv, start, call) = match &pg.pager {
        None => (
            vec![quote!(#params: #pt)],
            Vec::new(),
            quote!(#params),
            quote!(|client, params| #group { client }.#method(params)),
        ),
        Some(pager) => {
            let pager = ident(pager);
            let field = pg.pager_params.as_deref().unwrap_or_default();
            let params_field = field_init(field, &op.idents.locals.params);
            let field = ident(field);
            let (mut args, conv, names) = positional_arguments(op);
            args.push(quote!(#params: #pt));
            (
                args,
                conv,
                quote!(#pager { #(#names,)* #params_field }),
                quote!(|client, r| #group { client }.#method(#(r.#names,)* r.#field)),
            )
        }
    };
    quote! {
        #pd
        #[inline]
        pub fn #pages(&self, #(#args),*) -> impl futures::Stream<Item = Result<#page, Error>> + 'c {
            #(#conv)*
            runtime::pages(self.client, #start, #call)
        }

        #sd
        #[inline]
        pub fn #items(&self, #(#args),*) -> impl futures::Stream<Item = Result<#item, Error>> + 'c {
            #(#conv)*
            runtime::items(self.client, #start, #call)
        }
    }
}

pub fn pagination_impl(op: &Operation) -> TokenStream {
    let (Some(pg), Some(pt)) = (&op.pagination, &op.params_type) else {
        return quote!();
    };
    let params_ty = ident(pt);
    let page = success_type(op);
    let item = ty(&pg.item_ty);
    let offset = ident(&pg.offset);
    // With a pager the parameters struct sits in its own field (`params`).
    let at = pg.pager_params.as_deref().map(|f| {
        let f = ident(f);
        quote!(.#f)
    });
    let set = if pg.offset_i32 {
        quote!(self #at .#offset = Some(i32::try_from(offset).unwrap_or(i32::MAX));)
    } else {
        quote!(self #at .#offset = Some(offset);)
    };
    // Widen i32 parameters; an i64 needs no conversion (clippy::useless_conversion).
    let widen = |is_i32: bool| is_i32.then(|| quote!(.map(i64::from)));
    let limit = match &pg.limit {
        Some(l) => {
            let li = ident(l);
            let w = widen(pg.limit_i32);
            let default = op
                .params
                .iter()
                .find(|p| &p.rust == l)
                .and_then(|p| p.default.as_ref())
                .and_then(serde_json::Value::as_i64);
            match default {
                Some(d) => {
                    let d = proc_macro2::Literal::i64_unsuffixed(d);
                    quote!(Some(self #at .#li #w .unwrap_or(#d)))
                }
                None => quote!(self #at .#li #w),
            }
        }
        None => quote!(None),
    };
    let path: Vec<_> = pg.items_path.iter().map(|p| ident(p)).collect();
    let offset_widen = widen(pg.offset_i32);
    let total = match &pg.total_count {
        Some((f, presence)) => {
            let f = ident(f);
            match presence {
                Presence::Required => quote!(u64::try_from(page.#f).ok()),
                Presence::Optional | Presence::RequiredNullable => {
                    quote!(page.#f.and_then(|t| u64::try_from(t).ok()))
                }
                Presence::OptionalNullable => {
                    quote!(page.#f.as_option().and_then(|t| u64::try_from(*t).ok()))
                }
            }
        }
        None => quote!({
            let _ = page;
            None
        }),
    };
    let (target, pager_struct) = match &pg.pager {
        None => (quote!(#params_ty), quote!()),
        Some(pager) => {
            let pager = ident(pager);
            let fields = op.positional().map(|p| {
                let n = ident(&p.rust);
                let t = ty(&p.argument_type());
                let d = doc(&[format!("The `{}` parameter.", p.wire)]);
                quote!(#d pub #n: #t,)
            });
            let params_field = ident(pg.pager_params.as_deref().unwrap_or_default());
            let d = doc(&[format!(
                "What paging through `{}` carries from page to page: its required parameters and the optional ones.",
                op.operation_id
            )]);
            (
                quote!(#pager),
                quote! {
                    #d
                    #[derive(Debug, Clone, PartialEq)]
                    pub struct #pager {
                        #(#fields)*
                        /// The optional parameters (the offset advances page by page).
                        pub #params_field: #params_ty,
                    }
                },
            )
        }
    };
    quote! {
        #pager_struct
        impl runtime::OffsetPaginated for #target {
            type Page = #page;
            type Item = #item;
            fn offset(&self) -> Option<i64> {
                self #at .#offset #offset_widen
            }
            fn set_offset(&mut self, offset: i64) {
                #set
            }
            fn limit(&self) -> Option<i64> {
                #limit
            }
            fn page_len(page: &Self::Page) -> usize {
                page #(.#path)* .len()
            }
            fn into_items(page: Self::Page) -> Vec<Self::Item> {
                page #(.#path)*
            }
            fn total_count(page: &Self::Page) -> Option<u64> {
                #total
            }
        }
    }
}
