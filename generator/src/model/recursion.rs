//! A separate pass (typify's way) that makes recursive types finite: any by-value edge
//! that closes a cycle (a struct field or union variant naming a type in its own strongly
//! connected component) gets a `Box`. `Vec` and maps already give indirection.

use super::*;
use std::collections::{BTreeMap, BTreeSet};

/// Named types reachable from `t` without passing through a `Vec` or map.
fn by_value(t: &TypeRef, out: &mut BTreeSet<String>) {
    match t {
        TypeRef::Named(n) => {
            out.insert(n.clone());
        }
        TypeRef::Option(inner) => by_value(inner, out),
        _ => {}
    }
}

fn edges(def: &TypeDef) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    match &def.kind {
        TypeKind::Struct { fields, .. } => fields.iter().for_each(|f| by_value(&f.ty, &mut out)),
        TypeKind::Union { variants, .. } => variants.iter().for_each(|v| by_value(&v.ty, &mut out)),
        TypeKind::Alias { target } => by_value(target, &mut out),
        TypeKind::Enum { .. } => {}
    }
    out
}

/// Tarjan's SCC, iterative so deep specs cannot overflow the stack. Returns node → component id.
fn components(graph: &BTreeMap<String, BTreeSet<String>>) -> BTreeMap<&str, usize> {
    // Keyed by names borrowed from `graph`: the walk visits every edge, and owned keys
    // cost a `String` clone per map insert.
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut low: BTreeMap<&str, usize> = BTreeMap::new();
    let mut on_stack: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut comp = BTreeMap::new();
    let mut next = 0usize;
    let mut ncomp = 0usize;
    let succ = |n: &str| -> Vec<&str> {
        graph
            .get(n)
            .map(|s| s.iter().map(String::as_str).collect())
            .unwrap_or_default()
    };
    for start in graph.keys() {
        let start = start.as_str();
        if index.contains_key(start) {
            continue;
        }
        let mut work: Vec<(&str, Vec<&str>, usize)> = Vec::new();
        index.insert(start, next);
        low.insert(start, next);
        next += 1;
        stack.push(start);
        on_stack.insert(start);
        work.push((start, succ(start), 0));
        while let Some((node, succs, pos)) = work.last_mut() {
            let node = *node;
            if *pos < succs.len() {
                let s = succs[*pos];
                *pos += 1;
                if !graph.contains_key(s) {
                    continue;
                }
                if !index.contains_key(s) {
                    index.insert(s, next);
                    low.insert(s, next);
                    next += 1;
                    stack.push(s);
                    on_stack.insert(s);
                    work.push((s, succ(s), 0));
                } else if on_stack.contains(s) {
                    let v = low[node].min(index[s]);
                    low.insert(node, v);
                }
            } else {
                work.pop();
                if let Some((parent, _, _)) = work.last() {
                    let v = low[parent].min(low[node]);
                    low.insert(parent, v);
                }
                if low[node] == index[node] {
                    while let Some(m) = stack.pop() {
                        on_stack.remove(m);
                        comp.insert(m, ncomp);
                        if m == node {
                            break;
                        }
                    }
                    ncomp += 1;
                }
            }
        }
    }
    comp
}

fn box_in(t: &mut TypeRef, targets: &BTreeSet<String>) {
    match t {
        TypeRef::Named(n) if targets.contains(n) => *t = TypeRef::Boxed(Box::new(t.clone())),
        TypeRef::Option(inner) => box_in(inner, targets),
        _ => {}
    }
}

/// Insert `Box` on every by-value edge inside a cycle.
pub fn break_cycles(defs: &mut BTreeMap<String, TypeDef>) {
    let graph: BTreeMap<String, BTreeSet<String>> =
        defs.iter().map(|(k, d)| (k.clone(), edges(d))).collect();
    let comp = components(&graph);
    for (name, def) in defs.iter_mut() {
        let mine = comp[name.as_str()];
        let same: BTreeSet<String> = graph[name]
            .iter()
            .filter(|s| comp.get(s.as_str()) == Some(&mine))
            .cloned()
            .collect();
        if same.is_empty() {
            continue;
        }
        match &mut def.kind {
            TypeKind::Struct { fields, .. } => {
                fields.iter_mut().for_each(|f| box_in(&mut f.ty, &same))
            }
            TypeKind::Union { variants, .. } => {
                variants.iter_mut().for_each(|v| box_in(&mut v.ty, &same))
            }
            // An alias cycle cannot be boxed (`type A = B; type B = A;`); leave it for rustc to
            // report rather than loop here.
            _ => {}
        }
    }
}
