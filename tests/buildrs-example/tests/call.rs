//! The build.rs-generated client called over the wire.

use buildrs_example::pet_store::{types, Client, GetPetError};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn generated_at_build_time_and_called() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/7"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"id": 7, "name": "Tom", "tag": null})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets/8"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(serde_json::json!({"title": "gone"})),
        )
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let pet: types::Pet = client.get_pet(7).await.unwrap().into_inner();
    assert_eq!((pet.id, pet.name.as_str(), pet.tag), (7, "Tom", None));
    match client.get_pet(8).await {
        Err(wiregen_runtime::Error::Api(response)) => {
            let GetPetError::NotFound(problem) = &response.body;
            assert_eq!(problem.title.as_deref(), Some("gone"));
        }
        other => panic!("{other:?}"),
    }
}
