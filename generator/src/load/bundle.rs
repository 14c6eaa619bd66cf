//! Documents split over files → one document. Every `$ref` whose part before `#` is a file
//! path is resolved against the file that holds it (any depth, YAML or JSON, pointers into
//! the file, cycles across files):
//! - a schema (met under `schema`, `schemas` or `definitions`) becomes a named component
//!   (`#/components/schemas/<name>`, or `#/definitions/<name>` in Swagger 2.0): the name is
//!   the pointer's last token (the file's stem for a whole file); a name already taken by
//!   another schema gets the file's stem in front, then a number. Names are given in the
//!   order the references are met in the documents, never in directory listing order, so
//!   they are the same on every machine. A component of the root that is just a reference
//!   to a file takes that file's content under its own name;
//! - anything else (parameters, responses, path items, …) is copied in place.
//!
//! Every file must lie under the reference root (default: the root file's folder); a
//! reference leaving it, or naming a URL, is refused with an error naming the file, pointer,
//! line and column. Places of copied content are recorded in [`Origins`] as `file#/pointer`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};

use super::origins::Origins;
use crate::error::{Pointer, escape_token};
use crate::{Error, Result, Warning, WarningKind};

/// One file of a split document.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the reference root, `/`-separated (the root file: as given).
    pub name: String,
    pub text: String,
}

/// A bundled document and the files it came from (the root first).
#[derive(Debug, Clone)]
pub(super) struct Bundled {
    pub doc: Value,
    pub files: Vec<SourceFile>,
    pub origins: Origins,
    /// Repeated keys in any file, placed (pointers into other files name the file).
    pub duplicates: Vec<crate::Warning>,
}

struct Loaded {
    path: PathBuf,
    file: SourceFile,
    value: Value,
}

struct Bundler {
    ref_root: PathBuf,
    files: Vec<Loaded>,
    by_path: BTreeMap<PathBuf, usize>,
    swagger: bool,
    /// (file, pointer) of a schema → its component name.
    names: BTreeMap<(usize, String), String>,
    taken: BTreeSet<String>,
    queue: VecDeque<(usize, String, String)>,
    hoisted: Vec<(String, Value)>,
    /// Non-schema references being copied, to refuse a cycle of them.
    copying: Vec<(usize, String)>,
    /// Non-schema references copied so far (see [`MAX_COPIES`]).
    copies: usize,
    origins: Origins,
    duplicates: Vec<crate::Warning>,
}

/// Most non-schema references followed inside one another (a guard, not a real limit).
const MAX_COPY_DEPTH: usize = 64;

/// Most non-schema references copied in all: files that each refer to the next several
/// times would otherwise grow the document exponentially.
const MAX_COPIES: usize = 100_000;

/// Read `root` and every file it references under `ref_root` (default: `root`'s folder).
pub(super) fn bundle(root: &Path, ref_root: Option<&Path>) -> Result<Bundled> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Io { path, source }
    };
    let root_path = std::fs::canonicalize(root).map_err(io(root))?;
    let ref_root = match ref_root {
        Some(dir) => std::fs::canonicalize(dir).map_err(io(dir))?,
        None => root_path
            .parent()
            .map_or_else(|| PathBuf::from("/"), Path::to_owned),
    };
    if !root_path.starts_with(&ref_root) {
        return Err(Error::spec(
            "#",
            format!(
                "{} is not under the reference root {} (`--ref-root`)",
                root.display(),
                ref_root.display()
            ),
        ));
    }
    let text = super::utf8::read_spec(root)?;
    let (value, duplicates) = super::parse::parse(&text, &root.display().to_string())?;
    let swagger = super::swagger2::is_swagger(&value);
    let mut b = Bundler {
        ref_root,
        files: Vec::new(),
        by_path: BTreeMap::new(),
        swagger,
        names: BTreeMap::new(),
        taken: BTreeSet::new(),
        queue: VecDeque::new(),
        hoisted: Vec::new(),
        copying: Vec::new(),
        copies: 0,
        origins: Origins::default(),
        duplicates: duplicates
            .into_iter()
            .map(super::dup_keys::Duplicate::into_warning)
            .collect(),
    };
    // A document of one file is left as it is (and not copied).
    let split = has_file_refs(&value);
    b.by_path.insert(root_path.clone(), 0);
    b.files.push(Loaded {
        path: root_path,
        file: SourceFile {
            name: root.display().to_string(),
            text,
        },
        value: if split { value.clone() } else { Value::Null },
    });
    let mut doc = value;
    if split {
        b.run(&mut doc)?;
    }
    Ok(Bundled {
        doc,
        files: b.files.into_iter().map(|f| f.file).collect(),
        origins: b.origins,
        duplicates: b.duplicates,
    })
}

fn has_file_refs(v: &Value) -> bool {
    match v {
        Value::Object(map) => {
            map.get("$ref")
                .and_then(Value::as_str)
                .is_some_and(|r| !r.starts_with('#'))
                || map.values().any(has_file_refs)
        }
        Value::Array(list) => list.iter().any(has_file_refs),
        _ => false,
    }
}

/// The pointer of the schema section: `/components/schemas` or `/definitions`.
fn section(swagger: bool) -> &'static [&'static str] {
    if swagger {
        &["definitions"]
    } else {
        &["components", "schemas"]
    }
}

impl Bundler {
    fn run(&mut self, doc: &mut Value) -> Result<()> {
        let section = section(self.swagger);
        let section_at = section.iter().fold(Pointer::root(), |p, t| p.push(t));
        // Names of the root's own schemas are taken; one that only refers to a file gives
        // its name to that file's schema.
        let mut in_place = Vec::new();
        if let Some(Value::Object(schemas)) = doc.pointer(&section_at.as_str()[1..]) {
            self.taken.extend(schemas.keys().cloned());
            for (name, s) in schemas {
                let r = match s.as_object() {
                    Some(m) if m.len() == 1 => m.get("$ref").and_then(Value::as_str),
                    _ => None,
                };
                if let Some(r) = r.filter(|r| !r.starts_with('#')) {
                    let at = section_at.push(name);
                    let target = self.target(0, r, &at)?;
                    if !self.names.contains_key(&target) {
                        self.names.insert(target.clone(), name.clone());
                        self.queue.push_back((target.0, target.1, name.clone()));
                        in_place.push(name.clone());
                    }
                }
            }
        }
        if let Some(Value::Object(schemas)) = doc.pointer_mut(&section_at.as_str()[1..]) {
            for name in &in_place {
                schemas.insert(name.clone(), Value::Null);
            }
        }
        self.walk(doc, 0, &Pointer::root(), &Pointer::root(), false)?;
        while let Some((file, pointer, name)) = self.queue.pop_front() {
            let out_at = section_at.push(&name);
            let at = Pointer(format!("#{pointer}"));
            let mut value = self.value(&(file, pointer.clone()), (0, &out_at))?.clone();
            self.walk(&mut value, file, &at, &out_at, true)?;
            self.origins.add(
                out_at.as_str(),
                format!("{}#{pointer}", self.files[file].file.name),
            );
            self.hoisted.push((name, value));
        }
        let mut target = &mut *doc;
        for token in section {
            let Value::Object(map) = target else {
                return Err(Error::spec("#", "the document must be a mapping"));
            };
            target = map
                .entry((*token).to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
        }
        let Value::Object(schemas) = target else {
            return Err(section_at.error("must be a mapping"));
        };
        for (name, value) in self.hoisted.drain(..) {
            schemas.insert(name, value);
        }
        Ok(())
    }

    /// Resolve the file references in `v` (of `file`, at `at` there; at `out_at` in the
    /// bundled document). `schema`: `v` is (inside) a schema.
    fn walk(
        &mut self,
        v: &mut Value,
        file: usize,
        at: &Pointer,
        out_at: &Pointer,
        schema: bool,
    ) -> Result<()> {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    let r = r.clone();
                    if !(file == 0 && r.starts_with('#')) {
                        // Siblings (3.1 schemas, `description`…) are resolved in this file.
                        for (key, child) in map.iter_mut().filter(|(k, _)| *k != "$ref") {
                            self.walk(child, file, &at.push(key), &out_at.push(key), schema)?;
                        }
                        self.reference(v, &r, file, at, out_at, schema)?;
                        return Ok(());
                    }
                }
                for (key, child) in map.iter_mut() {
                    let child_schema = schema
                        || (!key.starts_with("x-")
                            && matches!(key.as_str(), "schema" | "schemas" | "definitions"));
                    self.walk(child, file, &at.push(key), &out_at.push(key), child_schema)?;
                }
                Ok(())
            }
            Value::Array(list) => {
                for (i, child) in list.iter_mut().enumerate() {
                    let i = i.to_string();
                    self.walk(child, file, &at.push(&i), &out_at.push(&i), schema)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Replace the reference object `v` (`$ref: r`, in `file` at `at`).
    fn reference(
        &mut self,
        v: &mut Value,
        r: &str,
        file: usize,
        at: &Pointer,
        out_at: &Pointer,
        schema: bool,
    ) -> Result<()> {
        let target = self.target(file, r, at)?;
        let Value::Object(map) = v else {
            unreachable!("a reference object");
        };
        if target.0 == 0 {
            // Into the root document, which stays where it is.
            let local = format!("#{}", target.1.replace('%', "%25"));
            map.insert("$ref".into(), Value::String(local));
            return Ok(());
        }
        if schema {
            let name = self.schema_name(&target);
            let prefix: String = section(self.swagger)
                .iter()
                .map(|t| format!("/{t}"))
                .collect();
            let local = format!("#{prefix}/{}", escape_token(&name));
            map.insert("$ref".into(), Value::String(local));
            return Ok(());
        }
        if self.copying.contains(&target) || self.copying.len() >= MAX_COPY_DEPTH {
            return Err(self.located(
                file,
                at,
                format!("`$ref: {r}` is part of a cycle of references that are not schemas"),
            ));
        }
        self.copies += 1;
        if self.copies > MAX_COPIES {
            return Err(self.located(
                file,
                at,
                format!("more than {MAX_COPIES} references that are not schemas to copy"),
            ));
        }
        let mut copy = self.value(&target, (file, &at.push("$ref")))?.clone();
        // Siblings of the reference (`description`, `summary`) stay over the copy.
        let siblings: Vec<(String, Value)> = map
            .iter()
            .filter(|(k, _)| *k != "$ref")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        self.copying.push(target.clone());
        let target_at = Pointer(format!("#{}", target.1));
        let walked = self.walk(&mut copy, target.0, &target_at, out_at, false);
        self.copying.pop();
        walked?;
        if let Value::Object(copied) = &mut copy {
            copied.extend(siblings);
        }
        self.origins.add(
            out_at.as_str(),
            format!("{}#{}", self.files[target.0].file.name, target.1),
        );
        *v = copy;
        Ok(())
    }

    /// The component name of the schema at `target`, given (and queued) on first sight.
    fn schema_name(&mut self, target: &(usize, String)) -> String {
        if let Some(name) = self.names.get(target) {
            return name.clone();
        }
        let stem = Path::new(&self.files[target.0].file.name)
            .file_stem()
            .and_then(|s| s.to_str())
            .map(component_name)
            .unwrap_or_default();
        let last = target
            .1
            .rsplit('/')
            .next()
            .map(|t| component_name(&t.replace("~1", "/").replace("~0", "~")))
            .unwrap_or_default();
        let base = if last.is_empty() || last.bytes().all(|b| b.is_ascii_digit()) {
            format!("{stem}{last}")
        } else {
            last.clone()
        };
        let base = if base.is_empty() {
            "Schema".to_owned()
        } else {
            base
        };
        let mut name = base.clone();
        if self.taken.contains(&name) && !stem.is_empty() && base != stem {
            name = format!("{stem}_{base}");
        }
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        self.names.insert(target.clone(), name.clone());
        self.queue
            .push_back((target.0, target.1.clone(), name.clone()));
        name
    }

    /// The value at `target`, referenced from `from` (file and place) for errors.
    fn value(&self, target: &(usize, String), from: (usize, &Pointer)) -> Result<&Value> {
        let (file, pointer) = target;
        self.files[*file].value.pointer(pointer).ok_or_else(|| {
            self.located(
                from.0,
                from.1,
                format!(
                    "unresolved $ref: {} has no `#{pointer}`",
                    self.files[*file].file.name
                ),
            )
        })
    }

    /// The file and pointer `r` (met in `file` at `at`) names, reading the file if new.
    fn target(&mut self, file: usize, r: &str, at: &Pointer) -> Result<(usize, String)> {
        let at = &at.push("$ref");
        let (path, fragment) = r.split_once('#').unwrap_or((r, ""));
        let fragment = super::ctx::percent_decode(fragment).ok_or_else(|| {
            self.located(file, at, format!("`$ref: {r}`: invalid percent-encoding"))
        })?;
        if !fragment.is_empty() && !fragment.starts_with('/') {
            return Err(self.located(
                file,
                at,
                format!("`$ref: {r}` names an anchor; only JSON pointers (`#/…`) are read"),
            ));
        }
        if path.is_empty() {
            return Ok((file, fragment));
        }
        let scheme = path.split_once(':').is_some_and(|(s, _)| {
            s.len() > 1
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
        if scheme || path.starts_with("//") {
            return Err(self.located(
                file,
                at,
                format!(
                    "remote `$ref: {r}` is refused: the generator never reads the network \
                     (download the file and refer to it by a relative path)"
                ),
            ));
        }
        let decoded = super::ctx::percent_decode(path).ok_or_else(|| {
            self.located(file, at, format!("`$ref: {r}`: invalid percent-encoding"))
        })?;
        let base = self.files[file].path.parent().unwrap_or(Path::new("/"));
        let joined = lexical(&base.join(&decoded));
        let outside = |b: &Self| {
            b.located(
                file,
                at,
                format!(
                    "`$ref: {r}` leaves the reference root {}; pass `--ref-root DIR` (a folder \
                     holding every file of the document) to allow it",
                    b.ref_root.display()
                ),
            )
        };
        if !joined.starts_with(&self.ref_root) {
            return Err(outside(self));
        }
        let canonical = std::fs::canonicalize(&joined).map_err(|e| {
            self.located(file, at, format!("`$ref: {r}`: {}: {e}", joined.display()))
        })?;
        // A symbolic link may point elsewhere: the file itself must be under the root too.
        if !canonical.starts_with(&self.ref_root) {
            return Err(outside(self));
        }
        if let Some(&i) = self.by_path.get(&canonical) {
            return Ok((i, fragment));
        }
        let name = canonical
            .strip_prefix(&self.ref_root)
            .unwrap_or(&canonical)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let text = super::utf8::read_spec(&canonical)?;
        let (value, duplicates) = super::parse::parse(&text, &name)?;
        self.duplicates.extend(
            duplicates
                .into_iter()
                .map(super::dup_keys::Duplicate::into_warning)
                .map(|mut w| {
                    w.pointer = format!("{name}{}", w.pointer);
                    w
                }),
        );
        let i = self.files.len();
        self.by_path.insert(canonical.clone(), i);
        self.files.push(Loaded {
            path: canonical,
            file: SourceFile { name, text },
            value,
        });
        Ok((i, fragment))
    }

    /// An error at `at` of `file`, naming the file, pointer, line and column.
    fn located(&self, file: usize, at: &Pointer, reason: String) -> Error {
        let f = &self.files[file].file;
        let pointer = if file == 0 {
            at.as_str().to_owned()
        } else {
            format!("{}{}", f.name, at.as_str())
        };
        let mut probe = [Warning::new(WarningKind::StrayKey, at.as_str(), "")];
        super::position::place_warnings(&f.text, &mut probe);
        let place = match (probe[0].line, probe[0].column) {
            (Some(l), Some(c)) => format!(" ({} line {l}, column {c})", f.name),
            _ => format!(" ({})", f.name),
        };
        Error::spec(pointer, format!("{reason}{place}"))
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system (so `..` cannot climb out of the
/// reference root through a missing folder).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A component name (`[A-Za-z0-9._-]`) from a file stem or pointer token.
fn component_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "bundle_tests.rs"]
mod tests;
