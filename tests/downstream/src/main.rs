//! Logs off from Parallels RAS and Rocket.Chat with the generated clients.
//!
//! usage: downstream-example <ras-base-url> <rocket-chat-base-url>

use wiregen_clients::runtime::{ClientBuilder, Error};
use wiregen_clients::{parallels_ras, rocket_chat};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [ras_url, rocket_url] = args.as_slice() else {
        return Err("usage: downstream-example <ras-base-url> <rocket-chat-base-url>".into());
    };

    // RAS wants the token from logon in an `auth_token` header that the
    // spec does not declare: set it once for every request.
    let ras = parallels_ras::Client::from(
        ClientBuilder::new(ras_url.as_str())
            .default_header("auth_token", "token-from-logon")
            .build()?,
    );
    let message = ras.post_api_session_logoff().await?;
    println!("ras log off: {}", message.into_inner());
    match ras.post_api_session_session_id_logoff(42).await {
        Ok(_) => println!("ras log off admin 42: done"),
        Err(Error::Api(response)) => {
            let parallels_ras::PostApiSessionSessionIdLogoffError::Unauthorized(problem) =
                &response.body;
            println!(
                "ras log off admin 42: unauthorized ({})",
                problem.title.as_deref().unwrap_or("no title")
            );
        }
        Err(other) => return Err(other.into()),
    }

    let rocket = rocket_chat::Client::with_base_url(rocket_url)?;
    let body = rocket_chat::types::PostApiV1UsersLogoutBody {
        user_id: Some("someone-else".to_string()),
    };
    let out = rocket
        .post_api_v1_users_logout("auth-token", "my-user-id", Some(&body))
        .await?;
    println!(
        "rocket.chat logout: {}",
        out.message.as_deref().unwrap_or("(no message)")
    );
    Ok(())
}
