//! A hostile or broken server cannot crash a client (issue 16).
//!
//! Every case runs the generated clients (`superoffice` for SOAP 1.1 and
//! 1.2, `rocket_chat` and `parallels_ras` for OpenAPI/JSON) against a local
//! server that answers with exactly the bytes given
//! ([`wiregen_tests::raw_server`], a raw `tokio::net::TcpListener`, so even
//! broken HTTP can be sent), on a thread
//! with a 2 MiB stack (tokio's default for its workers). Each case asserts
//! the typed error or the value it must end in; a stack overflow would
//! abort the whole test binary.

use std::future::Future;

use tokio::sync::mpsc;
use wiregen_clients::parallels_ras;
use wiregen_clients::rocket_chat;
use wiregen_clients::runtime::{soap, ClientBuilder, DecodeError, Error};
use wiregen_clients::superoffice::{
    BasicHttpBindingAssociateClient, LogOffWindowsUsers, LogOffWindowsUsersResponse, OutputHeaders,
    Soap12BindingAssociateClient,
};
use wiregen_tests::Recorded;

/// The stack every case runs on.
const STACK: usize = 2 << 20;

const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";
const SO: &str = "http://www.superoffice.net/ws/crm/NetServer/Services86";

/// The nesting depths every deep case is tried at.
const DEPTHS: [usize; 3] = [1_000, 10_000, 1_000_000];

/// Runs `case` on a new thread with a [`STACK`]-sized stack, in its own
/// current-thread runtime (the local server runs there too).
fn on_small_stack<F, Fut>(case: F)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    std::thread::Builder::new()
        .name("2-MiB-stack".into())
        .stack_size(STACK)
        .spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
                .block_on(case())
        })
        .expect("spawn")
        .join()
        .expect("the case panicked");
}

fn http(status: u16, content_type: Option<&str>, extra: &[&str], body: &[u8]) -> Vec<u8> {
    wiregen_tests::http_response(status, content_type, extra, body)
}

async fn raw_server(response: Vec<u8>) -> (String, mpsc::UnboundedReceiver<Recorded>) {
    wiregen_tests::raw_server(response).await
}

type SoapResult =
    Result<soap::Response<LogOffWindowsUsersResponse, OutputHeaders>, soap::SoapError>;

/// Calls `LogOffWindowsUsers` through the SOAP 1.1 or 1.2 binding.
/// The deepest cases here are bodies of tens of MiB: the client reads up
/// to 256 MiB so that the depth limit, not the size limit
/// (`runtime_production.rs`), is what they meet.
const BIG_BODIES: usize = 256 * 1024 * 1024;

async fn call_soap(url: &str, v12: bool) -> SoapResult {
    call_soap_with(ClientBuilder::new(url).max_response_size(BIG_BODIES), v12).await
}

async fn call_soap_with(builder: ClientBuilder, v12: bool) -> SoapResult {
    let request = LogOffWindowsUsers::default();
    let api = builder.build().expect("client");
    if v12 {
        Soap12BindingAssociateClient::from_api_client(api)
            .log_off_windows_users(&request)
            .await
    } else {
        BasicHttpBindingAssociateClient::from_api_client(api)
            .log_off_windows_users(&request)
            .await
    }
}

/// An envelope of `version` with `header` and `body` content.
fn envelope(v12: bool, header: &str, body: &str) -> String {
    let ns = if v12 { SOAP12 } else { SOAP11 };
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{ns}"><s:Header>{header}</s:Header><s:Body>{body}</s:Body></s:Envelope>"#
    )
}

fn ok_body() -> String {
    format!(r#"<LogOffWindowsUsersResponse xmlns="{SO}"/>"#)
}

fn soap_ct(v12: bool) -> &'static str {
    if v12 {
        "application/soap+xml; charset=utf-8"
    } else {
        "text/xml; charset=utf-8"
    }
}

/// `open` `n` times, then `close` `n` times.
fn nest(open: &str, inner: &str, close: &str, n: usize) -> String {
    let mut s = String::with_capacity((open.len() + close.len()) * n + inner.len());
    for _ in 0..n {
        s.push_str(open);
    }
    s.push_str(inner);
    for _ in 0..n {
        s.push_str(close);
    }
    s
}

/// The message of a decode error; panics on anything else.
fn decode_message<T: std::fmt::Debug, E: std::fmt::Debug>(result: Result<T, Error<E>>) -> String {
    match result {
        Err(Error::Decode { source, .. }) => source.to_string(),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

fn is_unexpected_status<T: std::fmt::Debug, E: std::fmt::Debug>(
    result: &Result<T, Error<E>>,
    status: u16,
) -> bool {
    matches!(result, Err(Error::UnexpectedStatus(raw)) if raw.status == status)
}

// ------------------------------------------------------------------ depth

#[test]
fn deep_header_blocks_are_a_decode_error_naming_the_path() {
    on_small_stack(|| async {
        for v12 in [false, true] {
            for n in DEPTHS {
                let header = format!(
                    r#"<ExceptionInfo xmlns="{SO}">{}</ExceptionInfo>"#,
                    nest("<InnerException>", "", "</InnerException>", n)
                );
                let body = envelope(v12, &header, &ok_body());
                let (url, _) =
                    raw_server(http(200, Some(soap_ct(v12)), &[], body.as_bytes())).await;
                let message = decode_message(call_soap(&url, v12).await);
                assert!(
                    message.contains("nested deeper than 128 levels")
                        && message.contains("/Envelope/Header/ExceptionInfo/InnerException/"),
                    "{n} levels: {message}"
                );
            }
        }
    });
}

#[test]
fn recursive_header_types_read_at_realistic_depths_and_the_limit_is_configurable() {
    on_small_stack(|| async {
        // A chain of 30 inner exceptions, each with a message.
        let header = format!(
            r#"<ExceptionInfo xmlns="{SO}"><Message>outer</Message>{}</ExceptionInfo>"#,
            nest(
                "<InnerException><Message>inner</Message>",
                "",
                "</InnerException>",
                30
            )
        );
        let body = envelope(false, &header, &ok_body());
        let (url, _) = raw_server(http(200, Some(soap_ct(false)), &[], body.as_bytes())).await;
        let response = call_soap(&url, false).await.expect("30 levels read");
        let info = response.headers.exception_info.expect("ExceptionInfo");
        assert_eq!(info.message.as_deref(), Some("outer"));
        let mut inner = info.inner_exception;
        let mut count = 0;
        while let Some(e) = inner {
            assert_eq!(e.message.as_deref(), Some("inner"));
            count += 1;
            inner = e.inner_exception;
        }
        assert_eq!(count, 30);
        // The same response with a lower limit (envelope, header,
        // ExceptionInfo and 30 levels are 33 levels, their messages 34).
        let message =
            decode_message(call_soap_with(ClientBuilder::new(&url).xml_max_depth(20), false).await);
        assert!(
            message.contains("nested deeper than 20 levels"),
            "{message}"
        );
        assert!(
            call_soap_with(ClientBuilder::new(&url).xml_max_depth(34), false)
                .await
                .is_ok()
        );
    });
}

#[test]
fn deep_unknown_body_content_is_skipped_up_to_the_skip_limit() {
    on_small_stack(|| async {
        for v12 in [false, true] {
            for n in DEPTHS {
                let body = format!(
                    r#"<LogOffWindowsUsersResponse xmlns="{SO}">{}</LogOffWindowsUsersResponse>"#,
                    nest("<x>", "t", "</x>", n)
                );
                let text = envelope(v12, "", &body);
                let (url, _) =
                    raw_server(http(200, Some(soap_ct(v12)), &[], text.as_bytes())).await;
                let result = call_soap(&url, v12).await;
                if n < soap::MAX_SKIP_DEPTH {
                    // Unknown content is skipped iteratively: the body reads.
                    assert!(result.is_ok(), "{n} levels: {result:?}");
                } else {
                    let message = decode_message(result);
                    assert!(
                        message.contains("nested deeper than 50000 levels")
                            && message.contains("/LogOffWindowsUsersResponse/x/"),
                        "{message}"
                    );
                }
            }
        }
    });
}

#[test]
fn deep_soap11_fault_details_and_reasons() {
    on_small_stack(|| async {
        for n in DEPTHS {
            let fault = format!(
                "<s:Fault><faultcode>s:Server</faultcode><faultstring>boom{}</faultstring><detail>{}</detail></s:Fault>",
                nest("<b>", "markup is dropped", "</b>", n),
                nest("<x>", "", "</x>", n)
            );
            let text = envelope(false, "", &fault);
            let (url, _) = raw_server(http(500, Some(soap_ct(false)), &[], text.as_bytes())).await;
            let result = call_soap(&url, false).await;
            if n < soap::MAX_SKIP_DEPTH {
                let Err(Error::Api(fault)) = result else {
                    panic!("{n} levels: expected the fault, got {result:?}");
                };
                assert_eq!(fault.status, 500);
                assert_eq!(fault.body.code.local, "Server");
                assert_eq!(fault.body.reason, "boom");
                assert_eq!(
                    fault.body.detail_xml.as_deref(),
                    Some(nest("<x>", "", "</x>", n).as_str())
                );
            } else {
                // Not a readable fault: the status and the raw body.
                assert!(is_unexpected_status(&result, 500), "{result:?}");
            }
        }
    });
}

#[test]
fn deep_soap12_subcodes() {
    on_small_stack(|| async {
        let fault = |n: usize| {
            envelope(
                true,
                "",
                &format!(
                    "<s:Fault><s:Code><s:Value>s:Sender</s:Value>{}</s:Code><s:Reason><s:Text xml:lang=\"en\">bad</s:Text></s:Reason></s:Fault>",
                    nest("<s:Subcode><s:Value>s:x</s:Value>", "", "</s:Subcode>", n)
                ),
            )
        };
        // Realistic: three subcodes, read in order.
        let (url, _) = raw_server(http(500, Some(soap_ct(true)), &[], fault(3).as_bytes())).await;
        let Err(Error::Api(f)) = call_soap(&url, true).await else {
            panic!("expected the fault");
        };
        assert_eq!(f.body.subcodes.len(), 3);
        assert_eq!(f.body.reason, "bad");
        for n in DEPTHS {
            // With an error status: the raw response.
            let (url, _) =
                raw_server(http(500, Some(soap_ct(true)), &[], fault(n).as_bytes())).await;
            let result = call_soap(&url, true).await;
            assert!(is_unexpected_status(&result, 500), "{n}: {result:?}");
            // With 200: a decode error that says why.
            let (url, _) =
                raw_server(http(200, Some(soap_ct(true)), &[], fault(n).as_bytes())).await;
            let message = decode_message(call_soap(&url, true).await);
            assert!(
                message.contains("nested deeper than 128 levels")
                    && message.contains("/Envelope/Body/Fault/Code/")
                    && message.contains("/Subcode/Subcode/"),
                "{message}"
            );
        }
    });
}

#[test]
fn deep_json_is_a_decode_error() {
    on_small_stack(|| async {
        for n in DEPTHS {
            // RAS's 401 body is ProblemDetails, whose extra members are
            // `serde_json::Value`: a deep one stops at serde_json's limit.
            let problem = format!(r#"{{"title":"t","x":{}}}"#, nest(r#"{"a":"#, "1", "}", n));
            let (url, _) =
                raw_server(http(401, Some("application/json"), &[], problem.as_bytes())).await;
            let client = parallels_ras::Client::with_base_url(&url).unwrap();
            let message = decode_message(client.post_api_session_session_id_logoff(1).await);
            assert!(message.contains("recursion limit exceeded"), "{message}");
            // Rocket.Chat's 200 body, an array nested instead.
            let deep = nest("[", "", "]", n);
            let (url, _) =
                raw_server(http(200, Some("application/json"), &[], deep.as_bytes())).await;
            let client = rocket_chat::Client::with_base_url(&url).unwrap();
            let message = decode_message(client.post_api_v1_users_logout("t", "u", None).await);
            assert!(message.contains("invalid json"), "{message}");
        }
        // Nested within serde_json's limit, the extra member is kept.
        let problem = format!(r#"{{"title":"t","x":{}}}"#, nest(r#"{"a":"#, "1", "}", 60));
        let (url, _) =
            raw_server(http(401, Some("application/json"), &[], problem.as_bytes())).await;
        let client = parallels_ras::Client::with_base_url(&url).unwrap();
        let Err(Error::Api(e)) = client.post_api_session_session_id_logoff(1).await else {
            panic!("expected the documented 401");
        };
        let parallels_ras::PostApiSessionSessionIdLogoffError::Unauthorized(problem) = &e.body;
        assert_eq!(problem.title.as_deref(), Some("t"));
        assert!(problem.extra.contains_key("x"));
    });
}

// ------------------------------------------------------------ bad bytes

#[test]
fn invalid_utf8_in_names_and_text() {
    on_small_stack(|| async {
        // In the text of a string field: a decode error.
        let mut text = envelope(
            false,
            &format!(r#"<ExceptionInfo xmlns="{SO}"><Message>@@</Message></ExceptionInfo>"#),
            &ok_body(),
        )
        .into_bytes();
        replace(&mut text, b"@@", b"\xff\xfe");
        let (url, _) = raw_server(http(200, Some(soap_ct(false)), &[], &text)).await;
        let message = decode_message(call_soap(&url, false).await);
        assert!(message.contains("malformed xml"), "{message}");

        // In the name of an element: a decode error as well (known or not).
        for v12 in [false, true] {
            let mut text = envelope(
                v12,
                "",
                &format!(r#"<LogOffWindowsUsersResponse xmlns="{SO}"><@@>1</@@></LogOffWindowsUsersResponse>"#),
            )
            .into_bytes();
            replace(&mut text, b"@@", b"a\xc3\x28");
            let (url, _) = raw_server(http(200, Some(soap_ct(v12)), &[], &text)).await;
            let result = call_soap(&url, v12).await;
            let message = decode_message(result);
            assert!(message.contains("malformed xml"), "{message}");
        }

        // In a fault's reason, with an error status: the raw response.
        let mut text = envelope(
            false,
            "",
            "<s:Fault><faultcode>s:Server</faultcode><faultstring>@@</faultstring></s:Fault>",
        )
        .into_bytes();
        replace(&mut text, b"@@", b"\x80");
        let (url, _) = raw_server(http(500, Some(soap_ct(false)), &[], &text)).await;
        assert!(is_unexpected_status(&call_soap(&url, false).await, 500));

        // JSON: in a string and in a member name.
        for body in [&b"{\"message\":\"\xff\"}"[..], &b"{\"\xff\":1}"[..]] {
            let (url, _) = raw_server(http(200, Some("application/json"), &[], body)).await;
            let client = rocket_chat::Client::with_base_url(&url).unwrap();
            let message = decode_message(client.post_api_v1_users_logout("t", "u", None).await);
            assert!(message.contains("invalid json"), "{message}");
        }
        // A text body that is not UTF-8.
        let (url, _) = raw_server(http(200, Some("text/plain"), &[], b"bye \xff")).await;
        let client = parallels_ras::Client::with_base_url(&url).unwrap();
        match client.post_api_session_logoff().await {
            Err(Error::Decode {
                source: DecodeError::Utf8,
                ..
            }) => {}
            other => panic!("{other:?}"),
        }
    });
}

fn replace(bytes: &mut Vec<u8>, from: &[u8], to: &[u8]) {
    while let Some(i) = bytes.windows(from.len()).position(|w| w == from) {
        bytes.splice(i..i + from.len(), to.iter().copied());
    }
}

#[test]
fn truncated_bodies() {
    on_small_stack(|| async {
        let full = envelope(false, "", &ok_body());
        // The connection closes before Content-Length bytes: a transport error.
        let mut short = http(200, Some(soap_ct(false)), &[], full.as_bytes());
        short.truncate(short.len() - 20);
        let (url, _) = raw_server(short).await;
        assert!(matches!(
            call_soap(&url, false).await,
            Err(Error::Transport(_))
        ));
        // A chunked body without its last chunk: a transport error.
        let chunked = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n5\r\n{\"mes\r\n";
        let (url, _) = raw_server(chunked.to_vec()).await;
        let client = rocket_chat::Client::with_base_url(&url).unwrap();
        assert!(matches!(
            client.post_api_v1_users_logout("t", "u", None).await,
            Err(Error::Transport(_))
        ));
        // Correctly framed, but the document stops half-way: a decode error.
        for cut in [10, full.len() / 2, full.len() - 1] {
            let (url, _) = raw_server(http(
                200,
                Some(soap_ct(false)),
                &[],
                &full.as_bytes()[..cut],
            ))
            .await;
            let message = decode_message(call_soap(&url, false).await);
            assert!(
                message.contains("malformed xml") || message.contains("unexpected end"),
                "{message}"
            );
        }
        let (url, _) = raw_server(http(
            200,
            Some("application/json"),
            &[],
            b"{\"message\":\"by",
        ))
        .await;
        let client = rocket_chat::Client::with_base_url(&url).unwrap();
        let message = decode_message(client.post_api_v1_users_logout("t", "u", None).await);
        assert!(message.contains("EOF"), "{message}");
        // An empty body where XML is expected.
        let (url, _) = raw_server(http(200, Some(soap_ct(true)), &[], b"")).await;
        let message = decode_message(call_soap(&url, true).await);
        assert!(message.contains("unexpected end"), "{message}");
    });
}

// ----------------------------------------------------- wrong media types

#[test]
fn wrong_or_missing_content_type_still_reads_what_was_sent() {
    on_small_stack(|| async {
        // The envelope itself says what it is: a wrong or missing
        // Content-Type does not change the result.
        for ct in [Some("application/json"), Some("text/html"), None] {
            for v12 in [false, true] {
                let text = envelope(v12, "", &ok_body());
                let (url, _) = raw_server(http(200, ct, &[], text.as_bytes())).await;
                assert!(call_soap(&url, v12).await.is_ok(), "{ct:?}");
            }
            // A JSON operation decodes its declared JSON.
            let json = br#"{"message":"bye","success":true}"#;
            let (url, _) = raw_server(http(200, ct, &[], json)).await;
            let client = rocket_chat::Client::with_base_url(&url).unwrap();
            let out = client
                .post_api_v1_users_logout("t", "u", None)
                .await
                .unwrap();
            assert_eq!(out.message.as_deref(), Some("bye"));
        }
    });
}

#[test]
fn json_where_xml_is_expected_and_the_reverse() {
    on_small_stack(|| async {
        let json = br#"{"message":"bye","success":true}"#;
        for v12 in [false, true] {
            let (url, _) = raw_server(http(200, Some("application/json"), &[], json)).await;
            let message = decode_message(call_soap(&url, v12).await);
            assert!(message.contains("malformed xml"), "{message}");
            let (url, _) = raw_server(http(500, Some("application/json"), &[], json)).await;
            assert!(is_unexpected_status(&call_soap(&url, v12).await, 500));
        }
        let xml = envelope(false, "", &ok_body());
        let (url, _) = raw_server(http(200, Some("text/xml"), &[], xml.as_bytes())).await;
        let client = rocket_chat::Client::with_base_url(&url).unwrap();
        let message = decode_message(client.post_api_v1_users_logout("t", "u", None).await);
        assert!(message.contains("invalid json"), "{message}");
        let (url, _) = raw_server(http(401, Some("application/xml"), &[], xml.as_bytes())).await;
        let client = parallels_ras::Client::with_base_url(&url).unwrap();
        let message = decode_message(client.post_api_session_session_id_logoff(7).await);
        assert!(message.contains("invalid json"), "{message}");
    });
}

#[test]
fn an_html_error_page_with_status_200() {
    on_small_stack(|| async {
        let html = b"<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Something went wrong<br></h1></body></html>";
        for v12 in [false, true] {
            let (url, _) = raw_server(http(200, Some("text/html"), &[], html)).await;
            let message = decode_message(call_soap(&url, v12).await);
            assert!(message.contains("malformed xml"), "{message}");
        }
        let (url, _) = raw_server(http(200, Some("text/html"), &[], html)).await;
        let client = rocket_chat::Client::with_base_url(&url).unwrap();
        let message = decode_message(client.post_api_v1_users_logout("t", "u", None).await);
        assert!(message.contains("invalid json"), "{message}");
    });
}

#[test]
fn a_gzip_body_the_client_did_not_ask_for() {
    on_small_stack(|| async {
        for v12 in [false, true] {
            let body = gzip(envelope(v12, "", &ok_body()).as_bytes());
            let (url, mut heads) = raw_server(http(
                200,
                Some(soap_ct(v12)),
                &["content-encoding: gzip"],
                &body,
            ))
            .await;
            let message = decode_message(call_soap(&url, v12).await);
            assert!(message.contains("malformed xml"), "{message}");
            let head = heads.recv().await.unwrap().head.to_ascii_lowercase();
            assert!(!head.contains("accept-encoding"), "{head}");
        }
        let body = gzip(br#"{"message":"bye","success":true}"#);
        let (url, _) = raw_server(http(
            200,
            Some("application/json"),
            &["content-encoding: gzip"],
            &body,
        ))
        .await;
        let client = rocket_chat::Client::with_base_url(&url).unwrap();
        let message = decode_message(client.post_api_v1_users_logout("t", "u", None).await);
        assert!(message.contains("invalid json"), "{message}");
    });
}

/// A gzip member holding `data` in one stored (uncompressed) deflate block.
fn gzip(data: &[u8]) -> Vec<u8> {
    let len = u16::try_from(data.len()).expect("small body");
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    out.push(1); // final block, stored
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

// ------------------------------------------------------------- entities

#[test]
fn entity_expansion_is_refused() {
    on_small_stack(|| async {
        let laughs = format!(
            r#"<?xml version="1.0"?><!DOCTYPE s:Envelope [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]><s:Envelope xmlns:s="{SOAP11}"><s:Header><ExceptionInfo xmlns="{SO}"><Message>&lol2;</Message></ExceptionInfo></s:Header><s:Body>{}</s:Body></s:Envelope>"#,
            ok_body()
        );
        let external = format!(
            r#"<?xml version="1.0"?><!DOCTYPE s:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><s:Envelope xmlns:s="{SOAP11}"><s:Body><LogOffWindowsUsersResponse xmlns="{SO}">&xxe;</LogOffWindowsUsersResponse></s:Body></s:Envelope>"#
        );
        for text in [laughs, external] {
            let (url, _) = raw_server(http(200, Some(soap_ct(false)), &[], text.as_bytes())).await;
            let message = decode_message(call_soap(&url, false).await);
            assert!(message.contains("document type declaration"), "{message}");
        }
        // An entity used without any declaration: undefined, an error.
        let text = envelope(
            false,
            &format!(r#"<ExceptionInfo xmlns="{SO}"><Message>&xxe;</Message></ExceptionInfo>"#),
            &ok_body(),
        );
        let (url, _) = raw_server(http(200, Some(soap_ct(false)), &[], text.as_bytes())).await;
        let message = decode_message(call_soap(&url, false).await);
        assert!(message.contains("unknown entity"), "{message}");
    });
}
