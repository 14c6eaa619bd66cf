//! Operation groups of documents without tags: by resource, the first path segment after
//! the common prefix (the rule is stated in the README, "Cargo features and build time").
//!
//! A document counts as untagged when more than half of its operations have no tag. Then
//! each untagged operation is grouped by resource: the longest run of leading literal
//! segments shared by the untagged operations' paths is the common prefix (`/v1`, `/api`),
//! shortened so that every path that has a resource keeps one; after it, path parameters
//! (`{account}`) and version segments (`v2`, `v1beta`, `2024-01-01`) are skipped, and the
//! first other segment is the resource (`/v1/customers/{id}/sources` → `customers`).
//! Operations with no such segment (`/`, `/v1`, `/{id}`) and every operation of a document
//! that would get more than [`MAX_RESOURCE_GROUPS`] resources stay in the default group.
//! Tagged operations keep their first tag.

use std::collections::BTreeSet;

use openapiv3::ReferenceOr;

/// Every operation of typed path items: its path, and whether it has no tag.
pub fn typed_operations<'a>(
    paths: impl Iterator<Item = (&'a String, &'a ReferenceOr<openapiv3::PathItem>)>,
) -> impl Iterator<Item = (&'a str, bool)> {
    paths
        .filter_map(|(path, item)| item.as_item().map(|item| (path, item)))
        .flat_map(|(path, item)| {
            item.iter()
                .map(move |(_, op)| (path.as_str(), op.tags.is_empty()))
        })
}

/// Resource groups at most: each is a cargo feature, and crates.io takes at most 300.
pub const MAX_RESOURCE_GROUPS: usize = 200;

/// How the untagged operations of a document are grouped.
#[derive(Debug, Default)]
pub struct Resources {
    /// Group untagged operations by resource (the document counts as untagged).
    by_resource: bool,
    /// Segments of the common prefix.
    prefix: usize,
}

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

/// Not a resource: a path parameter or a version.
fn skipped(segment: &str) -> bool {
    let mut chars = segment.chars();
    let first = chars.next();
    segment.contains('{')
        || first.is_some_and(|c| c.is_ascii_digit())
        || (matches!(first, Some('v' | 'V')) && chars.next().is_some_and(|c| c.is_ascii_digit()))
}

impl Resources {
    /// From every operation of the document: its path, and whether it has no tag.
    pub fn of<'a>(operations: impl Iterator<Item = (&'a str, bool)>) -> Self {
        let mut untagged_paths: Vec<&str> = Vec::new();
        let mut total = 0;
        for (path, untagged) in operations {
            total += 1;
            if untagged {
                untagged_paths.push(path);
            }
        }
        if untagged_paths.len() * 2 <= total {
            return Resources::default();
        }
        // The longest common run of literal leading segments…
        let mut prefix: Vec<&str> = segments(untagged_paths[0])
            .take_while(|s| !s.contains('{'))
            .collect();
        for p in &untagged_paths[1..] {
            let same = segments(p)
                .zip(&prefix)
                .take_while(|(a, b)| a == *b)
                .count();
            prefix.truncate(same);
        }
        // …shortened until every path with a resource keeps one after it.
        let mut len = prefix.len();
        while len > 0
            && untagged_paths
                .iter()
                .any(|p| segments(p).any(|s| !skipped(s)) && segments(p).skip(len).all(skipped))
        {
            len -= 1;
        }
        let resources = Resources {
            by_resource: true,
            prefix: len,
        };
        let distinct: BTreeSet<&str> = untagged_paths
            .iter()
            .filter_map(|p| resources.resource(p))
            .collect();
        if distinct.len() > MAX_RESOURCE_GROUPS {
            return Resources::default();
        }
        resources
    }

    /// The resource of an untagged operation on `path`, when grouped by resource.
    pub fn resource<'p>(&self, path: &'p str) -> Option<&'p str> {
        if !self.by_resource {
            return None;
        }
        segments(path).skip(self.prefix).find(|s| !skipped(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(paths: &[(&str, bool)]) -> openapiv3::OpenAPI {
        let mut doc = serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}
        });
        for (p, tagged) in paths {
            let op = if *tagged {
                serde_json::json!({"tags": ["t"], "responses": {}})
            } else {
                serde_json::json!({"responses": {}})
            };
            doc["paths"][p] = serde_json::json!({ "get": op });
        }
        serde_json::from_value(doc).unwrap()
    }

    fn resources(paths: &[(&str, bool)]) -> Vec<Option<String>> {
        let spec = spec(paths);
        let r = Resources::of(typed_operations(spec.paths.iter()));
        paths
            .iter()
            .map(|(p, _)| r.resource(p).map(str::to_owned))
            .collect()
    }

    #[test]
    fn resource_is_the_first_segment_after_the_common_prefix() {
        let got = resources(&[
            ("/v1/customers", false),
            ("/v1/customers/{id}/sources", false),
            ("/v1/payment_methods/{id}", false),
            ("/v1/{account}/v2/invoices", false),
            ("/v1", false),
            ("/v1/2024-01-01/events", false),
        ]);
        let want = [
            "customers",
            "customers",
            "payment_methods",
            "invoices",
            "",
            "events",
        ];
        let want: Vec<Option<String>> = want
            .iter()
            .map(|s| (!s.is_empty()).then(|| s.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn the_prefix_never_swallows_the_resource() {
        // Every path under `/api/customers`: the prefix is `/api` only.
        let got = resources(&[("/api/customers", false), ("/api/customers/{id}", false)]);
        assert_eq!(got, [Some("customers".into()), Some("customers".into())]);
        let got = resources(&[("/customers", false)]);
        assert_eq!(got, [Some("customers".into())]);
    }

    #[test]
    fn mostly_tagged_documents_keep_tags_only() {
        let got = resources(&[("/a", true), ("/b", true), ("/c", false)]);
        assert_eq!(got, [None, None, None]);
        // Half untagged is not "most".
        let got = resources(&[("/a", true), ("/c", false)]);
        assert_eq!(got, [None, None]);
        let got = resources(&[("/a", true), ("/b", false), ("/c", false)]);
        assert_eq!(got, [Some("a".into()), Some("b".into()), Some("c".into())]);
    }

    #[test]
    fn too_many_resources_stay_in_one_group() {
        let paths: Vec<String> = (0..=MAX_RESOURCE_GROUPS)
            .map(|i| format!("/r{i}"))
            .collect();
        let paths: Vec<(&str, bool)> = paths.iter().map(|p| (p.as_str(), false)).collect();
        assert!(resources(&paths).iter().all(Option::is_none));
    }
}
