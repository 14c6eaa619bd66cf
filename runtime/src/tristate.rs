//! [`Tristate`] for optional + nullable fields, and serde helpers.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field that can be absent, explicitly `null`, or carry a value.
///
/// Generated fields use
/// `#[serde(skip_serializing_if = "crate::runtime::Tristate::is_absent")]`, so
/// `Absent` is omitted from the JSON, `Null` is sent as `null` and `Value(v)` as `v`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub enum Tristate<T> {
    /// The field is not present.
    #[default]
    Absent,
    /// The field is present and `null`.
    Null,
    /// The field is present with a value.
    Value(T),
}

impl<T> Tristate<T> {
    /// `true` for [`Tristate::Absent`].
    pub fn is_absent(&self) -> bool {
        matches!(self, Tristate::Absent)
    }

    /// `true` for [`Tristate::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Tristate::Null)
    }

    /// `true` for [`Tristate::Value`].
    pub fn is_value(&self) -> bool {
        matches!(self, Tristate::Value(_))
    }

    /// The value, if any (absent and null both give `None`).
    pub fn as_option(&self) -> Option<&T> {
        match self {
            Tristate::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Converts into an `Option`, dropping the absent/null distinction.
    pub fn into_option(self) -> Option<T> {
        match self {
            Tristate::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Borrows the value.
    pub fn as_ref(&self) -> Tristate<&T> {
        match self {
            Tristate::Absent => Tristate::Absent,
            Tristate::Null => Tristate::Null,
            Tristate::Value(v) => Tristate::Value(v),
        }
    }

    /// Maps the value, keeping absent/null.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Tristate<U> {
        match self {
            Tristate::Absent => Tristate::Absent,
            Tristate::Null => Tristate::Null,
            Tristate::Value(v) => Tristate::Value(f(v)),
        }
    }
}

impl<T> From<T> for Tristate<T> {
    fn from(value: T) -> Self {
        Tristate::Value(value)
    }
}

impl<T> From<Option<T>> for Tristate<T> {
    /// `None` becomes an explicit [`Tristate::Null`].
    fn from(value: Option<T>) -> Self {
        match value {
            Some(v) => Tristate::Value(v),
            None => Tristate::Null,
        }
    }
}

/// So string setters take `"text"` like the plain `Option<String>` ones do.
impl From<&str> for Tristate<String> {
    fn from(value: &str) -> Self {
        Tristate::Value(value.to_owned())
    }
}

impl<T: Serialize> Serialize for Tristate<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Absent is normally skipped by `skip_serializing_if`; null is the safest fallback.
            Tristate::Absent | Tristate::Null => serializer.serialize_none(),
            Tristate::Value(v) => v.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Tristate<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    /// As generated: optional nullable `a`, required nullable `b`.
    #[derive(Serialize, crate::__private::Deserialize, Debug, PartialEq)]
    struct S {
        #[serde(skip_serializing_if = "Tristate::is_absent")]
        a: Tristate<i32>,
        b: Option<String>,
    }

    #[test]
    fn round_trip_three_states() {
        let absent: S = serde_json::from_str(r#"{"b":null}"#).unwrap();
        assert_eq!(absent.a, Tristate::Absent);
        assert_eq!(absent.b, None);
        assert_eq!(serde_json::to_string(&absent).unwrap(), r#"{"b":null}"#);
        let null: S = serde_json::from_str(r#"{"a":null,"b":"x"}"#).unwrap();
        assert_eq!(null.a, Tristate::Null);
        assert_eq!(
            serde_json::to_string(&null).unwrap(),
            r#"{"a":null,"b":"x"}"#
        );
        let value: S = serde_json::from_str(r#"{"a":3,"b":"x"}"#).unwrap();
        assert_eq!(value.a, Tristate::Value(3));
        assert_eq!(value.a.as_option(), Some(&3));
    }

    #[test]
    fn nullable_requires_the_key() {
        assert!(serde_json::from_str::<S>(r#"{"a":1}"#).is_err());
    }

    #[test]
    fn conversions() {
        assert_eq!(Tristate::from(1), Tristate::Value(1));
        assert_eq!(Tristate::<i32>::from(None), Tristate::Null);
        assert_eq!(
            Tristate::<i32>::from(Some(2)).map(|v| v * 2),
            Tristate::Value(4)
        );
        assert!(Tristate::<i32>::default().is_absent());
    }
}
