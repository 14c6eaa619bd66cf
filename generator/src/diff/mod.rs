//! A semantic diff of the generated public API, computed from two [`Model`]s (a base spec and
//! the working spec), with a semver class per entry and the version bump they add up to.
//!
//! The model knows what the emitter makes of it, so each entry is a change to the Rust API
//! a user of the generated crate sees (an operation, a method's arguments, a `new`, a field,
//! a variant, a feature) or a change on the wire that no signature shows (a wire name, a
//! default, a constraint, a retry policy). Classes follow Rust's semver rules as
//! cargo-semver-checks lints them, with what the generated code already allows: every struct
//! is `#[non_exhaustive]`, string enums, discriminated unions and `ApiErrorBody` are
//! `#[non_exhaustive]`, untagged unions are not, and `new` takes the required fields in order.
//!
//! - `sig`: small accessors that read the model (the only place that knows its fields);
//! - `classify`: operations, their arguments and parameters, groups, features;
//! - `api`: API-wide settings and `ApiErrorBody` variants;
//! - `types`: named types, fields, `new`, setters;
//! - `variants`: enum and union variants;
//! - `render`: Markdown, JSON and the terminal summary.

mod api;
mod classify;
pub mod render;
mod sig;
#[cfg(test)]
mod tests;
mod types;
mod variants;

use crate::model::Model;

/// How a change affects code written against the previous version (Rust semver).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Code that compiled may stop compiling, or compile and do something else.
    Breaking,
    /// New API; existing code compiles and behaves as before.
    Additive,
    /// No API change; behaviour or wire detail only.
    Patch,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Additive => "additive",
            Class::Patch => "patch",
        }
    }
}

/// What the change does to clients already deployed (built from the base spec) when they
/// talk to the API the new spec describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire {
    /// Old clients may fail against the new API (a request property now required, a
    /// response property now optional, a tightened constraint, a renamed wire key).
    BreaksOldClients,
    /// A wire-level change old clients cope with.
    Compatible,
    /// Nothing changes on the wire.
    Unchanged,
}

impl Wire {
    pub fn as_str(self) -> &'static str {
        match self {
            Wire::BreaksOldClients => "breaks old clients",
            Wire::Compatible => "compatible",
            Wire::Unchanged => "",
        }
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub class: Class,
    /// The Rust item: `client.api_keys().create`, `CreateKeysRequest::new`, `Foo.bar`.
    pub item: String,
    /// A stable identifier of the kind of change (`field_added`, `new_changed`, …).
    pub kind: &'static str,
    /// What changed, old → new.
    pub detail: String,
    pub wire: Wire,
    /// Why it has this class, in one line.
    pub why: String,
}

/// Every change between two models, sorted (breaking first, then by item).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub entries: Vec<Entry>,
}

impl Report {
    /// The highest class of any entry (`None`: the API did not change).
    pub fn class(&self) -> Option<Class> {
        self.entries.iter().map(|e| e.class).min()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    pub fn count(&self, class: Class) -> usize {
        self.entries.iter().filter(|e| e.class == class).count()
    }
    /// Entries with which already deployed clients may fail.
    pub fn wire_breaking(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(|e| e.wire == Wire::BreaksOldClients)
    }
    pub fn breaking(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.class == Class::Breaking)
    }
}

/// Compare the API generated from `old` with the one generated from `new`.
pub fn diff(old: &Model, new: &Model) -> Report {
    let mut out = Out::default();
    classify::groups_and_features(old, new, &mut out);
    classify::operations(old, new, &mut out);
    api::api(old, new, &mut out);
    types::types(old, new, &mut out);
    api::error_variants(old, new, &mut out);
    let mut entries = out.0;
    entries.sort();
    entries.dedup();
    Report { entries }
}

/// The collector the comparison walks push into.
#[derive(Default)]
pub(crate) struct Out(Vec<Entry>);

impl Out {
    pub(crate) fn push(
        &mut self,
        class: Class,
        kind: &'static str,
        item: impl Into<String>,
        detail: impl Into<String>,
        why: impl Into<String>,
    ) -> &mut Entry {
        self.0.push(Entry {
            class,
            item: item.into(),
            kind,
            detail: detail.into(),
            wire: Wire::Unchanged,
            why: why.into(),
        });
        self.0.last_mut().expect("just pushed")
    }
}

impl Entry {
    pub(crate) fn wire(&mut self, wire: Wire) -> &mut Self {
        self.wire = wire;
        self
    }
}

/// A `major.minor.patch` version (pre-release and build suffixes are ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    pub fn parse(text: &str) -> Option<Version> {
        let core = text.trim().split(['-', '+']).next()?;
        let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
        let v = Version {
            major: parts.next()??,
            minor: parts.next()??,
            patch: parts.next()??,
        };
        parts.next().is_none().then_some(v)
    }

    /// The smallest version after `self` that Cargo's semver rules allow for a change of
    /// `class`: before 1.0 the leftmost non-zero number is the "major" one (0.x: a
    /// breaking change bumps the minor version, anything else the patch version; 0.0.x:
    /// every change is breaking).
    pub fn next(self, class: Class) -> Version {
        let breaking = class == Class::Breaking;
        let additive = class == Class::Additive;
        match (self.major, self.minor) {
            (0, 0) => Version {
                patch: self.patch + 1,
                ..self
            },
            (0, _) if breaking => Version {
                minor: self.minor + 1,
                patch: 0,
                ..self
            },
            (0, _) => Version {
                patch: self.patch + 1,
                ..self
            },
            _ if breaking => Version {
                major: self.major + 1,
                minor: 0,
                patch: 0,
            },
            _ if additive => Version {
                minor: self.minor + 1,
                patch: 0,
                ..self
            },
            _ => Version {
                patch: self.patch + 1,
                ..self
            },
        }
    }

    /// Whether going from `self` to `to` is a bump large enough for a change of `class`.
    pub fn allows(self, to: Version, class: Class) -> bool {
        to >= self.next(class)
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}
