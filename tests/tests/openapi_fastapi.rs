//! A real server: the FastAPI application of `tests/fastapi/app.py`, started
//! with uvicorn on 127.0.0.1, called over the wire through the client
//! `build.rs` generates from its own OpenAPI 3.1 document
//! (`tests/fixtures/openapi/fastapi_app.json`). Every endpoint echoes what
//! it received (Pydantic's `model_fields_set` and the raw JSON body), so the
//! assertions are on what the server saw.
//!
//! Needs Python 3 with the versions `.ci/run` installs (fastapi, pydantic,
//! uvicorn, python-multipart); without them the tests fail and say so.

include!(concat!(env!("OUT_DIR"), "/openapi_fixtures.rs"));

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate};
use fastapi_app::{types, Client};
use serde_json::{json, Value};
use uuid::Uuid;
use wiregen_runtime::{Error, FilePart};

/// `python3` with the pinned packages of `tests/python-requirements.txt`
/// (installed on first use under the target folder).
fn python() -> Command {
    wiregen_tests::python::python(env!("CARGO_TARGET_TMPDIR"))
}

/// The id the app knows (`KNOWN` in app.py).
const KNOWN: &str = "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";

fn app_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fastapi")
}

/// The uvicorn process serving app.py; killed on drop.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start() -> Server {
        let check = python()
            .args(["-c", "import fastapi, pydantic, uvicorn, multipart"])
            .output();
        match check {
            Ok(out) if out.status.success() => {}
            Ok(out) => panic!(
                "the FastAPI wire test needs fastapi, uvicorn and python-multipart \
                 (tests/python-requirements.txt) and could not import them: {}",
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .last()
                    .unwrap_or_default()
            ),
            Err(e) => panic!("the FastAPI wire test needs python3 on PATH ({e})"),
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = python()
            .args(["-m", "uvicorn", "app:app", "--app-dir"])
            .arg(app_dir())
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--log-level", "warning"])
            .stdin(Stdio::null())
            .spawn()
            .expect("starting uvicorn");
        let mut server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        server.wait_ready(port);
        server
    }

    fn wait_ready(&mut self, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("uvicorn exited before answering: {status}");
            }
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "uvicorn did not answer on port {port} within 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn client(&self) -> Client {
        Client::with_base_url(&self.base).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn uuid(text: &str) -> Uuid {
    text.parse().unwrap()
}

fn raw(received: &types::Received) -> Value {
    Value::Object(received.raw.clone())
}

fn full_item() -> types::Item {
    types::Item {
        name: "lamp".into(),
        price: 12.5,
        color: types::Color::Blue,
        made_at: at("2024-03-10T08:30:00+02:00"),
        sku: uuid("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"),
        description: Some("a lamp".into()),
        best_before: Some(day("2025-12-31")),
        dimensions: Some(types::Dimensions {
            width: 1.5,
            height: 2.0,
        }),
        tags: vec![
            types::Tag {
                name: "home".into(),
                weight: Some(3),
            },
            types::Tag {
                name: "light".into(),
                weight: None,
            },
        ],
        priority: Some(types::ItemPriority::High),
    }
}

#[tokio::test]
async fn vendored_document_is_what_the_app_serves() {
    let server = Server::start();
    let served = wiregen_runtime::reqwest::get(format!("{}/openapi.json", server.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let served: Value = serde_json::from_str(&served).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/openapi/fastapi_app.json");
    let vendored: Value = serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    assert!(
        served == vendored,
        "tests/fixtures/openapi/fastapi_app.json differs from what tests/fastapi/app.py serves: \
         run `python3 tests/fastapi/dump_openapi.py`"
    );
    // The whole document generates without a warning (only the note that
    // 3.1 was read as 3.0).
    assert!(
        FASTAPI_APP_DIAGNOSTICS
            .iter()
            .all(|d| d.starts_with("note[normalize]")),
        "{FASTAPI_APP_DIAGNOSTICS:#?}"
    );
}

#[tokio::test]
async fn models_optional_nested_enums_dates_and_uuids() {
    let server = Server::start();
    let client = server.client();

    // POST /items, every optional field set.
    let echo = client
        .create_item_items_post(&full_item())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        echo.received.fields_set,
        [
            "best_before",
            "color",
            "description",
            "dimensions",
            "made_at",
            "name",
            "price",
            "priority",
            "sku",
            "tags"
        ]
    );
    assert_eq!(
        raw(&echo.received),
        json!({
            "name": "lamp", "price": 12.5, "color": "blue",
            "made_at": "2024-03-10T08:30:00+02:00",
            "sku": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
            "description": "a lamp", "best_before": "2025-12-31",
            "dimensions": {"width": 1.5, "height": 2.0},
            "tags": [{"name": "home", "weight": 3}, {"name": "light"}],
            "priority": "high"
        })
    );
    assert_eq!(echo.made_at_utc_offset_minutes, 120);
    // The offset comes back as sent.
    assert_eq!(echo.item.made_at, at("2024-03-10T08:30:00+02:00"));
    assert_eq!(echo.item.made_at.offset().local_minus_utc(), 7200);
    assert_eq!(echo.item.best_before, Some(day("2025-12-31")));
    assert_eq!(echo.item.tags[1].weight, None);
    assert_eq!(echo.item.priority, Some(types::ItemPriority::High));

    // The same with every optional field unset: none is sent, not even as
    // `null` or `{}`.
    let mut bare = full_item();
    bare.description = None;
    bare.best_before = None;
    bare.dimensions = None;
    bare.tags = Vec::new();
    bare.priority = None;
    bare.made_at = at("2024-03-10T08:30:00Z");
    let response = client.create_item_items_post(&bare).await.unwrap();
    assert_eq!(response.status.as_u16(), 201);
    let echo = response.into_inner();
    assert_eq!(
        echo.received.fields_set,
        ["color", "made_at", "name", "price", "sku"]
    );
    assert_eq!(
        raw(&echo.received),
        json!({
            "name": "lamp", "price": 12.5, "color": "blue",
            "made_at": "2024-03-10T08:30:00Z",
            "sku": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
        })
    );
    assert_eq!(echo.made_at_utc_offset_minutes, 0);
    // The server answers the unset optionals with `null`: they decode.
    assert_eq!(echo.item.description, None);
    assert!(echo.item.dimensions.is_none());

    // GET /items: a list of nested models, `null`s included.
    let items = client.list_items_items_get().await.unwrap().into_inner();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].made_at, at("2024-05-06T07:08:09-05:00"));
    assert_eq!(items[0].made_at.offset().local_minus_utc(), -5 * 3600);
    assert_eq!(items[1].tags[0].name, "t");
    assert!(items[0].description.is_none() && items[0].priority.is_none());

    // PATCH /items/{id}: only what is set goes out.
    let patch = types::ItemPatch {
        price: Some(3.25),
        dimensions: Some(types::Dimensions {
            width: 4.0,
            height: 5.0,
        }),
        ..Default::default()
    };
    let echo = client
        .patch_item_items_item_id_patch(&uuid(KNOWN), &patch)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(echo.item_id, uuid(KNOWN));
    assert_eq!(echo.received.fields_set, ["dimensions", "price"]);
    assert_eq!(
        raw(&echo.received),
        json!({"price": 3.25, "dimensions": {"width": 4.0, "height": 5.0}})
    );
    let echo = client
        .patch_item_items_item_id_patch(&uuid(KNOWN), &types::ItemPatch::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(raw(&echo.received), json!({}));
    assert!(echo.received.fields_set.is_empty());

    // POST /tags/bulk: a list of models as the body.
    let tags = vec![
        types::Tag {
            name: "a".into(),
            weight: Some(1),
        },
        types::Tag {
            name: "b".into(),
            weight: None,
        },
    ];
    let echo = client
        .bulk_tags_tags_bulk_post(&tags)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(echo.count, 2);
    assert_eq!(echo.names, ["a", "b"]);
    assert_eq!(echo.weights, [Some(1), None]);

    // POST /events: uuid, date-time, date and a list of uuids.
    let event = types::Event {
        id: uuid("11111111-2222-4333-8444-555555555555"),
        at: at("2024-07-01T23:15:00-03:30"),
        day: day("2024-07-02"),
        attendees: vec![
            uuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
            uuid("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"),
        ],
        ends_at: None,
    };
    let echo = client
        .create_event_events_post(&event)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(echo.at_utc_offset_minutes, -210);
    assert_eq!(echo.attendee_versions, [1, 4]);
    assert_eq!(echo.received.fields_set, ["at", "attendees", "day", "id"]);
    assert_eq!(echo.event.at, event.at);
    assert_eq!(echo.event.at.offset().local_minus_utc(), -210 * 60);
    assert_eq!(echo.event.day, event.day);
    assert_eq!(echo.event.attendees, event.attendees);
    assert_eq!(echo.event.ends_at, None);
}

#[tokio::test]
async fn parameters_in_path_query_header_and_cookie() {
    let server = Server::start();
    let client = server.client();

    // Path: date; query: aware date-time.
    let echo = client
        .get_day_days_day_get(&day("2024-02-29"), &at("2024-02-29T10:00:00+05:45"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(echo.day, day("2024-02-29"));
    assert_eq!(echo.weekday, 4);
    assert_eq!(echo.at_utc_offset_minutes, 345);
    assert_eq!(echo.at, at("2024-02-29T10:00:00+05:45"));

    // Path: enum.
    for (color, hex) in [
        (types::Color::Red, "#ff0000"),
        (types::Color::Green, "#00ff00"),
        (types::Color::Blue, "#0000ff"),
    ] {
        let echo = client
            .get_color_colors_color_get(color)
            .await
            .unwrap()
            .into_inner();
        assert_eq!(echo.color, color);
        assert_eq!(echo.hex, hex);
    }

    // Query: all set, a list included.
    let tags = vec!["x y".to_string(), "z&w".to_string()];
    let echo = client
        .search_search_get(
            "lamp",
            Some(&tags),
            Some(std::num::NonZeroU64::new(7).unwrap()),
            Some(types::Color::Green),
            Some(&day("2023-01-15")),
            Some(&at("2023-01-15T12:00:00-08:00")),
        )
        .await
        .unwrap()
        .into_inner();
    assert_eq!(echo.q, "lamp");
    assert_eq!(echo.tags, tags);
    assert_eq!(echo.limit, 7);
    assert_eq!(echo.color, Some(types::Color::Green));
    assert_eq!(echo.since, Some(day("2023-01-15")));
    assert_eq!(echo.after, Some(at("2023-01-15T12:00:00-08:00")));
    assert_eq!(echo.after_utc_offset_minutes, Some(-480));
    // Only the required one: the server's defaults apply.
    let echo = client
        .search_search_get("only", None, None, None, None, None)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(echo.tags, Vec::<String>::new());
    assert_eq!(echo.limit, 10);
    assert_eq!(echo.color, None);
    assert_eq!(echo.after, None);

    // Header and cookie parameters, required and optional.
    let request_id = uuid("9b2e4d6f-8a1c-4e3b-9d5f-7a6c8e0b2d4f");
    let echo = client
        .read_headers_headers_get(&request_id, "s3cr3t", Some("fast"), Some("dark"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(echo.x_request_id, request_id);
    assert_eq!(echo.session, "s3cr3t");
    assert_eq!(echo.x_mode.as_deref(), Some("fast"));
    assert_eq!(echo.theme.as_deref(), Some("dark"));
    let echo = client
        .read_headers_headers_get(&request_id, "s3cr3t", None, None)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(echo.x_mode, None);
    assert_eq!(echo.theme, None);
}

#[tokio::test]
async fn form_and_multipart_bodies() {
    let server = Server::start();
    let client = server.client();

    // application/x-www-form-urlencoded
    let login = types::BodyLoginLoginPost {
        username: "ada lovelace".into(),
        password: "p&ss=word".into(),
        remember: Some(true),
    };
    let echo = client.login_login_post(&login).await.unwrap().into_inner();
    assert_eq!(echo.content_type, "application/x-www-form-urlencoded");
    assert_eq!(echo.username, "ada lovelace");
    assert_eq!(echo.password, "p&ss=word");
    assert!(echo.remember);
    let login = types::BodyLoginLoginPost {
        remember: None,
        ..login
    };
    assert!(!client.login_login_post(&login).await.unwrap().remember);

    // multipart/form-data: a file part and a text part.
    let bytes: Vec<u8> = vec![0, 1, 2, 0xfe, 0xff, b'a'];
    let body = fastapi_app::UploadUploadPostMultipart {
        description: "raw bytes".into(),
        file: FilePart::new(bytes.clone())
            .file_name("data.bin")
            .content_type("application/x-custom"),
    };
    let echo = client.upload_upload_post(&body).await.unwrap().into_inner();
    assert_eq!(echo.content_type, "multipart/form-data");
    assert_eq!(echo.description, "raw bytes");
    assert_eq!(echo.file.filename.as_deref(), Some("data.bin"));
    assert_eq!(
        echo.file.content_type.as_deref(),
        Some("application/x-custom")
    );
    assert_eq!(echo.file.size, 6);
    assert_eq!(echo.file.content_hex, "000102feff61");

    // Several files in one part name, and an optional text part.
    let body = fastapi_app::UploadManyUploadManyPostMultipart {
        files: vec![
            FilePart::new("first")
                .file_name("a.txt")
                .content_type("text/plain"),
            FilePart::new(vec![9u8, 8, 7]).file_name("b.bin"),
        ],
        note: Some("two".into()),
    };
    let echo = client
        .upload_many_upload_many_post(&body)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(echo.note.as_deref(), Some("two"));
    assert_eq!(echo.files.len(), 2);
    assert_eq!(echo.files[0].filename.as_deref(), Some("a.txt"));
    assert_eq!(echo.files[0].content_type.as_deref(), Some("text/plain"));
    assert_eq!(echo.files[0].content_hex, "6669727374");
    assert_eq!(echo.files[1].filename.as_deref(), Some("b.bin"));
    assert_eq!(
        echo.files[1].content_type.as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!(echo.files[1].content_hex, "090807");
    let body = fastapi_app::UploadManyUploadManyPostMultipart { note: None, ..body };
    let echo = client
        .upload_many_upload_many_post(&body)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(echo.note, None);
    assert_eq!(echo.files.len(), 2);
}

#[tokio::test]
async fn unions_nullables_text_and_status_codes() {
    let server = Server::start();
    let client = server.client();

    // A discriminated union body (`const` discriminators).
    let cat = types::Pet::Cat(types::Cat {
        kind: types::CatKind::Cat,
        name: "tom".into(),
        lives: 7,
    });
    let echo = client
        .create_pet_pets_post(&cat)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(echo.model, "Cat");
    assert_eq!(
        raw(&echo.received),
        json!({"kind": "cat", "name": "tom", "lives": 7})
    );
    assert!(matches!(echo.pet, types::PetEchoPet::Cat(ref c) if c.lives == 7));
    let dog = types::Pet::Dog(types::Dog {
        kind: types::DogKind::Dog,
        name: "rex".into(),
        good: None,
    });
    let echo = client
        .create_pet_pets_post(&dog)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(echo.model, "Dog");
    assert_eq!(echo.received.fields_set, ["kind", "name"]);
    assert!(matches!(echo.pet, types::PetEchoPet::Dog(ref d) if d.good == Some(true)));

    // Required nullable fields: `null` decodes, values too.
    let report = client
        .nullable_nullable_get(None)
        .await
        .unwrap()
        .into_inner();
    assert!(report.nickname.is_none() && report.age.is_none() && report.score.is_none());
    assert!(report.when.is_none() && report.tags.is_none() && report.owner.is_none());
    assert!(report.color.is_none() && report.priority.is_none());
    let report = client
        .nullable_nullable_get(Some(true))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(report.nickname.as_deref(), Some("nick"));
    assert_eq!(report.age, Some(41));
    assert_eq!(report.score, Some(0.5));
    assert_eq!(report.when, Some(at("2024-02-29T12:00:00+05:30")));
    assert_eq!(report.tags, Some(vec!["a".to_string()]));
    assert_eq!(report.owner.map(|o| o.name), Some("o".to_string()));
    assert_eq!(report.color, Some(types::Color::Blue));
    assert_eq!(report.priority, Some(types::NullableReportPriority::High));

    // text/plain
    let text = client.text_text_get(Some("wire")).await.unwrap();
    assert_eq!(text.status.as_u16(), 200);
    assert_eq!(text.into_inner(), "hello, wire");
    assert_eq!(
        client.text_text_get(None).await.unwrap().into_inner(),
        "hello, world"
    );

    // 200 and 404 with its declared model.
    let item = client
        .get_item_items_item_id_get(&uuid(KNOWN))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(item.name, "stored");
    assert_eq!(item.color, types::Color::Green);
    let missing = uuid("00000000-0000-4000-8000-000000000000");
    match client.get_item_items_item_id_get(&missing).await {
        Err(Error::Api(response)) => {
            assert_eq!(response.status.as_u16(), 404);
            let fastapi_app::GetItemItemsItemIdGetError::NotFound(body) = &response.body else {
                panic!("not the 404 variant: {:?}", response.body)
            };
            assert_eq!(body.message, "no such item");
            assert_eq!(body.item_id, missing);
        }
        other => panic!("expected a typed 404: {other:?}"),
    }

    // 204, and a 404 the document does not declare for DELETE.
    let deleted = client
        .delete_item_items_item_id_delete(&uuid(KNOWN))
        .await
        .unwrap();
    assert_eq!(deleted.status.as_u16(), 204);
    match client.delete_item_items_item_id_delete(&missing).await {
        Err(Error::UnexpectedStatus(raw)) => assert_eq!(raw.status.as_u16(), 404),
        other => panic!("expected an undeclared 404: {other:?}"),
    }

    // Two success statuses with different models.
    match client
        .run_job_jobs_name_post("build", None)
        .await
        .unwrap()
        .into_inner()
    {
        fastapi_app::RunJobJobsNamePostResponse::Ok(done) => {
            assert_eq!((done.name.as_str(), done.result), ("build", 5))
        }
        other => panic!("expected 200: {other:?}"),
    }
    let accepted = client
        .run_job_jobs_name_post("later", Some(false))
        .await
        .unwrap();
    assert_eq!(accepted.status.as_u16(), 202);
    match accepted.into_inner() {
        fastapi_app::RunJobJobsNamePostResponse::Accepted(job) => {
            assert_eq!((job.name.as_str(), job.queue_position), ("later", 3))
        }
        other => panic!("expected 202: {other:?}"),
    }
}

#[tokio::test]
async fn numeric_constraints_and_the_422_validation_error() {
    let server = Server::start();
    let client = server.client();

    let ok = types::Measurement {
        value: 99.5,
        count: std::num::NonZeroU64::new(10).unwrap(),
        ratio: Some(1.0),
    };
    let echo = client.measure_measure_post(&ok).await.unwrap().into_inner();
    assert_eq!(
        raw(&echo.received),
        json!({"value": 99.5, "count": 10, "ratio": 1.0})
    );
    assert_eq!(echo.measurement.count.get(), 10);

    // `value` must be > 0 (`exclusiveMinimum`), `ratio` <= 1: the server
    // answers 422 with FastAPI's HTTPValidationError, a typed error.
    let bad = types::Measurement {
        value: 0.0,
        count: std::num::NonZeroU64::new(11).unwrap(),
        ratio: Some(1.5),
    };
    match client.measure_measure_post(&bad).await {
        Err(Error::Api(response)) => {
            assert_eq!(response.status.as_u16(), 422);
            let fastapi_app::MeasureMeasurePostError::UnprocessableEntity(error) = &response.body;
            let mut found: Vec<(String, String)> = error
                .detail
                .iter()
                .map(|d| {
                    let loc: Vec<String> = d.loc.iter().map(|l| l.to_string()).collect();
                    (loc.join("."), d.type_.clone())
                })
                .collect();
            found.sort();
            assert_eq!(
                found,
                [
                    ("body.count".to_string(), "less_than_equal".to_string()),
                    ("body.ratio".to_string(), "less_than_equal".to_string()),
                    ("body.value".to_string(), "greater_than".to_string()),
                ]
            );
            let value = error
                .detail
                .iter()
                .find(|d| d.type_ == "greater_than")
                .unwrap();
            assert_eq!(value.input, Some(json!(0.0)));
            assert_eq!(value.ctx.get("gt"), Some(&json!(0.0)));
        }
        other => panic!("expected a typed 422: {other:?}"),
    }

    // A query parameter out of its bounds is a 422 as well.
    match client
        .search_search_get(
            "q",
            None,
            Some(std::num::NonZeroU64::new(101).unwrap()),
            None,
            None,
            None,
        )
        .await
    {
        Err(Error::Api(response)) => {
            let fastapi_app::SearchSearchGetError::UnprocessableEntity(error) = &response.body;
            assert_eq!(error.detail[0].type_, "less_than_equal");
        }
        other => panic!("expected a typed 422: {other:?}"),
    }
}
