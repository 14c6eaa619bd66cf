//! Variants: of open string enums (`#[non_exhaustive]`, an `Unknown` catch-all) and of
//! unions (tagged ones `#[non_exhaustive]`, untagged ones exhaustive and tried in order).

use std::collections::{BTreeMap, BTreeSet};

use super::sig;
use super::{Class, Out, Wire};
use crate::model::{EnumVariant, UnionVariant};

use Class::{Additive, Breaking, Patch};

pub(super) fn enums(
    item: &str,
    request: bool,
    va: &[EnumVariant],
    vb: &[EnumVariant],
    out: &mut Out,
) {
    let rust = |v: &[EnumVariant]| -> BTreeMap<String, String> {
        v.iter().map(|e| (e.rust.clone(), e.wire.clone())).collect()
    };
    let (ma, mb) = (rust(va), rust(vb));
    for (name, wire) in &ma {
        let vitem = format!("{item}::{name}");
        match mb.get(name) {
            None => {
                let e = out.push(
                    Breaking,
                    "enum_variant_removed",
                    vitem,
                    format!("`\"{wire}\"` removed"),
                    "code naming the variant no longer compiles (enum_variant_missing)",
                );
                if request {
                    e.wire(Wire::BreaksOldClients);
                    e.why
                        .push_str("; old clients may send a value the API no longer accepts");
                }
            }
            Some(w) if w != wire => {
                out.push(
                    Patch,
                    "enum_wire_value_changed",
                    vitem,
                    format!("`\"{wire}\"` → `\"{w}\"`"),
                    "same variant; old clients send and expect the old value",
                )
                .wire(Wire::BreaksOldClients);
            }
            Some(_) => {}
        }
    }
    let known: BTreeSet<&String> = ma.keys().collect();
    for (name, wire) in mb.iter().filter(|(n, _)| !known.contains(n)) {
        out.push(
            Additive,
            "enum_variant_added",
            format!("{item}::{name}"),
            format!("`\"{wire}\"`"),
            "open enums are `#[non_exhaustive]`; the value used to decode as `Unknown`",
        )
        .wire(Wire::Compatible);
    }
}

pub(super) fn unions(
    item: &str,
    tagged: bool,
    va: &[UnionVariant],
    vb: &[UnionVariant],
    out: &mut Out,
) {
    let find = |v: &[UnionVariant], n: &str| v.iter().position(|u| u.rust == n);
    for u in va {
        let vitem = format!("{item}::{}", u.rust);
        let Some(j) = find(vb, &u.rust) else {
            out.push(
                Breaking,
                "union_variant_removed",
                vitem,
                format!("`{}` removed", sig::rust_type(&u.ty)),
                "code naming the variant no longer compiles (enum_variant_missing)",
            );
            continue;
        };
        let w = &vb[j];
        if w.ty != u.ty {
            out.push(
                Breaking,
                "union_variant_retyped",
                &vitem,
                format!("`{}` → `{}`", sig::rust_type(&u.ty), sig::rust_type(&w.ty)),
                "patterns binding the old type no longer compile",
            );
        }
        if w.tags != u.tags {
            out.push(
                Patch,
                "union_tags_changed",
                &vitem,
                format!("tags [{}] → [{}]", u.tags.join(", "), w.tags.join(", ")),
                "same variant; other tag values select it",
            )
            .wire(Wire::BreaksOldClients);
        }
    }
    let order = |a: &[UnionVariant], b: &[UnionVariant]| -> Vec<String> {
        a.iter()
            .filter(|u| find(b, &u.rust).is_some())
            .map(|u| u.rust.clone())
            .collect()
    };
    if !tagged && order(va, vb) != order(vb, va) {
        out.push(
            Patch,
            "union_order_changed",
            item,
            format!("tried as [{}]", order(vb, va).join(", ")),
            "untagged variants are tried in order: a value may decode as another variant",
        )
        .wire(Wire::Compatible);
    }
    for w in vb.iter().filter(|w| find(va, &w.rust).is_none()) {
        let vitem = format!("{item}::{}", w.rust);
        let detail = format!("`{}`", sig::rust_type(&w.ty));
        if tagged {
            out.push(
                Additive,
                "union_variant_added",
                vitem,
                detail,
                "tagged unions are `#[non_exhaustive]`; the tag used to decode as `Unknown`",
            );
        } else {
            out.push(
                Breaking,
                "union_variant_added",
                vitem,
                detail,
                "untagged unions are exhaustive: matches without a wildcard arm no longer compile (enum_variant_added)",
            );
        }
    }
}
