//! Response decoders shared between operations. Most operations of a document answer the
//! same way (one success status, the same error statuses): the operations whose responses
//! decode alike call one decoder, generic over the JSON result type, instead of a copy each.
//! The model decides each decoder's arms and name; `emit` prints them.

use super::names::Registry;
use super::operation::{Operation, ResponseKind, StatusMatch, Success};
use super::responses::is_success;
use std::collections::{BTreeMap, BTreeSet};

/// One decoder function of the operations file.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoder {
    /// Claimed in the operations module's value namespace (`decode_json_200_4xx`).
    pub name: String,
    pub out: DecodeOut,
    /// Match arms in order: exact codes, then ranges, then the catch-all (always present).
    pub arms: Vec<(StatusMatch, ArmAction)>,
    /// The features of the groups whose operations call it, sorted.
    pub features: Vec<String>,
}

/// What a decoder returns on success.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DecodeOut {
    /// Any `T: DeserializeOwned`: the decoder is generic, each caller names its type.
    Json,
    Unit,
    Bytes,
}

/// What a status does.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ArmAction {
    /// Success: the body is the result, as JSON.
    Json,
    /// Success with nothing to read.
    Empty,
    /// Success: the body's bytes are the result.
    Bytes,
    /// The status's body has no place in the result (a success body of another shape, or
    /// a status not documented).
    Unexpected,
    /// An error whose body parses into this `ApiErrorBody` variant.
    ApiError(String),
    /// A documented error without a schema.
    Unparsed,
}

/// The arms of an operation's decoder; `stream`: the decoder of an event stream's error
/// statuses, whose success bodies are read as events instead.
fn arms(op: &Operation, stream: bool) -> Vec<(StatusMatch, ArmAction)> {
    let success = |kind: ResponseKind| match (&op.success, kind) {
        _ if stream => ArmAction::Empty,
        (Success::Json(_), ResponseKind::Json) => ArmAction::Json,
        (Success::Unit, _) => ArmAction::Empty,
        (Success::Bytes, ResponseKind::Bytes) => ArmAction::Bytes,
        _ => ArmAction::Unexpected,
    };
    let mut arms = Vec::new();
    for r in &op.responses {
        let action = if is_success(r.status) {
            success(r.kind)
        } else if let Some(v) = &r.error_variant {
            ArmAction::ApiError(v.clone())
        } else {
            ArmAction::Unparsed
        };
        if r.default_success {
            // No 2XX is declared, so `default` describes success as well.
            arms.push((StatusMatch::Range(2), success(r.kind)));
        }
        arms.push((r.status, action));
    }
    // Exact codes, then ranges, then the catch-all: Rust matches top to bottom.
    arms.sort_by_key(|(s, _)| match s {
        StatusMatch::Code(_) => 0,
        StatusMatch::Range(_) => 1,
        StatusMatch::Default => 2,
    });
    if !arms.iter().any(|(s, _)| *s == StatusMatch::Default) {
        arms.push((StatusMatch::Default, ArmAction::Unexpected));
    }
    arms
}

/// `decode_json_201_4xx_5xx`: what it returns, then the documented statuses.
fn base_name(out: DecodeOut, arms: &[(StatusMatch, ArmAction)]) -> String {
    let mut name = String::from(match out {
        DecodeOut::Json => "decode_json",
        DecodeOut::Unit => "decode_empty",
        DecodeOut::Bytes => "decode_bytes",
    });
    for (status, action) in arms {
        match status {
            StatusMatch::Code(c) => name.push_str(&format!("_{c}")),
            StatusMatch::Range(r) => name.push_str(&format!("_{r}xx")),
            StatusMatch::Default if *action != ArmAction::Unexpected => name.push_str("_other"),
            StatusMatch::Default => {}
        }
    }
    name
}

/// Gives every operation its decoders (`idents.decode`, `idents.stream_error`), shared by
/// every operation whose responses decode alike, claiming their names in `items` in the
/// order operations first use them (the operations are sorted: deterministic).
pub fn share(
    operations: &mut [Operation],
    features: &BTreeMap<String, String>,
    items: &mut Registry,
) -> Vec<Decoder> {
    let mut decoders: Vec<Decoder> = Vec::new();
    let mut index: BTreeMap<(DecodeOut, Vec<(StatusMatch, ArmAction)>), usize> = BTreeMap::new();
    let mut users: Vec<BTreeSet<String>> = Vec::new();
    let mut claim = |out: DecodeOut, arms: Vec<(StatusMatch, ArmAction)>, group: &str| {
        let i = *index.entry((out, arms.clone())).or_insert_with(|| {
            decoders.push(Decoder {
                name: items.claim(&base_name(out, &arms)),
                out,
                arms,
                features: Vec::new(),
            });
            users.push(BTreeSet::new());
            decoders.len() - 1
        });
        if let Some(f) = features.get(group) {
            users[i].insert(f.clone());
        }
        decoders[i].name.clone()
    };
    for op in operations.iter_mut() {
        let out = match op.success {
            Success::Json(_) => Some(DecodeOut::Json),
            Success::Unit => Some(DecodeOut::Unit),
            Success::Bytes => Some(DecodeOut::Bytes),
            Success::Stream => None,
        };
        if let Some(out) = out {
            op.idents.decode = claim(out, arms(op, false), &op.group);
        }
        if op.stream.is_some() {
            op.idents.stream_error = Some(claim(DecodeOut::Unit, arms(op, true), &op.group));
        }
    }
    for (d, u) in decoders.iter_mut().zip(users) {
        d.features = u.into_iter().collect();
    }
    decoders
}
