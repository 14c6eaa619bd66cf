//! The table of spec edits and their classes: each case edits a small base document in the
//! test (one `replace` per edit) and checks the report's class, a kind it must contain and
//! whether it flags a wire change that breaks old clients.

use super::*;

/// Two groups, a paged list, a body with two same-typed required properties, an open enum,
/// an untagged union, an error body, a retry policy.
const BASE: &str = r##"openapi: 3.1.0
info: {title: Diff Test API, version: 1.0.0}
servers: [{url: "https://api.example.com"}]
x-speakeasy-retries:
  strategy: backoff
  backoff: {initialInterval: 500, maxInterval: 60000, exponent: 1.5, maxElapsedTime: 3600000}
  statusCodes: [5XX]
  retryConnectionErrors: true
tags: [{name: Keys}, {name: Notes}]
security: [{bearer: []}]
paths:
  /keys:
    get:
      operationId: listKeys
      tags: [Keys]
      parameters:
        - {name: limit, in: query, required: false, schema: {type: integer, maximum: 100, default: 10}}
        - {name: offset, in: query, required: false, schema: {type: integer}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/KeyList"}}}}
        "404": {description: missing, content: {application/json: {schema: {$ref: "#/components/schemas/ErrorBody"}}}}
    post:
      operationId: createKey
      tags: [Keys]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/CreateKeyRequest"}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Key"}}}}
  /keys/{id}:
    get:
      operationId: getKey
      tags: [Keys]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Key"}}}}
    delete:
      operationId: deleteKey
      tags: [Keys]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: gone}
  /keys/{id}/grants/{grant}:
    get:
      operationId: getGrant
      tags: [Keys]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: grant, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: ok}
  /notes:
    get:
      operationId: listNotes
      tags: [Notes]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    key: {type: apiKey, in: header, name: X-Key}
  schemas:
    CreateKeyRequest:
      type: object
      required: [name, label]
      properties:
        name: {type: string, maxLength: 64}
        label: {type: string}
        note: {type: string}
    Key:
      type: object
      required: [id, name, createdAt]
      properties:
        id: {type: string}
        name: {type: string}
        createdAt: {type: string}
        status: {$ref: "#/components/schemas/Status"}
        size: {type: integer}
    Status:
      type: string
      enum: [active, disabled]
    KeyList:
      type: object
      required: [data]
      properties:
        data: {type: array, items: {$ref: "#/components/schemas/Key"}}
    Note:
      type: object
      properties:
        body: {$ref: "#/components/schemas/NoteBody"}
    NoteBody:
      oneOf:
        - {type: string}
        - {type: integer}
    ErrorBody:
      type: object
      properties:
        message: {type: string}
"##;

struct Case {
    name: &'static str,
    edits: &'static [(&'static str, &'static str)],
    class: Option<Class>,
    /// A kind the report must contain.
    kind: &'static str,
    /// Whether some entry breaks clients already deployed.
    wire_breaks: bool,
}

const fn case(
    name: &'static str,
    edits: &'static [(&'static str, &'static str)],
    class: Option<Class>,
    kind: &'static str,
    wire_breaks: bool,
) -> Case {
    Case {
        name,
        edits,
        class,
        kind,
        wire_breaks,
    }
}

const B: Option<Class> = Some(Class::Breaking);
const A: Option<Class> = Some(Class::Additive);
const P: Option<Class> = Some(Class::Patch);

const CASES: &[Case] = &[
    case("no change", &[], None, "", false),
    case(
        "reorder two same-typed required request properties",
        &[(
            "        name: {type: string, maxLength: 64}\n        label: {type: string}\n",
            "        label: {type: string}\n        name: {type: string, maxLength: 64}\n",
        )],
        B,
        "new_arguments_reordered",
        false,
    ),
    case(
        "add an optional response property",
        &[(
            "        size: {type: integer}\n",
            "        size: {type: integer}\n        owner: {type: string}\n",
        )],
        A,
        "field_added",
        false,
    ),
    case(
        "add a required request property",
        &[
            ("required: [name, label]", "required: [name, label, team]"),
            (
                "        note: {type: string}\n    Key:",
                "        note: {type: string}\n        team: {type: string}\n    Key:",
            ),
        ],
        B,
        "field_added_required",
        true,
    ),
    case(
        "new value on an open enum",
        &[(
            "enum: [active, disabled]",
            "enum: [active, disabled, expired]",
        )],
        A,
        "enum_variant_added",
        false,
    ),
    case(
        "tighten maxLength",
        &[("maxLength: 64", "maxLength: 32")],
        P,
        "constraint_tightened",
        true,
    ),
    case(
        "a query parameter's style changes",
        &[(
            "{name: offset, in: query, required: false, schema: {type: integer}}",
            "{name: offset, in: query, required: false, style: form, explode: false, schema: {type: integer}}",
        )],
        P,
        "param_style_changed",
        true,
    ),
    case(
        "an operation takes another credential",
        &[(
            "      operationId: deleteKey\n",
            "      operationId: deleteKey\n      security: [{key: []}]\n",
        )],
        P,
        "operation_auth_changed",
        true,
    ),
    case(
        "loosen maxLength",
        &[("maxLength: 64", "maxLength: 128")],
        P,
        "constraint_loosened",
        false,
    ),
    case(
        "remove an operation",
        &[(
            "    delete:\n      operationId: deleteKey\n      tags: [Keys]\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        \"204\": {description: gone}\n",
            "",
        )],
        B,
        "operation_removed",
        false,
    ),
    case(
        "add an operation",
        &[(
            "  /notes:\n",
            "  /keys/{id}/rotate:\n    post:\n      operationId: rotateKey\n      tags: [Keys]\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        \"204\": {description: done}\n  /notes:\n",
        )],
        A,
        "operation_added",
        false,
    ),
    case(
        "move an operation to another path",
        &[("  /keys/{id}:\n", "  /v2/keys/{id}:\n")],
        P,
        "operation_endpoint_changed",
        true,
    ),
    case(
        "rename an operation (same endpoint)",
        &[("operationId: getKey", "operationId: fetchKey")],
        B,
        "operation_renamed",
        false,
    ),
    case(
        "add an optional query parameter",
        &[(
            "        - {name: offset,",
            "        - {name: q, in: query, required: false, schema: {type: string}}\n        - {name: offset,",
        )],
        A,
        "param_added",
        false,
    ),
    case(
        "remove an optional query parameter",
        &[(
            "        - {name: offset, in: query, required: false, schema: {type: integer}}\n",
            "",
        )],
        B,
        "param_removed",
        false,
    ),
    case(
        "make a query parameter required",
        &[(
            "{name: offset, in: query, required: false",
            "{name: offset, in: query, required: true",
        )],
        B,
        "param_now_required",
        true,
    ),
    case(
        "change a parameter's server default",
        &[("default: 10", "default: 20")],
        P,
        "default_changed",
        false,
    ),
    case(
        "tighten a parameter's maximum",
        &[("maximum: 100", "maximum: 50")],
        P,
        "constraint_tightened",
        true,
    ),
    case(
        "remove a response property",
        &[("        size: {type: integer}\n", "")],
        B,
        "field_removed",
        false,
    ),
    case(
        "retype a response property",
        &[("size: {type: integer}", "size: {type: string}")],
        B,
        "field_retyped",
        true,
    ),
    case(
        "make a response property optional",
        &[("required: [id, name, createdAt]", "required: [id, name]")],
        B,
        "field_presence_changed",
        true,
    ),
    case(
        "make a response property nullable",
        &[(
            "        id: {type: string}\n",
            "        id: {type: [string, \"null\"]}\n",
        )],
        B,
        "field_presence_changed",
        true,
    ),
    case(
        "make a request property required",
        &[("required: [name, label]", "required: [name, label, note]")],
        B,
        "field_presence_changed",
        true,
    ),
    case(
        "remove an enum value",
        &[("enum: [active, disabled]", "enum: [active]")],
        B,
        "enum_variant_removed",
        false,
    ),
    case(
        "rename a schema",
        &[
            ("    ErrorBody:\n", "    Problem:\n"),
            ("schemas/ErrorBody", "schemas/Problem"),
        ],
        B,
        "type_renamed",
        false,
    ),
    case(
        "add a documented error status",
        &[(
            "        \"404\": {description: missing,",
            "        \"429\": {description: slow down, content: {application/json: {schema: {$ref: \"#/components/schemas/ErrorBody\"}}}}\n        \"404\": {description: missing,",
        )],
        A,
        "error_variant_added",
        false,
    ),
    case(
        "change the retry policy",
        &[("initialInterval: 500", "initialInterval: 250")],
        P,
        "retry_policy_changed",
        false,
    ),
    case(
        "add a group",
        &[(
            "  /notes:\n",
            "  /admin:\n    get:\n      operationId: getAdmin\n      tags: [Admin]\n      responses:\n        \"204\": {description: ok}\n  /notes:\n",
        )],
        A,
        "group_added",
        false,
    ),
    case(
        "change a property's wire name only",
        &[("createdAt", "created_at"), ("createdAt", "created_at")],
        P,
        "wire_name_changed",
        true,
    ),
    case(
        "deprecate an operation",
        &[(
            "      operationId: getKey\n",
            "      operationId: getKey\n      deprecated: true\n",
        )],
        A,
        "deprecated",
        false,
    ),
    case(
        "add a variant to an untagged union",
        &[(
            "        - {type: integer}\n",
            "        - {type: integer}\n        - {type: boolean}\n",
        )],
        B,
        "union_variant_added",
        false,
    ),
    case(
        "add a required response property",
        &[(
            "required: [id, name, createdAt]",
            "required: [id, name, createdAt, size]",
        )],
        B,
        "new_changed",
        false,
    ),
    case(
        "reorder two path parameters (method arguments swap)",
        &[(
            "        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: grant,",
            "        - {name: grant, in: path, required: true, schema: {type: string}}\n        - {name: id,",
        )],
        B,
        "arguments_reordered",
        false,
    ),
];

fn model(text: &str) -> Model {
    crate::build_model(text, "diff.yaml", &crate::Options::default())
        .expect("the test document builds")
        .0
}

fn apply(edits: &[(&str, &str)]) -> String {
    let mut text = BASE.to_owned();
    for (from, to) in edits {
        assert!(text.contains(from), "edit target missing: {from}");
        text = text.replacen(from, to, 1);
    }
    text
}

#[test]
fn spec_edits_are_classified() {
    assert!(CASES.len() >= 20);
    let base = model(BASE);
    let mut failures = Vec::new();
    for c in CASES {
        let report = diff(&base, &model(&apply(c.edits)));
        let summary = render::summary(&report, Version::parse("1.0.0"));
        let has_kind = c.kind.is_empty() || report.entries.iter().any(|e| e.kind == c.kind);
        let wire = report.wire_breaking().next().is_some();
        if report.class() != c.class || !has_kind || wire != c.wire_breaks {
            failures.push(format!(
                "{}: want {:?} with `{}`, wire breaks {}; got\n{summary}",
                c.name, c.class, c.kind, c.wire_breaks
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn same_typed_reorder_says_values_swap() {
    let report = diff(&model(BASE), &model(&apply(CASES[1].edits)));
    let e = report
        .entries
        .iter()
        .find(|e| e.kind == "new_arguments_reordered")
        .expect("reported");
    assert_eq!(e.item, "CreateKeyRequest::new");
    assert!(
        e.detail
            .contains("new(name: String, label: String)` → `new(label: String, name: String)"),
        "{}",
        e.detail
    );
    assert!(e.why.contains("wrong fields"), "{}", e.why);
    let swap = CASES.last().unwrap();
    let report = diff(&model(BASE), &model(&apply(swap.edits)));
    let e = &report.entries[0];
    assert_eq!(
        (e.item.as_str(), e.detail.as_str()),
        (
            "client.keys().get_grant",
            "`(id: impl Display, grant: impl Display)` → `(grant: impl Display, id: impl Display)`"
        )
    );
    assert!(e.why.contains("wrong parameters"), "{}", e.why);
}

#[test]
fn versions_bump_by_class() {
    let v = |s| Version::parse(s).unwrap();
    assert_eq!(v("0.1.0").next(Class::Breaking), v("0.2.0"));
    assert_eq!(v("0.1.3").next(Class::Additive), v("0.1.4"));
    assert_eq!(v("0.0.3").next(Class::Patch), v("0.0.4"));
    assert_eq!(v("1.2.3").next(Class::Breaking), v("2.0.0"));
    assert_eq!(v("1.2.3").next(Class::Additive), v("1.3.0"));
    assert_eq!(v("1.2.3").next(Class::Patch), v("1.2.4"));
    assert!(v("0.1.0").allows(v("0.2.0"), Class::Breaking));
    assert!(!v("0.1.0").allows(v("0.1.1"), Class::Breaking));
    assert!(v("0.1.0").allows(v("1.0.0"), Class::Breaking));
    assert_eq!(Version::parse("1.0.0-beta.1"), Some(v("1.0.0")));
    assert_eq!(Version::parse("1.0"), None);
}

#[test]
fn renders_are_deterministic_and_complete() {
    let new = model(&apply(CASES[3].edits));
    let report = diff(&model(BASE), &new);
    let md = render::markdown(&report, Version::parse("0.1.0"));
    assert!(
        md.starts_with("## API changes: breaking: version 0.1.0 → 0.2.0 at least"),
        "{md}"
    );
    assert!(
        md.contains("| breaking | breaks old clients | `CreateKeyRequest.team` |"),
        "{md}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&render::json(&report, Version::parse("0.1.0"))).unwrap();
    assert_eq!(json["required_version"], "0.2.0");
    assert_eq!(
        json["entries"].as_array().unwrap().len(),
        report.entries.len()
    );
    assert_eq!(report, diff(&model(BASE), &new));
}
