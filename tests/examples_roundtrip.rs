//! Every example in `spec/openrouter.yaml` (on schemas, parameters and media types) decodes
//! into the generated type for its place and encodes back to the same JSON (absent and
//! `null` count as equal). The cases are rendered from the spec by `build.rs`.

include!(concat!(env!("OUT_DIR"), "/examples_roundtrip.rs"));

#[test]
fn every_example_round_trips() {
    let failed = failures();
    println!(
        "examples: {} of {} round-trip",
        CASES.len() - failed.len(),
        CASES.len()
    );
    assert!(
        CASES.len() > 10,
        "expected the spec's examples, found {}",
        CASES.len()
    );
    assert!(
        failed.is_empty(),
        "examples that do not round-trip:\n{}",
        failed.join("\n")
    );
}
