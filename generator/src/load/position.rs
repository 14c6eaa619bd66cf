//! Best-effort line and column of a JSON pointer in the spec text, for warnings. The parsers
//! keep no positions for values, so this follows the pointer's keys through the text in
//! order: each key is looked for after the previous one, as a mapping key (`key:` in YAML,
//! `"key":` in JSON). Array indices are not counted, so the place is that of the nearest
//! key; where a key cannot be found the warning keeps no position rather than a wrong one.

use std::collections::HashMap;

use crate::Warning;

/// Warnings placed at most: each costs a scan of part of the text, so a document with a huge
/// number of warnings keeps the rest without positions instead of taking long.
const MAX_PLACED: usize = 5_000;

/// Fill in `line`/`column` of each warning whose pointer can be followed in `text`.
pub fn place_warnings(text: &str, warnings: &mut [Warning]) {
    // Pointer prefix → offset of its last key: sibling warnings share their parents' search.
    let mut cache: HashMap<String, Option<usize>> = HashMap::new();
    for w in warnings.iter_mut().take(MAX_PLACED) {
        if let Some(at) = offset(text, &w.pointer, &mut cache) {
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            w.line = Some(text[..at].matches('\n').count() + 1);
            w.column = Some(text[line_start..at].chars().count() + 1);
        }
    }
}

/// 1-based line and column of the last key of `pointer` in `text`.
#[cfg(test)]
fn position(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let at = offset(text, pointer, &mut HashMap::new())?;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count() + 1;
    Some((line, text[line_start..at].chars().count() + 1))
}

/// Byte offset of the last key of `pointer` in `text` (see the module docs).
fn offset(text: &str, pointer: &str, cache: &mut HashMap<String, Option<usize>>) -> Option<usize> {
    let rest = pointer.strip_prefix("#/")?;
    let mut found: Option<usize> = None;
    // Whether the last token was a list index: its item's keys sit below a `- `.
    let mut after_index = false;
    let mut prefix = String::from("#");
    for token in rest.split('/') {
        prefix.push('/');
        prefix.push_str(token);
        if let Some(cached) = cache.get(&prefix) {
            found = Some((*cached)?);
            continue;
        }
        let key = token.replace("~1", "/").replace("~0", "~");
        let numeric = !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit());
        let candidate = child_key(text, &key, found, after_index);
        if numeric && candidate.is_none() {
            // A list index (not a key): the place stays the list's key.
            after_index = true;
            continue;
        }
        after_index = false;
        // Not under the previous key: the pointer names a place the text does not have
        // (e.g. one made by a rewrite), so no position rather than a wrong one.
        cache.insert(prefix.clone(), candidate);
        found = Some(candidate?);
    }
    found
}

/// The offset of `key` as a key of the mapping under the key at `parent` (anywhere at the
/// top when `parent` is `None`): a direct child, unless `loose` (inside a list item).
fn child_key(text: &str, key: &str, parent: Option<usize>, loose: bool) -> Option<usize> {
    if key.is_empty() {
        return None; // matches everywhere: no useful place
    }
    let mut from = parent.unwrap_or(0);
    let mut child_indent: Option<usize> = None;
    // Each candidate costs a scan back to the parent; a key repeated this often deeper down
    // gets no position rather than quadratic time.
    for _ in 0..MAX_CANDIDATES {
        let at = find_key(text, key, from)?;
        let Some(p) = parent else {
            return Some(at);
        };
        if !inside(text, p, at) {
            return None;
        }
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let same_line = !text[p..at].contains('\n');
        let first_on_line = text[line_start..at]
            .chars()
            .all(|c| matches!(c, ' ' | '\t' | '-' | '"' | '\''));
        if loose || same_line {
            return Some(at);
        }
        if !first_on_line {
            // Inside a flow mapping on a later line: a grandchild, not a direct child.
            from = at + key.len() + 1;
            continue;
        }
        // The parent's direct children sit at the indentation of its first child line.
        let indent = *child_indent.get_or_insert_with(|| first_child_indent(text, p));
        if at - line_start == indent || text[line_start..at].trim_start().starts_with('-') {
            return Some(at);
        }
        from = at + key.len() + 1;
    }
    None
}

/// Occurrences of a key looked at per pointer token at most (see [`child_key`]).
const MAX_CANDIDATES: usize = 64;

/// Column (0-based) of the first key on the first non-blank line after the key at `parent`.
fn first_child_indent(text: &str, parent: usize) -> usize {
    let end = text[parent..].find('\n').map_or(text.len(), |i| parent + i);
    text.get(end + 1..)
        .unwrap_or_default()
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map_or(0, |l| {
            // A quoted key counts from its quote, as `find_key` does.
            l.len() - l.trim_start_matches([' ', '\t', '-']).len()
        })
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
        // A deeper key of the same name before the direct child is skipped.
        let nested = "a:\n  b:\n    c: 1\n  c: 2\n";
        assert_eq!(position(nested, "#/a/c"), Some((4, 3)));
        let json = "{\n  \"a\": {\n    \"b\": {\"c\": 1},\n    \"c\": 2\n  }\n}";
        assert_eq!(position(json, "#/a/c"), Some((4, 5)));
    }
}
