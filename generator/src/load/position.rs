//! Line and column of JSON pointers in the spec text, for warnings. The parsers keep no
//! positions for values, so one pass over the text ([`scan`]) follows its structure (block
//! mappings and sequences by indentation, flow collections and JSON by brackets, list items
//! counted) and records the place of every key and item that a warning's pointer names:
//! the cost is one scan of the text plus the warnings, not warnings × text. Where the text
//! has no such place (a pointer made by a rewrite, a key reached through an alias), or the
//! scan meets a construct it does not follow (complex `?` keys), the warning keeps no
//! position rather than a wrong one.

use std::collections::HashMap;

use crate::Warning;

mod scan;

/// Fill in `line`/`column` of each warning whose pointer can be followed in `text`.
pub fn place_warnings(text: &str, warnings: &mut [Warning]) {
    if warnings.is_empty() {
        return;
    }
    let mut wanted = Wanted::default();
    let nodes: Vec<Option<usize>> = warnings.iter().map(|w| wanted.add(&w.pointer)).collect();
    let found = scan::scan(text, &wanted);
    // Offsets in text order, so line and column are counted in one pass too.
    let mut order: Vec<(usize, usize)> = nodes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| Some((found[(*n)?]?, i)))
        .collect();
    order.sort_unstable();
    let mut lines = Lines::new(text);
    for (at, i) in order {
        let (line, column) = lines.place(at);
        warnings[i].line = Some(line);
        warnings[i].column = Some(column);
    }
}

/// 1-based line and column of the last key (or list item) of `pointer` in `text`.
#[cfg(test)]
fn position(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let mut wanted = Wanted::default();
    let node = wanted.add(pointer)?;
    let at = scan::scan(text, &wanted)[node]?;
    Some(Lines::new(text).place(at))
}

/// The pointers looked for, as a tree of their decoded tokens (node 0 is the document).
#[derive(Default)]
struct Wanted {
    children: Vec<HashMap<String, usize>>,
}

impl Wanted {
    /// The node of `pointer` (`#/a/b~1c`), added with its parents; `None` for the root.
    fn add(&mut self, pointer: &str) -> Option<usize> {
        let rest = pointer.strip_prefix("#/")?;
        if self.children.is_empty() {
            self.children.push(HashMap::new());
        }
        let mut node = 0;
        for token in rest.split('/') {
            let key = token.replace("~1", "/").replace("~0", "~");
            let next = self.children.len();
            node = *self.children[node].entry(key).or_insert(next);
            if node == next {
                self.children.push(HashMap::new());
            }
        }
        Some(node)
    }

    /// The child `key` of `node`, when a pointer goes there.
    fn child(&self, node: Option<usize>, key: &str) -> Option<usize> {
        self.children.get(node?)?.get(key).copied()
    }

    /// The child of `node` for list item `index`.
    fn item(&self, node: Option<usize>, index: usize) -> Option<usize> {
        let children = self.children.get(node?)?;
        if children.is_empty() {
            return None;
        }
        children.get(index.to_string().as_str()).copied()
    }

    fn len(&self) -> usize {
        self.children.len()
    }
}

/// Byte offsets → 1-based line and column (in characters), for offsets in increasing order.
struct Lines<'t> {
    text: &'t str,
    /// Newlines are counted up to here.
    at: usize,
    line: usize,
    line_start: usize,
    /// Characters of the current line are counted up to here (long one-line JSON documents).
    col_at: usize,
    col: usize,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        Lines {
            text,
            at: 0,
            line: 1,
            line_start: 0,
            col_at: 0,
            col: 0,
        }
    }

    fn place(&mut self, to: usize) -> (usize, usize) {
        let to = to.max(self.at);
        for (i, b) in self.text.as_bytes()[self.at..to].iter().enumerate() {
            if *b == b'\n' {
                self.line += 1;
                self.line_start = self.at + i + 1;
            }
        }
        self.at = to;
        if self.col_at < self.line_start {
            self.col_at = self.line_start;
            self.col = 0;
        }
        self.col += self.text[self.col_at..to].chars().count();
        self.col_at = to;
        (self.line, self.col + 1)
    }
}

#[cfg(test)]
mod tests;
