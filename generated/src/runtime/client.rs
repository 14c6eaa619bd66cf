//! [`Client`] and [`ClientBuilder`].

use std::ffi::OsString;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::error::Error;
use super::retry::RetryPolicy;
use super::secret::Secret;

/// Environment variable holding the API key read by [`Client::from_env`].
pub const API_KEY_ENV: &str = "OPENROUTER_API_KEY";
/// Environment variable overriding the base URL in [`Client::from_env`].
pub const BASE_URL_ENV: &str = "OPENROUTER_BASE_URL";
/// Prefix of the default `User-Agent` (followed by `/<crate version>`).
const USER_AGENT_PREFIX: &str = "openrouter-rust";
/// Attribution headers.
pub(crate) const HTTP_REFERER: &str = "http-referer";
pub(crate) const APP_TITLE: &str = "x-openrouter-title";
pub(crate) const APP_CATEGORIES: &str = "x-openrouter-categories";

/// An API client. Cheap to clone (the state lives behind an `Arc`); share one per process.
///
/// Operation groups are added by the generated code (`client.keys()`, `client.byok()`, ...).
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub(crate) http: reqwest::Client,
    /// Without trailing slash.
    pub(crate) base_url: String,
    /// `Bearer <key>`, marked sensitive.
    pub(crate) authorization: HeaderValue,
    pub(crate) user_agent: HeaderValue,
    pub(crate) http_referer: Option<HeaderValue>,
    pub(crate) app_title: Option<HeaderValue>,
    pub(crate) app_categories: Option<HeaderValue>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry_policy: Option<RetryPolicy>,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from `OPENROUTER_API_KEY` (required) and `OPENROUTER_BASE_URL`
    /// (optional). See [`ClientBuilder::from_env`] to customise further.
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// The base URL requests are sent to (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    pub(crate) fn inner(&self) -> &ClientInner {
        &self.inner
    }
}

fn header_str(v: &Option<HeaderValue>) -> Option<&str> {
    v.as_ref().map(|v| v.to_str().unwrap_or("<non-ascii>"))
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &i.base_url)
            .field("api_key", &Secret::default())
            .field(
                "user_agent",
                &i.user_agent.to_str().unwrap_or("<non-ascii>"),
            )
            .field("http_referer", &header_str(&i.http_referer))
            .field("app_title", &header_str(&i.app_title))
            .field("app_categories", &header_str(&i.app_categories))
            .field("timeout", &i.timeout)
            .field("retry_policy", &i.retry_policy)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]. Only [`api_key`](Self::api_key) is required.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    api_key: Option<Secret>,
    base_url: Option<String>,
    http_referer: Option<String>,
    app_title: Option<String>,
    app_categories: Option<String>,
    user_agent: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry_policy: Option<RetryPolicy>,
    http_client: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url)
            .field("http_referer", &self.http_referer)
            .field("app_title", &self.app_title)
            .field("app_categories", &self.app_categories)
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry_policy", &self.retry_policy)
            .field("http_client", &self.http_client.as_ref().map(|_| ".."))
            .finish()
    }
}

impl ClientBuilder {
    /// A builder pre-filled from `OPENROUTER_API_KEY` (required) and `OPENROUTER_BASE_URL`
    /// (used when set and non-empty). Errors never contain the variables' values.
    pub fn from_env() -> Result<ClientBuilder, Error> {
        Self::from_lookup(|name| std::env::var_os(name))
    }

    fn from_lookup(lookup: impl Fn(&str) -> Option<OsString>) -> Result<ClientBuilder, Error> {
        let read = |name: &str| -> Result<Option<String>, Error> {
            match lookup(name) {
                None => Ok(None),
                Some(v) if v.is_empty() => Ok(None),
                Some(v) => v
                    .into_string()
                    .map(Some)
                    .map_err(|_| Error::Config(format!("{name} is not valid UTF-8"))),
            }
        };
        let key = read(API_KEY_ENV)?.ok_or_else(|| {
            Error::Config(format!("environment variable {API_KEY_ENV} is not set"))
        })?;
        let mut builder = ClientBuilder::default().api_key(key);
        if let Some(url) = read(BASE_URL_ENV)? {
            builder = builder.base_url(url);
        }
        Ok(builder)
    }

    /// The API key, sent as `Authorization: Bearer <key>`.
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Base URL (default: the spec's first server). A trailing slash is tolerated.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// `HTTP-Referer` attribution header (only sent when set).
    pub fn http_referer(mut self, value: impl Into<String>) -> Self {
        self.http_referer = Some(value.into());
        self
    }

    /// `X-OpenRouter-Title` attribution header (only sent when set).
    pub fn app_title(mut self, value: impl Into<String>) -> Self {
        self.app_title = Some(value.into());
        self
    }

    /// `X-OpenRouter-Categories` attribution header, comma-separated (only sent when set).
    pub fn app_categories(mut self, value: impl Into<String>) -> Self {
        self.app_categories = Some(value.into());
        self
    }

    /// `User-Agent` (default `openrouter-rust/<crate version>`).
    pub fn user_agent(mut self, value: impl Into<String>) -> Self {
        self.user_agent = Some(value.into());
        self
    }

    /// Timeout for a whole request (connect, send, read the body), per attempt.
    /// [`Call::timeout`](super::Call::timeout) overrides it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Timeout for establishing a connection. Not applicable with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Retry policy for every call, replacing the per-operation defaults from the spec.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }

    /// Uses a caller-configured `reqwest::Client` (proxies, TLS roots, pools...).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Validates the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let key = self.api_key.filter(|k| !k.is_empty()).ok_or_else(|| {
            Error::Config("no API key configured (use ClientBuilder::api_key)".into())
        })?;
        let mut authorization = HeaderValue::from_str(&format!("Bearer {}", key.expose()))
            .map_err(|_| {
                Error::Config(
                    "the API key contains characters not allowed in an HTTP header".into(),
                )
            })?;
        authorization.set_sensitive(true);

        let base_url = normalize_base_url(
            self.base_url
                .as_deref()
                .unwrap_or(crate::generated::DEFAULT_BASE_URL),
        )?;

        let value = |name: &str, v: Option<String>| -> Result<Option<HeaderValue>, Error> {
            v.map(|v| {
                HeaderValue::from_str(&v).map_err(|_| {
                    Error::Config(format!("`{name}` is not a valid HTTP header value"))
                })
            })
            .transpose()
        };
        let user_agent = self
            .user_agent
            .unwrap_or_else(|| format!("{USER_AGENT_PREFIX}/{}", env!("CARGO_PKG_VERSION")));
        let user_agent = HeaderValue::from_str(&user_agent)
            .map_err(|_| Error::Config("`user_agent` is not a valid HTTP header value".into()))?;

        let http = match (self.http_client, self.connect_timeout) {
            (Some(_), Some(_)) => {
                return Err(Error::Config(
                    "connect_timeout cannot be applied to a caller-supplied http_client".into(),
                ));
            }
            (Some(http), None) => http,
            (None, connect_timeout) => {
                let mut b = reqwest::Client::builder();
                if let Some(t) = connect_timeout {
                    b = b.connect_timeout(t);
                }
                b.build()
                    .map_err(|e| Error::Config(format!("could not build the HTTP client: {e}")))?
            }
        };

        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                base_url,
                authorization,
                user_agent,
                http_referer: value("http_referer", self.http_referer)?,
                app_title: value("app_title", self.app_title)?,
                app_categories: value("app_categories", self.app_categories)?,
                timeout: self.timeout,
                retry_policy: self.retry_policy,
            }),
        })
    }
}

/// Checks the base URL (http/https, no query or fragment) and strips trailing slashes.
/// The URL itself is not echoed in errors (it could carry userinfo).
fn normalize_base_url(url: &str) -> Result<String, Error> {
    let trimmed = url.trim().trim_end_matches('/');
    let parsed = reqwest::Url::parse(trimmed)
        .map_err(|e| Error::Config(format!("invalid base URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::Config("base URL must use http or https".into()));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::Config(
            "base URL must not have a query or fragment".into(),
        ));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk-or-v1-topsecret";

    #[test]
    fn build_requires_a_key_and_defaults_sensibly() {
        let e = Client::builder().build().unwrap_err();
        assert!(matches!(e, Error::Config(_)), "{e}");
        let c = Client::builder().api_key(KEY).build().unwrap();
        assert_eq!(c.base_url(), crate::generated::DEFAULT_BASE_URL);
        let ua = c.inner().user_agent.to_str().unwrap().to_owned();
        assert_eq!(ua, format!("openrouter-rust/{}", env!("CARGO_PKG_VERSION")));
        assert!(c.inner().http_referer.is_none() && c.inner().app_title.is_none());
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
            .app_title("a\nb")
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
        let b = Client::builder().api_key(KEY).app_title("t");
        let s = format!("{b:?}");
        assert!(!s.contains("topsecret") && s.contains("[redacted]"), "{s}");
        let c = b.build().unwrap();
        let s = format!("{c:?}");
        assert!(!s.contains("topsecret") && s.contains("[redacted]"), "{s}");
        assert!(!format!("{:?}", c.inner().authorization).contains("topsecret"));
    }

    #[test]
    fn from_env_reads_key_and_base_url() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        let e = ClientBuilder::from_lookup(env(&[])).unwrap_err();
        assert!(e.to_string().contains("OPENROUTER_API_KEY"), "{e}");
        let e = ClientBuilder::from_lookup(env(&[("OPENROUTER_API_KEY", "")])).unwrap_err();
        assert!(matches!(e, Error::Config(_)));
        let c = ClientBuilder::from_lookup(env(&[
            ("OPENROUTER_API_KEY", KEY),
            ("OPENROUTER_BASE_URL", "http://127.0.0.1:1/v1/"),
        ]))
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(c.base_url(), "http://127.0.0.1:1/v1");
        let c = ClientBuilder::from_lookup(env(&[("OPENROUTER_API_KEY", KEY)]))
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(c.base_url(), crate::generated::DEFAULT_BASE_URL);
    }
}
