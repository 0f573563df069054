//! Production defaults of the runtime, against local servers: timeouts
//! (a server that accepts and never answers), the response size limit,
//! `Content-Length: 0` on body-less POSTs, the SOAP endpoint used as
//! given, and the opt-in retry policy honouring `Retry-After`.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiregen_clients::parallels_ras;
use wiregen_clients::superoffice::{BasicHttpBindingAssociateClient, LogOffWindowsUsers};
use wiregen_runtime::reqwest::Method;
use wiregen_runtime::{ClientBuilder, Error, RetryPolicy};
use wiregen_tests::{http_response, raw_server};

/// A bound far above any timeout set here: the tests only check that a
/// call ended with a timeout, not when.
const GENEROUS: Duration = Duration::from_secs(30);

/// A server that accepts connections, reads what comes and never answers.
async fn silent_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf).await;
            open.push(stream); // kept open, never answered
        }
    });
    url
}

/// A server answering the n-th request with `responses[n]` (the last one
/// for any after), recording when each request arrived.
async fn sequence_server(
    responses: Vec<Vec<u8>>,
) -> (String, tokio::sync::mpsc::UnboundedReceiver<Instant>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut n = 0;
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut data = Vec::new();
            let mut buf = [0u8; 4096];
            while !data.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(k) => data.extend_from_slice(&buf[..k]),
                }
            }
            let _ = tx.send(Instant::now());
            let response = &responses[n.min(responses.len() - 1)];
            n += 1;
            let _ = stream.write_all(response).await;
            let _ = stream.shutdown().await;
        }
    });
    (url, rx)
}

fn ras(api: wiregen_runtime::ApiClient) -> parallels_ras::Client {
    parallels_ras::Client::from(api)
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let url = silent_server().await;
    let started = Instant::now();
    let client = ras(ClientBuilder::new(&url)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap());
    let err = client.post_api_session_logoff().await.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(err.is_timeout() && err.is_retryable());
    assert!(started.elapsed() < GENEROUS);

    // SOAP clients use the same transport.
    let soap = BasicHttpBindingAssociateClient::from_api_client(
        ClientBuilder::new(&url)
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap(),
    );
    let err = soap
        .log_off_windows_users(&LogOffWindowsUsers::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
}

#[tokio::test]
async fn a_timeout_can_be_set_for_one_call() {
    let url = silent_server().await;
    // No client timeout at all: only the per-call one can end this call.
    let client = ras(ClientBuilder::new(&url).timeout(None).build().unwrap());
    let started = Instant::now();
    let err = wiregen_runtime::with_timeout(
        Some(Duration::from_millis(300)),
        client.post_api_session_logoff(),
    )
    .await
    .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < GENEROUS);
}

#[tokio::test]
async fn the_default_client_has_a_timeout() {
    let api = ClientBuilder::new("http://127.0.0.1:1").build().unwrap();
    let debug = format!("{api:?}");
    assert!(debug.contains("timeout: Some(60s)"), "{debug}");
    assert_eq!(wiregen_runtime::DEFAULT_TIMEOUT, Duration::from_secs(60));
    assert_eq!(
        wiregen_runtime::DEFAULT_CONNECT_TIMEOUT,
        Duration::from_secs(10)
    );
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    // Announced by Content-Length: refused before reading.
    let body = vec![b'x'; 2048];
    let (url, _) = raw_server(http_response(200, Some("application/json"), &[], &body)).await;
    let client = ras(ClientBuilder::new(&url)
        .max_response_size(1024)
        .build()
        .unwrap());
    let err = client.post_api_session_logoff().await.unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 1024, status } if status == 200),
        "{err:?}"
    );
    assert!(!err.is_retryable());

    // Not announced (chunked): reading stops at the limit.
    let mut response = b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..4 {
        response.extend_from_slice(b"200\r\n");
        response.extend_from_slice(&[b' '; 512]);
        response.extend_from_slice(b"\r\n");
    }
    response.extend_from_slice(b"0\r\n\r\n");
    let (url, _) = raw_server(response).await;
    let client = ras(ClientBuilder::new(&url)
        .max_response_size(1024)
        .build()
        .unwrap());
    let err = client.post_api_session_logoff().await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");

    // At the limit: read.
    let (url, _) = raw_server(http_response(
        200,
        Some("application/json"),
        &[],
        b"\"bye\"",
    ))
    .await;
    let client = ras(ClientBuilder::new(&url)
        .max_response_size(5)
        .build()
        .unwrap());
    assert_eq!(
        client.post_api_session_logoff().await.unwrap().into_inner(),
        "bye"
    );
}

#[tokio::test]
async fn the_default_size_limit_refuses_a_larger_announced_body() {
    let limit = wiregen_runtime::DEFAULT_MAX_RESPONSE_SIZE;
    assert_eq!(limit, 32 * 1024 * 1024);
    // The head announces one byte more than the limit; nothing is read.
    let head = format!(
        "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n\"x",
        limit + 1
    );
    let (url, _) = raw_server(head.into_bytes()).await;
    let client = ras(ClientBuilder::new(&url).build().unwrap());
    let err = client.post_api_session_logoff().await.unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: l, .. } if l == limit),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_body_less_post_sends_content_length_zero() {
    let (url, mut requests) = raw_server(http_response(
        200,
        Some("application/json"),
        &[],
        b"\"bye\"",
    ))
    .await;
    ras(ClientBuilder::new(&url).build().unwrap())
        .post_api_session_logoff()
        .await
        .unwrap();
    let head = requests.recv().await.unwrap().head.to_ascii_lowercase();
    assert!(head.starts_with("post /api/session/logoff "), "{head}");
    assert!(head.contains("\r\ncontent-length: 0\r\n"), "{head}");
    assert_eq!(head.matches("content-length").count(), 1, "{head}");

    // A GET gets none.
    let api = ClientBuilder::new(&url).build().unwrap();
    api.execute::<()>(api.request(Method::GET, "/x"))
        .await
        .unwrap();
    let head = requests.recv().await.unwrap().head.to_ascii_lowercase();
    assert!(!head.contains("content-length"), "{head}");
}

#[tokio::test]
async fn the_soap_endpoint_is_used_exactly_as_given() {
    let (url, mut requests) = raw_server(http_response(500, None, &[], b"")).await;
    for endpoint in ["/Associate.svc/", "/Associate.svc", "/"] {
        let client =
            BasicHttpBindingAssociateClient::with_endpoint(&format!("{url}{endpoint}")).unwrap();
        let _ = client
            .log_off_windows_users(&LogOffWindowsUsers::default())
            .await;
        assert_eq!(requests.recv().await.unwrap().target(), endpoint);
    }
}

fn unavailable(retry_after: &str) -> Vec<u8> {
    http_response(503, None, &[&format!("retry-after: {retry_after}")], b"")
}

#[tokio::test]
async fn a_retry_honours_retry_after() {
    let (url, mut arrivals) =
        sequence_server(vec![unavailable("1"), http_response(200, None, &[], b"ok")]).await;
    // Backoff alone would wait a millisecond: only Retry-After makes it 1 s.
    let api = ClientBuilder::new(&url)
        .retry(RetryPolicy::new(3).initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    let raw = api
        .execute::<()>(api.request(Method::GET, "/x"))
        .await
        .unwrap();
    assert_eq!(raw.status, 200);
    assert_eq!(raw.text(), "ok");
    let first = arrivals.recv().await.unwrap();
    let second = arrivals.recv().await.unwrap();
    assert!(
        second - first >= Duration::from_secs(1),
        "{:?}",
        second - first
    );
    assert!(arrivals.try_recv().is_err(), "a third request");
}

#[tokio::test]
async fn retries_stop_after_max_attempts_and_skip_posts_unless_told() {
    let (url, mut arrivals) = sequence_server(vec![unavailable("0")]).await;
    let policy = RetryPolicy::new(3).initial_backoff(Duration::from_millis(1));
    let api = ClientBuilder::new(&url)
        .retry(policy.clone())
        .build()
        .unwrap();
    let raw = api
        .execute::<()>(api.request(Method::GET, "/x"))
        .await
        .unwrap();
    assert_eq!(raw.status, 503);
    let mut count = 0;
    while arrivals.try_recv().is_ok() {
        count += 1;
    }
    assert_eq!(count, 3);

    // POST (every generated SOAP call, RAS's logoff): not retried...
    let err = ras(api.clone())
        .post_api_session_logoff()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert!(err.is_retryable());
    assert!(arrivals.recv().await.is_some());
    assert!(arrivals.try_recv().is_err(), "a POST was retried");
    // ...unless the policy says so.
    let api = ClientBuilder::new(&url)
        .retry(policy.retry_non_idempotent(true))
        .build()
        .unwrap();
    let _ = ras(api).post_api_session_logoff().await.unwrap_err();
    let mut count = 0;
    while arrivals.try_recv().is_ok() {
        count += 1;
    }
    assert_eq!(count, 3);
}

#[tokio::test]
async fn a_retry_after_beyond_the_limit_is_not_waited_for() {
    let (url, mut arrivals) = sequence_server(vec![
        unavailable("3600"),
        http_response(200, None, &[], b"ok"),
    ])
    .await;
    let started = Instant::now();
    let api = ClientBuilder::new(&url)
        .retry(RetryPolicy::new(3).max_retry_after(Duration::from_secs(10)))
        .build()
        .unwrap();
    let raw = api
        .execute::<()>(api.request(Method::GET, "/x"))
        .await
        .unwrap();
    assert_eq!(raw.status, 503);
    assert!(started.elapsed() < GENEROUS);
    assert!(arrivals.recv().await.is_some());
    assert!(
        arrivals.try_recv().is_err(),
        "retried despite Retry-After: 3600"
    );
}

#[tokio::test]
async fn documented_errors_are_not_retryable_but_overload_is() {
    let (url, _) = raw_server(http_response(404, None, &[], b"")).await;
    let err = ras(ClientBuilder::new(&url).build().unwrap())
        .post_api_session_logoff()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(!err.is_retryable());
    let (url, _) = raw_server(http_response(429, None, &[], b"")).await;
    let err = ras(ClientBuilder::new(&url).build().unwrap())
        .post_api_session_logoff()
        .await
        .unwrap_err();
    assert!(err.is_retryable(), "{err:?}");
}
