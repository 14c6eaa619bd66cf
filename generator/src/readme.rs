//! `README.md` of a standalone crate: the crate docs (`emit::client::crate_doc_lines`) as
//! plain Markdown, plus how the crate was generated. Intra-doc links and doctest-hidden lines
//! mean nothing outside rustdoc, so they are rewritten here.

/// The README for crate `name`, generated from `source` (the document's file name).
pub fn readme(name: &str, doc_lines: &[String], source: &str) -> String {
    let mut out = format!("# {name}\n\n");
    let mut in_code = false;
    for line in doc_lines {
        if line.starts_with("```") {
            out.push_str(if in_code { "```" } else { "```rust" });
            out.push('\n');
            in_code = !in_code;
            continue;
        }
        if in_code {
            // rustdoc hides the `# ` lines of a doctest; the README shows the whole program.
            out.push_str(line.strip_prefix("# ").unwrap_or(line));
        } else {
            out.push_str(&plain_links(line));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "\n# How this crate was generated\n\n\
         Every file of this crate except the vendored runtime is written by the `openapi-gen` \
         generator (version {}) from `{source}`:\n\n\
         ```sh\ncargo xtask codegen --spec {source} --out <this folder> [--vendor-runtime]\n```\n\n\
         Do not edit the generated files: change the document and generate again. \
         `cargo doc --open` shows the same documentation as this file, with every type.\n",
        env!("CARGO_PKG_VERSION")
    ));
    out
}

/// `` [`X`](target) `` and `` [`X`] `` become `` `X` ``; `[text](crate#anchor)` becomes `text`.
fn plain_links(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find('[') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(close) = after.find(']') else {
            out.push_str(&rest[start..]);
            return out;
        };
        out.push_str(&after[..close]);
        rest = &after[close + 1..];
        if rest.starts_with('(')
            && let Some(end) = rest.find(')')
        {
            rest = &rest[end + 1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_code_and_hidden_lines_go() {
        let lines: Vec<String> = [
            "Start from [`Client`]: [`Client::from_env`](crate::Client::from_env).",
            "```no_run",
            "# async fn f() {",
            "let c = 1;",
            "# }",
            "```",
        ]
        .map(str::to_owned)
        .to_vec();
        let r = readme("demo", &lines, "api.yaml");
        assert!(
            r.starts_with(
                "# demo\n\nStart from `Client`: `Client::from_env`.\n```rust\nasync fn f() {\nlet c = 1;\n}\n```\n"
            ),
            "{r}"
        );
        assert!(r.contains("--spec api.yaml"));
    }
}
