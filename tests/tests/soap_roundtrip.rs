//! Every type generated from `tests/fixtures/soap/roundtrip/` (one XSD
//! construct each; `build.rs` runs the generator) round-trips: written with
//! `XmlWriter`, read back with `XmlReader`, it is equal to the value
//! written. Sample values cover full, empty, nil and unknown-enum cases,
//! in literal and encoded mode. The rpc/encoded operation is also called
//! against a local HTTP server.

use std::fmt::Debug;

use wiregen_runtime::soap::{self, Name, XmlRead, XmlReader, XmlWrite, XmlWriter};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[allow(
    clippy::large_enum_variant,
    clippy::enum_variant_names,
    clippy::result_large_err,
    dead_code
)]
mod rt {
    include!(concat!(env!("OUT_DIR"), "/roundtrip.rs"));
}

use rt::*;

const EL: Name = Name {
    qualified: "ns1:value",
    ns: "urn:rt",
    local: "value",
};

/// Writes `value` as element `EL` under a root that declares the module's
/// namespaces, reads it back and compares; returns the XML.
fn round_trip<T: XmlWrite + XmlRead + PartialEq + Debug>(value: &T, encoded: bool) -> String {
    let mut w = XmlWriter::new();
    w.set_encoded(encoded);
    let root = Name::unqualified("root");
    // `soap` for the rpc wrappers' `soap:encodingStyle`.
    let soap = [("soap", soap::envelope::SOAP11_ENV)];
    w.start_root(&root, &soap, NAMESPACES).unwrap();
    value.write_element(&mut w, &EL).unwrap();
    w.end(&root).unwrap();
    let bytes = w.into_inner();
    let text = String::from_utf8(bytes.clone()).unwrap();
    let mut r = XmlReader::new(&bytes);
    let root_el = r.root().unwrap();
    let el = r.next_child(&root_el).unwrap().unwrap();
    let back = T::read_element(&mut r, &el).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(&back, value, "{text}");
    assert!(r.next_child(&root_el).unwrap().is_none(), "{text}");
    text
}

/// A `Thing` with only what is required.
fn minimal() -> Thing {
    Thing {
        id: 0,
        name: String::new(),
        note: None,
        nilled: None,
        tags: Vec::new(),
        maybe: Vec::new(),
        color: None,
        ints: None,
        short: None,
        price: None,
        flag: None,
        el: None,
        left: None,
        right: None,
        choice: ThingChoice::ById(0),
        parent: None,
        extra: None,
        included: None,
        shape: Vec::new(),
        any: Vec::new(),
        by: None,
        version: 0,
        other_attributes: Vec::new(),
    }
}

fn full() -> Thing {
    Thing {
        id: -9_000_000_000,
        name: "a & <b> \"c\"".to_string(),
        note: Some("  spaced  ".to_string()),
        nilled: Some(4),
        tags: vec!["x".to_string(), String::new(), "z".to_string()],
        maybe: vec![Some(1), None, Some(3)],
        color: Some(Color::Green),
        ints: Some(soap::XsList(vec![1, -2, 3])),
        short: Some("abc".to_string()),
        price: Some(Price {
            value: 12.5,
            currency: Some("EUR".to_string()),
        }),
        flag: Some(false),
        el: Some(7),
        left: Some(1),
        right: Some(2),
        choice: ThingChoice::ById(42),
        parent: Some(Box::new(Thing {
            name: "parent".to_string(),
            choice: ThingChoice::ByName("p".to_string()),
            ..minimal()
        })),
        extra: Some(Extra {
            bold: Some("b".to_string()),
        }),
        included: Some(Included {
            v: "chameleon".to_string(),
            lang: Some("en".to_string()),
        }),
        shape: vec![
            ShapeSubstitution::Circle(CircleType {
                label: None,
                radius: 1.5,
            }),
            ShapeSubstitution::Square(Square {
                label: Some("sq".to_string()),
                side: 2,
            }),
            ShapeSubstitution::Ring(CircleType {
                label: Some("ring".to_string()),
                radius: 0.0,
            }),
        ],
        any: vec![soap::AnyElement(
            r#"<o:x xmlns:o="urn:other" a="1"><o:y>t</o:y></o:x>"#.to_string(),
        )],
        by: Some("me".to_string()),
        version: 3,
        other_attributes: vec![
            soap::AnyAttribute {
                ns: "urn:other".to_string(),
                local: "mark".to_string(),
                value: "x \"y\"".to_string(),
            },
            soap::AnyAttribute {
                ns: String::new(),
                local: "plain".to_string(),
                value: String::new(),
            },
        ],
    }
}

#[test]
fn structs_round_trip_full_empty_and_nil() {
    let text = round_trip(&full(), false);
    // Base fields first, attributes from the attribute group, then those
    // of xs:anyAttribute (their namespaces declared in place), the nested
    // recursive value, raw xs:any content kept.
    assert!(
        text.contains(
            r#"<ns1:value by="me" version="3" xmlns:wa1="urn:other" wa1:mark="x &quot;y&quot;" plain=""><ns1:id>-9000000000</ns1:id>"#
        ),
        "{text}"
    );
    assert!(text.contains("<ns1:maybe xsi:nil=\"true\"/>"), "{text}");
    assert!(
        text.contains(r#"<o:x xmlns:o="urn:other" a="1"><o:y>t</o:y></o:x>"#),
        "{text}"
    );
    let text = round_trip(&minimal(), false);
    // A required nillable element that is absent is written as nil.
    assert!(text.contains("<ns1:nilled xsi:nil=\"true\"/>"), "{text}");
    assert!(!text.contains("ns1:note"), "{text}");
    round_trip(&minimal(), true);
    round_trip(&full(), true);
}

fn scalars_at_limits() -> Scalars {
    use soap::xsd::chrono::{FixedOffset, NaiveDate, NaiveTime};
    let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    Scalars {
        at: soap::xsd::DateTime {
            value: day.and_hms_nano_opt(23, 59, 59, 123_456_789).unwrap(),
            offset: FixedOffset::east_opt(5 * 3600 + 45 * 60),
        },
        local: Some(soap::xsd::DateTime::local(
            NaiveDate::from_ymd_opt(1, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap(),
        )),
        day: soap::xsd::Date {
            value: day,
            offset: FixedOffset::west_opt(14 * 3600),
        },
        clock: Some(NaiveTime::from_hms_milli_opt(8, 30, 0, 500).unwrap().into()),
        amount: "-7922816251426433759354395033.5".parse().unwrap(),
        big: i128::MIN,
        count: Some(u128::MAX),
        blob: vec![0, 1, 2, 0xfe, 0xff].into(),
        hex: Some(vec![0xde, 0xad, 0x00].into()),
        span: Some(soap::xsd::Duration {
            negative: true,
            years: Some(1),
            months: None,
            days: Some(0),
            hours: None,
            minutes: Some(61),
            seconds: Some("4.500".parse().unwrap()),
        }),
        stamp: Some(
            day.and_hms_opt(0, 0, 0)
                .unwrap()
                .and_utc()
                .fixed_offset()
                .into(),
        ),
        ratio: Some("0.10".parse().unwrap()),
    }
}

/// Typed scalars keep their values at the limits, their offsets (or the
/// absence of one) and their lexical details (decimal scale, duration
/// components).
#[test]
fn typed_scalars_round_trip_at_their_limits() {
    let text = round_trip(&scalars_at_limits(), false);
    for expected in [
        "<ns1:at>2024-02-29T23:59:59.123456789+05:45</ns1:at>",
        "<ns1:local>0001-01-01T00:00:00</ns1:local>",
        "<ns1:day>2024-02-29-14:00</ns1:day>",
        "<ns1:clock>08:30:00.500</ns1:clock>",
        "<ns1:amount>-7922816251426433759354395033.5</ns1:amount>",
        "<ns1:big>-170141183460469231731687303715884105728</ns1:big>",
        "<ns1:count>340282366920938463463374607431768211455</ns1:count>",
        "<ns1:blob>AAEC/v8=</ns1:blob>",
        "<ns1:hex>DEAD00</ns1:hex>",
        "<ns1:span>-P1Y0DT61M4.500S</ns1:span>",
        "stamp=\"2024-02-29T00:00:00Z\"",
        "ratio=\"0.10\"",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    round_trip(&scalars_at_limits(), true);
}

/// Reads `<value>` with the given children as `Scalars`.
fn read_scalars(children: &str) -> Result<Scalars, soap::XmlError> {
    let xml = format!("<value xmlns=\"urn:rt\">{children}</value>");
    let mut r = XmlReader::new(xml.as_bytes());
    let el = r.root().unwrap();
    Scalars::read_element(&mut r, &el)
}

/// Lexical variants XSD allows read as the same values; values out of
/// range or malformed are decode errors naming the element, not panics.
#[test]
fn typed_scalars_read_variants_and_refuse_out_of_range() {
    let base = |at: &str, amount: &str, big: &str, extra: &str| {
        format!(
            "<at>{at}</at><day>2024-01-02</day><amount>{amount}</amount><big>{big}</big>\
             <blob>AA\nEC</blob>{extra}"
        )
    };
    let ok = read_scalars(&base(
        "2024-01-01T24:00:00Z",
        "+.5",
        "+0017",
        "<span>PT0S</span>",
    ))
    .unwrap();
    assert_eq!(ok.at.to_string(), "2024-01-02T00:00:00Z");
    assert_eq!(ok.amount.to_string(), "0.5");
    assert_eq!(ok.big, 17);
    assert_eq!(*ok.blob, vec![0, 1, 2]);
    assert_eq!(ok.span.unwrap().to_std(), Some(std::time::Duration::ZERO));
    for (children, element) in [
        (
            base(
                "2024-01-01T00:00:00Z",
                "1",
                "170141183460469231731687303715884105728",
                "",
            ),
            "big",
        ),
        (
            base(
                "2024-01-01T00:00:00Z",
                "79228162514264337593543950336",
                "1",
                "",
            ),
            "amount",
        ),
        (base("2024-01-01T00:00:00Z", "1e3", "1", ""), "amount"),
        (base("2024-02-30T00:00:00Z", "1", "1", ""), "at"),
        (base("2024-01-01T00:00:00+15:00", "1", "1", ""), "at"),
        (base("2024-01-01T00:00:00.1234567891Z", "1", "1", ""), "at"),
        (
            base("2024-01-01T00:00:00Z", "1", "1", "<count>-1</count>"),
            "count",
        ),
        (
            base("2024-01-01T00:00:00Z", "1", "1", "<hex>ABC</hex>"),
            "hex",
        ),
        (
            base("2024-01-01T00:00:00Z", "1", "1", "<span>P1H</span>"),
            "span",
        ),
        (
            base("2024-01-01T00:00:00Z", "1", "1", "<span>P</span>"),
            "span",
        ),
    ] {
        match read_scalars(&children) {
            Err(soap::XmlError::Value {
                element: e, path, ..
            }) => {
                assert_eq!(e, element, "{children}");
                assert_eq!(path, format!("/value/{element}"), "{children}");
            }
            other => panic!("{children}: expected a value error in {element}, got {other:?}"),
        }
    }
}

fn pick(choice: PickChoice, repeated: Vec<PickChoice2>) -> Pick {
    Pick {
        head: "h".to_string(),
        choice,
        choice_2: repeated,
        tail: Some("t".to_string()),
    }
}

/// `xs:choice` is an enum: every branch (an element, a repeated element, a
/// nillable one, a sequence with a nested choice) round-trips, and a
/// repeated choice of an element and a sequence is a `Vec` of the enum.
#[test]
fn choices_round_trip_every_branch() {
    let day = "2024-02-29".parse().unwrap();
    let repeated = vec![
        PickChoice2::A(1),
        PickChoice2::Sequence(PickChoice2Sequence { b: 2, c: Some(3) }),
        PickChoice2::Sequence(PickChoice2Sequence { b: 4, c: None }),
        PickChoice2::Sequence(PickChoice2Sequence { b: 5, c: None }),
        PickChoice2::A(6),
    ];
    for (choice, xml) in [
        (PickChoice::Card("c".to_string()), "<ns1:card>c</ns1:card>"),
        (
            PickChoice::Codes(vec![1, 2, 3]),
            "<ns1:codes>1</ns1:codes><ns1:codes>2</ns1:codes><ns1:codes>3</ns1:codes>",
        ),
        (PickChoice::Nothing(None), "<ns1:nothing xsi:nil=\"true\"/>"),
        (
            PickChoice::Maybe(vec![Some(1), None, Some(3)]),
            "<ns1:maybe>1</ns1:maybe><ns1:maybe xsi:nil=\"true\"/><ns1:maybe>3</ns1:maybe>",
        ),
        (
            PickChoice::Sequence(PickChoiceSequence {
                iban: "DE89".to_string(),
                bic: None,
                choice: PickChoiceSequenceChoice::When(day),
            }),
            "<ns1:iban>DE89</ns1:iban><ns1:when>2024-02-29</ns1:when>",
        ),
        (
            PickChoice::Sequence(PickChoiceSequence {
                iban: "DE89".to_string(),
                bic: Some("B".to_string()),
                choice: PickChoiceSequenceChoice::Urgent(true),
            }),
            "<ns1:iban>DE89</ns1:iban><ns1:bic>B</ns1:bic><ns1:urgent>true</ns1:urgent>",
        ),
    ] {
        let text = round_trip(&pick(choice.clone(), Vec::new()), false);
        assert!(
            text.contains(&format!(
                "<ns1:head>h</ns1:head>{xml}<ns1:tail>t</ns1:tail>"
            )),
            "{text}"
        );
        let text = round_trip(&pick(choice, repeated.clone()), false);
        assert!(
            text.contains("<ns1:a>1</ns1:a><ns1:b>2</ns1:b><ns1:c>3</ns1:c><ns1:b>4</ns1:b><ns1:b>5</ns1:b><ns1:a>6</ns1:a><ns1:tail>"),
            "{text}"
        );
    }
}

/// A required choice that is absent, or a child no branch starts with
/// where the choice is required, is a decode error, not a panic.
#[test]
fn a_missing_required_choice_is_an_error() {
    let read = |children: &str| {
        let xml = format!("<value xmlns=\"urn:rt\">{children}</value>");
        let mut r = XmlReader::new(xml.as_bytes());
        let el = r.root().unwrap();
        Pick::read_element(&mut r, &el)
    };
    assert!(read("<head>h</head><card>c</card>").is_ok());
    assert!(matches!(
        read("<head>h</head><tail>t</tail>"),
        Err(soap::XmlError::Missing { .. })
    ));
    // A sequence branch without its required element.
    assert!(matches!(
        read("<head>h</head><bic>b</bic><urgent>true</urgent>"),
        Err(soap::XmlError::Missing { .. })
    ));
}

#[test]
fn enums_keep_unknown_values_and_simple_types_round_trip() {
    let thing = Thing {
        color: Some(Color::Other("purple".to_string())),
        ints: Some(soap::XsList(Vec::new())),
        price: Some(Price {
            value: f64::INFINITY,
            currency: None,
        }),
        ..minimal()
    };
    let text = round_trip(&thing, false);
    assert!(text.contains("<ns1:color>purple</ns1:color>"), "{text}");
    assert!(text.contains("<ns1:price>INF</ns1:price>"), "{text}");
    round_trip(&Color::Red, false);
    round_trip(&Color::Other(String::new()), false);
    round_trip(&Price::default(), false);
    round_trip(&Included::default(), false);
}

#[test]
fn arrays_round_trip_with_nil_items_and_empty() {
    let array = ArrayOfThing(vec![Some(full()), None, Some(minimal())]);
    let text = round_trip(&array, false);
    assert!(text.contains("<ns1:Thing xsi:nil=\"true\"/>"), "{text}");
    round_trip(&ArrayOfThing::default(), false);
    // soapenc arrays: arrayType with the length, typed items when encoded.
    let encoded = ThingArray(vec![minimal(), full()]);
    let text = round_trip(&encoded, true);
    assert!(
        text.contains(r#"xsi:type="soapenc:Array" soapenc:arrayType="ns1:Thing[2]""#),
        "{text}"
    );
    assert!(
        text.contains(r#"<item version="0" xsi:type="ns1:Thing">"#),
        "{text}"
    );
    round_trip(&encoded, false);
    let text = round_trip(&ThingArray::default(), true);
    assert!(
        text.contains(r#"soapenc:arrayType="ns1:Thing[0]""#),
        "{text}"
    );
}

#[test]
fn rpc_wrappers_round_trip() {
    let request = SendRequest {
        things: ThingArray(vec![full()]),
        limit: 5,
    };
    let text = round_trip(&request, true);
    assert!(
        text.contains(r#"soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/""#),
        "{text}"
    );
    assert!(
        text.contains(r#"<limit xsi:type="xsd:int">5</limit>"#),
        "{text}"
    );
    round_trip(
        &SendResponse {
            result: ThingArray::default(),
        },
        true,
    );
    round_trip(
        &Put {
            things: ArrayOfThing(vec![None]),
        },
        false,
    );
}

#[tokio::test]
async fn rpc_encoded_call_sends_typed_parts_and_reads_any_response_wrapper() {
    let response = r#"<?xml version="1.0"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"
  xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/"
  xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:r="urn:rt" SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">
 <SOAP-ENV:Body>
  <m:SendAnswer xmlns:m="urn:rt:rpc">
   <result xsi:type="SOAP-ENC:Array" SOAP-ENC:arrayType="r:Thing[1]">
    <item xsi:type="r:Thing" version="2"><r:id xsi:type="xsd:long">8</r:id><r:name xsi:type="xsd:string">n</r:name>
      <r:nilled xsi:nil="true"/><r:byName>b</r:byName></item>
   </result>
  </m:SendAnswer>
 </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"#;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(response, "text/xml; charset=utf-8"))
        .mount(&server)
        .await;
    let client = ThingsBindingClient::with_endpoint(&server.uri()).unwrap();
    let request = SendRequest {
        things: ThingArray(vec![minimal()]),
        limit: 1,
    };
    let out = client.send(&request).await.unwrap();
    let expected = Thing {
        id: 8,
        name: "n".to_string(),
        choice: ThingChoice::ByName("b".to_string()),
        version: 2,
        ..minimal()
    };
    assert_eq!(out.body.result.0, vec![expected]);
    let requests = server.received_requests().await.unwrap();
    let sent = String::from_utf8(requests[0].body.clone()).unwrap();
    assert_eq!(requests[0].headers["soapaction"], "\"urn:rt#Send\"");
    // Every prefix used is declared; the parts are typed.
    let doc = roxmltree::Document::parse(&sent).unwrap();
    let send = doc
        .descendants()
        .find(|n| n.has_tag_name(("urn:rt:rpc", "Send")))
        .unwrap_or_else(|| panic!("no rpc wrapper in {sent}"));
    let limit = send.children().find(|n| n.has_tag_name("limit")).unwrap();
    let xsi_type = limit
        .attribute(("http://www.w3.org/2001/XMLSchema-instance", "type"))
        .unwrap();
    assert_eq!(xsi_type, "xsd:int");
    assert_eq!(
        limit.lookup_namespace_uri(Some("xsd")),
        Some("http://www.w3.org/2001/XMLSchema")
    );
    let things = send.children().find(|n| n.has_tag_name("things")).unwrap();
    assert_eq!(
        things.attribute(("http://schemas.xmlsoap.org/soap/encoding/", "arrayType")),
        Some("ns1:Thing[1]")
    );
}
