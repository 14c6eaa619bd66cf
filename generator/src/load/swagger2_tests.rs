//! Unit tests of the Swagger 2.0 converter, and the pairs test: the same API written in 2.0
//! and in 3.0 gives the same crate.

use std::path::PathBuf;

use serde_json::{Value, json};

use super::swagger2::convert;
use crate::WarningKind;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// A minimal 2.0 document around `paths` and `extra` top-level keys.
fn doc(paths: Value, extra: Value) -> Value {
    let mut d = json!({"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": paths});
    for (k, v) in extra.as_object().expect("a mapping") {
        d[k] = v.clone();
    }
    d
}

fn converted(mut d: Value) -> (Value, super::swagger2::Converted) {
    let c = convert(&mut d).expect("converts");
    (d, c)
}

#[test]
fn pairs_give_the_same_crate() {
    let dir = fixtures().join("swagger2");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect("fixture");
    let options = crate::Options::default();
    let v2 = crate::generate_with(&read("pair-v2.yaml"), "pair-v2.yaml", &options)
        .expect("the 2.0 document generates");
    let v3 = crate::generate_with(&read("pair-v3.yaml"), "pair-v3.yaml", &options)
        .expect("the 3.0 document generates");
    assert_eq!(
        v2.files.keys().collect::<Vec<_>>(),
        v3.files.keys().collect::<Vec<_>>()
    );
    for (name, text) in &v3.files {
        let other = &v2.files[name];
        if other != text {
            let line = other
                .lines()
                .zip(text.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "{name} differs at line {}:\n2.0: {:?}\n3.0: {:?}",
                line + 1,
                other.lines().nth(line),
                text.lines().nth(line)
            );
        }
    }
    assert_eq!(
        v2.warnings
            .iter()
            .map(|w| (w.kind, &w.message))
            .collect::<Vec<_>>(),
        v3.warnings
            .iter()
            .map(|w| (w.kind, &w.message))
            .collect::<Vec<_>>(),
    );
}

#[test]
fn servers_from_host_base_path_and_schemes() {
    let (d, c) = converted(doc(
        json!({}),
        json!({"host": "h.example", "basePath": "/api/", "schemes": ["http", "https"]}),
    ));
    assert_eq!(
        d["servers"],
        json!([{"url": "http://h.example/api"}, {"url": "https://h.example/api"}])
    );
    assert!(c.warnings.is_empty());
    assert_eq!(d["openapi"], "3.0.3");
    assert!(d.get("swagger").is_none() && d.get("host").is_none());
    // No schemes: https, with a warning at `host`.
    let (d, c) = converted(doc(json!({}), json!({"host": "h.example"})));
    assert_eq!(d["servers"], json!([{"url": "https://h.example"}]));
    assert_eq!(c.warnings[0].kind, WarningKind::MissingKey);
    assert_eq!(c.warnings[0].pointer, "#/host");
    // No host: the base path alone.
    let (d, _) = converted(doc(json!({}), json!({"basePath": "/v2"})));
    assert_eq!(d["servers"], json!([{"url": "/v2"}]));
}

#[test]
fn body_form_and_file_parameters_become_request_bodies() {
    let paths = json!({
        "/a": {"post": {
            "consumes": ["application/json", "application/xml"],
            "parameters": [{"name": "b", "in": "body", "required": true,
                            "schema": {"$ref": "#/definitions/B"}}],
            "responses": {"200": {"description": "ok"}}
        }},
        "/f": {"post": {
            "parameters": [
                {"name": "file", "in": "formData", "type": "file", "required": true},
                {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"},
                 "collectionFormat": "multi"}
            ],
            "responses": {"200": {"description": "ok"}}
        }},
        "/u": {"post": {
            "parameters": [{"name": "n", "in": "formData", "type": "string"}],
            "responses": {"200": {"description": "ok"}}
        }}
    });
    let (d, _) = converted(doc(
        paths,
        json!({"definitions": {"B": {"type": "object"}}}),
    ));
    let body = &d["paths"]["/a"]["post"]["requestBody"];
    assert_eq!(body["required"], true);
    assert_eq!(
        body["content"]["application/xml"]["schema"]["$ref"],
        "#/components/schemas/B"
    );
    assert_eq!(body["x-codegen-request-body-name"], "b");
    assert!(d["paths"]["/a"]["post"].get("parameters").is_none());
    let form = &d["paths"]["/f"]["post"]["requestBody"]["content"]["multipart/form-data"];
    assert_eq!(
        form["schema"]["properties"]["file"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(form["schema"]["required"], json!(["file"]));
    assert_eq!(
        form["encoding"]["tags"],
        json!({"style": "form", "explode": true})
    );
    let urlencoded = &d["paths"]["/u"]["post"]["requestBody"]["content"];
    assert!(
        urlencoded
            .get("application/x-www-form-urlencoded")
            .is_some()
    );
}

#[test]
fn collection_formats_become_styles() {
    let param = |f: &str, location: &str| {
        json!({"name": "p", "in": location, "type": "array", "items": {"type": "string"},
               "collectionFormat": f, "required": true})
    };
    let paths = json!({"/x/{p}": {"get": {
        "parameters": [
            param("csv", "query"), param("ssv", "query"), param("pipes", "query"),
            param("multi", "query"), param("tsv", "query"), param("csv", "path"),
            param("pipes", "header")
        ],
        "responses": {"200": {"description": "ok"}}
    }}});
    let (d, c) = converted(doc(paths, json!({})));
    let ps = d["paths"]["/x/{p}"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let style = |i: usize| (ps[i].get("style").cloned(), ps[i].get("explode").cloned());
    assert_eq!(style(0), (Some(json!("form")), Some(json!(false))));
    assert_eq!(
        style(1),
        (Some(json!("spaceDelimited")), Some(json!(false)))
    );
    assert_eq!(style(2), (Some(json!("pipeDelimited")), Some(json!(false))));
    assert_eq!(style(3), (Some(json!("form")), Some(json!(true))));
    assert_eq!(style(5), (None, None));
    assert_eq!(ps[4]["x-collectionFormat"], "tsv");
    assert_eq!(ps[6]["x-collectionFormat"], "pipes");
    assert_eq!(ps[0]["schema"]["items"], json!({"type": "string"}));
    let pointers: Vec<&str> = c.warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "#/paths/~1x~1{p}/get/parameters/4/collectionFormat",
            "#/paths/~1x~1{p}/get/parameters/6/collectionFormat"
        ]
    );
    assert!(c.warnings[0].message.contains("tsv"));
}

#[test]
fn parameterized_host_becomes_server_variables() {
    let (d, c) = converted(doc(
        json!({}),
        json!({
            "host": "ignored.example",
            "basePath": "/v1",
            "x-ms-parameterized-host": {
                "hostTemplate": "{account}.{suffix}",
                "parameters": [
                    {"$ref": "#/parameters/Account"},
                    {"name": "suffix", "in": "path", "type": "string", "default": "example.net"}
                ]
            },
            "parameters": {"Account": {"name": "account", "in": "path", "type": "string",
                                       "required": true}}
        }),
    ));
    assert_eq!(
        d["servers"],
        json!([{"url": "https://{account}.{suffix}/v1", "variables": {
            "account": {"default": ""},
            "suffix": {"default": "example.net"}
        }}])
    );
    assert_eq!(c.warnings.len(), 1);
    assert_eq!(
        c.warnings[0].pointer,
        "#/x-ms-parameterized-host/parameters/0"
    );
}

#[test]
fn security_definitions_become_schemes() {
    let (d, c) = converted(doc(
        json!({}),
        json!({"securityDefinitions": {
            "b": {"type": "basic"},
            "k": {"type": "apiKey", "in": "query", "name": "key"},
            "i": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a", "scopes": {}},
            "p": {"type": "oauth2", "flow": "password", "tokenUrl": "https://t", "scopes": {"r": "read"}},
            "c": {"type": "oauth2", "flow": "application", "tokenUrl": "https://t", "scopes": {}},
            "x": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a",
                  "tokenUrl": "https://t", "scopes": {}}
        }}),
    ));
    let s = &d["components"]["securitySchemes"];
    assert_eq!(s["b"], json!({"type": "http", "scheme": "basic"}));
    assert_eq!(
        s["k"],
        json!({"type": "apiKey", "in": "query", "name": "key"})
    );
    assert_eq!(s["i"]["flows"]["implicit"]["authorizationUrl"], "https://a");
    assert_eq!(s["p"]["flows"]["password"]["scopes"]["r"], "read");
    assert_eq!(
        s["c"]["flows"]["clientCredentials"]["tokenUrl"],
        "https://t"
    );
    assert_eq!(
        s["x"]["flows"]["authorizationCode"]["tokenUrl"],
        "https://t"
    );
    assert!(c.warnings.is_empty());
}

#[test]
fn schemas_responses_and_refs() {
    let paths = json!({"/a": {"get": {
        "produces": ["application/json", "text/csv"],
        "responses": {
            "200": {
                "description": "ok",
                "schema": {"$ref": "#/definitions/A"},
                "headers": {"X-N": {"type": "integer"}},
                "examples": {"application/json": {"n": 1}}
            },
            "404": {"$ref": "#/responses/Missing"}
        }
    }}});
    let (d, _) = converted(doc(
        paths,
        json!({
            "definitions": {
                "A": {"type": "object", "discriminator": "kind",
                      "properties": {"kind": {"type": "string"},
                                     "n": {"type": "integer", "x-nullable": true},
                                     "f": {"type": "file"}}}
            },
            "responses": {"Missing": {"description": "gone"}}
        }),
    ));
    let ok = &d["paths"]["/a"]["get"]["responses"]["200"];
    assert_eq!(
        ok["content"]["text/csv"]["schema"]["$ref"],
        "#/components/schemas/A"
    );
    assert_eq!(
        ok["content"]["application/json"]["example"],
        json!({"n": 1})
    );
    assert_eq!(ok["headers"]["X-N"], json!({"schema": {"type": "integer"}}));
    assert_eq!(
        d["paths"]["/a"]["get"]["responses"]["404"]["$ref"],
        "#/components/responses/Missing"
    );
    let a = &d["components"]["schemas"]["A"];
    assert_eq!(a["discriminator"], json!({"propertyName": "kind"}));
    assert_eq!(
        a["properties"]["n"],
        json!({"type": "integer", "nullable": true})
    );
    assert_eq!(
        a["properties"]["f"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(
        d["components"]["responses"]["Missing"],
        json!({"description": "gone"})
    );
}

#[test]
fn parameter_components_and_path_level_bodies() {
    let paths = json!({"/a": {
        "parameters": [{"$ref": "#/parameters/Body"}, {"$ref": "#/parameters/Q"}],
        "put": {"responses": {"200": {"description": "ok"}}}
    }});
    let (d, _) = converted(doc(
        paths,
        json!({"parameters": {
            "Body": {"name": "b", "in": "body", "schema": {"type": "string"}},
            "Q": {"name": "q", "in": "query", "type": "string", "allowEmptyValue": true}
        }}),
    ));
    assert_eq!(
        d["paths"]["/a"]["parameters"],
        json!([{"$ref": "#/components/parameters/Q"}])
    );
    assert_eq!(
        d["paths"]["/a"]["put"]["requestBody"]["content"]["application/json"]["schema"],
        json!({"type": "string"})
    );
    assert_eq!(
        d["components"]["parameters"],
        json!({"Q": {"name": "q", "in": "query", "allowEmptyValue": true,
                     "schema": {"type": "string"}}})
    );
}

#[test]
fn ms_discriminator_values_become_a_mapping() {
    let (d, _) = converted(doc(
        json!({}),
        json!({"definitions": {
            "Animal": {"type": "object", "discriminator": "kind", "required": ["kind"],
                       "properties": {"kind": {"type": "string"}}},
            "Cat": {"allOf": [{"$ref": "#/definitions/Animal"}],
                    "x-ms-discriminator-value": "Microsoft.Cat"},
            "Dog": {"allOf": [{"$ref": "#/definitions/Animal"}]}
        }}),
    ));
    assert_eq!(
        d["components"]["schemas"]["Animal"]["discriminator"],
        json!({"propertyName": "kind", "mapping": {
            "Microsoft.Cat": "#/components/schemas/Cat",
            "Dog": "#/components/schemas/Dog"
        }})
    );
}

#[test]
fn x_ms_paths_join_the_paths() {
    let get = json!({"get": {"responses": {}}});
    let (d, c) = converted(doc(
        json!({"/a": {"put": {"responses": {}}}, "/c": get}),
        json!({"x-ms-paths": {
            "/a?op=b&flag": {"parameters": [{"name": "x", "in": "header", "type": "string"}],
                             "get": {"responses": {}}},
            "/c?op=d": get,
            "/e": {}
        }}),
    ));
    let keys: Vec<&String> = d["paths"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["/a", "/c", "/c?op=d", "/e"]);
    // The query's pairs are required parameters of one value.
    assert_eq!(
        d["paths"]["/a"]["get"]["parameters"],
        json!([
            {"name": "x", "in": "header", "schema": {"type": "string"}},
            {"name": "op", "in": "query", "required": true,
             "schema": {"type": "string", "enum": ["b"]}},
            {"name": "flag", "in": "query", "required": true, "allowEmptyValue": true,
             "schema": {"type": "string", "enum": [""]}}
        ])
    );
    assert!(d["paths"]["/a"].get("put").is_some());
    // `/c` already has a `get`: kept under its key, with a warning there.
    assert_eq!(c.warnings.len(), 1);
    assert_eq!(c.warnings[0].pointer, "#/x-ms-paths/~1c?op=d");
}

#[test]
fn what_has_no_3_0_form_is_warned_where_it_stands() {
    let paths = json!({"/a": {"post": {
        "parameters": [
            {"name": "a", "in": "body", "schema": {"type": "string"}},
            {"name": "b", "in": "body", "schema": {"type": "string"}},
            {"name": "f", "in": "formData", "type": "string"}
        ],
        "responses": {"200": {"description": "ok"}}
    }}, "/f": {"post": {
        "parameters": [{"name": "f", "in": "formData", "type": "string", "allowEmptyValue": true},
                       {"name": "n", "in": "formData", "type": "array", "collectionFormat": "csv",
                        "items": {"type": "array", "collectionFormat": "pipes",
                                  "items": {"type": "string"}}}],
        "responses": {"200": {"description": "ok"}}
    }}});
    let (_, c) = converted(doc(paths, json!({})));
    let got: Vec<(WarningKind, &str)> = c
        .warnings
        .iter()
        .map(|w| (w.kind, w.pointer.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (WarningKind::StrayKey, "#/paths/~1a/post/parameters/1"),
            (WarningKind::StrayKey, "#/paths/~1a/post/parameters/2"),
            (
                WarningKind::UnsupportedKeyword,
                "#/paths/~1f/post/parameters/0/allowEmptyValue"
            ),
            (
                WarningKind::UnsupportedKeyword,
                "#/paths/~1f/post/parameters/1/items/collectionFormat"
            ),
        ]
    );
}

#[test]
fn other_swagger_versions_are_refused() {
    let mut d = json!({"swagger": "1.2", "info": {}});
    let e = convert(&mut d).unwrap_err().to_string();
    assert!(e.starts_with("#/swagger:"), "{e}");
}

/// Warnings of the later stages point into the 2.0 document, with line and column.
#[test]
fn later_warnings_point_into_the_2_0_text() {
    let text = "swagger: '2.0'\ninfo:\n  title: T\n  version: '1'\npaths: {}\ndefinitions:\n  A:\n    type: object\n    propertyNames:\n      pattern: '^a'\n";
    let g = crate::generate_with(text, "t.yaml", &crate::Options::default()).expect("generates");
    let w = g
        .warnings
        .iter()
        .find(|w| w.pointer.contains("propertyNames"))
        .expect("a warning");
    assert_eq!(w.pointer, "#/definitions/A/propertyNames");
    assert_eq!((w.line, w.column), (Some(9), Some(5)));
}

/// Every Swagger 2.0 document of the shared corpus converts and builds a model.
#[test]
fn shared_swagger2_documents_build() {
    let dir = fixtures().join("../../../shared/corpus/specs2");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return; // the shared corpus is not on this machine
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    files.sort();
    for f in files {
        crate::build_model_path(&f, None, &crate::Options::default())
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
    }
}
