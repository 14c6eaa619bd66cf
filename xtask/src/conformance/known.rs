//! Known failures: findings still open under an issue. Each entry names the document, the
//! start of the finding and the issue; a matching finding is reported as known and does not
//! fail the run. The list must be empty when the issue is resolved, and an entry that no
//! longer matches anything fails the run (so it cannot outlive its fix).

use super::outcomes::Row;

/// `(document file, finding prefix, issue and why)`.
pub const KNOWN: &[(&str, &str, &str)] = &[];

/// Move the findings that match a known entry out of the failing lists; returns the notes
/// to print and the entries that matched nothing.
pub fn apply(rows: &mut [Row]) -> (Vec<String>, Vec<String>) {
    let mut notes = Vec::new();
    let mut used = vec![false; KNOWN.len()];
    for row in rows.iter_mut() {
        for list in [&mut row.violations, &mut row.mismatches, &mut row.decode] {
            list.retain(|finding| {
                let hit = KNOWN.iter().enumerate().find(|(_, (file, prefix, _))| {
                    *file == row.file && finding.starts_with(prefix)
                });
                match hit {
                    Some((i, (_, _, why))) => {
                        used[i] = true;
                        notes.push(format!("{}: known ({why}): {finding}", row.file));
                        false
                    }
                    None => true,
                }
            });
        }
    }
    let stale = KNOWN
        .iter()
        .zip(used)
        .filter(|(_, u)| !u)
        .map(|((file, prefix, _), _)| format!("{file}: `{prefix}`"))
        .collect();
    (notes, stale)
}
