//! The decisions the model stores for emit (`plan.rs`, `validate.rs`): validation plans,
//! union try order and guards, stream envelope and flag, the multipart plan, positional
//! parameters, paging widths, and the names emit writes besides the spec's.

use crate::model::{
    Borrow, Check, Model, MultipartPlan, Operation, StreamFlag, TextForm, TypeKind, TypeRef,
};
use serde_json::{Value, json};

fn model(paths: Value, schemas: Value) -> Model {
    let text = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    })
    .to_string();
    let loaded = crate::load::load_str(&text, "t.json").expect("loads");
    crate::model::build(&loaded.openapi).expect("builds")
}

fn r(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn op<'m>(m: &'m Model, id: &str) -> &'m Operation {
    m.operations
        .iter()
        .find(|o| o.operation_id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

fn post(id: &str, body: Value) -> Value {
    json!({"post": {"operationId": id,
        "requestBody": {"required": true, "content": {"application/json": {"schema": body}}},
        "responses": {"204": {"description": "ok"}}}})
}

#[test]
fn validation_plans_are_stored_and_decide_what_validates() {
    let schemas = json!({
        "Inner": {"type": "object", "required": ["n"], "properties": {"n": {"type": "string", "minLength": 2}}},
        "InnerAlias": r("Inner"),
        "Outer": {"type": "object", "properties": {
            "inner": r("InnerAlias"),
            "tags": {"type": "array", "maxItems": 3, "items": {"type": "string", "pattern": "^a"}},
            "count": {"type": "integer", "format": "int32", "minimum": 1, "exclusiveMaximum": 10},
            "free": {"type": "string"}}},
        "Plain": {"type": "object", "properties": {"s": {"type": "string"}}},
    });
    let paths = json!({
        "/o": post("sendOuter", r("Outer")),
        "/p": post("sendPlain", r("Plain")),
        "/q/{id}": {"get": {"operationId": "getQ", "parameters": [
            {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "maxLength": 8}},
            {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 5}}],
            "responses": {"204": {"description": "ok"}}}},
    });
    let m = model(paths, schemas);
    // A struct with a constraint validates, and so does one holding it (through an alias).
    let alias = TypeRef::Named("InnerAlias".into());
    let inner = crate::model::resolve(&m.types, &alias).ty;
    let TypeRef::Named(inner) = inner else {
        panic!("{inner:?}")
    };
    assert!(matches!(m.types[inner].kind, TypeKind::Struct { .. }));
    assert!(m.validated.contains(inner) && m.validated.contains("Outer"));
    assert!(!m.validated.contains("Plain"));
    let TypeKind::Struct { fields, .. } = &m.types["Outer"].kind else {
        panic!()
    };
    let check = |wire: &str| {
        fields
            .iter()
            .find(|f| f.wire == wire)
            .unwrap()
            .check
            .clone()
    };
    assert_eq!(check("inner"), Some(Check::Nested));
    assert_eq!(
        check("tags"),
        Some(Check::List {
            min_items: None,
            max_items: Some(3),
            items: Some(Box::new(Check::Text {
                secret: false,
                min_length: None,
                max_length: None,
                pattern: Some("^a".into()),
                uuid: false,
            })),
        })
    );
    assert_eq!(
        check("count"),
        Some(Check::Integer {
            i32: true,
            minimum: Some((1, false)),
            maximum: Some((10, true)),
        })
    );
    assert_eq!(check("free"), None);
    let TypeKind::Struct { fields, .. } = &m.types[inner].kind else {
        panic!()
    };
    assert!(matches!(
        fields[0].check,
        Some(Check::Text {
            min_length: Some(2),
            ..
        })
    ));
    assert!(op(&m, "sendOuter").body.as_ref().unwrap().validate);
    assert!(!op(&m, "sendPlain").body.as_ref().unwrap().validate);
    let q = op(&m, "getQ");
    assert!(matches!(
        q.params[0].check,
        Some(Check::Text {
            max_length: Some(8),
            ..
        })
    ));
    assert_eq!(q.params[0].borrow, Borrow::Str);
    assert!(matches!(
        q.params[1].check,
        Some(Check::Integer {
            maximum: Some((5, false)),
            ..
        })
    ));
}

#[test]
fn union_plans_order_guard_and_name_the_catch_all() {
    let schemas = json!({
        "Num": {"oneOf": [{"type": "number"}, {"type": "integer"}, {"type": "string"},
            {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
            {"type": "object", "required": ["a", "b"], "properties": {"a": {"type": "string"}, "b": {"type": "string"}}},
            r("Mode")]},
        "Mode": {"type": "string", "enum": ["x", "y"]},
        "ModeAlias": r("Mode"),
        "User": {"type": "object", "required": ["type", "role"], "properties": {
            "type": {"type": "string", "enum": ["msg"]}, "role": {"type": "string", "enum": ["user"]}}},
        "System": {"type": "object", "required": ["type", "role"], "properties": {
            "type": {"type": "string", "enum": ["msg"]}, "role": {"type": "string", "enum": ["system"]}}},
        "Msg": {"oneOf": [r("User"), r("System"), {"type": "object", "properties": {"z": {"type": "string"}}}],
            "discriminator": {"propertyName": "type"}},
    });
    let m = model(json!({}), schemas);
    let TypeKind::Union { variants, .. } = &m.types["Num"].kind else {
        panic!()
    };
    let plan = &m.unions["Num"];
    let order: Vec<&str> = plan
        .try_order
        .iter()
        .map(|&i| variants[i].rust.as_str())
        .collect();
    assert_eq!(
        order,
        ["Object5", "Object4", "Integer", "Number", "Mode", "String"],
        "more required properties first, integers before numbers, enums before strings"
    );
    assert_eq!(plan.enums, [false, false, false, false, false, true]);
    assert_eq!(plan.unknown, None, "an untagged union has no catch-all");
    let TypeKind::Union { variants, .. } = &m.types["Msg"].kind else {
        panic!()
    };
    let plan = &m.unions["Msg"];
    assert_eq!(plan.unknown.as_deref(), Some("Unknown"));
    assert_eq!(variants[0].tags, ["msg"]);
    assert_eq!(variants[1].tags, ["msg"]);
    assert_eq!(plan.guards[0], [("role".to_owned(), "user".to_owned())]);
    assert_eq!(plan.guards[1], [("role".to_owned(), "system".to_owned())]);
    // Only the untagged member is tried by shape.
    assert_eq!(plan.try_order, [2]);
}

#[test]
fn streams_multipart_and_positional_parameters() {
    let event = json!({"type": "object", "properties": {"data": {"type": "string"}}});
    let paths = json!({
        "/chat": {"post": {"operationId": "chat",
            "requestBody": {"required": true, "content": {"application/json": {"schema": r("ChatRequest")}}},
            "responses": {"200": {"description": "ok", "content": {
                "text/event-stream": {"schema": r("EventAlias")}}}}}},
        "/upload": {"post": {"operationId": "upload",
            "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {"type": "object",
                "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}, "purpose": {"type": "string"}}}}}},
            "responses": {"204": {"description": "ok"}}}},
        "/loose": {"post": {"operationId": "loose",
            "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {"type": "object",
                "additionalProperties": {"type": "string"}}}}},
            "responses": {"204": {"description": "ok"}}}},
        "/items/{id}": {"get": {"operationId": "getItem",
            "parameters": [
                {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
                {"name": "tags", "in": "query", "required": true, "schema": {"type": "array", "items": {"type": "string"}}},
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"204": {"description": "ok"}}}},
    });
    let schemas = json!({
        "ChatRequest": {"type": "object", "properties": {"stream": {"type": "boolean"}, "q": {"type": "string"}}},
        "Event": event,
        "EventAlias": r("Event"),
    });
    let m = model(paths, schemas);
    let stream = op(&m, "chat").stream.as_ref().expect("a stream");
    assert!(stream.envelope, "an object with `data`, through an alias");
    assert_eq!(
        stream.flag,
        Some(StreamFlag {
            rust: "stream".into(),
            presence: crate::model::Presence::Optional,
        })
    );
    let Some(MultipartPlan::Fields(parts)) = &op(&m, "upload").body.as_ref().unwrap().multipart
    else {
        panic!("a closed struct goes field by field")
    };
    let parts: Vec<(&str, bool)> = parts.iter().map(|p| (p.wire.as_str(), p.file)).collect();
    assert_eq!(parts, [("file", true), ("purpose", false)]);
    assert_eq!(
        op(&m, "loose").body.as_ref().unwrap().multipart,
        Some(MultipartPlan::Json)
    );
    assert_eq!(op(&m, "chat").body.as_ref().unwrap().multipart, None);
    let get = op(&m, "getItem");
    let positional: Vec<&str> = get.positional().map(|p| p.wire.as_str()).collect();
    assert_eq!(
        positional,
        ["tags", "id"],
        "required parameters in spec order"
    );
    let tags = &get.params[1];
    assert_eq!(tags.borrow, Borrow::Slice(TypeRef::String));
    assert_eq!(tags.text, TextForm::Plain, "taken as a value, not as text");
}

#[test]
fn names_emit_writes_are_claimed() {
    let schemas = json!({
        "Open": {"type": "object", "properties": {"additional_properties": {"type": "string"}},
            "additionalProperties": {"type": "integer"}},
    });
    let paths = json!({
        "/groups/{params}/keys": {"get": {"operationId": "listKeys",
            "parameters": [{"name": "params", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "offset", "in": "query", "schema": {"type": "integer", "format": "int32"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
            "x-speakeasy-pagination": {"type": "offsetLimit", "inputs": [
                {"name": "offset", "in": "parameters", "type": "offset"},
                {"name": "limit", "in": "parameters", "type": "limit"}],
                "outputs": {"results": "$.data"}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "object", "required": ["data"],
                "properties": {"data": {"type": "array", "items": {"type": "string"}}}}}}}}}},
    });
    let m = model(paths, schemas);
    assert_eq!(
        m.members["Open"].additional.as_deref(),
        Some("additional_properties2"),
        "the map's name is claimed after the fields"
    );
    // Every struct with a map has its name in the model.
    for (name, def) in &m.types {
        if let TypeKind::Struct {
            additional: Some(_),
            ..
        } = def.kind
        {
            assert!(m.members[name].additional.is_some(), "{name}");
        }
    }
    let pg = op(&m, "listKeys").pagination.as_ref().expect("paged");
    assert!(pg.pager.is_some());
    let field = pg
        .pager_params
        .as_deref()
        .expect("the pager's field is named");
    assert_eq!(field, "params");
    assert!(
        op(&m, "listKeys").positional().all(|p| p.rust != field),
        "claimed after the required parameters (the parameter `params` is `params2`)"
    );
    assert!(pg.offset_i32 && !pg.limit_i32);
}
