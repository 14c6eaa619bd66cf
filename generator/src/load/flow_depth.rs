//! A linear pre-scan of YAML text for flow collections (`[`, `{`) nested too deep, run
//! before the parser (see `parse.rs`) and by each worker of the split parse (`split.rs`).

/// Deepest YAML flow nesting accepted before parsing. `serde_yaml` rejects documents nested
/// more than 128 levels, but only after the scanner has read the whole text, and the scanner
/// takes time proportional to the flow depth for every token: 40,000 nested `[` take
/// seconds, a megabyte of them minutes. Checking the depth first keeps that linear.
pub(super) const MAX_FLOW_DEPTH: usize = 160;

/// Line and column (1-based) of the first `[`/`{` nested more than `limit` flow levels deep,
/// found by a light scan: comments, quoted scalars and block scalars are skipped, and outside
/// flow collections a bracket only counts where a node can start (so `a: see [1` is text).
/// It may miss nesting inside odd constructs, but never counts more levels than the YAML has.
pub(super) fn flow_too_deep(text: &str, limit: usize) -> Option<(usize, usize)> {
    // Byte by byte: every character the scan looks at is ASCII, and the bytes of a non-ASCII
    // character (all >= 0x80) never match one, so `prev` holding such a byte instead of the
    // character changes nothing — and the scan reads the whole document before the parser.
    let bytes = text.as_bytes();
    // Nesting needs as many openers: a text with no more than `limit` of them (most
    // documents; counted in one pass the compiler vectorises) cannot be too deep.
    if bytes.iter().filter(|&&b| b == b'[' || b == b'{').count() <= limit {
        return None;
    }
    let mut depth = 0usize;
    let mut line = 1usize;
    let mut line_start = 0usize;
    // Last non-blank character on the current line (outside scalars), and the start of the
    // current whitespace-separated word (for `&anchor [` / `!tag {`).
    let mut prev: Option<u8> = None;
    let mut word_start: Option<u8> = None;
    // `prev` before the current word: an anchor or tag leaves the node start where it was.
    let mut prev_before_word: Option<u8> = None;
    // Indentation of a line with a block scalar indicator: lines indented more are content.
    let mut block_scalar: Option<usize> = None;
    let mut quote: Option<u8> = None;
    let ends_word = |b: u8| {
        matches!(
            b,
            b' ' | b'\t' | b'\r' | b'\n' | b'#' | b'[' | b'{' | b']' | b'}' | b','
        )
    };
    let mut next = 0;
    while next < bytes.len() {
        let i = next;
        let c = bytes[i];
        next += 1;
        if c == b'\n' {
            line += 1;
            line_start = i + 1;
            prev = None;
            word_start = None;
            if let Some(indent) = block_scalar {
                // Skip content lines: blank, or indented more than the indicator's line.
                let rest = &text[i + 1..];
                let mut skipped = 0;
                for l in rest.split_inclusive('\n') {
                    let body = l.trim_end_matches(['\n', '\r']);
                    let lead = body.len() - body.trim_start_matches(' ').len();
                    if body.trim().is_empty() || lead > indent {
                        skipped += l.len();
                        if l.ends_with('\n') {
                            line += 1;
                        }
                    } else {
                        break;
                    }
                }
                block_scalar = None;
                if skipped > 0 {
                    next = i + 1 + skipped;
                    // The last skipped line ended with a newline (or the text ended).
                    line_start = next;
                }
            }
            continue;
        }
        // Most characters continue a word, which only moves `prev`: run to the word's end.
        if quote.is_none() && word_start.is_some() && !ends_word(c) {
            while next < bytes.len() && !ends_word(bytes[next]) {
                next += 1;
            }
            prev = Some(bytes[next - 1]);
            continue;
        }
        if let Some(q) = quote {
            if c == b'\\' && q == b'"' {
                next += 1;
            } else if c == q {
                quote = None;
                prev = Some(c);
            } else {
                // Run to the next byte that can end the scalar or the line.
                while next < bytes.len() && !matches!(bytes[next], b'\\' | b'\n' | b'\'' | b'"') {
                    next += 1;
                }
            }
            continue;
        }
        match c {
            b' ' | b'\t' | b'\r' => {
                if matches!(word_start, Some(b'&' | b'!')) {
                    prev = prev_before_word;
                }
                word_start = None;
                continue;
            }
            b'#' if i == line_start || matches!(bytes[i - 1], b' ' | b'\t' | b'\n') => {
                // A comment: skip to the end of the line.
                while next < bytes.len() && bytes[next] != b'\n' {
                    next += 1;
                }
                continue;
            }
            _ => {}
        }
        let at_node_start = match prev {
            None => true,
            Some(p) if depth > 0 => matches!(p, b'[' | b'{' | b',' | b':' | b'?' | b'-'),
            Some(p) => matches!(p, b':' | b'-' | b'?'),
        };
        let in_word = word_start.is_some();
        if word_start.is_none() {
            word_start = Some(c);
            prev_before_word = prev;
        }
        match c {
            b'[' | b'{' if depth > 0 || (at_node_start && !in_word) => {
                depth += 1;
                if depth > limit {
                    let column = text[line_start..i].chars().count() + 1;
                    return Some((line, column));
                }
                word_start = None;
            }
            b']' | b'}' if depth > 0 => {
                depth -= 1;
                word_start = None;
            }
            b',' if depth > 0 => word_start = None,
            b'"' | b'\'' if at_node_start && !in_word => quote = Some(c),
            b'|' | b'>' if depth == 0 && at_node_start && !in_word => {
                let before = &text[line_start..i];
                block_scalar = Some(before.len() - before.trim_start_matches(' ').len());
            }
            _ => {}
        }
        prev = Some(c);
    }
    None
}
