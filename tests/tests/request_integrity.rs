//! Arguments cannot change what a request means (issue 17): path values
//! cannot add, remove or leave dot segments, and values written into SOAP
//! envelopes cannot add markup, cannot carry characters XML 1.0 forbids,
//! and are read back by the receiver exactly as written (checked with the
//! runtime reader and with roxmltree, a conforming XML parser that applies
//! end-of-line and attribute-value normalization).

use wiregen_clients::runtime::soap::{
    self, AnyAttribute, AnyElement, Name, XmlError, XmlRead, XmlReader, XmlWrite, XmlWriter,
};
use wiregen_clients::runtime::Error;
use wiregen_clients::superoffice::{
    BasicHttpBindingAssociateClient, InputHeaders, LogOffWindowsUsers,
};
use wiregen_tests::{http_response, raw_server};

#[allow(
    clippy::large_enum_variant,
    clippy::enum_variant_names,
    clippy::result_large_err,
    dead_code
)]
mod rt {
    include!(concat!(env!("OUT_DIR"), "/roundtrip.rs"));
}

#[allow(dead_code, unused_imports, clippy::all)]
mod fixtures {
    include!(concat!(env!("OUT_DIR"), "/openapi_fixtures.rs"));
}

// ------------------------------------------------------------------ paths

/// Calls `POST /things/{request}/{self}` of the `names` fixture with
/// `value` as `request`; returns the request target the server received,
/// or the error (then the server received nothing).
async fn collide(value: &str) -> Result<String, Error<fixtures::names::CollideError>> {
    let (url, mut requests) =
        raw_server(http_response(200, Some("application/json"), &[], b"{}")).await;
    let client = fixtures::names::Client::with_base_url(&url).unwrap();
    let body = fixtures::names::types::CollideBody { request: None };
    let result = client
        .collide(
            value, "me", "b", "r", "w", "1", "2", "3", "4", "5", "6", "q", "a", "c", "t", "k", "s",
            "f", "m", "y", "S", "o", None, None, &body,
        )
        .await;
    match result {
        Ok(_) => {
            let recorded = requests.recv().await.expect("a request");
            let target = recorded.target();
            Ok(target.split('?').next().unwrap_or("").to_string())
        }
        Err(e) => {
            assert!(requests.try_recv().is_err(), "nothing may be sent");
            Err(e)
        }
    }
}

#[tokio::test]
async fn path_values_stay_inside_their_segment() {
    // Sent percent-encoded, in their own segment, exactly as given.
    for (value, sent) in [
        ("a", "/things/a/me"),
        ("../x", "/things/..%2Fx/me"),
        ("%2e", "/things/%252e/me"),
        ("%2E%2E", "/things/%252E%252E/me"),
        ("/", "/things/%2F/me"),
        ("?", "/things/%3F/me"),
        ("#", "/things/%23/me"),
        ("...", "/things/.../me"),
        (". ", "/things/.%20/me"),
    ] {
        assert_eq!(collide(value).await.unwrap(), sent, "{value:?}");
    }
    // Dot segments and the empty value would call another path: refused
    // before anything is sent.
    for value in [".", "..", ""] {
        match collide(value).await {
            Err(Error::InvalidRequest(message)) => {
                assert!(message.contains("path parameter `request`"), "{message}");
            }
            other => panic!("{value:?}: {other:?}"),
        }
    }
}

// ------------------------------------------------------------------- xml

const EL: Name = Name {
    qualified: "ns1:value",
    ns: "urn:rt",
    local: "value",
};

/// Writes `value` under a root declaring the module's namespaces.
fn write<T: XmlWrite>(value: &T) -> Result<String, XmlError> {
    let mut w = XmlWriter::new();
    let root = Name::unqualified("root");
    w.start_root(&root, &[], rt::NAMESPACES)?;
    value.write_element(&mut w, &EL)?;
    w.end(&root)?;
    Ok(String::from_utf8(w.into_inner()).expect("utf-8"))
}

/// Reads `xml` back with the runtime reader.
fn read<T: XmlRead>(xml: &str) -> T {
    let mut r = XmlReader::new(xml.as_bytes());
    let root = r.root().unwrap();
    let el = r.next_child(&root).unwrap().unwrap();
    T::read_element(&mut r, &el).unwrap_or_else(|e| panic!("{e}\n{xml}"))
}

fn thing() -> rt::Thing {
    rt::Thing {
        id: 1,
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
        choice: rt::ThingChoice::ById(0),
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

/// Values whose characters XML processing changes unless they are written
/// as references: CR, CRLF, LF and TAB, markup, and characters at the
/// edges of what XML allows.
const TRICKY: &[&str] = &[
    "a\rb",
    "a\r\nb",
    "\r\n",
    "line\nnext",
    "tab\there",
    " \t\n\r ",
    "<x/>&amp;\"'",
    "]]>",
    "\u{7f}\u{85}\u{2028}\u{D7FF}\u{E000}\u{FFFD}\u{10000}\u{10FFFF}",
];

#[test]
fn text_and_attribute_values_survive_xml_normalization() {
    for &value in TRICKY {
        let mut t = thing();
        t.name = value.to_string();
        t.by = Some(value.to_string());
        t.other_attributes = vec![
            AnyAttribute {
                ns: String::new(),
                local: "plain".into(),
                value: value.to_string(),
            },
            AnyAttribute {
                ns: "urn:other".into(),
                local: "mark".into(),
                value: value.to_string(),
            },
        ];
        let xml = write(&t).unwrap();
        // The runtime reader reads back what was written.
        assert_eq!(read::<rt::Thing>(&xml), t, "{value:?}\n{xml}");
        // So does a conforming parser, after XML normalization.
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        let el = doc.root_element().first_element_child().unwrap();
        assert_eq!(el.attribute("by"), Some(value), "{xml}");
        assert_eq!(el.attribute("plain"), Some(value), "{xml}");
        assert_eq!(el.attribute(("urn:other", "mark")), Some(value), "{xml}");
        let name = el
            .children()
            .find(|c| c.has_tag_name(("urn:rt", "name")))
            .unwrap();
        let text: String = name
            .children()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(text, value, "{xml}");
    }
    // How: references for CR in text, and for TAB, LF and CR in attributes.
    let mut t = thing();
    t.name = "a\r\n\tb".into();
    t.by = Some("a\r\n\tb".into());
    let xml = write(&t).unwrap();
    assert!(xml.contains(r#"by="a&#13;&#10;&#9;b""#), "{xml}");
    assert!(xml.contains("<ns1:name>a&#13;\n\tb</ns1:name>"), "{xml}");
}

/// Characters XML 1.0 cannot carry, even as references.
const FORBIDDEN: &[char] = &[
    '\u{0}', '\u{1}', '\u{8}', '\u{B}', '\u{C}', '\u{E}', '\u{1F}', '\u{FFFE}', '\u{FFFF}',
];

fn invalid_field(result: Result<String, XmlError>) -> (String, String) {
    match result {
        Err(XmlError::Invalid { field, message }) => (field, message),
        other => panic!("expected an invalid-value error, got {other:?}"),
    }
}

#[test]
fn characters_xml_cannot_carry_are_refused_naming_the_field() {
    for &c in FORBIDDEN {
        let bad = format!("a{c}b");
        let code = format!("U+{:04X}", u32::from(c));
        let mut t = thing();
        t.name = bad.clone();
        let (field, message) = invalid_field(write(&t));
        assert_eq!(field, "ns1:name");
        assert!(message.contains(&code), "{message}");
        let mut t = thing();
        t.by = Some(bad.clone());
        let (field, message) = invalid_field(write(&t));
        assert_eq!(field, "ns1:value@by");
        assert!(message.contains(&code), "{message}");
        let mut t = thing();
        t.other_attributes = vec![AnyAttribute {
            ns: "urn:o".into(),
            local: "k".into(),
            value: bad.clone(),
        }];
        let (field, _) = invalid_field(write(&t));
        assert_eq!(field, "ns1:value@{urn:o}k");
        let mut t = thing();
        t.other_attributes = vec![AnyAttribute {
            ns: format!("urn:{c}"),
            local: "k".into(),
            value: String::new(),
        }];
        invalid_field(write(&t));
        let mut t = thing();
        t.any = vec![AnyElement(format!("<o:x xmlns:o=\"urn:o\">{bad}</o:x>"))];
        let (field, _) = invalid_field(write(&t));
        assert_eq!(field, "ns1:value (xs:any)");
    }
}

#[test]
fn names_taken_from_values_must_be_xml_names() {
    let attr = |ns: &str, local: &str| AnyAttribute {
        ns: ns.into(),
        local: local.into(),
        value: "v".into(),
    };
    for (a, why) in [
        (attr("", r#"k="1"><inj/><x y"#), "not an xml name"),
        (attr("urn:o", "a b"), "not an xml name"),
        (attr("urn:o", "p:k"), "not an xml name"),
        (attr("", ""), "not an xml name"),
        (attr("", "1k"), "not an xml name"),
        (attr("", "k\u{1}"), "not an xml name"),
        (attr("", "xmlns"), "reserved"),
        (attr("http://www.w3.org/2000/xmlns/", "p"), "reserved"),
        (attr("", "by"), "twice"),
    ] {
        let mut t = thing();
        t.by = Some("me".into());
        t.other_attributes = vec![a.clone()];
        let (field, message) = invalid_field(write(&t));
        assert!(field.starts_with("ns1:value@"), "{field}");
        assert!(message.contains(why), "{a:?}: {message}");
    }
    // Two of the same expanded name.
    let mut t = thing();
    t.other_attributes = vec![attr("urn:o", "k"), attr("urn:o", "k")];
    assert!(invalid_field(write(&t)).1.contains("twice"));
    // Valid names of any script, and the xml namespace (bound to `xml`),
    // round-trip.
    let mut t = thing();
    t.other_attributes = vec![
        attr("", "é-1.x_ü"),
        attr("http://www.w3.org/XML/1998/namespace", "lang"),
        attr("urn:o", "日本"),
    ];
    let xml = write(&t).unwrap();
    assert!(xml.contains(r#" xml:lang="v""#), "{xml}");
    assert_eq!(read::<rt::Thing>(&xml), t);
    roxmltree::Document::parse(&xml).unwrap();
}

#[test]
fn raw_xml_must_be_well_formed() {
    for (raw, why) in [
        ("<a/><inj/>", "expected one element"),
        ("text", "text outside"),
        ("<a>", "unclosed"),
        ("</a>", ""),
        ("<a></b>", ""),
        ("<a>&xxe;</a>", "unknown entity"),
        ("<a>&#1;</a>", "U+0001"),
        (r#"<a b="1" b="2"/>"#, ""),
        ("<!DOCTYPE a><a/>", "DOCTYPE"),
        ("<a/>&amp;", "text outside"),
        ("<1a/>", ""),
    ] {
        let mut t = thing();
        t.any = vec![AnyElement(raw.to_string())];
        let (field, message) = invalid_field(write(&t));
        assert_eq!(field, "ns1:value (xs:any)");
        assert!(message.contains(why), "{raw}: {message}");
    }
    // xs:anyType content: any balanced content, checked the same way.
    let mut w = XmlWriter::new();
    w.start_root(&Name::unqualified("r"), &[], &[]).unwrap();
    assert!(matches!(
        soap::AnyContent("a</r><inj>".into()).write_element(&mut w, &EL),
        Err(XmlError::Invalid { .. })
    ));
    // Well-formed raw XML goes out unchanged.
    let mut t = thing();
    t.any = vec![AnyElement(
        r#"<o:x xmlns:o="urn:other" a="1 &amp; 2"><o:y>t&#13;</o:y><!-- c --></o:x>"#.into(),
    )];
    let xml = write(&t).unwrap();
    assert_eq!(read::<rt::Thing>(&xml), t);
    roxmltree::Document::parse(&xml).unwrap();
}

#[tokio::test]
async fn an_envelope_that_cannot_be_written_is_not_sent() {
    let (url, mut requests) = raw_server(http_response(
        200,
        Some("text/xml"),
        &[],
        br#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><LogOffWindowsUsersResponse xmlns="http://www.superoffice.net/ws/crm/NetServer/Services86"/></s:Body></s:Envelope>"#,
    ))
    .await;
    let client = BasicHttpBindingAssociateClient::with_endpoint(&url).unwrap();
    let headers = |token: &str| InputHeaders {
        application_token: Some(token.to_string()),
        ..Default::default()
    };
    let request = LogOffWindowsUsers::default();
    match client
        .log_off_windows_users_with_headers(&request, &headers("tok\u{1}en"))
        .await
    {
        Err(Error::InvalidRequest(message)) => assert!(
            message.contains("ns2:ApplicationToken") && message.contains("U+0001"),
            "{message}"
        ),
        other => panic!("{other:?}"),
    }
    assert!(requests.try_recv().is_err(), "nothing may be sent");
    // A CR goes out as a reference and arrives as a CR.
    client
        .log_off_windows_users_with_headers(&request, &headers("tok\r\nen"))
        .await
        .unwrap();
    let sent = requests.recv().await.unwrap();
    let body = String::from_utf8(sent.body).unwrap();
    assert!(body.contains("tok&#13;\nen"), "{body}");
    let doc = roxmltree::Document::parse(&body).unwrap();
    let token = doc
        .descendants()
        .find(|n| n.has_tag_name("ApplicationToken") || n.tag_name().name() == "ApplicationToken")
        .unwrap();
    assert_eq!(token.text(), Some("tok\r\nen"));
}
