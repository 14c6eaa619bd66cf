//! Deeply nested schema shapes as JSON text, for the value mutations and the edge cases.

/// Deeply nested schema shapes, inserted as text (building a 2,000-deep `Value` here
/// would itself need a deep stack).
#[derive(Debug, Clone, Copy)]
pub enum Deep {
    Items,
    Properties,
    AllOf,
    AnyOf,
    AdditionalProperties,
    /// `[[[…]]]` as an `example` value (not a schema).
    Array,
}

pub fn deep_text(shape: Deep, depth: usize) -> String {
    let (open, leaf, close) = match shape {
        Deep::Items => (r#"{"type":"array","items":"#, r#"{"type":"string"}"#, "}"),
        Deep::Properties => (
            r#"{"type":"object","properties":{"p":"#,
            r#"{"type":"integer"}"#,
            "}}",
        ),
        Deep::AllOf => (r#"{"allOf":["#, r#"{"type":"boolean"}"#, "]}"),
        Deep::AnyOf => (
            r#"{"anyOf":[{"type":"null"},"#,
            r#"{"type":"number"}"#,
            "]}",
        ),
        Deep::AdditionalProperties => (
            r#"{"type":"object","additionalProperties":"#,
            r#"{"type":"string"}"#,
            "}",
        ),
        Deep::Array => (r#"{"type":"array","example":"#, "", "}"),
    };
    if let Deep::Array = shape {
        return format!("{open}{}{}{close}", "[".repeat(depth), "]".repeat(depth));
    }
    let mut s = String::with_capacity(depth * (open.len() + close.len()) + leaf.len());
    for _ in 0..depth {
        s.push_str(open);
    }
    s.push_str(leaf);
    for _ in 0..depth {
        s.push_str(close);
    }
    s
}
