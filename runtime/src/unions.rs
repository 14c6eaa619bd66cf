//! Decoding `oneOf`/`anyOf` unions: the shared half of every generated union's
//! `Deserialize`. An untagged union's impl is one macro call that lists the variants in the
//! order to try them,
//!
//! ```ignore
//! runtime::untagged_union!(Content { Array, Kind(ContentKind), Text });
//! ```
//!
//! (`V`: `V` if the value decodes as its type; `V(T)`, an open enum `T`: `V` if the value
//! is a string `T` knows; after every try, any string as the first open enum's `Unknown`
//! value); a discriminated union's impl says which variant each tag selects. These
//! functions do the reading.
//!
//! A union reads its input once into a [`serde_json::Value`] and decodes variants from
//! `&Value`, so each variant type's `Deserialize` is instantiated once for all unions.

use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde_json::Value;

/// `impl Deserialize` for an untagged union (see the module docs). Generated code reaches
/// it as `runtime::untagged_union!`.
#[doc(hidden)]
#[macro_export]
macro_rules! __untagged_union {
    ($union:ident { $($variant:ident $(($ty:ty))?),* $(,)? }) => {
        impl<'de> $crate::__private::serde::Deserialize<'de> for $union {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::__private::unions::untagged(
                    deserializer,
                    stringify!($union),
                    $crate::__union_attempts!($($variant $(($ty))?),*),
                )
            }
        }
    };
}

/// The closure of [`untagged`]: each listed variant tried in turn (`Option::or_else`),
/// then any string as the first open enum's `Unknown` value.
#[doc(hidden)]
#[macro_export]
macro_rules! __union_attempts {
    () => {
        |_| ::std::option::Option::None
    };
    ($first:ident $(($first_ty:ty))? $(, $next:ident $(($next_ty:ty))?)*) => {
        |value| {
            $crate::__union_text!(
                value;
                $crate::__union_try!(value, $first $(($first_ty))?)
                    $(.or_else(|| $crate::__union_try!(value, $next $(($next_ty))?)))*;
                $first $(($first_ty))? $(, $next $(($next_ty))?)*
            )
        }
    };
}

/// One try: `V` if the value decodes as its type; `V(T)` (an open enum `T`) only if the
/// value is a string `T` knows.
#[doc(hidden)]
#[macro_export]
macro_rules! __union_try {
    ($value:ident, $variant:ident) => {
        $crate::__private::unions::attempt($value, Self::$variant)
    };
    ($value:ident, $variant:ident($ty:ty)) => {
        $crate::__private::unions::known($value, <$ty>::is_unknown, Self::$variant)
    };
}

/// `chain`, then, if a variant is an open enum, any string as the first one's value.
#[doc(hidden)]
#[macro_export]
macro_rules! __union_text {
    ($value:ident; $chain:expr;) => {
        $chain
    };
    ($value:ident; $chain:expr; $variant:ident($ty:ty) $(, $($rest:tt)*)?) => {
        $chain.or_else(|| $crate::__private::unions::text($value, Self::$variant))
    };
    ($value:ident; $chain:expr; $variant:ident $(, $($rest:tt)*)?) => {
        $crate::__union_text!($value; $chain; $($($rest)*)?)
    };
}

/// `impl Deserialize` for a discriminated union whose every tag selects one variant and
/// that keeps an unknown tag's JSON in `$unknown`:
/// `runtime::tagged_union!(Block, "type", Unknown { "text" => Text, "image" | "picture" => Image })`.
/// Generated code reaches it as `runtime::tagged_union!`.
#[doc(hidden)]
#[macro_export]
macro_rules! __tagged_union {
    ($union:ident, $tag:literal, $unknown:ident { $($($value:literal)|+ => $variant:ident),* $(,)? }) => {
        impl<'de> $crate::__private::serde::Deserialize<'de> for $union {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::__private::unions::tagged(deserializer, $tag, |tag, value| match tag {
                    $(
                        $(::std::option::Option::Some($value))|+ => {
                            $crate::__private::unions::variant(&value, Self::$variant)
                        }
                    )*
                    _ => ::std::result::Result::Ok(Self::$unknown(value)),
                })
            }
        }
    };
}

/// `impl Placeholder` for a union (a mocked answer's value where a test sets none): the
/// variant the generator picked, holding its own placeholder. Generated code reaches it as
/// `runtime::union_placeholder!`.
#[doc(hidden)]
#[macro_export]
macro_rules! __union_placeholder {
    ($union:ident :: $variant:ident) => {
        impl $crate::__private::Placeholder for $union {
            fn placeholder() -> Self {
                Self::$variant($crate::__private::Placeholder::placeholder())
            }
        }
    };
}

/// An untagged union: the first variant `attempts` finds, or an error naming `union`.
pub fn untagged<'de, D: Deserializer<'de>, U>(
    deserializer: D,
    union: &'static str,
    attempts: impl FnOnce(&Value) -> Option<U>,
) -> Result<U, D::Error> {
    let value: Value = serde::Deserialize::deserialize(deserializer)?;
    attempts(&value)
        .ok_or_else(|| D::Error::custom(format!("data did not match any variant of {union}")))
}

/// A discriminated union: `decide` gets the value of the property `tag` (when it is a
/// string) and the whole value, and picks the variant.
pub fn tagged<'de, D: Deserializer<'de>, U>(
    deserializer: D,
    tag: &'static str,
    decide: impl FnOnce(Option<&str>, Value) -> Result<U, serde_json::Error>,
) -> Result<U, D::Error> {
    let value: Value = serde::Deserialize::deserialize(deserializer)?;
    let found = value.get(tag).and_then(Value::as_str).map(str::to_owned);
    decide(found.as_deref(), value).map_err(D::Error::custom)
}

/// `value` as the variant `wrap` makes of a `T`, if it decodes as a `T`.
#[inline]
pub fn attempt<T: DeserializeOwned, U>(value: &Value, wrap: impl FnOnce(T) -> U) -> Option<U> {
    T::deserialize(value).ok().map(wrap)
}

/// `value` as the variant `wrap` makes of a `T`, or why it does not decode as one.
#[inline]
pub fn variant<T: DeserializeOwned, U>(
    value: &Value,
    wrap: impl FnOnce(T) -> U,
) -> Result<U, serde_json::Error> {
    T::deserialize(value).map(wrap)
}

/// A string that is one of an open enum's known values (`is_unknown` is the enum's), as
/// the variant `wrap` makes of it: an enum variant takes a string before plainer variants
/// only when it knows the value.
#[inline]
pub fn known<T: for<'a> From<&'a str>, U>(
    value: &Value,
    is_unknown: fn(&T) -> bool,
    wrap: impl FnOnce(T) -> U,
) -> Option<U> {
    let known = T::from(value.as_str()?);
    (!is_unknown(&known)).then(|| wrap(known))
}

/// Any string, as the variant `wrap` makes of it (an open enum's last resort: its
/// `Unknown` value).
#[inline]
pub fn text<T: for<'a> From<&'a str>, U>(value: &Value, wrap: impl FnOnce(T) -> U) -> Option<U> {
    value.as_str().map(|s| wrap(T::from(s)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq)]
    enum Num {
        Int(i64),
        Text(String),
    }

    fn untagged_num(v: Value) -> Result<Num, serde_json::Error> {
        untagged(v, "Num", |value| {
            attempt(value, Num::Int).or_else(|| attempt(value, Num::Text))
        })
    }

    #[test]
    fn untagged_takes_the_first_variant_that_decodes() {
        assert_eq!(untagged_num(json!(3)).unwrap(), Num::Int(3));
        assert_eq!(untagged_num(json!("3")).unwrap(), Num::Text("3".into()));
        let e = untagged_num(json!([1])).unwrap_err().to_string();
        assert_eq!(e, "data did not match any variant of Num");
    }

    #[derive(Debug, PartialEq)]
    enum Shape {
        Circle(f64),
        Unknown(Value),
    }

    #[test]
    fn tagged_decodes_the_member_its_tag_names() {
        let decode = |v: Value| {
            tagged(v, "kind", |tag, value| match tag {
                Some("circle") => variant(&value["r"], Shape::Circle),
                _ => Ok(Shape::Unknown(value)),
            })
        };
        assert_eq!(
            decode(json!({"kind": "circle", "r": 2.0})).unwrap(),
            Shape::Circle(2.0)
        );
        let other = json!({"kind": "square"});
        assert_eq!(decode(other.clone()).unwrap(), Shape::Unknown(other));
        // The tag's member must decode: its error is the union's.
        assert!(decode(json!({"kind": "circle", "r": "x"})).is_err());
    }

    #[derive(Debug, PartialEq)]
    struct Open(String);
    impl From<&str> for Open {
        fn from(s: &str) -> Self {
            Open(s.to_owned())
        }
    }
    fn is_unknown(o: &Open) -> bool {
        o.0 != "auto"
    }

    #[test]
    fn known_takes_only_known_values_and_text_any_string() {
        assert_eq!(
            known(&json!("auto"), is_unknown, Some),
            Some(Some(Open("auto".into())))
        );
        assert_eq!(known(&json!("other"), is_unknown, Some), None);
        assert_eq!(known(&json!(1), is_unknown, Some), None);
        assert_eq!(
            text(&json!("other"), Some),
            Some(Some(Open("other".into())))
        );
        assert_eq!(text::<Open, _>(&json!(1), Some), None);
    }
}
