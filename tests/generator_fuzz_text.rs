//! Text-level fuzzing: byte/char-level mutations of seed text (truncation, random
//! characters, deleted/duplicated ranges), aimed at the parser in `load` and its syntax
//! errors (see `fuzz/mod.rs` for what every case must satisfy, its bounds and environment).

mod fuzz;

use proptest::prelude::*;
use proptest::sample::Index;

use fuzz::seeds::{seed_index, seeds};
use fuzz::{prop_check, run};

#[derive(Debug, Clone)]
enum TextOp {
    Truncate(Index),
    Insert(Index, String),
    Delete(Index, usize),
    Duplicate(Index, usize),
    /// Replace one character by random bytes (lossily made UTF-8).
    Bytes(Index, Vec<u8>),
}

fn text_op() -> impl Strategy<Value = TextOp> {
    let snippet = prop_oneof![
        prop::sample::select(vec![
            "{",
            "}",
            "[",
            "]",
            ":",
            ": ",
            ",",
            "- ",
            "-",
            "\n",
            "\t",
            " ",
            "  ",
            "'",
            "\"",
            "#",
            "&a ",
            "*a",
            "*missing",
            "!!binary ",
            "!tag ",
            "<<: *a\n",
            "\u{feff}",
            "%YAML 1.2\n",
            "---\n",
            "...\n",
            "? ",
            "|",
            ">",
            "~",
            "null",
            "\\u0000",
            "\u{0}",
            "$ref: '#'",
            "\r\n",
            "\r",
            "\u{2028}",
        ])
        .prop_map(str::to_owned),
        "\\PC{1,4}",
    ];
    prop_oneof![
        2 => any::<Index>().prop_map(TextOp::Truncate),
        4 => (any::<Index>(), snippet).prop_map(|(i, s)| TextOp::Insert(i, s)),
        2 => (any::<Index>(), 1usize..64).prop_map(|(i, n)| TextOp::Delete(i, n)),
        1 => (any::<Index>(), 1usize..256).prop_map(|(i, n)| TextOp::Duplicate(i, n)),
        2 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..6))
            .prop_map(|(i, b)| TextOp::Bytes(i, b)),
    ]
}

/// Byte offset of the character at `index` (or the end).
fn char_at(text: &str, index: &Index) -> usize {
    let n = text.chars().count();
    if n == 0 {
        return 0;
    }
    text.char_indices()
        .nth(index.index(n + 1))
        .map_or(text.len(), |(i, _)| i)
}

fn end_after(text: &str, start: usize, chars: usize) -> usize {
    text[start..]
        .char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| start + i)
}

fn apply_text(text: &mut String, op: &TextOp) {
    match op {
        TextOp::Truncate(i) => {
            let at = char_at(text, i);
            text.truncate(at);
        }
        TextOp::Insert(i, s) => {
            let at = char_at(text, i);
            text.insert_str(at, s);
        }
        TextOp::Delete(i, n) => {
            let at = char_at(text, i);
            let end = end_after(text, at, *n);
            text.replace_range(at..end, "");
        }
        TextOp::Duplicate(i, n) => {
            let at = char_at(text, i);
            let end = end_after(text, at, *n);
            let copy = text[at..end].to_owned();
            text.insert_str(end, &copy);
        }
        TextOp::Bytes(i, bytes) => {
            let at = char_at(text, i);
            let end = end_after(text, at, 1);
            let s = String::from_utf8_lossy(bytes).into_owned();
            text.replace_range(at..end, &s);
        }
    }
}

#[test]
fn mutated_text() {
    seeds();
    let strategy = (
        seed_index(),
        any::<bool>(),
        prop::collection::vec(text_op(), 1..6),
    );
    run(strategy, |(seed, as_json, ops)| {
        let seed = &seeds()[seed];
        let mut text = if as_json {
            serde_json::to_string_pretty(&seed.value).expect("JSON")
        } else {
            seed.text.clone()
        };
        for op in &ops {
            apply_text(&mut text, op);
        }
        prop_check(&text, if as_json { "fuzz.json" } else { "fuzz.yaml" })
    });
}
