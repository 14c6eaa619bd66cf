//! Model → tokens. One function per construct; it only prints: nothing here reads the spec,
//! decides names or looks through aliases — every decision (validation plans, union order,
//! body encodings, stream envelopes, how arguments are borrowed) is a field of the model.
//! The result is a sorted map of file name → tokens, so the output order never depends on
//! the order things were discovered.
//!
//! Files: `types.rs` (named types; `unions.rs` for unions, `validate.rs` prints validation
//! plans), `ops_file.rs` (the operations file: `ops.rs` per operation, `methods.rs` the group
//! methods, `paging.rs` pagination, `body.rs` non-JSON bodies; `signature.rs` the argument
//! lists they share, a leaf), `client.rs`, `mock.rs`, and `driver.rs` (the conformance
//! program, not part of the SDK). No module imports one that imports it back.

mod body;
pub mod client;
pub mod driver;
mod methods;
mod mock;
mod ops;
mod ops_file;
mod paging;
mod signature;
mod types;
mod unions;
mod validate;

use crate::model::{Model, TypeRef};
use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::quote;
use std::collections::BTreeMap;

/// Emitted files (relative to the generated module folder) → their tokens.
pub fn emit(model: &Model) -> BTreeMap<String, TokenStream> {
    units(model)
        .into_iter()
        .map(|u| {
            let tokens = u.emit();
            (u.name, tokens)
        })
        .collect()
}

/// One generated file, not emitted yet. Each file's tokens depend only on the model, so the
/// writer can emit and format files on several threads (tokens themselves cannot cross
/// threads: `proc_macro2` is `Rc`-based).
pub struct Unit<'m> {
    /// Path relative to the generated module folder (`types/features_1.rs`).
    pub name: String,
    /// Rough size (types or operations it holds): the biggest files are started first.
    pub weight: usize,
    /// Parts the file is emitted and formatted in, each on its own (on any thread); their
    /// texts, joined in order, are the file.
    pub parts: usize,
    emit: Box<dyn Fn(usize) -> Pieces<'m> + Send + Sync + 'm>,
}

/// A file's tokens as a sequence of [`Piece`]s, made as they are asked for.
pub type Pieces<'m> = Box<dyn Iterator<Item = Piece> + 'm>;

/// Part of a file's tokens. A file whose size grows with the document (`operations.rs`,
/// `mock.rs`) is emitted in pieces that the writer formats one at a time, so the tokens and
/// syntax trees of the whole file are never alive at once: memory stays bounded by a piece,
/// not by the number of operations.
pub enum Piece {
    /// Items (or, inside an [`Piece::Open`], the items of that module or impl block).
    Items(TokenStream),
    /// The attributes and head of a braced item (`#[cfg(..)] mod name`, `impl<'c> X<'c>`)
    /// whose body is the pieces up to the matching [`Piece::Close`]. The head (without its
    /// attributes) must print on one line.
    Open {
        attrs: TokenStream,
        head: TokenStream,
    },
    /// At the start of a part: the head of an item an earlier part opened (outermost first).
    Within(TokenStream),
    Close,
}

impl<'m> Unit<'m> {
    pub(crate) fn new(
        name: impl Into<String>,
        weight: usize,
        emit: impl Fn() -> TokenStream + Send + Sync + 'm,
    ) -> Self {
        Self::pieces(name, weight, move || {
            Box::new(std::iter::once(Piece::Items(emit())))
        })
    }

    /// A unit emitted in pieces (see [`Piece`]).
    pub(crate) fn pieces(
        name: impl Into<String>,
        weight: usize,
        emit: impl Fn() -> Pieces<'m> + Send + Sync + 'm,
    ) -> Self {
        Self::parts(name, weight, 1, move |_| emit())
    }

    /// A unit emitted in `parts` parts, each in pieces.
    pub(crate) fn parts(
        name: impl Into<String>,
        weight: usize,
        parts: usize,
        emit: impl Fn(usize) -> Pieces<'m> + Send + Sync + 'm,
    ) -> Self {
        Unit {
            name: name.into(),
            weight,
            parts: parts.max(1),
            emit: Box::new(emit),
        }
    }

    /// The pieces of part `part` of this file.
    pub fn pieces_of(&self, part: usize) -> Pieces<'m> {
        (self.emit)(part)
    }

    /// This file's tokens, whole.
    pub fn emit(&self) -> TokenStream {
        let mut stack: Vec<(TokenStream, TokenStream, TokenStream)> = Vec::new();
        let mut out = TokenStream::new();
        for piece in (0..self.parts).flat_map(|p| self.pieces_of(p)) {
            match piece {
                Piece::Items(t) => match stack.last_mut() {
                    Some((_, _, body)) => body.extend(t),
                    None => out.extend(t),
                },
                Piece::Open { attrs, head } => stack.push((attrs, head, TokenStream::new())),
                // Already open on the stack: the earlier part opened it.
                Piece::Within(_) => {}
                Piece::Close => {
                    let Some((attrs, head, body)) = stack.pop() else {
                        continue;
                    };
                    let item = quote!(#attrs #head { #body });
                    match stack.last_mut() {
                        Some((_, _, parent)) => parent.extend(item),
                        None => out.extend(item),
                    }
                }
            }
        }
        out
    }
}

/// Every file the model produces, in no particular order (names are unique).
pub fn units(model: &Model) -> Vec<Unit<'_>> {
    let ops = model.operations.len();
    let mut units = vec![
        Unit::new("mod.rs", ops / 4, || module_root(model)),
        Unit::parts(
            "operations.rs",
            ops * 4,
            ops_file::operations_parts(model),
            move |part| ops_file::operations_file(model, part),
        ),
        Unit::new("errors.rs", model.error_variants.len(), || {
            ops::errors_file(model)
        }),
        Unit::pieces("mock.rs", ops, || mock::mock_file(model)),
    ];
    units.extend(types::type_units(model));
    units
}

/// An identifier, raw (`r#type`) where the model escaped a keyword.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// One `#[doc = " line"]` per line, with the leading space rustdoc expects.
pub fn doc(lines: &[String]) -> TokenStream {
    // The tokens of `#[doc = "…"]` built in place: `quote!` would make a stream per line
    // and copy each into the result.
    let mut out = TokenStream::new();
    for l in lines {
        let attr = [
            TokenTree::Ident(Ident::new("doc", Span::call_site())),
            TokenTree::Punct(Punct::new('=', Spacing::Alone)),
            TokenTree::Literal(doc_literal(l)),
        ];
        out.extend([
            TokenTree::Punct(Punct::new('#', Spacing::Alone)),
            TokenTree::Group(Group::new(Delimiter::Bracket, attr.into_iter().collect())),
        ]);
    }
    out
}

/// The string literal of one doc line. Where it can be, a raw string: `prettyplease` prints
/// the same `///` comment for it as for an escaped one, and neither `proc_macro2` (escaping)
/// nor `syn` (unescaping) has to walk it char by char — doc lines are most of the literals.
fn doc_literal(line: &str) -> Literal {
    if line.is_empty() {
        return Literal::string("");
    }
    if !line.contains(['"', '\r', '\n']) {
        if let Ok(lit) = format!("r\" {line}\"").parse() {
            return lit;
        }
    }
    Literal::string(&format!(" {line}"))
}

/// How [`ty_spelled`] names what is not a standard type. Generated code names the
/// runtime's items and its own types as they are ([`Spelling::MODULE`]); code outside the
/// generated module (the examples test) names them through the crate and decodes raw bytes
/// as `Vec<u8>` (`bytes::Bytes` has no serde support there) ([`Spelling::ROOTED`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spelling {
    /// `crate::` before generated types and `crate::runtime::` items.
    pub rooted: bool,
}

impl Spelling {
    pub const MODULE: Spelling = Spelling { rooted: false };
    pub const ROOTED: Spelling = Spelling { rooted: true };
}

/// The Rust type for a type reference, as generated code names it.
pub fn ty(t: &TypeRef) -> TokenStream {
    ty_spelled(t, Spelling::MODULE)
}

/// The Rust type for a type reference, spelled for where it is written.
pub fn ty_spelled(t: &TypeRef, s: Spelling) -> TokenStream {
    let root = s.rooted.then(|| quote!(crate::));
    match t {
        TypeRef::String => quote!(String),
        TypeRef::Secret => quote!(#root runtime::Secret),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::U64 => quote!(u64),
        TypeRef::I128 => quote!(i128),
        TypeRef::F64 => quote!(f64),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Bytes if s.rooted => quote!(Vec<u8>),
        TypeRef::Bytes => quote!(bytes::Bytes),
        TypeRef::File => quote!(#root runtime::FilePart),
        TypeRef::Named(n) => {
            let i = ident(n);
            quote!(#root #i)
        }
        TypeRef::Vec(inner) => {
            let i = ty_spelled(inner, s);
            quote!(Vec<#i>)
        }
        TypeRef::Map(inner) => {
            let i = ty_spelled(inner, s);
            quote!(std::collections::BTreeMap<String, #i>)
        }
        TypeRef::Boxed(inner) => {
            let i = ty_spelled(inner, s);
            quote!(Box<#i>)
        }
        TypeRef::Option(inner) => {
            let i = ty_spelled(inner, s);
            quote!(Option<#i>)
        }
    }
}

/// A type's tokens as compact text (`Vec<crate::Pet>`, `BTreeMap<String, i64>`).
pub fn type_text(tokens: TokenStream) -> String {
    let mut out = String::new();
    for t in tokens {
        match t {
            TokenTree::Punct(p) => {
                out.push(p.as_char());
                if p.as_char() == ',' {
                    out.push(' ');
                }
            }
            TokenTree::Group(g) => out.push_str(&type_text(g.stream())),
            other => out.push_str(&other.to_string()),
        }
    }
    out
}

/// `#[cfg(feature = "a")]` or `#[cfg(any(feature = "a", …))]` for a set of features
/// (nothing for none).
pub fn cfg_any(features: &[String]) -> Option<TokenStream> {
    match features {
        [] => None,
        [one] => Some(quote!(#[cfg(feature = #one)])),
        many => Some(quote!(#[cfg(any(#(feature = #many),*))])),
    }
}

/// The feature of an operation group.
pub fn group_cfg(model: &Model, group: &str) -> Option<TokenStream> {
    let g = model.groups.get(group)?;
    cfg_any(std::slice::from_ref(&g.feature))
}

fn module_root(model: &Model) -> TokenStream {
    let title_doc = format!(
        " Types and operations generated from the `{}` OpenAPI document.",
        model.title
    );
    let client = client::client_items(model);
    // Re-export only modules with public items: a glob of nothing is an unused import.
    // With some group features off, the operations module may export nothing.
    let use_ops = (!model.operations.is_empty()).then(|| {
        quote!(
            #[allow(unused_imports)]
            pub use operations::*;
        )
    });
    let use_types = (!model.types.is_empty()).then(|| {
        quote!(
            #[allow(unused_imports)]
            pub use types::*;
        )
    });
    quote! {
        #![doc = #title_doc]
        #![allow(deprecated, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::large_enum_variant, clippy::too_many_arguments)]

        #[rustfmt::skip]
        mod errors;
        #[rustfmt::skip]
        mod operations;
        #[rustfmt::skip]
        mod types;
        #[cfg(feature = "mock")]
        #[rustfmt::skip]
        mod mock;

        pub use errors::*;
        #use_ops
        #use_types
        #[cfg(feature = "mock")]
        pub use mock::*;

        use crate::runtime;

        #client
    }
}
