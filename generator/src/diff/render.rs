//! The report as Markdown (for a pull request), JSON (for tooling) and a terminal summary.

use super::{Class, Entry, Report, Version, Wire};

/// The version a change of this report's class needs after `from` (`None`: no change).
pub fn required(report: &Report, from: Option<Version>) -> Option<(Version, Version)> {
    let class = report.class()?;
    let from = from?;
    Some((from, from.next(class)))
}

fn counts(report: &Report) -> String {
    let wire = report.wire_breaking().count();
    let mut s = format!(
        "{} breaking, {} additive, {} patch",
        report.count(Class::Breaking),
        report.count(Class::Additive),
        report.count(Class::Patch)
    );
    if wire > 0 {
        s.push_str(&format!("; {wire} may break clients already deployed"));
    }
    s
}

fn headline(report: &Report, version: Option<Version>) -> String {
    match (report.class(), required(report, version)) {
        (None, _) => "no API changes".to_owned(),
        (Some(c), Some((from, to))) => {
            format!("{}: version {from} → {to} at least", c.as_str())
        }
        (Some(c), None) => c.as_str().to_owned(),
    }
}

/// Pipes and line breaks would end a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Markdown, ready to paste into a pull request.
pub fn markdown(report: &Report, version: Option<Version>) -> String {
    let mut out = format!(
        "## API changes: {}\n\n{}.\n",
        headline(report, version),
        counts(report)
    );
    if report.is_empty() {
        return out;
    }
    out.push_str("\n| class | wire | item | change | kind | why |\n|---|---|---|---|---|---|\n");
    for e in &report.entries {
        out.push_str(&format!(
            "| {} | {} | `{}` | {} | `{}` | {} |\n",
            e.class.as_str(),
            e.wire.as_str(),
            cell(&e.item),
            cell(&e.detail),
            e.kind,
            cell(&e.why)
        ));
    }
    out
}

/// One line per entry, for the terminal.
pub fn summary(report: &Report, version: Option<Version>) -> String {
    let mut out = format!(
        "API changes: {} ({})\n",
        headline(report, version),
        counts(report)
    );
    for e in &report.entries {
        out.push_str(&line(e));
        out.push('\n');
    }
    out
}

/// `breaking  Foo::new: `new(a)` → `new(a, b)` (why)`.
pub fn line(e: &Entry) -> String {
    let wire = match e.wire {
        Wire::BreaksOldClients => " [wire: breaks old clients]",
        _ => "",
    };
    format!(
        "  {:<8}  {}: {}{wire} ({})",
        e.class.as_str(),
        e.item,
        e.detail,
        e.why
    )
}

/// The same as JSON: `{class, bump, entries: [{class, kind, item, detail, wire, why}]}`.
pub fn json(report: &Report, version: Option<Version>) -> String {
    let entries: Vec<serde_json::Value> = report
        .entries
        .iter()
        .map(|e| {
            serde_json::json!({
                "class": e.class.as_str(),
                "kind": e.kind,
                "item": e.item,
                "detail": e.detail,
                "wire": match e.wire {
                    Wire::BreaksOldClients => "breaks_old_clients",
                    Wire::Compatible => "compatible",
                    Wire::Unchanged => "unchanged",
                },
                "why": e.why,
            })
        })
        .collect();
    let bump = required(report, version);
    let value = serde_json::json!({
        "class": report.class().map(Class::as_str),
        "version": version.map(|v| v.to_string()),
        "required_version": bump.map(|(_, to)| to.to_string()),
        "counts": {
            "breaking": report.count(Class::Breaking),
            "additive": report.count(Class::Additive),
            "patch": report.count(Class::Patch),
            "breaks_old_clients": report.wire_breaking().count(),
        },
        "entries": entries,
    });
    serde_json::to_string_pretty(&value).expect("JSON values serialise")
}
