//! Duplicate mapping keys. `serde_yaml` and `serde_json` both keep the last of two equal keys
//! and drop the first without a word when they build a `serde_json::Value`; a document that
//! says `/a:` twice loses an operation. The text is read into a `Value` here by our own
//! visitor (what `Value`'s is, plus one check per key), which either refuses the first
//! duplicate (the fast path: no document has one, and a refusal sends the caller to the
//! slow path) or records every duplicate's JSON pointer. Where a duplicate is, in line and
//! column, comes from the parser's error when the visitor refuses that one duplicate.

use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

use crate::error::escape_token;

/// The message of the refusal, so it is told apart from the parser's own errors.
const REFUSAL: &str = "duplicate mapping key";

/// Duplicates given a line and column: each costs a parse of the text.
const MAX_PLACED: usize = 16;

/// 1-based line and column.
type Place = (usize, usize);

/// What to do at a duplicate key.
struct Mode {
    /// Refuse the duplicate with this index (in document order); record the ones before.
    refuse: usize,
    /// Each duplicate's pointer tokens, innermost first while the parse is under way.
    found: RefCell<Vec<Vec<String>>>,
    /// `found.len()`, read once per entry without the `RefCell`'s bookkeeping.
    count: Cell<usize>,
}

/// A duplicate key found by [`find`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Duplicate {
    /// JSON pointer of the repeated key (`#/paths/~1a`).
    pub pointer: String,
    /// 1-based line and column of its second occurrence, when known.
    pub place: Option<(usize, usize)>,
}

impl Duplicate {
    /// A `stray_key` warning: the parsers keep the last value. Placed at the repeated key
    /// (the pointer alone would lead to the first).
    pub(super) fn into_warning(self) -> crate::Warning {
        let key = self.pointer.rsplit('/').next().unwrap_or_default();
        let key = key.replace("~1", "/").replace("~0", "~");
        let mut w = crate::Warning::new(
            crate::WarningKind::StrayKey,
            self.pointer.clone(),
            format!(
                "key `{key}` appears more than once in this mapping; only its last value is \
                 read (the earlier ones are dropped)"
            ),
        );
        if let Some((line, column)) = self.place {
            (w.line, w.column) = (Some(line), Some(column));
        }
        w
    }
}

/// `text` as a `Value`, or `None` at the first duplicate key (or any error): the caller
/// parses again with [`find`] or its usual parser, which says where an error is.
pub(super) fn yaml_without_duplicates(text: &str) -> Option<Value> {
    let mode = Mode {
        refuse: 0,
        found: RefCell::new(Vec::new()),
        count: Cell::new(0),
    };
    Seed(&mode)
        .deserialize(serde_yaml::Deserializer::from_str(text))
        .ok()
}

/// [`yaml_without_duplicates`] for JSON text, with `serde_json`'s error otherwise.
pub(super) fn json_value(text: &str) -> Result<Option<Value>, serde_json::Error> {
    let mode = Mode {
        refuse: 0,
        found: RefCell::new(Vec::new()),
        count: Cell::new(0),
    };
    let mut de = serde_json::Deserializer::from_str(text);
    match Seed(&mode)
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
    {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.to_string().contains(REFUSAL) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The value of a text known to have a duplicate key (the later key's value kept, as the
/// parsers do), and every duplicate, located.
pub(super) fn find(text: &str, json: bool) -> Option<(Value, Vec<Duplicate>)> {
    let parse = |refuse: usize| -> (Result<Value, Place>, Vec<Vec<String>>) {
        let mode = Mode {
            refuse,
            found: RefCell::new(Vec::new()),
            count: Cell::new(0),
        };
        let result = if json {
            let mut de = serde_json::Deserializer::from_str(text);
            Seed(&mode)
                .deserialize(&mut de)
                .map_err(|e| (e.line(), e.column()))
        } else {
            Seed(&mode)
                .deserialize(serde_yaml::Deserializer::from_str(text))
                .map_err(|e| e.location().map_or((0, 0), |l| (l.line(), l.column())))
        };
        (result, mode.found.into_inner())
    };
    let (value, found) = parse(usize::MAX);
    let value = value.ok()?;
    let duplicates = found
        .into_iter()
        .enumerate()
        .map(|(i, mut tokens)| {
            tokens.reverse();
            let mut pointer = String::from("#");
            for t in &tokens {
                pointer.push('/');
                pointer.push_str(&escape_token(t));
            }
            let place = (i < MAX_PLACED)
                .then(|| parse(i).0.err())
                .flatten()
                .filter(|&(line, _)| line > 0)
                .map(|(line, column)| {
                    key_place(text, tokens.last().map_or("", |k| k), line, column)
                });
            Duplicate { pointer, place }
        })
        .collect();
    Some((value, duplicates))
}

/// The place of `key` as the last mapping key before the value the parser stopped at
/// (`line`, `column`); the value's place where the key's text cannot be found.
fn key_place(text: &str, key: &str, line: usize, column: usize) -> (usize, usize) {
    let line_start = if line <= 1 {
        Some(0)
    } else {
        text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)
    };
    let Some(start) = line_start else {
        return (line, column);
    };
    let end = text[start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| start + i);
    let before = &text[..end];
    let found = before
        .rmatch_indices(key)
        .take(64)
        .map(|(i, _)| i)
        .find(|&i| {
            let rest = &text[i + key.len()..end];
            let rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
            let prev = before[..i].chars().next_back();
            rest.trim_start_matches([' ', '\t']).starts_with(':')
                && !key.is_empty()
                && prev.is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != '-')
        });
    match found {
        Some(i) => {
            // At the opening quote of a quoted key.
            let i = match before[..i].chars().next_back() {
                Some(q @ ('"' | '\'')) => i - q.len_utf8(),
                _ => i,
            };
            let line_start = before[..i].rfind('\n').map_or(0, |n| n + 1);
            (
                before[..i].matches('\n').count() + 1,
                before[line_start..i].chars().count() + 1,
            )
        }
        None => (line, column),
    }
}

struct Seed<'m>(&'m Mode);

/// Fails on any value, with [`REFUSAL`] in the message.
struct Refuse;

impl<'de> DeserializeSeed<'de> for Refuse {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Visitor<'_> for Refuse {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(REFUSAL)
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// A mapping key as text (`200:` in YAML is the key `"200"`, as `Value` reads it).
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for Key {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    // As `Value` does: beyond 64 bits is `Number`'s error (the loader retries as a float).
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        use serde::Deserialize;
        Number::deserialize(de::value::I128Deserializer::new(v)).map(Value::Number)
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        use serde::Deserialize;
        Number::deserialize(de::value::U128Deserializer::new(v)).map(Value::Number)
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mode = self.0;
        let mut items = Vec::new();
        loop {
            let before = mode.count.get();
            let Some(item) = seq.next_element_seed(Seed(mode))? else {
                break;
            };
            extend_paths(mode, before, || items.len().to_string());
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mode = self.0;
        let mut values = Map::new();
        while let Some(key) = map.next_key_seed(Key)? {
            let before = mode.count.get();
            match values.entry(key) {
                Entry::Vacant(slot) => {
                    let value = map.next_value_seed(Seed(mode))?;
                    extend_paths(mode, before, || slot.key().clone());
                    slot.insert(value);
                }
                Entry::Occupied(mut slot) => {
                    if before == mode.refuse {
                        // Refused as its value is read: the parser's error is then placed
                        // at the value (they place an error at a key at its mapping).
                        return Err(map
                            .next_value_seed(Refuse)
                            .err()
                            .unwrap_or_else(|| de::Error::custom(REFUSAL)));
                    }
                    // Its tokens, this key's first, are added as the parse returns outwards.
                    mode.found.borrow_mut().push(Vec::new());
                    mode.count.set(before + 1);
                    let value = map.next_value_seed(Seed(mode))?;
                    extend_paths(mode, before, || slot.key().clone());
                    // The later value wins, as in the parsers' own `Value`.
                    slot.insert(value);
                }
            }
        }
        Ok(Value::Object(values))
    }
}

/// The duplicates found since `before` are this entry's key (recorded at the key) or lie
/// under its value: add the entry's token to each.
fn extend_paths(mode: &Mode, before: usize, token: impl Fn() -> String) {
    if mode.count.get() == before {
        return;
    }
    for path in mode.found.borrow_mut().iter_mut().skip(before) {
        path.push(token());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_duplicates_reads_as_value_does() {
        let text = "a: 1\nb: [x, {c: null}]\n200: {d: 1.5}\n";
        let expected: Value = serde_yaml::from_str(text).unwrap();
        assert_eq!(yaml_without_duplicates(text), Some(expected));
        assert_eq!(
            json_value(r#"{"a": [1, {"b": true}]}"#).unwrap(),
            Some(serde_json::json!({"a": [1, {"b": true}]}))
        );
    }

    #[test]
    fn duplicates_are_found_with_pointer_and_place() {
        let text = "paths:\n  /a:\n    get: {}\n  /a:\n    post: {}\nx:\n  - {k: 1, k: 2}\n";
        assert_eq!(yaml_without_duplicates(text), None);
        let (value, dups) = find(text, false).unwrap();
        assert_eq!(value["paths"]["/a"], serde_json::json!({"post": {}}));
        let pointers: Vec<&str> = dups.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(pointers, ["#/paths/~1a", "#/x/0/k"]);
        assert_eq!(dups[0].place, Some((4, 3)), "{dups:?}");
        assert_eq!(dups[1].place, Some((7, 12)), "{dups:?}");
    }

    #[test]
    fn json_duplicates_are_found() {
        let text = "{\"a\": {\"b\": 1,\n \"b\": 2}}";
        assert_eq!(json_value(text).unwrap(), None);
        let (value, dups) = find(text, true).unwrap();
        assert_eq!(value["a"]["b"], 2);
        assert_eq!(dups[0].pointer, "#/a/b");
        assert_eq!(dups[0].place, Some((2, 2)), "{dups:?}");
    }
}

/// `cargo test --release -p openapi-gen --lib dup_keys -- --ignored --nocapture`: the
/// duplicate check against a plain `Value` parse of the reference spec (fastest of 7 each).
#[cfg(test)]
#[test]
#[ignore]
fn speed_against_a_plain_value_parse() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/reference/openrouter-openapi.yaml"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    let (mut plain, mut checked) = (f64::MAX, f64::MAX);
    for _ in 0..7 {
        let t = std::time::Instant::now();
        let a: Value = serde_yaml::from_str(&text).unwrap();
        plain = plain.min(t.elapsed().as_secs_f64());
        let t = std::time::Instant::now();
        let b = yaml_without_duplicates(&text).unwrap();
        checked = checked.min(t.elapsed().as_secs_f64());
        assert_eq!(a, b);
    }
    eprintln!(
        "plain Value {:.1} ms, with the duplicate check {:.1} ms ({:.3}x)",
        plain * 1e3,
        checked * 1e3,
        checked / plain
    );
}
