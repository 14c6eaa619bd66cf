//! What the generated client needs to know about the API as a whole: how it authenticates,
//! its global headers, the environment variables it reads and the crate docs. Everything
//! comes from the document (`info`, `servers`, `securitySchemes`, `security`,
//! `x-speakeasy-globals`), so a crate belongs to its own API.

use openapiv3::{OpenAPI, Parameter, ReferenceOr, SecurityScheme};
use serde_json::Value;

use std::collections::BTreeMap;

use super::names::{RESERVED_TYPES, Registry, field_name};
use super::types::doc_lines;
use super::{Group, TypeDef};

/// How a credential is attached (the runtime's `Auth`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthScheme {
    Bearer,
    /// API key in this header (lowercase).
    Header(String),
    /// API key in this query parameter.
    Query(String),
    Basic,
}

/// A header settable on the client builder and on every call.
#[derive(Debug, Clone, PartialEq)]
pub struct GlobalHeader {
    /// Setter name (`app_title`), claimed against the builder's and `Call`'s own methods.
    pub setter: String,
    /// Header name on the wire, lowercase.
    pub wire: String,
    /// The header as the document spells it, for docs.
    pub display: String,
    pub doc: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApiInfo {
    /// `info.version`.
    pub version: String,
    /// `info.summary` (3.1, kept by `load` as `x-summary`) or the first line of
    /// `info.description`.
    pub summary: Option<String>,
    /// `info.description`, line by line.
    pub description: Vec<String>,
    /// Prefix of the environment variables (`OPENROUTER` → `OPENROUTER_API_KEY`).
    pub env_prefix: String,
    /// The document's schemes the runtime can apply, in order of preference.
    pub auth: Vec<AuthScheme>,
    /// The document requires a credential everywhere (no `{}` alternative).
    pub auth_required: bool,
    pub globals: Vec<GlobalHeader>,
    /// The typed mock's server type (`MockServer`).
    pub mock_server: String,
    /// Group struct name → its mock handle (`Byok` → `ByokMock`), claimed against every type
    /// and group name.
    pub mock_groups: BTreeMap<String, String>,
}

/// Methods of the runtime's builder and `Call`: a global header setter must not shadow one.
const BUILDER_AND_CALL_METHODS: &[&str] = &[
    "new",
    "from_env",
    "api_key",
    "basic_auth",
    "base_url",
    "user_agent",
    "timeout",
    "connect_timeout",
    "retry_policy",
    "http_client",
    "build",
    "no_retries",
    "header",
    "allow_post_retries",
    "meta",
    "into_future",
    "global_header",
];

pub fn api_info(spec: &OpenAPI) -> ApiInfo {
    let summary = spec
        .info
        .extensions
        .get("x-summary")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| {
            let first = spec.info.description.as_deref()?.split("\n\n").next()?;
            Some(first.split_whitespace().collect::<Vec<_>>().join(" "))
        });
    let (auth, auth_required) = security(spec);
    ApiInfo {
        version: spec.info.version.clone(),
        summary,
        description: doc_lines(spec.info.description.as_deref()),
        env_prefix: env_prefix(&spec.info.title),
        auth,
        auth_required,
        globals: globals(spec),
        mock_server: String::new(),
        mock_groups: BTreeMap::new(),
    }
}

/// Claims the mock's type names after every schema and group has its name.
pub fn claim_mock_names(
    api: &mut ApiInfo,
    types: &BTreeMap<String, TypeDef>,
    groups: &BTreeMap<String, Group>,
) {
    let mut taken: Vec<&str> = RESERVED_TYPES.to_vec();
    taken.extend(types.keys().map(String::as_str));
    taken.extend(groups.keys().map(String::as_str));
    let mut registry = Registry::with_reserved(&taken);
    api.mock_server = registry.claim("MockServer");
    api.mock_groups = groups
        .keys()
        .map(|g| (g.clone(), registry.claim(&format!("{g}Mock"))))
        .collect();
}

/// `text` on one line: control characters (NUL, line breaks…) become spaces and runs of
/// whitespace one space, so it can be a manifest value, an environment variable (cargo
/// passes the description as `CARGO_PKG_DESCRIPTION`) or inline doc text.
pub fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `OpenRouter API` → `OPENROUTER`, `Oxide Region API` → `OXIDE_REGION`: the title's words,
/// upper-cased as written (no camel-case split, so brand names stay whole), minus a trailing
/// `API`.
pub fn env_prefix(title: &str) -> String {
    let mut words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    while words.len() > 1 && matches!(words.last().map(String::as_str), Some("API" | "REST")) {
        words.pop();
    }
    let mut prefix = words.join("_");
    if prefix.is_empty() || prefix.starts_with(|c: char| c.is_ascii_digit()) {
        prefix.insert_str(0, "API");
    }
    prefix
}

fn security(spec: &OpenAPI) -> (Vec<AuthScheme>, bool) {
    // A document that declares no scheme at all: an API key the caller configures is sent
    // as a bearer token (the common case), and nothing is required.
    let undeclared = (vec![AuthScheme::Bearer], false);
    let Some(components) = &spec.components else {
        return undeclared;
    };
    if components.security_schemes.is_empty() {
        return undeclared;
    }
    // Document-level requirements first (in order), then any other declared scheme.
    let mut names: Vec<&str> = Vec::new();
    let mut anonymous_allowed = true;
    if let Some(reqs) = &spec.security {
        anonymous_allowed = reqs.is_empty() || reqs.iter().any(|r| r.is_empty());
        for req in reqs {
            names.extend(req.keys().map(String::as_str));
        }
    }
    names.extend(components.security_schemes.keys().map(String::as_str));
    let out = schemes(components, names);
    let required = !anonymous_allowed && !out.is_empty();
    (out, required)
}

/// The credentials an operation accepts, in order, where its `security` differs from the
/// document's; `None` where it has none of its own (the API's list applies). A requirement
/// of several schemes at once is reduced to its first supported one (the client holds one
/// credential); an operation whose requirements are all empty gets an empty list.
pub fn operation_auth(spec: &OpenAPI, op: &openapiv3::Operation) -> Option<Vec<AuthScheme>> {
    let reqs = op.security.as_ref()?;
    if Some(reqs) == spec.security.as_ref() {
        return None;
    }
    let components = spec.components.as_ref()?;
    if components.security_schemes.is_empty() {
        return None;
    }
    let names = reqs.iter().flat_map(|r| r.keys().map(String::as_str));
    Some(schemes(components, names))
}

/// The supported schemes among `names` (in order, without repeats).
fn schemes<'a>(
    components: &openapiv3::Components,
    names: impl IntoIterator<Item = &'a str>,
) -> Vec<AuthScheme> {
    let mut out: Vec<AuthScheme> = Vec::new();
    for name in names {
        let Some(ReferenceOr::Item(scheme)) = components.security_schemes.get(name) else {
            continue;
        };
        let auth = match scheme {
            SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => {
                Some(AuthScheme::Basic)
            }
            SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                Some(AuthScheme::Bearer)
            }
            SecurityScheme::APIKey { location, name, .. } => match location {
                openapiv3::APIKeyLocation::Header => {
                    Some(AuthScheme::Header(name.to_ascii_lowercase()))
                }
                openapiv3::APIKeyLocation::Query => Some(AuthScheme::Query(name.clone())),
                // A cookie credential: the caller can still send it with `.header("cookie", …)`.
                openapiv3::APIKeyLocation::Cookie => None,
            },
            // An OAuth2 / OpenID Connect access token travels as a bearer token.
            SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. } => {
                Some(AuthScheme::Bearer)
            }
            SecurityScheme::HTTP { .. } => None,
        };
        if let Some(a) = auth
            && !out.contains(&a)
        {
            out.push(a);
        }
    }
    out
}

/// Header parameters listed under `x-speakeasy-globals: {parameters: [...]}` (inline or
/// `$ref` to `#/components/parameters/…`). Other locations are left to the operations.
fn globals(spec: &OpenAPI) -> Vec<GlobalHeader> {
    let Some(list) = spec
        .extensions
        .get("x-speakeasy-globals")
        .and_then(|g| g.get("parameters"))
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    let mut setters = Registry::with_reserved(BUILDER_AND_CALL_METHODS);
    let mut out: Vec<GlobalHeader> = Vec::new();
    for entry in list {
        let param = match entry.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r.strip_prefix("#/components/parameters/").unwrap_or(r);
                match spec
                    .components
                    .as_ref()
                    .and_then(|c| c.parameters.get(name))
                {
                    Some(ReferenceOr::Item(p)) => serde_json::to_value(p).ok(),
                    _ => None,
                }
            }
            None => Some(entry.clone()),
        };
        let Some(param) = param else { continue };
        let Ok(Parameter::Header { parameter_data, .. }) =
            serde_json::from_value::<Parameter>(param.clone())
        else {
            continue;
        };
        let wire = parameter_data.name.to_ascii_lowercase();
        let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if wire.is_empty() || !wire.chars().all(token) || out.iter().any(|g| g.wire == wire) {
            continue;
        }
        let wanted = param
            .get("x-speakeasy-name-override")
            .and_then(Value::as_str)
            .unwrap_or(&parameter_data.name);
        out.push(GlobalHeader {
            setter: setters.claim(&field_name(wanted)),
            wire,
            display: parameter_data.name.clone(),
            doc: doc_lines(parameter_data.description.as_deref()),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An operation's own `security` is kept only where it differs from the document's.
    #[test]
    fn operation_security() {
        let text = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
          "security": [{"oauth": []}],
          "components": {"securitySchemes": {
            "oauth": {"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "https://a", "scopes": {}}}},
            "key": {"type": "apiKey", "in": "header", "name": "Api_Key"},
            "cookie": {"type": "apiKey", "in": "cookie", "name": "c"}}},
          "paths": {"/a": {
            "get": {"responses": {"204": {"description": "ok"}}},
            "put": {"security": [{"oauth": []}], "responses": {"204": {"description": "ok"}}},
            "post": {"security": [{"key": []}, {"oauth": []}], "responses": {"204": {"description": "ok"}}},
            "patch": {"security": [{"cookie": []}], "responses": {"204": {"description": "ok"}}},
            "delete": {"security": [], "responses": {"204": {"description": "ok"}}}}}}"#;
        let spec = crate::load::load_str(text, "t.json").unwrap().openapi;
        let item = match spec.paths.paths.get("/a") {
            Some(ReferenceOr::Item(i)) => i,
            _ => unreachable!(),
        };
        let auth = |op: &Option<openapiv3::Operation>| operation_auth(&spec, op.as_ref().unwrap());
        assert_eq!(auth(&item.get), None);
        assert_eq!(auth(&item.put), None);
        let key = AuthScheme::Header("api_key".into());
        assert_eq!(auth(&item.post), Some(vec![key, AuthScheme::Bearer]));
        // Only a scheme the client cannot send, or none at all: no credential.
        assert_eq!(auth(&item.patch), Some(vec![]));
        assert_eq!(auth(&item.delete), Some(vec![]));
    }

    #[test]
    fn env_prefixes() {
        assert_eq!(env_prefix("OpenRouter API"), "OPENROUTER");
        assert_eq!(env_prefix("Oxide Region API"), "OXIDE_REGION");
        assert_eq!(env_prefix("Swagger Petstore"), "SWAGGER_PETSTORE");
        assert_eq!(env_prefix("t"), "T");
        assert_eq!(env_prefix("API"), "API");
        assert_eq!(env_prefix("3D API"), "API3D");
        assert_eq!(env_prefix("--"), "API");
    }
}
