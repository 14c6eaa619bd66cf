//! Small readers of the model: the Rust signatures the emitter derives from it, spelled as
//! text. The diff compares these, never the model's structs directly, so a new field on a
//! model type (a parameter's style, say) changes nothing here until it shows in the API.

use crate::model::{
    Constraints, Field, Model, Operation, Param, ParamLocation, Presence, StatusMatch, Success,
    TypeDef, TypeKind, TypeRef,
};

/// A type as the generated code spells it (`Vec<ApiKey>`, `Option<f64>`).
pub fn rust_type(t: &TypeRef) -> String {
    match t {
        TypeRef::String => "String".into(),
        TypeRef::Secret => "Secret".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::U64 => "u64".into(),
        TypeRef::I128 => "i128".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::Uuid => "Uuid".into(),
        TypeRef::DateTime => "DateTime<Utc>".into(),
        TypeRef::Date => "NaiveDate".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::Bytes => "Bytes".into(),
        TypeRef::File => "File".into(),
        TypeRef::Named(n) => n.clone(),
        TypeRef::Vec(t) => format!("Vec<{}>", rust_type(t)),
        TypeRef::Map(t) => format!("BTreeMap<String, {}>", rust_type(t)),
        TypeRef::Boxed(t) => format!("Box<{}>", rust_type(t)),
        TypeRef::Option(t) => format!("Option<{}>", rust_type(t)),
    }
}

/// A struct field's Rust type, presence included.
pub fn field_type(f: &Field) -> String {
    let t = rust_type(&f.ty);
    match f.presence {
        Presence::Required => t,
        Presence::RequiredNullable | Presence::Optional => format!("Option<{t}>"),
        Presence::OptionalNullable => format!("Tristate<{t}>"),
    }
}

/// `new` takes the field (the `Builder` derive: fields without `skip_serializing_if`).
pub fn is_required(f: &Field) -> bool {
    matches!(f.presence, Presence::Required | Presence::RequiredNullable)
}

/// The key may be absent on the wire.
pub fn may_be_absent(f: &Field) -> bool {
    matches!(f.presence, Presence::Optional | Presence::OptionalNullable)
}

/// The value may be `null` on the wire.
pub fn may_be_null(f: &Field) -> bool {
    matches!(
        f.presence,
        Presence::RequiredNullable | Presence::OptionalNullable
    )
}

pub fn presence_text(f: &Field) -> &'static str {
    match f.presence {
        Presence::Required => "required",
        Presence::RequiredNullable => "required, nullable",
        Presence::Optional => "optional",
        Presence::OptionalNullable => "optional, nullable",
    }
}

/// One argument of a group method: name and type as written.
pub type Arg = (String, String);

/// The group method's arguments: required parameters in spec order (path ids as `impl
/// Display`, others as `impl Into<T>`), the body, the optional-parameters struct.
pub fn arguments(op: &Operation) -> Vec<Arg> {
    let mut args: Vec<Arg> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| {
            let t = if p.location == ParamLocation::Path {
                "impl Display".to_owned()
            } else {
                format!("impl Into<{}>", rust_type(&p.ty))
            };
            (p.rust.clone(), t)
        })
        .collect();
    if let Some(b) = &op.body {
        let t = rust_type(&b.ty);
        let t = if b.required {
            t
        } else {
            format!("Option<{t}>")
        };
        args.push((op.idents.locals.body.clone(), t));
    }
    if let Some(pt) = &op.params_type {
        args.push((op.idents.locals.params.clone(), pt.clone()));
    }
    args
}

pub fn signature(args: &[Arg]) -> String {
    let inner: Vec<String> = args.iter().map(|(n, t)| format!("{n}: {t}")).collect();
    format!("({})", inner.join(", "))
}

/// What `.await` on the call yields.
pub fn success_type(op: &Operation) -> String {
    match &op.success {
        Success::Unit => "()".into(),
        Success::Json(t) => rust_type(t),
        Success::Bytes => "Bytes".into(),
        Success::Stream => match &op.stream {
            Some(s) => format!("EventStream<{}>", rust_type(&s.ty)),
            None => "EventStream".into(),
        },
    }
}

/// The group's other methods for this operation (page and item streams, a stream method).
pub fn extra_methods(op: &Operation) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(s) = &op.stream_method {
        out.push(s.clone());
    }
    if let Some(p) = &op.pagination {
        out.push(p.pages_method.clone());
        out.push(p.items_method.clone());
    }
    out
}

pub fn location(p: &Param) -> &'static str {
    match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// A type's kind, for "struct became enum" entries.
pub fn kind_name(def: &TypeDef) -> &'static str {
    match &def.kind {
        TypeKind::Struct { .. } => "struct",
        TypeKind::Enum { .. } => "enum",
        TypeKind::Union {
            discriminator: Some(_),
            ..
        } => "tagged union",
        TypeKind::Union { .. } => "untagged union",
        TypeKind::Alias { .. } => "alias",
    }
}

/// Where a type compiles: `None` always, `Some(features)` with any of them (an empty list:
/// only with every group on).
pub fn type_gate(model: &Model, name: &str) -> Option<Vec<String>> {
    if model.unreferenced.contains(name) {
        return Some(Vec::new());
    }
    model.type_features.get(name).cloned()
}

pub fn gate_text(gate: &Option<Vec<String>>) -> String {
    match gate {
        None => "always".into(),
        Some(f) if f.is_empty() => "every group feature".into(),
        Some(f) => format!("any of `{}`", f.join("`, `")),
    }
}

/// One constraint of a value, with which way is tighter.
pub struct Bound {
    pub name: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
    /// The new bound rejects values the old one accepted.
    pub tightened: bool,
}

/// Every constraint that differs between `a` and `b`.
pub fn constraint_changes(a: &Constraints, b: &Constraints) -> Vec<Bound> {
    fn lower(
        name: &'static str,
        a: Option<usize>,
        b: Option<usize>,
        larger_is_tighter: bool,
    ) -> Option<Bound> {
        (a != b).then(|| Bound {
            name,
            old: a.map(|v| v.to_string()),
            new: b.map(|v| v.to_string()),
            tightened: match (a, b) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(x), Some(y)) => (y > x) == larger_is_tighter,
                (None, None) => false,
            },
        })
    }
    fn number(
        name: &'static str,
        a: Option<(f64, bool)>,
        b: Option<(f64, bool)>,
        larger_is_tighter: bool,
    ) -> Option<Bound> {
        let text = |v: (f64, bool)| format!("{}{}", v.0, if v.1 { " (exclusive)" } else { "" });
        (a != b).then(|| Bound {
            name,
            old: a.map(text),
            new: b.map(text),
            tightened: match (a, b) {
                (None, Some(_)) => true,
                (Some(x), Some(y)) if x.0 == y.0 => y.1 && !x.1,
                (Some(x), Some(y)) => (y.0 > x.0) == larger_is_tighter,
                _ => false,
            },
        })
    }
    let mut out: Vec<Bound> = [
        lower("minLength", a.min_length, b.min_length, true),
        lower("maxLength", a.max_length, b.max_length, false),
        lower("minItems", a.min_items, b.min_items, true),
        lower("maxItems", a.max_items, b.max_items, false),
        number("minimum", a.minimum, b.minimum, true),
        number("maximum", a.maximum, b.maximum, false),
    ]
    .into_iter()
    .flatten()
    .collect();
    if a.pattern != b.pattern {
        out.push(Bound {
            name: "pattern",
            old: a.pattern.clone(),
            new: b.pattern.clone(),
            // A different pattern may reject what the old one accepted; only dropping it
            // certainly does not.
            tightened: b.pattern.is_some(),
        });
    }
    if a.uuid != b.uuid {
        out.push(Bound {
            name: "format: uuid",
            old: a.uuid.then(|| "uuid".into()),
            new: b.uuid.then(|| "uuid".into()),
            tightened: b.uuid,
        });
    }
    let none = Constraints::default();
    if a.items != b.items {
        let ai = a.items.as_deref().unwrap_or(&none);
        let bi = b.items.as_deref().unwrap_or(&none);
        for mut bound in constraint_changes(ai, bi) {
            bound.name = item_name(bound.name);
            out.push(bound);
        }
    }
    out
}

/// A check on array items: the keyword with an `items.` prefix.
fn item_name(name: &'static str) -> &'static str {
    match name {
        "minLength" => "items.minLength",
        "maxLength" => "items.maxLength",
        "minItems" => "items.minItems",
        "maxItems" => "items.maxItems",
        "minimum" => "items.minimum",
        "maximum" => "items.maximum",
        "pattern" => "items.pattern",
        "format: uuid" => "items.format: uuid",
        other => other,
    }
}

/// The text of a server default.
pub fn default_text(p: &Param) -> Option<String> {
    p.default.as_ref().map(|v| v.to_string())
}

/// `404`, `4XX`, `default`.
pub fn status_text(s: StatusMatch) -> String {
    match s {
        StatusMatch::Code(c) => c.to_string(),
        StatusMatch::Range(r) => format!("{r}XX"),
        StatusMatch::Default => "default".into(),
    }
}

/// The documented statuses of an operation, sorted.
pub fn statuses(op: &Operation) -> Vec<String> {
    let mut s: Vec<StatusMatch> = op.responses.iter().map(|r| r.status).collect();
    s.sort();
    s.into_iter().map(status_text).collect()
}
