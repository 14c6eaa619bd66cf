//! What reaches what: the types users build (reachable from a request), the types that need
//! client-side validation (a constraint on or inside them, reachable from a request), and the
//! cargo feature(s) each type sits behind (the groups whose operations reach it).

use super::names::field_name;
use super::prune::{closure, named};
use super::validate::plan;
use super::*;

/// Features every generated crate declares itself; group features never take these names.
pub const RESERVED_FEATURES: &[&str] = &[
    "default",
    "rustls-ring",
    "rustls-aws-lc",
    "native-tls",
    "mock",
    "std",
];

/// The feature name of a tag: kebab-case (`API Keys` → `api-keys`), starting with a letter.
pub fn feature_name(tag: &str) -> String {
    let snake = field_name(tag);
    let kebab = unraw(&snake).replace('_', "-");
    let kebab = kebab.trim_matches('-');
    if kebab.starts_with(|c: char| c.is_ascii_alphabetic()) {
        kebab.to_owned()
    } else {
        format!("tag-{kebab}")
    }
}

/// Types behind the same features, in one module (a file under `types/`), so the `cfg` is
/// written once per set of features rather than on every item.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeModule {
    /// The module's (and file's) name: `features_N`, or `unreferenced`.
    pub name: String,
    /// Compiled with any of these features; `None`: only with every group feature (the
    /// schemas no operation uses).
    pub any_of: Option<Vec<String>>,
    /// Its types, sorted.
    pub types: Vec<String>,
}

/// The modules of the types that not every build compiles: one per set of features (in the
/// sets' order), then `unreferenced`.
pub fn modules(defs: &BTreeMap<String, TypeDef>, reach: &Reach) -> Vec<TypeModule> {
    if reach.features.is_empty() {
        return Vec::new();
    }
    let mut sets: BTreeMap<&[String], Vec<String>> = BTreeMap::new();
    for name in defs.keys() {
        if let (false, Some(fs)) = (
            reach.unreferenced.contains(name),
            reach.type_features.get(name),
        ) {
            sets.entry(fs.as_slice()).or_default().push(name.clone());
        }
    }
    let mut out: Vec<TypeModule> = sets
        .into_iter()
        .enumerate()
        .map(|(i, (features, types))| TypeModule {
            name: format!("features_{}", i + 1),
            any_of: Some(features.to_vec()),
            types,
        })
        .collect();
    if !reach.unreferenced.is_empty() {
        out.push(TypeModule {
            name: "unreferenced".to_owned(),
            any_of: None,
            types: reach.unreferenced.iter().cloned().collect(),
        });
    }
    out
}

pub struct Reach {
    pub validated: BTreeSet<String>,
    pub request_types: BTreeSet<String>,
    pub features: Vec<(String, String)>,
    pub type_features: BTreeMap<String, Vec<String>>,
    pub unreferenced: BTreeSet<String>,
    /// Group name → the named types its operations take and return (sorted), error bodies
    /// aside.
    pub group_types: BTreeMap<String, Vec<String>>,
}

/// Types from which [`analyse`] reads on two threads.
const PARALLEL_TYPES: usize = 512;

/// The request types with a check on or inside them (the plan emit prints,
/// `validate::plan`): grown until no request type gains a check.
fn validated_types(
    defs: &BTreeMap<String, TypeDef>,
    request_types: &BTreeSet<String>,
) -> BTreeSet<String> {
    let mut validated = BTreeSet::new();
    loop {
        let mut grew = false;
        for name in request_types {
            if validated.contains(name) {
                continue;
            }
            let needs = match defs.get(name).map(|d| &d.kind) {
                Some(TypeKind::Struct { fields, .. }) => fields
                    .iter()
                    .any(|f| plan(defs, &validated, &f.ty, &f.constraints).is_some()),
                Some(TypeKind::Union { variants, .. }) => variants
                    .iter()
                    .any(|v| plan(defs, &validated, &v.ty, &Constraints::default()).is_some()),
                _ => false,
            };
            if needs {
                validated.insert(name.clone());
                grew = true;
            }
        }
        if !grew {
            return validated;
        }
    }
}

/// Each group's reach: the features reaching each type, and the named types each group's
/// operations take and return.
#[allow(clippy::type_complexity)]
fn group_reach(
    defs: &BTreeMap<String, TypeDef>,
    operations: &[Operation],
    groups: &BTreeMap<String, Group>,
) -> (
    BTreeMap<String, BTreeSet<String>>,
    BTreeMap<String, Vec<String>>,
) {
    let mut by_type: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut group_types: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for g in groups.values() {
        let mut roots = Vec::new();
        for op in operations.iter().filter(|o| o.group == g.name) {
            operation_roots(op, &mut roots);
        }
        // The group's page lists what its operations name; what those contain is linked
        // from their own pages (the whole closure is hundreds of types on a large API).
        let mut direct: Vec<String> = roots.clone();
        direct.sort();
        direct.dedup();
        for t in &closure(defs, roots) {
            by_type
                .entry(t.clone())
                .or_default()
                .insert(g.feature.clone());
        }
        group_types.insert(g.name.clone(), direct);
    }
    (by_type, group_types)
}

/// The named types an operation's request mentions directly.
fn request_roots(op: &Operation, out: &mut Vec<String>) {
    for p in &op.params {
        named(&p.ty, out);
    }
    if let Some(b) = &op.body {
        named(&b.ty, out);
    }
}

/// Every named type an operation mentions directly (request, responses, streams, pages).
fn operation_roots(op: &Operation, out: &mut Vec<String>) {
    request_roots(op, out);
    for r in &op.responses {
        if let Some(t) = &r.ty {
            named(t, out);
        }
    }
    if let Success::Json(t) = &op.success {
        named(t, out);
    }
    if let Some(s) = &op.stream {
        named(&s.ty, out);
    }
    if let Some(p) = &op.pagination {
        named(&p.item_ty, out);
    }
}

pub fn analyse(
    defs: &BTreeMap<String, TypeDef>,
    operations: &[Operation],
    groups: &BTreeMap<String, Group>,
    errors: &[ErrorVariant],
) -> Reach {
    // Types users build: everything a request reaches.
    let mut roots = Vec::new();
    for op in operations {
        request_roots(op, &mut roots);
    }
    let request_types = closure(defs, roots);
    // Two independent reads of the types: the validation fixpoint and each group's
    // closure. On a large document they run side by side (both are pure, so the result is
    // the same either way).
    let (validated, (by_type, mut group_types)) = if defs.len() >= PARALLEL_TYPES {
        std::thread::scope(|scope| {
            // The checks recurse into nested types: the model's big stack.
            let validating = std::thread::Builder::new()
                .name("openapi-gen-reach".into())
                .stack_size(crate::load::DESERIALIZE_STACK)
                .spawn_scoped(scope, || validated_types(defs, &request_types))
                .ok();
            let per_group = group_reach(defs, operations, groups);
            let validated = match validating.map(|h| h.join()) {
                Some(Ok(v)) => v,
                Some(Err(panic)) => std::panic::resume_unwind(panic),
                None => validated_types(defs, &request_types),
            };
            (validated, per_group)
        })
    } else {
        (
            validated_types(defs, &request_types),
            group_reach(defs, operations, groups),
        )
    };

    // Features: the groups reaching each type. Error bodies and whatever they contain are
    // always compiled; types no operation reaches only with every group on.
    let mut features: Vec<(String, String)> = groups
        .values()
        .map(|g| (g.feature.clone(), g.name.clone()))
        .collect();
    features.sort();
    let mut always: Vec<String> = Vec::new();
    for e in errors {
        named(&e.ty, &mut always);
    }
    let always = closure(defs, always);
    // The error bodies are the client's, documented with `ApiErrorBody`, not a group's.
    for types in group_types.values_mut() {
        types.retain(|t| !always.contains(t));
    }
    let unreferenced = defs
        .keys()
        .filter(|n| !by_type.contains_key(*n) && !always.contains(*n))
        .cloned()
        .collect();
    let type_features = by_type
        .into_iter()
        .filter(|(t, fs)| !always.contains(t) && fs.len() < groups.len())
        .map(|(t, fs)| (t, fs.into_iter().collect()))
        .collect();
    Reach {
        validated,
        request_types,
        features,
        type_features,
        unreferenced,
        group_types,
    }
}
