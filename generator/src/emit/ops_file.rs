//! `operations.rs` as steps and pieces (see [`super::Piece`]): a group with thousands of
//! operations is emitted and formatted a few operations at a time, and a document with many
//! operations is cut into parts formatted on different threads. What each operation's code
//! is comes from `ops.rs` and `methods.rs`.

use super::ops::operation;
use super::{Piece, Pieces, doc, ident};
use crate::model::{Group, Model, Operation};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Operations (and mock endpoints) per [`Piece`] of `operations.rs` and `mock.rs`.
pub const OPS_PER_PIECE: usize = 16;

/// The operations of each group, in model order, found in one pass.
pub fn ops_by_group(model: &Model) -> BTreeMap<&str, Rc<Vec<&Operation>>> {
    let mut by_group: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for op in &model.operations {
        by_group.entry(op.group.as_str()).or_default().push(op);
    }
    by_group
        .into_iter()
        .map(|(g, ops)| (g, Rc::new(ops)))
        .collect()
}

/// `f` over `ops` in pieces of [`OPS_PER_PIECE`], each made when asked for.
pub fn op_pieces<'m>(
    ops: Rc<Vec<&'m Operation>>,
    f: impl Fn(&'m Operation) -> TokenStream + 'm,
) -> impl Iterator<Item = Piece> + 'm {
    (0..ops.len()).step_by(OPS_PER_PIECE).map(move |i| {
        let end = (i + OPS_PER_PIECE).min(ops.len());
        Piece::Items(ops[i..end].iter().map(|op| f(op)).collect())
    })
}

/// Operations per part of `operations.rs` (see [`super::Unit::parts`]): a document with
/// more is formatted on several threads even when all its operations are one group. Small:
/// `operations.rs` is most of a small crate's text, and as one part it kept one core busy
/// while the other finished the rest (buildomat, 21 operations: 4.4 ms against 2.6 ms).
const OPS_PER_PART: usize = 8;

/// Parts of `operations.rs` (at most 16).
pub fn operations_parts(model: &Model) -> usize {
    (model.operations.len() / OPS_PER_PART).clamp(1, 16)
}

/// One step of `operations.rs`: the file is these steps in order, each a few pieces.
#[derive(Clone, Copy)]
enum Step {
    Header,
    /// Group `.0`'s module opens.
    Open(usize),
    /// Operations `.1..​.2` of group `.0`.
    Ops(usize, usize, usize),
    /// The group's handle struct, then its `impl` block opens.
    Handle(usize),
    /// Methods of operations `.1..​.2` of group `.0`.
    Methods(usize, usize, usize),
    /// The `impl` block and the module close.
    Close(usize),
}

/// `operations.rs`, part `part` of [`operations_parts`], in pieces: a group with thousands
/// of operations is emitted and formatted a few operations at a time, and its operations
/// are cut into parts that the writer formats on different threads.
pub fn operations_file(model: &Model, part: usize) -> Pieces<'_> {
    let by_group = ops_by_group(model);
    let groups: Vec<(&Group, Rc<Vec<&Operation>>)> = model
        .groups
        .values()
        .map(|g| {
            (
                g,
                by_group.get(g.name.as_str()).cloned().unwrap_or_default(),
            )
        })
        .collect();
    let mut steps = vec![Step::Header];
    for (i, (_, ops)) in groups.iter().enumerate() {
        steps.push(Step::Open(i));
        let chunks = (0..ops.len()).step_by(OPS_PER_PIECE);
        steps.extend(
            chunks
                .clone()
                .map(|a| Step::Ops(i, a, (a + OPS_PER_PIECE).min(ops.len()))),
        );
        steps.push(Step::Handle(i));
        steps.extend(chunks.map(|a| Step::Methods(i, a, (a + OPS_PER_PIECE).min(ops.len()))));
        steps.push(Step::Close(i));
    }
    // Parts cut at steps, by the operations in them; the heads open where a part starts.
    let weight = |s: &Step| match *s {
        Step::Ops(_, a, b) | Step::Methods(_, a, b) => b - a,
        _ => 0,
    };
    let total: usize = steps.iter().map(weight).sum();
    let parts = operations_parts(model);
    let (mut start, mut end) = (steps.len(), steps.len());
    let mut open: Vec<Step> = Vec::new();
    let mut heads_at_start: Vec<Step> = Vec::new();
    let mut done = 0;
    for (i, step) in steps.iter().enumerate() {
        // Step `i` is in part `done * parts / total`, the first step in part 0.
        let p = (done * parts)
            .checked_div(total)
            .map_or(0, |p| p.min(parts - 1));
        if p == part && start == steps.len() {
            start = i;
            heads_at_start = open.clone();
        }
        if p > part {
            end = i;
            break;
        }
        match step {
            Step::Open(_) | Step::Handle(_) => open.push(*step),
            Step::Close(_) => {
                open.truncate(open.len().saturating_sub(2));
            }
            _ => {}
        }
        done += weight(step);
    }
    let heads = heads_at_start
        .into_iter()
        .map(|s| match s {
            Step::Open(g) => Piece::Within(group_head(groups[g].0)),
            _ => Piece::Within(impl_head(groups.get(step_group(s)).map(|g| g.0))),
        })
        .collect::<Vec<_>>();
    let steps = steps[start.min(end)..end].to_vec();
    Box::new(
        heads.into_iter().chain(
            steps
                .into_iter()
                .flat_map(move |s| step_pieces(model, &groups, s)),
        ),
    )
}

fn step_group(s: Step) -> usize {
    match s {
        Step::Open(g) | Step::Handle(g) | Step::Close(g) => g,
        Step::Ops(g, ..) | Step::Methods(g, ..) => g,
        Step::Header => 0,
    }
}

/// `mod <module>`: the head of a group's module (its name claimed in the model).
fn group_head(g: &Group) -> TokenStream {
    let module = ident(&g.module);
    quote!(mod #module)
}

/// `impl<'c> <Group><'c>`: the head of a group's methods.
fn impl_head(g: Option<&Group>) -> TokenStream {
    let name = g.map(|g| ident(&g.name));
    quote!(impl<'c> #name<'c>)
}

fn step_pieces(model: &Model, groups: &[(&Group, Rc<Vec<&Operation>>)], step: Step) -> Vec<Piece> {
    let entry = groups.get(step_group(step));
    let g = entry.map(|e| e.0);
    let ops = entry.map(|e| e.1.as_slice());
    let cfg = g.and_then(|g| super::group_cfg(model, &g.name));
    match step {
        Step::Header => {
            let decoders = model
                .decoders
                .iter()
                .map(|d| super::ops::decoder(d, super::cfg_any(&d.features)));
            vec![Piece::Items(quote! {
                //! Operations: what each request looks like and how each response decodes.
                //!
                //! The functions that build requests and decode responses are `#[inline]`
                //! or generic: they are compiled in the crate that calls them, so an
                //! application compiles the serde code of the operations it uses, not of
                //! every operation. Operations whose responses decode alike share a decoder.
                #[allow(unused_imports)]
                use crate::generated::*;
                #[allow(unused_imports)]
                use crate::runtime::{self, OperationMeta, PreparedRequest, RawResponse, Tristate};
                #(#decoders)*
            })]
        }
        // One module per group, behind the group's feature: the `cfg` is written once.
        Step::Open(_) => {
            let Some(g) = g else { return Vec::new() };
            let module_doc = doc(&[format!(
                "The `{}` operations (feature `{}`).",
                g.name, g.feature
            )]);
            vec![
                Piece::Open {
                    attrs: quote!(#module_doc #cfg),
                    head: group_head(g),
                },
                Piece::Items(quote! {
                    #[allow(unused_imports)]
                    use super::*;
                }),
            ]
        }
        Step::Ops(_, a, b) => {
            let ops = ops.map_or(&[][..], |o| &o[a..b]);
            vec![Piece::Items(ops.iter().map(|op| operation(op)).collect())]
        }
        Step::Handle(_) => {
            let Some(g) = g else { return Vec::new() };
            let name = ident(&g.name);
            let accessor = ident(&g.accessor);
            let mut lines = g.doc.clone();
            if lines.is_empty() {
                lines.push(format!("Operations tagged `{}`.", g.name));
            }
            let d = doc(&lines);
            let types = if g.types.is_empty() {
                quote!()
            } else {
                let list: Vec<String> = g
                    .types
                    .iter()
                    .map(|t| format!("[`{t}`](crate::{t})"))
                    .collect();
                doc(&[
                    String::new(),
                    format!("Types its operations take and return: {}.", list.join(", ")),
                ])
            };
            vec![
                Piece::Items(quote! {
                    #d
                    #types
                    #[derive(Debug, Clone, Copy)]
                    pub struct #name<'c> {
                        client: &'c Client,
                    }

                    impl Client {
                        #d
                        pub fn #accessor(&self) -> #name<'_> {
                            #name { client: self }
                        }
                    }
                }),
                Piece::Open {
                    attrs: TokenStream::new(),
                    head: impl_head(Some(g)),
                },
            ]
        }
        Step::Methods(_, a, b) => {
            let ops = ops.map_or(&[][..], |o| &o[a..b]);
            vec![Piece::Items(
                ops.iter()
                    .map(|op| super::methods::group_methods(op))
                    .collect(),
            )]
        }
        Step::Close(_) => {
            let Some(g) = g else { return Vec::new() };
            let module = ident(&g.module);
            vec![
                Piece::Close,
                Piece::Close,
                Piece::Items(quote! {
                    #cfg
                    pub use #module::*;
                }),
            ]
        }
    }
}
