//! HTTP transport shared by the OpenAPI and SOAP clients: base URL, default
//! headers, an optional request hook, and the error and response types every
//! generated method returns.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, COOKIE};
use reqwest::StatusCode;

/// A function run on every request just before it is sent, e.g. to add a
/// signature or a token that changes over time. An `Err` aborts the call
/// with [`Error::InvalidRequest`].
pub type RequestHook = Arc<dyn Fn(&mut reqwest::Request) -> Result<(), String> + Send + Sync>;

/// Builds an [`ApiClient`]: base URL, default headers, hook, HTTP client.
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: String,
    headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    hook: Option<RequestHook>,
    xml_max_depth: usize,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("hook", &self.hook.is_some())
            .field("xml_max_depth", &self.xml_max_depth)
            .finish()
    }
}

impl ClientBuilder {
    /// Starts a builder for `base_url` (e.g. `https://ras.example.com`); a
    /// trailing slash is ignored.
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientBuilder {
            base_url: base_url.into(),
            headers: Vec::new(),
            http: None,
            hook: None,
            xml_max_depth: crate::soap::DEFAULT_MAX_DEPTH,
        }
    }

    /// How deep elements of a SOAP response may be nested (the envelope is
    /// level 1) before reading stops with a decode error instead of
    /// recursing further; [`soap::DEFAULT_MAX_DEPTH`](crate::soap::DEFAULT_MAX_DEPTH)
    /// (128) by default. Generated readers recurse once per level, so a
    /// larger limit needs a correspondingly larger thread stack.
    pub fn xml_max_depth(mut self, max_depth: usize) -> Self {
        self.xml_max_depth = max_depth;
        self
    }

    /// Sends `name: value` with every request (e.g. RAS's `auth_token`).
    /// Validated by [`build`](Self::build).
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Uses this `reqwest::Client` (timeouts, proxies, extra root
    /// certificates) instead of a default one.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Runs `hook` on every request just before it is sent.
    pub fn request_hook(
        mut self,
        hook: impl Fn(&mut reqwest::Request) -> Result<(), String> + Send + Sync + 'static,
    ) -> Self {
        self.hook = Some(Arc::new(hook));
        self
    }

    /// Checks the base URL and headers and makes the client.
    pub fn build(self) -> Result<ApiClient, BuildError> {
        let base_url = self.base_url.trim_end_matches('/').to_string();
        let parsed = reqwest::Url::parse(&base_url).map_err(|e| BuildError::BaseUrl {
            url: self.base_url.clone(),
            message: e.to_string(),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(BuildError::BaseUrl {
                url: self.base_url,
                message: "the scheme must be http or https".to_string(),
            });
        }
        let mut headers = HeaderMap::new();
        for (name, value) in self.headers {
            let header_name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| BuildError::Header { name: name.clone() })?;
            let header_value =
                HeaderValue::from_str(&value).map_err(|_| BuildError::Header { name })?;
            headers.append(header_name, header_value);
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .use_rustls_tls()
                .build()
                .map_err(|e| BuildError::Http(e.to_string()))?,
        };
        Ok(ApiClient {
            inner: Arc::new(Inner {
                base_url,
                headers,
                http,
                hook: self.hook,
                xml_max_depth: self.xml_max_depth,
            }),
        })
    }
}

/// Why [`ClientBuilder::build`] refused.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The base URL does not parse or is not http(s).
    #[error("invalid base url `{url}`: {message}")]
    BaseUrl { url: String, message: String },
    /// A default header name or value is not valid in HTTP.
    #[error("invalid default header `{name}`")]
    Header { name: String },
    /// The HTTP client could not be set up.
    #[error("cannot create http client: {0}")]
    Http(String),
}

/// The transport every generated client wraps. `Send + Sync`, and cheap
/// to clone (one reference count): clones share the configuration and
/// reqwest's connection pool.
#[derive(Clone)]
pub struct ApiClient {
    inner: Arc<Inner>,
}

struct Inner {
    base_url: String,
    headers: HeaderMap,
    http: reqwest::Client,
    hook: Option<RequestHook>,
    xml_max_depth: usize,
}

impl fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiClient")
            .field("base_url", &self.inner.base_url)
            .field(
                "default_headers",
                &self.inner.headers.keys().collect::<Vec<_>>(),
            )
            .field("hook", &self.inner.hook.is_some())
            .field("xml_max_depth", &self.inner.xml_max_depth)
            .finish()
    }
}

impl ApiClient {
    /// The depth limit for SOAP responses (see
    /// [`ClientBuilder::xml_max_depth`]).
    pub fn xml_max_depth(&self) -> usize {
        self.inner.xml_max_depth
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The underlying `reqwest::Client`.
    pub fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// `base_url` + `path`; `path` starts with `/` (or is empty), so the
    /// result never has `//` at the join.
    pub fn url(&self, path: &str) -> String {
        if path.is_empty() || path.starts_with('/') {
            format!("{}{}", self.inner.base_url, path)
        } else {
            format!("{}/{}", self.inner.base_url, path)
        }
    }

    /// Starts a request to `base_url + path` carrying the default headers.
    /// Headers the caller adds afterwards replace defaults of the same name.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.inner
            .http
            .request(method, self.url(path))
            .headers(self.inner.headers.clone())
    }

    /// Sends `request` (after merging its cookies into one `Cookie` header
    /// and running the hook) and returns the response unread (e.g. to read
    /// a large body as a stream with `reqwest::Response::chunk`).
    pub async fn send<E>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, Error<E>> {
        let mut request = request.build().map_err(Error::Transport)?;
        merge_cookies(request.headers_mut());
        if let Some(hook) = &self.inner.hook {
            hook(&mut request).map_err(Error::InvalidRequest)?;
        }
        self.inner
            .http
            .execute(request)
            .await
            .map_err(Error::Transport)
    }

    /// Sends `request` (see [`send`](Self::send)) and reads the whole response.
    pub async fn execute<E>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<RawResponse, Error<E>> {
        let response = self.send(request).await?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::Transport)?;
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }
}

/// Cookie parameters and cookie API keys are added one `Cookie` header
/// each; HTTP wants one (RFC 6265 §5.4), so they are joined with `; `.
fn merge_cookies(headers: &mut HeaderMap) {
    if headers.get_all(COOKIE).iter().count() < 2 {
        return;
    }
    let mut sensitive = false;
    let joined = headers
        .get_all(COOKIE)
        .iter()
        .map(|v| {
            sensitive |= v.is_sensitive();
            String::from_utf8_lossy(v.as_bytes()).into_owned()
        })
        .collect::<Vec<_>>()
        .join("; ");
    if let Ok(mut value) = HeaderValue::from_str(&joined) {
        value.set_sensitive(sensitive);
        headers.insert(COOKIE, value);
    }
}

/// A response as it came off the wire.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl RawResponse {
    /// The media type without parameters, lowercased (`application/json`).
    pub fn media_type(&self) -> Option<String> {
        let value = self.headers.get(CONTENT_TYPE)?.to_str().ok()?;
        Some(value.split(';').next()?.trim().to_ascii_lowercase())
    }

    /// The body as text (lossy for invalid UTF-8), e.g. for messages.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Keeps status and headers, replacing the body with `body`.
    pub fn into_value<T>(self, body: T) -> ResponseValue<T> {
        ResponseValue {
            status: self.status,
            headers: self.headers,
            body,
        }
    }
}

/// A decoded response body with its status and headers.
#[derive(Debug, Clone)]
pub struct ResponseValue<T> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: T,
}

impl<T> ResponseValue<T> {
    pub fn into_inner(self) -> T {
        self.body
    }
}

impl<T> std::ops::Deref for ResponseValue<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.body
    }
}

/// Every way a generated call can fail. `E` is the operation's enum of
/// documented error responses.
#[derive(Debug, thiserror::Error)]
pub enum Error<E = ()> {
    /// The request could not be built from the arguments (e.g. a header
    /// value with a newline), or the request hook refused it.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// Connecting, sending or receiving failed.
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
    /// The service answered with an error the spec documents; `body` holds
    /// it decoded.
    #[error("error response {}", .0.status)]
    Api(Box<ResponseValue<E>>),
    /// The service answered with a status the spec does not document.
    #[error("unexpected response status {}: {}", .0.status, .0.text())]
    UnexpectedStatus(Box<RawResponse>),
    /// The status is documented but the body does not decode as declared.
    #[error("cannot decode {} response body: {source}", response.status)]
    Decode {
        response: Box<RawResponse>,
        #[source]
        source: DecodeError,
    },
}

impl<E> Error<E> {
    /// The HTTP status, where a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(value) => Some(value.status),
            Error::UnexpectedStatus(raw) | Error::Decode { response: raw, .. } => Some(raw.status),
            Error::Transport(e) => e.status(),
            Error::InvalidRequest(_) => None,
        }
    }

    /// The raw body, where one arrived and was not decoded.
    pub fn raw_body(&self) -> Option<&Bytes> {
        match self {
            Error::UnexpectedStatus(raw) | Error::Decode { response: raw, .. } => Some(&raw.body),
            _ => None,
        }
    }

    /// An error for a status the spec does not document.
    pub fn unexpected(raw: RawResponse) -> Self {
        Error::UnexpectedStatus(Box::new(raw))
    }

    /// An error for a documented error status without a body.
    pub fn api(raw: RawResponse, body: E) -> Self {
        Error::Api(Box::new(raw.into_value(body)))
    }
}

/// Why a body did not decode.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("invalid json: {0}")]
    Json(#[from] serde_json::Error),
    #[error("body is not valid utf-8")]
    Utf8,
    #[error("{0}")]
    Other(String),
}

/// Decodes a JSON body.
pub fn decode_json<T: serde::de::DeserializeOwned>(raw: &RawResponse) -> Result<T, DecodeError> {
    Ok(serde_json::from_slice(&raw.body)?)
}

/// Decodes a body declared as a string: a JSON string for JSON media types
/// (`"..."`), the text itself for any other (`text/plain`).
pub fn decode_string(raw: &RawResponse) -> Result<String, DecodeError> {
    match raw.media_type() {
        Some(media) if is_json(&media) => Ok(serde_json::from_slice(&raw.body)?),
        _ => decode_text(raw),
    }
}

/// The body as UTF-8 text.
pub fn decode_text(raw: &RawResponse) -> Result<String, DecodeError> {
    String::from_utf8(raw.body.to_vec()).map_err(|_| DecodeError::Utf8)
}

/// True for `application/json` and `*/*+json` media types.
pub fn is_json(media_type: &str) -> bool {
    let media = media_type.split(';').next().unwrap_or("").trim();
    media.eq_ignore_ascii_case("application/json") || media.to_ascii_lowercase().ends_with("+json")
}

/// Turns `result` into the generated method's result, attaching the raw
/// response to a decode failure.
pub fn decoded<T, E>(
    raw: RawResponse,
    result: Result<T, DecodeError>,
) -> Result<ResponseValue<T>, Error<E>> {
    match result {
        Ok(body) => Ok(raw.into_value(body)),
        Err(source) => Err(Error::Decode {
            response: Box::new(raw),
            source,
        }),
    }
}

/// Like [`decoded`], for a documented error response: a body that decodes
/// becomes [`Error::Api`] carrying `wrap(body)`.
pub fn decoded_error<T, E, R>(
    raw: RawResponse,
    result: Result<T, DecodeError>,
    wrap: impl FnOnce(T) -> E,
) -> Result<R, Error<E>> {
    match result {
        Ok(body) => Err(Error::Api(Box::new(raw.into_value(wrap(body))))),
        Err(source) => Err(Error::Decode {
            response: Box::new(raw),
            source,
        }),
    }
}

/// Characters escaped in a path segment: everything but RFC 3986
/// unreserved characters.
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path parameter value.
pub fn encode_path(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, PATH_SEGMENT).to_string()
}

/// How deep [`param_text`] follows lists inside lists.
const MAX_PARAM_DEPTH: usize = 32;

/// Renders a scalar parameter (string, number, boolean, enum) as text, the
/// way OpenAPI's `simple` and `form` styles write a single value. Lists are
/// joined with `,` (lists inside lists too, up to 32 levels: deeper is an
/// error rather than unbounded recursion).
pub fn param_text<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, String> {
    value_text(&serde_json::to_value(value).map_err(|e| e.to_string())?, 0)
}

fn value_text(value: &serde_json::Value, depth: usize) -> Result<String, String> {
    match value {
        serde_json::Value::String(s) => Ok(s.clone()),
        serde_json::Value::Null => Ok(String::new()),
        serde_json::Value::Array(_) if depth >= MAX_PARAM_DEPTH => Err(format!(
            "parameter value nested deeper than {MAX_PARAM_DEPTH} lists"
        )),
        serde_json::Value::Array(items) => items
            .iter()
            .map(|item| value_text(item, depth + 1))
            .collect::<Result<Vec<_>, _>>()
            .map(|v| v.join(",")),
        other => Ok(other.to_string()),
    }
}

/// Adds a header from a typed parameter value.
pub fn header_value<E, T: serde::Serialize + ?Sized>(
    name: &'static str,
    value: &T,
) -> Result<HeaderValue, Error<E>> {
    let text = param_text(value).map_err(Error::InvalidRequest)?;
    HeaderValue::from_str(&text).map_err(|_| {
        Error::InvalidRequest(format!("value of header `{name}` is not valid in HTTP"))
    })
}

/// A path parameter, rendered and percent-encoded; an empty value or a
/// dot segment (`.`, `..`) is [`Error::InvalidRequest`] (see
/// [`params::path`](crate::params::path)).
pub fn path_param<E, T: serde::Serialize + ?Sized>(value: &T) -> Result<String, Error<E>> {
    let text = encode_path(&param_text(value).map_err(Error::InvalidRequest)?);
    crate::params::check_path_segment("value", &text).map_err(Error::InvalidRequest)?;
    Ok(text)
}

/// A query parameter value (reqwest encodes it).
pub fn query_param<E, T: serde::Serialize + ?Sized>(value: &T) -> Result<String, Error<E>> {
    param_text(value).map_err(Error::InvalidRequest)
}

/// A `Cookie` header carrying one cookie.
pub fn cookie_value<E, T: serde::Serialize + ?Sized>(
    name: &'static str,
    value: &T,
) -> Result<HeaderValue, Error<E>> {
    let text = param_text(value).map_err(Error::InvalidRequest)?;
    let cookie = format!("{name}={}", encode_path(&text));
    HeaderValue::from_str(&cookie).map_err(|_| {
        Error::InvalidRequest(format!("value of cookie `{name}` is not valid in HTTP"))
    })
}

/// A JSON request body.
pub fn json_body<E, T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, Error<E>> {
    serde_json::to_vec(value).map_err(|e| Error::InvalidRequest(format!("cannot encode body: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_join_has_no_double_slash() {
        let client = ClientBuilder::new("http://h.example/base/")
            .build()
            .unwrap();
        assert_eq!(client.url("/api/x"), "http://h.example/base/api/x");
        let client = ClientBuilder::new("http://h.example").build().unwrap();
        assert_eq!(client.url("/api/x"), "http://h.example/api/x");
    }

    #[test]
    fn bad_base_url_and_header_are_errors() {
        assert!(matches!(
            ClientBuilder::new("not a url").build(),
            Err(BuildError::BaseUrl { .. })
        ));
        assert!(matches!(
            ClientBuilder::new("ftp://x").build(),
            Err(BuildError::BaseUrl { .. })
        ));
        assert!(matches!(
            ClientBuilder::new("http://x")
                .default_header("a b", "v")
                .build(),
            Err(BuildError::Header { .. })
        ));
        assert!(matches!(
            ClientBuilder::new("http://x")
                .default_header("a", "v\n")
                .build(),
            Err(BuildError::Header { .. })
        ));
    }

    #[test]
    fn path_values_are_escaped() {
        assert_eq!(encode_path("a b/c"), "a%20b%2Fc");
        assert_eq!(encode_path("42"), "42");
    }

    #[test]
    fn path_param_refuses_empty_and_dot_segments() {
        for value in ["", ".", ".."] {
            assert!(
                matches!(path_param::<(), _>(value), Err(Error::InvalidRequest(_))),
                "{value:?}"
            );
        }
        assert_eq!(path_param::<(), _>("../x").unwrap(), "..%2Fx");
    }

    #[test]
    fn param_text_nesting_is_bounded() {
        let mut deep = serde_json::json!(1);
        for _ in 0..40 {
            deep = serde_json::json!([deep]);
        }
        assert!(param_text(&deep).unwrap_err().contains("nested deeper"));
        assert_eq!(
            param_text(&serde_json::json!([[1, 2], [3]])).unwrap(),
            "1,2,3"
        );
    }

    #[test]
    fn param_text_renders_scalars() {
        assert_eq!(param_text(&42).unwrap(), "42");
        assert_eq!(param_text("x").unwrap(), "x");
        assert_eq!(param_text(&true).unwrap(), "true");
        assert_eq!(param_text(&vec![1, 2]).unwrap(), "1,2");
    }

    fn raw(content_type: &str, body: &'static str) -> RawResponse {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap());
        RawResponse {
            status: StatusCode::OK,
            headers,
            body: Bytes::from_static(body.as_bytes()),
        }
    }

    #[test]
    fn string_bodies_follow_the_media_type() {
        assert_eq!(
            decode_string(&raw("application/json; api-version=1.0", "\"ok\"")).unwrap(),
            "ok"
        );
        assert_eq!(decode_string(&raw("text/plain", "ok")).unwrap(), "ok");
        assert!(decode_string(&raw("application/json", "ok")).is_err());
    }
}
