//! The lean `Deserialize` derive held to serde's, type by type: every struct generated from
//! `spec/openrouter.yaml`, every fixture of `tests/fixtures/ok` and every document of
//! `../shared/corpus/specs` (when present) is compiled twice
//! (`build_mirror.rs`): as generated (`ours`) and with serde's derive (`mirror`). The same
//! inputs go through both: the document's examples and mutations of them (missing, extra,
//! duplicated, `null` and wrong-typed keys, at every nesting level, and the array form), and
//! for every struct, inputs made from its keys. Each input is decoded with
//! `serde_json::from_str`, through `serde_json::Value`, and inside an untagged enum (serde's
//! buffered `Content` path). Success, value and error category must agree.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value, json};
use std::fmt::Debug;

/// `crate::runtime` of the generated types.
use openapi_gen_runtime::__private as runtime;

/// The mirror's spelling of a required nullable field: the key must be present.
fn required_nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Option::<T>::deserialize(d)
}

#[allow(
    dead_code,
    deprecated,
    unused_imports,
    non_camel_case_types,
    clippy::all,
    clippy::pedantic
)]
mod cases {
    use super::{ExampleCase, StructCase, check};
    include!(concat!(env!("OUT_DIR"), "/derive_mirror.rs"));
}

/// `(input, order_may_differ)` → differences (see [`check`]).
type Check = fn(&str, bool) -> Vec<String>;

pub struct StructCase {
    doc: &'static str,
    name: &'static str,
    /// Wire keys and whether each is optional.
    keys: &'static [(&'static str, bool)],
    keeps_others: bool,
    check: Check,
}

pub struct ExampleCase {
    doc: &'static str,
    pointer: &'static str,
    json: &'static str,
    check: Check,
}

/// Wrapped in an untagged enum, a value reaches its `Deserialize` through serde's buffered
/// `Content`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Untagged<T> {
    One(T),
}

/// What an error is about, without the parts that name types or positions.
fn category(message: &str) -> &'static str {
    const KINDS: &[&str] = &[
        "missing field",
        "duplicate field",
        "unknown field",
        "invalid type",
        "invalid length",
        "invalid value",
        "data did not match any variant",
        "EOF",
        "trailing",
    ];
    KINDS
        .iter()
        .find(|k| message.contains(*k))
        .copied()
        .unwrap_or("other")
}

fn outcome<T: Serialize>(r: Result<T, serde_json::Error>) -> Result<Value, String> {
    r.map(|v| serde_json::to_value(&v).expect("a decoded value encodes"))
        .map_err(|e| e.to_string())
}

/// Through an untagged enum: serde reports every failure as "no variant matched".
fn untagged<T: DeserializeOwned + Serialize>(json: &str) -> Result<Value, String> {
    match serde_json::from_str::<Untagged<T>>(json) {
        Ok(Untagged::One(v)) => Ok(serde_json::to_value(&v).expect("a decoded value encodes")),
        Err(e) => Err(e.to_string()),
    }
}

/// Differences between our decode of `json` (type `O`) and serde's (type `M`).
///
/// `order_may_differ`, for a struct that keeps undeclared keys (`additionalProperties`):
/// serde's `flatten` buffers those values and reports a missing required key before a bad
/// kept value, while ours reads each value as it comes and reports the first error of the
/// input. Both fail; only which error is reported first differs (README, "Lean
/// `Deserialize`").
fn check<O, M>(json: &str, order_may_differ: bool) -> Vec<String>
where
    O: DeserializeOwned + Serialize + Debug,
    M: DeserializeOwned + Serialize + Debug,
{
    let mut diffs = Vec::new();
    let mut compare = |path: &str, ours: Result<Value, String>, serde: Result<Value, String>| {
        let same = match (&ours, &serde) {
            (Ok(a), Ok(b)) => a == b,
            (Err(a), Err(b)) => {
                category(a) == category(b)
                    || order_may_differ
                        && category(b) == "missing field"
                        && ["invalid type", "invalid value"].contains(&category(a))
            }
            _ => false,
        };
        if !same {
            diffs.push(format!("{path}: ours {ours:?}, serde {serde:?}"));
        }
    };
    compare(
        "from_str",
        outcome(serde_json::from_str::<O>(json)),
        outcome(serde_json::from_str::<M>(json)),
    );
    if let Ok(v) = serde_json::from_str::<Value>(json) {
        compare(
            "from_value",
            outcome(serde_json::from_value::<O>(v.clone())),
            outcome(serde_json::from_value::<M>(v)),
        );
    }
    compare("untagged", untagged::<O>(json), untagged::<M>(json));
    diffs
}

const WRONG: &[&str] = &[
    "null",
    "\"x\"",
    "1",
    "-1.5",
    "true",
    "[]",
    "{}",
    "[1]",
    "{\"k\":1}",
];

/// Inputs derived from an example: itself and mutations at every level (depth-limited).
fn mutations(v: &Value, depth: usize, out: &mut Vec<Value>) {
    out.push(v.clone());
    if depth == 0 {
        return;
    }
    match v {
        Value::Object(m) => {
            out.push(Value::Array(m.values().cloned().collect()));
            let mut extra = m.clone();
            extra.insert("zz_unknown_key".into(), json!(1));
            out.push(Value::Object(extra));
            for (k, child) in m {
                let mut without = m.clone();
                without.remove(k);
                out.push(Value::Object(without));
                for w in WRONG {
                    let mut changed = m.clone();
                    changed.insert(k.clone(), serde_json::from_str(w).unwrap());
                    out.push(Value::Object(changed));
                }
                let mut inner = Vec::new();
                mutations(child, depth - 1, &mut inner);
                for c in inner.into_iter().skip(1) {
                    let mut changed = m.clone();
                    changed.insert(k.clone(), c);
                    out.push(Value::Object(changed));
                }
            }
        }
        Value::Array(a) if !a.is_empty() => {
            out.push(json!([]));
            let mut inner = Vec::new();
            mutations(&a[0], depth - 1, &mut inner);
            for c in inner.into_iter().skip(1) {
                let mut changed = a.clone();
                changed[0] = c;
                out.push(Value::Array(changed));
            }
        }
        _ => {}
    }
}

/// `{"k": v, ...}` text with the first key of `m` written twice (a `Value` cannot hold it).
fn duplicated(m: &Map<String, Value>) -> Option<String> {
    let (k, v) = m.iter().next()?;
    let rest = serde_json::to_string(m).unwrap();
    Some(format!(
        "{{{}:{},{}",
        serde_json::to_string(k).unwrap(),
        v,
        &rest[1..]
    ))
}

/// Inputs made from a struct's keys alone: empty, every key `null`, each key of each wrong
/// type, a repeated key, an unknown key, the array form and non-objects.
fn key_inputs(s: &StructCase) -> Vec<String> {
    let mut out: Vec<String> = ["{}", "[]", "null", "1", "\"s\"", "{\"zz_unknown_key\":1}"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let nulls: Map<String, Value> = s
        .keys
        .iter()
        .map(|(k, _)| ((*k).to_owned(), Value::Null))
        .collect();
    out.push(Value::Object(nulls.clone()).to_string());
    out.push(Value::Array(vec![Value::Null; s.keys.len()]).to_string());
    out.extend(duplicated(&nulls));
    for (k, _) in s.keys {
        for w in WRONG {
            out.push(format!("{{{}:{w}}}", serde_json::to_string(k).unwrap()));
        }
        out.push(format!(
            "{{{0}:null,{0}:null}}",
            serde_json::to_string(k).unwrap()
        ));
    }
    out
}

#[test]
fn lean_derive_decodes_as_serde_does() {
    let mut diffs = Vec::new();
    let mut inputs = 0usize;
    for case in cases::EXAMPLES {
        let example: Value = serde_json::from_str(case.json).unwrap();
        let mut all = Vec::new();
        mutations(&example, 2, &mut all);
        let mut texts: Vec<String> = all.iter().map(Value::to_string).collect();
        if let Value::Object(m) = &example {
            texts.extend(duplicated(m));
        }
        for text in texts {
            inputs += 1;
            for d in (case.check)(&text, false) {
                diffs.push(format!("{} {}: {text}\n    {d}", case.doc, case.pointer));
            }
        }
    }
    for case in cases::STRUCTS {
        for text in key_inputs(case) {
            inputs += 1;
            for d in (case.check)(&text, case.keeps_others) {
                diffs.push(format!("{} {}: {text}\n    {d}", case.doc, case.name));
            }
        }
    }
    println!(
        "derive_mirror: {} structs, {} examples, {inputs} inputs, {} differences",
        cases::STRUCTS.len(),
        cases::EXAMPLES.len(),
        diffs.len()
    );
    assert!(cases::STRUCTS.len() > 50, "expected the fixtures' structs");
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The shared corpus (`../shared/corpus/specs`) was beside the repository when this test
/// was built, so its types are among those compared above. CI runs it with
/// `--include-ignored`; without the corpus the comparison covers the fixtures only.
#[test]
#[ignore = "needs ../shared/corpus/specs (CI: --include-ignored)"]
fn corpus_documents_are_compared() {
    // `black_box`: the count is a constant of the build, which clippy would flag.
    let documents = std::hint::black_box(cases::CORPUS_DOCUMENTS);
    assert!(
        documents > 0,
        "../shared/corpus/specs was not found when the test was built"
    );
}
