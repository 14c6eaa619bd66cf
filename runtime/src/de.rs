//! `Deserialize` for generated structs: one generic visitor here, a field table and two
//! `match`es per struct there.
//!
//! `#[derive(Deserialize)]` expands every struct into a field enum, three key visitors, a
//! sequence visitor and a map visitor, about 25 lines per field. On a large API that is
//! most of the crate's compile time (rustc's type and borrow checks of the expansion), and
//! every copy does the same thing. Here a struct only says what differs: its wire names,
//! where each value lands ([`StructFields::field`]) and how the slots become the struct
//! ([`StructFields::finish`]). Behaviour matches the derive: unknown keys are skipped (or
//! kept, for types with `additionalProperties`), a repeated key is an error, a missing
//! required key is `missing field` (an `Option` one is `None`, as with the derive).

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

/// What a generated struct declares so [`deserialize_struct`] can read it.
pub trait StructFields<'de>: Sized {
    /// The struct's name, for errors and self-describing formats.
    const NAME: &'static str;
    /// Wire names of the declared properties; a key's index in it is what
    /// [`StructFields::field`] receives.
    const FIELDS: &'static [&'static str];
    /// Whether undeclared keys are kept ([`StructFields::other`]) rather than skipped.
    const KEEPS_OTHERS: bool = false;
    /// Values read so far: a tuple with one `Option` (or `Tristate`) per field.
    type Slots;

    /// Empty slots.
    fn slots() -> Self::Slots;

    /// Reads the value of field `index` (in [`StructFields::FIELDS`]) into its slot.
    fn field<A: MapAccess<'de>>(
        slots: &mut Self::Slots,
        index: usize,
        map: &mut A,
    ) -> Result<(), A::Error>;

    /// Reads the value of an undeclared key (only called when `KEEPS_OTHERS`).
    fn other<A: MapAccess<'de>>(
        slots: &mut Self::Slots,
        key: String,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let _ = (slots, key);
        map.next_value::<IgnoredAny>().map(drop)
    }

    /// The struct from its slots, or the first missing required field.
    fn finish<E: de::Error>(slots: Self::Slots) -> Result<Self, E>;
}

/// `Deserialize::deserialize` of every generated struct.
pub fn deserialize_struct<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: StructFields<'de>,
    D: Deserializer<'de>,
{
    let visitor = StructVisitor::<T>(PhantomData);
    if T::KEEPS_OTHERS {
        // Self-describing formats only: every key must reach the visitor.
        deserializer.deserialize_map(visitor)
    } else {
        deserializer.deserialize_struct(T::NAME, T::FIELDS, visitor)
    }
}

/// A required field's value; when absent, what the type makes of a missing value (an
/// `Option` is `None`, anything else is a `missing field` error), as the derive does.
pub fn required<'de, T: Deserialize<'de>, E: de::Error>(
    slot: Option<T>,
    name: &'static str,
) -> Result<T, E> {
    match slot {
        Some(v) => Ok(v),
        None => T::deserialize(Missing(name, PhantomData)),
    }
}

/// A required field that may be `null` (`Option<T>`): the key itself must be present.
pub fn required_key<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: StructFields<'de>> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        expecting(f, T::NAME)
    }

    // Instantiated per struct and per deserializer: the loop lives in `read_map`, which
    // is instantiated per deserializer only.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut slots = T::slots();
        read_map(
            &mut map,
            T::FIELDS,
            T::KEEPS_OTHERS,
            &mut |index, other, map| match other {
                None => T::field(&mut slots, index, map),
                Some(key) => T::other(&mut slots, key, map),
            },
        )?;
        T::finish(slots)
    }
}

fn expecting(f: &mut fmt::Formatter, name: &str) -> fmt::Result {
    write!(f, "struct {name}")
}

/// A value reader: `(index in FIELDS, None)` for a declared key, `(_, Some(key))` for a
/// kept undeclared one.
type ReadValue<'r, A, E> = dyn FnMut(usize, Option<String>, &mut A) -> Result<(), E> + 'r;

/// Reads every key of `map`, handing declared (and kept) ones to `read` and skipping the
/// rest; a declared key seen twice is an error, as with the derive.
fn read_map<'de, A: MapAccess<'de>>(
    map: &mut A,
    fields: &'static [&'static str],
    keep: bool,
    read: &mut ReadValue<'_, A, A::Error>,
) -> Result<(), A::Error> {
    // Keys seen, for the duplicate check (fields past the 128th are not checked).
    let mut seen = 0u128;
    let seed = KeySeed { fields, keep };
    while let Some(key) = map.next_key_seed(seed)? {
        match key {
            Key::Field(index) => {
                let bit = 1u128.checked_shl(index as u32).unwrap_or(0);
                if seen & bit != 0 {
                    return Err(de::Error::duplicate_field(fields[index]));
                }
                seen |= bit;
                read(index, None, map)?;
            }
            Key::Other(name) => read(usize::MAX, Some(name), map)?,
            Key::Skip => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    Ok(())
}

enum Key {
    Field(usize),
    Other(String),
    Skip,
}

/// Reads a key without allocating unless it is kept.
#[derive(Clone, Copy)]
struct KeySeed {
    fields: &'static [&'static str],
    keep: bool,
}

impl KeySeed {
    fn key(self, name: &str) -> Key {
        match self.fields.iter().position(|f| *f == name) {
            Some(i) => Key::Field(i),
            None if self.keep => Key::Other(name.to_owned()),
            None => Key::Skip,
        }
    }
}

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(self.key(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key, E> {
        Ok(match self.key(&v) {
            Key::Other(_) => Key::Other(v),
            k => k,
        })
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Key, E> {
        match std::str::from_utf8(v) {
            Ok(s) => Ok(self.key(s)),
            // Not a declared name; kept keys must be text.
            Err(_) if !self.keep => Ok(Key::Skip),
            Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(v), &self)),
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
        // Formats that number fields (as the derive accepts).
        match usize::try_from(v) {
            Ok(i) if i < self.fields.len() => Ok(Key::Field(i)),
            _ if self.keep => Ok(Key::Other(v.to_string())),
            _ => Ok(Key::Skip),
        }
    }
}

/// The deserializer a missing field is read from: `None` for an `Option`, else an error.
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    /// As generated for `{a: string (required), b: [int] (required, but an `Option` in
    /// Rust), c: nullable required, d: optional}` plus `additionalProperties: int`.
    #[derive(Debug, PartialEq, crate::__private::Deserialize)]
    struct S {
        a: String,
        #[serde(rename = "b")]
        r#b: OptionVec,
        c: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        d: Option<bool>,
        #[serde(flatten)]
        rest: BTreeMap<String, i64>,
    }

    /// A required field whose type is an alias of `Option`: absent is `None`, as with serde.
    type OptionVec = Option<Vec<i64>>;

    fn parse(json: &str) -> Result<S, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_declared_kept_and_skipped_keys() {
        let s = parse(r#"{"x":1,"a":"A","b":[1,2],"c":null,"d":true,"y":2}"#).unwrap();
        assert_eq!(
            s,
            S {
                a: "A".into(),
                r#b: Some(vec![1, 2]),
                c: None,
                d: Some(true),
                rest: BTreeMap::from([("x".into(), 1), ("y".into(), 2)]),
            }
        );
    }

    #[test]
    fn missing_and_repeated_keys_are_errors_like_the_derive() {
        // Absent `Option` field without a default: `None`, as serde's derive does.
        assert_eq!(parse(r#"{"a":"A","c":"C"}"#).unwrap().r#b, None);
        assert!(
            parse(r#"{"c":null}"#)
                .unwrap_err()
                .contains("missing field `a`")
        );
        assert!(
            parse(r#"{"a":"A"}"#)
                .unwrap_err()
                .contains("missing field `c`")
        );
        assert!(
            parse(r#"{"a":"A","c":null,"a":"B"}"#)
                .unwrap_err()
                .contains("duplicate field `a`")
        );
        assert!(
            parse(r#"{"a":1,"c":null}"#)
                .unwrap_err()
                .contains("invalid type")
        );
        assert!(parse(r#"[]"#).unwrap_err().contains("expected struct S"));
    }

    #[test]
    fn works_through_value_and_borrowed_keys() {
        let v = serde_json::json!({"a": "A", "c": "C", "z": 5});
        let s: S = serde_json::from_value(v).unwrap();
        assert_eq!((s.c.as_deref(), s.rest.get("z")), (Some("C"), Some(&5)));
    }
}
