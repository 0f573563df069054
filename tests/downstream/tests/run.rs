//! Builds and runs the downstream example against local servers.

use std::process::Command;

use wiremock::matchers::{body_json, body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_downstream_example_calls_both_clients() {
    let ras = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/Session/logoff"))
        .and(header("auth_token", "token-from-logon"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("\"bye\"", "application/json; api-version=1.0"),
        )
        .expect(1)
        .mount(&ras)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/Session/42/logoff"))
        .respond_with(ResponseTemplate::new(401).set_body_raw(
            r#"{"title":"Unauthorized","status":401}"#,
            "application/json; api-version=1.0",
        ))
        .expect(1)
        .mount(&ras)
        .await;
    let rocket = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/users.logout"))
        .and(header("x-auth-token", "auth-token"))
        .and(header("x-user-id", "my-user-id"))
        .and(body_json(serde_json::json!({"userId": "someone-else"})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"message": "logged out", "success": true})),
        )
        .expect(1)
        .mount(&rocket)
        .await;

    let output = Command::new(env!("CARGO_BIN_EXE_downstream-example"))
        .arg(ras.uri())
        .arg(rocket.uri())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        stdout,
        "ras log off: bye\nras log off admin 42: unauthorized (Unauthorized)\nrocket.chat logout: logged out\n"
    );
}

const SOAP_RESPONSE: &str = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
  <s:Header>
    <Succeeded xmlns="http://www.superoffice.net/ws/crm/NetServer/Services86">true</Succeeded>
  </s:Header>
  <s:Body>
    <LogOffWindowsUsersResponse xmlns="http://www.superoffice.net/ws/crm/NetServer/Services86"/>
  </s:Body>
</s:Envelope>"#;

#[tokio::test]
async fn the_spawn_example_runs_both_client_kinds_on_spawned_tasks() {
    let rocket = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/users.logout"))
        .and(header("x-auth-token", "auth-token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"message": "logged out", "success": true})),
        )
        .expect(4)
        .mount(&rocket)
        .await;
    let soap = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/Associate.svc"))
        .and(header(
            "SOAPAction",
            "\"http://www.superoffice.net/ws/crm/NetServer/Services86/Associate/LogOffWindowsUsers\"",
        ))
        .and(body_string_contains("app-token</"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(SOAP_RESPONSE, "text/xml; charset=utf-8"),
        )
        .expect(4)
        .mount(&soap)
        .await;

    let output = Command::new(env!("CARGO_BIN_EXE_spawn"))
        .arg(rocket.uri())
        .arg(format!("{}/Associate.svc", soap.uri()))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        stdout,
        "rest logged out\n".repeat(4) + &"soap succeeded=Some(true)\n".repeat(4)
    );
}
