//! [`Client`], [`ClientBuilder`] and the [`ApiSpec`] a generated crate describes its API with
//! (the contract types are re-exported in `__private` only).

use std::ffi::OsString;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};

use super::error::{Error, ErrorBody};
use super::hooks::{Hook, Hooks, KeyProvider};
use super::retry::{RetryPolicy, RetrySpec};
use super::secret::Secret;

/// One way the API accepts a credential (from the document's `securitySchemes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Auth {
    /// `Authorization: Bearer <api key>`.
    Bearer,
    /// The API key in this request header.
    Header(&'static str),
    /// The API key in this query parameter.
    Query(&'static str),
    /// `Authorization: Basic base64(username:password)`.
    Basic,
}

/// A header every operation accepts, settable on the client and per call (for example an
/// attribution header). Generated crates expose one named setter per header.
#[derive(Debug)]
pub struct GlobalHeader {
    /// The setter's name, used in error messages and `Debug` output.
    pub field: &'static str,
    /// The header name on the wire, lowercase.
    pub name: &'static str,
}

/// Everything API-specific the runtime needs; a generated crate declares one `static`.
#[derive(Debug)]
pub struct ApiSpec {
    /// Base URL used when none is configured (the document's first server).
    pub default_base_url: &'static str,
    /// Default `User-Agent`.
    pub user_agent: &'static str,
    /// Prefix of the environment variables [`ClientBuilder::from_env`] reads:
    /// `<PREFIX>_API_KEY`, `<PREFIX>_USERNAME`, `<PREFIX>_PASSWORD`, `<PREFIX>_BASE_URL`.
    pub env_prefix: &'static str,
    /// The credentials the API accepts, in order of preference.
    pub auth: &'static [Auth],
    /// Whether [`ClientBuilder::build`] insists on a credential.
    pub auth_required: bool,
    /// Document-level retry policy, used when an operation has none.
    pub default_retry: Option<RetrySpec>,
    /// Headers with a setter on the builder and on every call.
    pub global_headers: &'static [GlobalHeader],
}

/// Implemented by a generated crate's `Client` newtype, which adds the operation groups.
pub trait ApiClient: From<Client> + Sized {
    /// The generated enum of documented error bodies.
    type ErrorBody: ErrorBody;
    /// The API's description.
    const SPEC: &'static ApiSpec;
}

/// The HTTP client shared by every operation: cheap to clone (the state lives behind an
/// `Arc`), so share one per process. Generated crates wrap it in their own `Client`, which
/// dereferences to this type.
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub(crate) spec: &'static ApiSpec,
    pub(crate) http: reqwest::Client,
    /// Without trailing slash.
    pub(crate) base_url: String,
    credential: Option<Credential>,
    user_agent: HeaderValue,
    /// Client-wide values of the spec's global headers.
    globals: Vec<(&'static str, HeaderName, HeaderValue)>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry_policy: Option<RetryPolicy>,
    pub(crate) hooks: Hooks,
}

/// A credential ready to attach to one request; header values are marked sensitive, and the
/// raw secret is kept to redact it from hook error messages.
#[derive(Clone)]
pub(crate) enum Resolved {
    // The secret is shared: resolving a static credential per attempt copies no key.
    Header(HeaderName, HeaderValue, Arc<Secret>),
    Query(&'static str, Arc<Secret>),
}

impl Resolved {
    pub(crate) fn secret(&self) -> &Secret {
        match self {
            Resolved::Header(_, _, s) | Resolved::Query(_, s) => s,
        }
    }
}

enum Credential {
    /// Resolved for every scheme of the API a credential was configured for, in the API's
    /// order of preference (an operation may accept only some of them).
    Static(Vec<(Auth, Resolved)>),
    /// Asked for a key before every attempt; the API's key schemes, in its order.
    Provider(Vec<Auth>, Arc<dyn KeyProvider>),
}

impl Client {
    /// The base URL requests are sent to (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    pub(crate) fn inner(&self) -> &ClientInner {
        &self.inner
    }
}

impl ClientInner {
    /// Credential, `Accept`, `User-Agent` and the client-wide global headers, with
    /// per-call overrides of global headers from `overrides`.
    pub(crate) fn base_headers<B>(
        &self,
        accept: &'static str,
        content_type: Option<&str>,
        overrides: &[(&'static str, &'static str, String)],
    ) -> Result<HeaderMap, Error<B>> {
        let mut h = HeaderMap::new();
        h.insert(ACCEPT, HeaderValue::from_static(accept));
        h.insert(USER_AGENT, self.user_agent.clone());
        if let Some(ct) = content_type {
            h.insert(CONTENT_TYPE, crate::call::header_value("content-type", ct)?);
        }
        for global in self.spec.global_headers {
            let per_call = overrides.iter().rev().find(|(_, n, _)| *n == global.name);
            let value = match per_call {
                Some((field, _, v)) => Some(crate::call::header_value(field, v)?),
                None => self
                    .globals
                    .iter()
                    .find(|(_, n, _)| n.as_str() == global.name)
                    .map(|(_, _, v)| v.clone()),
            };
            if let Some(v) = value {
                h.insert(HeaderName::from_static(global.name), v);
            }
        }
        Ok(h)
    }

    /// The credential for the next attempt of an operation that accepts `accepted` (`None`:
    /// whatever the API accepts): the first accepted scheme a credential was configured
    /// for, none if there is no such scheme (a provider is asked each time).
    pub(crate) async fn credential<B>(
        &self,
        accepted: Option<&[Auth]>,
    ) -> Result<Option<Resolved>, Error<B>> {
        match &self.credential {
            None => Ok(None),
            Some(Credential::Static(list)) => {
                Ok(pick(list, |(a, _)| *a, accepted).map(|(_, r)| r.clone()))
            }
            Some(Credential::Provider(auths, provider)) => {
                let Some(&auth) = pick(auths, |a| *a, accepted) else {
                    return Ok(None);
                };
                let key = provider.key().await.map_err(|e| {
                    Error::Config(format!("the credential provider failed: {}", e.0))
                })?;
                if key.is_empty() {
                    return Err(Error::Config(
                        "the credential provider returned an empty key".into(),
                    ));
                }
                resolve(auth, &key, None).map(Some)
            }
        }
    }

    /// Whether URLs carry the API key (then they must stay out of error messages).
    pub(crate) fn key_in_query(&self) -> bool {
        match &self.credential {
            None => false,
            Some(Credential::Static(list)) => {
                list.iter().any(|(_, r)| matches!(r, Resolved::Query(..)))
            }
            Some(Credential::Provider(auths, _)) => {
                auths.iter().any(|a| matches!(a, Auth::Query(_)))
            }
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        let mut d = f.debug_struct("Client");
        d.field("base_url", &i.base_url)
            .field(
                "credential",
                &i.credential.as_ref().map(|_| Secret::default()),
            )
            .field(
                "user_agent",
                &i.user_agent.to_str().unwrap_or("<non-ascii>"),
            );
        for (field, _, value) in &i.globals {
            d.field(field, &value.to_str().unwrap_or("<non-ascii>"));
        }
        d.field("timeout", &i.timeout)
            .field("retry_policy", &i.retry_policy)
            .finish_non_exhaustive()
    }
}

/// Configures a client of the generated type `C`.
pub struct ClientBuilder<C> {
    api_key: Option<Secret>,
    key_provider: Option<Arc<dyn KeyProvider>>,
    hooks: Hooks,
    basic: Option<(String, Secret)>,
    base_url: Option<String>,
    globals: Vec<(&'static str, &'static str, String)>,
    user_agent: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry_policy: Option<RetryPolicy>,
    http_client: Option<reqwest::Client>,
    client: PhantomData<fn() -> C>,
}

impl<C> Clone for ClientBuilder<C> {
    fn clone(&self) -> Self {
        ClientBuilder {
            api_key: self.api_key.clone(),
            key_provider: self.key_provider.clone(),
            hooks: self.hooks.clone(),
            basic: self.basic.clone(),
            base_url: self.base_url.clone(),
            globals: self.globals.clone(),
            user_agent: self.user_agent.clone(),
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            retry_policy: self.retry_policy.clone(),
            http_client: self.http_client.clone(),
            client: PhantomData,
        }
    }
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            key_provider: None,
            hooks: Vec::new(),
            basic: None,
            base_url: None,
            globals: Vec::new(),
            user_agent: None,
            timeout: None,
            connect_timeout: None,
            retry_policy: None,
            http_client: None,
            client: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ClientBuilder");
        d.field("api_key", &self.api_key)
            .field("key_provider", &self.key_provider.as_ref().map(|_| ".."))
            .field(
                "hooks",
                &self.hooks.iter().map(|h| h.name()).collect::<Vec<_>>(),
            )
            .field("basic_auth", &self.basic.as_ref().map(|(u, p)| (u, p)))
            .field("base_url", &self.base_url);
        for (field, _, value) in &self.globals {
            d.field(field, value);
        }
        d.field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry_policy", &self.retry_policy)
            .field("http_client", &self.http_client.as_ref().map(|_| ".."))
            .finish()
    }
}

impl<C: ApiClient> ClientBuilder<C> {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder pre-filled from the environment: `<PREFIX>_API_KEY` (or `<PREFIX>_USERNAME`
    /// and `<PREFIX>_PASSWORD` for basic auth) and `<PREFIX>_BASE_URL`, each used when set and
    /// non-empty. The prefix is the crate's `ENV_PREFIX`. Errors never contain the values.
    pub fn from_env() -> Result<Self, Error<C::ErrorBody>> {
        Self::from_lookup(|name| std::env::var_os(name))
    }

    pub(crate) fn from_lookup(
        lookup: impl Fn(&str) -> Option<OsString>,
    ) -> Result<Self, Error<C::ErrorBody>> {
        let spec = C::SPEC;
        let read = |suffix: &str| -> Result<Option<String>, Error<C::ErrorBody>> {
            let name = format!("{}_{suffix}", spec.env_prefix);
            match lookup(&name) {
                None => Ok(None),
                Some(v) if v.is_empty() => Ok(None),
                Some(v) => v
                    .into_string()
                    .map(Some)
                    .map_err(|_| Error::Config(format!("{name} is not valid UTF-8"))),
            }
        };
        let mut builder = Self::default();
        if let Some(key) = read("API_KEY")? {
            builder = builder.api_key(key);
        }
        if let (Some(user), Some(password)) = (read("USERNAME")?, read("PASSWORD")?) {
            builder = builder.basic_auth(user, password);
        }
        if spec.auth_required && builder.api_key.is_none() && builder.basic.is_none() {
            let wanted = if spec.auth.iter().all(|a| *a == Auth::Basic) {
                format!("{0}_USERNAME and {0}_PASSWORD", spec.env_prefix)
            } else {
                format!("{}_API_KEY", spec.env_prefix)
            };
            return Err(Error::Config(format!(
                "environment variable {wanted} is not set"
            )));
        }
        if let Some(url) = read("BASE_URL")? {
            builder = builder.base_url(url);
        }
        Ok(builder)
    }

    /// The API key, sent the way the API documents (bearer token, header or query parameter).
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Asks `provider` for the API key before every attempt, so a rotated key is picked up
    /// without building a new client. Replaces [`api_key`](Self::api_key). For example
    /// `.api_key_provider(|| async { Ok::<_, std::io::Error>(read_key_from_store()?) })`.
    pub fn api_key_provider(mut self, provider: impl KeyProvider) -> Self {
        self.key_provider = Some(Arc::new(provider));
        self
    }

    /// Adds a hook run around every attempt, after the ones added before it.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Username and password for HTTP basic authentication.
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.basic = Some((username.into(), password.into()));
        self
    }

    /// Base URL (default: the spec's first server). A trailing slash is tolerated.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// `User-Agent` (default: the crate name and version).
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
    pub fn build(self) -> Result<C, Error<C::ErrorBody>> {
        let spec = C::SPEC;
        let credential = match self.key_provider {
            Some(provider) => {
                let keyed: Vec<Auth> = spec
                    .auth
                    .iter()
                    .copied()
                    .filter(|a| *a != Auth::Basic)
                    .collect();
                if keyed.is_empty() {
                    return Err(Error::Config(
                        "this API takes no API key: use ClientBuilder::basic_auth".into(),
                    ));
                }
                Some(Credential::Provider(keyed, provider))
            }
            None => credential(spec, self.api_key, self.basic)?.map(Credential::Static),
        };
        let base_url =
            normalize_base_url(self.base_url.as_deref().unwrap_or(spec.default_base_url))?;
        let user_agent = self.user_agent.as_deref().unwrap_or(spec.user_agent);
        let user_agent = HeaderValue::from_str(user_agent)
            .map_err(|_| Error::Config("`user_agent` is not a valid HTTP header value".into()))?;
        let mut globals = Vec::with_capacity(self.globals.len());
        for (field, name, value) in self.globals {
            let value = HeaderValue::from_str(&value).map_err(|_| {
                Error::Config(format!("`{field}` is not a valid HTTP header value"))
            })?;
            globals.retain(|(_, n, _): &(_, HeaderName, _)| n.as_str() != name);
            globals.push((field, HeaderName::from_static(name), value));
        }

        let http = match (self.http_client, self.connect_timeout) {
            (Some(_), Some(_)) => {
                return Err(Error::Config(
                    "connect_timeout cannot be applied to a caller-supplied http_client".into(),
                ));
            }
            (Some(http), None) => http,
            (None, connect_timeout) => {
                super::tls::install_crypto_provider();
                let mut b = reqwest::Client::builder();
                if let Some(t) = connect_timeout {
                    b = b.connect_timeout(t);
                }
                b.build()
                    .map_err(|e| Error::Config(format!("could not build the HTTP client: {e}")))?
            }
        };

        Ok(C::from(Client {
            inner: Arc::new(ClientInner {
                spec,
                http,
                base_url,
                credential,
                user_agent,
                globals,
                timeout: self.timeout,
                retry_policy: self.retry_policy,
                hooks: self.hooks,
            }),
        }))
    }
}

/// The first of `items` (each with its scheme) that `accepted` allows: the first item when
/// anything goes, else by the order of `accepted`. No allocation: it runs on every attempt.
fn pick<'a, T>(
    items: &'a [T],
    auth: impl Fn(&T) -> Auth,
    accepted: Option<&[Auth]>,
) -> Option<&'a T> {
    match accepted {
        None => items.first(),
        Some(list) => list
            .iter()
            .find_map(|a| items.iter().find(|i| auth(i) == *a)),
    }
}

/// Every scheme of the spec for which a credential was configured, resolved, in the spec's
/// order (`None`: none).
fn credential<B>(
    spec: &ApiSpec,
    api_key: Option<Secret>,
    basic: Option<(String, Secret)>,
) -> Result<Option<Vec<(Auth, Resolved)>>, Error<B>> {
    let api_key = api_key.filter(|k| !k.is_empty());
    let mut out = Vec::new();
    for auth in spec.auth {
        let resolved = match (auth, &api_key, &basic) {
            (Auth::Basic, _, Some((user, password))) => resolve(*auth, password, Some(user))?,
            (Auth::Basic, _, None) | (_, None, _) => continue,
            (_, Some(key), _) => resolve(*auth, key, None)?,
        };
        out.push((*auth, resolved));
    }
    if !out.is_empty() {
        return Ok(Some(out));
    }
    if spec.auth_required {
        let how = if spec.auth.iter().all(|a| *a == Auth::Basic) {
            "ClientBuilder::basic_auth"
        } else {
            "ClientBuilder::api_key"
        };
        return Err(Error::Config(format!(
            "no credential configured (use {how})"
        )));
    }
    Ok(None)
}

/// The credential `key` (the password, for basic auth) attached the way `auth` says.
fn resolve<B>(auth: Auth, key: &Secret, user: Option<&str>) -> Result<Resolved, Error<B>> {
    let shared = || Arc::new(key.clone());
    let invalid =
        || Error::Config("the credential contains characters not allowed in an HTTP header".into());
    let sensitive = |text: &str| -> Result<HeaderValue, Error<B>> {
        let mut v = HeaderValue::from_str(text).map_err(|_| invalid())?;
        v.set_sensitive(true);
        Ok(v)
    };
    Ok(match auth {
        Auth::Bearer => {
            let value = sensitive(&format!("Bearer {}", key.expose()))?;
            Resolved::Header(AUTHORIZATION, value, shared())
        }
        Auth::Header(name) => {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            Resolved::Header(name, sensitive(key.expose())?, shared())
        }
        Auth::Query(name) => Resolved::Query(name, shared()),
        Auth::Basic => {
            let token = base64(format!("{}:{}", user.unwrap_or(""), key.expose()).as_bytes());
            let value = sensitive(&format!("Basic {token}"))?;
            Resolved::Header(AUTHORIZATION, value, shared())
        }
    })
}

/// Standard base64 with padding (RFC 4648), for basic auth.
fn base64(input: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(TABLE[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Lets generated setters for the spec's global headers work on the builder and on calls.
#[doc(hidden)]
pub trait GlobalHeaderTarget: Sized {
    /// Sets global header `name` (lowercase); `field` names the setter in error messages.
    fn global_header(self, field: &'static str, name: &'static str, value: String) -> Self;
}

impl<C> GlobalHeaderTarget for ClientBuilder<C> {
    fn global_header(mut self, field: &'static str, name: &'static str, value: String) -> Self {
        self.globals.push((field, name, value));
        self
    }
}

/// Checks the base URL (http/https, no query or fragment) and strips trailing slashes.
/// The URL itself is not echoed in errors (it could carry userinfo).
fn normalize_base_url<B>(url: &str) -> Result<String, Error<B>> {
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
#[path = "client_tests.rs"]
mod tests;
