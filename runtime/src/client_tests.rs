use super::*;
use crate::test_support::{Client, SPEC, TestBody};

const KEY: &str = "sk-test-topsecret";

type Builder = ClientBuilder<Client>;

fn inner(c: &Client) -> &ClientInner {
    c.0.inner()
}

#[test]
fn build_requires_a_key_and_defaults_sensibly() {
    let e = Client::builder().build().unwrap_err();
    assert!(matches!(e, Error::Config(_)), "{e}");
    let c = Client::builder().api_key(KEY).build().unwrap();
    assert_eq!(c.base_url(), SPEC.default_base_url);
    let ua = inner(&c).user_agent.to_str().unwrap().to_owned();
    assert_eq!(ua, SPEC.user_agent);
    assert!(inner(&c).globals.is_empty());
}

#[test]
fn base_url_trailing_slash_and_invalid_values() {
    let c = Client::builder()
        .api_key(KEY)
        .base_url("http://127.0.0.1:9/api/v1/")
        .build()
        .unwrap();
    assert_eq!(c.base_url(), "http://127.0.0.1:9/api/v1");
    for bad in ["not a url", "ftp://x", "http://x/?a=1"] {
        let e = Client::builder()
            .api_key(KEY)
            .base_url(bad)
            .build()
            .unwrap_err();
        assert!(matches!(e, Error::Config(_)), "{bad}: {e}");
    }
    let e = Client::builder()
        .api_key("bad\nkey-topsecret")
        .build()
        .unwrap_err();
    assert!(!e.to_string().contains("topsecret"), "{e}");
    let e = Client::builder()
        .api_key(KEY)
        .global_header("app_title", "x-app-title", "a\nb".into())
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("app_title"), "{e}");
    let e = Client::builder()
        .api_key(KEY)
        .http_client(reqwest::Client::new())
        .connect_timeout(Duration::from_secs(1))
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::Config(_)));
}

#[test]
fn debug_redacts_the_key() {
    let b = Client::builder()
        .api_key(KEY)
        .global_header("app_title", "x-app-title", "t".into());
    let s = format!("{b:?}");
    assert!(!s.contains("topsecret") && s.contains("[redacted]"), "{s}");
    assert!(s.contains("app_title"), "{s}");
    let c = b.build().unwrap();
    let s = format!("{c:?}");
    assert!(!s.contains("topsecret") && s.contains("[redacted]"), "{s}");
    let b = Client::builder().basic_auth("me", "pw-topsecret");
    let s = format!("{b:?}");
    assert!(!s.contains("topsecret"), "{s}");
}

fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<OsString> {
    move |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| OsString::from(v))
    }
}

#[test]
fn from_env_reads_key_and_base_url() {
    let e = Builder::from_lookup(env(&[])).unwrap_err();
    assert!(e.to_string().contains("EXAMPLE_API_KEY"), "{e}");
    let e = Builder::from_lookup(env(&[("EXAMPLE_API_KEY", "")])).unwrap_err();
    assert!(matches!(e, Error::Config(_)));
    let c = Builder::from_lookup(env(&[
        ("EXAMPLE_API_KEY", KEY),
        ("EXAMPLE_BASE_URL", "http://127.0.0.1:1/v1/"),
    ]))
    .unwrap()
    .build()
    .unwrap();
    assert_eq!(c.base_url(), "http://127.0.0.1:1/v1");
    let c = Builder::from_lookup(env(&[("EXAMPLE_API_KEY", KEY)]))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(c.base_url(), SPEC.default_base_url);
}

/// A spec with other security schemes, built through a second client type.
mod schemes {
    use super::*;

    macro_rules! client_with {
        ($name:ident, $auth:expr, $required:expr) => {
            #[derive(Debug)]
            struct $name(crate::Client);
            impl From<crate::Client> for $name {
                fn from(c: crate::Client) -> Self {
                    $name(c)
                }
            }
            impl ApiClient for $name {
                type ErrorBody = TestBody;
                const SPEC: &'static ApiSpec = &ApiSpec {
                    default_base_url: "http://127.0.0.1:1",
                    user_agent: "t/1",
                    env_prefix: "T",
                    auth: $auth,
                    auth_required: $required,
                    default_retry: None,
                    global_headers: &[],
                };
            }
        };
    }

    client_with!(HeaderKey, &[Auth::Header("x-api-key")], true);
    client_with!(QueryKey, &[Auth::Query("api_key")], true);
    client_with!(Basic, &[Auth::Basic], true);
    client_with!(Anonymous, &[], false);
    client_with!(
        BearerOrHeader,
        &[Auth::Bearer, Auth::Header("api_key"), Auth::Basic],
        true
    );

    /// An operation's own `security` picks the scheme its credential travels by.
    #[test]
    fn an_operation_picks_the_first_scheme_it_accepts() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let c: BearerOrHeader = ClientBuilder::new().api_key(KEY).build().unwrap();
        let with = |accepted: Option<&[Auth]>| {
            rt.block_on(c.0.inner().credential::<()>(accepted))
                .unwrap()
                .map(|r| match r {
                    Resolved::Header(name, value, _) => {
                        format!("{name}: {}", value.to_str().unwrap())
                    }
                    Resolved::Query(name, _) => format!("?{name}"),
                })
        };
        let bearer = format!("authorization: Bearer {KEY}");
        assert_eq!(with(None).as_deref(), Some(bearer.as_str()));
        let header = format!("api_key: {KEY}");
        assert_eq!(
            with(Some(&[Auth::Header("api_key")])).as_deref(),
            Some(header.as_str())
        );
        // Basic was not configured: the next accepted scheme.
        assert_eq!(
            with(Some(&[Auth::Basic, Auth::Bearer])).as_deref(),
            Some(bearer.as_str())
        );
        // No credential for an operation that takes none, or none it accepts.
        assert_eq!(with(Some(&[])), None);
        assert_eq!(with(Some(&[Auth::Basic])), None);
    }

    #[test]
    fn header_query_basic_and_none() {
        let now = |c: &crate::Client| {
            let rt = tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap();
            rt.block_on(c.inner().credential::<()>(None)).unwrap()
        };
        let c: HeaderKey = ClientBuilder::new().api_key(KEY).build().unwrap();
        let Some(Resolved::Header(name, value, _)) = now(&c.0) else {
            panic!("a header credential")
        };
        assert_eq!((name.as_str(), value.to_str().unwrap()), ("x-api-key", KEY));
        assert!(value.is_sensitive());

        let c: QueryKey = ClientBuilder::new().api_key(KEY).build().unwrap();
        assert!(matches!(now(&c.0), Some(Resolved::Query("api_key", ref k)) if k.expose() == KEY));
        assert!(c.0.inner().key_in_query());

        let c: Basic = ClientBuilder::new()
            .basic_auth("Aladdin", "open sesame")
            .build()
            .unwrap();
        let Some(Resolved::Header(_, value, _)) = now(&c.0) else {
            panic!("a header credential")
        };
        assert_eq!(value, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        let e = ClientBuilder::<Basic>::new()
            .api_key(KEY)
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("basic_auth"), "{e}");
        let e = ClientBuilder::<Basic>::from_lookup(env(&[])).unwrap_err();
        assert!(e.to_string().contains("T_USERNAME and T_PASSWORD"), "{e}");

        let c: Anonymous = ClientBuilder::new().build().unwrap();
        assert!(now(&c.0).is_none());
        assert!(ClientBuilder::<Anonymous>::from_lookup(env(&[])).is_ok());
    }

    #[test]
    fn base64_matches_rfc4648() {
        for (input, out) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), out);
        }
    }
}
