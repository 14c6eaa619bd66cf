//! One error type for the whole pipeline. Every spec problem names its place as a JSON
//! pointer (`#/paths/~1byok/get/responses/200`) so a user can jump straight to it.

use std::path::PathBuf;

/// Result alias used across the generator.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong between reading a spec and writing Rust files.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The text is not valid YAML (or JSON).
    #[error("{source_name}: invalid {format} at line {line}, column {column}: {message}")]
    Syntax {
        source_name: String,
        format: &'static str,
        line: usize,
        column: usize,
        message: String,
    },
    /// The document parsed but is not a spec we can use; `pointer` names the place.
    #[error("{pointer}: {reason}")]
    Spec { pointer: String, reason: String },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Generated tokens did not parse as Rust (a generator bug, reported instead of panicking).
    #[error("generated code for {what} is not valid Rust: {message}")]
    Format { what: String, message: String },
}

impl Error {
    /// A spec error at `pointer` (already `#/`-prefixed and escaped).
    pub fn spec(pointer: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Spec {
            pointer: pointer.into(),
            reason: reason.into(),
        }
    }
}

/// Escape one reference token of a JSON pointer (RFC 6901): `~` → `~0`, `/` → `~1`.
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Builds `#/a/b~1c` style pointers; cheap to clone and extend while walking a spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pointer(pub String);

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Pointer("#".to_owned())
    }
    /// This pointer with one more (escaped) token.
    pub fn push(&self, token: impl AsRef<str>) -> Self {
        // One allocation of the final size: the load and model walks push for every node.
        let token = token.as_ref();
        let mut s = String::with_capacity(self.0.len() + 1 + token.len());
        s.push_str(&self.0);
        s.push('/');
        if token.contains(['~', '/']) {
            s.push_str(&escape_token(token));
        } else {
            s.push_str(token);
        }
        Pointer(s)
    }
    /// The pointer text, e.g. `#/paths/~1byok`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// An error located here.
    pub fn error(&self, reason: impl Into<String>) -> Error {
        Error::spec(self.0.clone(), reason)
    }
}

impl std::fmt::Display for Pointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
