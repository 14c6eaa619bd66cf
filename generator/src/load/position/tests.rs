use super::{Lines, Wanted, position, scan};
use serde_json::Value;

#[test]
fn finds_yaml_and_json_keys() {
    let yaml = "a:\n  b:\n    type: x\n  c: {d: 1}\n";
    assert_eq!(position(yaml, "#/a/b/type"), Some((3, 5)));
    assert_eq!(position(yaml, "#/a/c/d"), Some((4, 7)));
    let json = "{\"a\": {\"b\": {\"type\": 1}}}";
    assert_eq!(position(json, "#/a/b/type"), Some((1, 14)));
    assert_eq!(position(yaml, "#/a/zz"), None);
    // `c` exists, but not under `b`: no position rather than a wrong one.
    assert_eq!(position(yaml, "#/a/b/c"), None);
    let list = "s:\n  A:\n    allOf:\n    - x: 1\n    - y: 2\n  B:\n    y: 3\n";
    assert_eq!(position(list, "#/s/A/allOf/1/y"), Some((5, 7)));
    assert_eq!(position(list, "#/s/B/y"), Some((7, 5)));
    // A list index is the item itself.
    assert_eq!(position(list, "#/s/A/allOf/1"), Some((5, 7)));
    assert_eq!(position(list, "#/s/A/allOf/2"), None);
    // A deeper key of the same name before the direct child is skipped.
    let nested = "a:\n  b:\n    c: 1\n  c: 2\n";
    assert_eq!(position(nested, "#/a/c"), Some((4, 3)));
    let json = "{\n  \"a\": {\n    \"b\": {\"c\": 1},\n    \"c\": 2\n  }\n}";
    assert_eq!(position(json, "#/a/c"), Some((4, 5)));
    assert_eq!(position(json, "#"), None);
}

/// Flow-style list items are counted: each parameter's key is on its own line.
#[test]
fn flow_items_are_told_apart() {
    let yaml = "paths:\n  /q:\n    get:\n      parameters:\n        \
                - {name: a, in: query, style: form, explode: false}\n        \
                - {name: b, in: query, style: pipeDelimited}\n        \
                - {name: c, in: query, schema: {type: array, items: {type: string}}, style: x}\n";
    let p = "#/paths/~1q/get/parameters";
    assert_eq!(position(yaml, &format!("{p}/0/explode")), Some((5, 45)));
    assert_eq!(position(yaml, &format!("{p}/1/style")), Some((6, 32)));
    assert_eq!(position(yaml, &format!("{p}/2/style")), Some((7, 78)));
    assert_eq!(
        position(yaml, &format!("{p}/2/schema/items/type")),
        Some((7, 62))
    );
    assert_eq!(position(yaml, &format!("{p}/1")), Some((6, 11)));
    // The same in JSON on one line.
    let json = r#"{"paths": {"/q": {"get": {"parameters": [{"name": "a", "style": "form"}, {"name": "b", "style": "x"}]}}}}"#;
    assert_eq!(position(json, &format!("{p}/1/style")), Some((1, 88)));
}

/// Scalars that look like structure are skipped: block scalars, multi-line quoted and
/// plain scalars, comments, anchors and tags.
#[test]
fn skips_scalars_that_look_like_keys() {
    let yaml = "a:\n  d: |\n    b: no\n    - no\n  e: \"x\n    b: no\"\n  f: plain\n    b: no\n  # b: no\n  g: &anchor !!map\n    b: yes\n  'q''k': {\"x y\": [1, {b: 2}]}\n";
    assert_eq!(position(yaml, "#/a/g/b"), Some((11, 5)));
    assert_eq!(position(yaml, "#/a/b"), None);
    assert_eq!(position(yaml, "#/a/q'k/x y/1/b"), Some((12, 24)));
    assert_eq!(position(yaml, "#/a/q'k"), Some((12, 3)));
    // A sequence at the indentation of its key, and keys with `~` and `/` in them.
    let yaml = "tags:\n- name: x\n- name: y\npaths:\n  /a~b:\n    get: {}\n";
    assert_eq!(position(yaml, "#/tags/1/name"), Some((3, 3)));
    assert_eq!(position(yaml, "#/paths/~1a~0b/get"), Some((6, 5)));
    // Multi-byte characters count as one column.
    let yaml = "a: {é: 1, b: 2}\n";
    assert_eq!(position(yaml, "#/a/b"), Some((1, 11)));
}

/// Every key of every corpus document is found where it is, in one scan.
#[test]
fn every_key_of_the_corpus_is_found() {
    let dirs = ["specs", "specs2", "fragments"];
    // `../shared` next to the repository, as every corpus step finds it.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    assert!(
        root.is_dir(),
        "the shared corpus is missing: {}",
        root.display()
    );
    let mut checked = 0;
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(ext, "yaml" | "yml" | "json") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue; // not UTF-8: refused by the loader
            };
            let Ok(doc) = serde_yaml::from_str::<Value>(&text) else {
                continue;
            };
            let mut pointers = Vec::new();
            keys(&doc, "#".to_owned(), &mut pointers);
            let mut wanted = Wanted::default();
            let nodes: Vec<_> = pointers.iter().map(|(p, _)| wanted.add(p)).collect();
            let found = scan::scan(&text, &wanted);
            let mut missing = 0;
            for ((pointer, key), node) in pointers.iter().zip(nodes) {
                let Some(at) = found[node.unwrap()] else {
                    missing += 1;
                    continue;
                };
                let here = text[at..].trim_start_matches(['"', '\'']);
                assert!(
                    here.starts_with(key.as_str()) || text[at..].starts_with('\''),
                    "{}: {pointer} placed at {:?}: {:?}",
                    path.display(),
                    Lines::new(&text).place(at),
                    &text[at..(at + 40).min(text.len())]
                );
            }
            // Keys reached through aliases (`*a`, `<<`) have no place of their own.
            assert!(
                missing * 100 <= pointers.len(),
                "{}: {missing} of {} keys not found",
                path.display(),
                pointers.len()
            );
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} corpus documents checked");
}

/// Pointers of every key in `v` with the key's text (plain keys only: escapes differ).
fn keys(v: &Value, at: String, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                if !k.contains(['\\', '"', '\'', '\n']) {
                    out.push((p.clone(), k.clone()));
                }
                keys(v, p, out);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                keys(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Issue 17: the warnings of flow-style parameters each name their own line and column.
#[test]
fn warnings_of_flow_style_parameters_point_at_their_own_lines() {
    let lines = [
        "openapi: 3.0.3",
        "info: {title: T, version: '1'}",
        "paths:",
        "  /q:",
        "    get:",
        "      operationId: q",
        "      parameters:",
        "        - {name: a, in: query, schema: {type: string, minLength: -1}}",
        "        - {name: bb, in: query, schema: {type: string, minLength: -1}}",
        "        - {name: ccc, in: query, schema: {type: string, minLength: -1}}",
        "      responses: {'204': {description: done}}",
    ];
    let yaml = lines.join("\n") + "\n";
    let (_, warnings) = crate::build_model(&yaml, "t.yaml", &Default::default()).unwrap();
    let places: Vec<_> = warnings
        .iter()
        .map(|w| (w.pointer.clone(), w.line, w.column))
        .collect();
    let expected: Vec<_> = (0..3)
        .map(|i| {
            let line = lines[7 + i];
            (
                format!("#/paths/~1q/get/parameters/{i}/schema/minLength"),
                Some(8 + i),
                Some(line.find("minLength").unwrap() + 1),
            )
        })
        .collect();
    assert_eq!(places, expected);
}
