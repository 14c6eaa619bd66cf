//! `Deserialize` for generated structs: one generic visitor here, a field table and three
//! small `match`es per struct there (key → index, index → slot, slots → struct).
//!
//! `#[derive(Deserialize)]` expands every struct into a field enum, three key visitors, a
//! sequence visitor and a map visitor, about 25 lines per field. On a large API that is
//! most of the crate's compile time (rustc's type and borrow checks of the expansion), and
//! every copy does the same thing. Here a struct only says what differs: its wire names,
//! where each value lands ([`StructFields::field`]) and how the slots become the struct
//! ([`StructFields::finish`]). Behaviour matches the derive: unknown keys are skipped (or
//! kept, for types with `additionalProperties`), a repeated key is an error, and a missing
//! required key is `missing field`. A JSON array is read as serde's derive reads it: the
//! fields in declaration order, a missing trailing optional field is its default, a missing
//! required one `invalid length` (not for types that keep undeclared keys, as with serde's
//! `flatten`). One difference: serde's derive reads a missing required field of an `Option`
//! type (behind an alias) as `None`; here every required key must be present, as the
//! document says.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{
    self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Unexpected, Visitor,
};

/// What a generated struct declares so [`deserialize_struct`] can read it.
pub trait StructFields<'de>: Sized {
    /// The struct's name, for errors and self-describing formats.
    const NAME: &'static str;
    /// Wire names of the declared properties; a key's index in it is what
    /// [`StructFields::field`] receives.
    const FIELDS: &'static [&'static str];
    /// Indices (in [`StructFields::FIELDS`]) of the required fields: the visitor checks
    /// they were all read before [`StructFields::finish`].
    const REQUIRED: &'static [usize] = &[];
    /// Whether undeclared keys are kept ([`StructFields::other`]) rather than skipped.
    const KEEPS_OTHERS: bool = false;
    /// Values read so far: a tuple with one `Option` (or `Tristate`) per field.
    type Slots;

    /// The index of a wire name in [`StructFields::FIELDS`]. The derive writes a `match`,
    /// which rustc compiles to a switch on the length and few comparisons; the default
    /// scans the table.
    fn index(name: &str) -> Option<usize> {
        Self::FIELDS.iter().position(|f| *f == name)
    }

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

    /// The struct from its slots; every required slot is filled.
    fn finish(slots: Self::Slots) -> Self;
}

/// `Deserialize::deserialize` of every generated struct.
pub fn deserialize_struct<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: StructFields<'de> + Deserialize<'de>,
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

/// Reads the next value into a required field's slot (one call per `match` arm of
/// [`StructFields::field`], lighter for rustc than a `?` per arm).
pub fn put<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads the next value into an optional field's slot (an `Option` or a `Tristate`).
pub fn set<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut T,
    map: &mut A,
) -> Result<(), A::Error> {
    *slot = map.next_value()?;
    Ok(())
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: StructFields<'de> + Deserialize<'de>> Visitor<'de> for StructVisitor<T> {
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
            T::index,
            T::REQUIRED,
            T::KEEPS_OTHERS,
            &mut |index, other, map| match other {
                None => T::field(&mut slots, index, map),
                Some(key) => T::other(&mut slots, key, map),
            },
        )?;
        Ok(T::finish(slots))
    }

    // The array form, as serde's derive reads it (see `read_seq`).
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        if T::KEEPS_OTHERS {
            // serde's derive has no array form for a struct with a `flatten` field.
            return Err(de::Error::invalid_type(Unexpected::Seq, &self));
        }
        let (object, short) = read_seq(&mut seq, T::FIELDS, T::REQUIRED);
        let object = object?;
        match (T::deserialize(object), short) {
            (Ok(value), _) => Ok(value),
            // serde's derive reads the elements before it finds one missing, so an error in
            // them comes first.
            (Err(e), Some(index)) if missing_field(&e) => Err(de::Error::invalid_length(
                index,
                &Length(T::NAME, T::FIELDS.len()),
            )),
            (Err(e), _) => Err(de::Error::custom(e)),
        }
    }
}

/// Reads one element per field, in declaration order, into an object keyed by the fields'
/// wire names, which the struct then reads as it reads any object. A field with no element
/// left is absent (its default if optional); the first required one without an element is
/// returned, `invalid length` as in serde's derive unless an element read before is bad. Elements beyond the fields are left to the deserializer, as serde's
/// derive does.
///
/// Going through a `serde_json::Value` keeps the per-struct code to one instantiation (the
/// struct read from a `Value`, which unions instantiate anyway) instead of a second
/// instantiation of every field's read per deserializer.
fn read_seq<'de, A: SeqAccess<'de>>(
    seq: &mut A,
    fields: &'static [&'static str],
    required: &'static [usize],
) -> (Result<serde_json::Value, A::Error>, Option<usize>) {
    let mut object = serde_json::Map::new();
    for (index, field) in fields.iter().enumerate() {
        match seq.next_element::<serde_json::Value>() {
            Ok(Some(value)) => {
                object.insert((*field).to_owned(), value);
            }
            Ok(None) => {
                let short = required.iter().find(|&&r| r >= index).copied();
                return (Ok(serde_json::Value::Object(object)), short);
            }
            Err(e) => return (Err(e), None),
        }
    }
    (Ok(serde_json::Value::Object(object)), None)
}

/// Whether decoding the elements failed only for want of a required one.
fn missing_field(e: &serde_json::Error) -> bool {
    e.to_string().starts_with("missing field")
}

/// serde's expectation for the array form: `struct Name with N elements`.
struct Length(&'static str, usize);

impl de::Expected for Length {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "struct {} with {} elements", self.0, self.1)
    }
}

fn expecting(f: &mut fmt::Formatter, name: &str) -> fmt::Result {
    write!(f, "struct {name}")
}

/// A value reader: `(index in FIELDS, None)` for a declared key, `(_, Some(key))` for a
/// kept undeclared one.
type ReadValue<'r, A, E> = dyn FnMut(usize, Option<String>, &mut A) -> Result<(), E> + 'r;

/// Reads every key of `map`, handing declared (and kept) ones to `read` and skipping the
/// rest; a declared key seen twice, or a required one not seen, is an error.
fn read_map<'de, A: MapAccess<'de>>(
    map: &mut A,
    fields: &'static [&'static str],
    index: fn(&str) -> Option<usize>,
    required: &'static [usize],
    keep: bool,
    read: &mut ReadValue<'_, A, A::Error>,
) -> Result<(), A::Error> {
    let mut seen = Seen::new(fields.len());
    let seed = KeySeed {
        fields: fields.len(),
        index,
        keep,
    };
    while let Some(key) = map.next_key_seed(seed)? {
        match key {
            Key::Field(index) => {
                if !seen.insert(index) {
                    return Err(de::Error::duplicate_field(fields[index]));
                }
                read(index, None, map)?;
            }
            Key::Other(name) => read(usize::MAX, Some(name), map)?,
            Key::Skip => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    match required.iter().find(|&&i| !seen.contains(i)) {
        Some(&i) => Err(de::Error::missing_field(fields[i])),
        None => Ok(()),
    }
}

/// The fields read so far: bits of a `u128`, or a vector for the rare larger struct.
enum Seen {
    Small(u128),
    Large(Vec<bool>),
}

impl Seen {
    fn new(fields: usize) -> Self {
        if fields <= 128 {
            Seen::Small(0)
        } else {
            Seen::Large(vec![false; fields])
        }
    }

    /// Marks `index`; `false` if it was already marked.
    fn insert(&mut self, index: usize) -> bool {
        match self {
            Seen::Small(bits) => {
                let bit = 1u128 << index;
                let new = *bits & bit == 0;
                *bits |= bit;
                new
            }
            Seen::Large(v) => !std::mem::replace(&mut v[index], true),
        }
    }

    fn contains(&self, index: usize) -> bool {
        match self {
            Seen::Small(bits) => bits & (1u128 << index) != 0,
            Seen::Large(v) => v[index],
        }
    }
}

enum Key {
    Field(usize),
    Other(String),
    Skip,
}

/// Reads a key without allocating unless it is kept.
#[derive(Clone, Copy)]
struct KeySeed {
    /// How many fields the struct declares.
    fields: usize,
    /// The struct's [`StructFields::index`].
    index: fn(&str) -> Option<usize>,
    keep: bool,
}

impl KeySeed {
    fn key(self, name: &str) -> Key {
        match (self.index)(name) {
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
            Ok(i) if i < self.fields => Ok(Key::Field(i)),
            _ if self.keep => Ok(Key::Other(v.to_string())),
            _ => Ok(Key::Skip),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    /// As generated for `{a: string, b: [int] (nullable, behind an alias), c: nullable
    /// string}` all required, `d` optional, plus `additionalProperties: int`.
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

    type OptionVec = Option<Vec<i64>>;

    /// A struct with more fields than the `u128` of seen keys holds.
    #[derive(Debug, crate::__private::Deserialize)]
    #[allow(dead_code)]
    struct Wide {
        f0: u8,
        f1: u8,
        f2: u8,
        f3: u8,
        f4: u8,
        f5: u8,
        f6: u8,
        f7: u8,
        f8: u8,
        f9: u8,
        f10: u8,
        f11: u8,
        f12: u8,
        f13: u8,
        f14: u8,
        f15: u8,
        f16: u8,
        f17: u8,
        f18: u8,
        f19: u8,
        f20: u8,
        f21: u8,
        f22: u8,
        f23: u8,
        f24: u8,
        f25: u8,
        f26: u8,
        f27: u8,
        f28: u8,
        f29: u8,
        f30: u8,
        f31: u8,
        f32: u8,
        f33: u8,
        f34: u8,
        f35: u8,
        f36: u8,
        f37: u8,
        f38: u8,
        f39: u8,
        f40: u8,
        f41: u8,
        f42: u8,
        f43: u8,
        f44: u8,
        f45: u8,
        f46: u8,
        f47: u8,
        f48: u8,
        f49: u8,
        f50: u8,
        f51: u8,
        f52: u8,
        f53: u8,
        f54: u8,
        f55: u8,
        f56: u8,
        f57: u8,
        f58: u8,
        f59: u8,
        f60: u8,
        f61: u8,
        f62: u8,
        f63: u8,
        f64: u8,
        f65: u8,
        f66: u8,
        f67: u8,
        f68: u8,
        f69: u8,
        f70: u8,
        f71: u8,
        f72: u8,
        f73: u8,
        f74: u8,
        f75: u8,
        f76: u8,
        f77: u8,
        f78: u8,
        f79: u8,
        f80: u8,
        f81: u8,
        f82: u8,
        f83: u8,
        f84: u8,
        f85: u8,
        f86: u8,
        f87: u8,
        f88: u8,
        f89: u8,
        f90: u8,
        f91: u8,
        f92: u8,
        f93: u8,
        f94: u8,
        f95: u8,
        f96: u8,
        f97: u8,
        f98: u8,
        f99: u8,
        f100: u8,
        f101: u8,
        f102: u8,
        f103: u8,
        f104: u8,
        f105: u8,
        f106: u8,
        f107: u8,
        f108: u8,
        f109: u8,
        f110: u8,
        f111: u8,
        f112: u8,
        f113: u8,
        f114: u8,
        f115: u8,
        f116: u8,
        f117: u8,
        f118: u8,
        f119: u8,
        f120: u8,
        f121: u8,
        f122: u8,
        f123: u8,
        f124: u8,
        f125: u8,
        f126: u8,
        f127: u8,
        f128: u8,
        f129: u8,
    }

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
    fn missing_and_repeated_keys_are_errors() {
        let err = |json: &str| parse(json).unwrap_err();
        assert!(err(r#"{"b":null,"c":null}"#).contains("missing field `a`"));
        // Required keys must be present even when `null` is allowed.
        assert!(err(r#"{"a":"A","c":"C"}"#).contains("missing field `b`"));
        assert!(err(r#"{"a":"A","b":null}"#).contains("missing field `c`"));
        assert!(err(r#"{"a":"A","b":null,"c":null,"a":"B"}"#).contains("duplicate field `a`"));
        assert!(err(r#"{"a":1,"b":null,"c":null}"#).contains("invalid type"));
        assert!(err(r#"[]"#).contains("expected struct S"));
    }

    #[test]
    fn works_through_value_and_borrowed_keys() {
        let v = serde_json::json!({"a": "A", "b": null, "c": "C", "z": 5});
        let s: S = serde_json::from_value(v).unwrap();
        assert_eq!((s.c.as_deref(), s.rest.get("z")), (Some("C"), Some(&5)));
    }

    #[test]
    fn structs_past_128_fields_check_every_key() {
        let all: Vec<String> = (0..130).map(|i| format!("\"f{i}\":{i}")).collect();
        let json = format!("{{{}}}", all.join(","));
        let w: Wide = serde_json::from_str(&json).unwrap();
        assert_eq!((w.f0, w.f129), (0, 129));
        let missing = format!("{{{}}}", all[..129].join(","));
        let e = serde_json::from_str::<Wide>(&missing)
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing field `f129`"), "{e}");
        let twice = format!("{{{},\"f128\":1}}", all.join(","));
        let e = serde_json::from_str::<Wide>(&twice)
            .unwrap_err()
            .to_string();
        assert!(e.contains("duplicate field `f128`"), "{e}");
    }
}
