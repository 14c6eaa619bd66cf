//! Every path into `openapi-gen-runtime` that generated code may write, in one table.
//!
//! Generated code reaches the runtime as `runtime::X`, where the generated `lib.rs` binds
//! `use openapi_gen_runtime::__private as runtime;` (also written `crate::runtime::X`), and
//! names a few user-facing items as `openapi_gen_runtime::X` directly: the crate root's
//! re-exports and the doc links to the runtime's methods. [`RUNTIME_PATHS`] lists them
//! all, the way smithy-rs's `RuntimeType` registry lists what its generated code uses.
//! The emitter does not read the table; two tests hold the two sides to it:
//!
//! - **Every listed path exists.** The build script of the integration tests writes
//!   [`check_source`] (one `use PATH as _;` per item, one `let _ = PATH;` per method,
//!   associated constant or variant) into the `runtime_paths` test, so a listed path
//!   that the runtime does not re-export is a compile error of `cargo test`.
//! - **Every path written is listed.** The same test reads the `openrouter` crate's
//!   sources, the crates generated from the fixtures and the shared corpus documents, and
//!   the crates `cargo xtask corpus` left in `target/corpus`, finds every runtime path
//!   with [`paths_in`] (use trees, doc links and the paths inside `serde` attribute
//!   strings included) and fails on any that [`is_listed`] refuses.
//!
//! So adding a path to the emitter means adding it here, and the runtime's `__private`
//! must re-export it; removing one from `__private` breaks the test until it leaves the
//! table and the emitter.
//!
//! An associated item of a generic type is written with its type's generic arguments, so
//! that the check compiles: `()`, or `C` (an `ApiClient`), `B` (an `ErrorBody`) or `H` (a
//! `Hook`), the type parameters of the check function. A method with an `impl Trait`
//! argument also needs its type, after ` as ` (`path as fn(ClientBuilder<C>, String) ->
//! ClientBuilder<C>`, in the names of `__private`). Neither is part of the path for
//! [`is_listed`]: generated code may write any generic arguments, or none.

use std::collections::BTreeSet;

/// Every runtime path generated code may write (see the module docs), sorted.
pub const RUNTIME_PATHS: &[&str] = &[
    // The crate root: `lib.rs` re-exports and binds `__private`; doc links.
    "openapi_gen_runtime::AttemptInfo",
    "openapi_gen_runtime::ClientBuilder",
    "openapi_gen_runtime::ClientBuilder::<C>::api_key as fn(ClientBuilder<C>, Secret) -> ClientBuilder<C>",
    "openapi_gen_runtime::ClientBuilder::<C>::base_url as fn(ClientBuilder<C>, String) -> ClientBuilder<C>",
    "openapi_gen_runtime::ClientBuilder::<C>::build",
    "openapi_gen_runtime::ClientBuilder::<C>::hook as fn(ClientBuilder<C>, H) -> ClientBuilder<C>",
    "openapi_gen_runtime::ClientBuilder::<C>::retry_policy",
    "openapi_gen_runtime::ClientBuilder::<C>::timeout",
    "openapi_gen_runtime::DecodeError",
    "openapi_gen_runtime::Error",
    "openapi_gen_runtime::Error::<B>::api_body",
    "openapi_gen_runtime::Error::<B>::attempts",
    "openapi_gen_runtime::Error::<B>::headers",
    "openapi_gen_runtime::Error::<B>::raw_body",
    "openapi_gen_runtime::Error::<B>::status",
    "openapi_gen_runtime::FilePart",
    "openapi_gen_runtime::Hook",
    "openapi_gen_runtime::HookError",
    "openapi_gen_runtime::HookRequest",
    "openapi_gen_runtime::KeyProvider",
    "openapi_gen_runtime::Response",
    "openapi_gen_runtime::RetryPolicy",
    "openapi_gen_runtime::Secret",
    "openapi_gen_runtime::TransportKind",
    "openapi_gen_runtime::Tristate",
    "openapi_gen_runtime::UnexpectedStatusError",
    "openapi_gen_runtime::ValidationError",
    "openapi_gen_runtime::__private",
    "openapi_gen_runtime::http",
    "openapi_gen_runtime::mock",
    "openapi_gen_runtime::mock::Endpoint",
    "openapi_gen_runtime::mock::Mocked",
    "openapi_gen_runtime::mock::Received",
    // `__private`: the contract a generated crate fulfils.
    "runtime::ApiClient",
    "runtime::ApiSpec",
    "runtime::Auth",
    "runtime::Auth::Basic",
    "runtime::Auth::Bearer",
    "runtime::Auth::Header",
    "runtime::Auth::Query",
    "runtime::ErrorBody",
    "runtime::GlobalHeader",
    "runtime::GlobalHeaderTarget",
    "runtime::RetrySpec",
    // `__private`: public types the generated crate wraps or aliases.
    "runtime::ApiError",
    "runtime::Call",
    "runtime::Client",
    "runtime::ClientBuilder",
    "runtime::Error",
    "runtime::EventStream",
    "runtime::FilePart",
    "runtime::Secret",
    "runtime::Tristate",
    "runtime::Tristate::<()>::is_absent",
    "runtime::ValidationError",
    // `__private`: requests.
    "runtime::FormStyle",
    "runtime::FormStyle::DeepObject",
    "runtime::FormStyle::Form",
    "runtime::FormStyle::FormComma",
    "runtime::FormStyle::PipeDelimited",
    "runtime::FormStyle::SpaceDelimited",
    "runtime::MultipartForm",
    "runtime::MultipartForm::new",
    "runtime::OperationMeta",
    "runtime::OperationMeta::delete",
    "runtime::OperationMeta::get",
    "runtime::OperationMeta::head",
    "runtime::OperationMeta::options",
    "runtime::OperationMeta::patch",
    "runtime::OperationMeta::post",
    "runtime::OperationMeta::put",
    "runtime::OperationMeta::trace",
    "runtime::OperationMeta::with_auth",
    "runtime::OperationMeta::with_retry",
    "runtime::PreparedRequest",
    "runtime::PreparedRequest::at as fn(&'static str) -> PreparedRequest",
    "runtime::QueryPairs",
    "runtime::Style",
    "runtime::Style::deep_object",
    "runtime::Style::form",
    "runtime::Style::json",
    "runtime::Style::label",
    "runtime::Style::matrix",
    "runtime::Style::pipe_delimited",
    "runtime::Style::simple",
    "runtime::Style::space_delimited",
    "runtime::Style::text",
    "runtime::bytes_body",
    "runtime::form_body",
    "runtime::json_body",
    "runtime::path_param",
    // `__private`: responses.
    "runtime::OffsetPaginated",
    "runtime::RawResponse",
    "runtime::StreamSpec",
    "runtime::api_error",
    "runtime::decode_empty",
    "runtime::decode_json",
    "runtime::event_stream",
    "runtime::items",
    "runtime::pages",
    "runtime::unexpected_status",
    // `__private`: types (derives, open enums, unions, validation).
    "runtime::Builder",
    "runtime::Placeholder",
    "runtime::Placeholder::placeholder as fn() -> String",
    "runtime::Deserialize",
    "runtime::open_enum",
    "runtime::tagged_union",
    "runtime::union_placeholder",
    "runtime::untagged_union",
    "runtime::unions::attempt",
    "runtime::unions::known",
    "runtime::unions::tagged",
    "runtime::unions::text",
    "runtime::unions::untagged",
    "runtime::unions::variant",
    "runtime::validate::max_items",
    "runtime::validate::max_length",
    "runtime::validate::maximum_f64",
    "runtime::validate::maximum_i64",
    "runtime::validate::min_items",
    "runtime::validate::min_length",
    "runtime::validate::minimum_f64",
    "runtime::validate::minimum_i64",
    "runtime::validate::pattern",
    "runtime::validate::uuid",
    // `__private`: the mock server (feature `mock`).
    "runtime::mock::Endpoint",
    "runtime::mock::MockServer",
    "runtime::mock::MockServer::start",
];

/// `path` (a table entry or a path found in code) without generic arguments (`::<..>`) or
/// a check's type (` as ..`): `runtime::Tristate::<()>::is_absent` →
/// `runtime::Tristate::is_absent`.
pub fn without_generics(path: &str) -> String {
    let path = path.split_once(" as ").map_or(path, |(p, _)| p);
    let mut out = String::with_capacity(path.len());
    let mut depth = 0usize;
    let mut rest = path;
    while let Some(c) = rest.chars().next() {
        if depth == 0 && rest.starts_with("::<") {
            depth = 1;
            rest = &rest[3..];
            continue;
        }
        match c {
            '<' if depth > 0 => depth += 1,
            '>' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Whether [`RUNTIME_PATHS`] lists `path` (a path as [`paths_in`] returns it, or with
/// generic arguments).
pub fn is_listed(path: &str) -> bool {
    let path = without_generics(path);
    RUNTIME_PATHS.iter().any(|p| without_generics(p) == path)
}

/// The Rust source that checks every entry of [`RUNTIME_PATHS`] against the runtime (see
/// the module docs): it compiles only if each path resolves. It needs the runtime with the
/// `mock` feature.
pub fn check_source() -> String {
    let mut uses = String::new();
    let mut exprs = String::new();
    for entry in RUNTIME_PATHS {
        let (path, ty) = entry
            .split_once(" as ")
            .map_or((*entry, String::new()), |(p, t)| (p, format!(": {t}")));
        let full = match path.strip_prefix("runtime::") {
            Some(rest) => format!("openapi_gen_runtime::__private::{rest}"),
            None => path.to_owned(),
        };
        if is_associated(path) {
            exprs.push_str(&format!("    let _{ty} = {full};\n"));
        } else {
            uses.push_str(&format!("    pub use {full} as _;\n"));
        }
    }
    format!(
        "// Written by the build script from `openapi_gen::runtime_paths::RUNTIME_PATHS`.\n\
         #[allow(unused_imports)]\n\
         mod uses {{\n{uses}}}\n\n\
         #[allow(dead_code)]\n\
         fn associated<C: openapi_gen_runtime::__private::ApiClient, \
         B: openapi_gen_runtime::__private::ErrorBody, H: openapi_gen_runtime::Hook>() {{\n    \
         #[allow(unused_imports)]\n    \
         use openapi_gen_runtime::__private::*;\n{exprs}}}\n"
    )
}

/// A method, associated constant or variant: a segment after a type's (which starts with
/// an upper-case letter). These are checked as expressions: `use` cannot import the first
/// two.
fn is_associated(path: &str) -> bool {
    let path = without_generics(path);
    let segments: Vec<&str> = path.split("::").collect();
    segments
        .iter()
        .position(|s| s.starts_with(|c: char| c.is_ascii_uppercase()))
        .is_some_and(|i| i + 1 < segments.len())
}

/// Every runtime path in Rust source `text`: `runtime::X..` (also `crate::runtime::X..`)
/// and `openapi_gen_runtime::X..` (also `::openapi_gen_runtime::X..`), wherever they stand:
/// code, use trees (`openapi_gen_runtime::{A, mock::B}` gives both paths), doc links and
/// string literals (`skip_serializing_if = "runtime::Tristate::is_absent"`). Generic
/// arguments are left out; `self` in a use tree names its parent. A bare root (`runtime`,
/// the binding itself, or the crate's name) is not a path into the runtime.
pub fn paths_in(text: &str) -> BTreeSet<String> {
    let bytes = text.as_bytes();
    let mut found = BTreeSet::new();
    let mut i = 0;
    while i < bytes.len() {
        let root = ["openapi_gen_runtime", "runtime"]
            .into_iter()
            .find(|r| bytes[i..].starts_with(r.as_bytes()));
        let Some(root) = root else {
            i += 1;
            continue;
        };
        let end = i + root.len();
        if starts_path(text, i, root) && !bytes.get(end).copied().is_some_and(is_ident_byte) {
            let mut p = Parser { text, pos: end };
            let mut paths = Vec::new();
            p.rest(root.to_owned(), &mut paths);
            found.extend(paths.into_iter().filter(|p| p.contains("::")));
            i = p.pos.max(end);
        } else {
            i = end;
        }
    }
    found
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether the path root at `i` begins a path: it follows no identifier, and a `::` before
/// it is `crate::` (for `runtime`) or a leading `::` (for `openapi_gen_runtime`).
fn starts_path(text: &str, i: usize, root: &str) -> bool {
    let before = &text[..i];
    if before.bytes().last().is_some_and(is_ident_byte) {
        return false;
    }
    let Some(prefix) = before.strip_suffix("::") else {
        return true;
    };
    let ident_before = prefix.bytes().last().is_some_and(is_ident_byte);
    match root {
        "runtime" => {
            prefix.ends_with("crate")
                && !prefix[..prefix.len() - 5]
                    .bytes()
                    .last()
                    .is_some_and(is_ident_byte)
        }
        _ => !ident_before,
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.text[self.pos..].starts_with(char::is_whitespace) {
            self.pos += self.text[self.pos..]
                .chars()
                .next()
                .map_or(1, char::len_utf8);
        }
    }

    fn ident(&mut self) -> Option<String> {
        let rest = &self.text[self.pos..];
        let len = rest.bytes().take_while(|b| is_ident_byte(*b)).count();
        (len > 0).then(|| {
            self.pos += len;
            rest[..len].to_owned()
        })
    }

    /// Skips `<..>` (balanced) at the cursor.
    fn generics(&mut self) {
        let mut depth = 0usize;
        for (n, c) in self.text[self.pos..].char_indices() {
            match c {
                '<' => depth += 1,
                '>' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                self.pos += n + 1;
                return;
            }
        }
        self.pos = self.text.len();
    }

    /// The segments after `prefix` (a path so far): pushes every complete path.
    fn rest(&mut self, mut prefix: String, out: &mut Vec<String>) {
        loop {
            if !self.text[self.pos..].starts_with("::") {
                out.push(prefix);
                return;
            }
            self.pos += 2;
            if self.text[self.pos..].starts_with('<') {
                self.generics();
                continue;
            }
            if self.text[self.pos..].starts_with('{') {
                self.pos += 1;
                self.group(&prefix, out);
                return;
            }
            if self.text[self.pos..].starts_with('*') {
                self.pos += 1;
                out.push(format!("{prefix}::*"));
                return;
            }
            match self.ident() {
                Some(segment) => prefix = format!("{prefix}::{segment}"),
                None => {
                    out.push(prefix);
                    return;
                }
            }
        }
    }

    /// A use group after `prefix::{`, up to its `}`.
    fn group(&mut self, prefix: &str, out: &mut Vec<String>) {
        loop {
            self.skip_ws();
            let rest = &self.text[self.pos..];
            if rest.is_empty() {
                return;
            }
            if rest.starts_with('}') {
                self.pos += 1;
                return;
            }
            if rest.starts_with(',') {
                self.pos += 1;
                continue;
            }
            if rest.starts_with('*') {
                self.pos += 1;
                out.push(format!("{prefix}::*"));
                continue;
            }
            if rest.starts_with('{') {
                self.pos += 1;
                self.group(prefix, out);
                continue;
            }
            match self.ident() {
                Some(s) if s == "self" => out.push(prefix.to_owned()),
                Some(s) if s == "as" => {
                    self.skip_ws();
                    self.ident();
                }
                Some(s) => self.rest(format!("{prefix}::{s}"), out),
                None => self.pos += rest.chars().next().map_or(1, char::len_utf8),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(text: &str) -> Vec<String> {
        paths_in(text).into_iter().collect()
    }

    #[test]
    fn finds_paths_in_code_strings_and_doc_links() {
        let text = r#"
            use crate::runtime::{self, OperationMeta, Tristate};
            use crate::runtime;
            static A: runtime::ApiSpec = runtime::ApiSpec { auth: &[runtime::Auth::Bearer] };
            #[serde(skip_serializing_if = "runtime::Tristate::is_absent")]
            /// [`status`](openapi_gen_runtime::Error::status)
            let x: runtime::Error<B> = runtime::Call::<T, B>::new(a);
            impl ::openapi_gen_runtime::__private::de::StructFields for X {}
            let my_runtime::X = other::runtime::Y;
        "#;
        assert_eq!(
            paths(text),
            [
                "openapi_gen_runtime::Error::status",
                "openapi_gen_runtime::__private::de::StructFields",
                "runtime::ApiSpec",
                "runtime::Auth::Bearer",
                "runtime::Call::new",
                "runtime::Error",
                "runtime::OperationMeta",
                "runtime::Tristate",
                "runtime::Tristate::is_absent",
            ]
        );
    }

    #[test]
    fn reads_use_trees() {
        let text = "pub use openapi_gen_runtime::{\n    AttemptInfo, mock::{Endpoint, Mocked},\n    \
                    http as h, *,\n};\npub use openapi_gen_runtime::mock::Received;";
        assert_eq!(
            paths(text),
            [
                "openapi_gen_runtime::*",
                "openapi_gen_runtime::AttemptInfo",
                "openapi_gen_runtime::http",
                "openapi_gen_runtime::mock::Endpoint",
                "openapi_gen_runtime::mock::Mocked",
                "openapi_gen_runtime::mock::Received",
            ]
        );
    }

    #[test]
    fn the_table_has_no_duplicates_and_reads_back() {
        let mut seen = BTreeSet::new();
        for p in RUNTIME_PATHS {
            assert!(seen.insert(without_generics(p)), "`{p}` is listed twice");
            assert!(
                p.starts_with("runtime::") || p.starts_with("openapi_gen_runtime::"),
                "`{p}` is not a runtime path"
            );
            assert_eq!(paths(p).len(), 1, "`{p}` does not read back as one path");
        }
    }

    #[test]
    fn generic_arguments_do_not_count() {
        assert!(is_listed("runtime::Tristate::is_absent"));
        assert!(is_listed("runtime::Tristate::<u8>::is_absent"));
        assert!(!is_listed("runtime::Tristate::is_null"));
        assert!(is_associated("runtime::Method::GET"));
        assert!(is_associated("runtime::Tristate::<()>::is_absent"));
        assert!(!is_associated("runtime::validate::uuid"));
        assert!(!is_associated("runtime::Tristate"));
    }
}
