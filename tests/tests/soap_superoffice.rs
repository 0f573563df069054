//! The SuperOffice client on the wire: the envelopes it sends (compared with
//! the seed page, validated with xmllint, compared with zeep) and the
//! responses and faults it reads. A local wiremock server plays the service.

mod soap_support;

use soap_support::*;
use wiregen_clients::runtime::{soap, Error};
use wiregen_clients::superoffice::{
    ArrayOfint, BasicHttpBindingAssociateClient, InputHeaders, LogOffWindowsUsers, SoCredentials,
    SoTimeZone, Soap12BindingAssociateClient,
};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "1234567-1234-9876";
const TICKET: &str = "7T:1234abcxyzExample==";
const ACTION: &str =
    "http://www.superoffice.net/ws/crm/NetServer/Services86/Associate/LogOffWindowsUsers";
/// The call of the seed page, as zeep keyword arguments.
const SEED_CALL: &str = r#"{"body": {"AssociateIds": {"int": [0]}},
  "headers": {"ApplicationToken": "1234567-1234-9876", "Credentials": {"Ticket": "7T:1234abcxyzExample=="}}}"#;

fn seed_headers() -> InputHeaders {
    InputHeaders {
        application_token: Some(TOKEN.to_string()),
        credentials: Some(SoCredentials {
            ticket: Some(TICKET.to_string()),
        }),
        ..Default::default()
    }
}

fn seed_request() -> LogOffWindowsUsers {
    LogOffWindowsUsers {
        associate_ids: Some(ArrayOfint::from(vec![0])),
    }
}

async fn serve(status: u16, content_type: &str, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("content-type", content_type)
                .set_body_string(body.to_string()),
        )
        .mount(&server)
        .await;
    server
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

fn as_soap11(xml: &str) -> String {
    xml.replace(SOAP12, SOAP11)
}

#[tokio::test]
async fn soap12_request_is_the_seed_request() {
    let server = serve(
        200,
        "application/soap+xml; charset=utf-8",
        &fixture("seed-response-soap12.xml"),
    )
    .await;
    let client = Soap12BindingAssociateClient::with_endpoint(&server.uri())
        .unwrap()
        .with_headers(seed_headers());
    let response = client.log_off_windows_users(&seed_request()).await.unwrap();
    assert_eq!(response.status, 200);

    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/");
    assert_eq!(
        header(&request, "content-type"),
        Some(format!("application/soap+xml; charset=utf-8; action=\"{ACTION}\"").as_str())
    );
    assert_eq!(header(&request, "soapaction"), None);
    let sent = String::from_utf8(request.body.clone()).unwrap();
    // Same qualified elements and values as the seed (header blocks inside
    // soap:Header); prefixes and xsi:type annotations do not matter.
    assert_eq!(
        canonical(&sent, true),
        canonical(&fixture("seed-request-soap12.xml"), true)
    );
    validate(&sent, "1.2");
    let zeep = zeep_message("Soap12Binding_Associate", "LogOffWindowsUsers", SEED_CALL);
    assert_eq!(
        canonical(&sent, false),
        canonical(&zeep, false),
        "differs from zeep:\n{sent}\n{zeep}"
    );
}

#[tokio::test]
async fn soap11_request_is_the_soap11_equivalent() {
    let response = as_soap11(&fixture("seed-response-soap12.xml"));
    let server = serve(200, "text/xml; charset=utf-8", &response).await;
    let client = BasicHttpBindingAssociateClient::with_endpoint(&server.uri())
        .unwrap()
        .with_headers(seed_headers());
    client.log_off_windows_users(&seed_request()).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "content-type"),
        Some("text/xml; charset=utf-8")
    );
    assert_eq!(
        header(&request, "soapaction"),
        Some(format!("\"{ACTION}\"").as_str())
    );
    let sent = String::from_utf8(request.body.clone()).unwrap();
    assert_eq!(
        canonical(&sent, true),
        canonical(&as_soap11(&fixture("seed-request-soap12.xml")), true)
    );
    validate(&sent, "1.1");
    let zeep = zeep_message(
        "BasicHttpBinding_Associate",
        "LogOffWindowsUsers",
        SEED_CALL,
    );
    assert_eq!(
        canonical(&sent, false),
        canonical(&zeep, false),
        "differs from zeep:\n{sent}\n{zeep}"
    );
}

#[tokio::test]
async fn per_call_headers_win_and_absent_ones_are_not_sent() {
    let server = serve(
        200,
        "text/xml",
        &as_soap11(&fixture("seed-response-soap12.xml")),
    )
    .await;
    let client = BasicHttpBindingAssociateClient::with_endpoint(&server.uri())
        .unwrap()
        .with_headers(seed_headers());
    let per_call = InputHeaders {
        application_token: Some("other-token".to_string()),
        time_zone: Some(SoTimeZone {
            so_time_zone_id: Some(42),
            so_time_zone_location_code: None,
        }),
        ..Default::default()
    };
    let request = LogOffWindowsUsers {
        associate_ids: Some(vec![1, 2, 3].into()),
    };
    client
        .log_off_windows_users_with_headers(&request, &per_call)
        .await
        .unwrap();
    let sent = String::from_utf8(only_request(&server).await.body).unwrap();
    validate(&sent, "1.1");
    let call = r#"{"body": {"AssociateIds": {"int": [1, 2, 3]}},
      "headers": {"ApplicationToken": "other-token", "Credentials": {"Ticket": "7T:1234abcxyzExample=="},
                  "TimeZone": {"SoTimeZoneId": 42}}}"#;
    let zeep = zeep_message("BasicHttpBinding_Associate", "LogOffWindowsUsers", call);
    assert_eq!(
        canonical(&sent, false),
        canonical(&zeep, false),
        "differs from zeep:\n{sent}\n{zeep}"
    );

    // Absent optional elements are omitted; no headers, no soap:Header.
    let server = server_ok11().await;
    let bare = BasicHttpBindingAssociateClient::with_endpoint(&server.uri()).unwrap();
    bare.log_off_windows_users(&LogOffWindowsUsers::default())
        .await
        .unwrap();
    let sent = String::from_utf8(only_request(&server).await.body).unwrap();
    validate(&sent, "1.1");
    assert!(
        !sent.contains("Header") && !sent.contains("AssociateIds"),
        "{sent}"
    );
    let zeep = zeep_message("BasicHttpBinding_Associate", "LogOffWindowsUsers", "{}");
    assert_eq!(canonical(&sent, false), canonical(&zeep, false));
}

async fn server_ok11() -> MockServer {
    serve(
        200,
        "text/xml",
        &as_soap11(&fixture("seed-response-soap12.xml")),
    )
    .await
}

#[test]
fn endpoint_comes_from_the_port() {
    assert_eq!(
        Soap12BindingAssociateClient::DEFAULT_ENDPOINT,
        "https://sod.superoffice.com/Cust12345/Remote/Services86/Associate.svc"
    );
    let client = BasicHttpBindingAssociateClient::new().unwrap();
    assert_eq!(
        client.api_client().base_url(),
        BasicHttpBindingAssociateClient::DEFAULT_ENDPOINT
    );
    let other = BasicHttpBindingAssociateClient::with_endpoint("http://localhost:1/x.svc").unwrap();
    assert_eq!(other.api_client().base_url(), "http://localhost:1/x.svc");
}

#[tokio::test]
async fn seed_response_parses() {
    let server = serve(
        200,
        "application/soap+xml",
        &fixture("seed-response-soap12.xml"),
    )
    .await;
    let client = Soap12BindingAssociateClient::with_endpoint(&server.uri()).unwrap();
    let response = client.log_off_windows_users(&seed_request()).await.unwrap();
    assert_eq!(response.headers, Default::default());
}

const HEADERS_RESPONSE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
  <s:Header>
    <Unrelated xmlns="urn:other" s:mustUnderstand="false">x</Unrelated>
    <ExceptionInfo xmlns="http://www.superoffice.net/ws/crm/NetServer/Services86">
      <Message>Ticket expired</Message>
      <StackTrace i:nil="true"/>
      <ExceptionType>SoException</ExceptionType>
      <InnerException>
        <Message>inner</Message>
        <InnerException i:nil="true"/>
      </InnerException>
      <Parameters>
        <SoExceptionInfoParametersKeyValuePair><Key>user</Key><Value>7</Value></SoExceptionInfoParametersKeyValuePair>
        <SoExceptionInfoParametersKeyValuePair><Key>empty</Key><Value i:nil="true"/></SoExceptionInfoParametersKeyValuePair>
      </Parameters>
    </ExceptionInfo>
    <a:ExtraInfo xmlns:a="http://www.superoffice.net/ws/crm/NetServer/Services86">
      <a:ExtraInfoNameValuePair><a:Key>k</a:Key><a:Value>v</a:Value></a:ExtraInfoNameValuePair>
    </a:ExtraInfo>
    <a:Succeeded xmlns:a="http://www.superoffice.net/ws/crm/NetServer/Services86">false</a:Succeeded>
    <TimeZone xmlns="http://www.superoffice.net/ws/crm/NetServer/Services86" i:nil="true"/>
  </s:Header>
  <s:Body>
    <LogOffWindowsUsersResponse xmlns="http://www.superoffice.net/ws/crm/NetServer/Services86"><Extra/></LogOffWindowsUsersResponse>
  </s:Body>
</s:Envelope>"#;

#[tokio::test]
async fn output_headers_come_back_typed() {
    let server = serve(200, "application/soap+xml", HEADERS_RESPONSE).await;
    let client = Soap12BindingAssociateClient::with_endpoint(&server.uri()).unwrap();
    let response = client.log_off_windows_users(&seed_request()).await.unwrap();
    let headers = response.headers;
    assert_eq!(headers.succeeded, Some(false));
    assert_eq!(headers.time_zone, None);
    let info = headers.exception_info.expect("ExceptionInfo");
    assert_eq!(info.message.as_deref(), Some("Ticket expired"));
    assert_eq!(info.stack_trace, None);
    assert_eq!(info.exception_type.as_deref(), Some("SoException"));
    let inner = info.inner_exception.expect("InnerException");
    assert_eq!(inner.message.as_deref(), Some("inner"));
    assert!(inner.inner_exception.is_none());
    let parameters = info.parameters.expect("Parameters");
    assert_eq!(parameters.len(), 2);
    assert_eq!(parameters[0].key.as_deref(), Some("user"));
    assert_eq!(parameters[0].value.as_deref(), Some("7"));
    assert_eq!(parameters[1].value, None);
    let extra = headers.extra_info.expect("ExtraInfo");
    assert_eq!(extra[0].key.as_deref(), Some("k"));
}

const FAULT11: &str = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
<s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring xml:lang="en-US">Ticket is not valid</faultstring>
<detail><ExceptionDetail xmlns="urn:wcf"><Message>no</Message></ExceptionDetail></detail></s:Fault></s:Body></s:Envelope>"#;

const FAULT12: &str = r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">
<s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value xmlns:a="urn:so">a:InternalError</s:Value></s:Subcode></s:Code>
<s:Reason><s:Text xml:lang="en-US">Something broke</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>"#;

#[tokio::test]
async fn soap11_fault_with_http_500_is_a_typed_error() {
    let server = serve(500, "text/xml; charset=utf-8", FAULT11).await;
    let client = BasicHttpBindingAssociateClient::with_endpoint(&server.uri()).unwrap();
    let err = client
        .log_off_windows_users(&seed_request())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    let Error::Api(value) = err else {
        panic!("expected a fault, got {err:?}")
    };
    let fault = &value.body;
    assert_eq!(fault.version, soap::SoapVersion::V11);
    assert_eq!(fault.code.ns.as_deref(), Some(SOAP11));
    assert_eq!(fault.code.local, "Client");
    assert_eq!(fault.reason, "Ticket is not valid");
    assert!(fault
        .detail_xml
        .as_deref()
        .unwrap_or("")
        .contains("ExceptionDetail"));
}

#[tokio::test]
async fn soap12_fault_is_a_typed_error() {
    for status in [500, 200] {
        let server = serve(status, "application/soap+xml", FAULT12).await;
        let client = Soap12BindingAssociateClient::with_endpoint(&server.uri()).unwrap();
        let err = client
            .log_off_windows_users(&seed_request())
            .await
            .unwrap_err();
        let Error::Api(value) = err else {
            panic!("expected a fault, got {err:?}")
        };
        let fault = &value.body;
        assert_eq!(fault.version, soap::SoapVersion::V12);
        assert_eq!(fault.code.local, "Receiver");
        assert_eq!(fault.subcodes[0].ns.as_deref(), Some("urn:so"));
        assert_eq!(fault.subcodes[0].local, "InternalError");
        assert_eq!(fault.reason, "Something broke");
    }
}

#[tokio::test]
async fn other_statuses_and_bad_bodies_are_errors_not_panics() {
    let server = serve(503, "text/html", "<html><body>down</body></html>").await;
    let client = Soap12BindingAssociateClient::with_endpoint(&server.uri()).unwrap();
    let err = client
        .log_off_windows_users(&seed_request())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert!(matches!(err, Error::UnexpectedStatus(_)), "{err:?}");
    assert_eq!(
        err.raw_body().map(|b| b.as_ref()),
        Some(&b"<html><body>down</body></html>"[..])
    );

    for body in ["", "not xml", "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><Wrong/></s:Body></s:Envelope>"] {
        let server = serve(200, "application/soap+xml", body).await;
        let client = Soap12BindingAssociateClient::with_endpoint(&server.uri()).unwrap();
        let err = client.log_off_windows_users(&seed_request()).await.unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{body}: {err:?}");
    }
}

/// The fixture is the seed page's request with the header fix and nothing
/// else (checked when `../shared` is present).
#[test]
fn request_fixture_is_the_seed_with_headers_inside_soap_header() {
    let seed = root().join("../shared/seeds/superoffice-associate-logoffwindowsusers.md");
    let Ok(page) = std::fs::read_to_string(&seed) else {
        eprintln!("skipped: {} is not present", seed.display());
        return;
    };
    let blocks: Vec<&str> = page
        .split("```xml")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .collect();
    assert_eq!(
        blocks.len(),
        2,
        "the seed page has a request and a response"
    );
    let fixed = blocks[0]
        .replace(
            "<Associate:ApplicationToken>",
            "<SOAP-ENV:Header><Associate:ApplicationToken>",
        )
        .replace(
            "</Associate:Credentials>",
            "</Associate:Credentials></SOAP-ENV:Header>",
        );
    assert_eq!(
        canonical(fixed.trim(), false),
        canonical(&fixture("seed-request-soap12.xml"), false)
    );
    assert_eq!(
        canonical(blocks[1].trim(), false),
        canonical(&fixture("seed-response-soap12.xml"), false)
    );
}

/// The "SOAP client" example of README.md, compiled (not run: it calls the
/// real service).
#[allow(dead_code)]
mod readme {
    use wiregen_clients::runtime::Error;
    use wiregen_clients::superoffice::{
        ArrayOfint, BasicHttpBindingAssociateClient, InputHeaders, LogOffWindowsUsers,
        SoCredentials,
    };

    async fn readme_example() -> Result<(), Box<dyn std::error::Error>> {
        // DEFAULT_ENDPOINT comes from the WSDL's service port; `with_endpoint` overrides it.
        let client = BasicHttpBindingAssociateClient::with_endpoint(
            "https://sod.superoffice.com/Cust12345/Remote/Services86/Associate.svc",
        )?
        // Header blocks set once for every call...
        .with_headers(InputHeaders {
            application_token: Some("1234567-1234-9876".into()),
            credentials: Some(SoCredentials {
                ticket: Some("7T:1234abcxyzExample==".into()),
            }),
            ..Default::default()
        });
        let request = LogOffWindowsUsers {
            associate_ids: Some(ArrayOfint::from(vec![0])),
        };
        match client.log_off_windows_users(&request).await {
            Ok(response) => {
                // Output headers, each `None` when absent or nil.
                println!("succeeded: {:?}", response.headers.succeeded);
                if let Some(info) = response.headers.exception_info {
                    println!("exception: {:?}", info.message);
                }
            }
            // A SOAP 1.1 or 1.2 fault, whatever the HTTP status.
            Err(Error::Api(fault)) => println!("{} ({})", fault.body, fault.status),
            Err(other) => return Err(other.into()),
        }
        // ...or per call (a per-call value wins over the client's).
        let per_call = InputHeaders {
            application_token: Some("other".into()),
            ..Default::default()
        };
        client
            .log_off_windows_users_with_headers(&request, &per_call)
            .await?;
        Ok(())
    }
}
