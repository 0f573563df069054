//! Wire tests of the generated Rocket.Chat client against a local HTTP
//! server (wiremock) that records every request.

use wiregen_clients::rocket_chat::{types, Client, PostApiV1UsersLogoutError, DEFAULT_BASE_URL};
use wiregen_clients::runtime::Error;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server_with(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/users.logout"))
        .and(header("x-auth-token", "token-1"))
        .and(header("x-user-id", "user-1"))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "message": "User JxemcN9PDCdfzJeZr has been logged out!",
        "success": true
    }))
}

#[tokio::test]
async fn logout_without_body_sends_no_body_and_no_content_type() {
    let server = server_with(ok()).await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let response = client
        .post_api_v1_users_logout("token-1", "user-1", None)
        .await
        .unwrap();
    let body: &types::PostApiV1UsersLogoutOkResponse = &response;
    assert_eq!(body.success, Some(true));
    assert_eq!(
        body.message.as_deref(),
        Some("User JxemcN9PDCdfzJeZr has been logged out!")
    );

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert!(requests[0].body.is_empty(), "body: {:?}", requests[0].body);
    assert!(requests[0].headers.get("content-type").is_none());
    assert_eq!(
        requests[0].headers.get("accept").unwrap(),
        "application/json"
    );
    for (name, _) in requests[0].headers.iter() {
        assert!(
            [
                "host",
                "accept",
                "x-auth-token",
                "x-user-id",
                "content-length"
            ]
            .contains(&name.as_str()),
            "unexpected header {name}"
        );
    }
}

#[tokio::test]
async fn logout_with_body_sends_the_user_id_as_json() {
    let server = server_with(ok()).await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let body = types::PostApiV1UsersLogoutBody {
        user_id: Some("other-user".into()),
    };
    client
        .post_api_v1_users_logout("token-1", "user-1", Some(&body))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].headers.get("content-type").unwrap(),
        "application/json"
    );
    let sent: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(sent, serde_json::json!({"userId": "other-user"}));
}

#[tokio::test]
async fn an_empty_body_object_has_no_null_members() {
    let server = server_with(ok()).await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let body = types::PostApiV1UsersLogoutBody { user_id: None };
    client
        .post_api_v1_users_logout("token-1", "user-1", Some(&body))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(&requests[0].body[..], b"{}");
}

#[tokio::test]
async fn the_401_body_has_its_own_type_with_status() {
    let server = server_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
        "status": "error",
        "message": "You must be logged in to do this."
    })))
    .await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let err = client
        .post_api_v1_users_logout("token-1", "user-1", None)
        .await
        .unwrap_err();
    let Error::Api(response) = err else {
        panic!("expected a documented error, got {err:?}")
    };
    let PostApiV1UsersLogoutError::Unauthorized(body) = &response.body;
    let body: &types::AuthorizationError = body;
    assert_eq!(body.status.as_deref(), Some("error"));
    assert_eq!(
        body.message.as_deref(),
        Some("You must be logged in to do this.")
    );
}

#[tokio::test]
async fn header_values_that_http_forbids_are_errors_not_panics() {
    let server = server_with(ok()).await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let err = client
        .post_api_v1_users_logout("bad\nvalue", "user-1", None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_trailing_slash_on_the_base_url_does_not_double_the_slash() {
    let server = server_with(ok()).await;
    let client = Client::with_base_url(&format!("{}/", server.uri())).unwrap();
    client
        .post_api_v1_users_logout("token-1", "user-1", None)
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.path(), "/api/v1/users.logout");
}

#[test]
fn the_default_base_url_is_the_specs_first_server() {
    assert_eq!(DEFAULT_BASE_URL, "https://apiexplorer.support.rocket.chat");
    let client = Client::new().unwrap();
    assert_eq!(client.api_client().base_url(), DEFAULT_BASE_URL);
    let from_builder = Client::from(Client::builder().build().unwrap());
    assert_eq!(from_builder.api_client().base_url(), DEFAULT_BASE_URL);
}
