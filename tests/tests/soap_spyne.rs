//! A real SOAP server: the spyne service of `tests/spyne/service.py`,
//! started on 127.0.0.1 (a free port, killed on drop) and called over the
//! wire through the clients `build.rs` generates from its own WSDLs
//! (`tests/fixtures/soap/roundtrip/spyne_service.wsdl` for SOAP 1.1,
//! `spyne_service12.wsdl` for SOAP 1.2, written by
//! `python3 tests/spyne/dump_wsdl.py`). Every operation echoes or computes
//! from what it received, so the assertions are on what the server saw.
//!
//! Needs Python 3 with spyne (and lxml) at the version `.ci/run` installs;
//! without it the tests fail and say what to install.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use wiregen_runtime::{ClientBuilder, Error};

#[allow(
    clippy::large_enum_variant,
    clippy::enum_variant_names,
    clippy::result_large_err,
    dead_code
)]
mod s11 {
    include!(concat!(env!("OUT_DIR"), "/spyne_service.rs"));
}

#[allow(
    clippy::large_enum_variant,
    clippy::enum_variant_names,
    clippy::result_large_err,
    dead_code
)]
mod s12 {
    include!(concat!(env!("OUT_DIR"), "/spyne_service12.rs"));
}

/// `python3` with the pinned packages of `tests/python-requirements.txt`
/// (installed on first use under the target folder).
fn python() -> Command {
    wiregen_tests::python::python(env!("CARGO_TARGET_TMPDIR"))
}

fn spyne_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("spyne")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/soap/roundtrip")
        .join(name)
}

/// The spyne service process; killed on drop.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start() -> Server {
        let check = python().args(["-c", "import spyne, lxml"]).output();
        match check {
            Ok(out) if out.status.success() => {}
            Ok(out) => panic!(
                "the spyne wire test needs spyne and lxml (tests/python-requirements.txt) \
                 and could not import them: {}",
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .last()
                    .unwrap_or_default()
            ),
            Err(e) => panic!("the spyne wire test needs python3 on PATH ({e})"),
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = python()
            .arg(spyne_dir().join("service.py"))
            .arg(port.to_string())
            .current_dir(spyne_dir())
            .stdin(Stdio::null())
            .spawn()
            .expect("starting the spyne service");
        let mut server = Server { child, port };
        server.wait_ready();
        server
    }

    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the spyne service exited before answering: {status}");
            }
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the spyne service did not answer on port {} within 30 s",
                self.port
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }

    fn client11(&self) -> s11::SpyneServiceClient {
        s11::SpyneServiceClient::from_api_client(
            ClientBuilder::new(self.url("soap11")).build().unwrap(),
        )
    }

    fn client12(&self) -> s12::SpyneServiceClient {
        s12::SpyneServiceClient::from_api_client(
            ClientBuilder::new(self.url("soap12")).build().unwrap(),
        )
    }

    /// What `record` and `notify` left on the server.
    async fn journal(&self) -> Vec<String> {
        let out = self
            .client11()
            .journal(&s11::Journal {})
            .await
            .unwrap()
            .into_body();
        out.journal_result
            .map(|list| list.0.into_iter().flatten().collect())
            .unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn served_wsdl(server: &Server, path: &str) -> String {
    let url = format!("{}?wsdl", server.url(path));
    let api = ClientBuilder::new(server.url("")).build().unwrap();
    let response = api.http().get(&url).send().await.expect("GET ?wsdl");
    assert!(
        response.status().is_success(),
        "GET {url}: {}",
        response.status()
    );
    let text = response.text().await.expect("the WSDL as text");
    text.replace(&format!("127.0.0.1:{}", server.port), "127.0.0.1:8000")
}

/// The document as lines of `path name attributes text`, with the children
/// of each `xs:schema` in sorted order: spyne writes some schema types in an
/// order that changes from run to run.
fn canonical(xml: &str) -> Vec<String> {
    fn walk(node: roxmltree::Node, path: &str, out: &mut Vec<String>) {
        let name = format!(
            "{{{}}}{}",
            node.tag_name().namespace().unwrap_or(""),
            node.tag_name().name()
        );
        let mut attrs: Vec<String> = node
            .attributes()
            .map(|a| {
                format!(
                    "{{{}}}{}={:?}",
                    a.namespace().unwrap_or(""),
                    a.name(),
                    a.value()
                )
            })
            .collect();
        attrs.sort();
        let text: String = node
            .children()
            .filter(|c| c.is_text())
            .filter_map(|c| c.text())
            .collect();
        let here = format!("{path}/{name}");
        let mut children: Vec<Vec<String>> = node
            .children()
            .filter(|c| c.is_element())
            .map(|c| {
                let mut lines = Vec::new();
                walk(c, &here, &mut lines);
                lines
            })
            .collect();
        if node.tag_name().name() == "schema" {
            children.sort();
        }
        out.push(format!("{here} {} {text:?}", attrs.join(" ")));
        out.extend(children.into_iter().flatten());
    }
    let doc = roxmltree::Document::parse(xml).expect("a WSDL");
    let mut out = Vec::new();
    walk(doc.root_element(), "", &mut out);
    out
}

#[tokio::test]
async fn vendored_wsdls_are_what_the_service_serves() {
    let server = Server::start();
    for (path, file) in [
        ("soap11", "spyne_service.wsdl"),
        ("soap12", "spyne_service12.wsdl"),
    ] {
        let vendored = std::fs::read_to_string(fixture(file)).unwrap();
        let served = served_wsdl(&server, path).await;
        assert_eq!(
            canonical(&served),
            canonical(&vendored),
            "tests/fixtures/soap/roundtrip/{file} is not what /{path}?wsdl serves \
             (run `python3 tests/spyne/dump_wsdl.py`)"
        );
    }
}

fn dec(text: &str) -> rust_decimal::Decimal {
    text.parse().unwrap()
}

fn seen(echo: &s11::ScalarsEcho) -> Vec<String> {
    echo.seen
        .clone()
        .map(|list| list.0.into_iter().flatten().collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn scalars_at_their_limits_survive_both_ways() {
    let server = Server::start();
    let sent = s11::Scalars {
        int_value: Some(i32::MIN),
        long_value: Some(i64::MAX),
        short_value: Some(i16::MIN),
        ulong_value: Some(u64::MAX),
        big: Some(-123_456_789_012_345_678_901_234_567_890),
        amount: Some(dec("12345678901234567890.123456789")),
        at: Some("2024-03-10T08:30:00.123+05:45".parse().unwrap()),
        day: Some("2024-02-29".parse().unwrap()),
        clock: Some("23:59:59".parse().unwrap()),
        flag: Some(true),
        blob: Some(vec![0, 1, 2, 0xff].into()),
        span: Some("P1DT2H3M4.5S".parse().unwrap()),
    };
    let echo = server
        .client11()
        .echo_scalars(&s11::EchoScalars {
            value: Some(sent.clone()),
        })
        .await
        .unwrap()
        .into_body()
        .echo_scalars_result
        .expect("a result");
    assert_eq!(
        seen(&echo),
        [
            "int_value=-2147483648",
            "long_value=9223372036854775807",
            "short_value=-32768",
            "ulong_value=18446744073709551615",
            "big=-123456789012345678901234567890",
            "amount=Decimal('12345678901234567890.123456789')",
            "at=datetime.datetime(2024, 3, 10, 8, 30, 0, 123000, tzinfo=pytz.FixedOffset(345))",
            "day=datetime.date(2024, 2, 29)",
            "clock=datetime.time(23, 59, 59)",
            "flag=True",
            "blob=(b'\\x00\\x01\\x02\\xff',)",
            "span=datetime.timedelta(days=1, seconds=7384, microseconds=500000)",
        ]
    );
    // spyne writes microseconds (`08:30:00.123000+05:45`, `4.500000S`): the
    // same values, the offset kept.
    let back = echo.value.expect("the echoed value");
    assert_eq!(back, sent);
    assert_eq!(
        back.at.unwrap().to_string(),
        "2024-03-10T08:30:00.123+05:45"
    );
    assert_eq!(back.span.unwrap().seconds.unwrap().to_string(), "4.500000");
}

/// CR, CRLF, tab and characters outside the BMP arrive as sent (the
/// server returns the code points it received) and come back unchanged.
#[tokio::test]
async fn text_keeps_cr_crlf_tab_and_unicode() {
    let server = Server::start();
    let text = "a\rb\r\nc\nd\te \u{e9}\u{2028}\u{1f389} <&>\"'";
    for client in [server.client11()] {
        let out = client
            .echo_text(&s11::EchoText {
                text: Some(text.into()),
            })
            .await
            .unwrap()
            .into_body()
            .echo_text_result
            .expect("a result");
        let codepoints: Vec<i32> = out.codepoints.unwrap().0.into_iter().flatten().collect();
        let expected: Vec<i32> = text.chars().map(|c| c as i32).collect();
        assert_eq!(codepoints, expected, "what the server received");
        assert_eq!(out.text.as_deref(), Some(text), "what came back");
    }
}

#[tokio::test]
async fn arrays_sum_and_empty_arrays() {
    let server = Server::start();
    let client = server.client11();
    let sum = |values: Vec<i64>| {
        let client = client.clone();
        async move {
            client
                .sum_longs(&s11::SumLongs {
                    values: Some(s11::LongArray(values.into_iter().map(Some).collect())),
                })
                .await
                .unwrap()
                .into_body()
                .sum_longs_result
        }
    };
    assert_eq!(sum(vec![i64::MAX, i64::MIN, 1, 2]).await, Some(2));
    assert_eq!(sum(vec![40, 2]).await, Some(42));
    assert_eq!(sum(vec![]).await, Some(0));
}

fn full_order() -> s11::Order {
    s11::Order {
        id: Some(7),
        customer: Some("Ada".into()),
        address: Some(s11::Address {
            street: Some("1 Loop Rd".into()),
            city: Some("Zürich".into()),
            zip: None,
        }),
        lines: Some(s11::LineArray(vec![
            Some(s11::Line {
                sku: Some("A".into()),
                quantity: Some(3),
                price: Some(dec("1.10")),
            }),
            Some(s11::Line {
                sku: Some("B".into()),
                quantity: Some(1),
                price: Some(dec("0.05")),
            }),
        ])),
        note: Some("ring twice".into()),
        color: Some(s11::Color::Green),
    }
}

#[tokio::test]
async fn nested_optional_fields_and_enums() {
    let server = Server::start();
    let client = server.client11();
    let summary = client
        .summarize(&s11::Summarize {
            order: Some(full_order()),
        })
        .await
        .unwrap()
        .into_body()
        .summarize_result
        .unwrap();
    assert_eq!(summary.id, Some(7));
    assert_eq!(summary.line_count, Some(2));
    assert_eq!(
        summary.total.map(|t| t.to_string()).as_deref(),
        Some("3.35")
    );
    assert_eq!(summary.has_address, Some(true));
    assert_eq!(summary.has_note, Some(true));
    assert_eq!(summary.city.as_deref(), Some("Zürich"));
    assert_eq!(summary.color, Some(s11::Color::Green));

    let minimal = s11::Order {
        id: Some(8),
        customer: Some("Bob".into()),
        address: None,
        lines: None,
        note: None,
        color: None,
    };
    let summary = client
        .summarize(&s11::Summarize {
            order: Some(minimal.clone()),
        })
        .await
        .unwrap()
        .into_body()
        .summarize_result
        .unwrap();
    assert_eq!(summary.line_count, Some(0));
    assert_eq!(summary.has_address, Some(false));
    assert_eq!(summary.has_note, Some(false));
    assert_eq!(summary.city, None);

    for order in [full_order(), minimal] {
        let back = client
            .echo_order(&s11::EchoOrder {
                order: Some(order.clone()),
            })
            .await
            .unwrap()
            .into_body()
            .echo_order_result;
        assert_eq!(back, Some(order));
    }

    for (color, next) in [
        (s11::Color::Red, s11::Color::Green),
        (s11::Color::Blue, s11::Color::Red),
    ] {
        let out = client
            .next_color(&s11::NextColor { color: Some(color) })
            .await
            .unwrap()
            .into_body();
        assert_eq!(out.next_color_result, Some(next));
    }
}

#[tokio::test]
async fn derived_types_both_ways() {
    let server = Server::start();
    let client = server.client11();
    let described = client
        .describe(&s11::Describe {
            animal: Some(s11::Animal {
                name: Some("Tom".into()),
            }),
        })
        .await
        .unwrap()
        .into_body()
        .describe_result;
    assert_eq!(described.as_deref(), Some("Animal(name='Tom')"));

    // spyne answers with `xsi:type="s0:Puppy"` (another namespace, two
    // levels of extension below the declared Animal).
    let adopted = client
        .adopt(&s11::Adopt {
            kind: Some("puppy".into()),
        })
        .await
        .unwrap()
        .into_body()
        .adopt_result
        .unwrap();
    assert_eq!(adopted.name.as_deref(), Some("Rex"));
}

#[tokio::test]
async fn choice_branches_both_ways() {
    let server = Server::start();
    let client = server.client11();
    let iban = client
        .pay(&s11::Pay {
            payment: Some(s11::Payment {
                amount: Some(dec("3")),
                choice: Some(s11::PaymentChoice::Iban(Some("DE00".into()))),
            }),
        })
        .await
        .unwrap()
        .into_body()
        .pay_result;
    assert_eq!(iban.as_deref(), Some("iban:DE00:3"));
    let paid = client
        .pay(&s11::Pay {
            payment: Some(s11::Payment {
                amount: Some(dec("1.50")),
                choice: Some(s11::PaymentChoice::Card(Some("4111".into()))),
            }),
        })
        .await
        .unwrap()
        .into_body()
        .pay_result;
    assert_eq!(paid.as_deref(), Some("card:4111:1.50"));
    let refund = client
        .refund(&s11::Refund {
            method: Some("iban".into()),
        })
        .await
        .unwrap()
        .into_body()
        .refund_result
        .unwrap();
    assert_eq!(
        refund.choice,
        Some(s11::PaymentChoice::Iban(Some("DE89".into())))
    );
    assert_eq!(refund.amount, Some(dec("2.25")));
}

#[tokio::test]
async fn faults_with_detail() {
    let server = Server::start();
    let client = server.client11();
    let ok = client
        .validate(&s11::Validate {
            value: Some("ok".into()),
        })
        .await
        .unwrap()
        .into_body();
    assert_eq!(ok.validate_result.as_deref(), Some("valid"));
    let error = client
        .validate(&s11::Validate {
            value: Some("no".into()),
        })
        .await
        .unwrap_err();
    let Error::Api(fault) = error else {
        panic!("expected a fault, got {error:?}");
    };
    assert_eq!(fault.status.as_u16(), 500);
    let fault = &fault.body;
    assert_eq!(fault.code.local, "Client.InvalidInput");
    assert_eq!(fault.reason, "invalid input: value");
    // spyne writes `<detail><InvalidInput><field>…` without the declared
    // namespace: it still decodes into the declared type.
    assert_eq!(
        fault.detail,
        Some(s11::ValidateFault::InvalidInput(s11::InvalidInput {
            field: Some("value".into()),
            reason: Some("expected ok, got 'no'".into()),
        })),
        "{fault:?}"
    );
}

#[tokio::test]
async fn header_blocks_reach_the_server() {
    let server = Server::start();
    let client = server.client11();
    let anonymous = client.whoami(&s11::Whoami {}).await.unwrap().into_body();
    assert_eq!(anonymous.whoami_result.as_deref(), Some("anonymous"));
    let headers = s11::InputHeaders {
        request_context: Some(s11::RequestContext {
            user: Some("alice".into()),
            trace: Some("t-1".into()),
        }),
    };
    let named = client
        .whoami_with_headers(&s11::Whoami {}, &headers)
        .await
        .unwrap()
        .into_body();
    assert_eq!(named.whoami_result.as_deref(), Some("alice/t-1"));
}

#[tokio::test]
async fn void_and_one_way_operations_reach_the_server() {
    let server = Server::start();
    let client = server.client11();
    let void = client
        .record(&s11::Record {
            entry: Some("first".into()),
        })
        .await
        .unwrap();
    assert_eq!(void.into_body(), s11::RecordResponse {});
    client
        .notify(&s11::Notify {
            entry: Some("second".into()),
        })
        .await
        .unwrap();
    assert_eq!(server.journal().await, ["void:first", "oneway:second"]);
}

/// The same service over SOAP 1.2 (`application/soap+xml`, the 1.2
/// envelope and fault), through the client generated from its 1.2 WSDL.
#[tokio::test]
async fn soap12_calls_faults_headers_and_one_way() {
    let server = Server::start();
    let client = server.client12();
    let text = "cr\rlf\r\ntab\t\u{1f389}";
    let out = client
        .echo_text(&s12::EchoText {
            text: Some(text.into()),
        })
        .await
        .unwrap()
        .into_body()
        .echo_text_result
        .unwrap();
    assert_eq!(out.text.as_deref(), Some(text));
    let codepoints: Vec<i32> = out.codepoints.unwrap().0.into_iter().flatten().collect();
    assert_eq!(
        codepoints,
        text.chars().map(|c| c as i32).collect::<Vec<_>>()
    );

    let echo = client
        .echo_scalars(&s12::EchoScalars {
            value: Some(s12::Scalars {
                long_value: Some(i64::MIN),
                flag: Some(false),
                ..Default::default()
            }),
        })
        .await
        .unwrap()
        .into_body()
        .echo_scalars_result
        .unwrap();
    let value = echo.value.unwrap();
    assert_eq!(value.long_value, Some(i64::MIN));
    assert_eq!(value.flag, Some(false));

    let error = client
        .validate(&s12::Validate {
            value: Some("nope".into()),
        })
        .await
        .unwrap_err();
    let Error::Api(fault) = error else {
        panic!("expected a fault, got {error:?}");
    };
    assert_eq!(fault.body.version, wiregen_runtime::soap::SoapVersion::V12);
    assert_eq!(fault.body.reason, "invalid input: value");
    assert_eq!(
        fault.body.detail,
        Some(s12::ValidateFault::InvalidInput(s12::InvalidInput {
            field: Some("value".into()),
            reason: Some("expected ok, got 'nope'".into()),
        })),
        "{:?}",
        fault.body
    );

    let headers = s12::InputHeaders {
        request_context: Some(s12::RequestContext {
            user: Some("bob".into()),
            trace: None,
        }),
    };
    let named = client
        .whoami_with_headers(&s12::Whoami {}, &headers)
        .await
        .unwrap()
        .into_body();
    assert_eq!(named.whoami_result.as_deref(), Some("bob/None"));

    client
        .record(&s12::Record {
            entry: Some("v12".into()),
        })
        .await
        .unwrap();
    client
        .notify(&s12::Notify {
            entry: Some("o12".into()),
        })
        .await
        .unwrap();
    assert_eq!(server.journal().await, ["void:v12", "oneway:o12"]);
}
