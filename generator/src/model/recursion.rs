//! A separate pass (typify's way) that makes recursive types finite: any by-value edge
//! that closes a cycle (a struct field or union variant naming a type in its own strongly
//! connected component) gets a `Box`. `Vec` and maps already give indirection.

use super::*;
use std::collections::{BTreeMap, BTreeSet};

/// Named types reachable from `t` without passing through a `Vec` or map.
fn by_value<'d>(t: &'d TypeRef, out: &mut Vec<&'d str>) {
    match t {
        TypeRef::Named(n) => out.push(n),
        TypeRef::Option(inner) => by_value(inner, out),
        _ => {}
    }
}

/// The types `def` holds by value (as indices into `names`, unknown names left out).
fn edges(def: &TypeDef, names: &[&str]) -> Vec<usize> {
    let mut out = Vec::new();
    match &def.kind {
        TypeKind::Struct { fields, .. } => fields.iter().for_each(|f| by_value(&f.ty, &mut out)),
        TypeKind::Union { variants, .. } => variants.iter().for_each(|v| by_value(&v.ty, &mut out)),
        TypeKind::Alias { target } => by_value(target, &mut out),
        TypeKind::Enum { .. } => {}
    }
    let mut out: Vec<usize> = out
        .into_iter()
        .filter_map(|n| names.binary_search(&n).ok())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

const UNSEEN: usize = usize::MAX;

/// Tarjan's SCC over nodes `0..graph.len()`, iterative so deep specs cannot overflow the
/// stack. Returns each node's component id.
fn components(graph: &[Vec<usize>]) -> Vec<usize> {
    struct Walk {
        index: Vec<usize>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        /// The depth-first path: a node and how many of its successors were looked at.
        work: Vec<(usize, usize)>,
        next: usize,
    }
    impl Walk {
        fn enter(&mut self, v: usize) {
            self.index[v] = self.next;
            self.low[v] = self.next;
            self.next += 1;
            self.stack.push(v);
            self.on_stack[v] = true;
            self.work.push((v, 0));
        }
    }
    let n = graph.len();
    let mut w = Walk {
        index: vec![UNSEEN; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        work: Vec::new(),
        next: 0,
    };
    let mut comp = vec![0; n];
    let mut ncomp = 0;
    for start in 0..n {
        if w.index[start] != UNSEEN {
            continue;
        }
        w.enter(start);
        while let Some(&(node, pos)) = w.work.last() {
            if let Some(&s) = graph[node].get(pos) {
                if let Some(top) = w.work.last_mut() {
                    top.1 += 1;
                }
                if w.index[s] == UNSEEN {
                    w.enter(s);
                } else if w.on_stack[s] {
                    w.low[node] = w.low[node].min(w.index[s]);
                }
                continue;
            }
            w.work.pop();
            if let Some(&(parent, _)) = w.work.last() {
                w.low[parent] = w.low[parent].min(w.low[node]);
            }
            if w.low[node] == w.index[node] {
                while let Some(m) = w.stack.pop() {
                    w.on_stack[m] = false;
                    comp[m] = ncomp;
                    if m == node {
                        break;
                    }
                }
                ncomp += 1;
            }
        }
    }
    comp
}

fn box_in(t: &mut TypeRef, targets: &BTreeSet<&str>) {
    match t {
        TypeRef::Named(n) if targets.contains(n.as_str()) => {
            *t = TypeRef::Boxed(Box::new(t.clone()))
        }
        TypeRef::Option(inner) => box_in(inner, targets),
        _ => {}
    }
}

/// Insert `Box` on every by-value edge inside a cycle.
pub fn break_cycles(defs: &mut BTreeMap<String, TypeDef>) {
    // Nodes are indices into the (sorted) names.
    let names: Vec<&str> = defs.keys().map(String::as_str).collect();
    let graph: Vec<Vec<usize>> = defs.values().map(|d| edges(d, &names)).collect();
    let comp = components(&graph);
    let cyclic: Vec<BTreeSet<String>> = graph
        .iter()
        .enumerate()
        .map(|(i, succ)| {
            succ.iter()
                .filter(|&&s| comp[s] == comp[i])
                .map(|&s| names[s].to_owned())
                .collect()
        })
        .collect();
    for (def, same) in defs.values_mut().zip(cyclic) {
        if same.is_empty() {
            continue;
        }
        let same: BTreeSet<&str> = same.iter().map(String::as_str).collect();
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
