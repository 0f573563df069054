//! Credentials for OpenAPI `securitySchemes`, set once on a client and
//! applied per operation according to its `security` requirement.
//!
//! Generated clients have one typed setter per scheme (`with_<scheme>`)
//! that stores a [`Credential`] under the scheme's name. Each operation
//! passes its requirement, a list of alternatives each naming the schemes
//! it needs together; [`Credentials::apply`] uses the first alternative
//! (in spec order) whose schemes all have credentials and adds exactly
//! those. An operation with no requirement (`security: []`), or whose only
//! satisfiable alternative is the empty one (`{}`), gets none. When no
//! alternative is satisfied the request goes out without credentials and
//! the service decides (typically a documented or unexpected 401).

use std::collections::BTreeMap;
use std::fmt;

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, COOKIE};

use crate::http::Error;

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

/// What one scheme sends.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// `apiKey`: `name: value` (header), `?name=value` (query) or the
    /// cookie `name=value`.
    ApiKey {
        location: ApiKeyLocation,
        name: String,
        value: String,
    },
    /// `http` scheme `basic`: `Authorization: Basic base64(user:password)`.
    Basic { username: String, password: String },
    /// `http` scheme `bearer`, `oauth2` and `openIdConnect`:
    /// `Authorization: Bearer <token>`.
    Bearer(String),
    /// Any other `http` scheme: `Authorization: <scheme> <value>`.
    Authorization { scheme: String, value: String },
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print secrets.
        match self {
            Credential::ApiKey { location, name, .. } => f
                .debug_struct("ApiKey")
                .field("location", location)
                .field("name", name)
                .finish_non_exhaustive(),
            Credential::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .finish_non_exhaustive(),
            Credential::Bearer(_) => f.write_str("Bearer(..)"),
            Credential::Authorization { scheme, .. } => f
                .debug_struct("Authorization")
                .field("scheme", scheme)
                .finish_non_exhaustive(),
        }
    }
}

/// Credentials by scheme name.
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    by_scheme: BTreeMap<String, Credential>,
}

impl Credentials {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets (or replaces) the credential of `scheme`.
    pub fn set(&mut self, scheme: impl Into<String>, credential: Credential) {
        self.by_scheme.insert(scheme.into(), credential);
    }

    /// Removes the credential of `scheme`.
    pub fn remove(&mut self, scheme: &str) -> Option<Credential> {
        self.by_scheme.remove(scheme)
    }

    pub fn get(&self, scheme: &str) -> Option<&Credential> {
        self.by_scheme.get(scheme)
    }

    /// The alternative of `requirement` that will be used: the first
    /// non-empty one whose schemes all have credentials.
    pub fn select<'r>(&self, requirement: &'r [&'r [&'r str]]) -> Option<&'r [&'r str]> {
        requirement
            .iter()
            .find(|alt| !alt.is_empty() && alt.iter().all(|s| self.by_scheme.contains_key(*s)))
            .copied()
    }

    /// Adds the credentials the chosen alternative of `requirement` needs.
    pub fn apply<E>(
        &self,
        mut request: reqwest::RequestBuilder,
        requirement: &[&[&str]],
    ) -> Result<reqwest::RequestBuilder, Error<E>> {
        let Some(schemes) = self.select(requirement) else {
            return Ok(request);
        };
        for scheme in schemes {
            let Some(credential) = self.by_scheme.get(*scheme) else {
                continue;
            };
            let invalid =
                || Error::InvalidRequest(format!("credential of `{scheme}` is not valid in HTTP"));
            request = match credential {
                Credential::ApiKey {
                    location: ApiKeyLocation::Header,
                    name,
                    value,
                } => {
                    let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
                    let mut value = HeaderValue::from_str(value).map_err(|_| invalid())?;
                    value.set_sensitive(true);
                    request.header(name, value)
                }
                Credential::ApiKey {
                    location: ApiKeyLocation::Query,
                    name,
                    value,
                } => request.query(&[(name, value)]),
                Credential::ApiKey {
                    location: ApiKeyLocation::Cookie,
                    name,
                    value,
                } => {
                    let mut value =
                        HeaderValue::from_str(&format!("{name}={value}")).map_err(|_| invalid())?;
                    value.set_sensitive(true);
                    request.header(COOKIE, value)
                }
                Credential::Basic { username, password } => {
                    request.basic_auth(username, Some(password))
                }
                Credential::Bearer(token) => {
                    let mut value =
                        HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| invalid())?;
                    value.set_sensitive(true);
                    request.header(AUTHORIZATION, value)
                }
                Credential::Authorization { scheme, value } => {
                    let mut value = HeaderValue::from_str(&format!("{scheme} {value}"))
                        .map_err(|_| invalid())?;
                    value.set_sensitive(true);
                    request.header(AUTHORIZATION, value)
                }
            };
        }
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(credentials: &Credentials, requirement: &[&[&str]]) -> reqwest::Request {
        let client = reqwest::Client::new();
        credentials
            .apply::<()>(client.get("http://h.example/x?a=1"), requirement)
            .unwrap()
            .build()
            .unwrap()
    }

    #[test]
    fn the_first_satisfied_alternative_is_applied() {
        let mut c = Credentials::new();
        c.set(
            "key",
            Credential::ApiKey {
                location: ApiKeyLocation::Query,
                name: "api_key".into(),
                value: "k 1".into(),
            },
        );
        c.set("token", Credential::Bearer("t".into()));
        // `basic` has no credential: the next alternative is used.
        let r = headers(&c, &[&["basic"], &["key", "token"], &["token"]]);
        assert_eq!(r.url().query(), Some("a=1&api_key=k+1"));
        assert_eq!(r.headers()[AUTHORIZATION], "Bearer t");
        // No requirement, or only the empty alternative: nothing.
        let r = headers(&c, &[]);
        assert!(r.headers().get(AUTHORIZATION).is_none());
        let r = headers(&c, &[&[]]);
        assert!(r.headers().get(AUTHORIZATION).is_none());
        // Optional auth with a credential set: sent.
        let r = headers(&c, &[&[], &["token"]]);
        assert_eq!(r.headers()[AUTHORIZATION], "Bearer t");
    }

    #[test]
    fn secrets_are_not_printed() {
        let mut c = Credentials::new();
        c.set(
            "b",
            Credential::Basic {
                username: "u".into(),
                password: "secret".into(),
            },
        );
        assert!(!format!("{c:?}").contains("secret"));
    }
}
