//! Wire tests of clients generated from the small OpenAPI documents in
//! `tests/fixtures/openapi/` (see `build.rs`), one capability per fixture,
//! against a local HTTP server (wiremock) that records every request.

include!(concat!(env!("OUT_DIR"), "/openapi_fixtures.rs"));

use wiregen_runtime::{Error, FilePart};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server answering every request with `response`.
async fn server(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    let mut values = request.headers.get_all(name).iter();
    let first = values.next().map(|v| v.to_str().unwrap());
    assert!(values.next().is_none(), "several `{name}` headers");
    first
}

fn no_content() -> ResponseTemplate {
    ResponseTemplate::new(204)
}

// ---------------------------------------------------------------- security

mod security {
    use super::*;
    use auth::Client;

    fn all_credentials(uri: &str) -> Client {
        Client::with_base_url(uri)
            .unwrap()
            .with_header_key("hk")
            .with_query_key("qk")
            .with_cookie_key("ck")
            .with_basic_auth("user", "pa:ss")
            .with_bearer_auth("jwt")
            .with_oauth("oauth-token")
            .with_oidc("oidc-token")
    }

    /// What a request carried: Authorization, X-API-Key, query, Cookie.
    type Carried<'a> = (
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
    );

    fn carried(r: &Request) -> Carried<'_> {
        (
            header(r, "authorization"),
            header(r, "x-api-key"),
            r.url.query(),
            header(r, "cookie"),
        )
    }

    #[tokio::test]
    async fn each_operation_carries_exactly_its_requirement() {
        type Call = for<'c> fn(
            &'c Client,
        ) -> std::pin::Pin<
            Box<dyn std::future::Future<Output = Result<(), String>> + 'c>,
        >;
        macro_rules! call {
            ($($e:tt)*) => {{
                let f: Call = |c| Box::pin(async move { c.$($e)*.await.map(|_| ()).map_err(|e| e.to_string()) });
                f
            }};
        }
        let basic = "Basic dXNlcjpwYTpzcw=="; // base64("user:pa:ss")
        let cases: Vec<(&str, Call, Carried)> = vec![
            (
                "global",
                call!(uses_global()),
                (Some("Bearer jwt"), None, None, None),
            ),
            ("none", call!(needs_none()), (None, None, None, None)),
            (
                "optional",
                call!(optional_key()),
                (None, Some("hk"), None, None),
            ),
            (
                "header",
                call!(header_key()),
                (None, Some("hk"), None, None),
            ),
            (
                "query",
                call!(query_key("a b")),
                (None, None, Some("q=a%20b&api_key=qk"), None),
            ),
            (
                "cookie",
                call!(cookie_key("dark")),
                (None, None, None, Some("theme=dark; session=ck")),
            ),
            ("basic", call!(basic()), (Some(basic), None, None, None)),
            (
                "oauth",
                call!(oauth()),
                (Some("Bearer oauth-token"), None, None, None),
            ),
            (
                "oidc",
                call!(oidc()),
                (Some("Bearer oidc-token"), None, None, None),
            ),
            (
                "both",
                call!(both()),
                (None, Some("hk"), Some("api_key=qk"), None),
            ),
            ("either", call!(either()), (Some(basic), None, None, None)),
            // `nope` is undefined (ignored); `refScheme` is a $ref to headerKey's
            // definition under its own name, so it needs its own credential.
            (
                "undefined",
                call!(undefined_scheme()),
                (None, None, None, None),
            ),
        ];
        for (name, call, expected) in cases {
            let server = server(no_content()).await;
            let client = all_credentials(&server.uri());
            call(&client)
                .await
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let request = only_request(&server).await;
            assert_eq!(carried(&request), expected, "{name}");
        }
    }

    #[tokio::test]
    async fn without_credentials_nothing_is_sent_and_alternatives_fall_through() {
        let server = server(no_content()).await;
        let client = Client::with_base_url(&server.uri()).unwrap();
        client.uses_global().await.unwrap();
        client.optional_key().await.unwrap();
        // Only the second alternative of `either` has a credential.
        let client = client.with_oauth("o");
        client.either().await.unwrap();
        // `both` needs two schemes; one is not enough.
        let client = client.with_header_key("hk");
        client.both().await.unwrap();
        let requests = server.received_requests().await.unwrap();
        let carried: Vec<_> = requests.iter().map(carried).collect();
        assert_eq!(
            carried,
            vec![
                (None, None, None, None),
                (None, None, None, None),
                (Some("Bearer o"), None, None, None),
                (None, None, None, None),
            ]
        );
        let with_ref = Client::with_base_url(&server.uri())
            .unwrap()
            .with_ref_scheme("via-ref");
        with_ref.undefined_scheme().await.unwrap();
        let last = server.received_requests().await.unwrap().pop().unwrap();
        assert_eq!(header(&last, "x-api-key"), Some("via-ref"));
    }

    #[tokio::test]
    async fn credentials_can_be_replaced_and_removed_and_are_not_printed() {
        let server = server(no_content()).await;
        let mut client = Client::with_base_url(&server.uri())
            .unwrap()
            .with_bearer_auth("first")
            .with_bearer_auth("second");
        client.uses_global().await.unwrap();
        client.credentials_mut().remove("bearerAuth");
        client.uses_global().await.unwrap();
        let requests = server.received_requests().await.unwrap();
        assert_eq!(header(&requests[0], "authorization"), Some("Bearer second"));
        assert_eq!(header(&requests[1], "authorization"), None);
        let client = client.with_basic_auth("u", "hunter2");
        assert!(!format!("{client:?}").contains("hunter2"));
    }

    #[tokio::test]
    async fn invalid_credentials_are_errors_not_panics() {
        let server = server(no_content()).await;
        let client = Client::with_base_url(&server.uri())
            .unwrap()
            .with_header_key("bad\nkey");
        let err = client.header_key().await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        assert!(server.received_requests().await.unwrap().is_empty());
    }

    #[test]
    fn undefined_schemes_are_reported() {
        assert!(AUTH_DIAGNOSTICS
            .iter()
            .any(|d| d.contains("security scheme `nope` is not defined")));
    }
}

// ---------------------------------------------------------------- servers

mod server_urls {
    use super::*;

    #[test]
    fn defaults_are_substituted_and_listed() {
        use servers::*;
        assert_eq!(DEFAULT_BASE_URL, "https://eu.api.example.com/v1");
        assert_eq!(
            SERVERS,
            &[
                "https://eu.api.example.com/v1",
                "https://localhost/base",
                "https://static.example.com"
            ]
        );
        assert_eq!(Server0Region::default(), Server0Region::Eu);
        assert_eq!(
            server_url_0(Server0Region::ApSouth, "v2"),
            "https://ap-south.api.example.com/v2"
        );
        assert_eq!(
            server_url_0(Server0Region::default(), "v1"),
            DEFAULT_BASE_URL
        );
        assert_eq!(
            Client::new().unwrap().api_client().base_url(),
            DEFAULT_BASE_URL
        );
    }

    #[tokio::test]
    async fn a_server_built_from_variables_is_called() {
        let mock = server(ResponseTemplate::new(200).set_body_raw("pong", "text/plain")).await;
        let host = mock.uri().trim_start_matches("http://").to_string();
        let url = servers::server_url_1(servers::Server1Scheme::Http, &host);
        let client = servers::Client::with_base_url(&url).unwrap();
        assert_eq!(client.ping().await.unwrap().into_inner(), "pong");
        assert_eq!(only_request(&mock).await.url.path(), "/base/ping");
    }

    #[tokio::test]
    async fn a_relative_server_is_a_base_path_under_an_origin() {
        assert_eq!(servers_relative::DEFAULT_BASE_PATH, "/api/v3");
        let mock = server(no_content()).await;
        let client = servers_relative::Client::with_origin(&format!("{}/", mock.uri())).unwrap();
        client.ping().await.unwrap();
        assert_eq!(only_request(&mock).await.url.path(), "/api/v3/ping");
    }
}

// ---------------------------------------------------------------- bodies

mod request_bodies {
    use super::*;
    use bodies::{types, Client, CreatePetBody, CreatePetMultipart, UploadMultipart};

    fn pet() -> types::Pet {
        types::Pet {
            age: Some(3),
            name: "Rex & co".into(),
            tags: vec!["a b".into(), "c".into()],
        }
    }

    async fn send(body: CreatePetBody<'_>) -> Request {
        let server = server(no_content()).await;
        Client::with_base_url(&server.uri())
            .unwrap()
            .create_pet(body)
            .await
            .unwrap();
        only_request(&server).await
    }

    #[tokio::test]
    async fn json_variants_send_their_exact_media_type() {
        let pet = pet();
        for (body, media) in [
            (CreatePetBody::Json(&pet), "application/json"),
            (
                CreatePetBody::MergePatchJson(&pet),
                "application/merge-patch+json",
            ),
        ] {
            let r = send(body).await;
            assert_eq!(header(&r, "content-type"), Some(media));
            let sent: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            assert_eq!(
                sent,
                serde_json::json!({"age": 3, "name": "Rex & co", "tags": ["a b", "c"]})
            );
        }
    }

    #[tokio::test]
    async fn form_bodies_encode_the_properties() {
        let pet = pet();
        let r = send(CreatePetBody::Form(&pet)).await;
        assert_eq!(
            header(&r, "content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(
            String::from_utf8(r.body.clone()).unwrap(),
            "age=3&name=Rex+%26+co&tags=a+b&tags=c"
        );
    }

    #[tokio::test]
    async fn text_and_bytes() {
        let r = send(CreatePetBody::Text("héllo\nworld")).await;
        assert_eq!(header(&r, "content-type"), Some("text/plain"));
        assert_eq!(r.body, "héllo\nworld".as_bytes());
        let r = send(CreatePetBody::Bytes(bytes::Bytes::from_static(&[
            0, 159, 146, 150,
        ])))
        .await;
        assert_eq!(header(&r, "content-type"), Some("application/octet-stream"));
        assert_eq!(r.body, vec![0, 159, 146, 150]);
    }

    #[tokio::test]
    async fn multipart_bodies_have_a_part_per_property_and_file_parts() {
        let body = CreatePetMultipart {
            name: "Rex".into(),
            photo: FilePart::new(vec![1u8, 2, 3])
                .file_name("rex.png")
                .content_type("image/png"),
            tags: Some(vec!["x".into(), "y".into()]),
            extra: Some(vec![
                FilePart::new(&b"e1"[..]),
                FilePart::new(&b"e2"[..]).file_name("e2.txt"),
            ]),
            meta: Some(types::Meta {
                color: Some("red".into()),
            }),
        };
        let r = send(CreatePetBody::Multipart(&body)).await;
        let content_type = header(&r, "content-type").unwrap();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap_or_else(|| panic!("{content_type}"));
        let text = String::from_utf8_lossy(&r.body);
        let parts: Vec<&str> = text
            .split(&format!("--{boundary}"))
            .map(str::trim)
            .filter(|p| !p.is_empty() && *p != "--")
            .collect();
        let expected = [
            "Content-Disposition: form-data; name=\"extra\"\r\nContent-Type: application/octet-stream\r\n\r\ne1",
            "Content-Disposition: form-data; name=\"extra\"; filename=\"e2.txt\"\r\nContent-Type: application/octet-stream\r\n\r\ne2",
            "Content-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"color\":\"red\"}",
            "Content-Disposition: form-data; name=\"name\"\r\n\r\nRex",
            "Content-Disposition: form-data; name=\"photo\"; filename=\"rex.png\"\r\nContent-Type: image/png\r\n\r\n\u{1}\u{2}\u{3}",
            "Content-Disposition: form-data; name=\"tags\"\r\n\r\nx",
            "Content-Disposition: form-data; name=\"tags\"\r\n\r\ny",
        ];
        assert_eq!(parts, expected);
    }

    #[tokio::test]
    async fn single_media_types_take_the_value_directly() {
        let server = server(no_content()).await;
        let client = Client::with_base_url(&server.uri()).unwrap();
        client.put_raw(None).await.unwrap();
        client
            .put_raw(Some(bytes::Bytes::from_static(b"raw")))
            .await
            .unwrap();
        let file = UploadMultipart {
            file: FilePart::new(&b"data"[..]).file_name("d.bin"),
            note: None,
        };
        client.upload(&file).await.unwrap();
        let requests = server.received_requests().await.unwrap();
        assert!(requests[0].body.is_empty());
        assert_eq!(header(&requests[0], "content-type"), None);
        assert_eq!(requests[1].body, b"raw");
        assert_eq!(
            header(&requests[1], "content-type"),
            Some("application/octet-stream")
        );
        let text = String::from_utf8_lossy(&requests[2].body);
        assert!(text.contains("name=\"file\"; filename=\"d.bin\""), "{text}");
        assert!(!text.contains("name=\"note\""), "{text}");
    }

    #[tokio::test]
    async fn binary_and_text_responses() {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::path("/download"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(vec![0u8, 255, 1], "application/octet-stream"),
            )
            .mount(&server)
            .await;
        Mock::given(wiremock::matchers::path("/text"))
            .respond_with(ResponseTemplate::new(404).set_body_raw("no such text", "text/plain"))
            .mount(&server)
            .await;
        let client = Client::with_base_url(&server.uri()).unwrap();
        let bytes = client.download().await.unwrap();
        assert_eq!(&bytes.body[..], &[0, 255, 1]);
        let requests = server.received_requests().await.unwrap();
        assert_eq!(
            header(&requests[0], "accept"),
            Some("application/octet-stream")
        );
        match client.get_text().await.unwrap_err() {
            Error::Api(response) => {
                let bodies::GetTextError::NotFound(text) = &response.body;
                assert_eq!(text, "no such text");
                assert_eq!(response.status, 404);
            }
            other => panic!("{other:?}"),
        }
    }
}

// ---------------------------------------------------------------- parameters

mod parameter_styles {
    use super::*;
    use params::{types::Color, Client};

    fn color() -> Color {
        Color {
            b: 150,
            g: 200,
            r: 100,
        }
    }

    #[tokio::test]
    async fn path_styles() {
        let server = server(no_content()).await;
        let client = Client::with_base_url(&server.uri()).unwrap();
        client
            .path_styles(
                &vec![1, 2],
                &vec!["a".into(), "b/c".into()],
                &vec!["x".into(), "y z".into()],
                &color(),
            )
            .await
            .unwrap();
        let r = only_request(&server).await;
        assert_eq!(
            r.url.path(),
            "/simple/1,2/label/.a.b%2Fc/matrix/;matrix=x;matrix=y%20z/obj/B=150,G=200,R=100"
        );
    }

    /// Values that would make a dot segment of a shared segment are refused
    /// before anything is sent (each value is checked, and so is the
    /// assembled path: `params::checked_path`); dots inside a segment go as
    /// written.
    #[tokio::test]
    async fn values_joined_into_a_dot_segment_are_refused() {
        let server = server(no_content()).await;
        let client = Client::with_base_url(&server.uri()).unwrap();
        match client.joined_path(".", ".").await {
            Err(Error::InvalidRequest(message)) => {
                assert!(message.contains("dot segment"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        assert!(server.received_requests().await.unwrap().is_empty());
        client.joined_path("a.", ".b").await.unwrap();
        assert_eq!(only_request(&server).await.url.path(), "/joined/a..b/end");
    }

    #[tokio::test]
    async fn query_styles() {
        let server = server(no_content()).await;
        let client = Client::with_base_url(&server.uri()).unwrap();
        client
            .query_styles(
                &vec!["a".into(), "b c".into()],
                &vec!["x,y".into(), "z".into()],
                &color(),
                &vec![1, 2],
                &vec![3, 4],
                &color(),
                "ä&=+",
                "https://h.example/p?q=1",
                &color(),
                None,
            )
            .await
            .unwrap();
        let r = only_request(&server).await;
        assert_eq!(
            r.url.query().unwrap().split('&').collect::<Vec<_>>(),
            vec![
                "exploded=a",
                "exploded=b%20c",
                "csv=x%2Cy,z",
                "color[B]=150",
                "color[G]=200",
                "color[R]=100",
                "spaced=1%202",
                "piped=3|4",
                "form_obj=B,150,G,200,R,100",
                "text=%C3%A4%26%3D%2B",
                "url=https://h.example/p?q=1",
                "filter=%7B%22B%22%3A150%2C%22G%22%3A200%2C%22R%22%3A100%7D",
            ]
        );
    }

    #[tokio::test]
    async fn headers_and_cookies_share_one_cookie_header() {
        let server = server(no_content()).await;
        let client = Client::with_base_url(&server.uri()).unwrap();
        client
            .headers_and_cookies(&vec![1, 2], &color(), "a b", &vec![3, 4])
            .await
            .unwrap();
        let r = only_request(&server).await;
        assert_eq!(header(&r, "x-ids"), Some("1,2"));
        assert_eq!(header(&r, "x-color"), Some("B=150,G=200,R=100"));
        assert_eq!(header(&r, "cookie"), Some("a=a%20b; b=3,4"));
        // The `Accept` header parameter is ignored (noted); what goes out is
        // reqwest's default, as for any operation without response bodies.
        assert_eq!(header(&r, "accept"), Some("*/*"));
        assert!(PARAMS_DIAGNOSTICS
            .iter()
            .any(|d| d.contains("header parameter `Accept` is ignored")));
    }

    #[tokio::test]
    async fn cookie_values_go_as_rfc6265_cookie_octets() {
        let server = server(no_content()).await;
        let client = Client::with_base_url(&server.uri()).unwrap();
        client
            .headers_and_cookies(&vec![1], &color(), "eyJhbGci.x+y/z==:@[]", &vec![3])
            .await
            .unwrap();
        client
            .headers_and_cookies(&vec![1], &color(), "a;b=c, \"d\"\\ é", &vec![3])
            .await
            .unwrap();
        let requests = server.received_requests().await.unwrap();
        let cookies: Vec<_> = requests.iter().map(|r| header(r, "cookie")).collect();
        assert_eq!(
            cookies,
            [
                // base64, JWT and path characters are sent as they are
                Some("a=eyJhbGci.x+y/z==:@[]; b=3"),
                // what a cookie value cannot hold is percent-encoded
                Some("a=a%3Bb=c%2C%20%22d%22%5C%20%C3%A9; b=3"),
            ]
        );
    }

    #[tokio::test]
    async fn swagger_collection_formats() {
        let server = server(no_content()).await;
        let client = params_swagger::Client::with_base_url(&server.uri()).unwrap();
        let v = vec!["a".to_string(), "b".to_string()];
        client.list_items(&v, &v, &v, &v, &v).await.unwrap();
        let r = only_request(&server).await;
        assert_eq!(
            r.url.query(),
            Some("csv=a,b&multi=a&multi=b&pipes=a|b&ssv=a%20b")
        );
        assert_eq!(header(&r, "x-tags"), Some("a,b"));
    }
}

// ---------------------------------------------------------------- names

mod reserved_names {
    use super::*;
    use names::{types, Client};

    #[tokio::test]
    async fn parameters_named_like_locals_and_keywords_reach_the_wire() {
        let server =
            server(ResponseTemplate::new(200).set_body_json(serde_json::json!({"body": "fine"})))
                .await;
        let client = Client::with_base_url(&server.uri()).unwrap();
        let body = types::CollideBody {
            request: Some("in body".into()),
        };
        let out = client
            .collide(
                "req",
                "me",
                "b",
                "resp",
                "raw",
                "__req",
                "__q",
                "__raw",
                "__body",
                "__v",
                "__form",
                "q",
                "api",
                "cred",
                "type",
                "crate",
                "super",
                "fn",
                "match",
                "async",
                "Self",
                "ok",
                Some("some"),
                Some("res"),
                &body,
            )
            .await
            .unwrap();
        assert_eq!(out.into_inner().body.as_deref(), Some("fine"));
        let r = only_request(&server).await;
        assert_eq!(r.url.path(), "/things/req/me");
        assert_eq!(
            r.url.query(),
            Some(
                "body=b&response=resp&raw=raw&__request=__req&__query=__q&__raw=__raw\
                 &__body=__body&__v=__v&__form=__form&query=q&api=api&credentials=cred\
                 &type=type&crate=crate&super=super&fn=fn&match=match&async=async"
            )
        );
        assert_eq!(header(&r, "self"), Some("Self"));
        assert_eq!(header(&r, "ok"), Some("ok"));
        assert_eq!(header(&r, "cookie"), Some("Some=some; result=res"));
        let sent: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(sent, serde_json::json!({"request": "in body"}));
    }

    #[tokio::test]
    #[allow(deprecated)]
    async fn deprecated_operations_still_work() {
        let server = server(no_content()).await;
        let client = Client::with_base_url(&server.uri()).unwrap();
        client.old_thing(Some("x")).await.unwrap();
        assert_eq!(only_request(&server).await.url.query(), Some("legacy=x"));
    }
}

// ---------------------------------------------------------------- README

/// The examples of README.md ("Credentials, servers, request bodies and
/// parameters"), with the base URL pointed at a local server.
#[tokio::test]
async fn readme_examples() -> Result<(), Box<dyn std::error::Error>> {
    let mock = server(no_content()).await;
    {
        use auth::Client;
        let client = Client::with_base_url(&mock.uri())?
            .with_bearer_auth("my-token")
            .with_header_key("my-key")
            .with_basic_auth("user", "secret");
        client.uses_global().await?;
        client.header_key().await?;
        client.needs_none().await?;
    }
    {
        use servers::{server_url_0, Client, Server0Region};
        let us = Client::with_base_url(&server_url_0(Server0Region::Us, "v2"))?;
        assert_eq!(us.api_client().base_url(), "https://us.api.example.com/v2");
    }
    {
        use bodies::{types, Client, CreatePetBody, CreatePetMultipart};
        use wiregen_clients::runtime::FilePart;
        let png_bytes = vec![0x89u8, b'P', b'N', b'G'];
        let client = Client::with_base_url(&mock.uri())?;
        let pet = types::Pet {
            name: "Rex".into(),
            age: Some(3),
            tags: vec![],
        };
        client.create_pet(CreatePetBody::Json(&pet)).await?;
        client.create_pet(CreatePetBody::Form(&pet)).await?;
        let upload = CreatePetMultipart {
            name: "Rex".into(),
            photo: FilePart::new(png_bytes)
                .file_name("rex.png")
                .content_type("image/png"),
            tags: None,
            extra: None,
            meta: None,
        };
        client.create_pet(CreatePetBody::Multipart(&upload)).await?;
    }
    let requests = mock.received_requests().await.unwrap();
    let seen: Vec<_> = requests
        .iter()
        .map(|r| {
            (
                r.url.path().to_string(),
                header(r, "authorization").map(str::to_string),
                header(r, "x-api-key").map(str::to_string),
                header(r, "content-type").map(|c| c.split(';').next().unwrap().to_string()),
            )
        })
        .collect();
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        seen,
        vec![
            ("/global".into(), s("Bearer my-token"), None, None),
            ("/header".into(), None, s("my-key"), None),
            ("/none".into(), None, None, None),
            ("/pets".into(), None, None, s("application/json")),
            (
                "/pets".into(),
                None,
                None,
                s("application/x-www-form-urlencoded")
            ),
            ("/pets".into(), None, None, s("multipart/form-data")),
        ]
    );
    Ok(())
}

// ---------------------------------------------------------------- schemas

mod schema_kinds {
    use super::*;
    use schemas::types::{Animal, ZooEither};
    use schemas::Client;

    /// One response using oneOf with a discriminator, allOf, recursion,
    /// additionalProperties, formats, anyOf, a nullable documented
    /// reference and names that collide after case conversion.
    #[tokio::test]
    async fn every_schema_kind_decodes() {
        let body = serde_json::json!({
            "animals": [
                {"kind": "cat", "name": "Tom", "lives": 9},
                {"kind": "dog", "name": "Rex", "good": true}
            ],
            "tree": {"value": 1, "children": [{"value": 2, "children": [{"value": 3}]}]},
            "labels": {"a": "x", "b": "y"},
            "stamp": {
                "at": "2026-11-21T10:00:00Z", "day": "2026-11-21",
                "id": "6f1c2a3e-8a5e-4bfa-9f59-0c2ad2d1e0a1",
                "big": 9007199254740993_i64, "ratio": 0.5
            },
            "keeper": {"id": "plain", "_id": "underscored", "type": "t", "self": "s", "1st": true},
            "either": "text"
        });
        let server = server(ResponseTemplate::new(200).set_body_json(&body)).await;
        let zoo = Client::with_base_url(&server.uri())
            .unwrap()
            .get_zoo()
            .await
            .unwrap()
            .into_inner();
        match &zoo.animals[..] {
            [Animal::Cat(cat), Animal::Dog(dog)] => {
                assert_eq!((cat.name.as_str(), cat.lives), ("Tom", 9));
                assert_eq!((dog.name.as_str(), dog.good), ("Rex", true));
            }
            other => panic!("animals decoded as {other:?}"),
        }
        assert_eq!(zoo.tree.children[0].children[0].value, 3);
        assert_eq!(zoo.labels["b"], "y");
        assert_eq!(zoo.stamp.big, 9007199254740993);
        assert_eq!(zoo.stamp.at.to_rfc3339(), "2026-11-21T10:00:00+00:00");
        assert_eq!(zoo.stamp.day.unwrap().to_string(), "2026-11-21");
        assert_eq!(
            zoo.stamp.id.to_string(),
            "6f1c2a3e-8a5e-4bfa-9f59-0c2ad2d1e0a1"
        );
        let keeper = zoo.keeper.as_ref().unwrap();
        assert_eq!(keeper.id.as_deref(), Some("plain"));
        assert_eq!(keeper.id_2.as_deref(), Some("underscored"));
        assert_eq!(
            (
                keeper.type_.as_deref(),
                keeper.self_.as_deref(),
                keeper.x1st
            ),
            (Some("t"), Some("s"), Some(true))
        );
        assert!(matches!(zoo.either, Some(ZooEither::String(ref s)) if s == "text"));
        // What the client decodes it writes back the same.
        assert_eq!(serde_json::to_value(&zoo).unwrap(), body);
        assert_eq!(
            SCHEMAS_DIAGNOSTICS,
            [
                "note[types:rename]: schemas.yaml:93:5 (at /components/schemas/user): \
              type name `User` is taken by another schema; this one is `User2`"
            ]
        );
    }

    /// A discriminator value the spec does not list is a decode error
    /// carrying the raw body, not a panic or a wrong variant.
    #[tokio::test]
    async fn an_unknown_variant_is_a_decode_error() {
        let body = r#"{"animals": [{"kind": "eel", "name": "E"}], "tree": {"value": 1},
                       "labels": {}, "stamp": {"at": "2026-11-21T10:00:00Z",
                       "id": "6f1c2a3e-8a5e-4bfa-9f59-0c2ad2d1e0a1", "big": 1, "ratio": 1.0}}"#;
        let server =
            server(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;
        let err = Client::with_base_url(&server.uri())
            .unwrap()
            .get_zoo()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        assert_eq!(err.raw_body().map(|b| b.as_ref()), Some(body.as_bytes()));
    }
}
