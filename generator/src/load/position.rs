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
    let mut found: Option<usize> = None;
    for token in rest.split('/') {
        let key = token.replace("~1", "/").replace("~0", "~");
        let candidate = find_key(text, &key, from).filter(|&at| match found {
            Some(parent) => inside(text, parent, at),
            None => true,
        });
        if key.bytes().all(|b| b.is_ascii_digit()) && !key.is_empty() {
            // Probably a list index (or a numeric key, e.g. a status code: try it as a key).
            if let Some(at) = candidate {
                from = at;
                found = Some(at);
            }
            continue;
        }
        // Not under the previous key: the pointer names a place the text does not have
        // (e.g. one made by a rewrite), so no position rather than a wrong one.
        let at = candidate?;
        from = at;
        found = Some(at);
    }
    let at = found?;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count() + 1;
    Some((line, text[line_start..at].chars().count() + 1))
}

/// Whether the key at `child` lies in the block of the key at `parent`: on the same line
/// (flow style, one-line JSON), or on a later line indented more, with no line in between
/// that closes the block (a line indented no more than the parent, other than a `- ` item).
fn inside(text: &str, parent: usize, child: usize) -> bool {
    let indent = |line: &str| line.len() - line.trim_start_matches([' ', '\t']).len();
    let parent_line_start = text[..parent].rfind('\n').map_or(0, |i| i + 1);
    let parent_col = parent - parent_line_start;
    let parent_end = text[parent..].find('\n').map_or(text.len(), |i| parent + i);
    if child <= parent_end {
        return true;
    }
    for line in text[parent_end + 1..child].lines() {
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let i = indent(line);
        if i < parent_col || (i == parent_col && !body.starts_with('-')) {
            return false;
        }
    }
    let child_line_start = text[..child].rfind('\n').map_or(0, |i| i + 1);
    let child_col = child - child_line_start;
    let first_on_line = text[child_line_start..child]
        .chars()
        .all(|c| matches!(c, ' ' | '\t' | '-' | '"' | '\''));
    !first_on_line || child_col > parent_col
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
        // `c` exists, but not under `b`: no position rather than a wrong one.
        assert_eq!(position(yaml, "#/a/b/c"), None);
        let list = "s:\n  A:\n    allOf:\n    - x: 1\n    - y: 2\n  B:\n    y: 3\n";
        assert_eq!(position(list, "#/s/A/allOf/1/y"), Some((5, 7)));
        assert_eq!(position(list, "#/s/B/y"), Some((7, 5)));
    }
}
