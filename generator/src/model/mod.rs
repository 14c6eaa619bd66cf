//! The intermediate representation: pure data, no tokens. Every `$ref` is resolved, every
//! inline schema that needs a Rust type has a deterministic name, and every identifier is
//! already a valid, collision-free Rust name. The model also takes every decision about the
//! output, so `emit` only prints: what `emit` would otherwise work out from the types (by
//! looking through aliases) is stored here, and the model tests assert it:
//! - each field's, parameter's and union variant's validation plan ([`Check`], from
//!   `validate.rs`: the one rule set, which `reach` also uses to decide [`Model::validated`]);
//! - how each union decodes ([`UnionPlan`]: try order, enum members, guards, catch-all);
//! - each body's encoding ([`MultipartPlan`]) and whether it validates or is raw bytes;
//! - each event stream's envelope and the body's `stream` flag ([`EventStream`]);
//! - how positional parameters ([`Operation::positional`]) are borrowed ([`Borrow`]) and
//!   written as text ([`TextForm`]); the integer widths of paging parameters ([`Pagination`]).
//!
//! Those decisions are taken in `plan.rs` once the types have their final names; the only
//! function that looks through aliases is [`resolve`] (`alias.rs`). The data types are in
//! `schema.rs` (named types) and `operation.rs` (operations); the builders in the others.
//!
//! Names are claimed per Rust namespace, each in one [`Registry`], first come first served:
//! - types: schemas, params/pager structs and group handles (all re-exported side by side);
//! - the operations module's values: per-operation statics and functions ([`OpIdents`]),
//!   then the response decoders operations share ([`Decoder`]);
//! - methods: per group, and `Client`'s group accessors next to the runtime's own methods;
//! - per operation: parameters, then the locals of the generated functions ([`Locals`]);
//! - per struct: fields, then setters and the additional-properties map ([`Members`]);
//! - per union or enum: variants, next to the reserved catch-all `Unknown`;
//! - per pager struct: the required parameters, then the field of the optional ones
//!   ([`Pagination::pager_params`]).

mod alias;
mod allof;
pub mod api;
mod constraints;
mod decoders;
mod docs;
mod members;
mod merge;
mod names;
mod operation;
mod ops;
mod params;
mod plan;
#[cfg(test)]
mod plan_tests;
mod prune;
mod reach;
mod recursion;
mod refs;
mod resources;
mod responses;
mod schema;
mod speakeasy;
#[cfg(test)]
mod tests;
mod types;
mod unions;
mod validate;
mod view;

pub use alias::{Resolved, resolve};
pub use decoders::{ArmAction, DecodeOut, Decoder};
pub use members::Members;
pub use names::{Registry, field_name, is_keyword, type_name, unraw};
pub use operation::*;
pub use params::{ParamPass, ParamStyle, Serialization};
pub use reach::TypeModule;
pub use schema::*;
pub use validate::Check;

use std::collections::{BTreeMap, BTreeSet};

/// The whole API, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// `info.title`.
    pub title: String,
    /// `servers[0].url` (empty if the spec has none).
    pub base_url: String,
    /// Spec-level `x-speakeasy-retries`.
    pub retry: Option<RetryHint>,
    /// Named types by Rust name; a sorted map so output order never depends on discovery.
    pub types: BTreeMap<String, TypeDef>,
    /// Generated members (setters, the additional-properties map) of each struct by name.
    pub members: BTreeMap<String, Members>,
    /// How each union decodes (try order, enum members, guards, catch-all), by name.
    pub unions: BTreeMap<String, UnionPlan>,
    /// Operations sorted by (group, method name).
    pub operations: Vec<Operation>,
    /// Operation groups (from the first tag) by Rust struct name.
    pub groups: BTreeMap<String, Group>,
    /// Variants of the generated `ApiErrorBody` enum, sorted by status then name.
    pub error_variants: Vec<ErrorVariant>,
    /// Response decoders, each shared by the operations whose responses decode alike.
    pub decoders: Vec<Decoder>,
    /// Examples in the spec and the type each should decode into, in spec-walk order.
    pub examples: Vec<ExampleSite>,
    /// Types that carry `validate_at`: a constraint on them or inside them, and reachable
    /// from a request (a body or a parameter).
    pub validated: BTreeSet<String>,
    /// Types reachable from a request: users build them, so they get `new` and setters
    /// (other types get them only with the `mock` feature, to build mocked answers).
    pub request_types: BTreeSet<String>,
    /// Cargo feature of each group, `(feature, group)`, sorted by feature.
    pub features: Vec<(String, String)>,
    /// Types that only some groups reach: the features that turn them on (sorted). A type
    /// not listed is always compiled (every group or an error body reaches it), unless it is
    /// in `unreferenced`.
    pub type_features: BTreeMap<String, Vec<String>>,
    /// Types no operation and no error body reaches (schemas the document declares but does
    /// not use): compiled only with every group feature on.
    pub unreferenced: BTreeSet<String>,
    /// The modules (files under `types/`) of the types behind features, one per set of
    /// features; the types in none are always compiled (`types.rs`).
    pub type_modules: Vec<TypeModule>,
    /// Authentication, global headers, environment variables and crate docs.
    pub api: api::ApiInfo,
}

/// An example (`example`, `examples`) from a schema, parameter or media type.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleSite {
    /// JSON pointer of the example value.
    pub pointer: String,
    /// The Rust type the example describes.
    pub ty: TypeRef,
    /// The place also admits `null` (decode into `Option<ty>`).
    pub nullable: bool,
    pub value: serde_json::Value,
}

/// Operation groups (`client.byok()`).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Struct name, e.g. `Byok`.
    pub name: String,
    /// Accessor on the client, e.g. `byok`.
    pub accessor: String,
    /// The module of its operations (`byok`), claimed against every module and crate name
    /// the generated code uses (`types`, `std`, `runtime`…), so a tag cannot shadow one.
    pub module: String,
    /// The cargo feature that turns the group on (kebab-case of the tag, e.g. `api-keys`).
    pub feature: String,
    pub doc: Vec<String>,
    /// What the group comes from.
    pub source: GroupSource,
    /// The named types its operations take and return, sorted: the group's page in the docs
    /// lists them (what they contain is linked from their own pages).
    pub types: Vec<String>,
}

/// A group's cargo feature, its operation count and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCount {
    pub feature: String,
    pub operations: usize,
    pub source: GroupSource,
}

impl Model {
    /// Every group with its operation count, sorted by feature.
    pub fn group_counts(&self) -> Vec<GroupCount> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for op in &self.operations {
            *counts.entry(op.group.as_str()).or_default() += 1;
        }
        let mut out: Vec<GroupCount> = self
            .groups
            .values()
            .map(|g| GroupCount {
                feature: g.feature.clone(),
                operations: counts.get(g.name.as_str()).copied().unwrap_or(0),
                source: g.source,
            })
            .collect();
        out.sort_by(|a, b| a.feature.cmp(&b.feature));
        out
    }
}

/// One line for `cargo xtask codegen`: the groups (cargo features) by where they come from,
/// each with its operation count, the first `shown` of each kind named.
pub fn group_summary(groups: &[GroupCount], shown: usize) -> String {
    let mut parts = Vec::new();
    for (source, what) in [
        (GroupSource::Tag, "by tag"),
        (GroupSource::Path, "by path (untagged document)"),
        (GroupSource::Default, "default"),
    ] {
        let of: Vec<&GroupCount> = groups.iter().filter(|g| g.source == source).collect();
        if of.is_empty() {
            continue;
        }
        let mut names: Vec<String> = of
            .iter()
            .take(shown)
            .map(|g| format!("{} ({})", g.feature, g.operations))
            .collect();
        if of.len() > shown {
            names.push(format!("… {} more", of.len() - shown));
        }
        parts.push(format!("{} {what}: {}", of.len(), names.join(", ")));
    }
    format!(
        "{} group(s) (cargo features): {}",
        groups.len(),
        parts.join("; ")
    )
}

/// Where an operation group comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GroupSource {
    /// The first tag of its operations.
    Tag,
    /// The resource of its (untagged) operations' paths, in a document without tags.
    Path,
    /// `General`: untagged operations of a tagged document, or with no resource.
    Default,
}
/// Build the model from a loaded spec.
pub fn build(spec: &openapiv3::OpenAPI) -> crate::Result<Model> {
    let resources = resources::Resources::of(resources::typed_operations(spec.paths.iter()));
    build_from(spec, spec.paths.iter().map(Ok), resources)
}

/// [`build`] for a document whose path items `load` left untyped
/// ([`crate::load::load_source_deferred`]): each is typed when the model reaches it and
/// dropped once converted, so the typed path items (8.7 KB each, `openapiv3`'s layout) are
/// never all alive at once, which bounds the peak memory of a document of many operations.
/// Runs the deep recursion of typing: call it on a big stack.
pub fn build_from_items(
    spec: &openapiv3::OpenAPI,
    items: crate::load::PathItems,
) -> crate::Result<Model> {
    let resources = resources::Resources::of(items.operations());
    build_from(spec, items.typed(), resources)
}

/// [`resources::typed_operations`], owned (for `load`'s tests).
#[cfg(test)]
pub(crate) fn typed_operations_for_tests<'a>(
    paths: impl Iterator<Item = (&'a String, &'a openapiv3::ReferenceOr<openapiv3::PathItem>)>,
) -> Vec<(String, bool)> {
    resources::typed_operations(paths)
        .map(|(p, u)| (p.to_owned(), u))
        .collect()
}

fn build_from<K, V>(
    spec: &openapiv3::OpenAPI,
    paths: impl IntoIterator<Item = crate::Result<(K, V)>>,
    resources: resources::Resources,
) -> crate::Result<Model>
where
    K: AsRef<str>,
    V: std::borrow::Borrow<openapiv3::ReferenceOr<openapiv3::PathItem>>,
{
    let mut types = types::TypeBuilder::new(spec)?;
    let (mut ops, pending_pages) = ops::build(spec, paths, resources, &mut types)?;
    let types::Finished {
        mut defs,
        components,
        mut examples,
        suffixed,
    } = types.finish()?;
    speakeasy::resolve_pagination(&mut ops.operations, pending_pages, &defs);
    prune::unreachable(&mut defs, &components, &ops.operations, &ops.error_variants);
    // An example whose type an allOf merge replaced describes a type that no longer exists.
    examples.retain(|e| prune::names_exist(&e.ty, &defs));
    prune::drop_misfits(&mut examples, &defs);
    let renames = prune::settle_names(&defs, &suffixed, &ops.operations, &ops.groups);
    prune::rename(
        &renames,
        &mut defs,
        &mut ops.operations,
        &mut ops.error_variants,
        &mut examples,
    );
    recursion::break_cycles(&mut defs);
    ops.operations
        .sort_by(|a, b| (&a.group, &a.method_name).cmp(&(&b.group, &b.method_name)));
    let group_features = ops
        .groups
        .iter()
        .map(|(name, g)| (name.clone(), g.feature.clone()))
        .collect();
    let decoders = decoders::share(&mut ops.operations, &group_features, &mut ops.items);
    let mut api = api::api_info(spec);
    api::claim_mock_names(&mut api, &defs, &ops.groups);
    let reach = reach::analyse(&defs, &ops.operations, &ops.groups, &ops.error_variants);
    for (name, types) in &reach.group_types {
        if let Some(g) = ops.groups.get_mut(name) {
            g.types = types.clone();
        }
    }
    let unions = plan::settle(&mut defs, &mut ops.operations, &reach.validated);
    let type_modules = reach::modules(&defs, &reach);
    Ok(Model {
        type_modules,
        validated: reach.validated,
        request_types: reach.request_types,
        features: reach.features,
        type_features: reach.type_features,
        unreferenced: reach.unreferenced,
        title: api::one_line(&spec.info.title),
        base_url: spec
            .servers
            .first()
            .map(|s| s.url.clone())
            .unwrap_or_default(),
        retry: speakeasy::retry_hint(&spec.extensions, &crate::error::Pointer::root())?,
        members: members::claim(&defs),
        unions,
        types: defs,
        operations: ops.operations,
        groups: ops.groups,
        error_variants: ops.error_variants,
        decoders,
        examples,
        api,
    })
}
