//! Renders the examples round-trip cases of `spec/openrouter.yaml` (see
//! `examples_roundtrip.rs`) from the spec itself, so they never drift from it.

#[path = "build_mirror.rs"]
mod build_mirror;

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    build_mirror::write(
        &root,
        std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")),
    );
    // The `runtime_paths` test compiles every path of the generator's table of runtime paths.
    std::fs::write(
        std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
            .join("runtime_paths_check.rs"),
        openapi_gen::runtime_paths::check_source(),
    )
    .expect("OUT_DIR is writable");
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openrouter.yaml");
    println!("cargo:rerun-if-changed={spec}");
    let text = std::fs::read_to_string(spec).expect("spec/openrouter.yaml is readable");
    let loaded = openapi_gen::load::load_str(&text, spec).expect("the spec loads");
    let examples = openapi_gen::examples::collect(&loaded).expect("the spec converts");
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("examples_roundtrip.rs");
    std::fs::write(
        out,
        openapi_gen::examples::render_cases(&examples, "openrouter"),
    )
    .expect("OUT_DIR is writable");
}
