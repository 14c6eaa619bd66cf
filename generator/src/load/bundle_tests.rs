//! Tests of the bundler on `tests/fixtures/split/`.

use std::path::{Path, PathBuf};

use crate::load::Source;

fn split() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/split")
}

fn bundled(root: &Path, ref_root: Option<&Path>) -> crate::Result<serde_json::Value> {
    let mut source = Source::files(root, ref_root)?;
    Ok(source.take_document())
}

#[test]
fn split_document_is_bundled_with_readable_names() {
    let doc = bundled(&split().join("api/root.yaml"), None).expect("bundles");
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    let names: Vec<&str> = schemas.keys().map(String::as_str).collect();
    // The root's own first (`Owner` in place), then in the order first met: the root, then
    // each hoisted schema in turn.
    assert_eq!(names, ["Owner", "Tag", "Pet", "Error", "Error_2", "Kind"]);
    // The cycle across files: Pet → Owner → Pet.
    assert_eq!(
        schemas["Pet"]["properties"]["owner"]["$ref"],
        "#/components/schemas/Owner"
    );
    assert_eq!(
        schemas["Owner"]["properties"]["pets"]["items"]["$ref"],
        "#/components/schemas/Pet"
    );
    // A reference back into the root file stays a local one.
    assert_eq!(
        schemas["Pet"]["properties"]["tags"]["items"]["$ref"],
        "#/components/schemas/Tag"
    );
    assert_eq!(schemas["Error_2"]["properties"]["code"]["type"], "integer");
    // Non-schema references are copied in place.
    assert_eq!(doc["paths"]["/pets"]["get"]["operationId"], "listPets");
    assert_eq!(
        doc["paths"]["/pets"]["get"]["parameters"][0]["name"],
        "limit"
    );
}

#[test]
fn split_document_generates_and_is_deterministic() {
    let root = split().join("api/root.yaml");
    let options = crate::Options::default();
    let a = crate::generate_path(&root, None, &options).expect("generates");
    let b = crate::generate_path(&root, None, &options).expect("generates");
    assert_eq!(a.files, b.files);
    assert!(a.files.values().any(|f| f.contains("pub struct Pet")));
    assert!(a.files.values().any(|f| f.contains("pub struct Error2")));
}

#[test]
fn warnings_name_the_file_line_and_column() {
    let dir = std::env::temp_dir().join(format!("openapi-gen-split-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("s")).unwrap();
    std::fs::write(
        dir.join("root.yaml"),
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: s/a.yaml\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("s/a.yaml"),
        "type: object\nproperties:\n  b:\n    $ref: b.json\n  c:\n    $ref: b.json\n    description: {$ref: nope.yaml}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("s/b.json"),
        "{\n  \"type\": \"object\",\n  \"propertyNames\": {\"pattern\": \"^a\"}\n}\n",
    )
    .unwrap();
    // A reference among a reference's siblings is resolved too (here: refused).
    let e = crate::generate_path(&dir.join("root.yaml"), None, &crate::Options::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("s/a.yaml#/properties/c/description/$ref:"),
        "{e}"
    );
    std::fs::write(
        dir.join("s/a.yaml"),
        "type: object\nproperties:\n  b:\n    $ref: b.json\n",
    )
    .unwrap();
    let g = crate::generate_path(&dir.join("root.yaml"), None, &crate::Options::default())
        .expect("generates");
    let w = &g.warnings[0];
    assert_eq!(w.pointer, "s/b.json#/propertyNames");
    assert_eq!((w.line, w.column), (Some(3), Some(3)));
    // Editing a referenced file changes the output (so `--check` sees the drift).
    std::fs::write(dir.join("s/b.json"), "{\"type\": \"string\"}").unwrap();
    let h = crate::generate_path(&dir.join("root.yaml"), None, &crate::Options::default())
        .expect("generates");
    assert_ne!(g.files, h.files);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_reference_leaving_the_reference_root_is_refused() {
    let root = split().join("outside-ref/root.yaml");
    let e = bundled(&root, None).unwrap_err().to_string();
    assert!(e.contains("--ref-root"), "{e}");
    assert!(e.contains("line 15, column 17"), "{e}");
    assert!(
        e.starts_with("#/paths/~1things/get/responses/200/content/application~1json/schema/$ref:"),
        "{e}"
    );
    // Widened, it is read.
    let doc = bundled(&root, Some(&split())).expect("bundles");
    assert!(doc["components"]["schemas"].get("Thing").is_some());
}

#[test]
fn a_remote_reference_is_refused() {
    let e = bundled(&split().join("remote-ref/root.yaml"), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("remote") && e.contains("network"), "{e}");
    assert!(e.contains("line 15"), "{e}");
}

#[test]
fn a_missing_file_or_pointer_is_located() {
    let dir = std::env::temp_dir().join(format!("openapi-gen-missing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let root = dir.join("root.yaml");
    let text = |r: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b:\n          $ref: '{r}'\n"
        )
    };
    std::fs::write(&root, text("nope.yaml")).unwrap();
    let e = bundled(&root, None).unwrap_err().to_string();
    assert!(
        e.contains("nope.yaml") && e.contains("line 10, column 11"),
        "{e}"
    );
    std::fs::write(dir.join("other.yaml"), "X: {type: string}\n").unwrap();
    std::fs::write(&root, text("other.yaml#/Y")).unwrap();
    let e = bundled(&root, None).unwrap_err().to_string();
    assert!(e.contains("other.yaml has no `#/Y`"), "{e}");
    // A cycle of references that are not schemas cannot be bundled.
    std::fs::write(
        &root,
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    $ref: p.yaml\n",
    )
    .unwrap();
    std::fs::write(dir.join("p.yaml"), "$ref: q.yaml\n").unwrap();
    std::fs::write(dir.join("q.yaml"), "$ref: p.yaml\n").unwrap();
    let e = bundled(&root, None).unwrap_err().to_string();
    assert!(e.contains("cycle"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn swagger_2_0_split_document() {
    let dir = split().join("../../../../shared/corpus/specs2/oai-v2-petstore-separate");
    if !dir.is_dir() {
        return;
    }
    let root = dir.join("spec/swagger.yaml");
    assert!(
        bundled(&root, None)
            .unwrap_err()
            .to_string()
            .contains("--ref-root")
    );
    let doc = bundled(&root, Some(&dir)).expect("bundles");
    assert!(doc["definitions"].get("Error").is_some());
    crate::build_model_path(&root, Some(&dir), &crate::Options::default()).expect("builds");
}

/// A cloud vendor's layout: the document reaches a shared `common-types` folder five levels
/// up, allowed by widening the reference root.
#[test]
fn common_types_five_levels_up() {
    let cloud = split().join("cloud");
    let root = cloud.join("service/resource-manager/Microsoft.Thing/stable/2020-01-01/thing.json");
    let e = bundled(&root, None).unwrap_err().to_string();
    assert!(
        e.contains("--ref-root") && e.contains("thing.json line 22, column 12"),
        "{e}"
    );
    let doc = bundled(&root, Some(&cloud)).expect("bundles");
    let names: Vec<&String> = doc["definitions"].as_object().unwrap().keys().collect();
    assert_eq!(
        names,
        [
            "Thing",
            "ThingProperties",
            "SmallThingProperties",
            "ErrorResponse",
            "Resource",
            "ErrorDetail"
        ]
    );
    let g =
        crate::generate_path(&root, Some(&cloud), &crate::Options::default()).expect("generates");
    assert!(g.warnings.is_empty(), "{:?}", g.warnings);
    let ops = &g.files["operations.rs"];
    // The `x-ms-paths` query became a parameter: no `?` in the path.
    assert!(!ops.contains("?action"), "{ops}");
}
