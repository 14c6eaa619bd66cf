//! What [`normalize`](super::normalize) reports: how often each normalisation rule
//! rewrote the document, under the stable rule names of [`rules`].

use std::collections::BTreeMap;

/// Counts of rewrites per rule (names from [`rules`]); rules that never fired are absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NormalizeReport {
    pub counts: BTreeMap<&'static str, usize>,
}

impl NormalizeReport {
    /// How often `rule` fired (0 if never).
    pub fn get(&self, rule: &str) -> usize {
        self.counts.get(rule).copied().unwrap_or(0)
    }
    /// Total rewrites.
    pub fn total(&self) -> usize {
        self.counts.values().sum()
    }
}

impl std::fmt::Display for NormalizeReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (rule, n) in &self.counts {
            writeln!(f, "{rule}: {n}")?;
        }
        Ok(())
    }
}

/// Stable names of the normalisation rules, as used in [`NormalizeReport::counts`].
pub mod rules {
    /// `openapi: 3.1.x` → `3.0.3` (original in `info.x-original-openapi-version`).
    pub const OPENAPI_VERSION: &str = "openapi-version";
    /// 3.1-only keys (`webhooks`, `jsonSchemaDialect`, `components.pathItems`,
    /// `info.summary`, `license.identifier`) moved to `x-<key>`.
    pub const KEY_TO_EXTENSION: &str = "3.1-key-to-extension";
    /// `paths` / operation `responses` (optional in 3.1) added empty.
    pub const MISSING_ADDED: &str = "missing-required-added";
    /// A `$ref` path item replaced by a copy of its target.
    pub const PATH_ITEM_REF_INLINED: &str = "path-item-ref-inlined";
    /// Boolean schema `true` → `{}`, `false` → `{not: {}}`.
    pub const BOOLEAN_SCHEMA: &str = "boolean-schema";
    /// `$ref` with siblings → `{allOf: [{$ref}], siblings}`.
    pub const REF_SIBLINGS: &str = "ref-siblings-to-all-of";
    /// `const: v` → `enum: [v]`.
    pub const CONST_TO_ENUM: &str = "const-to-enum";
    /// `type: [T, 'null']` → `type: T, nullable: true`.
    pub const TYPE_ARRAY_NULLABLE: &str = "type-array-nullable";
    /// `type: [T]` → `type: T` (also `type: ['null']` → the null form).
    pub const TYPE_ARRAY_SINGLE: &str = "type-array-single";
    /// `type: [A, B, …]` → `anyOf` of single-typed copies.
    pub const TYPE_ARRAY_ANY_OF: &str = "type-array-any-of";
    /// The null type alone (`type: 'null'`, `enum: [null]`) → `{nullable: true, enum: [null]}`.
    pub const NULL_SCHEMA: &str = "null-schema";
    /// `null` removed from an `enum`, `nullable: true` set.
    pub const ENUM_NULL: &str = "enum-null-to-nullable";
    /// A null member removed from `anyOf`/`oneOf`, parent `nullable: true`.
    pub const NULL_MEMBER: &str = "null-member-to-nullable";
    /// Numeric `exclusiveMinimum`/`exclusiveMaximum` → bound + boolean flag.
    pub const EXCLUSIVE_BOUND: &str = "exclusive-bound-number";
    /// Schema `default: null` / `example: null` → `x-default` / `x-example` (else dropped).
    pub const NULL_ANNOTATION: &str = "null-annotation-to-extension";
    /// Schema `examples` list → `example` + `x-examples`.
    pub const EXAMPLES: &str = "examples-to-example";
    /// `prefixItems` → `x-prefixItems`.
    pub const PREFIX_ITEMS: &str = "prefix-items-to-extension";
    /// Annotation-only schema keyword (`$comment`, `contentMediaType`, …) → `x-<name>`.
    pub const ANNOTATION_TO_EXTENSION: &str = "annotation-to-extension";
    /// Unknown (non-JSON-Schema, non-`x-`) schema key → `x-<name>`.
    pub const UNKNOWN_TO_EXTENSION: &str = "unknown-keyword-to-extension";
}
