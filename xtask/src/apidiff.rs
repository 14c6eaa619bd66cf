//! `cargo xtask api-diff` and the API report of `codegen`: what a spec change does to the
//! generated crate's users, with a semver class per entry (the logic is `openapi_gen::diff`;
//! this file only finds the two documents and the versions, and prints).
//!
//! The base is a git revision of the spec (`HEAD` by default: the committed spec, the natural
//! "before" of a pull request) or any document (`--base-spec`). The crate's version is the one
//! it is built with: `generated/Cargo.toml`'s for the workspace SDK (the hand-written
//! manifest; `info.version` is the API's version, not the crate's), `info.version` for a
//! standalone crate (which takes its version from there).

use openapi_gen::diff::{self, Class, Report, Version, render};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

pub const USAGE: &str = "usage: cargo xtask api-diff [--base REF | --base-spec FILE] [--spec FILE] [--api-diff FILE] [--api-diff-json FILE]

  What the spec change does to the generated crate's public API, each change classed
  breaking / additive / patch (Rust semver, with #[non_exhaustive] and open enums), the wire
  changes that break clients already deployed, and the version bump the changes need.

  --base REF           the spec at this git revision (default: HEAD)
  --base-spec FILE     any document as the base
  --spec FILE          the new side (default: spec/openrouter.yaml)
  --api-diff FILE      write the report as Markdown (for a pull request)
  --api-diff-json FILE write the report as JSON";

/// Where the old side comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Base {
    /// The same file at a git revision.
    Rev(String),
    /// Another document.
    Spec(PathBuf),
}

/// The report options shared by `api-diff` and `codegen`.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub base: Option<Base>,
    pub markdown: Option<PathBuf>,
    pub json: Option<PathBuf>,
}

impl Options {
    /// Consume `arg` (and its value) if it is one of ours.
    pub fn parse_arg(
        &mut self,
        arg: &str,
        args: &mut impl Iterator<Item = String>,
    ) -> Result<bool, String> {
        let mut value = |what: &str| args.next().ok_or_else(|| format!("{arg} needs {what}"));
        match arg {
            "--base" => self.base = Some(Base::Rev(value("a git revision")?)),
            "--base-spec" => self.base = Some(Base::Spec(value("a file")?.into())),
            "--api-diff" => self.markdown = Some(value("a file")?.into()),
            "--api-diff-json" => self.json = Some(value("a file")?.into()),
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// `git show REV:./FILE`, run in the file's folder so any file of any repository works.
pub fn git_show(rev: &str, file: &Path) -> Result<String, String> {
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = file
        .file_name()
        .ok_or_else(|| format!("{}: not a file", file.display()))?;
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .arg("show")
        .arg(format!("{rev}:./{}", name.to_string_lossy()))
        .output()
        .map_err(|e| format!("git is not available ({e})"))?;
    if !out.status.success() {
        return Err(format!(
            "`git show {rev}:{}` failed: {}",
            shown(file),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("{}: {e}", file.display()))
}

fn model(text: &str, name: &str) -> Result<openapi_gen::model::Model, String> {
    openapi_gen::build_model(text, name, &openapi_gen::Options::default())
        .map(|(m, _)| m)
        .map_err(|e| format!("{name}: {e}"))
}

/// The package version in a manifest's `[package]` table.
pub fn manifest_version(manifest: &str) -> Option<Version> {
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package {
            if let Some(rest) = line.strip_prefix("version") {
                let v = rest
                    .trim_start()
                    .strip_prefix('=')?
                    .trim()
                    .trim_matches('"');
                return Version::parse(v);
            }
        }
    }
    None
}

/// The versions of the crate before and after the change.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Versions {
    pub old: Option<Version>,
    pub new: Option<Version>,
}

/// A computed report and the versions it is judged against.
pub struct Compared {
    pub report: Report,
    pub versions: Versions,
    /// What the base was, for messages (`HEAD:spec/openrouter.yaml`).
    pub base_name: String,
}

/// Compare `base` with `spec`. `manifest`: the crate's manifest when its version comes from
/// there (the workspace SDK); else the crate takes `info.version` (a standalone crate).
pub fn compare(base: &Base, spec: &Path, manifest: Option<&Path>) -> Result<Compared, String> {
    let new_text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let (old_text, base_name) = match base {
        Base::Rev(rev) => (git_show(rev, spec)?, format!("{rev}:{}", shown(spec))),
        Base::Spec(p) => (
            std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?,
            p.display().to_string(),
        ),
    };
    // The two documents load independently: one thread each.
    let new_name = spec.display().to_string();
    let (old, new) = std::thread::scope(|s| {
        let old = s.spawn(|| model(&old_text, &base_name));
        let new = model(&new_text, &new_name);
        (old.join().expect("the model build does not panic"), new)
    });
    let (old, new) = (old?, new?);
    let report = diff::diff(&old, &new);
    let info = |m: &openapi_gen::model::Model| {
        Some(Version::parse(&m.api.version).unwrap_or(Version {
            major: 0,
            minor: 1,
            patch: 0,
        }))
    };
    let versions = match manifest {
        Some(path) => {
            let now = std::fs::read_to_string(path).ok();
            let before = match base {
                Base::Rev(rev) => git_show(rev, path).ok(),
                // Another document says nothing of the crate's version before it.
                Base::Spec(_) => None,
            };
            Versions {
                old: before.as_deref().and_then(manifest_version),
                new: now.as_deref().and_then(manifest_version),
            }
        }
        None => Versions {
            old: info(&old),
            new: info(&new),
        },
    };
    Ok(Compared {
        report,
        versions,
        base_name,
    })
}

/// Write the Markdown and JSON files that were asked for.
pub fn write_files(c: &Compared, options: &Options) -> Result<(), String> {
    let write = |path: &Path, text: String| {
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    if let Some(p) = &options.markdown {
        write(p, render::markdown(&c.report, c.versions.old))?;
    }
    if let Some(p) = &options.json {
        write(p, render::json(&c.report, c.versions.old) + "\n")?;
    }
    Ok(())
}

/// The semver gate of `codegen --check`: `Err` names the breaking entries when the version
/// was not bumped enough for them.
pub fn gate(c: &Compared) -> Result<(), String> {
    if c.report.class() != Some(Class::Breaking) {
        return Ok(());
    }
    let names: Vec<String> = c.report.breaking().map(render::line).collect();
    let (Some(old), Some(new)) = (c.versions.old, c.versions.new) else {
        // Nothing to judge the bump against (a base document, no manifest at the base).
        eprintln!(
            "note: semver check skipped: the crate's version at {} is unknown",
            c.base_name
        );
        return Ok(());
    };
    if old.allows(new, Class::Breaking) {
        return Ok(());
    }
    Err(format!(
        "breaking API changes against {}, but the crate's version is {new} (was {old}): bump it to {} or later.\n{}",
        c.base_name,
        old.next(Class::Breaking),
        names.join("\n")
    ))
}

/// `cargo xtask api-diff`.
pub fn main(mut args: impl Iterator<Item = String>) -> Result<ExitCode, String> {
    let mut options = Options::default();
    let mut spec: Option<PathBuf> = None;
    while let Some(arg) = args.next() {
        if arg == "--spec" {
            spec = Some(args.next().ok_or("--spec needs a file")?.into());
        } else if !options.parse_arg(&arg, &mut args)? {
            return Err(format!("unknown argument `{arg}`\n{USAGE}"));
        }
    }
    let sdk_spec = crate::root().join("spec/openrouter.yaml");
    let spec = spec.unwrap_or_else(|| sdk_spec.clone());
    // The workspace SDK's version is its manifest's; any other crate's is `info.version`.
    let manifest = crate::root().join("generated/Cargo.toml");
    let manifest = same_file(&spec, &sdk_spec).then_some(manifest.as_path());
    let base = options.base.clone().unwrap_or(Base::Rev("HEAD".into()));
    let c = compare(&base, &spec, manifest)?;
    // A closed pipe (`| head`) ends the listing, not the program.
    let _ = std::io::Write::write_all(
        &mut std::io::stdout(),
        render::summary(&c.report, c.versions.old).as_bytes(),
    );
    write_files(&c, &options)?;
    Ok(ExitCode::SUCCESS)
}

/// A path as the user would name it: relative to the workspace when inside it.
fn shown(p: &Path) -> String {
    p.strip_prefix(crate::root())
        .unwrap_or(p)
        .display()
        .to_string()
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// After `codegen`: print the summary when the regeneration changed the API, write the files
/// asked for and, with `--check`, apply the semver gate. A missing base (no git, a tarball)
/// skips the report with a note instead of failing.
pub fn after_codegen(
    spec: &Path,
    manifest: Option<&Path>,
    options: &Options,
    regenerated: bool,
    check: bool,
) -> Result<bool, String> {
    let explicit = options.base.is_some();
    let base = match (&options.base, manifest) {
        (Some(b), _) => b.clone(),
        // The workspace SDK: the committed spec is the base.
        (None, Some(_)) => Base::Rev("HEAD".into()),
        (None, None) if options.markdown.is_some() || options.json.is_some() => {
            return Err("--api-diff and --api-diff-json need --base or --base-spec here".into());
        }
        (None, None) => return Ok(true),
    };
    let c = match compare(&base, spec, manifest) {
        Ok(c) => c,
        // Without git or the base, there is nothing to compare: say so and skip.
        Err(e) if !explicit && matches!(base, Base::Rev(_)) => {
            eprintln!("note: API change report and semver check skipped: {e}");
            return Ok(true);
        }
        Err(e) => return Err(e),
    };
    write_files(&c, options)?;
    if !c.report.is_empty() && (regenerated || check || explicit) {
        eprint!("{}", render::summary(&c.report, c.versions.old));
    }
    match gate(&c) {
        Err(e) if check => {
            eprintln!("error: {e}");
            Ok(false)
        }
        _ => Ok(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("spec")).unwrap();
        std::fs::create_dir_all(dir.join("generated")).unwrap();
        dir
    }

    fn git(dir: &Path, args: &[&str]) -> bool {
        Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .is_ok_and(|o| o.status.success())
    }

    /// A copy of the workspace's spec and manifest, committed in a fresh repository.
    fn workspace_copy(name: &str, commit: bool) -> Option<PathBuf> {
        let dir = temp(name);
        for f in ["spec/openrouter.yaml", "generated/Cargo.toml"] {
            std::fs::copy(crate::root().join(f), dir.join(f)).unwrap();
        }
        if commit
            && !(git(&dir, &["init", "-q"])
                && git(&dir, &["add", "."])
                && git(&dir, &["commit", "-qm", "base"]))
        {
            eprintln!("git unavailable: skipped");
            return None;
        }
        Some(dir)
    }

    /// The spec with one operation removed (a breaking change).
    fn remove_an_operation(spec: &Path) -> String {
        let text = std::fs::read_to_string(spec).unwrap();
        let mut doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let paths = doc["paths"].as_mapping_mut().unwrap();
        let (_, item) = paths
            .iter_mut()
            .find(|(_, v)| v.get("delete").is_some())
            .expect("a DELETE operation");
        let op = item.as_mapping_mut().unwrap().remove("delete").unwrap();
        std::fs::write(spec, serde_yaml::to_string(&doc).unwrap()).unwrap();
        op["operationId"].as_str().unwrap().to_owned()
    }

    #[test]
    fn manifest_versions_are_read_from_the_package_table() {
        let m = "[workspace]\nversion = \"9.9.9\"\n[package]\nname = \"x\"\nversion = \"0.3.1\"\n";
        assert_eq!(manifest_version(m), Version::parse("0.3.1"));
        assert_eq!(manifest_version("[package]\nname = \"x\"\n"), None);
    }

    /// `codegen --check` fails on a breaking change until the crate's version is bumped.
    #[test]
    fn check_gate_needs_a_version_bump_for_breaking_changes() {
        let Some(dir) = workspace_copy("gate", true) else {
            return;
        };
        let spec = dir.join("spec/openrouter.yaml");
        let manifest = dir.join("generated/Cargo.toml");
        let check =
            |spec: &Path| after_codegen(spec, Some(&manifest), &Options::default(), false, true);
        assert_eq!(check(&spec), Ok(true), "nothing changed");
        remove_an_operation(&spec);
        let c = compare(&Base::Rev("HEAD".into()), &spec, Some(&manifest)).unwrap();
        let e = gate(&c).unwrap_err();
        assert!(e.contains("bump it to 0.2.0"), "{e}");
        assert!(e.contains("().delete"), "names the removed operation: {e}");
        assert_eq!(check(&spec), Ok(false));
        let text = std::fs::read_to_string(&manifest).unwrap();
        std::fs::write(
            &manifest,
            text.replacen("version = \"0.1.0\"", "version = \"0.2.0\"", 1),
        )
        .unwrap();
        assert_eq!(check(&spec), Ok(true), "bumped");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Without git (a tarball), the report and the gate are skipped with a note.
    #[test]
    fn no_git_base_skips_the_gate() {
        let dir = workspace_copy("nogit", false).unwrap();
        let spec = dir.join("spec/openrouter.yaml");
        remove_an_operation(&spec);
        let manifest = dir.join("generated/Cargo.toml");
        assert_eq!(
            after_codegen(&spec, Some(&manifest), &Options::default(), true, true),
            Ok(true)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The reference spec against an earlier version of itself (an edited copy): the same
    /// report every time, and under a second in release.
    #[test]
    fn reference_report_is_deterministic_and_fast() {
        let reference = crate::root().join("../shared/reference/openrouter-openapi.yaml");
        if !reference.is_file() {
            return;
        }
        let dir = temp("reference");
        let earlier = dir.join("spec/earlier.yaml");
        std::fs::write(&earlier, earlier_version(&reference)).unwrap();
        let base = Base::Spec(earlier);
        let start = std::time::Instant::now();
        let first = compare(&base, &reference, None).unwrap();
        let elapsed = start.elapsed();
        let second = compare(&base, &reference, None).unwrap();
        assert!(!first.report.is_empty());
        assert_eq!(
            render::markdown(&first.report, first.versions.old),
            render::markdown(&second.report, second.versions.old)
        );
        assert_eq!(
            render::json(&first.report, None),
            render::json(&second.report, None)
        );
        if !cfg!(debug_assertions) {
            assert!(elapsed.as_secs_f64() < 1.0, "{elapsed:?}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// An "earlier" reference spec: its last path gone and one property fewer in the first
    /// object schema with several (so the report has additions to find).
    fn earlier_version(reference: &Path) -> String {
        let text = std::fs::read_to_string(reference).unwrap();
        let mut doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let paths = doc["paths"].as_mapping_mut().unwrap();
        let last = paths.keys().last().cloned().unwrap();
        paths.remove(&last);
        let schemas = doc["components"]["schemas"].as_mapping_mut().unwrap();
        if let Some(props) = schemas
            .values_mut()
            .filter_map(|s| s.get_mut("properties")?.as_mapping_mut())
            .find(|p| p.len() > 2)
        {
            let key = props.keys().last().cloned().unwrap();
            props.remove(&key);
        }
        serde_yaml::to_string(&doc).unwrap()
    }
}
