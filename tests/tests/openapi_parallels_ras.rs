//! Wire tests of the generated Parallels RAS client against a local HTTP
//! server (wiremock) that records every request.

use wiregen_clients::parallels_ras::{types, Client, PostApiSessionLogoffError};
use wiregen_clients::runtime::{ClientBuilder, Error};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const MEDIA: &str = "application/json; api-version=1.0";

fn client(server: &MockServer) -> Client {
    Client::from(
        ClientBuilder::new(server.uri())
            .default_header("auth_token", "secret-token")
            .build()
            .unwrap(),
    )
}

fn problem_401() -> ResponseTemplate {
    ResponseTemplate::new(401).set_body_raw(
        r#"{"type":"https://tools.ietf.org/html/rfc7235#section-3.1","title":"Unauthorized","status":401,"traceId":"00-abc-01"}"#,
        "application/problem+json",
    )
}

/// Only headers that the spec declares, the user set, or HTTP itself needs.
fn assert_no_invented_headers(request: &Request) {
    for (name, _) in request.headers.iter() {
        let name = name.as_str();
        assert!(
            [
                "host",
                "accept",
                "auth_token",
                "content-type",
                "content-length"
            ]
            .contains(&name),
            "unexpected header `{name}` in {:?}",
            request.headers
        );
    }
    assert!(request.headers.get("api-version").is_none());
}

#[tokio::test]
async fn log_off_sends_the_declared_accept_and_decodes_a_json_string() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/Session/logoff"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("\"Logged off\"", MEDIA))
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server).post_api_session_logoff().await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.into_inner(), "Logged off");

    let requests = server.received_requests().await.unwrap();
    let request = &requests[0];
    assert_eq!(request.headers.get("accept").unwrap(), MEDIA);
    assert_eq!(request.headers.get("auth_token").unwrap(), "secret-token");
    assert!(request.body.is_empty());
    assert_no_invented_headers(request);
}

#[tokio::test]
async fn log_off_accepts_a_text_plain_string() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/Session/logoff"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("Logged off", "text/plain"))
        .mount(&server)
        .await;
    let response = client(&server).post_api_session_logoff().await.unwrap();
    assert_eq!(*response, "Logged off");
}

#[tokio::test]
async fn log_off_401_is_a_typed_problem_details_with_extensions() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/Session/logoff"))
        .respond_with(problem_401())
        .mount(&server)
        .await;
    let err = client(&server).post_api_session_logoff().await.unwrap_err();
    let Error::Api(response) = err else {
        panic!("expected a documented error, got {err:?}")
    };
    assert_eq!(response.status, 401);
    let PostApiSessionLogoffError::Unauthorized(problem) = &response.body;
    let problem: &types::ProblemDetails = problem;
    assert_eq!(problem.title.as_deref(), Some("Unauthorized"));
    assert_eq!(problem.status, Some(401));
    assert_eq!(problem.extra["traceId"], "00-abc-01");
}

#[tokio::test]
async fn log_off_other_admin_puts_the_id_in_the_path_and_204_is_unit() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/Session/42/logoff"))
        .and(header("auth_token", "secret-token"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server)
        .post_api_session_session_id_logoff(42)
        .await
        .unwrap();
    assert_eq!(response.status, 204);
    let () = response.into_inner();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers.get("accept").unwrap(), MEDIA);
    assert_no_invented_headers(&requests[0]);
}

#[tokio::test]
async fn log_off_other_admin_401_is_typed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/Session/7/logoff"))
        .respond_with(problem_401())
        .mount(&server)
        .await;
    let err = client(&server)
        .post_api_session_session_id_logoff(7)
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert!(matches!(err, Error::Api(_)));
}

#[tokio::test]
async fn an_undocumented_status_keeps_status_headers_and_raw_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", "5")
                .set_body_string("maintenance"),
        )
        .mount(&server)
        .await;
    let err = client(&server).post_api_session_logoff().await.unwrap_err();
    let Error::UnexpectedStatus(raw) = err else {
        panic!("expected UnexpectedStatus, got {err:?}")
    };
    assert_eq!(raw.status, 503);
    assert_eq!(raw.headers.get("retry-after").unwrap(), "5");
    assert_eq!(&raw.body[..], b"maintenance");
}

#[tokio::test]
async fn a_body_that_does_not_decode_keeps_the_raw_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("{not json", MEDIA))
        .mount(&server)
        .await;
    let err = client(&server).post_api_session_logoff().await.unwrap_err();
    let Error::Decode { response, source } = &err else {
        panic!("expected Decode, got {err:?}")
    };
    assert_eq!(&response.body[..], b"{not json");
    assert!(source.to_string().contains("json"), "{source}");
}

#[tokio::test]
async fn a_request_hook_runs_on_every_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("auth_token", "from-hook"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::from(
        ClientBuilder::new(server.uri())
            .request_hook(|request| {
                let value = "from-hook".parse().map_err(|_| "bad header".to_string())?;
                request.headers_mut().insert("auth_token", value);
                Ok(())
            })
            .build()
            .unwrap(),
    );
    client.post_api_session_session_id_logoff(1).await.unwrap();
}

#[tokio::test]
async fn a_connection_failure_is_a_transport_error_not_a_panic() {
    // Bind and drop a listener so the port is very likely closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::with_base_url(&format!("http://127.0.0.1:{port}")).unwrap();
    let err = client.post_api_session_logoff().await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn https_base_urls_work_with_rustls() {
    let mut server = wiregen_tests::TlsServer::start(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json; api-version=1.0\r\ncontent-length: 4\r\nconnection: close\r\n\r\n\"ok\"",
    )
    .await;
    let reqwest = wiregen_clients::runtime::reqwest::Client::builder()
        .use_rustls_tls()
        .add_root_certificate(
            wiregen_clients::runtime::reqwest::Certificate::from_pem(server.ca_pem.as_bytes())
                .unwrap(),
        )
        .build()
        .unwrap();
    let client = Client::from(
        ClientBuilder::new(&server.base_url)
            .http_client(reqwest)
            .build()
            .unwrap(),
    );
    let response = client.post_api_session_logoff().await.unwrap();
    assert_eq!(*response, "ok");
    let head = server.requests.recv().await.unwrap();
    assert!(
        head.starts_with("POST /api/Session/logoff HTTP/1.1"),
        "{head}"
    );
}
