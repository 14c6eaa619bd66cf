//! API-wide settings (retries, base URL, credentials, environment variables, global headers)
//! and the variants of `ApiErrorBody`.

use super::sig;
use super::{Class, Out, Wire};
use crate::model::Model;

use Class::{Additive, Breaking, Patch};

pub(super) fn retry_text(r: &Option<crate::model::RetryHint>) -> String {
    match r {
        None => "none".into(),
        Some(r) => format!(
            "{} ms × {} up to {} ms, {} ms total, statuses [{}]{}",
            r.initial_interval_ms,
            r.exponent,
            r.max_interval_ms,
            r.max_elapsed_ms,
            r.status_codes.join(", "),
            if r.retry_connection_errors {
                ", connection errors"
            } else {
                ""
            }
        ),
    }
}

pub fn api(old: &Model, new: &Model, out: &mut Out) {
    if old.retry != new.retry {
        out.push(
            Patch,
            "retry_policy_changed",
            "RetryPolicy::default()",
            format!("{} → {}", retry_text(&old.retry), retry_text(&new.retry)),
            "no signature changes; calls retry differently by default",
        )
        .wire(Wire::Compatible);
    }
    if old.base_url != new.base_url {
        out.push(
            Patch,
            "base_url_changed",
            "Client::builder()",
            format!("default base URL `{}` → `{}`", old.base_url, new.base_url),
            "no signature changes; clients without an explicit base URL call another server",
        )
        .wire(Wire::Compatible);
    }
    let (a, b) = (&old.api, &new.api);
    if a.env_prefix != b.env_prefix {
        out.push(
            Breaking,
            "env_prefix_changed",
            "Client::from_env()",
            format!("`{}_*` → `{}_*`", a.env_prefix, b.env_prefix),
            "compiles, but deployments configured through the old variables stop working",
        );
    }
    if a.auth != b.auth || a.auth_required != b.auth_required {
        let lost = a.auth.iter().any(|s| !b.auth.contains(s));
        out.push(
            Patch,
            "auth_changed",
            "credentials",
            format!(
                "{:?}{} → {:?}{}",
                a.auth,
                if a.auth_required { " (required)" } else { "" },
                b.auth,
                if b.auth_required { " (required)" } else { "" }
            ),
            "no signature changes; how the credential is sent changed",
        )
        .wire(if lost || (b.auth_required && !a.auth_required) {
            Wire::BreaksOldClients
        } else {
            Wire::Compatible
        });
    }
    for g in &a.globals {
        match b.globals.iter().find(|h| h.setter == g.setter) {
            None => {
                out.push(
                    Breaking,
                    "global_header_removed",
                    format!("GlobalHeaders::{}", g.setter),
                    format!("header `{}`", g.display),
                    "callers of the setter no longer compile (trait_method_missing)",
                );
            }
            Some(h) if h.wire != g.wire => {
                out.push(
                    Patch,
                    "global_header_wire_changed",
                    format!("GlobalHeaders::{}", g.setter),
                    format!("header `{}` → `{}`", g.display, h.display),
                    "same setter; the value goes to another header",
                )
                .wire(Wire::BreaksOldClients);
            }
            Some(_) => {}
        }
    }
    for h in &b.globals {
        if !a.globals.iter().any(|g| g.setter == h.setter) {
            out.push(
                Additive,
                "global_header_added",
                format!("GlobalHeaders::{}", h.setter),
                format!("header `{}`", h.display),
                "a provided method on a trait users do not implement",
            );
        }
    }
}

pub fn error_variants(old: &Model, new: &Model, out: &mut Out) {
    for v in &old.error_variants {
        let item = format!("ApiErrorBody::{}", v.name);
        match new.error_variants.iter().find(|w| w.name == v.name) {
            None => {
                out.push(
                    Breaking,
                    "error_variant_removed",
                    item,
                    format!("status {}", sig::status_text(v.status)),
                    "matches on the variant no longer compile (enum_variant_missing)",
                );
            }
            Some(w) => {
                if w.ty != v.ty {
                    out.push(
                        Breaking,
                        "error_variant_retyped",
                        &item,
                        format!("`{}` → `{}`", sig::rust_type(&v.ty), sig::rust_type(&w.ty)),
                        "patterns binding the body as the old type no longer compile",
                    );
                }
                if w.status != v.status {
                    out.push(
                        Patch,
                        "error_variant_status_changed",
                        &item,
                        format!(
                            "{} → {}",
                            sig::status_text(v.status),
                            sig::status_text(w.status)
                        ),
                        "same variant; another status decodes into it",
                    )
                    .wire(Wire::Compatible);
                }
            }
        }
    }
    for w in &new.error_variants {
        if !old.error_variants.iter().any(|v| v.name == w.name) {
            out.push(
                Additive,
                "error_variant_added",
                format!("ApiErrorBody::{}", w.name),
                format!(
                    "status {}, `{}`",
                    sig::status_text(w.status),
                    sig::rust_type(&w.ty)
                ),
                "`ApiErrorBody` is `#[non_exhaustive]`: matches already have a wildcard arm",
            );
        }
    }
}
