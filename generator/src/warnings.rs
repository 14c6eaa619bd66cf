//! Warnings: places where the generator widened or dropped meaning instead of refusing.
//!
//! Policy: refuse only where no faithful output exists; everywhere else generate, and record
//! a [`Warning`] (kind, JSON pointer, optional line/column, message) so nothing is dropped
//! silently. `load` collects its warnings in its walk context; the model stage, whose
//! modules many hands edit, records through [`record`] into the sink [`collect`] installs
//! for the current thread, so no signature there has to change.

use std::cell::RefCell;

use serde::Serialize;

/// What kind of meaning was widened or dropped. Names are stable (snake_case) for tooling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WarningKind {
    /// A JSON Schema keyword with no Rust representation was ignored (e.g. `if`/`then`).
    UnsupportedKeyword,
    /// A validation keyword (`uniqueItems`, `contains`, `propertyNames`…) is not enforced.
    ValidationNotEnforced,
    /// A key that is not valid where it stands (e.g. `type` in a response) was ignored.
    StrayKey,
    /// A type was widened (conflicting allOf members, unresolvable dynamic refs, a JSON
    /// parameter carried as a string).
    TypeWidened,
    /// A numeric bound beyond the Rust type's range was clamped.
    BoundClamped,
    /// A discriminator could not be kept (the union is matched by shape instead).
    DiscriminatorDropped,
    /// Two operations shared an operationId; the later one was renamed.
    DuplicateOperationId,
    /// Something required was missing (a response `description`, a path's leading `/`…);
    /// a neutral default was supplied.
    MissingKey,
}

impl WarningKind {
    /// The stable snake_case name (`unsupported_keyword`, …).
    pub fn name(self) -> &'static str {
        match self {
            WarningKind::UnsupportedKeyword => "unsupported_keyword",
            WarningKind::ValidationNotEnforced => "validation_not_enforced",
            WarningKind::StrayKey => "stray_key",
            WarningKind::TypeWidened => "type_widened",
            WarningKind::BoundClamped => "bound_clamped",
            WarningKind::DiscriminatorDropped => "discriminator_dropped",
            WarningKind::DuplicateOperationId => "duplicate_operation_id",
            WarningKind::MissingKey => "missing_key",
        }
    }
}

impl std::fmt::Display for WarningKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One widened or dropped piece of meaning, located by JSON pointer (and line/column in the
/// source text where known).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Warning {
    pub kind: WarningKind,
    /// `#/components/schemas/X/propertyNames`.
    pub pointer: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    pub message: String,
}

impl Warning {
    pub fn new(kind: WarningKind, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Warning {
            kind,
            pointer: pointer.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// This warning as a located error (for `--strict`).
    pub fn into_error(self) -> crate::Error {
        let place = match (self.line, self.column) {
            (Some(l), Some(c)) => format!(" (line {l}, column {c})"),
            _ => String::new(),
        };
        crate::Error::spec(
            self.pointer,
            format!("[{}]{place} {} (strict mode)", self.kind, self.message),
        )
    }
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "warning[{}]: {}", self.kind, self.pointer)?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, " (line {l}, column {c})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Sort by pointer, then kind and message, and drop exact duplicates (a schema converted
/// twice must not warn twice), so output is deterministic.
pub fn settle(warnings: &mut Vec<Warning>) {
    warnings.sort_by(|a, b| {
        (&a.pointer, a.kind, &a.message, a.line).cmp(&(&b.pointer, b.kind, &b.message, b.line))
    });
    warnings.dedup();
}

/// The list as pretty JSON (`[{"kind": "stray_key", "pointer": …}]`) for tooling.
pub fn to_json(warnings: &[Warning]) -> String {
    serde_json::to_string_pretty(warnings).unwrap_or_else(|_| "[]".to_owned())
}

/// Counts per kind, in kind order.
pub fn summary(warnings: &[Warning]) -> std::collections::BTreeMap<WarningKind, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for w in warnings {
        *counts.entry(w.kind).or_default() += 1;
    }
    counts
}

thread_local! {
    static SINK: RefCell<Option<Vec<Warning>>> = const { RefCell::new(None) };
}

/// Record a warning in the current thread's sink (a no-op outside [`collect`]).
pub fn record(warning: Warning) {
    SINK.with(|s| {
        if let Some(list) = s.borrow_mut().as_mut() {
            list.push(warning);
        }
    });
}

/// Run `f`, returning what it returned and the warnings it [`record`]ed. Nests: an outer
/// sink is restored (and does not see the inner warnings) afterwards, even on a panic.
pub fn collect<T>(f: impl FnOnce() -> T) -> (T, Vec<Warning>) {
    struct Restore(Option<Vec<Warning>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let outer = self.0.take();
            SINK.with(|s| *s.borrow_mut() = outer);
        }
    }
    let outer = SINK.with(|s| s.borrow_mut().replace(Vec::new()));
    let restore = Restore(outer);
    let value = f();
    let inner = SINK.with(|s| s.borrow_mut().take()).unwrap_or_default();
    drop(restore);
    (value, inner)
}
