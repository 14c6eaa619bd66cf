//! YAML parsed on several threads, one share of the document's entries each.
//!
//! Parsing is most of `load`, and an OpenAPI document is a few large top-level entries
//! (`paths`, `components`, …). An entry that starts with a plain key and whose other lines
//! are indented deeper (or blank, or comments) is a YAML document on its own, with the same
//! value as in context. So the text is cut before each top-level key, a large entry cut
//! again before each key below it (`components` → `schemas` → each schema), adjacent small
//! pieces joined into runs of similar size, the runs parsed on worker threads and the
//! mappings put back together in order. Whenever that might not be the
//! same as parsing the whole text (a column-0 line that is not a plain `key:` line, a
//! directive or document marker, an alias to an anchor in another piece, a repeated key,
//! any error), [`parallel`] gives `None` and the caller parses the whole text: errors and
//! their locations are always those of the whole parse.

use serde_json::{Map, Value};

// Workers get the loader's big stack: `serde_yaml` recurses once per nesting level.

/// Below this size one thread parses faster than several start.
pub(super) const MIN_SPLIT: usize = 32 << 10;

/// The document's value, parsed piecewise on up to `threads` threads; `None` if the text
/// does not split safely or a piece fails (the caller then parses it whole).
pub fn parallel(text: &str, threads: usize) -> Option<Value> {
    if threads < 2 || text.len() < MIN_SPLIT {
        return None;
    }
    let plan = Plan {
        text,
        lines: lines(text),
        budget: text.len() / (threads * 8),
    };
    let pieces = plan.pieces_at(0..plan.lines.len() - 1, 0)?;
    if pieces.len() < 2 && pieces.iter().all(|p| plan.len(p) < MIN_SPLIT) {
        return None;
    }
    let nodes = plan.refine_all(pieces);
    let mut leaves = Vec::new();
    for n in &nodes {
        plan.collect_leaves(n, &mut leaves);
    }
    let mut parsed = parse_all(&leaves, threads)?.into_iter();
    let mut out = Map::new();
    for n in &nodes {
        plan.assemble(n, &mut parsed, &mut out)?;
    }
    Some(Value::Object(out))
}

/// One line of the text, as the planner sees it: found in one scan, so cutting deeper
/// levels reads no text again.
#[derive(Clone, Copy)]
struct Line {
    /// Byte offset of the line's start.
    start: usize,
    /// Leading spaces, or [`BLANK`] for a blank or comment line.
    indent: usize,
    /// The first byte after the indentation is a tab.
    tab: bool,
}

const BLANK: usize = usize::MAX;

/// Every line of `text`, and a last entry starting at `text.len()` (so line `i` ends where
/// line `i + 1` starts).
fn lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 32);
    let mut start = 0;
    while start < bytes.len() {
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| start + i + 1);
        let line = &bytes[start..end];
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let rest = &line[indent..];
        let rest = rest.strip_suffix(b"\n").unwrap_or(rest);
        let blank = rest.is_empty() || rest[0] == b'#' || rest == b"\r";
        out.push(Line {
            start,
            indent: if blank { BLANK } else { indent },
            tab: rest.first() == Some(&b'\t'),
        });
        start = end;
    }
    out.push(Line {
        start: bytes.len(),
        indent: BLANK,
        tab: false,
    });
    out
}

/// A piece: a range of line indices.
type Piece = std::ops::Range<usize>;

/// A piece of the text: parsed alone, or (when large) cut again below its key.
enum Node {
    Leaf(Piece),
    /// The index of the `key:` line, and the entries below it as pieces.
    Nested(usize, Vec<Node>),
}

struct Plan<'a> {
    text: &'a str,
    lines: Vec<Line>,
    /// A piece larger than this is cut below its key, so the shares can be even.
    budget: usize,
}

impl<'a> Plan<'a> {
    fn text_of(&self, p: &Piece) -> &'a str {
        &self.text[self.lines[p.start].start..self.lines[p.end].start]
    }

    fn len(&self, p: &Piece) -> usize {
        self.lines[p.end].start - self.lines[p.start].start
    }

    fn refine(&self, piece: Piece) -> Node {
        if self.len(&piece) <= self.budget {
            return Node::Leaf(piece);
        }
        match self.cut_below_key(&piece) {
            Some(children) => Node::Nested(piece.start, self.refine_all(children)),
            None => Node::Leaf(piece),
        }
    }

    /// Consecutive small pieces joined back into runs of about `budget` bytes (adjacent
    /// pieces, and a run of entries parses as one mapping): fewer, larger parses. Large
    /// pieces are refined on their own.
    fn refine_all(&self, pieces: Vec<Piece>) -> Vec<Node> {
        let mut out = Vec::new();
        let mut run: Option<Piece> = None;
        for p in pieces {
            if self.len(&p) > self.budget {
                out.extend(run.take().map(Node::Leaf));
                out.push(self.refine(p));
                continue;
            }
            run = Some(match run {
                // Adjacent: `r` ends where `p` starts.
                Some(r) if self.len(&r) + self.len(&p) <= self.budget => r.start..p.end,
                Some(r) => {
                    out.push(Node::Leaf(r));
                    p
                }
                None => p,
            });
        }
        out.extend(run.map(Node::Leaf));
        out
    }

    /// A piece whose first line is `key:` alone, cut into the entries below it (at the
    /// indentation of the first of them).
    fn cut_below_key(&self, piece: &Piece) -> Option<Vec<Piece>> {
        let first = self.lines[piece.start];
        if first.indent == BLANK || first.tab {
            return None;
        }
        let key_line = self.text_of(&(piece.start..piece.start + 1));
        let rest = key_line[first.indent..].trim_end();
        if !is_plain_key_line(rest) || !rest.split('#').next()?.trim_end().ends_with(':') {
            return None;
        }
        let body = piece.start + 1..piece.end;
        let child = self.lines[body.clone()]
            .iter()
            .find(|l| l.indent != BLANK)?
            .indent;
        if child <= first.indent {
            return None;
        }
        let children = self.pieces_at(body, child)?;
        (children.len() >= 2).then_some(children)
    }

    /// `range` cut before every key at indentation `at`; `None` unless every other line is
    /// indented deeper (comments and blank lines aside) and every line at `at` is a plain
    /// key line.
    fn pieces_at(&self, range: Piece, at: usize) -> Option<Vec<Piece>> {
        let mut starts = Vec::new();
        for i in range.clone() {
            let l = self.lines[i];
            if l.indent == BLANK {
                continue;
            }
            if l.indent < at || l.tab {
                return None;
            }
            if l.indent == at {
                let line = &self.text_of(&(i..i + 1))[at..];
                // An item of an indentless sequence (`tags:` then `- name: x` at the key's
                // indentation, as PyYAML and serde_yaml write) is part of the entry above.
                // Under a key with a value of its own it is a syntax error, which that
                // piece's parse fails on, and the whole parse reports.
                if !starts.is_empty() && is_sequence_item(line) {
                    continue;
                }
                if !is_plain_key_line(line) {
                    return None;
                }
                starts.push(i);
            }
        }
        // Lines before the first key (comments, blank lines) go with it.
        if let Some(first) = starts.first_mut() {
            *first = range.start;
        }
        starts.push(range.end);
        Some(starts.windows(2).map(|w| w[0]..w[1]).collect())
    }

    fn collect_leaves(&self, node: &Node, out: &mut Vec<&'a str>) {
        match node {
            Node::Leaf(p) => out.push(self.text_of(p)),
            Node::Nested(_, children) => children.iter().for_each(|c| self.collect_leaves(c, out)),
        }
    }

    /// Puts `node`'s entry into `out` (its leaves' maps come from `parsed`, in order).
    fn assemble(
        &self,
        node: &Node,
        parsed: &mut impl Iterator<Item = Map<String, Value>>,
        out: &mut Map<String, Value>,
    ) -> Option<()> {
        let (key, value) = match node {
            Node::Leaf(_) => {
                for (key, value) in parsed.next()? {
                    out.insert(key, value).is_none().then_some(())?;
                }
                return Some(());
            }
            Node::Nested(key_line, children) => {
                let (key, _) = parse_piece(self.text_of(&(*key_line..key_line + 1)))?
                    .into_iter()
                    .next()?;
                let mut inner = Map::new();
                for c in children {
                    self.assemble(c, parsed, &mut inner)?;
                }
                (key, Value::Object(inner))
            }
        };
        // A repeated key: the whole parse says what happens.
        out.insert(key, value).is_none().then_some(())
    }
}

/// Every leaf parsed, in order, the largest first on the least loaded thread.
fn parse_all(leaves: &[&str], threads: usize) -> Option<Vec<Map<String, Value>>> {
    let mut order: Vec<usize> = (0..leaves.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(leaves[i].len()));
    let mut shares: Vec<(usize, Vec<usize>)> = vec![(0, Vec::new()); threads.min(leaves.len())];
    for i in order {
        let lightest = shares.iter_mut().min_by_key(|s| s.0)?;
        lightest.0 += leaves[i].len();
        lightest.1.push(i);
    }
    let results = std::thread::scope(|scope| {
        let handles: Vec<_> = shares
            .iter()
            .map(|(_, share)| {
                std::thread::Builder::new()
                    .name("openapi-gen-yaml".into())
                    .stack_size(super::stack::DESERIALIZE_STACK)
                    .spawn_scoped(scope, move || {
                        share
                            .iter()
                            .map(|&i| Some((i, parse_piece(leaves[i])?)))
                            .collect::<Option<Vec<_>>>()
                    })
                    .ok()
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h?.join().ok()?)
            .collect::<Option<Vec<_>>>()
    })?;
    let mut parsed: Vec<Option<Map<String, Value>>> = vec![None; leaves.len()];
    for (i, map) in results.into_iter().flatten() {
        parsed[i] = Some(map);
    }
    parsed.into_iter().collect()
}

/// One piece: the mapping of the entries it holds. Flow collections nested deeper than the
/// parser's recursion allows are checked here, on the workers, and left to the whole parse,
/// which reports them with their place in the document.
fn parse_piece(piece: &str) -> Option<Map<String, Value>> {
    if super::flow_depth::flow_too_deep(piece, super::flow_depth::MAX_FLOW_DEPTH).is_some() {
        return None;
    }
    // A piece with a duplicate key is left to the whole parse, which reports it.
    match super::dup_keys::yaml_without_duplicates(piece)? {
        Value::Object(map) if !map.is_empty() => Some(map),
        _ => None,
    }
}

/// `- …` or `-` alone (indentation removed): a block sequence item.
fn is_sequence_item(line: &str) -> bool {
    let line = line.trim_end_matches(['\n', '\r']);
    line == "-" || line.starts_with("- ")
}

/// `key:` or `key: value` (indentation removed), where the key is plain and the value (if any) is a
/// one-line scalar (plain, or quoted and closed on the line): nothing that could open a
/// construct spanning lines (flow collections, block scalars, anchors, aliases, tags).
fn is_plain_key_line(line: &str) -> bool {
    let line = line.trim_end_matches(['\n', '\r']);
    let Some((key, rest)) = line.split_once(':') else {
        return false;
    };
    // Paths (`/things/{id}`) may hold braces: after a leading `/` they cannot open a flow
    // mapping.
    let path = key.starts_with('/');
    let key_ok = !key.is_empty()
        && key.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(b, b'_' | b'-' | b'.' | b'$')
                || (path && matches!(b, b'/' | b'{' | b'}'))
        });
    if !key_ok || !(rest.is_empty() || rest.starts_with(' ')) {
        return false;
    }
    let value = rest.trim();
    let value = value.split(" #").next().unwrap_or(value).trim();
    let quoted = |q: char, inner_bad: &[char]| {
        value.len() >= 2
            && value.starts_with(q)
            && value.ends_with(q)
            && !value[1..value.len() - 1].contains(inner_bad)
    };
    value.is_empty()
        || value.starts_with('#')
        || value == "{}"
        || value == "[]"
        || quoted('"', &['"', '\\'])
        || quoted('\'', &['\''])
        || value.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/' | b'+' | b' ')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    fn padded(text: &str) -> String {
        // Past `MIN_SPLIT`: a long comment changes nothing in the value.
        format!("{text}\n#{}\n", "x".repeat(MIN_SPLIT))
    }

    #[test]
    fn same_value_and_order_as_a_whole_parse() {
        let text = padded(
            "# head\nopenapi: 3.1.0\ninfo:\n  title: T\n  version: '1'\n\npaths:\n  /a:\n    get:\n      \
             description: |\n        x: y\n        z\n# between\ncomponents:\n  schemas:\n    A: &a\n      \
             type: string\n    B: *a\n",
        );
        let v = parallel(&text, 2).expect("splits");
        assert_eq!(v, whole(&text));
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["openapi", "info", "paths", "components"]);
    }

    /// Sequences written at their key's indentation (PyYAML's and serde_yaml's style) do not
    /// stop the split, at the top level or below.
    #[test]
    fn indentless_sequences_split() {
        let text = padded(
            "openapi: 3.1.0\nsecurity:\n- apiKey: []\nservers:\n- url: https://a\n  description: A\n\
             -\n  url: https://b\ntags:\n- name: x\ncomponents:\n  schemas:\n    A:\n      required:\n      \
             - id\n      type: object\n    B:\n      enum:\n      - 1\n      - 2\n",
        );
        let v = parallel(&text, 2).expect("splits");
        assert_eq!(v, whole(&text));
        assert_eq!(v["servers"][1]["url"], "https://b");
    }

    #[test]
    fn anything_doubtful_is_left_to_the_whole_parse() {
        for text in [
            // An alias to an anchor in another piece.
            "a: &x 1\nb: *x\n",
            // A repeated key.
            "a: 1\nb: 2\na: 3\n",
            // A column-0 line that is not a plain key line.
            "a: \"one\ntwo\"\nb: 1\n",
            "---\na: 1\nb: 2\n",
            "a: [1,\n2]\nb: 1\n",
            "\"quoted\": 1\nb: 2\n",
            // A sequence before any key: not a mapping.
            "- 1\na: 2\n",
            // An indentless item under a key that has a value: a syntax error.
            "a: 1\n- 2\nb: 3\n",
        ] {
            assert_eq!(parallel(&padded(text), 2), None, "{text}");
        }
        // Flow collections nested deeper than the parser may recurse: the whole text's check
        // reports them, with their place (`parse_tests.rs`).
        let deep = format!("a: 1\nb: {}{}\n", "[".repeat(200), "]".repeat(200));
        assert_eq!(parallel(&padded(&deep), 2), None);
        // Too small, or one thread.
        assert_eq!(parallel("a: 1\nb: 2\n", 2), None);
        assert_eq!(parallel(&padded("a: 1\nb: 2\n"), 1), None);
    }

    /// Every YAML document of the repository and the shared corpus parses to the same value
    /// piecewise as whole.
    #[test]
    fn real_documents_agree() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = vec![root.join("spec/openrouter.yaml")];
        for dir in [
            "../shared/reference",
            "../shared/corpus/specs",
            "../shared/corpus/fragments",
        ] {
            if let Ok(rd) = std::fs::read_dir(root.join(dir)) {
                files.extend(rd.flatten().map(|e| e.path()));
            }
        }
        let mut split = 0;
        for f in files
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "yaml"))
        {
            // Corpus files are hostile input: one that is not UTF-8 must be refused, located.
            let text = match super::super::utf8::read_spec(f) {
                Ok(text) => text,
                Err(e @ crate::Error::Syntax { .. }) => {
                    assert!(e.to_string().contains("byte offset"), "{e}");
                    continue;
                }
                Err(e) => panic!("{}: {e}", f.display()),
            };
            // And with Windows line ends.
            for text in [text.clone(), text.replace('\n', "\r\n")] {
                if let Some(v) = parallel(&text, 2) {
                    split += 1;
                    assert_eq!(v, whole(&text), "{}", f.display());
                }
            }
        }
        assert!(
            split >= 2,
            "spec/openrouter.yaml splits, with either line end"
        );
    }
}
