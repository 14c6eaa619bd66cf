//! Hand-written test copied by `cargo xtask corpus` into the crate generated from the
//! fragment `r20-parameter-styles.yaml`: every parameter's `x-expected` wire form holds on
//! a real server on 127.0.0.1, byte for byte (with `|` sent as `%7C` and a space as `%20`,
//! as RFC 3986 requires and the document says).

use corpus_r20_parameter_styles::{HeaderStylesParams, MockServer, Point, QueryStylesParams};

fn colors() -> Vec<String> {
    ["blue", "black", "brown"].map(String::from).to_vec()
}

fn point() -> Point {
    Point::new().r(100).g(200).b(150)
}

/// The raw query string of one `queryStyles` call.
async fn query_of(params: QueryStylesParams) -> String {
    let mock = MockServer::start().await;
    let endpoint = mock.query().query_styles().respond_status(204).await;
    let client = mock.client().expect("client");
    client.query().query_styles(params).await.expect("sent");
    let received = endpoint.received().await;
    assert_eq!(received.len(), 1);
    received[0].raw_query.clone().unwrap_or_default()
}

#[tokio::test]
async fn query_styles_match_x_expected() {
    let q = QueryStylesParams::new;
    let cases = [
        (q().csv(colors()), "csv=blue,black,brown"),
        (q().multi(colors()), "multi=blue&multi=black&multi=brown"),
        (q().space(colors()), "space=blue%20black%20brown"),
        (q().pipe(colors()), "pipe=blue%7Cblack%7Cbrown"),
        (q().point(point()), "point[R]=100&point[G]=200&point[B]=150"),
        (q().flat(point()), "R=100&G=200&B=150"),
        (q().pair(point()), "pair=R,100,G,200,B,150"),
        (q().ids(vec![1, 2]), "ids=1&ids=2"),
    ];
    for (params, expected) in cases {
        assert_eq!(query_of(params).await, expected);
    }
    // All at once: in the document's order.
    let all = q()
        .csv(colors())
        .multi(colors())
        .space(colors())
        .pipe(colors())
        .point(point())
        .flat(point())
        .pair(point())
        .ids(vec![1, 2]);
    assert_eq!(
        query_of(all).await,
        "csv=blue,black,brown&multi=blue&multi=black&multi=brown\
         &space=blue%20black%20brown&pipe=blue%7Cblack%7Cbrown\
         &point[R]=100&point[G]=200&point[B]=150&R=100&G=200&B=150\
         &pair=R,100,G,200,B,150&ids=1&ids=2"
    );
}

#[tokio::test]
async fn path_styles_match_x_expected() {
    let mock = MockServer::start().await;
    let endpoint = mock.path().path_styles().respond_status(204).await;
    let client = mock.client().expect("client");
    client
        .path()
        .path_styles(colors(), colors(), colors())
        .await
        .expect("sent");
    let received = endpoint.received().await;
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].path,
        "/path/.blue,black,brown/;matrix=blue;matrix=black;matrix=brown/blue,black,brown"
    );
}

#[tokio::test]
async fn header_styles_match_x_expected() {
    let mock = MockServer::start().await;
    let endpoint = mock.header().header_styles().respond_status(204).await;
    let client = mock.client().expect("client");
    let params = HeaderStylesParams::new()
        .x_colors(colors())
        .x_point(point());
    client.header().header_styles(params).await.expect("sent");
    let received = endpoint.received().await;
    assert_eq!(received[0].header("x-colors"), Some("blue,black,brown"));
    assert_eq!(received[0].header("x-point"), Some("R=100,G=200,B=150"));
}
