//! Runtime support for the clients in `wiregen-clients`.
//!
//! Generated code is thin: it builds requests and matches status codes. All
//! transport, URL joining, parameter encoding, body decoding and error
//! reporting lives here, hand-written and tested like any library.

pub mod auth;
pub mod body;
pub mod http;
pub mod params;
pub mod retry;
pub mod soap;

pub use auth::{ApiKeyLocation, Credential, Credentials};
pub use body::FilePart;
pub use http::{
    with_timeout, ApiClient, ClientBuilder, DecodeError, Error, RawResponse, RequestHook,
    ResponseValue, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_TIMEOUT,
};
pub use retry::RetryPolicy;

/// Re-exports the generated code names, so downstream crates need no direct
/// dependency on these crates.
pub use bytes;
pub use reqwest;
pub use serde;
pub use serde_json;
