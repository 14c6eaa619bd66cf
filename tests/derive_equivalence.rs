//! The runtime's lean `Deserialize` derive against serde's: for random JSON objects (known,
//! unknown, repeated and missing keys; right and wrong value types), both accept the same
//! inputs and produce the same values. Each generated field kind is covered, with and
//! without `additionalProperties`.

use openapi_gen_runtime::__private::Deserialize as Lean;
use openapi_gen_runtime::Tristate;
use proptest::prelude::*;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;

/// serde's spelling of a required nullable field (the key must be present).
fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    Option::<T>::deserialize(d)
}

type OptionalAlias = Option<Vec<i64>>;

/// What the generator writes, one field per kind; `r#type` and `x-y` need a rename.
#[derive(Debug, PartialEq, Lean)]
struct Ours {
    /// Required.
    a: String,
    /// Required, of a type that is an `Option` behind an alias: the key must be present
    /// (serde's derive would read a missing one as `None`).
    b: OptionalAlias,
    /// Required and nullable.
    c: Option<String>,
    /// Optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<bool>,
    /// Optional and nullable.
    #[serde(skip_serializing_if = "Tristate::is_absent")]
    r#type: Tristate<i64>,
    #[serde(rename = "x-y", skip_serializing_if = "Option::is_none")]
    x_y: Option<f64>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Serdes {
    a: String,
    #[serde(deserialize_with = "nullable")]
    b: OptionalAlias,
    #[serde(deserialize_with = "nullable")]
    c: Option<String>,
    #[serde(default)]
    d: Option<bool>,
    #[serde(default)]
    r#type: Tristate<i64>,
    #[serde(rename = "x-y", default)]
    x_y: Option<f64>,
}

/// With `additionalProperties: integer`.
#[derive(Debug, PartialEq, Lean)]
struct OursKeep {
    a: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<bool>,
    #[serde(flatten)]
    rest: BTreeMap<String, i64>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct SerdesKeep {
    a: String,
    #[serde(default)]
    d: Option<bool>,
    #[serde(flatten)]
    rest: BTreeMap<String, i64>,
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("null".to_owned()),
        any::<bool>().prop_map(|b| b.to_string()),
        (-5i64..5).prop_map(|i| i.to_string()),
        Just("1.5".to_owned()),
        "[a-z]{0,3}".prop_map(|s| format!("{s:?}")),
        prop::collection::vec(-3i64..3, 0..3).prop_map(|v| format!("{v:?}")),
        Just(r#"{"k":1}"#.to_owned()),
    ]
}

/// A JSON object text with keys from the fields of both shapes and some strangers,
/// possibly repeated.
fn object() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "a", "b", "c", "d", "type", "r#type", "x-y", "zz", "rest",
    ]);
    prop::collection::vec((key, value()), 0..8).prop_map(|pairs| {
        let body: Vec<String> = pairs.iter().map(|(k, v)| format!("{k:?}:{v}")).collect();
        format!("{{{}}}", body.join(","))
    })
}

fn same<A, B>(json: &str) -> Result<(), TestCaseError>
where
    A: for<'de> Deserialize<'de> + std::fmt::Debug,
    B: for<'de> Deserialize<'de> + std::fmt::Debug,
{
    let ours = serde_json::from_str::<A>(json);
    let serdes = serde_json::from_str::<B>(json);
    match (&ours, &serdes) {
        // Same field values: compare the Debug text (the types differ only by name).
        (Ok(o), Ok(s)) => {
            let strip = |t: String| t.split_once(' ').map(|(_, r)| r.to_owned()).unwrap_or(t);
            prop_assert_eq!(strip(format!("{o:?}")), strip(format!("{s:?}")), "{}", json);
        }
        (Err(_), Err(_)) => {}
        _ => prop_assert!(false, "{json}: ours {ours:?}, serde's {serdes:?}"),
    }
    // The same through `serde_json::Value` (how union members are decoded).
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(json) {
        prop_assert_eq!(
            A::deserialize(&v).is_ok(),
            B::deserialize(&v).is_ok(),
            "{} via Value",
            json
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn accepts_and_reads_what_serde_does(json in object()) {
        same::<Ours, Serdes>(&json)?;
    }

    #[test]
    fn keeps_undeclared_keys_as_serde_flatten_does(json in object()) {
        same::<OursKeep, SerdesKeep>(&json)?;
    }
}

#[test]
fn a_few_cases_by_hand() {
    let ok = r#"{"a":"x","b":null,"c":null,"type":null,"x-y":2.5,"zz":[1]}"#;
    let o: Ours = serde_json::from_str(ok).unwrap();
    assert_eq!(
        o,
        Ours {
            a: "x".into(),
            b: None,
            c: None,
            d: None,
            r#type: Tristate::Null,
            x_y: Some(2.5),
        }
    );
    let e = serde_json::from_str::<Ours>(r#"{"a":"x","b":[]}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("missing field `c`"), "{e}");
    let e = serde_json::from_str::<Ours>(r#"{"a":"x","b":[],"c":"y","a":"z"}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("duplicate field `a`"), "{e}");
    let k: OursKeep = serde_json::from_str(r#"{"a":"x","n":1,"m":2}"#).unwrap();
    assert_eq!(k.rest, BTreeMap::from([("m".into(), 2), ("n".into(), 1)]));
}
