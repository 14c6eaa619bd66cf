//! Fixed hostile inputs: nesting far beyond the parsers' limit of 128 and at the loader's
//! schema nesting limit of 32 in every position, alias bombs, merge keys, odd keys, cyclic
//! and exponential `$ref`s…, aimed at the limits of every stage (see `fuzz/mod.rs` for what
//! every case must satisfy and its bounds). Regression cases (`regression: …`) are valid
//! specs and must generate.

mod fuzz;

use std::time::{Duration, Instant};

use fuzz::deep::{Deep, deep_text};
use fuzz::{Outcome, check};

/// A minimal valid document with `schema` as the one component schema `A`, in JSON.
fn with_schema_json(schema: &str) -> String {
    format!(
        r#"{{"openapi":"3.1.0","info":{{"title":"t","version":"1"}},"paths":{{}},"components":{{"schemas":{{"A":{schema}}}}}}}"#
    )
}

/// A minimal valid document with `schema` as the response body of `GET /a`, itself inside
/// `callbacks` levels of nested callbacks.
fn with_response_schema_json(schema: &str, callbacks: usize) -> String {
    let mut item = format!(
        r#"{{"get":{{"responses":{{"200":{{"description":"ok","content":{{"application/json":{{"schema":{schema}}}}}}}}}}}}}"#
    );
    for i in 0..callbacks {
        item = format!(
            r#"{{"post":{{"operationId":"cb{i}","responses":{{"204":{{"description":"ok"}}}},"callbacks":{{"c":{{"{{$request.body#/u}}":{item}}}}}}}}}"#
        );
    }
    format!(r#"{{"openapi":"3.1.0","info":{{"title":"t","version":"1"}},"paths":{{"/a":{item}}}}}"#)
}

/// `depth` levels of `shape` with a `[[…]]` example `example_depth` deep innermost.
fn deep_with_example(shape: Deep, depth: usize, example_depth: usize) -> String {
    let example = format!(
        r#"{{"type":"array","items":{{}},"example":{}{}}}"#,
        "[".repeat(example_depth),
        "]".repeat(example_depth)
    );
    deep_text(shape, depth).replacen(
        match shape {
            Deep::Items | Deep::AdditionalProperties => r#"{"type":"string"}"#,
            Deep::Properties => r#"{"type":"integer"}"#,
            Deep::AllOf => r#"{"type":"boolean"}"#,
            Deep::AnyOf => r#"{"type":"number"}"#,
            Deep::Array => unreachable!(),
        },
        &example,
        1,
    )
}

/// `depth` schema levels cycling through every nesting keyword.
fn mixed_nesting(depth: usize) -> String {
    let opens = [
        r#"{"type":"array","items":"#,
        r#"{"type":"object","additionalProperties":"#,
        r#"{"type":"object","required":["p"],"properties":{"p":"#,
        r#"{"allOf":[{"type":"object","properties":{"q":{"type":"string"}}},"#,
        r#"{"anyOf":[{"type":"null"},"#,
        r#"{"oneOf":[{"type":"string"},"#,
    ];
    let closes = ["}", "}", "}}", "]}", "]}", "]}"];
    let mut s = String::new();
    for i in 0..depth - 1 {
        s.push_str(opens[i % opens.len()]);
    }
    s.push_str(r#"{"type":"integer"}"#);
    for i in (0..depth - 1).rev() {
        s.push_str(closes[i % closes.len()]);
    }
    s
}

/// Block-style YAML nesting `depth` levels of `items`.
fn deep_block_yaml(depth: usize) -> String {
    let mut s = String::from(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n",
    );
    for d in 0..depth {
        let pad = "  ".repeat(3 + d);
        s.push_str(&format!("{pad}type: array\n{pad}items:\n"));
    }
    s.push_str(&format!("{}type: string\n", "  ".repeat(3 + depth)));
    s
}

fn edge_cases() -> Vec<(String, String)> {
    let mut cases: Vec<(String, String)> = Vec::new();
    let mut add = |name: &str, text: String| cases.push((name.to_owned(), text));
    add("empty", String::new());
    add("whitespace", " \n\t\n".into());
    add("comment only", "# nothing\n".into());
    add("null document", "null\n".into());
    add("scalar document", "42\n".into());
    add("list document", "- openapi: 3.1.0\n".into());
    add("json list", "[1, 2]".into());
    add("bom only", "\u{feff}".into());
    add("nul byte", "openapi: 3.1.0\u{0}\n".into());
    add(
        "multi document",
        "openapi: 3.1.0\n---\nopenapi: 3.0.0\n".into(),
    );
    add("unclosed json", "{\"openapi\": \"3.1.0\", ".into());
    add(
        "tagged",
        "openapi: !!binary aGVsbG8=\ninfo: !custom {title: t}\n".into(),
    );
    add(
        "non-string keys",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n        ? [1, 2]\n        : {description: x}\n".into(),
    );
    add(
        "int/bool/null keys",
        "openapi: 3.1.0\ninfo: {title: t, version: 1}\npaths: {}\ncomponents:\n  schemas:\n    1: {type: string}\n    true: {type: string}\n    ~: {type: string}\n    1.5: {type: string}\n".into(),
    );
    add(
        "merge keys",
        "openapi: 3.1.0\ninfo: &i {title: t, version: '1'}\nx-a: &a {type: string}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      <<: *a\n      description: merged\n    B:\n      <<: [*a, *i]\n    C:\n      <<: 5\n".into(),
    );
    add(
        "merge of a merge",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\nx-a: &a {type: object}\nx-b: &b {<<: *a, description: b}\ncomponents:\n  schemas:\n    A: {<<: *b}\n".into(),
    );
    add("undefined alias", "openapi: 3.1.0\ninfo: *nope\n".into());
    // Billion laughs: each level doubles; serde_yaml has a repetition limit.
    let mut bomb = String::from(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\nx-0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..24 {
        bomb.push_str(&format!(
            "x-{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
            p = i - 1
        ));
    }
    add("alias bomb", bomb);
    add(
        "self-referencing anchor",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\nx-a: &a [*a]\n".into(),
    );
    // Nesting far beyond the parsers' limit of 128, and just at it.
    for depth in [100, 127, 128, 129, 2000, 100_000] {
        add(
            &format!("json items depth {depth}"),
            with_schema_json(&deep_text(Deep::Items, depth)),
        );
        add(
            &format!("json properties depth {depth}"),
            with_schema_json(&deep_text(Deep::Properties, depth)),
        );
        add(
            &format!("json allOf depth {depth}"),
            with_schema_json(&deep_text(Deep::AllOf, depth)),
        );
        add(
            &format!("json anyOf depth {depth}"),
            with_schema_json(&deep_text(Deep::AnyOf, depth)),
        );
        add(
            &format!("json example depth {depth}"),
            with_schema_json(&deep_text(Deep::Array, depth)),
        );
        // Flow-style JSON inside a YAML document.
        add(
            &format!("yaml flow items depth {depth}"),
            format!(
                "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    A: {}\n",
                deep_text(Deep::Items, depth)
            ),
        );
        add(
            &format!("yaml bare brackets depth {depth}"),
            "[".repeat(depth),
        );
        add(
            &format!("json bare brackets depth {depth}"),
            format!("{{\"a\":{}", "[".repeat(depth)),
        );
    }
    // The loader's schema nesting limit (32) and just past it, in every position, with the
    // rest of the parser's depth budget spent on an example value.
    let shapes = [
        ("items", Deep::Items),
        ("properties", Deep::Properties),
        ("allOf", Deep::AllOf),
        ("anyOf", Deep::AnyOf),
        ("additionalProperties", Deep::AdditionalProperties),
    ];
    for (shape_name, shape) in shapes {
        for depth in [31, 32, 33] {
            add(
                &format!("component {shape_name} depth {depth}"),
                with_schema_json(&deep_text(shape, depth)),
            );
            add(
                &format!("response {shape_name} depth {depth}"),
                with_response_schema_json(&deep_text(shape, depth), 0),
            );
            add(
                &format!("callback response {shape_name} depth {depth}"),
                with_response_schema_json(&deep_text(shape, depth), 3),
            );
            for example_depth in [20, 40, 60, 120] {
                add(
                    &format!("component {shape_name} depth {depth} + example {example_depth}"),
                    with_schema_json(&deep_with_example(shape, depth, example_depth)),
                );
            }
        }
    }
    for depth in [32, 33] {
        add(
            &format!("component mixed nesting depth {depth}"),
            with_schema_json(&mixed_nesting(depth)),
        );
        add(
            &format!("callback response mixed nesting depth {depth}"),
            with_response_schema_json(&mixed_nesting(depth), 3),
        );
    }
    for callbacks in [10, 20, 28, 30, 31, 40] {
        add(
            &format!("callbacks depth {callbacks}"),
            with_response_schema_json(r#"{"type":"string"}"#, callbacks),
        );
    }
    for depth in [60, 62, 63, 64, 200, 1000] {
        add(
            &format!("yaml block items depth {depth}"),
            deep_block_yaml(depth),
        );
    }
    // Reference cycles of every kind of component.
    add(
        "schema alias cycle",
        with_schema_json(r##"{"$ref":"#/components/schemas/A"}"##),
    );
    add(
        "schema allOf self",
        with_schema_json(r##"{"allOf":[{"$ref":"#/components/schemas/A"}]}"##),
    );
    add("schema ref to root", with_schema_json(r##"{"$ref":"#"}"##));
    add(
        "schema ref to components",
        with_schema_json(r##"{"type":"object","properties":{"c":{"$ref":"#/components"}}}"##),
    );
    for (kind, body) in [
        (
            "parameters",
            r#"{"name":"p","in":"query","schema":{"type":"string"}}"#,
        ),
        ("responses", r#"{"description":"ok"}"#),
        (
            "requestBodies",
            r#"{"content":{"application/json":{"schema":{"type":"string"}}}}"#,
        ),
        ("headers", r#"{"schema":{"type":"string"}}"#),
    ] {
        let use_site = match kind {
            "parameters" => r##""parameters":[{"$ref":"#/components/parameters/X"}],"responses":{"204":{"description":"ok"}}"##.to_owned(),
            "responses" => r##""responses":{"200":{"$ref":"#/components/responses/X"}}"##.to_owned(),
            "requestBodies" => r##""requestBody":{"$ref":"#/components/requestBodies/X"},"responses":{"204":{"description":"ok"}}"##.to_owned(),
            _ => r##""responses":{"200":{"description":"ok","headers":{"H":{"$ref":"#/components/headers/X"}}}}"##.to_owned(),
        };
        let doc = |x: &str, y: &str| {
            format!(
                r#"{{"openapi":"3.1.0","info":{{"title":"t","version":"1"}},"paths":{{"/a":{{"get":{{"operationId":"op",{use_site}}}}}}},"components":{{"{kind}":{{"X":{x},"Y":{y}}}}}}}"#
            )
        };
        let to = |name: &str| format!(r##"{{"$ref":"#/components/{kind}/{name}"}}"##);
        add(&format!("{kind} self ref"), doc(&to("X"), body));
        add(&format!("{kind} two-cycle"), doc(&to("Y"), &to("X")));
        add(&format!("{kind} chain"), doc(&to("Y"), body));
    }
    add(
        "path item self ref",
        r##"{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"/a":{"$ref":"#/paths/~1a"}}}"##.into(),
    );
    add(
        "path item ref to paths",
        r##"{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"/a":{"$ref":"#/paths"}}}"##.into(),
    );
    add(
        "path item ref inside its own callback",
        r##"{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{"responses":{"204":{"description":"ok"}},"callbacks":{"c":{"{$url}":{"$ref":"#/paths/~1a"}}}}}}}"##.into(),
    );
    add(
        "path item ref to a path item with a callback to it",
        r##"{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"/b":{"$ref":"#/paths/~1a"},"/a":{"get":{"responses":{"204":{"description":"ok"}},"callbacks":{"c":{"{$url}":{"$ref":"#/paths/~1b"}}}}}}}"##.into(),
    );
    // Path items that each refer to the next one twice: 2^40 inlinings if unbounded.
    {
        let mut items = Vec::new();
        for i in 0..40 {
            let next = format!(r##"{{"$ref":"#/x-items/p{}"}}"##, i + 1);
            items.push(format!(
                r#""p{i}":{{"get":{{"responses":{{"204":{{"description":"ok"}}}},"callbacks":{{"c":{{"{{$a}}":{next},"{{$b}}":{next}}}}}}}}}"#
            ));
        }
        items.push(r#""p40":{"get":{"responses":{"204":{"description":"ok"}}}}"#.into());
        add(
            "path item ref diamond chain",
            format!(
                r##"{{"openapi":"3.1.0","info":{{"title":"t","version":"1"}},"x-items":{{{}}},"paths":{{"/a":{{"$ref":"#/x-items/p0"}}}}}}"##,
                items.join(",")
            ),
        );
    }
    // Schemas that each use the next one twice (allOf, properties, anyOf): exponential if
    // the model expands them instead of naming them.
    for (how, template) in [
        (
            "allOf",
            r##"{"allOf":[{"$ref":"#/components/schemas/S@"},{"$ref":"#/components/schemas/S@"}]}"##,
        ),
        (
            "properties",
            r##"{"type":"object","properties":{"a":{"$ref":"#/components/schemas/S@"},"b":{"$ref":"#/components/schemas/S@"}}}"##,
        ),
        (
            "anyOf",
            r##"{"anyOf":[{"$ref":"#/components/schemas/S@"},{"type":"object","properties":{"x":{"$ref":"#/components/schemas/S@"}}}]}"##,
        ),
        (
            "inline allOf",
            r##"{"allOf":[{"type":"object","properties":{"p":{"allOf":[{"$ref":"#/components/schemas/S@"}]}}},{"type":"object","properties":{"q":{"allOf":[{"$ref":"#/components/schemas/S@"}]}}}]}"##,
        ),
    ] {
        let mut schemas: Vec<String> = (0..40)
            .map(|i| format!(r#""S{i}":{}"#, template.replace('@', &(i + 1).to_string())))
            .collect();
        schemas.push(r#""S40":{"type":"object","properties":{"leaf":{"type":"string"}}}"#.into());
        add(
            &format!("schema {how} diamond chain"),
            format!(
                r#"{{"openapi":"3.1.0","info":{{"title":"t","version":"1"}},"paths":{{}},"components":{{"schemas":{{{}}}}}}}"#,
                schemas.join(",")
            ),
        );
    }
    // Regressions found by this test (model): valid specs that must generate.
    add(
        "regression: enum value self",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Kind: {type: string, enum: [a, self, Self, SELF]}\n".into(),
    );
    for (how, next) in [
        (
            "property",
            "next: {allOf: [{$ref: '#/components/schemas/Token'}, {type: object, properties: {x: {type: string}}}]}",
        ),
        (
            "ref with siblings",
            "next: {$ref: '#/components/schemas/Token', properties: {x: {type: string}}}",
        ),
        (
            "items",
            "next: {type: array, items: {allOf: [{$ref: '#/components/schemas/Token'}, {type: object, properties: {x: {type: string}}}]}}",
        ),
    ] {
        add(
            &format!("regression: inline allOf naming its component ({how})"),
            format!(
                "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Token:\n      type: object\n      properties:\n        {next}\n"
            ),
        );
    }
    // Huge names and enums.
    add(
        "huge enum",
        with_schema_json(&format!(
            r#"{{"type":"string","enum":[{}]}}"#,
            (0..5_000)
                .map(|i| format!("\"v{i}\""))
                .collect::<Vec<_>>()
                .join(",")
        )),
    );
    add(
        "huge property count",
        with_schema_json(&format!(
            r#"{{"type":"object","properties":{{{}}}}}"#,
            (0..1_000)
                .map(|i| format!("\"p{i}\":{{\"type\":\"string\"}}"))
                .collect::<Vec<_>>()
                .join(",")
        )),
    );
    add(
        "long name",
        with_schema_json(&format!(
            r#"{{"type":"object","properties":{{"{}":{{"type":"string"}}}}}}"#,
            "x".repeat(100_000)
        )),
    );
    cases
}

#[test]
fn edge_texts() {
    let started = Instant::now();
    let mut failures = Vec::new();
    for (name, text) in edge_cases() {
        let file = if text.trim_start().starts_with('{') {
            "edge.json"
        } else {
            "edge.yaml"
        };
        if std::env::var_os("GENERATOR_FUZZ_VERBOSE").is_some() {
            eprintln!("generator_fuzz: edge case `{name}`");
        }
        let t = Instant::now();
        match check(&text, file) {
            Err(why) => failures.push(format!("{name}: {why}")),
            // Regression cases are valid specs: they must generate.
            Ok(outcome) if name.starts_with("regression: ") && !matches!(outcome, Outcome::Ok) => {
                failures.push(format!("{name}: does not generate"));
            }
            Ok(_) => {}
        }
        let took = t.elapsed();
        if took > Duration::from_millis(500) {
            eprintln!("generator_fuzz: edge case `{name}` took {took:?}");
        }
    }
    eprintln!("generator_fuzz: edge cases in {:?}", started.elapsed());
    assert!(
        failures.is_empty(),
        "{} edge cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
