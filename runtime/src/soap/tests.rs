//! Unit tests of the SOAP runtime with hand-written types shaped like the
//! generated ones.

use super::*;

const NS: &str = "urn:test";
const NAMESPACES: &[Ns] = &[Ns {
    prefix: "ns1",
    uri: NS,
}];
const ITEM: Name = Name {
    qualified: "ns1:Item",
    ns: NS,
    local: "Item",
};
const NAME: Name = Name {
    qualified: "ns1:Name",
    ns: NS,
    local: "Name",
};
const COUNT: Name = Name {
    qualified: "ns1:Count",
    ns: NS,
    local: "Count",
};
const NOTE: Name = Name {
    qualified: "ns1:Note",
    ns: NS,
    local: "Note",
};
const ID: Name = Name::unqualified("id");

/// `<Item id="..."><Name/>?<Count/>*<Note nillable/></Item>`
#[derive(Debug, Clone, PartialEq, Default)]
struct Item {
    id: Option<i32>,
    name: Option<String>,
    counts: Vec<i64>,
    note: Option<String>,
    child: Option<Box<Item>>,
}

impl XmlWrite for Item {
    fn write_element(&self, w: &mut XmlWriter, name: &Name) -> Result<(), XmlError> {
        w.start(name, &[(&ID, self.id.as_ref().map(SimpleValue::to_text))])?;
        write_optional(w, &NAME, &self.name, false)?;
        write_all(w, &COUNT, &self.counts)?;
        write_optional(w, &NOTE, &self.note, true)?;
        write_optional(w, &ITEM, &self.child, false)?;
        w.end(name)
    }
}

impl XmlRead for Item {
    fn read_element(r: &mut XmlReader<'_>, el: &Element) -> Result<Self, XmlError> {
        let id = read_attribute(el, "", "id")?;
        let mut name = None;
        let mut counts = Vec::new();
        let mut note = None;
        let mut child = None;
        while let Some(c) = r.next_child(el)? {
            if c.is(NS, "Name") {
                name = read_nillable(r, &c)?;
            } else if c.is(NS, "Count") {
                counts.push(i64::read_element(r, &c)?);
            } else if c.is(NS, "Note") {
                note = read_nillable(r, &c)?;
            } else if c.is(NS, "Item") {
                child = read_nillable(r, &c)?;
            } else {
                r.skip(&c)?;
            }
        }
        Ok(Item {
            id,
            name,
            counts,
            note,
            child,
        })
    }
}

fn envelope_text(version: SoapVersion, item: &Item) -> String {
    let token = "tok & <en>".to_string();
    let bytes =
        build_envelope(version, NAMESPACES, &[(&NAME, &token)], Some((&ITEM, item))).unwrap();
    String::from_utf8(bytes).unwrap()
}

#[test]
fn writes_envelopes_with_declared_prefixes_and_nil() {
    let item = Item {
        id: Some(7),
        name: None,
        counts: vec![1, 2],
        note: None,
        child: None,
    };
    let text = envelope_text(SoapVersion::V11, &item);
    assert_eq!(
        text,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
         <soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:ns1=\"urn:test\">\
         <soap:Header><ns1:Name>tok &amp; &lt;en&gt;</ns1:Name></soap:Header>\
         <soap:Body><ns1:Item id=\"7\"><ns1:Count>1</ns1:Count><ns1:Count>2</ns1:Count>\
         <ns1:Note xsi:nil=\"true\"/></ns1:Item></soap:Body></soap:Envelope>"
    );
    let text12 = envelope_text(SoapVersion::V12, &item);
    assert!(text12.contains("xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\""));
}

#[test]
fn no_header_element_without_blocks() {
    let bytes = build_envelope(
        SoapVersion::V11,
        NAMESPACES,
        &[],
        Some((&ITEM, &Item::default())),
    )
    .unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(!text.contains("Header"));
}

#[derive(Debug, Default, PartialEq)]
struct Headers {
    name: Option<String>,
}

impl ReadHeaders for Headers {
    fn read_header(&mut self, r: &mut XmlReader<'_>, el: &Element) -> Result<bool, XmlError> {
        if el.is(NS, "Name") {
            self.name = read_nillable(r, el)?;
            return Ok(true);
        }
        Ok(false)
    }
}

type Parsed = Envelope<Item, Headers, ItemFault>;

#[derive(Debug, PartialEq)]
enum ItemFault {
    Item(Item),
}

impl FaultDetail for ItemFault {
    fn read_detail(r: &mut XmlReader<'_>, el: &Element) -> Result<Option<Self>, XmlError> {
        if el.is(NS, "Item") {
            return Item::read_element(r, el).map(|i| Some(ItemFault::Item(i)));
        }
        Ok(None)
    }
}

#[test]
fn round_trips_through_the_reader() {
    let item = Item {
        id: Some(-3),
        name: Some("a&b".into()),
        counts: vec![5],
        note: Some(String::new()),
        child: Some(Box::new(Item {
            name: Some("inner".into()),
            ..Item::default()
        })),
    };
    let text = envelope_text(SoapVersion::V12, &item);
    match parse_envelope::<Item, Headers, ItemFault>(text.as_bytes(), Some(&ITEM)).unwrap() {
        Envelope::Body { body, headers } => {
            assert_eq!(body, item);
            assert_eq!(headers.name.as_deref(), Some("tok & <en>"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn reading_is_namespace_aware_and_lenient() {
    // Default namespace, other prefixes, xsi:type, unknown elements and
    // attributes, comments, CDATA, character references, nil.
    let text = r#"<?xml version="1.0"?>
<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
  <e:Header>
    <Unknown xmlns="urn:other"><Name>x</Name></Unknown>
    <h:Name xmlns:h="urn:test" e:mustUnderstand="1">hdr</h:Name>
  </e:Header>
  <e:Body>
    <Item xmlns="urn:test" id=" 12 " extra="1" i:type="Item">
      <!-- comment -->
      <Unknown><Deep><Name>no</Name></Deep></Unknown>
      <Name><![CDATA[<x>]]>&#65;&amp;</Name>
      <Count>+4</Count>
      <Note i:nil="true"/>
    </Item>
  </e:Body>
</e:Envelope>"#;
    let parsed: Parsed = parse_envelope(text.as_bytes(), Some(&ITEM)).unwrap();
    let Envelope::Body { body, headers } = parsed else {
        panic!("not a body")
    };
    assert_eq!(headers.name.as_deref(), Some("hdr"));
    assert_eq!(body.id, Some(12));
    assert_eq!(body.name.as_deref(), Some("<x>A&"));
    assert_eq!(body.counts, vec![4]);
    assert_eq!(body.note, None);
}

/// spyne and node-soap write the declared detail element and its children
/// without a namespace: they still decode by local name; an element in
/// another namespace does not.
#[test]
fn fault_detail_without_its_namespace_decodes_by_local_name() {
    let fault = |detail: &str| {
        let text = format!(
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>
<faultcode>s:Client</faultcode><faultstring>bad</faultstring><detail>{detail}</detail>
</s:Fault></s:Body></s:Envelope>"#
        );
        match parse_envelope::<Item, Headers, ItemFault>(text.as_bytes(), Some(&ITEM)).unwrap() {
            Envelope::Fault(fault) => fault,
            other => panic!("{other:?}"),
        }
    };
    let plain = fault(r#"<Item id="4"><Name>why</Name><Count>1</Count><Count>2</Count></Item>"#);
    let Some(ItemFault::Item(item)) = &plain.detail else {
        panic!("no typed detail: {plain:?}")
    };
    assert_eq!(item.id, Some(4));
    assert_eq!(item.name.as_deref(), Some("why"));
    assert_eq!(item.counts, vec![1, 2]);
    let other = fault(r#"<o:Item xmlns:o="urn:other"><o:Name>no</o:Name></o:Item>"#);
    assert_eq!(other.detail, None);
    // Lenient reading ends with the detail: a later envelope is strict.
    let strict = envelope_text(SoapVersion::V11, &Item::default());
    assert!(matches!(
        parse_envelope::<Item, Headers, ItemFault>(strict.as_bytes(), Some(&ITEM)).unwrap(),
        Envelope::Body { .. }
    ));
}

#[test]
fn soap11_fault_with_typed_detail() {
    let text = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
<s:Body><s:Fault><faultcode xmlns:a="urn:codes">a:Server.Busy</faultcode>
<faultstring xml:lang="en">busy</faultstring><faultactor>urn:actor</faultactor>
<detail><x:Other xmlns:x="urn:x"/><t:Item xmlns:t="urn:test"><t:Name>why</t:Name></t:Item></detail>
</s:Fault></s:Body></s:Envelope>"#;
    let Envelope::Fault(fault) =
        parse_envelope::<Item, Headers, ItemFault>(text.as_bytes(), Some(&ITEM)).unwrap()
    else {
        panic!("not a fault")
    };
    assert_eq!(fault.version, SoapVersion::V11);
    assert_eq!(fault.code.ns.as_deref(), Some("urn:codes"));
    assert_eq!(fault.code.local, "Server.Busy");
    assert_eq!(fault.reason, "busy");
    assert_eq!(fault.actor.as_deref(), Some("urn:actor"));
    let Some(ItemFault::Item(item)) = &fault.detail else {
        panic!("no typed detail")
    };
    assert_eq!(item.name.as_deref(), Some("why"));
    assert!(fault.detail_xml.as_deref().unwrap().starts_with("<x:Other"));
    assert_eq!(fault.to_string(), "soap fault {urn:codes}Server.Busy: busy");
}

#[test]
fn soap12_fault_with_subcodes() {
    let text = r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:m="urn:m">
<env:Body><env:Fault>
<env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>m:BadTicket</env:Value></env:Subcode></env:Code>
<env:Reason><env:Text xml:lang="en">bad ticket</env:Text><env:Text xml:lang="no">ugyldig</env:Text></env:Reason>
<env:Node>urn:node</env:Node><env:Role>urn:role</env:Role>
<env:Detail><m:Info>1</m:Info></env:Detail>
</env:Fault></env:Body></env:Envelope>"#;
    let Envelope::Fault(fault) = parse_envelope::<(), (), ()>(text.as_bytes(), None).unwrap()
    else {
        panic!("not a fault")
    };
    assert_eq!(fault.version, SoapVersion::V12);
    assert_eq!(fault.code.ns.as_deref(), Some(envelope::SOAP12_ENV));
    assert_eq!(fault.code.local, "Sender");
    assert_eq!(fault.subcodes[0].ns.as_deref(), Some("urn:m"));
    assert_eq!(fault.subcodes[0].local, "BadTicket");
    assert_eq!(fault.reason, "bad ticket");
    assert_eq!(fault.node.as_deref(), Some("urn:node"));
    assert_eq!(fault.actor.as_deref(), Some("urn:role"));
    assert_eq!(fault.detail, None);
    assert_eq!(fault.detail_xml.as_deref(), Some("<m:Info>1</m:Info>"));
}

#[test]
fn malformed_and_wrong_input_are_errors_not_panics() {
    let cases: &[&[u8]] = &[
        b"",
        b"not xml",
        b"<a>",
        b"<x:Envelope/>",
        b"<Envelope/>",
        b"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><Item/></s:Body></s:Envelope>",
        b"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><t:Item xmlns:t=\"urn:test\"><t:Count>x</t:Count></t:Item></s:Body></s:Envelope>",
        b"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><t:Item xmlns:t=\"urn:test\"><t:Count>1</t:Count>",
        b"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body/></s:Envelope>",
        b"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><t:Item xmlns:t=\"urn:test\"><t:Name>&bogus;</t:Name></t:Item></s:Body></s:Envelope>",
    ];
    for case in cases {
        assert!(
            parse_envelope::<Item, Headers, ItemFault>(case, Some(&ITEM)).is_err(),
            "{}",
            String::from_utf8_lossy(case)
        );
    }
}

#[test]
fn empty_output_body_and_raw_xml() {
    let text = br#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>"#;
    assert!(matches!(
        parse_envelope::<(), (), ()>(text, None),
        Ok(Envelope::Body { .. })
    ));
    let xml = br#"<r xmlns:p="urn:p"><p:a x="1"><b/>t</p:a><c/></r>"#;
    let mut r = XmlReader::new(xml);
    let root = r.root().unwrap();
    let a = r.next_child(&root).unwrap().unwrap();
    assert_eq!(
        AnyElement::read_element(&mut r, &a).unwrap().0,
        r#"<p:a x="1"><b/>t</p:a>"#
    );
    let c = r.next_child(&root).unwrap().unwrap();
    assert_eq!(AnyContent::read_element(&mut r, &c).unwrap().0, "");
    assert!(r.next_child(&root).unwrap().is_none());
}

#[test]
fn simple_values() {
    assert_eq!(bool::from_text(" 1 "), Ok(true));
    assert!(bool::from_text("yes").is_err());
    assert_eq!(i32::from_text("+42"), Ok(42));
    assert!(u8::from_text("256").is_err());
    assert_eq!(f64::from_text("-INF"), Ok(f64::NEG_INFINITY));
    assert_eq!(f32::INFINITY.to_text(), "INF");
    let list = XsList::<i32>::from_text(" 1  2\n3 ").unwrap();
    assert_eq!(list.0, vec![1, 2, 3]);
    assert_eq!(list.to_text(), "1 2 3");
    assert_eq!(
        SoapVersion::V11.content_type("a"),
        "text/xml; charset=utf-8"
    );
    assert_eq!(
        SoapVersion::V12.content_type("urn:a"),
        "application/soap+xml; charset=utf-8; action=\"urn:a\""
    );
}

/// An rpc/encoded body shaped like a generated wrapper: one typed part and
/// one soapenc array part.
struct Add {
    a: i32,
    nums: Vec<i32>,
}

impl XmlWrite for Add {
    fn write_element(&self, w: &mut XmlWriter, name: &Name) -> Result<(), XmlError> {
        w.start(name, &[])?;
        w.with_type("xsd:int", |w| {
            self.a.write_element(w, &Name::unqualified("a"))?;
            Ok(())
        })?;
        w.with_type("ns1:Nums", |w| {
            write_array(w, &Name::unqualified("nums"), &self.nums, "xsd:int")
        })?;
        w.end(name)
    }
}

#[test]
fn encoded_mode_writes_xsi_types_and_soapenc_arrays() {
    let add = Add {
        a: 1,
        nums: vec![2, 3],
    };
    let encoded = build_encoded_envelope(SoapVersion::V11, NAMESPACES, &[], Some((&ITEM, &add)));
    let text = String::from_utf8(encoded.unwrap()).unwrap();
    // Only the elements written directly inside `with_type` are typed; an
    // element that sets `xsi:type` itself (the array) keeps its own.
    assert!(
        text.contains(
            "<ns1:Item><a xsi:type=\"xsd:int\">1</a>\
             <nums xsi:type=\"soapenc:Array\" soapenc:arrayType=\"xsd:int[2]\">\
             <item xsi:type=\"xsd:int\">2</item><item xsi:type=\"xsd:int\">3</item></nums></ns1:Item>"
        ),
        "{text}"
    );
    // Literal mode: no xsi:type from `with_type`.
    let literal = build_envelope(SoapVersion::V11, NAMESPACES, &[], Some((&ITEM, &add)));
    let text = String::from_utf8(literal.unwrap()).unwrap();
    assert!(
        text.contains("<ns1:Item><a>1</a><nums xsi:type=\"soapenc:Array\""),
        "{text}"
    );
    // Arrays read every child, whatever its name; empty arrays are empty.
    let xml = br#"<r><nums><item>2</item><x>3</x></nums><e/></r>"#;
    let mut r = XmlReader::new(xml);
    let root = r.root().unwrap();
    let nums = r.next_child(&root).unwrap().unwrap();
    assert_eq!(read_array::<i32>(&mut r, &nums).unwrap(), vec![2, 3]);
    let e = r.next_child(&root).unwrap().unwrap();
    assert_eq!(read_array::<i32>(&mut r, &e).unwrap(), Vec::<i32>::new());
}

#[test]
fn an_empty_body_name_accepts_any_rpc_response_wrapper() {
    let text = br#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><m:AddAnswer xmlns:m="urn:x"/></s:Body></s:Envelope>"#;
    let any = Name::unqualified("");
    assert!(matches!(
        parse_envelope::<(), (), ()>(text, Some(&any)),
        Ok(Envelope::Body { .. })
    ));
    // A named body element must match.
    assert!(parse_envelope::<(), (), ()>(text, Some(&ITEM)).is_err());
}

#[test]
fn any_attributes_are_kept_and_written_back_with_their_namespaces() {
    let xml = br#"<r xmlns:p="urn:p" xmlns:q="urn:q" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
        id="1" plain="a" p:x="b &amp; c" q:y="d" xsi:type="T"/>"#;
    let mut r = XmlReader::new(xml);
    let root = r.root().unwrap();
    let other = root.other_attributes(&[("", "id")]);
    let expected = vec![
        AnyAttribute {
            ns: String::new(),
            local: "plain".into(),
            value: "a".into(),
        },
        AnyAttribute {
            ns: "urn:p".into(),
            local: "x".into(),
            value: "b & c".into(),
        },
        AnyAttribute {
            ns: "urn:q".into(),
            local: "y".into(),
            value: "d".into(),
        },
    ];
    assert_eq!(other, expected);
    let mut w = XmlWriter::new();
    w.start_with_any(&ITEM, &[(&ID, Some("1".into()))], &other)
        .unwrap();
    w.end(&ITEM).unwrap();
    let text = String::from_utf8(w.into_inner()).unwrap();
    assert_eq!(
        text,
        r#"<ns1:Item id="1" plain="a" xmlns:wa1="urn:p" wa1:x="b &amp; c" xmlns:wa2="urn:q" wa2:y="d"></ns1:Item>"#
    );
}

/// `<Item>` nested `depth` times inside an envelope body (the body element
/// is level 3).
fn nested_items(version: SoapVersion, depth: usize) -> String {
    let mut text = format!(
        r#"<s:Envelope xmlns:s="{}"><s:Body>"#,
        version.envelope_ns()
    );
    text.push_str(&r#"<Item xmlns="urn:test">"#.repeat(depth));
    text.push_str(&"</Item>".repeat(depth));
    text.push_str("</s:Body></s:Envelope>");
    text
}

#[test]
fn nesting_deeper_than_the_limit_is_an_error_naming_the_path() {
    // Within the limit: reads, child by child.
    let text = nested_items(SoapVersion::V11, DEFAULT_MAX_DEPTH - 2);
    let Envelope::Body { body, .. } =
        parse_envelope::<Item, Headers, ItemFault>(text.as_bytes(), Some(&ITEM)).unwrap()
    else {
        panic!("expected a body");
    };
    let mut levels = 1;
    let mut item = &body;
    while let Some(child) = &item.child {
        levels += 1;
        item = child;
    }
    assert_eq!(levels, DEFAULT_MAX_DEPTH - 2);
    // One level more is one too many.
    let text = nested_items(SoapVersion::V11, DEFAULT_MAX_DEPTH - 1);
    let err = parse_envelope::<Item, Headers, ItemFault>(text.as_bytes(), Some(&ITEM)).unwrap_err();
    let XmlError::TooDeep { limit, path } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*limit, DEFAULT_MAX_DEPTH);
    assert!(
        path.starts_with("/Envelope/Body/Item/Item/…(")
            && path.ends_with("more)…/Item/Item/Item/Item/Item"),
        "{path}"
    );
    assert!(err.to_string().contains("nested deeper than 128 levels"));
    // The limit is configurable both ways.
    let text = nested_items(SoapVersion::V11, 10);
    assert!(matches!(
        parse_envelope_with_max_depth::<Item, Headers, ItemFault>(text.as_bytes(), Some(&ITEM), 12),
        Ok(Envelope::Body { .. })
    ));
    assert!(matches!(
        parse_envelope_with_max_depth::<Item, Headers, ItemFault>(text.as_bytes(), Some(&ITEM), 11),
        Err(XmlError::TooDeep { limit: 11, .. })
    ));
}

#[test]
fn unknown_elements_of_any_depth_are_skipped_without_recursion() {
    // Ten thousand levels inside an unknown header block and an unknown
    // child: skipped iteratively, the known parts still read.
    let deep = format!("{}{}", "<x>".repeat(10_000), "</x>".repeat(10_000));
    let text = format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><u>{deep}</u><Name xmlns="urn:test">n</Name></s:Header><s:Body><Item xmlns="urn:test" id="4"><other>{deep}</other></Item></s:Body></s:Envelope>"#
    );
    let Envelope::Body { body, headers } =
        parse_envelope::<Item, Headers, ItemFault>(text.as_bytes(), Some(&ITEM)).unwrap()
    else {
        panic!("expected a body");
    };
    assert_eq!(body.id, Some(4));
    assert_eq!(headers.name.as_deref(), Some("n"));
    // A million levels: quick-xml's namespace resolver cannot count that
    // deep, so skipping stops at MAX_SKIP_DEPTH with an error.
    let deep = format!("{}{}", "<x>".repeat(1_000_000), "</x>".repeat(1_000_000));
    let text = format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><u>{deep}</u></s:Header><s:Body/></s:Envelope>"#
    );
    let err = parse_envelope::<(), (), ()>(text.as_bytes(), None).unwrap_err();
    assert!(
        matches!(&err, XmlError::TooDeep { limit: MAX_SKIP_DEPTH, path } if path.starts_with("/Envelope/Header/u/…(")),
        "{err:?}"
    );
}

#[test]
fn deep_soap12_subcodes_are_bounded() {
    let subcodes = |n: usize| {
        format!(
            r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><e:Fault><e:Code><e:Value>e:Sender</e:Value>{}{}</e:Code><e:Reason><e:Text>r</e:Text></e:Reason></e:Fault></e:Body></e:Envelope>"#,
            "<e:Subcode><e:Value>e:x</e:Value>".repeat(n),
            "</e:Subcode>".repeat(n)
        )
    };
    let Envelope::Fault(fault) =
        parse_envelope::<(), (), ()>(subcodes(3).as_bytes(), None).unwrap()
    else {
        panic!("expected a fault");
    };
    assert_eq!(fault.subcodes.len(), 3);
    assert!(matches!(
        parse_envelope::<(), (), ()>(subcodes(10_000).as_bytes(), None),
        Err(XmlError::TooDeep { .. })
    ));
}

#[test]
fn entities_are_never_expanded() {
    let laughs = br#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><Name xmlns="urn:test">&lol2;</Name></s:Header><s:Body/></s:Envelope>"#;
    let err = parse_envelope::<(), Headers, ()>(laughs, None).unwrap_err();
    assert!(
        err.to_string().contains("document type declaration"),
        "{err}"
    );
    // Without a DTD an undefined entity is an error too, in text and in
    // attribute values; character references and the predefined entities
    // are read.
    for text in [
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><Name xmlns="urn:test">&xxe;</Name></s:Header><s:Body/></s:Envelope>"#,
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><Name xmlns="urn:test" a="&xxe;"/></s:Header><s:Body/></s:Envelope>"#,
    ] {
        assert!(matches!(
            parse_envelope::<(), Headers, ()>(text.as_bytes(), None),
            Err(XmlError::Syntax { .. })
        ));
    }
    let text = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><Name xmlns="urn:test">&lt;&#13;&#x41;</Name></s:Header><s:Body/></s:Envelope>"#;
    let Envelope::Body { headers, .. } =
        parse_envelope::<(), Headers, ()>(text.as_bytes(), None).unwrap()
    else {
        panic!("expected a body");
    };
    assert_eq!(headers.name.as_deref(), Some("<\rA"));
}
