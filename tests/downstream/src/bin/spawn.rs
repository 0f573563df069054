//! Spawns generated calls on a multi-threaded runtime: one REST client
//! (Rocket.Chat) and one SOAP client (SuperOffice), each shared between
//! tasks through an `Arc`, as a service would keep them in its state.
//!
//! usage: spawn <rocket-chat-base-url> <superoffice-endpoint>

use std::sync::Arc;

use wiregen_clients::{rocket_chat, superoffice};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [rocket_url, soap_endpoint] = args.as_slice() else {
        return Err("usage: spawn <rocket-chat-base-url> <superoffice-endpoint>".into());
    };

    let rocket = Arc::new(rocket_chat::Client::with_base_url(rocket_url)?);
    let soap = Arc::new(
        superoffice::BasicHttpBindingAssociateClient::with_endpoint(soap_endpoint)?.with_headers(
            superoffice::InputHeaders {
                application_token: Some("app-token".into()),
                ..Default::default()
            },
        ),
    );

    let mut tasks = Vec::new();
    for i in 0..4 {
        let rocket = Arc::clone(&rocket);
        tasks.push(tokio::spawn(async move {
            let body = rocket_chat::types::PostApiV1UsersLogoutBody {
                user_id: Some(format!("user-{i}")),
            };
            let out = rocket
                .post_api_v1_users_logout("auth-token", "my-user-id", Some(&body))
                .await?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(format!(
                "rest {}",
                out.message.as_deref().unwrap_or("(no message)")
            ))
        }));
        let soap = Arc::clone(&soap);
        tasks.push(tokio::spawn(async move {
            let request = superoffice::LogOffWindowsUsers {
                associate_ids: Some(superoffice::ArrayOfint::from(vec![i])),
            };
            let response = soap.log_off_windows_users(&request).await?;
            Ok(format!("soap succeeded={:?}", response.headers.succeeded))
        }));
    }
    let mut lines = Vec::new();
    for task in tasks {
        lines.push(task.await??);
    }
    lines.sort();
    for line in lines {
        println!("{line}");
    }
    Ok(())
}
