//! Where a place of a rewritten document came from. The Swagger 2.0 converter and the bundler
//! of split documents move things (`#/definitions/X` → `#/components/schemas/X`, a schema of
//! `pet.yaml` → `#/components/schemas/Pet`); warnings and errors found later name places in
//! the rewritten document, and are mapped back through these prefixes so that they point
//! into what the user wrote.

use crate::{Error, Warning};

/// Pointer prefixes of a rewritten document → the place they came from (`#/…`, or
/// `file#/…` for another file of a split document).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origins {
    map: Vec<(String, String)>,
}

impl Origins {
    /// `rewritten` (and everything below it) came from `original`.
    pub fn add(&mut self, rewritten: impl Into<String>, original: impl Into<String>) {
        let (rewritten, original) = (rewritten.into(), original.into());
        if rewritten != original {
            self.map.push((rewritten, original));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The place `pointer` came from: its longest recorded prefix (whole tokens) replaced.
    /// A pointer already naming another file (`file#/…`) is left alone.
    pub fn original(&self, pointer: &str) -> String {
        if !pointer.starts_with('#') {
            return pointer.to_owned();
        }
        let best = self
            .map
            .iter()
            .filter(|(from, _)| {
                pointer
                    .strip_prefix(from.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
            .max_by_key(|(from, _)| from.len());
        match best {
            Some((from, to)) => format!("{to}{}", &pointer[from.len()..]),
            None => pointer.to_owned(),
        }
    }

    /// [`Self::original`] for each warning's pointer.
    pub fn warnings(&self, mut warnings: Vec<Warning>) -> Vec<Warning> {
        if !self.map.is_empty() {
            for w in &mut warnings {
                w.pointer = self.original(&w.pointer);
            }
        }
        warnings
    }

    /// [`Self::original`] for a spec error's pointer.
    pub fn error(&self, error: Error) -> Error {
        match error {
            Error::Spec { pointer, reason } if !self.map.is_empty() => Error::Spec {
                pointer: self.original(&pointer),
                reason,
            },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Origins;

    #[test]
    fn longest_whole_token_prefix_wins() {
        let mut o = Origins::default();
        o.add("#/components/schemas", "#/definitions");
        o.add("#/components/schemas/Pet", "pet.yaml#");
        o.add(
            "#/paths/~1a/get/parameters/1",
            "#/paths/~1a/get/parameters/2",
        );
        assert_eq!(o.original("#/components/schemas/X/a"), "#/definitions/X/a");
        assert_eq!(o.original("#/components/schemas/Pet/a"), "pet.yaml#/a");
        assert_eq!(o.original("#/components/schemas/Pet"), "pet.yaml#");
        assert_eq!(
            o.original("#/components/schemas/Pets"),
            "#/definitions/Pets"
        );
        assert_eq!(
            o.original("#/paths/~1a/get/parameters/10"),
            "#/paths/~1a/get/parameters/10"
        );
        assert_eq!(o.original("other.yaml#/x"), "other.yaml#/x");
    }
}
