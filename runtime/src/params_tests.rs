//! The style table, row by row: primitive, array and object, exploded and not, for every
//! location (values of the OpenAPI specification's own table: `color` = `blue`,
//! `[blue, black, brown]` and `{R: 100, G: 200, B: 150}`).

use super::*;
use serde_json::{Value, json};

fn prim() -> Value {
    json!("blue")
}
fn array() -> Value {
    json!(["blue", "black", "brown"])
}
fn object() -> Value {
    json!({"R": 100, "G": 200, "B": 150})
}

fn query(style: Style, v: &Value) -> String {
    let mut out = QueryPairs::new();
    query_param(&mut out, "color", style, v).unwrap();
    out.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn path(style: Style, v: &Value) -> String {
    path_param("color", style, v).unwrap()
}

fn header(style: Style, v: &Value) -> String {
    let mut out = Vec::new();
    header_param(&mut out, "X-Color", style, v).unwrap();
    assert_eq!(out.len(), 1);
    out.pop().unwrap().1
}

fn cookies(style: Style, v: &Value) -> String {
    let mut out = Vec::new();
    cookie_param(&mut out, "color", style, v).unwrap();
    assert!(out.iter().all(|(n, _)| *n == "cookie"));
    out.iter()
        .map(|(_, v)| v.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

#[test]
fn query_form() {
    for explode in [false, true] {
        assert_eq!(query(Style::form(explode), &prim()), "color=blue");
    }
    assert_eq!(
        query(Style::form(false), &array()),
        "color=blue,black,brown"
    );
    assert_eq!(
        query(Style::form(true), &array()),
        "color=blue&color=black&color=brown"
    );
    assert_eq!(
        query(Style::form(false), &object()),
        "color=R,100,G,200,B,150"
    );
    assert_eq!(query(Style::form(true), &object()), "R=100&G=200&B=150");
}

#[test]
fn query_space_and_pipe_delimited() {
    let space = Style::space_delimited(false);
    let pipe = Style::pipe_delimited(false);
    assert_eq!(query(space, &array()), "color=blue%20black%20brown");
    assert_eq!(query(pipe, &array()), "color=blue%7Cblack%7Cbrown");
    assert_eq!(query(space, &object()), "color=R%20100%20G%20200%20B%20150");
    assert_eq!(query(pipe, &object()), "color=R%7C100%7CG%7C200%7CB%7C150");
    assert_eq!(query(space, &prim()), "color=blue");
    // Exploded, they are `form` exploded (OpenAPI 3.1.1).
    assert_eq!(
        query(Style::pipe_delimited(true), &array()),
        "color=blue&color=black&color=brown"
    );
}

#[test]
fn query_deep_object() {
    let deep = Style::deep_object(true);
    assert_eq!(
        query(deep, &object()),
        "color[R]=100&color[G]=200&color[B]=150"
    );
    assert_eq!(query(deep, &prim()), "color=blue");
    // Conventions where the specification is silent.
    assert_eq!(
        query(deep, &array()),
        "color[]=blue&color[]=black&color[]=brown"
    );
    let nested = json!({"a": {"b": {"c": "x y"}}, "list": [1, 2], "gone": null});
    assert_eq!(
        query(deep, &nested),
        "color[a][b][c]=x%20y&color[list][]=1&color[list][]=2"
    );
    let odd_key = json!({"order id": "1"});
    assert_eq!(query(deep, &odd_key), "color[order%20id]=1");
}

#[test]
fn query_nested_values_in_form() {
    let v = json!({"a": {"b": 1}, "l": ["x", "y"], "s": "t"});
    assert_eq!(query(Style::form(true), &v), "a[b]=1&l[]=x&l[]=y&s=t");
    // Unexploded: a nested value is its JSON text, escaped so its commas are not delimiters.
    assert_eq!(
        query(Style::form(false), &json!([[1, 2], "z"])),
        "color=%5B1%2C2%5D,z"
    );
}

#[test]
fn query_escapes_delimiters_inside_items() {
    let v = json!(["a,b", "c|d", "e f", "g&h=i"]);
    assert_eq!(
        query(Style::form(false), &v),
        "color=a%2Cb,c%7Cd,e%20f,g%26h%3Di"
    );
    assert_eq!(
        query(Style::form(true), &v),
        "color=a%2Cb&color=c%7Cd&color=e%20f&color=g%26h%3Di"
    );
    // A space or pipe would read as the delimiter itself: refused, nothing sent.
    let mut out = QueryPairs::new();
    assert!(
        query_param(
            &mut out,
            "c",
            Style::space_delimited(false),
            &json!(["a b"])
        )
        .is_err()
    );
    assert!(query_param(&mut out, "c", Style::pipe_delimited(false), &json!(["a|b"])).is_err());
    assert!(out.is_empty());
    assert_eq!(
        query(Style::pipe_delimited(false), &json!(["a b", "c"])),
        "color=a%20b%7Cc"
    );
}

#[test]
fn query_allow_reserved() {
    let v = json!("a/b?c=d&e:f[0]@g!$'()*+,;=#%");
    assert_eq!(
        query(Style::form(true).reserved(), &v),
        "color=a/b?c=d&e:f[0]@g!$'()*+,;=%23%25"
    );
    assert_eq!(
        query(Style::form(true), &v),
        "color=a%2Fb%3Fc%3Dd%26e%3Af%5B0%5D%40g%21%24%27%28%29%2A%2B%2C%3B%3D%23%25"
    );
    // A comma is still escaped inside a comma-separated list.
    assert_eq!(
        query(Style::form(false).reserved(), &json!(["a/b", "c,d"])),
        "color=a/b,c%2Cd"
    );
}

#[test]
fn query_scalars_nulls_and_names() {
    let mut out = QueryPairs::new();
    query_param(&mut out, "n", Style::form(true), &None::<i64>).unwrap();
    assert!(out.is_empty());
    query_param(&mut out, "a b", Style::form(true), &Some(1.5)).unwrap();
    query_param(&mut out, "ok", Style::form(true), &true).unwrap();
    query_param(&mut out, "e", Style::form(false), &Vec::<String>::new()).unwrap();
    query_param(&mut out, "x", Style::form(true), &Vec::<String>::new()).unwrap();
    let text: Vec<String> = out.iter().map(|(k, v)| format!("{k}={v}")).collect();
    assert_eq!(text, ["a%20b=1.5", "ok=true", "e="]);
}

#[test]
fn query_content() {
    let v = json!({"a": [1, "x y"]});
    assert_eq!(
        query(Style::json(), &v),
        "color=%7B%22a%22%3A%5B1%2C%22x%20y%22%5D%7D"
    );
    assert_eq!(query(Style::json(), &json!("s")), "color=%22s%22");
    assert_eq!(query(Style::text(), &json!("s t")), "color=s%20t");
}

#[test]
fn path_simple() {
    for explode in [false, true] {
        let s = Style::simple(explode);
        assert_eq!(path(s, &prim()), "blue");
        assert_eq!(path(s, &array()), "blue,black,brown");
    }
    assert_eq!(path(Style::simple(false), &object()), "R,100,G,200,B,150");
    assert_eq!(path(Style::simple(true), &object()), "R=100,G=200,B=150");
}

#[test]
fn path_label() {
    for explode in [false, true] {
        assert_eq!(path(Style::label(explode), &prim()), ".blue");
    }
    assert_eq!(path(Style::label(false), &array()), ".blue,black,brown");
    assert_eq!(path(Style::label(true), &array()), ".blue.black.brown");
    assert_eq!(path(Style::label(false), &object()), ".R,100,G,200,B,150");
    assert_eq!(path(Style::label(true), &object()), ".R=100.G=200.B=150");
}

#[test]
fn path_matrix() {
    for explode in [false, true] {
        assert_eq!(path(Style::matrix(explode), &prim()), ";color=blue");
    }
    assert_eq!(
        path(Style::matrix(false), &array()),
        ";color=blue,black,brown"
    );
    assert_eq!(
        path(Style::matrix(true), &array()),
        ";color=blue;color=black;color=brown"
    );
    assert_eq!(
        path(Style::matrix(false), &object()),
        ";color=R,100,G,200,B,150"
    );
    assert_eq!(path(Style::matrix(true), &object()), ";R=100;G=200;B=150");
    assert_eq!(path(Style::matrix(false), &json!("")), ";color");
}

#[test]
fn path_escapes_and_refuses() {
    assert_eq!(path(Style::simple(false), &json!("a/b c")), "a%2Fb%20c");
    assert_eq!(path(Style::simple(false), &json!(["a,b", "c"])), "a%2Cb,c");
    assert_eq!(path(Style::label(true), &json!(["v1.2", "x"])), ".v1%2E2.x");
    assert_eq!(
        path(Style::matrix(true), &json!(["a;b=c"])),
        ";color=a%3Bb%3Dc"
    );
    assert_eq!(path(Style::simple(false), &json!(42)), "42");
    assert_eq!(path(Style::json(), &json!({"a": 1})), "%7B%22a%22%3A1%7D");
    // These would be resolved away by the URL parser.
    for bad in [json!(""), json!("."), json!(".."), json!([])] {
        assert!(
            path_param("id", Style::simple(false), &bad).is_err(),
            "{bad}"
        );
    }
    assert!(path_param("id", Style::label(false), &json!("")).is_err());
}

#[test]
fn headers() {
    for explode in [false, true] {
        let s = Style::simple(explode);
        assert_eq!(header(s, &prim()), "blue");
        assert_eq!(header(s, &array()), "blue,black,brown");
    }
    assert_eq!(header(Style::simple(false), &object()), "R,100,G,200,B,150");
    assert_eq!(header(Style::simple(true), &object()), "R=100,G=200,B=150");
    assert_eq!(
        header(Style::json(), &object()),
        r#"{"R":100,"G":200,"B":150}"#
    );
    let mut out = Vec::new();
    header_param(&mut out, "X-None", Style::simple(false), &None::<String>).unwrap();
    assert!(out.is_empty());
}

#[test]
fn cookie_form() {
    for explode in [false, true] {
        assert_eq!(cookies(Style::form(explode), &prim()), "color=blue");
    }
    assert_eq!(
        cookies(Style::form(false), &array()),
        "color=blue,black,brown"
    );
    assert_eq!(
        cookies(Style::form(true), &array()),
        "color=blue; color=black; color=brown"
    );
    assert_eq!(
        cookies(Style::form(false), &object()),
        "color=R,100,G,200,B,150"
    );
    assert_eq!(cookies(Style::form(true), &object()), "R=100; G=200; B=150");
    assert_eq!(
        cookies(Style::form(false), &json!(["a b", "c,d;e"])),
        "color=a%20b,c%2Cd%3Be"
    );
    assert_eq!(cookies(Style::json(), &json!([1])), "color=[1]");
}
