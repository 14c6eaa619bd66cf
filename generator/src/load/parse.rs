//! Text → `serde_json::Value`: JSON or YAML (merge keys, integers beyond 64 bits, flow
//! nesting checked first, large YAML split over threads), with syntax errors located by
//! line and column and repeated mapping keys found (see `dup_keys.rs`).

use super::dup_keys;
use super::flow_depth::{MAX_FLOW_DEPTH, flow_too_deep};
use super::split;
use crate::{Error, Result};
use serde_json::Value;

/// Integers beyond 64 bits in YAML reach `serde_json` as
/// an i128, which it refuses ("out of range"), while the same number in JSON is read as a
/// float. Such a literal is rewritten to a float (`…000` → `…000.0`) and the text parsed
/// again, so both formats agree (integer bounds are then clamped, with a warning, by the
/// audit). At most this many literals per document are rewritten.
const MAX_BIG_INTS: usize = 64;

/// Text → JSON value, with syntax errors located by line and column, and the mapping keys
/// that appear twice.
pub(super) fn parse(text: &str, source_name: &str) -> Result<(Value, Vec<dup_keys::Duplicate>)> {
    let mut current = std::borrow::Cow::Borrowed(text);
    for _ in 0..MAX_BIG_INTS {
        match parse_once(&current, source_name) {
            Err(Error::Syntax {
                format: "YAML",
                line,
                column,
                message,
                ..
            }) if message.contains("i128")
                || message.contains("u128")
                || message.contains("out of range") =>
            {
                match big_int_as_float(&current, line, column) {
                    Some(fixed) => current = std::borrow::Cow::Owned(fixed),
                    None => {
                        return Err(Error::Syntax {
                            source_name: source_name.to_owned(),
                            format: "YAML",
                            line,
                            column,
                            message,
                        });
                    }
                }
            }
            other => return other,
        }
    }
    parse_once(&current, source_name)
}

/// `text` with the integer literal at `line`:`column` (1-based) written as a float.
fn big_int_as_float(text: &str, line: usize, column: usize) -> Option<String> {
    let start_of_line: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let row = text.get(start_of_line..)?.lines().next()?;
    let offset = row.char_indices().nth(column.checked_sub(1)?)?.0;
    let literal = &row[offset..];
    let digits = literal.strip_prefix(['-', '+']).unwrap_or(literal);
    let len = digits.bytes().take_while(u8::is_ascii_digit).count();
    if len < 19 {
        return None;
    }
    let end = start_of_line + offset + (literal.len() - digits.len()) + len;
    Some(format!("{}.0{}", &text[..end], &text[end..]))
}

pub(super) fn parse_once(
    text: &str,
    source_name: &str,
) -> Result<(Value, Vec<dup_keys::Duplicate>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        let syntax = |e: serde_json::Error| Error::Syntax {
            source_name: source_name.to_owned(),
            format: "JSON",
            line: e.line(),
            column: e.column(),
            message: strip_location(&e.to_string(), e.line(), e.column()),
        };
        return match dup_keys::json_value(text).map_err(syntax)? {
            Some(value) => Ok((value, Vec::new())),
            None => match dup_keys::find(text, true) {
                Some(found) => Ok(found),
                None => serde_json::from_str(text)
                    .map(|v| (v, Vec::new()))
                    .map_err(syntax),
            },
        };
    }
    let merge_keys = text.contains("<<");
    if !merge_keys {
        // Each piece is checked for flow collections nested too deep on its worker; any
        // doubt, and the whole text is checked and parsed below.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if let Some(value) = split::parallel(text, threads) {
            return Ok((value, Vec::new()));
        }
    }
    if let Some((line, column)) = flow_too_deep(text, MAX_FLOW_DEPTH) {
        return Err(Error::Syntax {
            source_name: source_name.to_owned(),
            format: "YAML",
            line,
            column,
            message: format!(
                "flow collections (`[`, `{{`) are nested more than {MAX_FLOW_DEPTH} levels deep"
            ),
        });
    }
    let yaml_error = |e: serde_yaml::Error| {
        let message = e.to_string();
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .or_else(|| unplaced_yaml_error(text, &message))
            .unwrap_or((1, 1));
        Error::Syntax {
            source_name: source_name.to_owned(),
            format: "YAML",
            line,
            column,
            message: strip_location(&message, line, column),
        }
    };
    if merge_keys {
        // Merge keys (`<<: *anchor`) are only applied on a `serde_yaml::Value`.
        let mut value: serde_yaml::Value = serde_yaml::from_str(text).map_err(yaml_error)?;
        check_merge_keys(&value, &crate::error::Pointer::root())?;
        value.apply_merge().map_err(yaml_error)?;
        let value = serde_json::to_value(value).map_err(|e| {
            crate::error::Pointer::root().error(format!("YAML value has no JSON form: {e}"))
        })?;
        Ok((value, Vec::new()))
    } else if let Some(value) = dup_keys::yaml_without_duplicates(text) {
        Ok((value, Vec::new()))
    } else if let Some(found) = dup_keys::find(text, false) {
        Ok(found)
    } else {
        // Not a duplicate: an error, which the parser's own reading places.
        serde_yaml::from_str(text)
            .map(|v| (v, Vec::new()))
            .map_err(yaml_error)
    }
}

/// A place for the `serde_yaml` errors that carry none.
fn unplaced_yaml_error(text: &str, message: &str) -> Option<(usize, usize)> {
    if message.contains("more than one document") {
        // The `---` that starts the second document.
        let mut content = false;
        for (i, line) in text.lines().enumerate() {
            let starts_document = line == "---" || line.starts_with("--- ");
            if starts_document && content {
                return Some((i + 1, 1));
            }
            let trimmed = line.trim_start();
            content |= starts_document && !line[3..].trim().is_empty()
                || !(trimmed.is_empty() || trimmed.starts_with(['#', '%']) || starts_document);
        }
        None
    } else if message.contains("repetition limit") {
        // Too many alias expansions: point at the first alias.
        text.lines().enumerate().find_map(|(i, line)| {
            let b = line.as_bytes();
            (0..b.len())
                .find(|&j| {
                    b[j] == b'*'
                        && (j == 0 || matches!(b[j - 1], b' ' | b'[' | b'{' | b','))
                        && b.get(j + 1).is_some_and(|c| !c.is_ascii_whitespace())
                })
                .map(|j| (i + 1, line[..j].chars().count() + 1))
        })
    } else {
        None
    }
}

/// Reject merge keys (`<<`) whose value `apply_merge` cannot merge, with a pointer to them
/// (`serde_yaml`'s own merge errors say what is wrong but not where).
fn check_merge_keys(value: &serde_yaml::Value, at: &crate::error::Pointer) -> Result<()> {
    use serde_yaml::Value as Y;
    let kind = |v: &Y| match v {
        Y::Null | Y::Bool(_) | Y::Number(_) | Y::String(_) => "a scalar",
        Y::Sequence(_) => "a list",
        Y::Mapping(_) => "a mapping",
        Y::Tagged(_) => "a tagged value",
    };
    match value {
        Y::Mapping(map) => {
            for (k, v) in map {
                let token = match k {
                    Y::String(s) => s.clone(),
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    other => format!("{other:?}"),
                };
                let here = at.push(&token);
                if token == "<<" {
                    let ok = match v {
                        Y::Mapping(_) => true,
                        Y::Sequence(items) => items.iter().all(Y::is_mapping),
                        _ => false,
                    };
                    if !ok {
                        let found = match v {
                            Y::Sequence(items) => {
                                let bad = items.iter().find(|i| !i.is_mapping()).expect("one");
                                format!("a list holding {}", kind(bad))
                            }
                            other => kind(other).to_owned(),
                        };
                        return Err(here.error(format!(
                            "a merge key `<<` needs a mapping or a list of mappings, not {found}"
                        )));
                    }
                }
                check_merge_keys(v, &here)?;
            }
            Ok(())
        }
        Y::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                check_merge_keys(item, &at.push(i.to_string()))?;
            }
            Ok(())
        }
        Y::Tagged(t) => check_merge_keys(&t.value, at),
        _ => Ok(()),
    }
}

/// Drop the ` at line N column M` both serde_json and serde_yaml put in their messages (the
/// error already carries line and column).
fn strip_location(message: &str, line: usize, column: usize) -> String {
    message.replacen(&format!(" at line {line} column {column}"), "", 1)
}
