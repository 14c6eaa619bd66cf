//! Client-side validation run before a request is sent.
//!
//! Messages name the field (wire path such as `body.allowed_models[3]`) and the rule, never
//! the value of a string, because strings may be credentials.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// A request failed client-side validation; nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{field}` {rule}")]
pub struct ValidationError {
    field: String,
    rule: String,
}

impl ValidationError {
    /// `field` is the wire path, `rule` a short description of the broken constraint.
    pub fn new(field: impl Into<String>, rule: impl Into<String>) -> Self {
        ValidationError {
            field: field.into(),
            rule: rule.into(),
        }
    }

    /// The wire path of the offending field.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The rule that was broken.
    pub fn rule(&self) -> &str {
        &self.rule
    }
}

fn check(ok: bool, field: &str, rule: impl FnOnce() -> String) -> Result<(), ValidationError> {
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new(field, rule()))
    }
}

/// At least `min` characters (Unicode scalar values).
pub fn min_length(field: &str, value: &str, min: usize) -> Result<(), ValidationError> {
    let n = value.chars().count();
    check(n >= min, field, || {
        format!("must be at least {min} characters long (got {n})")
    })
}

/// At most `max` characters (Unicode scalar values).
pub fn max_length(field: &str, value: &str, max: usize) -> Result<(), ValidationError> {
    let n = value.chars().count();
    check(n <= max, field, || {
        format!("must be at most {max} characters long (got {n})")
    })
}

fn regex_cache() -> &'static Mutex<HashMap<&'static str, Option<regex_lite::Regex>>> {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Option<regex_lite::Regex>>>> =
        OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Matches the (ECMA-ish) `pattern` from the spec. A pattern that the regex engine cannot
/// compile is skipped (logged at debug level) rather than blocking every request.
pub fn pattern(field: &str, value: &str, pattern: &'static str) -> Result<(), ValidationError> {
    let regex = {
        let mut cache = regex_cache().lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(pattern)
            .or_insert_with(|| match regex_lite::Regex::new(pattern) {
                Ok(r) => Some(r),
                Err(_) => {
                    tracing::debug!(pattern, "validation pattern not supported; skipped");
                    None
                }
            })
            .clone()
    };
    match regex {
        Some(r) => check(r.is_match(value), field, || {
            format!("must match the pattern `{pattern}`")
        }),
        None => Ok(()),
    }
}

/// At least `min` items.
pub fn min_items<T>(field: &str, value: &[T], min: usize) -> Result<(), ValidationError> {
    let n = value.len();
    check(n >= min, field, || {
        format!("must have at least {min} items (got {n})")
    })
}

/// At most `max` items.
pub fn max_items<T>(field: &str, value: &[T], max: usize) -> Result<(), ValidationError> {
    let n = value.len();
    check(n <= max, field, || {
        format!("must have at most {max} items (got {n})")
    })
}

/// `value >= min` (or `>` when `exclusive`), for an integer of any width up to `i128` (the
/// bound is an `i64`, as the document's bounds are read).
pub fn minimum_i64<T: Into<i128> + Copy + std::fmt::Display>(
    field: &str,
    value: T,
    min: i64,
    exclusive: bool,
) -> Result<(), ValidationError> {
    let (wide, bound) = (value.into(), i128::from(min));
    let ok = if exclusive {
        wide > bound
    } else {
        wide >= bound
    };
    let op = if exclusive { ">" } else { ">=" };
    check(ok, field, || format!("must be {op} {min} (got {value})"))
}

/// `value <= max` (or `<` when `exclusive`), for an integer of any width up to `i128`.
pub fn maximum_i64<T: Into<i128> + Copy + std::fmt::Display>(
    field: &str,
    value: T,
    max: i64,
    exclusive: bool,
) -> Result<(), ValidationError> {
    let (wide, bound) = (value.into(), i128::from(max));
    let ok = if exclusive {
        wide < bound
    } else {
        wide <= bound
    };
    let op = if exclusive { "<" } else { "<=" };
    check(ok, field, || format!("must be {op} {max} (got {value})"))
}

/// `value >= min` (or `>` when `exclusive`); NaN fails.
pub fn minimum_f64(
    field: &str,
    value: f64,
    min: f64,
    exclusive: bool,
) -> Result<(), ValidationError> {
    let ok = if exclusive { value > min } else { value >= min };
    let op = if exclusive { ">" } else { ">=" };
    check(ok, field, || format!("must be {op} {min} (got {value})"))
}

/// `value <= max` (or `<` when `exclusive`); NaN fails.
pub fn maximum_f64(
    field: &str,
    value: f64,
    max: f64,
    exclusive: bool,
) -> Result<(), ValidationError> {
    let ok = if exclusive { value < max } else { value <= max };
    let op = if exclusive { "<" } else { "<=" };
    check(ok, field, || format!("must be {op} {max} (got {value})"))
}

/// A UUID in its textual form.
pub fn uuid(field: &str, value: &str) -> Result<(), ValidationError> {
    check(uuid::Uuid::try_parse(value).is_ok(), field, || {
        "must be a UUID".to_owned()
    })
}

/// A path parameter must stay one segment: `""`, `"."` and `".."` are resolved away by URL
/// normalisation (even percent-encoded), so they would address a different resource.
pub(crate) fn path_segment(field: &str, value: &str) -> Result<(), ValidationError> {
    check(!matches!(value, "" | "." | ".."), field, || {
        "must not be empty, `.` or `..` (it would change the request path)".to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_chars_and_never_echo_the_value() {
        assert!(min_length("body.name", "é", 1).is_ok());
        assert!(max_length("body.name", "éé", 2).is_ok());
        let e = max_length("body.key", "sk-secret-value", 3).unwrap_err();
        assert_eq!(e.field(), "body.key");
        let msg = e.to_string();
        assert!(
            msg.contains("body.key") && msg.contains("at most 3"),
            "{msg}"
        );
        assert!(!msg.contains("sk-secret-value"));
        assert!(min_length("x", "", 1).is_err());
    }

    #[test]
    fn patterns_are_cached_and_checked() {
        assert!(pattern("f", "abc", "^[a-z]+$").is_ok());
        assert!(pattern("f", "abc", "^[a-z]+$").is_ok());
        let e = pattern("f", "ABC-secret", "^[a-z]+$").unwrap_err();
        assert!(!e.to_string().contains("ABC-secret"));
        // Unsupported pattern: skipped.
        assert!(pattern("f", "x", "(?<=a)b").is_ok());
    }

    #[test]
    fn items_and_numbers() {
        assert!(min_items("l", &[1], 1).is_ok());
        assert!(min_items::<u8>("l", &[], 1).is_err());
        assert!(max_items("l", &[1, 2], 1).is_err());
        assert!(minimum_i64("limit", 1, 1, false).is_ok());
        assert!(minimum_i64("limit", 1, 1, true).is_err());
        assert!(maximum_i64("limit", 100, 100, false).is_ok());
        assert!(maximum_i64("limit", 100, 100, true).is_err());
        assert!(minimum_f64("x", 0.5, 0.0, true).is_ok());
        assert!(maximum_f64("x", f64::NAN, 1.0, false).is_err());
        let e = minimum_i64("offset", -1, 0, false).unwrap_err();
        assert_eq!(e.to_string(), "`offset` must be >= 0 (got -1)");
    }

    #[test]
    fn uuids() {
        assert!(uuid("id", "67e55044-10b1-426f-9247-bb680e5fe0c8").is_ok());
        assert!(uuid("id", "not-a-uuid").is_err());
    }
}
