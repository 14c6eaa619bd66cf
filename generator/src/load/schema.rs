//! Schema rewrite: JSON Schema 2020-12 (OpenAPI 3.1) constructs → the OpenAPI 3.0 shapes
//! `openapiv3` reads, without losing meaning. Each schema object gets its own rules first
//! (which may restructure it), then its children, then null-member folding and the audit.
//!
//! Normalised forms the model has to interpret:
//! - nullable: `nullable: true` on the schema itself (from `type: [T, 'null']`, `null` in
//!   `enum`, or a removed `{type: 'null'}` member of `anyOf`/`oneOf`, which can leave a
//!   one-member `anyOf`/`oneOf` meaning "nullable T");
//! - `$ref` with siblings: `{allOf: [{$ref}], <siblings>}` (the ref is prepended to an existing
//!   `allOf`);
//! - the null type itself (`type: 'null'`, `const: null`, `enum: [null]`):
//!   `{nullable: true, enum: [null]}` (an `openapiv3` `Any` schema);
//! - several non-null types: `{anyOf: [{type: A, …A's keywords}, {type: B, …}], <common>}`;
//! - `prefixItems` (tuples): normalised member schemas kept in `x-prefixItems`;
//! - `examples: [..]`: first one as `example`, all in `x-examples`;
//! - `default: null` / `example: null` → `x-default` / `x-example`.

use serde_json::{Map, Value, json};

use super::audit;
use super::ctx::{Ctx, MAX_SCHEMA_DEPTH};
use super::report::rules;
use crate::error::Pointer;
use crate::{Result, WarningKind};

/// Normalise the schema at `at` (and everything below it) in place.
pub(super) fn schema(value: &mut Value, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    if cx.schema_depth >= MAX_SCHEMA_DEPTH {
        // Rewrites (a union distributed over `allOf`) nest copies the document does not
        // have: the error names the deepest place that it does have.
        let (real, copied) = existing_prefix(cx.original, at);
        let inside = if copied {
            " in what the loader made of the schema here (`allOf` members distributed over \
             its unions)"
        } else {
            " here"
        };
        return Err(real.error(format!(
            "schemas are nested more than {MAX_SCHEMA_DEPTH} levels deep{inside} (move inner \
             schemas to `components/schemas` and refer to them with `$ref`)"
        )));
    }
    cx.schema_depth += 1;
    let result = one_schema(value, at, cx);
    cx.schema_depth -= 1;
    result
}

/// The longest prefix of `at` that names a place in `doc`, and whether it is shorter.
pub(super) fn existing_prefix(doc: &Value, at: &Pointer) -> (Pointer, bool) {
    let rest = at.as_str().strip_prefix('#').unwrap_or_default();
    let mut end = 0;
    for (i, _) in rest.match_indices('/').skip(1).chain([(rest.len(), "")]) {
        if doc.pointer(&rest[..i]).is_none() {
            break;
        }
        end = i;
    }
    (Pointer(format!("#{}", &rest[..end])), end < rest.len())
}

fn one_schema(value: &mut Value, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    match value {
        Value::Bool(b) => {
            // 3.1 boolean schemas: `true` accepts anything, `false` nothing.
            *value = if *b { json!({}) } else { json!({"not": {}}) };
            cx.bump(rules::BOOLEAN_SCHEMA);
        }
        Value::Object(_) => {}
        _ => return Err(at.error("a schema must be a mapping (or a boolean)")),
    }
    let Value::Object(map) = value else {
        unreachable!("made an object above")
    };
    if let Some(r) = map.get("$ref") {
        cx.check_ref(r, at)?;
        if map.len() == 1 {
            return Ok(());
        }
        ref_siblings(map, at, cx)?;
    }
    const_to_enum(map, at, cx)?;
    type_array(map, at, cx)?;
    null_type(map, cx);
    enum_null(map, cx);
    exclusive_bounds(map, cx);
    examples(map, at, cx)?;
    for key in ["default", "example"] {
        // `openapiv3` reads these as `Option<Value>`, so an explicit `null` would vanish.
        if map.get(key).is_some_and(Value::is_null) {
            audit::move_to_extension(map, key, at, cx, rules::NULL_ANNOTATION)?;
        }
    }
    discriminator_refs(map, at, cx)?;
    tuple_items(map);
    // The copies of a distributed union are walked with it marked, so a union that
    // contains itself is distributed once, not without end.
    let distributed = super::distribute::distribute(map, at, cx);
    let marked = distributed.is_some();
    if let Some(r) = distributed {
        cx.distributing.push(r);
    }
    let walked = children(map, at, cx);
    if marked {
        cx.distributing.pop();
    }
    walked?;
    null_members(map, cx);
    audit::schema_keys(map, at, cx)
}

/// `{$ref, siblings…}` → `{allOf: [{$ref}], siblings…}`: `openapiv3` keeps only `$ref` of a
/// reference object, so the siblings (description, nullable, default…) would vanish.
fn ref_siblings(map: &mut Map<String, Value>, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    let r = map.shift_remove("$ref").expect("caller checked");
    let member = json!({ "$ref": r });
    match map.get_mut("allOf") {
        Some(Value::Array(list)) => list.insert(0, member),
        Some(_) => return Err(at.push("allOf").error("`allOf` must be a list")),
        None => {
            map.insert("allOf".into(), Value::Array(vec![member]));
        }
    }
    cx.bump(rules::REF_SIBLINGS);
    Ok(())
}

/// `const: v` → `enum: [v]`, inferring a scalar `type` when there is none.
fn const_to_enum(map: &mut Map<String, Value>, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    let Some(c) = map.shift_remove("const") else {
        return Ok(());
    };
    match map.get("enum") {
        None => {}
        Some(Value::Array(list)) if list.contains(&c) => {}
        Some(Value::Array(_)) => {
            return Err(at.error("the `const` value is not one of the `enum` values"));
        }
        Some(_) => return Err(at.push("enum").error("`enum` must be a list")),
    }
    if !map.contains_key("type") {
        let inferred = match &c {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
            Value::Number(_) => Some("number"),
            _ => None, // null: the null form below; objects/arrays: `Any` with an enum
        };
        if let Some(t) = inferred {
            map.insert("type".into(), t.into());
        }
    }
    map.insert("enum".into(), Value::Array(vec![c]));
    cx.bump(rules::CONST_TO_ENUM);
    Ok(())
}

/// `type: [..]` → one `type` (+ `nullable`), or an `anyOf` of single-typed copies.
fn type_array(map: &mut Map<String, Value>, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    let Some(Value::Array(list)) = map.get("type") else {
        return Ok(());
    };
    let mut types: Vec<String> = Vec::new();
    let mut nullable = false;
    for t in list {
        match t.as_str() {
            Some("null") => nullable = true,
            Some(s) => {
                if !types.iter().any(|t| t == s) {
                    types.push(s.to_owned());
                }
            }
            None => return Err(at.push("type").error("`type` entries must be strings")),
        }
    }
    if nullable {
        map.insert("nullable".into(), true.into());
    }
    match types.len() {
        0 => {
            // `type: ['null']`: the null form, made by `null_type`.
            map.insert("type".into(), "null".into());
            cx.bump(rules::TYPE_ARRAY_SINGLE);
        }
        1 => {
            let t = types.pop().expect("one");
            map.insert("type".into(), t.into());
            cx.bump(if nullable {
                rules::TYPE_ARRAY_NULLABLE
            } else {
                rules::TYPE_ARRAY_SINGLE
            });
        }
        _ if map.contains_key("anyOf") => {
            // The split would need a second `anyOf`; the existing one says which values
            // are meant, so the type list (which only narrows it) is dropped.
            map.shift_remove("type");
            cx.warn(
                WarningKind::TypeWidened,
                &at.push("type"),
                format!(
                    "a `type` list ({}) next to `anyOf` is not enforced; the `anyOf` decides",
                    types.join(", ")
                ),
            );
        }
        _ => {
            split_types(map, &types, at)?;
            cx.bump(rules::TYPE_ARRAY_ANY_OF);
        }
    }
    Ok(())
}

/// Keywords that only constrain instances of one JSON type.
fn type_keys(t: &str) -> &'static [&'static str] {
    match t {
        "string" => &[
            "minLength",
            "maxLength",
            "pattern",
            "contentMediaType",
            "contentEncoding",
            "contentSchema",
        ],
        "number" | "integer" => &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
            "patternProperties",
            "propertyNames",
            "dependentRequired",
            "dependentSchemas",
            "unevaluatedProperties",
        ],
        "array" => &[
            "items",
            "prefixItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "contains",
            "minContains",
            "maxContains",
            "unevaluatedItems",
        ],
        _ => &[],
    }
}

fn fits(v: &Value, t: &str) -> bool {
    match t {
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "object" => v.is_object(),
        "array" => v.is_array(),
        _ => false,
    }
}

/// `{type: [A, B], kw…}` → `{anyOf: [{type: A, A's kw…}, {type: B, B's kw…}], common kw…}`.
/// Type-specific keywords go to the member(s) they constrain (keywords for a type that is not
/// listed constrain nothing and are dropped); `enum` values are split by type; `format`
/// goes to the type(s) it is a format of.
fn split_types(map: &mut Map<String, Value>, types: &[String], at: &Pointer) -> Result<()> {
    if map.contains_key("anyOf") {
        return Err(at
            .push("type")
            .error("a `type` list with several non-null types next to `anyOf` is not supported"));
    }
    map.shift_remove("type");
    let values = match map.shift_remove("enum") {
        None => None,
        Some(Value::Array(v)) => Some(v),
        Some(_) => return Err(at.push("enum").error("`enum` must be a list")),
    };
    let format = map.shift_remove("format");
    let format_targets: Vec<&str> = {
        let of = |wanted: &[&str]| -> Vec<&str> {
            types
                .iter()
                .map(String::as_str)
                .filter(|t| wanted.contains(t))
                .collect()
        };
        let preferred = match format.as_ref().and_then(Value::as_str) {
            Some("int32" | "int64") => of(&["integer", "number"]),
            Some("float" | "double") => of(&["number"]),
            _ => of(&["string"]),
        };
        if preferred.is_empty() {
            of(&["string", "number", "integer"])
        } else {
            preferred
        }
    };
    let mut members = Vec::new();
    for t in types {
        let mut member = Map::new();
        member.insert("type".into(), t.as_str().into());
        for key in type_keys(t) {
            if let Some(v) = map.get(*key) {
                member.insert((*key).into(), v.clone());
            }
        }
        if let Some(f) = &format
            && format_targets.contains(&t.as_str())
        {
            member.insert("format".into(), f.clone());
        }
        if let Some(values) = &values {
            let mine: Vec<Value> = values.iter().filter(|v| fits(v, t)).cloned().collect();
            if mine.is_empty() {
                continue; // the enum leaves no value of this type
            }
            member.insert("enum".into(), Value::Array(mine));
        }
        members.push(Value::Object(member));
    }
    if members.is_empty() {
        return Err(at
            .push("enum")
            .error("no `enum` value matches any of the listed types"));
    }
    if let Some(f) = format
        && format_targets.is_empty()
    {
        map.insert("format".into(), f);
    }
    for t in ["string", "number", "object", "array"] {
        for key in type_keys(t) {
            map.shift_remove(*key);
        }
    }
    map.insert("anyOf".into(), Value::Array(members));
    Ok(())
}

/// Make the null form `{nullable: true, enum: [null]}` (no `type`).
fn make_null(map: &mut Map<String, Value>) {
    map.shift_remove("type");
    map.insert("nullable".into(), true.into());
    map.insert("enum".into(), json!([null]));
}

fn is_null_form(map: &Map<String, Value>) -> bool {
    !map.contains_key("type")
        && map.get("nullable") == Some(&Value::Bool(true))
        && map.get("enum") == Some(&json!([null]))
}

/// `type: 'null'` as a whole schema → the null form.
fn null_type(map: &mut Map<String, Value>, cx: &mut Ctx) {
    if map.get("type").and_then(Value::as_str) == Some("null") {
        make_null(map);
        cx.bump(rules::NULL_SCHEMA);
    }
}

/// `null` in `enum` → removed, `nullable: true`; an enum of only `null` → the null form.
fn enum_null(map: &mut Map<String, Value>, cx: &mut Ctx) {
    let Some(Value::Array(values)) = map.get_mut("enum") else {
        return;
    };
    if !values.iter().any(Value::is_null) {
        return;
    }
    if values.iter().all(Value::is_null) {
        if !is_null_form(map) {
            make_null(map);
            cx.bump(rules::NULL_SCHEMA);
        }
        return;
    }
    values.retain(|v| !v.is_null());
    map.insert("nullable".into(), true.into());
    cx.bump(rules::ENUM_NULL);
}

/// 3.1 numeric `exclusiveMinimum: n` → `minimum: n, exclusiveMinimum: true` (keeping an
/// existing `minimum` instead when it is stricter); likewise for the maximum.
fn exclusive_bounds(map: &mut Map<String, Value>, cx: &mut Ctx) {
    for (exclusive, bound, lower) in [
        ("exclusiveMinimum", "minimum", true),
        ("exclusiveMaximum", "maximum", false),
    ] {
        let Some(Value::Number(n)) = map.get(exclusive) else {
            continue;
        };
        let n = n.clone();
        let nf = n.as_f64().unwrap_or(f64::NAN);
        let existing_stricter = map
            .get(bound)
            .and_then(Value::as_f64)
            .is_some_and(|m| if lower { m > nf } else { m < nf });
        if existing_stricter {
            map.shift_remove(exclusive);
        } else {
            map.insert(bound.into(), Value::Number(n));
            map.insert(exclusive.into(), true.into());
        }
        cx.bump(rules::EXCLUSIVE_BOUND);
    }
}

/// Schema `examples: [a, …]` → `example: a` (unless present) and `x-examples: [a, …]`.
fn examples(map: &mut Map<String, Value>, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    let Some(Value::Array(list)) = map.get("examples") else {
        if map.contains_key("examples") {
            // Often a media type's map of named examples written in a schema: annotation
            // only, so it is ignored.
            map.shift_remove("examples");
            cx.warn(
                WarningKind::StrayKey,
                &at.push("examples"),
                "`examples` in a schema must be a list; ignored",
            );
        }
        return Ok(());
    };
    if !map.contains_key("example")
        && let Some(first) = list.first()
    {
        let first = first.clone();
        map.insert("example".into(), first);
    }
    audit::move_to_extension(map, "examples", at, cx, rules::EXAMPLES)
}

/// Discriminator mapping values that are document refs must resolve.
fn discriminator_refs(map: &mut Map<String, Value>, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    let Some(mapping) = map
        .get_mut("discriminator")
        .and_then(|d| d.get_mut("mapping"))
        .and_then(Value::as_object_mut)
    else {
        return Ok(());
    };
    let at = at.push("discriminator").push("mapping");
    let mut dangling = Vec::new();
    for (name, target) in mapping.iter() {
        if let Some(t) = target.as_str()
            && t.contains('#')
            && let Err(e) = cx.check_ref(target, &at.push(name))
        {
            // An external or unresolved target: no schema that tag could select.
            let reason = match e {
                crate::Error::Spec { reason, .. } => reason,
                other => other.to_string(),
            };
            dangling.push((name.clone(), reason));
        }
    }
    for (name, reason) in dangling {
        mapping.shift_remove(&name);
        cx.warn(
            WarningKind::DiscriminatorDropped,
            &at.push(&name),
            format!("{reason}; this discriminator value is dropped"),
        );
    }
    Ok(())
}

/// Draft-04 tuples, `items: [A, B]` (with `additionalItems` for the rest), are the
/// `prefixItems: [A, B]` (with `items`) of 2020-12: rewritten to that, losing nothing.
fn tuple_items(map: &mut Map<String, Value>) {
    if !map.get("items").is_some_and(Value::is_array) || map.contains_key("prefixItems") {
        return;
    }
    let tuple = map.shift_remove("items").unwrap_or_default();
    map.insert("prefixItems".into(), tuple);
    if let Some(rest) = map.shift_remove("additionalItems") {
        map.insert("items".into(), rest);
    }
}

fn children(map: &mut Map<String, Value>, at: &Pointer, cx: &mut Ctx) -> Result<()> {
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        let at = at.push("properties");
        for (name, s) in props.iter_mut() {
            schema(s, &at.push(name), cx)?;
        }
    }
    for key in ["items", "not"] {
        if let Some(s) = map.get_mut(key)
            && !s.is_array()
        {
            schema(s, &at.push(key), cx)?;
        }
    }
    if let Some(s @ Value::Object(_)) = map.get_mut("additionalProperties") {
        schema(s, &at.push("additionalProperties"), cx)?;
    }
    for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
        if let Some(Value::Array(list)) = map.get_mut(key) {
            let at = at.push(key);
            for (i, s) in list.iter_mut().enumerate() {
                schema(s, &at.push(i.to_string()), cx)?;
            }
        }
    }
    // Tuples cannot be expressed in `openapiv3`: keep the (normalised) members for the model.
    if map.get("prefixItems").is_some_and(Value::is_array) {
        audit::move_to_extension(map, "prefixItems", at, cx, rules::PREFIX_ITEMS)?;
        // The items after the tuple's must not type the tuple's own: keep them aside too.
        if map.contains_key("items") {
            audit::move_to_extension(map, "items", at, cx, rules::PREFIX_ITEMS)?;
        }
        cx.warn(
            WarningKind::TypeWidened,
            &at.push("prefixItems"),
            "tuple items (`prefixItems`) have no Rust type here; each item is any JSON value",
        );
    }
    Ok(())
}

/// Keys a null member may carry besides the null form itself (annotations only).
const NULL_MEMBER_KEYS: &[&str] = &[
    "nullable",
    "enum",
    "description",
    "title",
    "example",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
];

/// Whether an (already normalised) member schema accepts only `null`.
fn is_null_member(member: &Value) -> bool {
    member.as_object().is_some_and(|m| {
        is_null_form(m)
            && m.keys()
                .all(|k| k.starts_with("x-") || NULL_MEMBER_KEYS.contains(&k.as_str()))
    })
}

/// `anyOf`/`oneOf` null members → removed, parent `nullable: true`. If nothing remains the
/// parent becomes the null form. A removed member that carried annotations (a description…)
/// is kept in the parent's `x-null-member`.
fn null_members(map: &mut Map<String, Value>, cx: &mut Ctx) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(list)) = map.get_mut(key) else {
            continue;
        };
        let (nulls, rest): (Vec<Value>, Vec<Value>) =
            std::mem::take(list).into_iter().partition(is_null_member);
        *list = rest;
        if nulls.is_empty() {
            continue;
        }
        let empty = list.is_empty();
        for member in nulls {
            cx.bump(rules::NULL_MEMBER);
            if member.as_object().is_some_and(|m| m.len() > 2) {
                map.entry("x-null-member").or_insert(member);
            }
        }
        if empty {
            map.shift_remove(key);
            make_null(map);
        } else {
            map.insert("nullable".into(), true.into());
        }
    }
}
