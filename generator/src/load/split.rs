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
const MIN_SPLIT: usize = 32 << 10;

/// A piece of the text: parsed alone, or (when large) cut again below its key.
enum Node<'a> {
    Leaf(&'a str),
    /// `key:` on its own line, and the entries below it as pieces.
    Nested(&'a str, Vec<Node<'a>>),
}

/// The document's value, parsed piecewise on up to `threads` threads; `None` if the text
/// does not split safely or a piece fails (the caller then parses it whole).
pub fn parallel(text: &str, threads: usize) -> Option<Value> {
    if threads < 2 || text.len() < MIN_SPLIT {
        return None;
    }
    let pieces = pieces_at(text, 0)?;
    if pieces.len() < 2 && pieces.iter().all(|p| p.len() < MIN_SPLIT) {
        return None;
    }
    // A piece larger than this is cut below its key, so the shares can be even.
    let budget = text.len() / (threads * 8);
    let nodes = refine_all(text, pieces, budget);
    let mut leaves = Vec::new();
    for n in &nodes {
        collect_leaves(n, &mut leaves);
    }
    let mut parsed = parse_all(&leaves, threads)?.into_iter();
    let mut out = Map::new();
    for n in &nodes {
        assemble(n, &mut parsed, &mut out)?;
    }
    Some(Value::Object(out))
}

fn refine<'a>(text: &'a str, piece: &'a str, budget: usize) -> Node<'a> {
    if piece.len() <= budget {
        return Node::Leaf(piece);
    }
    match cut_below_key(piece) {
        Some((key_line, children)) => Node::Nested(key_line, refine_all(text, children, budget)),
        None => Node::Leaf(piece),
    }
}

/// Consecutive small pieces joined back into runs of about `budget` bytes (they are
/// adjacent slices of the text, and a run of entries parses as one mapping): fewer, larger
/// parses. Large pieces are refined on their own.
fn refine_all<'a>(text: &'a str, pieces: Vec<&'a str>, budget: usize) -> Vec<Node<'a>> {
    let mut out = Vec::new();
    let mut run: Option<&str> = None;
    for p in pieces {
        if p.len() > budget {
            out.extend(run.take().map(Node::Leaf));
            out.push(refine(text, p, budget));
            continue;
        }
        run = Some(match run {
            // Adjacent: `r` ends where `p` starts.
            Some(r) if r.len() + p.len() <= budget => join(text, r, p),
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

/// Two adjacent slices of `text` as one slice of it.
fn join<'a>(text: &'a str, a: &'a str, b: &'a str) -> &'a str {
    let start = a.as_ptr() as usize - text.as_ptr() as usize;
    let joined = &text[start..start + a.len() + b.len()];
    debug_assert!(joined.ends_with(b));
    joined
}

fn collect_leaves<'a>(node: &Node<'a>, out: &mut Vec<&'a str>) {
    match node {
        Node::Leaf(text) => out.push(text),
        Node::Nested(_, children) => children.iter().for_each(|c| collect_leaves(c, out)),
    }
}

/// Puts `node`'s entry into `out` (its leaves' maps come from `parsed`, in order).
fn assemble(
    node: &Node<'_>,
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
            let (key, _) = parse_piece(key_line)?.into_iter().next()?;
            let mut inner = Map::new();
            for c in children {
                assemble(c, parsed, &mut inner)?;
            }
            (key, Value::Object(inner))
        }
    };
    // A repeated key: the whole parse says what happens.
    out.insert(key, value).is_none().then_some(())
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
                    .stack_size(super::DESERIALIZE_STACK)
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

/// One piece: the mapping of the entries it holds.
fn parse_piece(piece: &str) -> Option<Map<String, Value>> {
    match serde_yaml::from_str::<Value>(piece).ok()? {
        Value::Object(map) if !map.is_empty() => Some(map),
        _ => None,
    }
}

/// A piece whose first line is `key:` alone, cut into the entries below it: its first line,
/// and the rest cut before each key at the indentation of the first entry.
fn cut_below_key(piece: &str) -> Option<(&str, Vec<&str>)> {
    let first_end = piece.find('\n')? + 1;
    let (key_line, body) = piece.split_at(first_end);
    let indent = indentation(key_line);
    let rest = key_line[indent..].trim_end();
    if !is_plain_key_line(rest) || !rest.split('#').next()?.trim_end().ends_with(':') {
        return None;
    }
    let child = body
        .lines()
        .find(|l| !is_blank_or_comment(l))
        .map(indentation)?;
    if child <= indent {
        return None;
    }
    let children = pieces_at(body, child)?;
    (children.len() >= 2).then_some((key_line, children))
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim_start_matches(' ');
    t.is_empty() || t.starts_with('#') || t == "\r"
}

/// `text` cut before every key at indentation `at`; `None` unless every other line is
/// indented deeper (comments and blank lines aside) and every line at `at` is a plain key
/// line.
fn pieces_at(text: &str, at: usize) -> Option<Vec<&str>> {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if !is_blank_or_comment(line.trim_end_matches('\n')) {
            let indent = indentation(line);
            if indent < at || line[indent..].starts_with('\t') {
                return None;
            }
            if indent == at {
                if !is_plain_key_line(&line[at..]) {
                    return None;
                }
                starts.push(offset);
            }
        }
        offset += line.len();
    }
    // Text before the first key (comments, blank lines) goes with it.
    if let Some(first) = starts.first_mut() {
        *first = 0;
    }
    starts.push(text.len());
    Some(starts.windows(2).map(|w| &text[w[0]..w[1]]).collect())
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
        ] {
            assert_eq!(parallel(&padded(text), 2), None, "{text}");
        }
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
            let text = std::fs::read_to_string(f).unwrap();
            if let Some(v) = parallel(&text, 2) {
                split += 1;
                assert_eq!(v, whole(&text), "{}", f.display());
            }
        }
        assert!(split >= 1, "spec/openrouter.yaml splits");
    }
}
