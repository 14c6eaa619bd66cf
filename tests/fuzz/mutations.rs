//! Value-level mutations of a seed document: the strategies that pick them (applied by
//! `generator_fuzz_specs.rs`).

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Value, json};

use super::deep::Deep;

/// Names that stress identifier handling: empty, keywords (including ones that cannot be
/// raw identifiers), unicode, pointer metacharacters, digits, std names.
pub fn odd_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "",
            " ",
            "_",
            "__",
            "-",
            "type",
            "self",
            "Self",
            "super",
            "crate",
            "r#type",
            "fn",
            "mod",
            "as",
            "async",
            "await",
            "dyn",
            "gen",
            "try",
            "union",
            "macro_rules",
            "true",
            "null",
            "default",
            "$ref",
            "#",
            "#/",
            "/",
            "~",
            "~0",
            "~1",
            "a/b",
            "a~b",
            "%25",
            "%zz",
            "x-",
            "x-foo",
            "123",
            "1abc",
            "日本語",
            "🦀",
            "Ünïcödé",
            "a b-c.d",
            "a\"b",
            "a\\b",
            "\t",
            "\n",
            "Unknown",
            "unknown",
            "Error",
            "Result",
            "Option",
            "Some",
            "None",
            "Ok",
            "Err",
            "String",
            "Vec",
            "Box",
            "std",
            "core",
            "serde",
            "Client",
            "ApiErrorBody",
            "fooBar",
            "foo_bar",
            "FooBar",
            "FOO_BAR",
            "foo-bar",
            "foo bar",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z0-9_ $#/~.-]{0,12}",
        "\\PC{0,6}",
        Just("a".repeat(300)),
    ]
}

/// Any JSON value, leaning to odd scalars.
pub fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        prop::num::f64::NORMAL.prop_map(Value::from),
        prop::sample::select(vec![-1i64, 0, 1, i64::MIN, i64::MAX]).prop_map(Value::from),
        odd_name().prop_map(Value::String),
        prop::sample::select(vec![
            "string",
            "integer",
            "number",
            "boolean",
            "object",
            "array",
            "null",
            "uuid",
            "date-time",
            "int64",
            "binary",
        ])
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((odd_name(), inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

#[derive(Debug, Clone)]
pub enum RefTarget {
    /// `#` + the pointer of some node of the document.
    Node(Index),
    /// The node's own pointer (a self reference).
    Itself,
    /// The node's parent.
    Parent,
    /// Anything else: nonexistent, external, anchors, bad escapes, non-strings.
    Fixed(Value),
}

pub fn ref_target() -> impl Strategy<Value = RefTarget> {
    prop_oneof![
        3 => any::<Index>().prop_map(RefTarget::Node),
        2 => Just(RefTarget::Itself),
        1 => Just(RefTarget::Parent),
        3 => prop_oneof![
            prop::sample::select(vec![
                "#/components/schemas/Nope", "#", "#/", "#/paths", "#/components",
                "#/components/schemas", "other.yaml#/components/schemas/A",
                "https://example.com/spec.json#/x", "#anchor", "#/components/schemas/%zz",
                "#/components/schemas/%E2%82", "#/components/schemas/A%2FB", "", "#//",
                "#/components/schemas/~2", "#/info/title", "#/openapi", "#/paths/~1x/get",
            ])
            .prop_map(|s| Value::String(s.into())),
            arb_json(),
        ]
        .prop_map(RefTarget::Fixed),
    ]
}

#[derive(Debug, Clone)]
pub enum Mutation {
    DeleteKey(Index, Index),
    Replace(Index, Value),
    RenameKey(Index, Index, String),
    DuplicateKey(Index, Index, String),
    /// Add `$ref` next to the existing keys of an object.
    AddRef(Index, RefTarget),
    /// Replace a node by `{$ref: …}`.
    ReplaceWithRef(Index, RefTarget),
    /// On a schema: `type` → a list (with `null`, several types, empty, non-strings).
    TypeList(Index, Vec<Value>),
    Const(Index, Value),
    Enum(Index, Vec<Value>),
    /// On a schema: wrap it as a member of `allOf`/`anyOf`/`oneOf` (maybe with a sibling).
    Wrap(Index, &'static str, Option<Value>),
    /// On a component schema: refer to itself (property, items, allOf, alias…).
    SelfRef(Index, u8),
    /// Two component schemas refer to each other.
    Cycle(Index, Index, u8),
    /// A string value → empty string.
    EmptyString(Index),
    /// On a schema: replace by a nested chain of the given depth.
    DeepNest(Index, Deep, usize),
    /// On a schema: an enum with thousands of values.
    HugeEnum(Index, usize, u8),
    /// A string value → an odd name (operationIds, tags, names, formats, discriminators…).
    OddString(Index, String),
    /// On a schema: a property with an odd name and a small schema.
    OddProperty(Index, String, Value),
    /// A component schema with an odd name (and an odd property).
    OddComponent(String, String),
    /// On an operation: odd operationId, tag and query parameter name.
    OddOperation(Index, String, String, String),
}

/// Small schemas to put under odd names.
pub fn small_schema() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!({"type": "string"}),
        json!({"type": "integer", "format": "int64"}),
        json!({"type": ["string", "null"]}),
        json!({"type": "string", "enum": ["a", "A", "a-b", "a_b", "", "self", "Unknown"]}),
        json!({"type": "object", "properties": {"self": {"type": "boolean"}}}),
        json!({"type": "array", "items": {"type": "object", "properties": {"type": {"type": "string"}}}}),
        json!({"oneOf": [{"type": "string"}, {"type": "integer"}]}),
        json!({"type": "object", "additionalProperties": {"type": "integer"}}),
        json!({"const": "fixed"}),
        json!({}),
        json!(true),
    ])
}

pub fn deep_depth() -> impl Strategy<Value = usize> {
    prop_oneof![
        prop::sample::select(vec![
            1usize, 10, 40, 60, 61, 62, 63, 64, 120, 125, 126, 127, 128, 129, 200, 2000
        ]),
        1usize..130,
        130usize..2500,
    ]
}

pub fn mutation() -> impl Strategy<Value = Mutation> {
    let i = || any::<Index>();
    prop_oneof![
        3 => (i(), i()).prop_map(|(a, b)| Mutation::DeleteKey(a, b)),
        3 => (i(), arb_json()).prop_map(|(a, v)| Mutation::Replace(a, v)),
        2 => (i(), i(), odd_name()).prop_map(|(a, b, n)| Mutation::RenameKey(a, b, n)),
        1 => (i(), i(), odd_name()).prop_map(|(a, b, n)| Mutation::DuplicateKey(a, b, n)),
        2 => (i(), ref_target()).prop_map(|(a, t)| Mutation::AddRef(a, t)),
        2 => (i(), ref_target()).prop_map(|(a, t)| Mutation::ReplaceWithRef(a, t)),
        2 => (i(), prop::collection::vec(
                prop_oneof![
                    4 => prop::sample::select(vec![
                        "null", "string", "integer", "number", "boolean", "object", "array",
                        "any", "",
                    ]).prop_map(|s| Value::String(s.into())),
                    1 => arb_json(),
                ],
                0..5,
            )).prop_map(|(a, t)| Mutation::TypeList(a, t)),
        2 => (i(), arb_json()).prop_map(|(a, v)| Mutation::Const(a, v)),
        2 => (i(), prop::collection::vec(arb_json(), 0..8)).prop_map(|(a, v)| Mutation::Enum(a, v)),
        2 => (i(), prop::sample::select(vec!["allOf", "anyOf", "oneOf"]),
              prop::option::of(arb_json()))
            .prop_map(|(a, k, x)| Mutation::Wrap(a, k, x)),
        2 => (i(), 0u8..8).prop_map(|(a, how)| Mutation::SelfRef(a, how)),
        2 => (i(), i(), 0u8..6).prop_map(|(a, b, how)| Mutation::Cycle(a, b, how)),
        1 => i().prop_map(Mutation::EmptyString),
        1 => (i(), prop::sample::select(vec![
                Deep::Items, Deep::Properties, Deep::AllOf, Deep::AnyOf,
                Deep::AdditionalProperties, Deep::Array,
            ]), deep_depth())
            .prop_map(|(a, d, n)| Mutation::DeepNest(a, d, n)),
        1 => (i(), prop::sample::select(vec![1usize, 2, 100, 1000, 5000]), 0u8..4)
            .prop_map(|(a, n, k)| Mutation::HugeEnum(a, n, k)),
        2 => (i(), odd_name()).prop_map(|(a, n)| Mutation::OddString(a, n)),
        2 => (i(), odd_name(), small_schema()).prop_map(|(a, n, s)| Mutation::OddProperty(a, n, s)),
        1 => (odd_name(), odd_name()).prop_map(|(a, b)| Mutation::OddComponent(a, b)),
        2 => (i(), odd_name(), odd_name(), odd_name())
            .prop_map(|(a, x, y, z)| Mutation::OddOperation(a, x, y, z)),
    ]
}
