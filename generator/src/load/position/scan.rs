//! One pass over YAML or JSON text that records the offset of every wanted key and list
//! item (see the parent module). The text has already parsed, so this follows its structure
//! without validating it: block collections line by line by indentation, flow collections
//! (and JSON) character by character, scalars skipped (quoted ones may span lines, block
//! scalars and plain continuation lines are the lines indented deeper than their parent).

use super::Wanted;

/// Per node of `wanted`, the byte offset of its key (the opening quote of a quoted key) or of
/// its list item's value.
pub(super) fn scan(text: &str, wanted: &Wanted) -> Vec<Option<usize>> {
    let mut s = Scan {
        text,
        b: text.as_bytes(),
        wanted,
        found: vec![None; wanted.len()],
        missing: wanted.len().saturating_sub(1),
        stack: Vec::new(),
        pending: Some((-1, Some(0))),
    };
    s.block();
    s.found
}

/// Flow collections nested deeper than this are not followed (the parse allows fewer).
const MAX_DEPTH: usize = 512;

#[derive(Clone, Copy)]
enum Frame {
    /// A block mapping whose keys start at column `indent`.
    Map { indent: usize, node: Option<usize> },
    /// A block sequence whose `-` stand at column `indent`; `count` items seen.
    Seq {
        indent: usize,
        node: Option<usize>,
        count: usize,
    },
}

impl Frame {
    fn indent(&self) -> usize {
        match self {
            Frame::Map { indent, .. } | Frame::Seq { indent, .. } => *indent,
        }
    }
}

struct Scan<'t> {
    text: &'t str,
    b: &'t [u8],
    wanted: &'t Wanted,
    found: Vec<Option<usize>>,
    /// Wanted places not found yet (the root has no place): the scan stops at zero.
    missing: usize,
    stack: Vec<Frame>,
    /// A key (or `-`) at this column whose value starts on a later line, and its node.
    pending: Option<(isize, Option<usize>)>,
}

fn is_item(body: &[u8]) -> bool {
    body.first() == Some(&b'-') && matches!(body.get(1), None | Some(b' ' | b'\t' | b'\r'))
}

impl Scan<'_> {
    fn record(&mut self, node: Option<usize>, at: usize) {
        if let Some(n) = node
            && self.found[n].is_none()
        {
            self.found[n] = Some(at);
            self.missing = self.missing.saturating_sub(1);
        }
    }

    fn line_end(&self, from: usize) -> usize {
        self.b[from..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(self.b.len(), |i| from + i)
    }

    /// Offset just past the line holding `at`.
    fn next_line(&self, at: usize) -> usize {
        (self.line_end(at.min(self.b.len())) + 1).min(self.b.len())
    }

    /// Block context: one line at a time.
    fn block(&mut self) {
        let mut pos = 0;
        while pos < self.b.len() && self.missing > 0 {
            let end = self.line_end(pos);
            let line = &self.b[pos..end];
            let indent = line.iter().take_while(|&&c| c == b' ').count();
            let body = &line[indent..];
            let blank = body.iter().all(|c| c.is_ascii_whitespace());
            if blank || body[0] == b'#' {
                pos = end + 1;
                continue;
            }
            if indent == 0
                && (body.starts_with(b"---") || body.starts_with(b"...") || body[0] == b'%')
            {
                pos = end + 1;
                continue;
            }
            let item = is_item(body);
            let at = pos + indent;
            if let Some((col, node)) = self.pending.take()
                && (indent as isize > col || (item && indent as isize == col))
            {
                match self.value(at, end, node, indent) {
                    Some(next) => pos = next,
                    None => return,
                }
                continue;
            }
            while let Some(top) = self.stack.last() {
                let closes = match *top {
                    Frame::Map { indent: i, .. } => i > indent,
                    Frame::Seq { indent: i, .. } => i > indent || (i == indent && !item),
                };
                if !closes {
                    break;
                }
                self.stack.pop();
            }
            let next = match self.stack.last().copied() {
                Some(Frame::Map { indent: i, .. }) if i == indent && !item => self.entry(at, end),
                Some(Frame::Seq { indent: i, .. }) if i == indent && item => self.item(at, end),
                // A line of a block scalar or a plain scalar that goes on.
                Some(top) if top.indent() < indent => Some(end + 1),
                _ => None,
            };
            match next {
                Some(next) => pos = next,
                None => return,
            }
        }
    }

    /// A value for `node` starting at `at` (column `col`) of the line ending at `end`: a
    /// block collection opened here, or an inline value. Returns where to go on.
    fn value(&mut self, at: usize, end: usize, node: Option<usize>, col: usize) -> Option<usize> {
        let body = &self.b[at..end];
        if is_item(body) {
            self.stack.push(Frame::Seq {
                indent: col,
                node,
                count: 0,
            });
            return self.item(at, end);
        }
        if self.key(at, end).is_some() {
            self.stack.push(Frame::Map { indent: col, node });
            return self.entry(at, end);
        }
        self.inline(at, end, node, col)
    }

    /// A `- ` item of the sequence on top of the stack.
    fn item(&mut self, at: usize, end: usize) -> Option<usize> {
        let Some(Frame::Seq {
            indent,
            node,
            count,
        }) = self.stack.last_mut()
        else {
            return None;
        };
        let (indent, node, index) = (*indent, *node, *count);
        *count += 1;
        let child = self.wanted.item(node, index);
        let content = self.skip_blanks(at + 1, end);
        if content >= end || self.b[content] == b'#' {
            self.record(child, at);
            self.pending = Some((indent as isize, child));
            return Some(end + 1);
        }
        self.record(child, content);
        // Indentation and `- ` are ASCII: bytes are columns.
        self.value(content, end, child, indent + (content - at))
    }

    /// A `key: value` entry of the mapping on top of the stack.
    fn entry(&mut self, at: usize, end: usize) -> Option<usize> {
        let Some(Frame::Map { indent, node }) = self.stack.last().copied() else {
            return None;
        };
        let (key, after) = self.key(at, end)?;
        let child = self.wanted.child(node, &key);
        self.record(child, at);
        self.inline(after, end, child, indent)
    }

    /// The value after a key or `- ` on the same line, for `node` whose parent's column is
    /// `col`: nothing (the value is on the next lines), a flow collection, a quoted scalar
    /// (maybe over several lines), a block scalar or a plain scalar.
    fn inline(&mut self, at: usize, end: usize, node: Option<usize>, col: usize) -> Option<usize> {
        let mut at = self.skip_blanks(at, end);
        // Anchors and tags before the value.
        while at < end && matches!(self.b[at], b'&' | b'!') {
            let word = self.b[at..end]
                .iter()
                .position(|c| *c == b' ' || *c == b'\t')
                .map_or(end, |i| at + i);
            at = self.skip_blanks(word, end);
        }
        if at >= end || self.b[at] == b'#' {
            self.pending = Some((col as isize, node));
            return Some(end + 1);
        }
        match self.b[at] {
            b'{' | b'[' => {
                let close = self.flow(at, node, 0)?;
                Some(self.next_line(close))
            }
            b'"' | b'\'' => {
                let close = self.quoted(at)?;
                Some(self.next_line(close))
            }
            // Block scalars (`|`, `>`) and plain scalars: their further lines are deeper.
            _ => Some(end + 1),
        }
    }

    fn skip_blanks(&self, mut at: usize, end: usize) -> usize {
        while at < end && matches!(self.b[at], b' ' | b'\t' | b'\r') {
            at += 1;
        }
        at
    }

    /// The key of a `key:` entry starting at `at` (decoded) and the offset after its colon.
    fn key(&self, at: usize, end: usize) -> Option<(String, usize)> {
        let b = self.b;
        match b[at] {
            b'"' | b'\'' => {
                let close = self.quoted(at)?;
                if close > end {
                    return None;
                }
                let colon = self.skip_blanks(close, end);
                let ok = colon < end
                    && b[colon] == b':'
                    && matches!(b.get(colon + 1), None | Some(b' ' | b'\t' | b'\r' | b'\n'));
                ok.then(|| (unquote(&self.text[at..close]), colon + 1))
            }
            b'{' | b'[' | b'?' | b'#' | b'|' | b'>' | b'&' | b'!' | b'*' => None,
            _ => {
                let mut i = at;
                while i < end {
                    match b[i] {
                        b':' if matches!(
                            b.get(i + 1),
                            None | Some(b' ' | b'\t' | b'\r' | b'\n')
                        ) =>
                        {
                            let key = self.text[at..i].trim_end();
                            return Some((key.to_owned(), i + 1));
                        }
                        b'#' if matches!(b[i - 1], b' ' | b'\t') => return None,
                        _ => i += 1,
                    }
                }
                None
            }
        }
    }

    /// The offset just past the quoted scalar opening at `at` (possibly on a later line).
    fn quoted(&self, at: usize) -> Option<usize> {
        let q = self.b[at];
        let mut i = at + 1;
        while i < self.b.len() {
            match self.b[i] {
                b'\\' if q == b'"' => i += 2,
                c if c == q => {
                    if q == b'\'' && self.b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                    } else {
                        return Some(i + 1);
                    }
                }
                _ => i += 1,
            }
        }
        None
    }

    /// Spaces, line breaks and comments in a flow collection.
    fn skip_flow_blanks(&self, mut at: usize) -> usize {
        let b = self.b;
        while at < b.len() {
            match b[at] {
                b' ' | b'\t' | b'\r' | b'\n' => at += 1,
                b'#' => at = self.line_end(at),
                _ => break,
            }
        }
        at
    }

    /// The flow collection (`{…}`, `[…]`, JSON) opening at `at`, for `node`: the offset
    /// just past its closing bracket.
    fn flow(&mut self, at: usize, node: Option<usize>, depth: usize) -> Option<usize> {
        if depth > MAX_DEPTH {
            return None;
        }
        let map = self.b[at] == b'{';
        let mut i = at + 1;
        let mut count = 0;
        loop {
            i = self.skip_flow_blanks(i);
            match *self.b.get(i)? {
                b'}' | b']' => return Some(i + 1),
                b',' => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
            if map {
                let (key, after) = match self.b[i] {
                    b'{' | b'[' => (None, self.flow(i, None, depth + 1)?),
                    b'"' | b'\'' => {
                        let close = self.quoted(i)?;
                        (Some(unquote(&self.text[i..close])), close)
                    }
                    _ => {
                        let end = self.plain_end(i);
                        (Some(self.text[i..end].trim_end().to_owned()), end)
                    }
                };
                let child = key.and_then(|k| self.wanted.child(node, &k));
                self.record(child, i);
                i = self.skip_flow_blanks(after);
                if self.b.get(i) == Some(&b':') {
                    i = self.skip_flow_blanks(i + 1);
                    if !matches!(self.b.get(i), Some(b',' | b'}' | b']')) {
                        i = self.flow_value(i, child, depth)?;
                    }
                }
            } else {
                let child = self.wanted.item(node, count);
                count += 1;
                self.record(child, i);
                i = self.flow_value(i, child, depth)?;
                // A one-pair mapping as an item (`[a: b]`).
                i = self.skip_flow_blanks(i);
                if self.b.get(i) == Some(&b':') {
                    let v = self.skip_flow_blanks(i + 1);
                    i = self.flow_value(v, None, depth)?;
                }
            }
        }
    }

    /// A value in a flow collection: the offset just past it.
    fn flow_value(&mut self, mut at: usize, node: Option<usize>, depth: usize) -> Option<usize> {
        while matches!(self.b.get(at), Some(b'&' | b'!')) {
            let word = self.b[at..]
                .iter()
                .position(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b','))
                .map_or(self.b.len(), |i| at + i);
            at = self.skip_flow_blanks(word);
        }
        match *self.b.get(at)? {
            b'{' | b'[' => self.flow(at, node, depth + 1),
            b'"' | b'\'' => self.quoted(at),
            b',' | b'}' | b']' => Some(at),
            _ => Some(self.plain_end(at)),
        }
    }

    /// The end of a plain scalar in a flow collection (before `,`, a closing bracket, a
    /// `: ` or a comment).
    fn plain_end(&self, at: usize) -> usize {
        let b = self.b;
        let mut i = at;
        while i < b.len() {
            match b[i] {
                b',' | b'}' | b']' => break,
                b':' if matches!(
                    b.get(i + 1),
                    None | Some(b' ' | b'\t' | b'\r' | b'\n' | b',' | b'}' | b']')
                ) =>
                {
                    break;
                }
                b'#' if i > at && matches!(b[i - 1], b' ' | b'\t' | b'\n') => break,
                _ => i += 1,
            }
        }
        i
    }
}

/// The text of a quoted key (`"a\"b"`, `'it''s'`).
fn unquote(quoted: &str) -> String {
    let inner = &quoted[1..quoted.len() - 1];
    if quoted.starts_with('\'') {
        return inner.replace("''", "'");
    }
    if !inner.contains('\\') {
        return inner.to_owned();
    }
    serde_json::from_str(quoted).unwrap_or_else(|_| inner.to_owned())
}
