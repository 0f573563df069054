//! The HTTP side of a SOAP call.

use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use reqwest::{Method, StatusCode};

use super::{
    parse_envelope_with_max_depth, Envelope, Fault, FaultDetail, Name, ReadHeaders, SoapVersion,
    XmlError, XmlRead,
};
use crate::http::{ApiClient, DecodeError, Error};

/// What a generated method knows about its operation in one binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The operation name, for messages.
    pub name: &'static str,
    pub version: SoapVersion,
    /// `soapAction` (may be empty).
    pub action: &'static str,
}

/// Every way a SOAP call can fail: [`Error::Api`] carries a SOAP fault
/// (whatever the HTTP status), [`Error::UnexpectedStatus`] a non-2xx
/// response that is not a fault, [`Error::Decode`] a 2xx response that is
/// not the expected envelope.
pub type SoapError<D = ()> = Error<Fault<D>>;

/// A decoded response: the body, the output headers (each optional), and
/// the HTTP status and headers.
#[derive(Debug, Clone)]
pub struct Response<B, H> {
    pub body: B,
    pub headers: H,
    pub status: StatusCode,
    pub http_headers: HeaderMap,
}

impl<B, H> Response<B, H> {
    pub fn into_body(self) -> B {
        self.body
    }
}

/// Maps an envelope that cannot be written into [`Error::InvalidRequest`].
pub fn invalid_request<D>(e: XmlError) -> SoapError<D> {
    Error::InvalidRequest(e.to_string())
}

/// Posts `envelope` to the endpoint exactly as given to the builder (a
/// trailing slash kept: [`ApiClient::endpoint`]) with the
/// version's `Content-Type` and `SOAPAction`, then reads the response
/// within the client's XML depth limit
/// ([`ClientBuilder::xml_max_depth`](crate::ClientBuilder::xml_max_depth)).
pub async fn call<B: XmlRead, H: ReadHeaders, D: FaultDetail>(
    client: &ApiClient,
    op: &Operation,
    envelope: Vec<u8>,
    body_name: Option<&Name>,
) -> Result<Response<B, H>, SoapError<D>> {
    let content_type =
        HeaderValue::from_str(&op.version.content_type(op.action)).map_err(|_| {
            Error::InvalidRequest(format!(
                "soapAction of `{}` is not valid in a header",
                op.name
            ))
        })?;
    let mut request = client
        .request_url(Method::POST, client.endpoint())
        .header(CONTENT_TYPE, content_type)
        .body(envelope);
    if op.version == SoapVersion::V11 {
        let action = HeaderValue::from_str(&format!("\"{}\"", op.action)).map_err(|_| {
            Error::InvalidRequest(format!(
                "soapAction of `{}` is not valid in a header",
                op.name
            ))
        })?;
        request = request.header("SOAPAction", action);
    }
    let raw = client.execute::<Fault<D>>(request).await?;
    let bytes = raw.body.clone();
    match parse_envelope_with_max_depth::<B, H, D>(&bytes, body_name, client.xml_max_depth()) {
        Ok(Envelope::Fault(fault)) => Err(Error::Api(raw.into_value(fault).into())),
        Ok(Envelope::Body { body, headers }) if raw.status.is_success() => Ok(Response {
            body,
            headers,
            status: raw.status,
            http_headers: raw.headers,
        }),
        _ if !raw.status.is_success() => Err(Error::UnexpectedStatus(raw.into())),
        Ok(Envelope::Body { .. }) => Err(Error::UnexpectedStatus(raw.into())),
        Err(e) => Err(Error::Decode {
            response: raw.into(),
            source: DecodeError::Other(format!("invalid soap response: {e}")),
        }),
    }
}
