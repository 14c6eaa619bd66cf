//! The normalised document → `openapiv3::OpenAPI`. `components/schemas` is most of a large
//! document, so it is deserialised in two halves, one on a second thread, while the rest of
//! the document is read on the first. The result is the same as one `deserialize` of the
//! whole (entries keep their order), and so are errors: on any error the document is put
//! back together and read whole, so the error and its location are exactly those of the
//! one-piece read.
//!
//! Path items are read one at a time, after the rest (see [`PathItems`]): each
//! `openapiv3::PathItem` is 8.7 KB inline, and `Paths`' flattened map would first buffer the
//! whole of `paths` as serde `Content`, so reading them with the rest held the `Value`, a
//! buffered copy and the typed items at once (≈ 60 KB per operation at the peak).

use indexmap::IndexMap;
use openapiv3::{OpenAPI, PathItem, ReferenceOr, Schema};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::locate;
use super::stack::{DESERIALIZE_STACK, with_big_stack};
use crate::Result;

/// Fewer schemas than this are read in one piece: a thread would cost more than it saves.
const MIN_SPLIT: usize = 64;

type Schemas = IndexMap<String, ReferenceOr<Schema>>;

/// The document without its path items, which are left untyped (see [`PathItems`]).
pub(super) fn openapi_deferred(doc: &mut Value) -> Result<(OpenAPI, PathItems)> {
    let items = take_path_items(doc);
    match without_path_items(doc) {
        Ok(o) => Ok((o, PathItems(items))),
        Err(_) => {
            // The error of the one-piece read, with the path items back in their place.
            if let Some(Value::Object(paths)) = doc.get_mut("paths") {
                paths.extend(items);
            }
            whole(doc).map(|o| (o, PathItems(Map::new())))
        }
    }
}

/// A document's path items, still `Value`s: typed one at a time by [`PathItems::typed`],
/// each `Value` dropped once read. The rest of the document has been read without error, so
/// the first item that fails is where the one-piece read's error is located too.
#[derive(Debug, Default)]
pub struct PathItems(Map<String, Value>);

/// The keys of a path item that are operations, as `openapiv3::PathItem::iter` reads them.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl PathItems {
    /// Every operation: its path, and whether it has no tag (what
    /// `openapiv3::PathItem::iter` would give, with `tags` empty). A `$ref` item has none.
    pub fn operations(&self) -> impl Iterator<Item = (&str, bool)> {
        self.0
            .iter()
            .filter(|(_, item)| item.get("$ref").is_none_or(|r| !r.is_string()))
            .flat_map(|(path, item)| {
                METHODS
                    .iter()
                    .filter_map(move |m| item.get(*m).filter(|op| !op.is_null()))
                    .map(move |op| {
                        let tagged = op
                            .get("tags")
                            .and_then(Value::as_array)
                            .is_some_and(|t| !t.is_empty());
                        (path.as_str(), !tagged)
                    })
            })
    }

    /// Each item typed when reached, its `Value` dropped right after.
    pub fn typed(self) -> impl Iterator<Item = Result<(String, ReferenceOr<PathItem>)>> {
        self.0.into_iter().map(
            |(path, item)| match ReferenceOr::<PathItem>::deserialize(&item) {
                Ok(t) => Ok((path, t)),
                Err(e) => Err(locate::path_item_error(&item, &path, e.to_string())),
            },
        )
    }
}

/// The path items (keys starting with `/`, as `openapiv3` reads them) taken out of `paths`.
fn take_path_items(doc: &mut Value) -> Map<String, Value> {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return Map::new();
    };
    let (items, rest): (Map<String, Value>, Map<String, Value>) = std::mem::take(paths)
        .into_iter()
        .partition(|(k, _)| k.starts_with('/'));
    *paths = rest;
    items
}

/// The document without its path items (read in two halves when it has many schemas).
fn without_path_items(doc: &mut Value) -> Result<OpenAPI> {
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
        .filter(|s| s.len() >= MIN_SPLIT)
        .map(std::mem::take)
    else {
        return whole(doc);
    };
    let half = schemas.len() / 2;
    let mut entries = schemas.into_iter();
    let first = Value::Object(entries.by_ref().take(half).collect());
    let second = Value::Object(entries.collect());
    let (rest, first_typed, second_typed) = std::thread::scope(|scope| {
        let other = std::thread::Builder::new()
            .name("openapi-gen-load-2".into())
            .stack_size(DESERIALIZE_STACK)
            .spawn_scoped(scope, || Schemas::deserialize(&second));
        let doc = &*doc;
        let (rest, first_typed) =
            with_big_stack(|| (OpenAPI::deserialize(doc), Schemas::deserialize(&first)));
        let second_typed = match other {
            Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
            Err(_) => with_big_stack(|| Schemas::deserialize(&second)),
        };
        (rest, first_typed, second_typed)
    });
    match (rest, first_typed, second_typed) {
        (Ok(mut openapi), Ok(mut schemas), Ok(more)) => {
            schemas.extend(more);
            openapi.components.get_or_insert_default().schemas = schemas;
            Ok(openapi)
        }
        _ => {
            let mut all = Map::new();
            for half in [first, second] {
                if let Value::Object(m) = half {
                    all.extend(m);
                }
            }
            if let Some(s) = doc.pointer_mut("/components/schemas") {
                *s = Value::Object(all);
            }
            whole(doc)
        }
    }
}

/// One `deserialize` of the whole document, with errors located.
fn whole(doc: &Value) -> Result<OpenAPI> {
    with_big_stack(|| OpenAPI::deserialize(doc).map_err(|e| locate::locate(doc, e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(bad: Option<usize>) -> Value {
        let schemas: Map<String, Value> = (0..MIN_SPLIT * 2 + 1)
            .map(|i| {
                let schema = match bad {
                    Some(b) if b == i => serde_json::json!({"type": "object", "required": 7}),
                    _ if i % 3 == 0 => serde_json::json!({"$ref": "#/components/schemas/S1"}),
                    _ => serde_json::json!({"type": "object", "properties": {"a": {"type": "string"}}}),
                };
                (format!("S{i}"), schema)
            })
            .collect();
        serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": schemas, "responses": {}},
        })
    }

    #[test]
    fn split_read_matches_the_whole_read() {
        let mut d = doc(None);
        let whole = whole(&d).unwrap();
        assert_eq!(openapi(&mut d).unwrap(), whole);
        // Errors in either half, and their location, are those of the whole read.
        for bad in [3, MIN_SPLIT + 5] {
            let mut d = doc(Some(bad));
            let expected = whole_err(&d);
            assert_eq!(openapi(&mut d).unwrap_err().to_string(), expected, "{bad}");
            assert_eq!(d, doc(Some(bad)), "document put back together");
        }
    }

    fn openapi(d: &mut Value) -> Result<OpenAPI> {
        let (mut o, items) = openapi_deferred(d)?;
        o.paths.paths = items.typed().collect::<Result<_>>()?;
        Ok(o)
    }

    /// What the grouping reads from untyped items is what the typed items say.
    #[test]
    fn untyped_operations_agree_with_the_typed_ones() {
        let mut d = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/a": {"get": {"tags": ["x"], "responses": {}}, "post": {"responses": {}},
                    "parameters": [], "summary": "s"},
                "/b": {"$ref": "#/x"},
                "/c": {"delete": {"tags": [], "responses": {}}, "trace": {"responses": {}}},
            },
        });
        let (_, items) = openapi_deferred(&mut d.clone()).unwrap();
        let untyped: Vec<(String, bool)> =
            items.operations().map(|(p, u)| (p.to_owned(), u)).collect();
        let typed = openapi(&mut d).unwrap();
        let from_typed: Vec<(String, bool)> =
            crate::model::typed_operations_for_tests(typed.paths.iter());
        assert_eq!(untyped, from_typed);
        assert_eq!(untyped.len(), 4);
    }

    fn whole_err(d: &Value) -> String {
        whole(d).unwrap_err().to_string()
    }
}
