//! Build-time half of `derive_mirror.rs`: the types of every document of [`DOCUMENTS`]
//! twice, once as generated (`ours::dN`, the lean `runtime::Deserialize`) and once with
//! serde's derive (`mirror::dN`), plus the cases to decode through both.
//!
//! The mirror spells our semantics in serde's terms: an optional field (one with
//! `skip_serializing_if`) gets `#[serde(default)]`, and a required field of an `Option` type
//! gets `deserialize_with` a plain `Option` read, so its key must be present, as ours
//! requires. Feature gates are dropped: every type of the document compiles.

use quote::{ToTokens, quote};
use std::fmt::Write as _;
use std::path::Path;

/// Documents whose types are compared, relative to the workspace root: every fixture of
/// `tests/fixtures/ok` and every document of `../shared/corpus/specs` are added to these.
const DOCUMENTS: &[&str] = &["spec/openrouter.yaml"];

/// One struct: its path below `ours`/`mirror`, and its wire keys (name, optional).
struct Struct {
    path: String,
    keys: Vec<(String, bool)>,
    keeps_others: bool,
}

pub fn write(root: &Path, out: &Path) {
    let mut docs: Vec<std::path::PathBuf> = DOCUMENTS.iter().map(|d| root.join(d)).collect();
    let ok = root.join("tests/fixtures/ok");
    println!("cargo:rerun-if-changed={}", ok.display());
    let mut fixtures: Vec<_> = std::fs::read_dir(&ok)
        .expect("tests/fixtures/ok")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fixtures.sort();
    docs.extend(fixtures);
    // The shared corpus, when it is beside the repository; `CORPUS_DOCUMENTS` says how many
    // were compared, and an ignored test (run by CI) fails when there were none.
    let corpus = root.join("../shared/corpus/specs");
    println!("cargo:rerun-if-changed={}", corpus.display());
    let mut corpus_docs: Vec<_> = std::fs::read_dir(&corpus)
        .map(|rd| {
            rd.map(|e| e.expect("dir entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
                .collect()
        })
        .unwrap_or_default();
    corpus_docs.sort();
    let corpus_count = corpus_docs.len();
    docs.extend(corpus_docs);

    let (mut ours, mut mirror, mut cases) = (String::new(), String::new(), String::new());
    cases.push_str("pub static STRUCTS: &[StructCase] = &[\n");
    let mut examples = String::from("pub static EXAMPLES: &[ExampleCase] = &[\n");
    for (n, doc) in docs.iter().enumerate() {
        println!("cargo:rerun-if-changed={}", doc.display());
        let text =
            std::fs::read_to_string(doc).unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
        let name = doc.file_name().unwrap().to_string_lossy().into_owned();
        let files = openapi_gen::generate(&text, &name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let module = format!("d{n}");
        let Some(types) = files.get("types.rs") else {
            continue;
        };
        let file = types_file(types, &files);
        let mut structs = Vec::new();
        collect_structs(&file.items, &module, &mut structs);
        let mirrored = mirror_items(file.items.clone());
        let (o, m) = (&file.items, &mirrored);
        writeln!(ours, "pub mod {module} {{ {} }}", quote!(#(#o)*)).unwrap();
        writeln!(mirror, "pub mod {module} {{ {} }}", quote!(#(#m)*)).unwrap();
        for s in &structs {
            let keys: Vec<String> = s
                .keys
                .iter()
                .map(|(k, o)| format!("({k:?}, {o})"))
                .collect();
            writeln!(
                cases,
                "    StructCase {{ doc: {name:?}, name: {:?}, keys: &[{}], keeps_others: {}, check: check::<ours::{p}, mirror::{p}> }},",
                s.path, keys.join(", "), s.keeps_others, p = s.path
            )
            .unwrap();
        }
        let loaded = openapi_gen::load::load_str(&text, &name).expect("loads");
        for e in openapi_gen::examples::collect(&loaded).expect("converts") {
            let ty = |side: &str| {
                e.rust_type_path
                    .replace("crate::runtime::", "crate::runtime::__KEEP__")
                    .replace("crate::", &format!("{side}::{module}::"))
                    .replace("crate::runtime::__KEEP__", "crate::runtime::")
            };
            let json = serde_json::to_string(&e.json).unwrap();
            writeln!(
                examples,
                "    ExampleCase {{ doc: {name:?}, pointer: {:?}, json: {json:?}, check: check::<{}, {}> }},",
                e.pointer,
                ty("ours"),
                ty("mirror")
            )
            .unwrap();
        }
    }
    cases.push_str("];\n");
    examples.push_str("];\n");
    let all = format!(
        "pub mod ours {{\n{ours}}}\npub mod mirror {{\n{mirror}}}\n{cases}{examples}\
         pub const CORPUS_DOCUMENTS: usize = {corpus_count};\n"
    );
    std::fs::write(out.join("derive_mirror.rs"), all).expect("OUT_DIR is writable");
}

/// `types.rs` with its `mod features_N;` declarations inlined, feature gates dropped.
fn types_file(types: &str, files: &std::collections::BTreeMap<String, String>) -> syn::File {
    let mut file = syn::parse_file(types).expect("generated types parse");
    file.items = file
        .items
        .into_iter()
        .map(|item| match item {
            syn::Item::Mod(mut m) if m.content.is_none() => {
                let sub = &files[&format!("types/{}.rs", m.ident)];
                let sub = syn::parse_file(sub).expect("generated types parse");
                m.content = Some((Default::default(), sub.items));
                m.semi = None;
                syn::Item::Mod(m)
            }
            other => other,
        })
        .collect();
    ungate(&mut file.items);
    file
}

fn is_gate(a: &syn::Attribute) -> bool {
    (a.path().is_ident("cfg") || a.path().is_ident("cfg_attr"))
        && a.to_token_stream().to_string().contains("feature")
}

fn ungate(items: &mut Vec<syn::Item>) {
    // Mock-only items (a union's placeholder, an impl or a macro call) need the mock
    // derives the gates below drop.
    let mock_only = |attrs: &[syn::Attribute]| {
        attrs.iter().any(|a| {
            a.path().is_ident("cfg") && a.to_token_stream().to_string().contains("\"mock\"")
        })
    };
    items.retain(|item| match item {
        syn::Item::Impl(i) => !mock_only(&i.attrs),
        syn::Item::Macro(m) => !mock_only(&m.attrs),
        _ => true,
    });
    for item in items {
        match item {
            syn::Item::Struct(s) => s.attrs.retain(|a| !is_gate(a)),
            syn::Item::Enum(e) => e.attrs.retain(|a| !is_gate(a)),
            syn::Item::Impl(i) => i.attrs.retain(|a| !is_gate(a)),
            syn::Item::Use(u) => u.attrs.retain(|a| !is_gate(a)),
            syn::Item::Macro(m) => m.attrs.retain(|a| !is_gate(a)),
            syn::Item::Type(t) => t.attrs.retain(|a| !is_gate(a)),
            syn::Item::Mod(m) => {
                m.attrs.retain(|a| !is_gate(a));
                if let Some((_, items)) = &mut m.content {
                    ungate(items);
                }
            }
            _ => {}
        }
    }
}

fn derives_lean(s: &syn::ItemStruct) -> bool {
    s.attrs.iter().any(|a| {
        a.path().is_ident("derive")
            && a.to_token_stream()
                .to_string()
                .contains("runtime :: Deserialize")
    })
}

/// A field's wire key and whether it is optional (`skip_serializing_if`) or the flattened
/// map (`None`).
fn key(f: &syn::Field) -> Option<(String, bool)> {
    let mut wire = f
        .ident
        .as_ref()
        .unwrap()
        .to_string()
        .trim_start_matches("r#")
        .to_owned();
    let mut optional = false;
    for a in f.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let mut flatten = false;
        a.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                wire = meta.value()?.parse::<syn::LitStr>()?.value();
            } else if meta.path.is_ident("skip_serializing_if") {
                meta.value()?.parse::<syn::LitStr>()?;
                optional = true;
            } else if meta.path.is_ident("flatten") {
                flatten = true;
            }
            Ok(())
        })
        .expect("generated serde attribute");
        if flatten {
            return None;
        }
    }
    Some((wire, optional))
}

fn collect_structs(items: &[syn::Item], module: &str, out: &mut Vec<Struct>) {
    for item in items {
        match item {
            syn::Item::Struct(s) if derives_lean(s) => {
                let keys: Vec<_> = s.fields.iter().filter_map(key).collect();
                out.push(Struct {
                    path: format!("{module}::{}", s.ident),
                    keeps_others: keys.len() < s.fields.len(),
                    keys,
                });
            }
            // Feature modules are glob re-exported: their types are at the module's root.
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    collect_structs(items, module, out);
                }
            }
            _ => {}
        }
    }
}

fn mirror_items(mut items: Vec<syn::Item>) -> Vec<syn::Item> {
    for item in &mut items {
        match item {
            syn::Item::Struct(s) if derives_lean(s) => mirror_struct(s),
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &mut m.content {
                    *inner = mirror_items(std::mem::take(inner));
                }
            }
            _ => {}
        }
    }
    items
}

fn mirror_struct(s: &mut syn::ItemStruct) {
    // The `Builder` derive reads the serde attributes too, and knows no `default`: the
    // mirror needs no setters.
    let builder = |a: &syn::Attribute| {
        a.path().is_ident("builder")
            || (a.path().is_ident("derive")
                && a.to_token_stream().to_string() == "# [derive (runtime :: Builder)]")
    };
    s.attrs.retain(|a| !builder(a));
    for f in &mut s.fields {
        f.attrs.retain(|a| !builder(a));
    }
    for a in &mut s.attrs {
        if a.path().is_ident("derive") {
            let text = a
                .to_token_stream()
                .to_string()
                .replace("runtime :: Deserialize", "serde :: Deserialize")
                .replace(", runtime :: Builder", "");
            *a = syn::parse_str::<syn::DeriveInput>(&format!("{text} struct X;"))
                .expect("derive parses")
                .attrs
                .remove(0);
        }
    }
    for f in &mut s.fields {
        match key(f) {
            Some((_, true)) => f.attrs.push(syn::parse_quote!(#[serde(default)])),
            Some((_, false)) if is_option(&f.ty) => f
                .attrs
                .push(syn::parse_quote!(#[serde(deserialize_with = "crate::required_nullable")])),
            _ => {}
        }
    }
}

fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}
