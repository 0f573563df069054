//! HTTP transport shared by the OpenAPI and SOAP clients: base URL, default
//! headers, an optional request hook, and the error and response types every
//! generated method returns.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, RETRY_AFTER,
};
use reqwest::{Method, StatusCode};

pub use crate::retry::RetryPolicy;

/// How long connecting (TCP and TLS) may take by default: 10 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a whole request may take by default, from connecting until the
/// last byte of the response body: 60 s. Each retry attempt has its own.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The largest response body read by default: 32 MiB. A larger one is
/// [`Error::ResponseTooLarge`], refused before it is held in memory.
pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 32 * 1024 * 1024;

tokio::task_local! {
    static CALL_TIMEOUT: Option<Duration>;
}

/// Runs `call` (a generated method's future) with its own whole-request
/// timeout, replacing the client's for every request it sends (longer or
/// shorter; `None` for none):
///
/// ```rust,ignore
/// let out = wiregen_runtime::with_timeout(Some(Duration::from_secs(300)), client.export()).await?;
/// ```
pub async fn with_timeout<F: Future>(timeout: Option<Duration>, call: F) -> F::Output {
    CALL_TIMEOUT.scope(timeout, call).await
}

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
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    max_response_size: usize,
    retry: Option<RetryPolicy>,
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
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("max_response_size", &self.max_response_size)
            .field("retry", &self.retry)
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
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            timeout: Some(DEFAULT_TIMEOUT),
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            retry: None,
        }
    }

    /// How long connecting may take ([`DEFAULT_CONNECT_TIMEOUT`], 10 s, by
    /// default; `None` for no limit). Ignored with
    /// [`http_client`](Self::http_client): set it on that client.
    pub fn connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.connect_timeout = timeout.into();
        self
    }

    /// How long a whole request may take, from connecting until the last
    /// byte of the body ([`DEFAULT_TIMEOUT`], 60 s, by default; `None` for
    /// no limit). Exceeded → [`Error::Timeout`]. [`with_timeout`] changes
    /// it for one call.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = timeout.into();
        self
    }

    /// The largest response body read, in bytes
    /// ([`DEFAULT_MAX_RESPONSE_SIZE`], 32 MiB, by default). A larger one is
    /// [`Error::ResponseTooLarge`]; reading stops at the limit (or before
    /// reading, when `Content-Length` says so).
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// Retries failed requests by `policy` (off by default); see
    /// [`RetryPolicy`].
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
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

    /// Uses this `reqwest::Client` (proxies, extra root certificates, a
    /// connect timeout) instead of a default one. The whole-request timeout,
    /// size limit and retry policy of this builder still apply.
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
        let given_url = self.base_url.clone();
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
            None => {
                let builder = reqwest::Client::builder().use_rustls_tls();
                match self.connect_timeout {
                    Some(timeout) => builder.connect_timeout(timeout),
                    None => builder,
                }
            }
            .build()
            .map_err(|e| BuildError::Http(e.to_string()))?,
        };
        Ok(ApiClient {
            inner: Arc::new(Inner {
                base_url,
                given_url,
                headers,
                http,
                hook: self.hook,
                xml_max_depth: self.xml_max_depth,
                timeout: self.timeout,
                max_response_size: self.max_response_size,
                retry: self.retry,
            }),
        })
    }
}

/// Why [`ClientBuilder::build`] refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
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
    /// The URL given to the builder, unchanged (a SOAP endpoint).
    given_url: String,
    headers: HeaderMap,
    http: reqwest::Client,
    hook: Option<RequestHook>,
    xml_max_depth: usize,
    timeout: Option<Duration>,
    max_response_size: usize,
    retry: Option<RetryPolicy>,
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
            .field("timeout", &self.inner.timeout)
            .field("max_response_size", &self.inner.max_response_size)
            .field("retry", &self.inner.retry)
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

    /// The URL given to [`ClientBuilder::new`], exactly as given (a
    /// trailing slash kept): SOAP clients post to it unchanged.
    pub fn endpoint(&self) -> &str {
        &self.inner.given_url
    }

    /// The largest response body [`execute`](Self::execute) reads (see
    /// [`ClientBuilder::max_response_size`]).
    pub fn max_response_size(&self) -> usize {
        self.inner.max_response_size
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
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.request_url(method, &self.url(path))
    }

    /// Starts a request to `url` exactly as given, carrying the default
    /// headers.
    pub fn request_url(&self, method: Method, url: &str) -> reqwest::RequestBuilder {
        self.inner
            .http
            .request(method, url)
            .headers(self.inner.headers.clone())
    }

    /// Sends `request` and returns the response unread (e.g. to read a
    /// large body as a stream with `reqwest::Response::chunk`). Before
    /// sending: cookies are merged into one `Cookie` header, a body-less
    /// POST, PUT or PATCH gets `Content-Length: 0`, the timeout is set and
    /// the hook runs (on every attempt). With a [`RetryPolicy`], failed
    /// attempts are retried as it says.
    pub async fn send<E>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, Error<E>> {
        let mut request = request.build().map_err(Error::Transport)?;
        merge_cookies(request.headers_mut());
        if matches!(
            *request.method(),
            Method::POST | Method::PUT | Method::PATCH
        ) && request.body().is_none()
            && !request.headers().contains_key(CONTENT_LENGTH)
        {
            request
                .headers_mut()
                .insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
        }
        let timeout = CALL_TIMEOUT.try_with(|t| *t).unwrap_or(self.inner.timeout);
        if let Some(timeout) = timeout {
            *request.timeout_mut() = Some(timeout);
        }
        let policy = self
            .inner
            .retry
            .as_ref()
            .filter(|p| p.applies_to(request.method()));
        let mut attempt = 1;
        loop {
            let next = match policy {
                Some(p) if attempt < p.max_attempts() => request.try_clone(),
                _ => None,
            };
            if let Some(hook) = &self.inner.hook {
                hook(&mut request).map_err(Error::InvalidRequest)?;
            }
            let result = self.inner.http.execute(request).await;
            let (Some(policy), Some(next)) = (policy, next) else {
                return result.map_err(transport_error);
            };
            let wait = match &result {
                Ok(response) if retryable_status(response.status()) => {
                    match retry_after(response.headers()) {
                        Some(wait) if wait > policy.retry_after_limit() => {
                            return result.map_err(transport_error)
                        }
                        Some(wait) => wait,
                        None => policy.backoff(attempt),
                    }
                }
                Err(e) if retryable_transport(e) => policy.backoff(attempt),
                _ => return result.map_err(transport_error),
            };
            drop(result);
            tokio::time::sleep(wait).await;
            request = next;
            attempt += 1;
        }
    }

    /// Sends `request` (see [`send`](Self::send)) and reads the whole
    /// response, up to the size limit
    /// ([`ClientBuilder::max_response_size`]).
    pub async fn execute<E>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<RawResponse, Error<E>> {
        let mut response = self.send(request).await?;
        let status = response.status();
        let limit = self.inner.max_response_size;
        let too_large = || Error::ResponseTooLarge { status, limit };
        if response
            .content_length()
            .is_some_and(|length| length > limit as u64)
        {
            return Err(too_large());
        }
        let headers = response.headers().clone();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(RawResponse {
            status,
            headers,
            body: Bytes::from(body),
        })
    }
}

/// A reqwest error as [`Error::Timeout`] or [`Error::Transport`].
fn transport_error<E>(e: reqwest::Error) -> Error<E> {
    if e.is_timeout() {
        Error::Timeout(e)
    } else {
        Error::Transport(e)
    }
}

/// Statuses worth retrying: 429 Too Many Requests, 503 Service Unavailable.
fn retryable_status(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE
}

/// Transport failures worth retrying: connecting, sending, timeouts and
/// reading the response; not a request that cannot be built or a
/// redirect loop.
fn retryable_transport(e: &reqwest::Error) -> bool {
    !e.is_builder() && !e.is_redirect() && !e.is_status()
}

/// `Retry-After` as a wait: delay-seconds, or an HTTP date (a date in the
/// past is no wait).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
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
/// documented error responses. New variants may be added: match with a
/// `_` arm.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E = ()> {
    /// The request could not be built from the arguments (e.g. a header
    /// value with a newline), or the request hook refused it.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// Connecting, sending or receiving failed.
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
    /// Connecting or the whole request took longer than the client's
    /// timeout ([`ClientBuilder::connect_timeout`],
    /// [`ClientBuilder::timeout`], [`with_timeout`]).
    #[error("timed out: {0}")]
    Timeout(#[source] reqwest::Error),
    /// The response body is larger than the client's limit
    /// ([`ClientBuilder::max_response_size`]); it was not read whole.
    #[error("response body larger than the limit of {limit} bytes (status {status})")]
    ResponseTooLarge { status: StatusCode, limit: usize },
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
            Error::Transport(e) | Error::Timeout(e) => e.status(),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::InvalidRequest(_) => None,
        }
    }

    /// Whether trying again may succeed: transport failures and timeouts,
    /// and responses with status 429 (Too Many Requests) or 503 (Service
    /// Unavailable). The same rule decides what a [`RetryPolicy`] retries.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout(_) => true,
            Error::Transport(e) => retryable_transport(e),
            Error::InvalidRequest(_) | Error::ResponseTooLarge { .. } => false,
            Error::Api(_) | Error::UnexpectedStatus(_) | Error::Decode { .. } => {
                self.status().is_some_and(retryable_status)
            }
        }
    }

    /// True for [`Error::Timeout`].
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
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
#[non_exhaustive]
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

/// A `Cookie` header carrying one cookie; the value is sent as it is
/// where RFC 6265 allows (see [`params::cookie_octets`](crate::params::cookie_octets)).
pub fn cookie_value<E, T: serde::Serialize + ?Sized>(
    name: &'static str,
    value: &T,
) -> Result<HeaderValue, Error<E>> {
    let text = param_text(value).map_err(Error::InvalidRequest)?;
    let cookie = format!("{name}={}", crate::params::cookie_octets(&text));
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
