//! The `degrade` fixture (`tests/fixtures/openapi/degrade.yaml`): a document
//! with inheritance written as a composition cycle, a reference cycle with
//! no base case and members that do not read. It generates (no stack
//! overflow, no failed document), every degradation is a located warning,
//! and what generated talks correctly over the wire.

include!(concat!(env!("OUT_DIR"), "/openapi_fixtures.rs"));

use degrade::types::{Cat, Dog, Pet, A, B, C};
use degrade::Client;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

fn warning_at(pointer: &str) -> String {
    DEGRADE_DIAGNOSTICS
        .iter()
        .find(|d| d.contains(&format!("(at {pointer})")))
        .unwrap_or_else(|| panic!("no diagnostic at {pointer}: {DEGRADE_DIAGNOSTICS:#?}"))
        .to_string()
}

#[test]
fn every_degradation_is_a_located_warning() {
    let cat = warning_at("/components/schemas/Cat");
    assert!(
        cat.starts_with("warning[") && cat.contains("degrade.yaml:"),
        "{cat}"
    );
    assert!(cat.contains("`Pet`"), "{cat}");
    let cycle = warning_at("/components/schemas/A");
    assert!(cycle.contains("no base case"), "{cycle}");
    let bad_response = warning_at("/paths/~1pets~1{id}/get/responses/410");
    assert!(bad_response.contains("dropped"), "{bad_response}");
    let bad_param = warning_at("/paths/~1pets~1{id}/get/parameters/1");
    assert!(bad_param.contains("dropped"), "{bad_param}");
    let boolean = warning_at(
        "/paths/~1flags/post/requestBody/content/application~1json/schema/properties/anything",
    );
    assert!(boolean.contains("boolean schema"), "{boolean}");
}

#[tokio::test]
async fn inheritance_cycle_decodes_each_variant_with_the_parent_fields() {
    let body = serde_json::json!({"kind": "Cat", "name": "Tom", "meows": true});
    let server = server(ResponseTemplate::new(200).set_body_json(&body)).await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let pet = client.get_pet(7).await.unwrap().into_inner();
    let value = serde_json::to_value(&pet).unwrap();
    assert_eq!(value["name"], "Tom");
    assert_eq!(value["meows"], true);
    let request = &server.received_requests().await.unwrap()[0];
    // The dropped `verbose` parameter is not sent; the path one is.
    assert_eq!(request.url.path(), "/pets/7");
    assert_eq!(request.url.query(), None);

    // Every type of the cycle reads and writes back what the server sent.
    let dog: Dog =
        serde_json::from_value(serde_json::json!({"kind": "Dog", "name": "Rex", "barks": 3}))
            .unwrap();
    assert_eq!(serde_json::to_value(&dog).unwrap()["barks"], 3);
    let cat: Cat = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(serde_json::to_value(&cat).unwrap(), body);
    let _: Pet = serde_json::from_value(body).unwrap();
}

#[tokio::test]
async fn reference_cycle_is_any_value_and_decodes_without_overflow() {
    let body = serde_json::json!({"deep": [[[[1]]]]});
    let server = server(ResponseTemplate::new(200).set_body_json(&body)).await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let a: A = client.get_loop().await.unwrap().into_inner();
    assert_eq!(serde_json::to_value(&a).unwrap(), body);
    for json in [serde_json::json!(1), serde_json::json!("x"), body] {
        let _: A = serde_json::from_value(json.clone()).unwrap();
        let _: B = serde_json::from_value(json.clone()).unwrap();
        let _: C = serde_json::from_value(json).unwrap();
    }
}

#[tokio::test]
async fn a_dropped_response_is_an_unexpected_status_with_its_body() {
    let server = server(ResponseTemplate::new(410).set_body_string("gone")).await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    match client.get_pet(1).await {
        Err(wiregen_runtime::Error::UnexpectedStatus(raw)) => {
            assert_eq!(raw.status.as_u16(), 410);
            assert_eq!(&raw.body[..], b"gone");
        }
        other => panic!("{other:?}"),
    }
}
