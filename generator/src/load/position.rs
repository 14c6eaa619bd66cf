//! Best-effort line and column of a JSON pointer in the spec text, for warnings. The parsers
//! keep no positions for values, so this follows the pointer's keys through the text in
//! order: each key is looked for after the previous one, as a mapping key (`key:` in YAML,
//! `"key":` in JSON). Array indices are not counted, so the place is that of the nearest
//! key; where a key cannot be found the warning keeps no position rather than a wrong one.

use crate::Warning;

/// Fill in `line`/`column` of each warning whose pointer can be followed in `text`.
pub fn place_warnings(text: &str, warnings: &mut [Warning]) {
    for w in warnings.iter_mut() {
        if let Some((line, column)) = position(text, &w.pointer) {
            w.line = Some(line);
            w.column = Some(column);
        }
    }
}

/// 1-based line and column of the last key of `pointer` in `text`.
fn position(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let rest = pointer.strip_prefix("#/")?;
    let mut from = 0usize;
    let mut found = None;
    for token in rest.split('/') {
        let key = token.replace("~1", "/").replace("~0", "~");
        if key.bytes().all(|b| b.is_ascii_digit()) && !key.is_empty() {
            // Probably a list index (or a numeric key, e.g. a status code: try it as a key).
            if let Some(at) = find_key(text, &key, from) {
                from = at;
                found = Some(at);
            }
            continue;
        }
        let at = find_key(text, &key, from)?;
        from = at;
        found = Some(at);
    }
    let at = found?;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count() + 1;
    Some((line, text[line_start..at].chars().count() + 1))
}

/// Byte offset of the first occurrence of `key` as a mapping key at or after `from`.
fn find_key(text: &str, key: &str, from: usize) -> Option<usize> {
    let mut start = from;
    while let Some(i) = text.get(start..)?.find(key) {
        let at = start + i;
        let before = text[..at].chars().next_back();
        let after = &text[at + key.len()..];
        let (quoted, after) = match (before, after.strip_prefix(['"', '\''])) {
            (Some('"' | '\''), Some(rest)) => (true, rest),
            _ => (false, after),
        };
        let colon = after.trim_start_matches([' ', '\t']).starts_with(':');
        let boundary = if quoted {
            true
        } else {
            matches!(before, None | Some(' ' | '\t' | '\n' | '{' | ',' | '-'))
        };
        if colon && boundary {
            return Some(if quoted { at - 1 } else { at });
        }
        start = at + key.len().max(1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::position;

    #[test]
    fn finds_yaml_and_json_keys() {
        let yaml = "a:\n  b:\n    type: x\n  c: {d: 1}\n";
        assert_eq!(position(yaml, "#/a/b/type"), Some((3, 5)));
        assert_eq!(position(yaml, "#/a/c/d"), Some((4, 7)));
        let json = "{\"a\": {\"b\": {\"type\": 1}}}";
        assert_eq!(position(json, "#/a/b/type"), Some((1, 14)));
        assert_eq!(position(yaml, "#/a/zz"), None);
    }
}
