//! The runtime's `Builder` derive: what `new` takes and sets, and what each setter does,
//! for every field kind the generator writes (required, required and nullable, an `Option`
//! behind an alias, optional, optional and nullable, kept unknown keys), plus a setter the
//! model renamed, a `new_only` type (and its `mock()`) and an operation's optional parameters.

use openapi_gen_runtime::__private::{Builder, Placeholder};
use openapi_gen_runtime::Tristate;
use std::collections::BTreeMap;

type OptionalAlias = Option<Vec<i64>>;

#[derive(Debug, PartialEq, Builder)]
struct Request {
    a: String,
    /// Required, of an alias type: `new` takes `impl Into<OptionalAlias>`.
    b: OptionalAlias,
    /// Required and nullable: `new` takes the `Option` as it is.
    c: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<bool>,
    #[serde(rename = "type", skip_serializing_if = "Tristate::is_absent")]
    r#type: Tristate<i64>,
    /// The model named this setter `new2` (a field called `new`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[builder(setter = new2)]
    new: Option<u8>,
    #[serde(flatten)]
    others: BTreeMap<String, i64>,
}

#[derive(Debug, PartialEq, Builder, Placeholder)]
#[builder(new_only)]
struct Received {
    id: i64,
    /// Required and nullable: its placeholder is `None`.
    tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[test]
fn new_takes_the_required_fields_and_leaves_the_rest_absent() {
    let v = Request::new("x", None, Some("c".to_owned()));
    assert_eq!(
        v,
        Request {
            a: "x".to_owned(),
            b: None,
            c: Some("c".to_owned()),
            d: None,
            r#type: Tristate::Absent,
            new: None,
            others: BTreeMap::new(),
        }
    );
    assert_eq!(
        Request::new(String::from("y"), Some(vec![1]), None).b,
        Some(vec![1])
    );
}

#[test]
fn setters_set_one_field_each() {
    let v = Request::new("x", None, None).d(true).r#type(5).new2(7u8);
    assert_eq!(
        (&v.d, &v.r#type, &v.new),
        (&Some(true), &Tristate::Value(5), &Some(7))
    );
    let v = v.r#type(Tristate::Null);
    assert_eq!(v.r#type, Tristate::Null);
    assert_eq!(v.r#type(Tristate::Absent).r#type, Tristate::Absent);
}

/// An operation's optional parameters.
#[derive(Debug, Default, PartialEq, Builder)]
#[builder(parameters)]
struct Params {
    limit: Option<u32>,
    #[builder(wire = "X-Trace")]
    x_trace: Option<String>,
    #[builder(setter = new2)]
    new: Option<bool>,
}

#[test]
fn parameters_start_unset_and_set_one_each() {
    assert_eq!(Params::new(), Params::default());
    let p = Params::new().limit(5u32).x_trace("t").new2(true);
    assert_eq!(
        p,
        Params {
            limit: Some(5),
            x_trace: Some("t".to_owned()),
            new: Some(true)
        }
    );
}

#[test]
fn new_only_has_a_constructor_and_named_setters() {
    let v = Received::new(3, None);
    assert_eq!(
        v,
        Received {
            id: 3,
            tag: None,
            note: None
        }
    );
    let named = Received::new(0, None).with_note("hi").with_id(7);
    assert_eq!(
        named,
        Received {
            id: 7,
            tag: None,
            note: Some("hi".to_owned())
        }
    );
}

/// `mock()`: placeholders for the required fields, the optional ones absent; then by name.
#[test]
fn mock_starts_at_placeholders() {
    assert_eq!(
        Received::mock(),
        Received {
            id: 0,
            tag: None,
            note: None
        }
    );
    assert_eq!(Received::mock().with_tag("t").tag.as_deref(), Some("t"));
}
