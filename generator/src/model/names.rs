//! Rust identifiers from spec names: case conversion, keyword escaping and a registry that
//! resolves collisions deterministically (first come keeps the name, later ones get a suffix).

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

/// Every Rust keyword (strict, reserved and 2018+ edition ones), plus names that would clash
/// with prelude items or our own generated API when used as a field or method.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers (`r#self` is invalid), so they get a `_` suffix.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names the generated code imports or that the runtime owns; a spec type with one of
/// these names would shadow them, so it gets a suffix instead.
pub const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "Vec",
    "String",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Client",
    "ClientBuilder",
    "Error",
    "ApiError",
    "Call",
    "EventStream",
    "GlobalHeaders",
    "OperationMeta",
    "PreparedRequest",
    "RawResponse",
    "Secret",
    "Tristate",
    "ApiErrorBody",
    "BTreeMap",
    "Uuid",
    "DateTime",
    "Utc",
    "Value",
    "Bytes",
    "Self",
    "Stream",
    "Default",
    "Debug",
    "Clone",
    "Copy",
    "Send",
    "Sync",
];

/// The catch-all variant of open enums and discriminated unions (reserved in their variant
/// registries, so no member takes it).
pub const UNKNOWN: &str = "Unknown";

/// For a type renamed by [`Registry::claim_type`], the doc line that says why.
pub fn reserved_rename(name: &str) -> Option<String> {
    ["Model", "Schema", "Type"].iter().find_map(|suffix| {
        let want = name.strip_suffix(suffix)?;
        RESERVED_TYPES.contains(&want).then(|| {
            format!("Named `{name}` in Rust because `{want}` is a name this crate already uses.")
        })
    })
}

/// Names a module of the generated code cannot take: the emitter's own modules, every crate
/// and module path generated code writes (`std::`, `serde::`, `runtime::`…), the standard
/// crates, tool attribute namespaces and the primitive types (a module `u64` would shadow
/// `u64::MAX`). An operation group's module is claimed against these.
pub const RESERVED_MODULES: &[&str] = &[
    // The emitter's modules and the crate root's.
    "generated",
    "errors",
    "operations",
    "types",
    "mock",
    "runtime",
    "validate",
    "unions",
    "unreferenced",
    // Crates generated code names, and the standard ones.
    "std",
    "core",
    "alloc",
    "proc_macro",
    "test",
    "openapi_gen_runtime",
    "serde",
    "serde_json",
    "bytes",
    "chrono",
    "uuid",
    "futures",
    "http",
    "tokio",
    "reqwest",
    "wiremock",
    // Tool attributes and primitive types.
    "rustfmt",
    "clippy",
    "bool",
    "char",
    "str",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "f32",
    "f64",
];

/// True if `s` is a Rust keyword.
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Replace anything that is not `[A-Za-z0-9_]` by a word break so heck sees separate words.
fn words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut prev: Option<char> = None;
    while let Some(c) = chars.next() {
        let word_start = !prev.is_some_and(|p| p.is_ascii_alphanumeric());
        let before_digit = chars.peek().is_some_and(char::is_ascii_digit);
        prev = Some(c);
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c == '+' {
            out.push_str(" plus ");
        } else if c == '-' && word_start && before_digit {
            // A sign, not a separator: `-1` is `minus_1`, the counterpart of `+1`.
            out.push_str(" minus ");
        } else {
            out.push(' ');
        }
    }
    out
}

thread_local! {
    /// Memo of `type_name` and `field_name`: the same wire names (`type`, `id`, property
    /// names shared by many schemas) come back thousands of times per spec, and `heck`'s
    /// conversion costs ~30× a hash lookup. The results are pure functions of the input.
    static TYPE_NAMES: RefCell<HashMap<String, String>> = RefCell::default();
    static FIELD_NAMES: RefCell<HashMap<String, String>> = RefCell::default();
}

/// Entries per memo before it starts over (a few thousand per large document).
const MEMO_CAP: usize = 1 << 16;

fn memo(
    cache: &'static std::thread::LocalKey<RefCell<HashMap<String, String>>>,
    raw: &str,
    convert: fn(&str) -> String,
) -> String {
    cache.with_borrow_mut(|c| match c.get(raw) {
        Some(s) => s.clone(),
        None => {
            // Bounded: a long-lived process generating many documents keeps no more.
            if c.len() >= MEMO_CAP {
                c.clear();
            }
            let s = convert(raw);
            c.insert(raw.to_owned(), s.clone());
            s
        }
    })
}

/// `UpperCamelCase` type or variant name; never empty, never starting with a digit.
pub fn type_name(raw: &str) -> String {
    memo(&TYPE_NAMES, raw, convert_type_name)
}

fn convert_type_name(raw: &str) -> String {
    let mut s = words(raw).to_upper_camel_case();
    if s.is_empty() {
        s = "Empty".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    if s == "Self" {
        // The one UpperCamelCase keyword, and it cannot be a raw identifier.
        s.push_str("Value");
    }
    s
}

/// `snake_case` field, method or parameter name; keywords become raw (`r#type`) or get `_`.
pub fn field_name(raw: &str) -> String {
    memo(&FIELD_NAMES, raw, convert_field_name)
}

fn convert_field_name(raw: &str) -> String {
    let mut s = words(raw).to_snake_case();
    if s.is_empty() {
        s = "value".into();
    }
    if s.chars().all(|c| c.is_ascii_digit() || c == '_') {
        // `_1` is clippy `just_underscores_and_digits`: give it a letter.
        s.insert(0, 'v');
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if NOT_RAW.contains(&s.as_str()) {
        s.push('_');
    } else if is_keyword(&s) {
        s.insert_str(0, "r#");
    }
    s
}

/// The name without a raw-identifier prefix (for building derived names like `set_type`).
pub fn unraw(s: &str) -> &str {
    s.strip_prefix("r#").unwrap_or(s)
}

/// Hands out unique names in one namespace. Deterministic given the order of requests.
#[derive(Debug, Default, Clone)]
pub struct Registry {
    taken: BTreeSet<String>,
}

impl Registry {
    /// A registry with `reserved` names already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Registry {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }
    /// Claim `want`, or `want2`, `want3`, … if it is taken.
    pub fn claim(&mut self, want: &str) -> String {
        if self.taken.insert(want.to_owned()) {
            return want.to_owned();
        }
        let free = (2..)
            .map(|n| format!("{want}{n}"))
            .find(|c| !self.taken.contains(c))
            .expect("an unbounded range always yields a free name");
        self.taken.insert(free.clone());
        free
    }
    /// Claim a type name: like [`claim`](Self::claim), but a name that one of the crate's
    /// own items holds (`Error`, `Client`, `Result`…) gets a meaningful suffix (`ErrorModel`)
    /// rather than a number; [`reserved_rename`] says why, for the type's docs.
    pub fn claim_type(&mut self, want: &str) -> String {
        if RESERVED_TYPES.contains(&want) {
            for suffix in ["Model", "Schema", "Type"] {
                let candidate = format!("{want}{suffix}");
                if self.taken.insert(candidate.clone()) {
                    return candidate;
                }
            }
        }
        self.claim(want)
    }
    /// True if `name` is already claimed.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert_eq!(type_name("BYOKProviderSlug"), "ByokProviderSlug");
        assert_eq!(type_name("amazon-bedrock"), "AmazonBedrock");
        assert_eq!(type_name("1h"), "V1h");
        assert_eq!(type_name(""), "Empty");
        assert_eq!(type_name("c++"), "CPlusPlus");
        assert_eq!(type_name("self"), "SelfValue");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("HTTP-Referer"), "http_referer");
        assert_eq!(
            field_name("allowed_api_key_hashes"),
            "allowed_api_key_hashes"
        );
        assert_eq!(field_name("$ref"), "r#ref");
        assert_eq!(field_name("2fa"), "_2fa");
        assert_eq!(field_name("-1"), "minus_1");
        assert_eq!(field_name("+1"), "plus_1");
        assert_eq!(field_name("2"), "v2");
        assert_eq!(field_name("a-1"), "a_1");
        assert_eq!(type_name("-1"), "Minus1");
    }

    #[test]
    fn reserved_type_names_get_a_word_not_a_number() {
        let mut r = Registry::with_reserved(RESERVED_TYPES);
        assert_eq!(r.claim_type("Error"), "ErrorModel");
        assert_eq!(r.claim_type("Error"), "ErrorSchema");
        assert_eq!(r.claim_type("Client"), "ClientModel");
        assert_eq!(r.claim_type("Pet"), "Pet");
        assert_eq!(r.claim_type("Pet"), "Pet2");
        assert!(reserved_rename("ErrorModel").is_some_and(|d| d.contains("`Error`")));
        assert_eq!(reserved_rename("PetModel"), None);
    }

    #[test]
    fn registry_suffixes_in_order() {
        let mut r = Registry::with_reserved(&["Error"]);
        assert_eq!(r.claim("Error"), "Error2");
        assert_eq!(r.claim("Foo"), "Foo");
        assert_eq!(r.claim("Foo"), "Foo2");
        assert_eq!(r.claim("Foo"), "Foo3");
    }
}
