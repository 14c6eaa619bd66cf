//! Model and emit behaviour on small specs: allOf merging, unions, enums, pagination,
//! event streams, multipart and binary bodies, examples, determinism.

use crate::model::{GroupSource, Model, Success, TypeKind, TypeRef};
use serde_json::{Value, json};

fn spec(paths: Value, schemas: Value) -> String {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://x"}],
        "paths": paths,
        "components": {"schemas": schemas},
    })
    .to_string()
}

fn model(text: &str) -> Model {
    let loaded = crate::load::load_str(text, "t.json").expect("loads");
    crate::model::build(&loaded.openapi).expect("builds")
}

fn files(text: &str) -> std::collections::BTreeMap<String, String> {
    crate::generate(text, "t.json").expect("generates")
}

fn kind<'m>(m: &'m Model, name: &str) -> &'m TypeKind {
    let def = m.types.get(name);
    &def.unwrap_or_else(|| panic!("no type {name}: {:?}", m.types.keys()))
        .kind
}

fn r(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

#[test]
fn all_of_merges_widens_and_reports_conflicts() {
    let schemas = json!({
        "Base": {"type": "object", "required": ["kind", "part"], "properties": {
            "kind": {"type": "string", "enum": ["a", "b"]},
            "part": {"anyOf": [r("A"), r("C")]},
            "usage": {"type": "object", "properties": {"n": {"type": "integer"}}}}},
        "A": {"type": "object", "properties": {"a": {"type": "string"}}},
        "B": {"type": "object", "required": ["b"], "properties": {"b": {"type": "string"}}},
        "C": {"type": "object", "required": ["c"], "properties": {"c": {"type": "string"}}},
        "Derived": {"allOf": [r("Base"), {}, {"type": "object", "properties": {
            "kind": {"type": "string", "enum": ["a", "b", "c"]},
            "part": {"anyOf": [r("A"), r("B"), r("C")]},
            "usage": {"type": "object", "properties": {"cost": {"type": ["number", "null"]}}},
            "extra": {"type": "boolean"}}}]},
    });
    let m = model(&spec(json!({}), schemas));
    let TypeKind::Struct { fields, .. } = kind(&m, "Derived") else {
        panic!()
    };
    let names: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
    assert_eq!(names, ["kind", "part", "usage", "extra"]);
    let TypeRef::Named(k) = &fields[0].ty else {
        panic!("{:?}", fields[0].ty)
    };
    let TypeKind::Enum { variants, .. } = kind(&m, k) else {
        panic!()
    };
    assert_eq!(variants.len(), 3, "the wider enum wins");
    assert!(fields[0].doc.iter().any(|d| d.contains("wider type")));
    let TypeRef::Named(p) = &fields[1].ty else {
        panic!()
    };
    let TypeKind::Union { variants, .. } = kind(&m, p) else {
        panic!()
    };
    assert_eq!(variants.len(), 3, "the wider union wins");
    let TypeRef::Named(u) = &fields[2].ty else {
        panic!()
    };
    let TypeKind::Struct { fields: uf, .. } = kind(&m, u) else {
        panic!()
    };
    let usage: Vec<&str> = uf.iter().map(|f| f.wire.as_str()).collect();
    assert_eq!(usage, ["n", "cost"], "two object members merge");

    let conflict = json!({
        "X": {"type": "object", "properties": {"id": {"type": "string"}}},
        "Y": {"allOf": [r("X"), {"type": "object", "properties": {"id": {"type": "integer"}}}]},
    });
    // A conflict widens the property to any JSON, with a located warning.
    let g = crate::generate_with(&spec(json!({}), conflict), "t", &Default::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let at: Vec<_> = g
        .warnings
        .iter()
        .map(|w| (w.kind.name(), w.pointer.as_str()))
        .collect();
    assert_eq!(
        at,
        [(
            "type_widened",
            "#/components/schemas/Y/allOf/1/properties/id"
        )]
    );
}

#[test]
fn self_referencing_inline_all_of_terminates() {
    let schemas = json!({"Token": {"type": "object", "properties": {
        "text": {"type": "string"},
        "next": {"allOf": [r("Token"), {"type": "object", "properties": {"depth": {"type": "integer"}}}]}}}});
    let out = files(&spec(json!({}), schemas));
    let t = &out["types.rs"];
    assert!(t.contains("pub next: Option<Box<TokenNext>>"), "{t}");
}

#[test]
fn unions_string_enums_tags_and_specificity() {
    let schemas = json!({
        "Role": {"anyOf": [{"type": "string", "enum": ["user"]}, {"type": "string", "enum": ["system"]}, {"type": "string"}]},
        "Num": {"oneOf": [{"type": "number"}, {"type": "integer"}, {"type": "string", "format": "date-time"},
            {"type": "string"}, {"type": "object"},
            {"type": "object", "required": ["a", "b"], "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}]},
        "Cat": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": ["cat"]}}},
        "Dog": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": ["dog"]}}},
        "Pet": {"oneOf": [r("Cat"), r("Dog")],
            "discriminator": {"propertyName": "type", "mapping": {"kitty": "#/components/schemas/Cat"}}},
        "Same": {"type": "string", "enum": ["a-b", "a_b", "A B", "self", "Unknown"]},
    });
    let text = spec(json!({}), schemas);
    let m = model(&text);
    let TypeKind::Enum { variants, .. } = kind(&m, "Role") else {
        panic!()
    };
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    assert_eq!(
        wires,
        ["user", "system"],
        "string members collapse into an open enum"
    );
    let TypeKind::Union { variants, .. } = kind(&m, "Pet") else {
        panic!()
    };
    assert_eq!(variants[0].tags, ["kitty"]);
    assert_eq!(
        variants[1].tags,
        ["dog"],
        "not in the mapping: the member's constant"
    );
    let TypeKind::Enum { variants, .. } = kind(&m, "Same") else {
        panic!()
    };
    let rust: Vec<&str> = variants.iter().map(|v| v.rust.as_str()).collect();
    assert_eq!(rust, ["AB", "AB2", "AB3", "SelfValue", "Unknown2"]);
    let out = files(&text);
    let t = &out["types.rs"];
    // `runtime::untagged_union!(Num { … })` lists the variants in the order they are tried.
    let flat: String = t.split_whitespace().collect();
    let head = "untagged_union!(Num{";
    let de = &flat[flat.find(head).unwrap() + head.len()..];
    let order: Vec<&str> = de[..de.find('}').unwrap()].split(',').collect();
    let pos = |s: &str| {
        order
            .iter()
            .position(|v| *v == s)
            .unwrap_or_else(|| panic!("{s} in {order:?}"))
    };
    assert!(pos("Object6") < pos("Integer"), "objects first");
    assert!(pos("Integer") < pos("Number"), "integer before number");
    assert!(
        pos("String") < pos("String2"),
        "date-time before plain string"
    );
    assert!(pos("String2") < pos("Object5"), "free-form JSON last");
}

#[test]
fn operations_streams_files_bytes_and_pagination() {
    let ok = |schema: Value| json!({"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}});
    let paths = json!({
        "/chat": {"post": {"operationId": "chat",
            "requestBody": {"required": true, "content": {"application/json": {
                "schema": {"type": "object", "properties": {"stream": {"type": "boolean"}, "q": {"type": "string"}}},
                "example": {"q": "hi"}}}},
            "responses": {"200": {"description": "ok", "content": {
                "application/json": {"schema": {"type": "object", "properties": {"a": {"type": "string"}}}},
                "text/event-stream": {"x-speakeasy-sse-sentinel": "[DONE]", "schema": {"type": "object",
                    "required": ["data"], "properties": {"data": {"type": "object", "properties": {"d": {"type": "string"}}}}}}}}}}},
        "/files": {
            "get": {"operationId": "listFiles",
                "parameters": [{"name": "cursor", "in": "query", "schema": {"type": "string"}}],
                "x-speakeasy-pagination": {"type": "cursor", "inputs": [{"name": "cursor", "in": "parameters", "type": "cursor"}],
                    "outputs": {"nextCursor": "$.cursor", "results": "$.data"}},
                "responses": ok(json!({"type": "object"}))},
            "post": {"operationId": "upload",
                "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {"type": "object",
                    "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}, "purpose": {"type": "string"}}}}}},
                "responses": {"200": {"description": "ok"}}}},
        "/things/{id}/content": {"get": {"operationId": "download",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok", "content": {"audio/*": {"schema": {"type": "string", "format": "binary"}}}},
                "404": {"description": "no", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        "/groups/{id}/keys": {"get": {"operationId": "listKeys",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "offset", "in": "query", "schema": {"type": "integer"}}],
            "x-speakeasy-pagination": {"type": "offsetLimit", "inputs": [{"name": "offset", "in": "parameters", "type": "offset"}],
                "outputs": {"results": "$.data"}},
            "responses": ok(json!({"type": "object", "required": ["data"],
                "properties": {"data": {"type": "array", "items": {"type": "string"}}}}))}},
    });
    let text = spec(paths, json!({}));
    let m = model(&text);
    let chat = m
        .operations
        .iter()
        .find(|o| o.operation_id == "chat")
        .unwrap();
    assert!(matches!(chat.success, Success::Json(_)));
    assert_eq!(chat.stream_method.as_deref(), Some("chat_stream"));
    let list = m
        .operations
        .iter()
        .find(|o| o.operation_id == "listFiles")
        .unwrap();
    assert!(list.pagination.is_none());
    let note = "pagination `cursor` not supported by this generator";
    assert!(list.doc.iter().any(|d| d.contains(note)), "{:?}", list.doc);
    let out = files(&text);
    let ops = &out["operations.rs"];
    for needle in [
        "pub fn chat_stream(&self, body: ChatRequest) -> EventStream<'c, ChatEvent>",
        "body.stream = Some(true);",
        "sentinel: Some(\"[DONE]\"),",
        "envelope: true,",
        "form.file(\"file\", value);",
        "runtime::MultipartForm::new()",
        "request.accept(\"audio/*, application/json\");",
        "-> Call<'c, bytes::Bytes>",
        "pub struct ListKeysPager {",
        "id: impl std::fmt::Display,",
        "ListKeysPager { id, params },",
    ] {
        assert!(ops.contains(needle), "missing `{needle}` in\n{ops}");
    }
    // In the types file of the group that uses it (the document is untagged: by resource).
    assert!(
        out.values()
            .any(|f| f.contains("pub file: runtime::FilePart,"))
    );
    let ex = crate::examples::from_sites(&m.examples);
    let body = "#/paths/~1chat/post/requestBody/content/application~1json/example";
    assert!(
        ex.iter()
            .any(|e| e.pointer == body && e.rust_type_path == "crate::ChatRequest"),
        "{ex:?}"
    );
}

#[test]
fn output_is_deterministic() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openrouter.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    assert_eq!(files(&text), files(&text));
}

fn op<'m>(m: &'m Model, id: &str) -> &'m crate::model::Operation {
    m.operations
        .iter()
        .find(|o| o.operation_id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

#[test]
fn locals_never_shadow_parameters() {
    let paths = json!({"/s": {"get": {"operationId": "search", "parameters": [
        {"name": "request", "in": "query", "required": true, "schema": {"type": "string"}},
        {"name": "value", "in": "query", "schema": {"type": "string"}},
        {"name": "body", "in": "header", "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok"}}}}});
    let m = model(&spec(paths, json!({})));
    let o = op(&m, "search");
    let l = &o.idents.locals;
    assert_eq!(
        (l.request.as_str(), l.value.as_str()),
        ("request2", "value2")
    );
    assert_eq!(l.item, "item");
    let rust: Vec<&str> = o.params.iter().map(|p| p.rust.as_str()).collect();
    assert_eq!(rust, ["request", "value", "body2"]);
    assert!(!rust.contains(&l.body.as_str()) && !rust.contains(&l.params.as_str()));
}

#[test]
fn operation_items_share_one_namespace() {
    let retries = json!({"strategy": "backoff", "statusCodes": ["5XX"]});
    let paths = json!({
        "/foo": {"get": {"operationId": "foo", "x-speakeasy-retries": retries,
            "responses": {"200": {"description": "ok"}}}},
        "/foo-retry": {"get": {"operationId": "fooRetry",
            "responses": {"200": {"description": "ok"}}}}});
    let m = model(&spec(paths, json!({})));
    let (foo, retry) = (&op(&m, "foo").idents, &op(&m, "fooRetry").idents);
    assert_eq!(foo.retry.as_deref(), Some("FOO_RETRY"));
    assert_eq!(retry.meta, "FOO_RETRY2");
    assert_eq!(retry.prepare, "foo_retry_prepare");
}

#[test]
fn group_handles_never_take_a_schema_name() {
    let paths = json!({"/b/{id}": {"get": {"tags": ["Batch"], "operationId": "getBatch",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": r("Batch")}}}}}}});
    let schemas = json!({"Batch": {"type": "object", "properties": {"id": {"type": "string"}}}});
    let m = model(&spec(paths, schemas));
    assert_eq!(m.groups.keys().collect::<Vec<_>>(), ["BatchApi"]);
    assert_eq!(m.groups["BatchApi"].accessor, "batch");
    assert!(m.types.contains_key("Batch"));
}

#[test]
fn path_templates_bind_every_placeholder() {
    use crate::model::PathPart;
    let get = |path: &str, name: &str| {
        let paths = json!({path: {"get": {"operationId": "getThing", "parameters": [
            {"name": name, "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok"}}}}});
        let text = spec(paths, json!({}));
        let loaded = crate::load::load_str(&text, "t.json").expect("loads");
        crate::model::build(&loaded.openapi)
    };
    let m = get("/things/{thing-id}.json", "thing-id").expect("builds");
    assert_eq!(
        op(&m, "getThing").template,
        [
            PathPart::Literal("/things/".into()),
            PathPart::Param("thing_id".into()),
            PathPart::Literal(".json".into())
        ]
    );
    let e = get("/things/{thingId}", "thing_id")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("#/paths/~1things~1{thingId}/get:"), "{e}");
    assert!(e.contains("`{thingId}`") && e.contains("`thing_id`"), "{e}");
    let e = get("/things", "owner").unwrap_err().to_string();
    assert!(e.starts_with("#/paths/~1things/get/parameters/0:"), "{e}");
}

#[test]
fn default_only_response_is_success_too() {
    let paths = json!({"/p": {"get": {"operationId": "ping", "responses": {"default": {
        "description": "ok", "content": {"application/json": {"schema": r("Pong")}}}}}}});
    let schemas = json!({"Pong": {"type": "object", "properties": {"ok": {"type": "boolean"}}}});
    let text = spec(paths, schemas);
    let m = model(&text);
    let o = op(&m, "ping");
    assert_eq!(o.success, Success::Json(TypeRef::Named("Pong".into())));
    assert!(o.responses[0].default_success);
    let ops = &files(&text)["operations.rs"];
    assert!(
        ops.contains("200..=299 => runtime::decode_json(raw)"),
        "{ops}"
    );
    assert!(
        ops.contains("_ => Err(runtime::api_error(raw, ApiErrorBody::DefaultError))"),
        "{ops}"
    );
}

/// Validation only where a request reaches a constraint; features per tag; types behind
/// the features of the groups that reach them, unreferenced ones apart.
#[test]
fn reach_validation_and_features() {
    let paths = json!({
        "/a": {"post": {"tags": ["Alpha Things"], "operationId": "makeA",
            "requestBody": {"content": {"application/json": {"schema": r("NewA")}}},
            "responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": r("Shared")}}}}}},
        "/b": {"get": {"tags": ["mock"], "operationId": "getB",
            "responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": r("OnlyB")}}}}}},
    });
    let schemas = json!({
        "NewA": {"type": "object", "properties": {
            "name": {"type": "string", "maxLength": 3},
            "plain": r("Plain")}},
        "Plain": {"type": "object", "properties": {"x": {"type": "string"}}},
        "Shared": {"type": "object", "properties": {"n": {"type": "string", "minLength": 1}}},
        "OnlyB": {"type": "object", "properties": {"s": r("Shared")}},
        "Unused": {"type": "object", "properties": {"y": {"type": "integer"}}},
    });
    let m = model(&spec(paths, schemas));
    // `Shared` has a constraint but only responses reach it; `Plain` checks nothing.
    assert_eq!(m.validated.iter().collect::<Vec<_>>(), ["NewA"]);
    assert!(m.request_types.contains("Plain") && !m.request_types.contains("Shared"));
    // `mock` is the crate's own feature, so the tag gets a suffix.
    assert_eq!(
        m.features,
        [
            ("alpha-things".to_owned(), "AlphaThings".to_owned()),
            ("mock2".to_owned(), "Mock".to_owned())
        ]
    );
    assert_eq!(m.type_features["NewA"], ["alpha-things"]);
    assert_eq!(m.type_features["OnlyB"], ["mock2"]);
    assert!(
        !m.type_features.contains_key("Shared"),
        "both groups reach it"
    );
    assert_eq!(m.unreferenced.iter().collect::<Vec<_>>(), ["Unused"]);
    // One module per set of features, then the unreferenced schemas; `Shared` in none.
    let names: Vec<&str> = m.type_modules.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["features_1", "features_2", "unreferenced"]);
    let [alpha, b, unused] = &m.type_modules[..] else {
        panic!()
    };
    assert_eq!(
        alpha.any_of.as_deref(),
        Some(&["alpha-things".to_owned()][..])
    );
    assert!(alpha.types.contains(&"NewA".to_owned()));
    assert_eq!(b.any_of.as_deref(), Some(&["mock2".to_owned()][..]));
    assert!(b.types.contains(&"OnlyB".to_owned()));
    assert_eq!(
        (&unused.any_of, &unused.types[..]),
        (&None, &["Unused".to_owned()][..])
    );
    assert!(
        m.type_modules
            .iter()
            .all(|t| !t.types.contains(&"Shared".to_owned()))
    );
    let f = files(&spec(json!({}), json!({})));
    assert!(!f["types.rs"].contains("validate_at"));
}

/// An untagged document is grouped by resource: one group, accessor and feature each.
#[test]
fn untagged_operations_are_grouped_by_resource() {
    let ok = json!({"204": {"description": "ok"}});
    let paths = json!({
        "/v1/customers": {"get": {"operationId": "listCustomers", "responses": ok}},
        "/v1/customers/{id}": {"delete": {"operationId": "deleteCustomer",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": ok}},
        "/v1/invoices": {"get": {"operationId": "listInvoices", "responses": ok}},
        "/v1": {"get": {"operationId": "root", "responses": ok}},
    });
    let m = model(&spec(paths, json!({})));
    let groups: Vec<(&str, &str, &str, GroupSource)> = m
        .groups
        .values()
        .map(|g| {
            (
                g.name.as_str(),
                g.accessor.as_str(),
                g.feature.as_str(),
                g.source,
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("Customers", "customers", "customers", GroupSource::Path),
            ("General", "general", "general", GroupSource::Default),
            ("Invoices", "invoices", "invoices", GroupSource::Path),
        ]
    );
    assert_eq!(op(&m, "deleteCustomer").group, "Customers");
    assert_eq!(op(&m, "root").group, "General");
    let summary = crate::model::group_summary(&m.group_counts(), 1);
    assert_eq!(
        summary,
        "3 group(s) (cargo features): 2 by path (untagged document): customers (2), … 1 more; \
         1 default: general (1)"
    );
}

#[test]
fn a_summary_is_not_repeated_by_its_description() {
    let ok = json!({"200": {"description": "ok"}});
    let paths = json!({
        "/a": {"get": {"operationId": "onlySummary", "summary": "Lists the things", "responses": ok}},
        "/b": {"get": {"operationId": "same", "summary": "Gets a thing",
            "description": "Gets a thing", "responses": ok}},
        "/c": {"get": {"operationId": "both", "summary": "Makes a thing",
            "description": "With care.", "responses": ok}}});
    let text = spec(paths, json!({}));
    let m = model(&text);
    assert!(op(&m, "onlySummary").doc.is_empty());
    assert!(op(&m, "same").doc.is_empty());
    assert_eq!(op(&m, "both").doc, ["With care."]);
    let ops = files(&text).remove("operations.rs").expect("operations.rs");
    for line in [
        "Lists the things",
        "Gets a thing",
        "Makes a thing",
        "With care.",
    ] {
        assert_eq!(
            ops.matches(&format!("/// {line}\n")).count(),
            1,
            "{line}:\n{ops}"
        );
    }
}

#[test]
fn operations_that_answer_alike_share_a_decoder() {
    let ok =
        |s: &str| json!({"description": "ok", "content": {"application/json": {"schema": r(s)}}});
    let answers = |body: &str, err: &str| json!({"200": ok(body), "404": ok(err)});
    let paths = json!({
        "/a": {"get": {"operationId": "getA", "responses": answers("A", "Missing")}},
        "/b": {"get": {"operationId": "getB", "responses": answers("B", "Missing")}},
        "/c": {"get": {"operationId": "getC", "responses": answers("A", "Other")},
               "delete": {"operationId": "dropC", "responses": {"204": {"description": "gone"}}}},
    });
    let obj = json!({"type": "object", "properties": {"x": {"type": "string"}}});
    let schemas = json!({"A": obj, "B": obj, "Missing": obj, "Other": {"type": "string"}});
    let text = spec(paths, schemas);
    let m = model(&text);
    let decode = |id: &str| {
        let op = m
            .operations
            .iter()
            .find(|o| o.operation_id == id)
            .expect("op");
        op.idents.decode.as_str()
    };
    // Different result types, the same statuses and error bodies: one generic decoder.
    assert_eq!(decode("getA"), decode("getB"));
    assert!(
        decode("getA").starts_with("decode_json_200_404"),
        "{}",
        decode("getA")
    );
    // Another error body is another decoder, its name claimed apart.
    assert_ne!(decode("getC"), decode("getA"));
    assert_eq!(decode("dropC"), "decode_empty_204");
    assert_eq!(m.decoders.len(), 3, "{:?}", m.decoders);
    // Printed once each, the JSON one generic over the result.
    let out = files(&text);
    let ops = &out["operations.rs"];
    assert_eq!(ops.matches("fn decode_").count(), 3, "{ops}");
    assert!(ops.contains("<T: serde::de::DeserializeOwned>"), "{ops}");
}
