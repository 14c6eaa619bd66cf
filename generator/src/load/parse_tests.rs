//! Text → value (`parse.rs`, `flow_depth.rs`): YAML merge keys, syntax errors with their
//! place, flow nesting refused before parsing, errors the parser leaves unplaced.

use openapiv3::{ReferenceOr, SchemaKind, Type};

use super::flow_depth::flow_too_deep;
use super::*;

#[test]
fn yaml_merge_keys_are_applied() {
    let yaml = "\
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Base: &base {type: object, properties: {id: {type: string}}}
    Child:
      <<: *base
      description: child
";
    let loaded = load_str(yaml, "m.yaml").unwrap_or_else(|e| panic!("{e}"));
    let ReferenceOr::Item(child) = &loaded.openapi.components.unwrap().schemas["Child"] else {
        panic!()
    };
    assert!(
        matches!(&child.schema_kind, SchemaKind::Type(Type::Object(o)) if o.properties.contains_key("id"))
    );
}

#[test]
fn syntax_errors_have_line_and_column() {
    let err = load_str("openapi: 3.1.0\ninfo: [unclosed\n", "bad.yaml").unwrap_err();
    assert!(
        matches!(
            err,
            Error::Syntax {
                format: "YAML",
                line: 3,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "bad.yaml: invalid YAML at line 3, column 1: did not find expected ',' or ']', \
         while parsing a flow sequence at line 2 column 7"
    );
    let err = load_str("{\"openapi\": \"3.1.0\",\n  \"info\": }", "bad.json").unwrap_err();
    assert_eq!(
        err.to_string(),
        "bad.json: invalid JSON at line 2, column 11: expected value"
    );
}

#[test]
fn deep_yaml_flow_nesting_is_rejected_before_parsing() {
    let deep = format!("openapi: 3.1.0\nx-deep:\n  {}\n", "[".repeat(100_000));
    let started = std::time::Instant::now();
    let err = load_str(&deep, "deep.yaml").unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert_eq!(
        err.to_string(),
        "deep.yaml: invalid YAML at line 3, column 163: flow collections (`[`, `{`) are nested \
         more than 160 levels deep"
    );
    // Brackets in scalars, comments and block scalars are not nesting.
    let text = r#"
a: see [1 [2 [3 [4
b: '[[[[ it''s [['
c: "[[[[\"[[["
# [[[[[
d: |
  [[[[[
  {{{{
e:
  - >-
      [[[[
  - x[[[[
f: &anchor [[[1]]]
g: !tag {a: {b: [c]}}
h: key:[[[[
"#;
    assert_eq!(flow_too_deep(text, 3), None);
    assert_eq!(flow_too_deep("f: &anchor [[[[1]]]]", 3), Some((1, 15)));
    assert_eq!(flow_too_deep("- - {a: [{b: [1]}]}", 3), Some((1, 14)));
    assert_eq!(flow_too_deep("a: |\n  [[[[\nb: [[[[", 3), Some((3, 7)));
    let spec = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/openrouter.yaml"
    ))
    .unwrap();
    assert_eq!(flow_too_deep(&spec, 4), None);
}

/// A document large enough to be split over threads (`split.rs`), with flow collections
/// nested deeper than the parser may recurse: the split parse leaves it to the whole text's
/// check, which reports the place.
#[test]
fn deep_flow_nesting_in_a_split_document_is_placed() {
    let deep = format!("a: 1\nb: {}{}\n", "[".repeat(200), "]".repeat(200));
    let padded = format!("{deep}\n#{}\n", "x".repeat(split::MIN_SPLIT));
    assert!(matches!(
        parse::parse_once(&padded, "deep.yaml"),
        Err(crate::Error::Syntax { line: 2, .. })
    ));
}

#[test]
fn yaml_errors_without_a_place_still_get_one() {
    let err = load_str("openapi: 3.1.0\n---\nopenapi: 3.0.0\n", "two.yaml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "two.yaml: invalid YAML at line 2, column 1: deserializing from YAML containing more \
         than one document is not supported"
    );
    let err = load_str(
        "openapi: 3.1.0\nx-a: &a {type: string}\ncomponents:\n  schemas:\n    C:\n      <<: 5\n",
        "merge.yaml",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "#/components/schemas/C/<<: a merge key `<<` needs a mapping or a list of mappings, \
         not a scalar"
    );
    let err = load_str("x-a: &a {a: 1}\nx-b:\n  <<: [*a, [1]]\n", "merge.yaml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "#/x-b/<<: a merge key `<<` needs a mapping or a list of mappings, not a list holding \
         a list"
    );
    let mut bomb = String::from("x-0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!(
            "x-{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let err = load_str(&bomb, "bomb.yaml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "bomb.yaml: invalid YAML at line 2, column 11: repetition limit exceeded"
    );
}
