//! Small command-line helpers: "did you mean" for mistyped flags and commands.

/// The candidate closest to `input` by edit distance, when it is close enough to be a typo
/// (at most a third of its length, and at least one edit allowed).
pub fn suggest<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (input.chars().count() / 3).max(1);
    candidates
        .iter()
        .map(|c| (distance(input, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// `unknown argument `x``, with a suggestion when one is close.
pub fn unknown(what: &str, input: &str, candidates: &[&str]) -> String {
    match suggest(input, candidates) {
        Some(s) => format!("unknown {what} `{input}` (did you mean `{s}`?)"),
        None => format!("unknown {what} `{input}`"),
    }
}

/// Levenshtein distance over chars.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_a_suggestion_and_strangers_do_not() {
        let flags = ["--check", "--spec", "--strict", "--out"];
        assert_eq!(suggest("--chek", &flags), Some("--check"));
        assert_eq!(suggest("--spce", &flags), Some("--spec"));
        assert_eq!(suggest("--verbose", &flags), None);
        assert_eq!(
            unknown("argument", "--chek", &flags),
            "unknown argument `--chek` (did you mean `--check`?)"
        );
        assert_eq!(suggest("codgen", &["codegen", "corpus"]), Some("codegen"));
    }
}
