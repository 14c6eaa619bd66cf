//! Spec text made safe for rustdoc. Descriptions are CommonMark written for a web page, and
//! rustdoc reads them as its own Markdown: `[x]` becomes an intra-doc link that does not
//! resolve, a bare URL or `Vec<T>` trips a lint, and an unlabelled code fence becomes a Rust
//! doctest. Generated crates build their docs with warnings denied, so each of those is
//! rewritten here, once, in the model: what rustdoc shows reads the same.

/// The lines of a spec description, rewritten for rustdoc.
pub fn sanitize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    for line in text.trim_end().lines() {
        // A bare CR (or NUL…) inside a doc comment does not compile or print well.
        let line = line
            .trim_end()
            .replace(|c: char| c.is_control() && c != '\t', " ");
        let line = line.as_str();
        let trimmed = line.trim_start();
        if let Some(open) = &fence {
            if trimmed.starts_with(open.as_str()) {
                fence = None;
            }
            out.push(line.to_owned());
            continue;
        }
        if let Some(marker) = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m)) {
            let indent = &line[..line.len() - trimmed.len()];
            let lang = trimmed[marker.len()..].trim();
            fence = Some(marker.to_owned());
            // An unlabelled or Rust block would be compiled as a doctest.
            let rusty = lang.is_empty()
                || lang.split(',').any(|l| {
                    matches!(l.trim(), "rust" | "should_panic" | "no_run" | "edition2021")
                });
            out.push(if rusty {
                format!("{indent}{marker}text")
            } else {
                line.to_owned()
            });
            continue;
        }
        out.push(inline(line));
    }
    out
}

/// One line outside code blocks: code spans kept as they are; outside them `[t](url)` kept,
/// `[t](path)` → `t`, other `[..]` escaped, bare URLs in `<…>`, and a `<` that does not start
/// an autolink escaped as `&lt;`.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if rest.starts_with('`') {
            let span = code_span(rest);
            out.push_str(&rest[..span]);
            i += span;
            continue;
        }
        if rest.starts_with('[') {
            let Some(close) = closing_bracket(rest) else {
                out.push_str("\\[");
                i += 1;
                continue;
            };
            let label = &rest[1..close];
            let after = &rest[close + 1..];
            if after.starts_with('(')
                && let Some(end) = after.find(')')
            {
                if is_url(&after[1..end]) {
                    out.push_str(&rest[..close + 1 + end + 1]);
                } else {
                    out.push_str(&inline(label));
                }
                i += close + 1 + end + 1;
                continue;
            }
            out.push_str("\\[");
            out.push_str(&inline(label));
            out.push_str("\\]");
            i += close + 1;
            continue;
        }
        if rest.starts_with(']') {
            out.push_str("\\]");
            i += 1;
            continue;
        }
        if rest.starts_with('<') {
            if let Some(end) = rest.find('>')
                && is_url(&rest[1..end])
            {
                out.push_str(&rest[..=end]);
                i += end + 1;
                continue;
            }
            out.push_str("&lt;");
            i += 1;
            continue;
        }
        if (rest.starts_with("http://") || rest.starts_with("https://"))
            && !text[..i].ends_with(['(', '<', '"', '\''])
        {
            let end = rest
                .find(|ch: char| ch.is_whitespace() || matches!(ch, '<' | '>' | '"' | '`'))
                .unwrap_or(rest.len());
            // Trailing punctuation ends a sentence, not the URL.
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '\'']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            i += url.len();
            continue;
        }
        let ch = rest.chars().next().expect("in bounds");
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// Length of the code span at the start of `s` (a backtick run, text, the same run), or of
/// the bare backtick run when it is never closed (then it is literal text).
fn code_span(s: &str) -> usize {
    let run = s.len() - s.trim_start_matches('`').len();
    let closer = &s[..run];
    s[run..].find(closer).map_or(run, |end| run + end + run)
}

/// Offset of the `]` closing the `[` at the start of `s`, skipping code spans and nested
/// brackets.
fn closing_bracket(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    while i < s.len() {
        match s.as_bytes()[i] {
            b'`' => {
                i += code_span(&s[i..]);
                continue;
            }
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn is_url(target: &str) -> bool {
    let t = target.trim();
    t.contains("://") || t.starts_with("mailto:")
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    fn one(s: &str) -> String {
        sanitize(s).join("\n")
    }

    #[test]
    fn links_and_brackets() {
        assert_eq!(
            one("A [`Disk`](omicron::Disk) and [docs](https://x.io/a)."),
            "A `Disk` and [docs](https://x.io/a)."
        );
        assert_eq!(
            one("data[0] and [RFC 3986]"),
            "data\\[0\\] and \\[RFC 3986\\]"
        );
        assert_eq!(one("`data[0]` stays"), "`data[0]` stays");
        assert_eq!(one("a ]stray"), "a \\]stray");
    }

    #[test]
    fn urls_and_angle_brackets() {
        assert_eq!(
            one("See https://example.com/x. Or <https://a.b>."),
            "See <https://example.com/x>. Or <https://a.b>."
        );
        assert_eq!(one("a Vec<String> here"), "a Vec&lt;String> here");
        assert_eq!(one("`Vec<String>`"), "`Vec<String>`");
    }

    #[test]
    fn fences_never_become_doctests() {
        assert_eq!(
            sanitize("x\n```\nlet [a] = 1;\n```\n```json\n{}\n```"),
            [
                "x",
                "```text",
                "let [a] = 1;",
                "```",
                "```json",
                "{}",
                "```"
            ]
        );
    }
}
