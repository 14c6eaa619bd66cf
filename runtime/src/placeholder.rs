//! Placeholder values, to build mocked answers by name: `T::mock()` (generated with the
//! crate's `mock` feature) starts every required field at its placeholder and every optional
//! one absent, then `with_<field>` sets what a test reads. Empty, zero, `false`, the nil
//! UUID, the Unix epoch; an enum's first known value; a union's first variant the model picks.

use std::collections::BTreeMap;

use crate::{Secret, Tristate};

/// A value of the type that decodes from nothing in particular: what a mocked answer holds
/// in the fields a test does not set.
pub trait Placeholder {
    /// The placeholder value.
    fn placeholder() -> Self;
}

macro_rules! by_default {
    ($($t:ty),* $(,)?) => {
        $(impl Placeholder for $t {
            fn placeholder() -> Self {
                <$t as Default>::default()
            }
        })*
    };
}

by_default!(
    String,
    bool,
    i32,
    i64,
    u64,
    i128,
    f64,
    uuid::Uuid,
    chrono::DateTime<chrono::Utc>,
    chrono::NaiveDate,
    serde_json::Value,
    bytes::Bytes,
    Secret,
    crate::FilePart,
);

impl<T> Placeholder for Vec<T> {
    fn placeholder() -> Self {
        Vec::new()
    }
}

impl<T> Placeholder for Option<T> {
    fn placeholder() -> Self {
        None
    }
}

impl<T> Placeholder for Tristate<T> {
    fn placeholder() -> Self {
        Tristate::Absent
    }
}

impl<K: Ord, V> Placeholder for BTreeMap<K, V> {
    fn placeholder() -> Self {
        BTreeMap::new()
    }
}

impl<T: Placeholder> Placeholder for Box<T> {
    fn placeholder() -> Self {
        Box::new(T::placeholder())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_empty_values() {
        assert_eq!(String::placeholder(), "");
        assert_eq!(<Vec<i64>>::placeholder(), Vec::<i64>::new());
        assert_eq!(<Option<String>>::placeholder(), None);
        assert!(matches!(
            <Tristate<String>>::placeholder(),
            Tristate::Absent
        ));
        assert_eq!(uuid::Uuid::placeholder(), uuid::Uuid::nil());
        assert_eq!(
            <chrono::DateTime<chrono::Utc>>::placeholder().timestamp(),
            0
        );
        assert_eq!(<Box<i64>>::placeholder(), Box::new(0));
    }
}
