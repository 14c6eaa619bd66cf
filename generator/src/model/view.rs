//! A uniform read-only view of a schema. `openapiv3` splits schemas into typed variants and
//! an `Any` catch-all (used whenever keywords are mixed); the model reads both the same way.

use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

/// The schema's primary type keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
    /// No `type`: decided by the other keywords.
    Untyped,
}

/// Everything the model reads from one schema object.
pub struct View<'a> {
    pub kind: Kind,
    pub format: Option<String>,
    pub enumeration: Vec<Value>,
    pub properties: Vec<(&'a String, &'a ReferenceOr<Box<Schema>>)>,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
    pub items: Option<&'a ReferenceOr<Box<Schema>>>,
    pub one_of: &'a [ReferenceOr<Schema>],
    pub any_of: &'a [ReferenceOr<Schema>],
    pub all_of: &'a [ReferenceOr<Schema>],
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<&'a str>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub minimum: Option<(f64, bool)>,
    pub maximum: Option<(f64, bool)>,
}

const EMPTY: &[ReferenceOr<Schema>] = &[];

fn fmt<T: std::fmt::Debug>(
    f: &VariantOrUnknownOrEmpty<T>,
    name: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(i) => Some(name(i).to_owned()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn string_format(f: &StringFormat) -> &'static str {
    match f {
        StringFormat::Date => "date",
        StringFormat::DateTime => "date-time",
        StringFormat::Password => "password",
        StringFormat::Byte => "byte",
        StringFormat::Binary => "binary",
    }
}

impl<'a> View<'a> {
    pub fn of(schema: &'a Schema) -> View<'a> {
        let mut v = View {
            kind: Kind::Untyped,
            format: None,
            enumeration: Vec::new(),
            properties: Vec::new(),
            required: &[],
            additional: None,
            items: None,
            one_of: EMPTY,
            any_of: EMPTY,
            all_of: EMPTY,
            min_length: None,
            max_length: None,
            pattern: None,
            min_items: None,
            max_items: None,
            minimum: None,
            maximum: None,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                v.kind = Kind::String;
                v.format = fmt(&s.format, string_format);
                v.enumeration = s
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|s| Value::from(s.as_str()))
                    .collect();
                v.min_length = s.min_length;
                v.max_length = s.max_length;
                v.pattern = s.pattern.as_deref();
            }
            SchemaKind::Type(Type::Number(n)) => {
                v.kind = Kind::Number;
                v.format = fmt(&n.format, |f| match f {
                    openapiv3::NumberFormat::Float => "float",
                    openapiv3::NumberFormat::Double => "double",
                });
                v.enumeration = n
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|x| Value::from(*x))
                    .collect();
                v.minimum = n.minimum.map(|m| (m, n.exclusive_minimum));
                v.maximum = n.maximum.map(|m| (m, n.exclusive_maximum));
            }
            SchemaKind::Type(Type::Integer(n)) => {
                v.kind = Kind::Integer;
                v.format = fmt(&n.format, |f| match f {
                    openapiv3::IntegerFormat::Int32 => "int32",
                    openapiv3::IntegerFormat::Int64 => "int64",
                });
                v.enumeration = n
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|x| Value::from(*x))
                    .collect();
                v.minimum = n.minimum.map(|m| (m as f64, n.exclusive_minimum));
                v.maximum = n.maximum.map(|m| (m as f64, n.exclusive_maximum));
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                v.kind = Kind::Boolean;
                v.enumeration = b
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|x| Value::from(*x))
                    .collect();
            }
            SchemaKind::Type(Type::Object(o)) => {
                v.kind = Kind::Object;
                v.properties = o.properties.iter().collect();
                v.required = &o.required;
                v.additional = o.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(a)) => {
                v.kind = Kind::Array;
                v.items = a.items.as_ref();
                v.min_items = a.min_items;
                v.max_items = a.max_items;
            }
            SchemaKind::OneOf { one_of } => v.one_of = one_of,
            SchemaKind::AnyOf { any_of } => v.any_of = any_of,
            SchemaKind::AllOf { all_of } => v.all_of = all_of,
            SchemaKind::Not { .. } => {}
            SchemaKind::Any(a) => {
                v.kind = match a.typ.as_deref() {
                    Some("string") => Kind::String,
                    Some("number") => Kind::Number,
                    Some("integer") => Kind::Integer,
                    Some("boolean") => Kind::Boolean,
                    Some("object") => Kind::Object,
                    Some("array") => Kind::Array,
                    _ => Kind::Untyped,
                };
                v.format = a.format.clone();
                v.enumeration = a
                    .enumeration
                    .iter()
                    .filter(|x| !x.is_null())
                    .cloned()
                    .collect();
                v.properties = a.properties.iter().collect();
                v.required = &a.required;
                v.additional = a.additional_properties.as_ref();
                v.items = a.items.as_ref();
                v.one_of = &a.one_of;
                v.any_of = &a.any_of;
                v.all_of = &a.all_of;
                v.min_length = a.min_length;
                v.max_length = a.max_length;
                v.pattern = a.pattern.as_deref();
                v.min_items = a.min_items;
                v.max_items = a.max_items;
                v.minimum = a.minimum.map(|m| (m, a.exclusive_minimum.unwrap_or(false)));
                v.maximum = a.maximum.map(|m| (m, a.exclusive_maximum.unwrap_or(false)));
                if v.kind == Kind::Untyped {
                    // Infer the type the keywords imply, so `{properties: …}` is an object.
                    if !v.properties.is_empty() || v.additional.is_some() {
                        v.kind = Kind::Object;
                    } else if v.items.is_some() {
                        v.kind = Kind::Array;
                    } else if !v.enumeration.is_empty()
                        && v.enumeration.iter().all(Value::is_string)
                    {
                        v.kind = Kind::String;
                    }
                }
            }
        }
        v
    }
}
