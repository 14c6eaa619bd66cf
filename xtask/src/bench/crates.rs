//! The crates that figure 5 builds: the standalone crates generated for the reference spec
//! and the Nexus spec (`crate::standalone::write`, the same path as `cargo xtask codegen
//! --out`), their line counts and their operation-group features.

use std::path::{Path, PathBuf};

use openapi_gen::write::Mode;

use crate::root;

/// The Nexus document of the corpus (progenitor's test spec), built as `nexus-client`.
pub(super) fn nexus_spec() -> PathBuf {
    root().join("../shared/corpus/specs/progenitor-nexus.json")
}

/// A standalone crate written for a spec.
pub(super) struct Standalone {
    pub(super) dir: PathBuf,
    /// The package name (`--name`, else from the document's title).
    pub(super) name: String,
    /// Lines of `src/` (all of it is generated: `lib.rs` and `src/generated/`).
    pub(super) lines: usize,
}

/// Writes the crate for `spec` into a fresh `dir`, with the workspace's `Cargo.lock` (the
/// same dependency versions as `openrouter`, no resolution in the timed builds).
pub(super) fn standalone(
    spec: &Path,
    dir: &Path,
    name: Option<&str>,
) -> Result<Standalone, String> {
    let _ = std::fs::remove_dir_all(dir);
    let written = crate::standalone::write(
        spec,
        dir,
        Mode::Write,
        &crate::standalone::Options {
            name: name.map(str::to_owned),
            vendor_runtime: false,
        },
        &openapi_gen::Options::default(),
    )
    .map_err(|e| format!("codegen of {}: {e}", spec.display()))?;
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| format!("copying Cargo.lock: {e}"))?;
    Ok(Standalone {
        dir: dir.to_owned(),
        name: written.info.name,
        lines: line_count(&dir.join("src")),
    })
}

/// Lines of the `.rs` files under `dir` (recursively).
pub(super) fn line_count(dir: &Path) -> usize {
    count(dir, &|_| true)
}

/// Lines of `runtime/src` without its test-only modules (`*_tests.rs`, `test_support.rs`).
pub(super) fn runtime_lines() -> usize {
    count(&root().join("runtime/src"), &|name| {
        !name.ends_with("_tests.rs") && name != "test_support.rs"
    })
}

fn count(dir: &Path, keep: &dyn Fn(&str) -> bool) -> usize {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    rd.filter_map(|e| e.ok())
        .map(|e| e.path())
        .map(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            if p.is_dir() {
                count(&p, keep)
            } else if p.extension().is_some_and(|x| x == "rs") && name.is_some_and(|n| keep(&n)) {
                std::fs::read_to_string(&p).map_or(0, |s| s.lines().count())
            } else {
                0
            }
        })
        .sum()
}

/// The operation-group features of a generated crate's manifest: the items of
/// `[features] default = [...]` other than the TLS backends. Empty when the crate has none.
pub(super) fn group_features(manifest: &str) -> Vec<String> {
    let mut in_features = false;
    let mut list: Option<String> = None;
    for line in manifest.lines() {
        let t = line.split('#').next().unwrap_or("").trim();
        if let Some(acc) = list.as_mut() {
            acc.push_str(t);
            if t.contains(']') {
                break;
            }
            continue;
        }
        if t.starts_with('[') {
            in_features = t == "[features]";
            continue;
        }
        if in_features
            && let Some((k, v)) = t.split_once('=')
            && k.trim() == "default"
        {
            let v = v.trim().to_owned();
            let done = v.contains(']');
            list = Some(v);
            if done {
                break;
            }
        }
    }
    let Some(list) = list else {
        return Vec::new();
    };
    list.trim_start_matches('[')
        .split(']')
        .next()
        .unwrap_or("")
        .split(',')
        .map(|f| f.trim().trim_matches('"').to_owned())
        .filter(|f| {
            !f.is_empty()
                && !f.contains('/')
                && !f.starts_with("dep:")
                && !matches!(f.as_str(), "rustls-ring" | "rustls-aws-lc" | "native-tls")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::group_features;

    #[test]
    fn group_features_are_default_minus_tls() {
        let m = "[package]\nname = \"x\"\ndefault = [\"no\"]\n\n[features]\n\
                 default = [\"rustls-ring\", \"chat\", \"models\"]\nchat = []\n";
        assert_eq!(group_features(m), ["chat", "models"]);
        let multi = "[features]\ndefault = [\n  \"rustls-ring\", # TLS\n  \"a-b\",\n]\n";
        assert_eq!(group_features(multi), ["a-b"]);
        let none = "[features]\ndefault = [\"rustls-ring\"]\nmock = []\n";
        assert!(group_features(none).is_empty());
        assert!(group_features("[package]\nname = \"x\"\n").is_empty());
    }
}
