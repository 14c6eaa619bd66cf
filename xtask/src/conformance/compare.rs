//! What the request oracle decoded against what the driver was asked to send.
//!
//! Normalisations (each is something two correct implementations may write differently):
//! - numbers compare by value (`1` = `1.0`): the client writes what its Rust type holds;
//! - two strings that are both RFC 3339 date-times compare as instants (`Z` = `+00:00`,
//!   `.0` fractions): the client writes chrono's form, openapi-core Python's `isoformat`;
//! - a header parameter is looked up by its name without case (HTTP header names have none);
//! - keys the oracle decoded that were not sent are ignored (openapi-core fills in each
//!   schema's `default`); every key that was sent must come back equal;
//! - a parameter (not a body) sent as a number or boolean may come back as the same text
//!   (`false` as `"false"`): on the wire both are that text, and where the schema admits a
//!   string too (`anyOf: [string, boolean]`) openapi-core reads the first that fits.

use serde_json::Value;

/// The findings on one call.
#[derive(Debug, Default, PartialEq)]
pub struct Findings {
    /// The oracle's validation errors.
    pub violations: Vec<String>,
    /// A value that came back different from the one sent.
    pub mismatches: Vec<String>,
    /// A difference on a parameter whose form the oracle does not decode (not a failure).
    pub gaps: Vec<String>,
}

/// A parameter the oracle cannot decode: `(location, wire name, why)`.
pub type Gap = (String, String, String);

const LOCATIONS: [&str; 4] = ["path", "query", "header", "cookie"];

/// Compare the arguments `sent` (`{"path": {..}, .., "body": ..}`) with the oracle's
/// `echo` (`{"errors": [..], "parameters": {"path": {..}, ..}, "body": ..}`).
pub fn compare(sent: &Value, echo: &Value, gaps: &[Gap]) -> Findings {
    let mut f = Findings::default();
    let gap_of = |loc: &str, wire: &str| {
        gaps.iter()
            .find(|(l, w, _)| l == loc && w.eq_ignore_ascii_case(wire))
            .map(|(_, _, why)| why.clone())
    };
    for e in echo["errors"].as_array().into_iter().flatten() {
        let text = e.as_str().map_or_else(|| e.to_string(), str::to_owned);
        // An error that names a parameter the oracle cannot decode is that gap.
        match gaps.iter().find(|(_, w, _)| {
            text.contains(&format!("'{w}'"))
                || text.contains(&format!("`{w}`"))
                || text.contains(&format!(" {w} <-"))
                || text.ends_with(&format!(": {w}"))
        }) {
            Some((l, w, why)) => f.gaps.push(format!("{l} `{w}`: {why} ({text})")),
            None => f.violations.push(text),
        }
    }
    for loc in LOCATIONS {
        let Some(args) = sent[loc].as_object() else {
            continue;
        };
        let decoded = &echo["parameters"][loc];
        for (wire, value) in args {
            let got = if loc == "header" {
                decoded.as_object().and_then(|m| {
                    m.iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(wire))
                        .map(|(_, v)| v)
                })
            } else {
                decoded.get(wire)
            };
            let same = got.is_some_and(|g| equal(value, g) || same_text(value, g));
            if same {
                continue;
            }
            let got = got.map_or_else(|| "nothing".to_owned(), |g| format!("`{g}`"));
            let line = format!("{loc} `{wire}`: sent `{value}`, the oracle decoded {got}");
            match gap_of(loc, wire) {
                Some(why) => f.gaps.push(format!("{line} ({why})")),
                None => f.mismatches.push(line),
            }
        }
    }
    // Where the oracle cannot decode the body's form encoding, it says so.
    let mut body_gap = false;
    for g in echo["oracle_gaps"].as_array().into_iter().flatten() {
        let g = g.as_str().map_or_else(|| g.to_string(), str::to_owned);
        body_gap |= g.starts_with("body");
        f.gaps.push(g);
    }
    if let Some(body) = sent.get("body")
        && !body_gap
        && !equal(body, &echo["body"])
    {
        f.mismatches.push(format!(
            "body: sent `{body}`, the oracle decoded `{}`",
            echo["body"]
        ));
    }
    f
}

/// `sent` and `got` are the same value, up to the normalisations in the module docs.
pub fn equal(sent: &Value, got: &Value) -> bool {
    match (sent, got) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::String(a), Value::String(b)) => {
            a == b || matches!((instant(a), instant(b)), (Some(x), Some(y)) if x == y)
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| equal(x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.iter().all(|(k, v)| b.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => sent == got,
    }
}

/// A scalar parameter and the string of its wire text.
fn same_text(sent: &Value, got: &Value) -> bool {
    matches!((sent, got), (Value::Number(_) | Value::Bool(_), Value::String(s)) if s.as_str() == sent.to_string().as_str())
}

/// An RFC 3339 date-time as (seconds from 0000-03-01 in UTC, nanoseconds).
fn instant(s: &str) -> Option<(i64, u32)> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &s[19..];
    let mut nanos = 0u32;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        let text = format!("{:0<9}", &frac[..digits.min(9)]);
        nanos = text.parse().ok()?;
        rest = &frac[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (oh, om) = (
                rest.get(1..3)?.parse::<i64>().ok()?,
                rest.get(4..6)?.parse::<i64>().ok()?,
            );
            sign * (oh * 3600 + om * 60)
        }
    };
    // Days from a March-based calendar (leap day last), enough to compare instants.
    let (y, mo) = if mo <= 2 {
        (y - 1, mo + 9)
    } else {
        (y, mo - 3)
    };
    let days = 365 * y + y / 4 - y / 100 + y / 400 + (153 * mo + 2) / 5 + d - 1;
    Some((days * 86400 + h * 3600 + mi * 60 + sec - offset, nanos))
}

/// The JSON pointer of the value at `line`/`column` (1-based, as serde_json reports them) of
/// `text`: where a decode failure is, inside the response body.
pub fn pointer_at(text: &str, line: usize, column: usize) -> String {
    let offset: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>()
        + column.saturating_sub(1);
    // The path of containers open at `offset`: (key or index, is_object).
    let mut stack: Vec<(String, bool, usize)> = Vec::new();
    let mut key = String::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut string = String::new();
    for (i, c) in text.char_indices() {
        if i >= offset {
            break;
        }
        if in_string {
            if escaped {
                escaped = false;
                string.push(c);
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            } else {
                string.push(c);
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                string.clear();
            }
            ':' => key = std::mem::take(&mut string),
            '{' => stack.push((std::mem::take(&mut key), true, 0)),
            '[' => stack.push((std::mem::take(&mut key), false, 0)),
            '}' | ']' => {
                stack.pop();
            }
            ',' => {
                if let Some(top) = stack.last_mut() {
                    top.2 += 1;
                }
            }
            _ => {}
        }
    }
    let mut out = String::new();
    for (i, (_, is_object, index)) in stack.iter().enumerate() {
        let seg = if *is_object {
            // The key of the child is the next frame's key, or the current one.
            stack
                .get(i + 1)
                .map_or_else(|| key.clone(), |next| next.0.clone())
        } else {
            index.to_string()
        };
        if *is_object && seg.is_empty() {
            continue;
        }
        out.push('/');
        out.push_str(&seg.replace('~', "~0").replace('/', "~1"));
    }
    if out.is_empty() { "/".into() } else { out }
}

/// `line N column M` in a serde_json message.
pub fn line_column(message: &str) -> Option<(usize, usize)> {
    let at = message.rfind(" at line ")?;
    let rest = &message[at + " at line ".len()..];
    let (line, rest) = rest.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.parse().ok()?, column.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn echo(parameters: Value, body: Value) -> Value {
        json!({"errors": [], "parameters": parameters, "body": body})
    }

    #[test]
    fn equal_values_pass_after_normalisation() {
        let sent = json!({"query": {"n": 1, "when": "2024-01-02T03:04:05Z"}, "header": {"X-Id": "a"}, "body": {"a": [1.5]}});
        let got = echo(
            json!({"query": {"n": 1.0, "when": "2024-01-02T04:04:05+01:00", "limit": 20}, "header": {"x-id": "a"}}),
            json!({"a": [1.5], "filled": true}),
        );
        assert_eq!(compare(&sent, &got, &[]), Findings::default());
    }

    /// The case validation alone misses: a comma-separated list sent exploded decodes as its
    /// first item.
    #[test]
    fn a_wrongly_serialised_list_is_a_mismatch() {
        let sent = json!({"query": {"csv": ["blue", "black"]}});
        let got = echo(json!({"query": {"csv": ["blue"]}}), Value::Null);
        let f = compare(&sent, &got, &[]);
        assert_eq!(f.mismatches.len(), 1, "{f:?}");
        assert!(f.mismatches[0].contains("query `csv`"), "{f:?}");
        assert!(f.violations.is_empty() && f.gaps.is_empty());
    }

    #[test]
    fn missing_values_errors_and_bodies_are_found() {
        let sent = json!({"path": {"id": "x"}, "body": {"a": 1}});
        let mut got = echo(json!({}), json!({"a": 2}));
        got["errors"] = json!(["MissingRequiredParameter: 'id'"]);
        let f = compare(&sent, &got, &[]);
        assert_eq!(f.violations.len(), 1);
        assert_eq!(f.mismatches.len(), 2, "{f:?}");
    }

    #[test]
    fn a_difference_the_oracle_cannot_decode_is_a_gap() {
        let sent = json!({"query": {"space": ["a", "b"]}});
        let got = echo(json!({"query": {"space": ["a b"]}}), Value::Null);
        let gaps = [(
            "query".to_owned(),
            "space".to_owned(),
            "no spaceDelimited".to_owned(),
        )];
        let f = compare(&sent, &got, &gaps);
        assert!(f.mismatches.is_empty() && f.gaps.len() == 1, "{f:?}");
    }

    #[test]
    fn date_times_and_numbers_differ_when_they_differ() {
        assert!(!equal(
            &json!("2024-01-02T03:04:05Z"),
            &json!("2024-01-02T03:04:06Z")
        ));
        assert!(equal(
            &json!("2024-01-02T03:04:05.5Z"),
            &json!("2024-01-02T03:04:05.500+00:00")
        ));
        assert!(!equal(&json!(1), &json!(2)));
        assert!(!equal(&json!("1"), &json!(1)));
    }

    #[test]
    fn a_scalar_parameter_may_come_back_as_its_text_but_a_body_may_not() {
        let sent = json!({"query": {"keep": false}, "body": {"n": 1}});
        let got = echo(json!({"query": {"keep": "false"}}), json!({"n": "1"}));
        let f = compare(&sent, &got, &[]);
        assert_eq!(f.mismatches.len(), 1, "{f:?}");
        assert!(f.mismatches[0].starts_with("body"), "{f:?}");
    }

    /// Located where serde_json itself reports the failure.
    #[test]
    fn serde_errors_are_located() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Item {
            id: i64,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Page {
            data: Vec<Item>,
            next: Option<Item>,
        }
        for (text, want) in [
            ("{\"data\": [{\"id\": 1}, {\"id\": \"x\"}]}", "/data/1/id"),
            (
                "{\n  \"data\": [],\n  \"next\": {\"id\": true}\n}",
                "/next/id",
            ),
            ("{\"data\": [{\"id\": 1}, {}]}", "/data/1"),
        ] {
            let e = serde_json::from_str::<Page>(text).unwrap_err().to_string();
            let (l, c) = line_column(&e).unwrap();
            assert_eq!(pointer_at(text, l, c), want, "{e}");
        }
    }

    #[test]
    fn decode_failures_are_located() {
        let text = r#"{"data": [{"id": 1}, {"id": "x", "n": {"deep": true}}]}"#;
        let col = text.find("\"x\"").unwrap() + 2;
        assert_eq!(pointer_at(text, 1, col), "/data/1/id");
        let col = text.find("true").unwrap() + 2;
        assert_eq!(pointer_at(text, 1, col), "/data/1/n/deep");
        assert_eq!(
            line_column("invalid type: string \"x\", expected i64 at line 1 column 27"),
            Some((1, 27))
        );
    }
}
