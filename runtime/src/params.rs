//! Parameter serialisation: one generic serialiser for every path, query, header and cookie
//! parameter. The value goes through serde (to a JSON value) and is laid out by the
//! parameter's style, explode and location (the OpenAPI style table), so generated code
//! makes one call per parameter and carries no per-type loops.
//!
//! Query names and values come out percent-encoded (RFC 3986: everything but the unreserved
//! characters), with the style's delimiters written raw (`,`, `%20`, `%7C`, `&`, `[`/`]`):
//! an item holding a delimiter character is escaped, so it cannot be read as one. Where the
//! specification leaves a form undefined, the convention of form-heavy APIs (and of
//! [`crate::form`]) applies: nested objects as `a[b][c]=x`, arrays inside them as `a[b][]=x`,
//! a top-level `deepObject` array as `a[]=x&a[]=y`; a nested value in a delimited list is
//! written as its compact JSON text.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde_json::Value;

use super::validate::ValidationError;

/// The OpenAPI `style` of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StyleKind {
    /// `form` (query, cookie): `n=a,b` or, exploded, `n=a&n=b`.
    Form,
    /// `spaceDelimited` (query): `n=a%20b`.
    SpaceDelimited,
    /// `pipeDelimited` (query): `n=a%7Cb`.
    PipeDelimited,
    /// `deepObject` (query): `n[k]=v`.
    DeepObject,
    /// `simple` (path, header): `a,b`.
    Simple,
    /// `label` (path): `.a,b` or, exploded, `.a.b`.
    Label,
    /// `matrix` (path): `;n=a,b` or, exploded, `;n=a;n=b`.
    Matrix,
}

/// How one parameter is written: its style and `explode`, `allowReserved`, or, for a
/// parameter described by `content`, its media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    kind: StyleKind,
    explode: bool,
    allow_reserved: bool,
    content: Option<Content>,
}

/// A `content` parameter's value: the media type's text of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Content {
    /// A JSON media type: compact JSON text.
    Json,
    /// Any other: a string as itself, anything else as compact JSON.
    Text,
}

impl Style {
    const fn of(kind: StyleKind, explode: bool) -> Self {
        Style {
            kind,
            explode,
            allow_reserved: false,
            content: None,
        }
    }
    /// `style: form` with this `explode`.
    pub const fn form(explode: bool) -> Self {
        Self::of(StyleKind::Form, explode)
    }
    /// `style: spaceDelimited`.
    pub const fn space_delimited(explode: bool) -> Self {
        Self::of(StyleKind::SpaceDelimited, explode)
    }
    /// `style: pipeDelimited`.
    pub const fn pipe_delimited(explode: bool) -> Self {
        Self::of(StyleKind::PipeDelimited, explode)
    }
    /// `style: deepObject`.
    pub const fn deep_object(explode: bool) -> Self {
        Self::of(StyleKind::DeepObject, explode)
    }
    /// `style: simple`.
    pub const fn simple(explode: bool) -> Self {
        Self::of(StyleKind::Simple, explode)
    }
    /// `style: label`.
    pub const fn label(explode: bool) -> Self {
        Self::of(StyleKind::Label, explode)
    }
    /// `style: matrix`.
    pub const fn matrix(explode: bool) -> Self {
        Self::of(StyleKind::Matrix, explode)
    }
    /// A `content` parameter of a JSON media type: the value's JSON text.
    pub const fn json() -> Self {
        Style {
            content: Some(Content::Json),
            ..Self::form(false)
        }
    }
    /// A `content` parameter of another media type: the value's text.
    pub const fn text() -> Self {
        Style {
            content: Some(Content::Text),
            ..Self::form(false)
        }
    }
    /// `allowReserved: true`: RFC 3986 reserved characters stay raw in query values.
    pub const fn reserved(self) -> Self {
        Style {
            allow_reserved: true,
            ..self
        }
    }
}

/// Query pairs, both sides already percent-encoded, in order.
pub type QueryPairs = Vec<(Cow<'static, str>, String)>;

/// Everything but the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// With `allowReserved`: the reserved characters stay raw too, except `#` (a raw `#` would
/// end the query) and `%` (a literal percent sign is still one).
const RESERVED_RAW: &AsciiSet = &COMPONENT
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'[')
    .remove(b']')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=');

fn enc(s: &str, set: &'static AsciiSet) -> String {
    utf8_percent_encode(s, set).to_string()
}

fn to_value<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Value, ValidationError> {
    // serde's message could quote data; keep it out of the error.
    serde_json::to_value(value)
        .map_err(|_| ValidationError::new(name, "could not be serialised as a parameter"))
}

/// A scalar's text (a string as itself); a nested array or object as compact JSON; `None`
/// for null.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// The text of a `content` parameter.
fn content_text(c: Content, v: &Value) -> String {
    match (c, v) {
        (Content::Text, Value::String(s)) => s.clone(),
        _ => v.to_string(),
    }
}

/// The items of a list-like value (an array's items, an object's keys and values in turn)
/// as text, each encoded with `escape`.
fn flat_items(v: &Value, mut escape: impl FnMut(&str) -> String) -> Vec<String> {
    match v {
        Value::Array(items) => items
            .iter()
            .map(|i| escape(&text(i).unwrap_or_default()))
            .collect(),
        Value::Object(map) => map
            .iter()
            .filter_map(|(k, v)| Some([escape(k), escape(&text(v)?)]))
            .flatten()
            .collect(),
        other => vec![escape(&text(other).unwrap_or_default())],
    }
}

/// An object's `key=value` items (null members skipped), each side encoded with `escape`.
fn pairs(
    map: &serde_json::Map<String, Value>,
    mut escape: impl FnMut(&str) -> String,
) -> Vec<String> {
    map.iter()
        .filter_map(|(k, v)| Some(format!("{}={}", escape(k), escape(&text(v)?))))
        .collect()
}

/// `deepObject` and the bracket convention: `prefix[k]=v`, `prefix[k][]=v`, `prefix[]=v`.
/// `prefix` is already encoded.
fn deep(prefix: String, v: &Value, set: &'static AsciiSet, out: &mut QueryPairs) {
    match v {
        Value::Null => {}
        Value::Object(map) => {
            for (k, v) in map {
                deep(format!("{prefix}[{}]", enc(k, COMPONENT)), v, set, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                deep(format!("{prefix}[]"), item, set, out);
            }
        }
        scalar => out.extend(text(scalar).map(|t| (Cow::Owned(prefix), enc(&t, set)))),
    }
}

/// Appends the query pairs of one parameter (none when `value` is null or `None`).
pub(crate) fn query_param<T: Serialize + ?Sized>(
    out: &mut QueryPairs,
    name: &'static str,
    style: Style,
    value: &T,
) -> Result<(), ValidationError> {
    let v = to_value(name, value)?;
    if v.is_null() {
        return Ok(());
    }
    let set = if style.allow_reserved {
        RESERVED_RAW
    } else {
        COMPONENT
    };
    let key = || -> Cow<'static, str> {
        match enc(name, COMPONENT) {
            e if e == name => Cow::Borrowed(name),
            e => Cow::Owned(e),
        }
    };
    if let Some(c) = style.content {
        out.push((key(), enc(&content_text(c, &v), set)));
        return Ok(());
    }
    let (sep, raw_sep) = match style.kind {
        StyleKind::SpaceDelimited => ("%20", ' '),
        StyleKind::PipeDelimited => ("%7C", '|'),
        _ => (",", ','),
    };
    match (style.kind, &v) {
        (StyleKind::DeepObject, Value::Array(_) | Value::Object(_)) => {
            deep(key().into_owned(), &v, set, out)
        }
        (_, Value::Array(items)) if style.explode => {
            for i in items {
                out.push((key(), enc(&text(i).unwrap_or_default(), set)));
            }
        }
        (_, Value::Object(map)) if style.explode => {
            for (k, v) in map {
                let k = enc(k, COMPONENT);
                match v {
                    Value::Array(_) | Value::Object(_) => deep(k, v, set, out),
                    _ => out.extend(text(v).map(|t| (Cow::Owned(k), enc(&t, set)))),
                }
            }
        }
        (_, Value::Array(_) | Value::Object(_)) => {
            // A space or pipe in an item would be encoded exactly like the delimiter
            // (`%20`, `%7C`): no server could split the list right, so refuse it.
            let mut clash = false;
            let items = flat_items(&v, |s| {
                clash |= raw_sep != ',' && s.contains(raw_sep);
                // A comma in an item is escaped even where `allowReserved` keeps it raw.
                enc(s, set).replace(',', "%2C")
            });
            if clash {
                return Err(ValidationError::new(
                    name,
                    format!("an item contains `{raw_sep}`, the list delimiter of its style"),
                ));
            }
            out.push((key(), items.join(sep)));
        }
        (_, scalar) => out.push((key(), enc(&text(scalar).unwrap_or_default(), set))),
    }
    Ok(())
}

/// The path segment text of one path parameter (`simple`, `label` or `matrix`), already
/// percent-encoded. Refuses a segment that would change the path (empty, `.`, `..`).
pub fn path_param<T: Serialize + ?Sized>(
    name: &'static str,
    style: Style,
    value: &T,
) -> Result<String, ValidationError> {
    let v = to_value(name, value)?;
    let plain = |s: &str| enc(s, COMPONENT);
    let segment = if let Some(c) = style.content {
        plain(&content_text(c, &v))
    } else {
        // `.` is unreserved, but it is `label`'s delimiter: escape it there.
        let item = |s: &str| match style.kind {
            StyleKind::Label => plain(s).replace('.', "%2E"),
            _ => plain(s),
        };
        let n = plain(name);
        let (lead, sep) = match style.kind {
            StyleKind::Label => (".".to_owned(), if style.explode { "." } else { "," }),
            StyleKind::Matrix => (format!(";{n}="), ","),
            _ => (String::new(), ","),
        };
        match (&v, style.kind, style.explode) {
            (Value::Array(items), StyleKind::Matrix, true) => items
                .iter()
                .map(|i| format!(";{n}={}", item(&text(i).unwrap_or_default())))
                .collect(),
            (Value::Object(map), StyleKind::Matrix, true) => {
                pairs(map, item).iter().map(|p| format!(";{p}")).collect()
            }
            (Value::Object(map), _, true) => format!("{lead}{}", pairs(map, item).join(sep)),
            (Value::Array(_) | Value::Object(_), _, _) => {
                format!("{lead}{}", flat_items(&v, item).join(sep))
            }
            // `;n` for an empty matrix value, as RFC 6570 writes it.
            (scalar, StyleKind::Matrix, _) => match text(scalar).unwrap_or_default() {
                t if t.is_empty() => format!(";{n}"),
                t => format!("{lead}{}", item(&t)),
            },
            (scalar, _, _) => format!("{lead}{}", item(&text(scalar).unwrap_or_default())),
        }
    };
    super::validate::path_segment(name, &segment)?;
    Ok(segment)
}

/// The header value of one header parameter (`simple`); none when null or `None`. Header
/// values are not percent-encoded; one that is no valid header value fails the call.
pub(crate) fn header_param<T: Serialize + ?Sized>(
    out: &mut Vec<(&'static str, String)>,
    name: &'static str,
    style: Style,
    value: &T,
) -> Result<(), ValidationError> {
    let v = to_value(name, value)?;
    if v.is_null() {
        return Ok(());
    }
    let text = match (style.content, &v) {
        (Some(c), _) => content_text(c, &v),
        (None, Value::Object(map)) if style.explode => pairs(map, str::to_owned).join(","),
        (None, _) => flat_items(&v, str::to_owned).join(","),
    };
    out.push((name, text));
    Ok(())
}

/// `name=value` for the `Cookie` header, the value percent-encoded where RFC 6265 does not
/// allow it bare.
pub(crate) fn cookie_pair(name: &str, value: &str) -> String {
    format!("{name}={}", cookie_octets(value))
}

fn cookie_octets(value: &str) -> String {
    const NOT_COOKIE_OCTET: &AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b',')
        .add(b';')
        .add(b'\\')
        .add(b'%');
    utf8_percent_encode(value, NOT_COOKIE_OCTET).to_string()
}

/// The cookie pairs of one cookie parameter (`form`), pushed as `("cookie", "n=v")` (the
/// call joins them into one `Cookie` header); none when null or `None`. Exploded, an array
/// is one pair per item and an object one pair per property.
pub(crate) fn cookie_param<T: Serialize + ?Sized>(
    out: &mut Vec<(&'static str, String)>,
    name: &'static str,
    style: Style,
    value: &T,
) -> Result<(), ValidationError> {
    let v = to_value(name, value)?;
    if v.is_null() {
        return Ok(());
    }
    if let Some(c) = style.content {
        out.push(("cookie", cookie_pair(name, &content_text(c, &v))));
        return Ok(());
    }
    match &v {
        Value::Array(items) if style.explode => {
            for i in items {
                out.push(("cookie", cookie_pair(name, &text(i).unwrap_or_default())));
            }
        }
        Value::Object(map) if style.explode => {
            for (k, v) in map {
                out.extend(text(v).map(|t| ("cookie", cookie_pair(k, &t))));
            }
        }
        _ => {
            let joined = flat_items(&v, cookie_octets).join(",");
            out.push(("cookie", format!("{name}={joined}")));
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "params_tests.rs"]
mod tests;
