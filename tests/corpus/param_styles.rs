//! Hand-written test copied by `cargo xtask corpus` into the crate generated from
//! `tests/fixtures/ok/param_styles.yaml`: the exact bytes every row of the style table
//! puts on the wire, on a real server on 127.0.0.1, including the conventions where the
//! specification is silent, escaping of delimiters inside items, `allowReserved`, `content`
//! parameters and cookies.

use corpus_param_styles::{
    CookieStylesParams, Error, Filter, FilterCreated, HeaderStylesParams, MockServer, Point,
    QueryStylesParams,
};

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn point() -> Point {
    Point::new().r(100).g(200).b(150)
}

/// The raw query string of one `queryStyles` call, or its error (nothing sent then).
async fn query_of(params: QueryStylesParams) -> Result<String, Error> {
    let mock = MockServer::start().await;
    let endpoint = mock.query().query_styles().respond_status(204).await;
    let client = mock.client().expect("client");
    let sent = client.query().query_styles(params).await;
    let received = endpoint.received().await;
    sent?;
    assert_eq!(received.len(), 1);
    Ok(received[0].raw_query.clone().unwrap_or_default())
}

#[tokio::test]
async fn query_table() {
    let q = QueryStylesParams::new;
    let filter = Filter::new()
        .name("x y")
        .created(FilterCreated::new().gt(1).lt(5))
        .tags(strings(&["a", "b"]));
    let cases = [
        (q().prim("a b/c"), "prim=a%20b%2Fc"),
        (q().csv(strings(&["blue", "black"])), "csv=blue,black"),
        (q().csv(strings(&["a,b", "c"])), "csv=a%2Cb,c"),
        (q().multi(strings(&["x", "y z"])), "multi=x&multi=y%20z"),
        (q().pair(point()), "pair=R,100,G,200,B,150"),
        (q().flat(point()), "R=100&G=200&B=150"),
        (q().space(strings(&["a", "b"])), "space=a%20b"),
        (
            q().space_obj(point()),
            "spaceObj=R%20100%20G%20200%20B%20150",
        ),
        (q().pipe(vec![1, 2, 3]), "pipe=1%7C2%7C3"),
        (q().pipe_obj(point()), "pipeObj=R%7C100%7CG%7C200%7CB%7C150"),
        (
            q().filter(filter),
            "filter[name]=x%20y&filter[created][gt]=1&filter[created][lt]=5\
             &filter[tags][]=a&filter[tags][]=b",
        ),
        (
            q().expand(strings(&["customer", "invoice.lines"])),
            "expand[]=customer&expand[]=invoice.lines",
        ),
        (
            q().redirect("https://x.example/a/b?c=d"),
            "redirect=https://x.example/a/b?c=d",
        ),
        (
            q().r#where(point()),
            "where=%7B%22R%22%3A100%2C%22G%22%3A200%2C%22B%22%3A150%7D",
        ),
        (q(), ""),
    ];
    for (params, expected) in cases {
        assert_eq!(query_of(params).await.expect("sent"), expected);
    }
}

#[tokio::test]
async fn an_item_holding_the_delimiter_is_refused() {
    // `%20` is both the delimiter and an escaped space: no server could split it back.
    let err = query_of(QueryStylesParams::new().space(strings(&["a b"])))
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
    assert!(err.to_string().contains("space"), "{err}");
}

#[tokio::test]
async fn path_table() {
    let mock = MockServer::start().await;
    let endpoint = mock.path().path_styles().respond_status(204).await;
    let client = mock.client().expect("client");
    client
        .path()
        .path_styles(
            42,
            "blue",
            strings(&["v1.2", "x"]),
            point(),
            "blue",
            strings(&["a", "b"]),
            point(),
            point(),
            point(),
        )
        .await
        .expect("sent");
    // A `.` inside a `label` item is escaped: it is the delimiter there.
    let empty = client
        .path()
        .path_styles(
            1,
            "a",
            Vec::<String>::new(),
            point(),
            "m",
            strings(&["a"]),
            point(),
            point(),
            point(),
        )
        .await
        .expect_err("`.` alone would be resolved away");
    assert!(matches!(empty, Error::InvalidRequest(_)), "{empty}");
    let received = endpoint.received().await;
    assert_eq!(received.len(), 1, "the refused call sent nothing");
    assert_eq!(
        received[0].path,
        "/path/42/.blue/.v1%2E2.x/.R,100,G,200,B,150/;mtx=blue/;mtxa=a,b\
         /;R=100;G=200;B=150/R,100,G,200,B,150/R=100,G=200,B=150"
    );
}

#[tokio::test]
async fn header_table() {
    let mock = MockServer::start().await;
    let endpoint = mock.header().header_styles().respond_status(204).await;
    let client = mock.client().expect("client");
    let params = HeaderStylesParams::new()
        .x_list(vec![1, 2])
        .x_obj(point())
        .x_obj_exploded(point())
        .x_json(point());
    client
        .header()
        .header_styles("k1", params)
        .await
        .expect("sent");
    let r = &endpoint.received().await[0];
    assert_eq!(r.header("x-api-key"), Some("k1"));
    assert_eq!(r.header("x-list"), Some("1,2"));
    assert_eq!(r.header("x-obj"), Some("R,100,G,200,B,150"));
    assert_eq!(r.header("x-obj-exploded"), Some("R=100,G=200,B=150"));
    assert_eq!(r.header("x-json"), Some(r#"{"R":100,"G":200,"B":150}"#));
}

#[tokio::test]
async fn cookie_table() {
    let mock = MockServer::start().await;
    let endpoint = mock.cookie().cookie_styles().respond_status(204).await;
    let client = mock.client().expect("client");
    let params = CookieStylesParams::new()
        .list(strings(&["a", "b c"]))
        .multi(strings(&["x", "y"]))
        .pair(point())
        .flat(point());
    client
        .cookie()
        .cookie_styles("abc", params)
        .await
        .expect("sent");
    let r = &endpoint.received().await[0];
    assert_eq!(
        r.header("cookie"),
        Some(
            "session=abc; list=a,b%20c; multi=x; multi=y; pair=R,100,G,200,B,150; R=100; G=200; B=150"
        )
    );
}
