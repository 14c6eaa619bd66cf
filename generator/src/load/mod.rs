//! Stage 1, `load`: spec text → `serde_json::Value` → [`normalize`] (OpenAPI 3.1 / JSON
//! Schema 2020-12 → the 3.0 shapes `openapiv3` models, losing nothing) →
//! `openapiv3::OpenAPI`.
//!
//! `openapiv3` silently drops every key it does not model, so [`normalize`] rewrites what it
//! can (see [`rules`]; `$defs`, recursive and deep `$ref`s in `prepass`), moves annotation-only
//! keywords into `x-<name>` extensions, and records a [`Warning`](crate::Warning) for every
//! place where meaning is widened or dropped (unenforced keywords, stray keys, repairs). It
//! refuses, with an [`Error::Spec`](crate::Error::Spec) and a JSON pointer, only what has no
//! faithful output: `$ref`s that do not resolve (or are external), cycles with no base case,
//! structural keywords with unusable values.
//!
//! Normalised forms the model has to interpret (see `schema.rs` for details):
//! - nullable types carry `nullable: true` (from `type: [T, 'null']`, `null` in `enum`, or a
//!   removed `{type: 'null'}` member of `anyOf`/`oneOf`, which can leave a one-member
//!   `anyOf`/`oneOf` meaning "nullable T");
//! - a `$ref` with siblings is `{allOf: [{$ref}], <siblings>}`; a pure `$ref` is unchanged;
//! - the null type alone is `{nullable: true, enum: [null]}` (no `type`);
//! - several non-null types are `{anyOf: [{type: A, …}, {type: B, …}], <common keys>}`;
//! - `const: v` is `enum: [v]` (with the `type` inferred for scalars);
//! - tuple `prefixItems` are kept (normalised) in `x-prefixItems`; schema `examples` in
//!   `x-examples` (the first also as `example`); annotations such as `$comment` or
//!   `contentMediaType` as `x-$comment`, `x-contentMediaType`; `default: null` and
//!   `example: null` (which `openapiv3` would read as absent) as `x-default` / `x-example`;
//!   an annotated null member removed from `anyOf`/`oneOf` as `x-null-member`.

mod alias_cycles;
mod audit;
mod bundle;
mod deep_refs;
mod distribute;
mod document;
mod dup_keys;
mod locate;
mod origins;
mod params;
mod position;
mod prepass;
mod repair;
mod schema;
mod source;
mod split;
mod swagger2;
mod swagger2_ops;
#[cfg(test)]
mod swagger2_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tolerance_tests;
mod typed;
mod utf8;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::{Error, Result};

/// A loaded, normalised spec.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    pub openapi: openapiv3::OpenAPI,
    /// How many places each normalisation rule rewrote (rule name -> count), for reports.
    pub report: NormalizeReport,
    /// Places where meaning was widened or dropped (unsorted, without line/column).
    pub warnings: Vec<crate::Warning>,
    /// For a Swagger 2.0 document: places of the converted document → places of the 2.0
    /// one (the warnings above are already mapped; later stages' warnings map through it).
    pub origins: Origins,
}

pub use bundle::SourceFile;
pub use origins::Origins;
pub use position::place_warnings;
pub use source::Source;
pub use utf8::{read_spec, text_from_bytes};

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

/// Load a spec from text. JSON if it starts with `{` (after whitespace), else YAML.
/// Swagger 2.0 is converted first (see `swagger2.rs`).
pub fn load_str(text: &str, source_name: &str) -> Result<LoadedSpec> {
    load_source(&mut Source::text(text, source_name)?)
}

/// Load the document of `source` (taken out of it; the source keeps its files, to place
/// warnings with [`Source::place`]). Errors name places in the files the user wrote.
pub fn load_source(source: &mut Source) -> Result<LoadedSpec> {
    let mut doc = source.take_document();
    let mut origins = Origins::default();
    // Repeated keys, found (and placed) while parsing.
    let mut warnings = source.take_parse_warnings();
    if swagger2::is_swagger(&doc) {
        let converted = swagger2::convert(&mut doc).map_err(|e| source.error(e))?;
        warnings.extend(converted.warnings);
        origins = converted.origins;
    }
    let located = |e: Error| source.error(origins.error(e));
    let (report, found) = normalize_warned(&mut doc).map_err(located)?;
    warnings.extend(origins.warnings(found));
    let openapi = typed::openapi(&mut doc).map_err(located)?;
    Ok(LoadedSpec {
        openapi,
        report,
        warnings,
        origins,
    })
}

/// The OpenAPI 3 document the rest of the pipeline starts from (see [`openapi3_document`]).
#[derive(Debug, Clone)]
pub struct Openapi3Document {
    /// The document as JSON, before the 3.1 normalisation.
    pub doc: Value,
    /// For Swagger 2.0, the bundled 2.0 document `doc` was converted from.
    pub swagger: Option<Value>,
    /// How many files were bundled into `doc` (1: not split).
    pub files: usize,
}

/// The document at `root` with its referenced files bundled in and, for Swagger 2.0,
/// converted. Tools that read OpenAPI 3 (the conformance oracles) take this for a 2.0 or
/// split document.
pub fn openapi3_document(root: &Path, ref_root: Option<&Path>) -> Result<Openapi3Document> {
    let mut source = Source::files(root, ref_root)?;
    let files = source.source_files().len();
    let mut doc = source.take_document();
    let swagger = swagger2::is_swagger(&doc).then(|| doc.clone());
    if swagger.is_some() {
        swagger2::convert(&mut doc).map_err(|e| source.error(e))?;
    }
    Ok(Openapi3Document {
        doc,
        swagger,
        files,
    })
}

/// Stack for [`with_big_stack`]; only reserved address space until used.
const DESERIALIZE_STACK: usize = 64 << 20;

/// Run `f` on a thread with a [`DESERIALIZE_STACK`] stack. `openapiv3`'s untagged and
/// flattened types buffer every schema level through several deep serde frames (about 30 KB
/// per nesting level in a debug build), so a document at the parsers' nesting limit of 128
/// would overflow an ordinary 2 MiB thread stack. The nesting is bounded (by the parsers and
/// [`document::MAX_SCHEMA_DEPTH`]), so a fixed large stack always suffices; if the thread
/// cannot be spawned, `f` runs on the caller's stack.
fn with_big_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    let mut f = Some(f);
    let spawned = std::thread::scope(|scope| {
        let f = &mut f;
        let handle = std::thread::Builder::new()
            .name("openapi-gen-load".into())
            .stack_size(DESERIALIZE_STACK)
            .spawn_scoped(scope, move || (f.take().expect("called once"))());
        handle.ok().map(|h| match h.join() {
            Ok(value) => value,
            Err(panic) => std::panic::resume_unwind(panic),
        })
    });
    match spawned {
        Some(value) => value,
        None => (f.take().expect("not run: the thread did not start"))(),
    }
}

/// Load a spec file and every file it references under its folder (see [`Source::files`]);
/// the warnings are placed (file, pointer, line and column).
pub fn load_path(path: &Path) -> Result<LoadedSpec> {
    let mut source = Source::files(path, None)?;
    let mut loaded = load_source(&mut source)?;
    source.place(&mut loaded.warnings);
    Ok(loaded)
}

/// Rewrite an OpenAPI 3.1 (or 3.0) document in place into the shapes `openapiv3` reads.
/// Pure: no I/O. Errors name the offending place as a JSON pointer.
pub fn normalize(doc: &mut Value) -> Result<NormalizeReport> {
    normalize_warned(doc).map(|(report, _)| report)
}

/// [`normalize`], also returning the warnings (meaning widened or dropped).
pub fn normalize_warned(doc: &mut Value) -> Result<(NormalizeReport, Vec<crate::Warning>)> {
    // Hoisting `$defs` and settling recursive refs rewrites `$ref`s, so it runs before the
    // walk takes its copy of the document to resolve references against.
    let mut warnings = prepass::run(doc);
    alias_cycles::check(doc)?;
    let original = doc.clone();
    let mut cx = document::Ctx::new(&original);
    document::document(doc, &mut cx)?;
    warnings.append(&mut cx.warnings);
    Ok((cx.report, warnings))
}

/// Integers beyond 64 bits in YAML reach `serde_json` as
/// an i128, which it refuses ("out of range"), while the same number in JSON is read as a
/// float. Such a literal is rewritten to a float (`…000` → `…000.0`) and the text parsed
/// again, so both formats agree (integer bounds are then clamped, with a warning, by the
/// audit). At most this many literals per document are rewritten.
const MAX_BIG_INTS: usize = 64;

/// Text → JSON value, with syntax errors located by line and column, and the mapping keys
/// that appear twice.
pub(in crate::load) fn parse(
    text: &str,
    source_name: &str,
) -> Result<(Value, Vec<dup_keys::Duplicate>)> {
    let mut current = std::borrow::Cow::Borrowed(text);
    for _ in 0..MAX_BIG_INTS {
        match parse_once(&current, source_name) {
            Err(Error::Syntax {
                format: "YAML",
                line,
                column,
                message,
                ..
            }) if message.contains("i128")
                || message.contains("u128")
                || message.contains("out of range") =>
            {
                match big_int_as_float(&current, line, column) {
                    Some(fixed) => current = std::borrow::Cow::Owned(fixed),
                    None => {
                        return Err(Error::Syntax {
                            source_name: source_name.to_owned(),
                            format: "YAML",
                            line,
                            column,
                            message,
                        });
                    }
                }
            }
            other => return other,
        }
    }
    parse_once(&current, source_name)
}

/// `text` with the integer literal at `line`:`column` (1-based) written as a float.
fn big_int_as_float(text: &str, line: usize, column: usize) -> Option<String> {
    let start_of_line: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let row = text.get(start_of_line..)?.lines().next()?;
    let offset = row.char_indices().nth(column.checked_sub(1)?)?.0;
    let literal = &row[offset..];
    let digits = literal.strip_prefix(['-', '+']).unwrap_or(literal);
    let len = digits.bytes().take_while(u8::is_ascii_digit).count();
    if len < 19 {
        return None;
    }
    let end = start_of_line + offset + (literal.len() - digits.len()) + len;
    Some(format!("{}.0{}", &text[..end], &text[end..]))
}

fn parse_once(text: &str, source_name: &str) -> Result<(Value, Vec<dup_keys::Duplicate>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        let syntax = |e: serde_json::Error| Error::Syntax {
            source_name: source_name.to_owned(),
            format: "JSON",
            line: e.line(),
            column: e.column(),
            message: strip_location(&e.to_string(), e.line(), e.column()),
        };
        return match dup_keys::json_value(text).map_err(syntax)? {
            Some(value) => Ok((value, Vec::new())),
            None => match dup_keys::find(text, true) {
                Some(found) => Ok(found),
                None => serde_json::from_str(text)
                    .map(|v| (v, Vec::new()))
                    .map_err(syntax),
            },
        };
    }
    let merge_keys = text.contains("<<");
    if !merge_keys {
        // Each piece is checked for flow collections nested too deep on its worker; any
        // doubt, and the whole text is checked and parsed below.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if let Some(value) = split::parallel(text, threads) {
            return Ok((value, Vec::new()));
        }
    }
    if let Some((line, column)) = flow_too_deep(text, MAX_FLOW_DEPTH) {
        return Err(Error::Syntax {
            source_name: source_name.to_owned(),
            format: "YAML",
            line,
            column,
            message: format!(
                "flow collections (`[`, `{{`) are nested more than {MAX_FLOW_DEPTH} levels deep"
            ),
        });
    }
    let yaml_error = |e: serde_yaml::Error| {
        let message = e.to_string();
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .or_else(|| unplaced_yaml_error(text, &message))
            .unwrap_or((1, 1));
        Error::Syntax {
            source_name: source_name.to_owned(),
            format: "YAML",
            line,
            column,
            message: strip_location(&message, line, column),
        }
    };
    if merge_keys {
        // Merge keys (`<<: *anchor`) are only applied on a `serde_yaml::Value`.
        let mut value: serde_yaml::Value = serde_yaml::from_str(text).map_err(yaml_error)?;
        check_merge_keys(&value, &crate::error::Pointer::root())?;
        value.apply_merge().map_err(yaml_error)?;
        let value = serde_json::to_value(value).map_err(|e| {
            crate::error::Pointer::root().error(format!("YAML value has no JSON form: {e}"))
        })?;
        Ok((value, Vec::new()))
    } else if let Some(value) = dup_keys::yaml_without_duplicates(text) {
        Ok((value, Vec::new()))
    } else if let Some(found) = dup_keys::find(text, false) {
        Ok(found)
    } else {
        // Not a duplicate: an error, which the parser's own reading places.
        serde_yaml::from_str(text)
            .map(|v| (v, Vec::new()))
            .map_err(yaml_error)
    }
}

/// A place for the `serde_yaml` errors that carry none.
fn unplaced_yaml_error(text: &str, message: &str) -> Option<(usize, usize)> {
    if message.contains("more than one document") {
        // The `---` that starts the second document.
        let mut content = false;
        for (i, line) in text.lines().enumerate() {
            let starts_document = line == "---" || line.starts_with("--- ");
            if starts_document && content {
                return Some((i + 1, 1));
            }
            let trimmed = line.trim_start();
            content |= starts_document && !line[3..].trim().is_empty()
                || !(trimmed.is_empty() || trimmed.starts_with(['#', '%']) || starts_document);
        }
        None
    } else if message.contains("repetition limit") {
        // Too many alias expansions: point at the first alias.
        text.lines().enumerate().find_map(|(i, line)| {
            let b = line.as_bytes();
            (0..b.len())
                .find(|&j| {
                    b[j] == b'*'
                        && (j == 0 || matches!(b[j - 1], b' ' | b'[' | b'{' | b','))
                        && b.get(j + 1).is_some_and(|c| !c.is_ascii_whitespace())
                })
                .map(|j| (i + 1, line[..j].chars().count() + 1))
        })
    } else {
        None
    }
}

/// Reject merge keys (`<<`) whose value `apply_merge` cannot merge, with a pointer to them
/// (`serde_yaml`'s own merge errors say what is wrong but not where).
fn check_merge_keys(value: &serde_yaml::Value, at: &crate::error::Pointer) -> Result<()> {
    use serde_yaml::Value as Y;
    let kind = |v: &Y| match v {
        Y::Null | Y::Bool(_) | Y::Number(_) | Y::String(_) => "a scalar",
        Y::Sequence(_) => "a list",
        Y::Mapping(_) => "a mapping",
        Y::Tagged(_) => "a tagged value",
    };
    match value {
        Y::Mapping(map) => {
            for (k, v) in map {
                let token = match k {
                    Y::String(s) => s.clone(),
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    other => format!("{other:?}"),
                };
                let here = at.push(&token);
                if token == "<<" {
                    let ok = match v {
                        Y::Mapping(_) => true,
                        Y::Sequence(items) => items.iter().all(Y::is_mapping),
                        _ => false,
                    };
                    if !ok {
                        let found = match v {
                            Y::Sequence(items) => {
                                let bad = items.iter().find(|i| !i.is_mapping()).expect("one");
                                format!("a list holding {}", kind(bad))
                            }
                            other => kind(other).to_owned(),
                        };
                        return Err(here.error(format!(
                            "a merge key `<<` needs a mapping or a list of mappings, not {found}"
                        )));
                    }
                }
                check_merge_keys(v, &here)?;
            }
            Ok(())
        }
        Y::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                check_merge_keys(item, &at.push(i.to_string()))?;
            }
            Ok(())
        }
        Y::Tagged(t) => check_merge_keys(&t.value, at),
        _ => Ok(()),
    }
}

/// Deepest YAML flow nesting accepted before parsing. `serde_yaml` rejects documents nested
/// more than 128 levels, but only after the scanner has read the whole text, and the scanner
/// takes time proportional to the flow depth for every token: 40,000 nested `[` take
/// seconds, a megabyte of them minutes. Checking the depth first keeps that linear.
const MAX_FLOW_DEPTH: usize = 160;

/// Line and column (1-based) of the first `[`/`{` nested more than `limit` flow levels deep,
/// found by a light scan: comments, quoted scalars and block scalars are skipped, and outside
/// flow collections a bracket only counts where a node can start (so `a: see [1` is text).
/// It may miss nesting inside odd constructs, but never counts more levels than the YAML has.
fn flow_too_deep(text: &str, limit: usize) -> Option<(usize, usize)> {
    // Byte by byte: every character the scan looks at is ASCII, and the bytes of a non-ASCII
    // character (all >= 0x80) never match one, so `prev` holding such a byte instead of the
    // character changes nothing — and the scan reads the whole document before the parser.
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut line = 1usize;
    let mut line_start = 0usize;
    // Last non-blank character on the current line (outside scalars), and the start of the
    // current whitespace-separated word (for `&anchor [` / `!tag {`).
    let mut prev: Option<u8> = None;
    let mut word_start: Option<u8> = None;
    // `prev` before the current word: an anchor or tag leaves the node start where it was.
    let mut prev_before_word: Option<u8> = None;
    // Indentation of a line with a block scalar indicator: lines indented more are content.
    let mut block_scalar: Option<usize> = None;
    let mut quote: Option<u8> = None;
    let ends_word = |b: u8| {
        matches!(
            b,
            b' ' | b'\t' | b'\r' | b'\n' | b'#' | b'[' | b'{' | b']' | b'}' | b','
        )
    };
    let mut next = 0;
    while next < bytes.len() {
        let i = next;
        let c = bytes[i];
        next += 1;
        if c == b'\n' {
            line += 1;
            line_start = i + 1;
            prev = None;
            word_start = None;
            if let Some(indent) = block_scalar {
                // Skip content lines: blank, or indented more than the indicator's line.
                let rest = &text[i + 1..];
                let mut skipped = 0;
                for l in rest.split_inclusive('\n') {
                    let body = l.trim_end_matches(['\n', '\r']);
                    let lead = body.len() - body.trim_start_matches(' ').len();
                    if body.trim().is_empty() || lead > indent {
                        skipped += l.len();
                        if l.ends_with('\n') {
                            line += 1;
                        }
                    } else {
                        break;
                    }
                }
                block_scalar = None;
                if skipped > 0 {
                    next = i + 1 + skipped;
                    // The last skipped line ended with a newline (or the text ended).
                    line_start = next;
                }
            }
            continue;
        }
        // Most characters continue a word, which only moves `prev`: run to the word's end.
        if quote.is_none() && word_start.is_some() && !ends_word(c) {
            while next < bytes.len() && !ends_word(bytes[next]) {
                next += 1;
            }
            prev = Some(bytes[next - 1]);
            continue;
        }
        if let Some(q) = quote {
            if c == b'\\' && q == b'"' {
                next += 1;
            } else if c == q {
                quote = None;
                prev = Some(c);
            } else {
                // Run to the next byte that can end the scalar or the line.
                while next < bytes.len() && !matches!(bytes[next], b'\\' | b'\n' | b'\'' | b'"') {
                    next += 1;
                }
            }
            continue;
        }
        match c {
            b' ' | b'\t' | b'\r' => {
                if matches!(word_start, Some(b'&' | b'!')) {
                    prev = prev_before_word;
                }
                word_start = None;
                continue;
            }
            b'#' if i == line_start || matches!(bytes[i - 1], b' ' | b'\t' | b'\n') => {
                // A comment: skip to the end of the line.
                while next < bytes.len() && bytes[next] != b'\n' {
                    next += 1;
                }
                continue;
            }
            _ => {}
        }
        let at_node_start = match prev {
            None => true,
            Some(p) if depth > 0 => matches!(p, b'[' | b'{' | b',' | b':' | b'?' | b'-'),
            Some(p) => matches!(p, b':' | b'-' | b'?'),
        };
        let in_word = word_start.is_some();
        if word_start.is_none() {
            word_start = Some(c);
            prev_before_word = prev;
        }
        match c {
            b'[' | b'{' if depth > 0 || (at_node_start && !in_word) => {
                depth += 1;
                if depth > limit {
                    let column = text[line_start..i].chars().count() + 1;
                    return Some((line, column));
                }
                word_start = None;
            }
            b']' | b'}' if depth > 0 => {
                depth -= 1;
                word_start = None;
            }
            b',' if depth > 0 => word_start = None,
            b'"' | b'\'' if at_node_start && !in_word => quote = Some(c),
            b'|' | b'>' if depth == 0 && at_node_start && !in_word => {
                let before = &text[line_start..i];
                block_scalar = Some(before.len() - before.trim_start_matches(' ').len());
            }
            _ => {}
        }
        prev = Some(c);
    }
    None
}

/// Drop the ` at line N column M` both serde_json and serde_yaml put in their messages (the
/// error already carries line and column).
fn strip_location(message: &str, line: usize, column: usize) -> String {
    message.replacen(&format!(" at line {line} column {column}"), "", 1)
}
