//! Fixture tests of the WSDL front end and generator: one small WSDL/XSD
//! per capability, in memory.

use std::collections::BTreeMap;

use crate::manifest::{ApiKind, ApiSpec, SpecFile};
use crate::{Error, MemoryFiles, Output};

const HEAD: &str = r#"<?xml version="1.0"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:s="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:t" targetNamespace="urn:t">"#;

/// A WSDL with `schema` in its types and one operation `Op` whose input
/// and output are elements `In` and `Out`.
fn wsdl(schema: &str) -> String {
    format!(
        r#"{HEAD}
  <wsdl:types>{schema}</wsdl:types>
  <wsdl:message name="InMsg"><wsdl:part name="parameters" element="tns:In"/></wsdl:message>
  <wsdl:message name="OutMsg"><wsdl:part name="parameters" element="tns:Out"/></wsdl:message>
  <wsdl:portType name="P"><wsdl:operation name="Op"><wsdl:input message="tns:InMsg"/><wsdl:output message="tns:OutMsg"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="tns:P"><s:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Op"><s:operation soapAction="urn:op"/><wsdl:input><s:body use="literal"/></wsdl:input><wsdl:output><s:body use="literal"/></wsdl:output></wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="S"><wsdl:port name="Port" binding="tns:B"><s:address location="http://example.com/s"/></wsdl:port></wsdl:service>
</wsdl:definitions>"#
    )
}

const IO: &str = r#"<xs:element name="In"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
  <xs:element name="Out"><xs:complexType><xs:sequence/></xs:complexType></xs:element>"#;

fn schema(body: &str) -> String {
    format!(
        r#"<xs:schema targetNamespace="urn:t" elementFormDefault="qualified">{IO}{body}</xs:schema>"#
    )
}

/// The generated code with std paths written short (`Option` for
/// `::core::option::Option`), so assertions stay readable; the hygiene test
/// looks at the code as generated.
fn plain(code: &str) -> String {
    let mut code = code.to_string();
    for (long, short) in [
        ("::core::option::Option::Some", "Some"),
        ("::core::option::Option::None", "None"),
        ("::core::result::Result::Ok", "Ok"),
        ("::core::result::Result::Err", "Err"),
        ("::core::option::Option", "Option"),
        ("::core::result::Result", "Result"),
        ("::std::string::String", "String"),
        ("::std::vec::Vec", "Vec"),
        ("::std::boxed::Box", "Box"),
        ("::core::default::Default", "Default"),
        ("::core::convert::From", "From"),
        ("::core::fmt::Debug", "Debug"),
        ("::core::clone::Clone", "Clone"),
        ("::core::cmp::PartialEq", "PartialEq"),
        ("::core::cmp::Eq", "Eq"),
        ("::core::hash::Hash", "Hash"),
        ("::wiregen_runtime::", "wiregen_runtime::"),
    ] {
        code = code.replace(long, short);
    }
    code
}

fn run(files: MemoryFiles, catalog: &[(&str, &str)]) -> Result<Output, Error> {
    run_raw(files, catalog).map(|mut out| {
        out.code = plain(&out.code);
        out
    })
}

fn run_raw(files: MemoryFiles, catalog: &[(&str, &str)]) -> Result<Output, Error> {
    let api = ApiSpec {
        name: "t".to_string(),
        kind: ApiKind::Wsdl,
        title: None,
        files: vec![SpecFile {
            path: "t/main.wsdl".to_string(),
            sha256: None,
            origin: None,
        }],
        overlays: Vec::new(),
        catalog: catalog
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>(),
    };
    super::generate(&files, &api)
}

fn gen(text: &str) -> String {
    match run(MemoryFiles::new().with("t/main.wsdl", text), &[]) {
        Ok(out) => out.code,
        Err(e) => panic!("{e}"),
    }
}

/// Whether `out` has a warning at `place` (a `file:line:` prefix) whose
/// message contains `text`.
fn warned(out: &Output, place: &str, text: &str) -> bool {
    out.diagnostics.iter().any(|d| {
        d.severity == crate::diag::Severity::Warning
            && d.to_string().contains(place)
            && d.message.contains(text)
    })
}

fn err(files: MemoryFiles) -> String {
    match run(files, &[]) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn document_literal_operation_becomes_a_client_method() {
    let code = gen(&wsdl(&schema("")));
    assert!(code.contains("pub struct BClient"));
    assert!(
        code.contains("pub async fn op(") && code.contains("request: &In,"),
        "{code}"
    );
    assert!(code.contains("pub async fn op_with_headers("));
    assert!(code.contains("DEFAULT_ENDPOINT: &'static str = \"http://example.com/s\""));
    assert!(code.contains("action: \"urn:op\""));
    assert!(code.contains("soap::SoapVersion::V11"));
    // Deterministic.
    assert_eq!(code, gen(&wsdl(&schema(""))));
}

#[test]
fn soap_version_comes_from_the_namespace_not_the_prefix() {
    // `s` bound to the SOAP 1.2 binding namespace.
    let text = wsdl(&schema("")).replace(
        "xmlns:s=\"http://schemas.xmlsoap.org/wsdl/soap/\"",
        "xmlns:s=\"http://schemas.xmlsoap.org/wsdl/soap12/\"",
    );
    assert!(gen(&text).contains("soap::SoapVersion::V12"));
}

#[test]
fn import_without_schema_location_resolves_within_the_set() {
    let types = format!(
        r#"<xs:schema targetNamespace="urn:t" elementFormDefault="qualified" xmlns:a="urn:arrays">
             <xs:import namespace="urn:arrays"/>{IO}
             <xs:element name="Holder"><xs:complexType><xs:sequence>
               <xs:element name="Ids" type="a:ArrayOfint" minOccurs="0" nillable="true"/></xs:sequence></xs:complexType></xs:element>
           </xs:schema>
           <xs:schema targetNamespace="urn:arrays" elementFormDefault="qualified">
             <xs:complexType name="ArrayOfint"><xs:sequence><xs:element name="int" type="xs:int" minOccurs="0" maxOccurs="unbounded"/></xs:sequence></xs:complexType>
           </xs:schema>"#
    );
    let code = gen(&wsdl(&types));
    // ArrayOfX wrapper: a newtype over Vec.
    assert!(code.contains("pub struct ArrayOfint("), "{code}");
    assert!(code.contains("pub Vec<i32>"));
    assert!(code.contains("pub ids: Option<ArrayOfint>"));
}

#[test]
fn namespace_declarations_are_inherited_from_definitions() {
    // `tns` is declared only on wsdl:definitions.
    let code = gen(&wsdl(&schema(
        r#"<xs:complexType name="T"><xs:sequence><xs:element name="x" type="xs:string"/></xs:sequence></xs:complexType>
           <xs:element name="E" type="tns:T"/>"#,
    )));
    assert!(code.contains("pub struct T {"));
}

#[test]
fn xs_import_and_include_with_local_locations() {
    let main = wsdl(
        r#"<xs:schema targetNamespace="urn:t" elementFormDefault="qualified" xmlns:o="urn:other">
             <xs:include schemaLocation="parts/io.xsd"/>
             <xs:import namespace="urn:other" schemaLocation="../shared/other.xsd"/>
             <xs:element name="Uses" type="o:Other"/>
           </xs:schema>"#,
    );
    let files = MemoryFiles::new()
        .with("t/main.wsdl", &main)
        // Chameleon include: takes the including schema's namespace.
        .with("t/parts/io.xsd", &format!(r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">{IO}</xs:schema>"#))
        .with("shared/other.xsd", r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:other">
             <xs:complexType name="Other"><xs:sequence><xs:element name="v" type="xs:int"/></xs:sequence></xs:complexType></xs:schema>"#);
    let code = run(files, &[]).unwrap().code;
    assert!(code.contains("pub struct Other {"));
    assert!(code.contains("request: &In"));
}

#[test]
fn remote_locations_use_the_catalog_then_a_local_file_then_degrade() {
    let main = wsdl(&format!(
        r#"<xs:schema targetNamespace="urn:t" xmlns:x="urn:x"><xs:import namespace="urn:x" schemaLocation="http://example.com/schemas/x.xsd"/>{IO}
           <xs:complexType name="Uses"><xs:sequence><xs:element name="v" type="x:T"/><xs:element ref="x:E"/></xs:sequence>
             <xs:attribute ref="x:a"/></xs:complexType></xs:schema>"#
    ));
    let x = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x">
        <xs:complexType name="T"><xs:sequence><xs:element name="n" type="xs:int"/></xs:sequence></xs:complexType>
        <xs:element name="E" type="xs:string"/><xs:attribute name="a" type="xs:int"/></xs:schema>"#;
    // 1. The catalog maps the URL.
    let files = MemoryFiles::new()
        .with("t/main.wsdl", &main)
        .with("vendored/x.xsd", x);
    let out = run(
        files,
        &[("http://example.com/schemas/x.xsd", "vendored/x.xsd")],
    )
    .unwrap();
    assert!(out.code.contains("pub v: T,"), "{}", out.code);
    // 2. A local file with the same path tail, with a note naming it.
    let files = MemoryFiles::new()
        .with("t/main.wsdl", &main)
        .with("t/schemas/x.xsd", x);
    let out = run(files, &[]).unwrap();
    assert!(out.code.contains("pub v: T,"));
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.code == "wsdl:remote-location"
            && d.message.contains("using local file `t/schemas/x.xsd`")));
    // 3. Nothing local: a warning naming the URL; references into the
    // namespace degrade to raw XML (types, elements) and text (attributes).
    let out = run(MemoryFiles::new().with("t/main.wsdl", &main), &[]).unwrap();
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.message.contains("http://example.com/schemas/x.xsd")));
    assert!(
        out.code.contains("pub v: soap::AnyContent,"),
        "{}",
        out.code
    );
    assert!(
        out.code.contains("pub e: soap::AnyContent,"),
        "{}",
        out.code
    );
    assert!(out.code.contains("pub a: Option<String>,"), "{}", out.code);
    // A remote xs:include degrades the same way, with a located warning.
    let include = wsdl(&format!(
        r#"<xs:schema targetNamespace="urn:t"><xs:include schemaLocation="http://example.com/i.xsd"/>{IO}</xs:schema>"#
    ));
    let out = run(MemoryFiles::new().with("t/main.wsdl", &include), &[]).unwrap();
    assert!(warned(&out, "t/main.wsdl:", "http://example.com/i.xsd"));
    assert_eq!(out.operations, 1);
}

#[test]
fn xs_import_directly_in_wsdl_types_is_read() {
    let main = wsdl(r#"<xs:import namespace="urn:t" schemaLocation="m.xsd"/>"#);
    let files = MemoryFiles::new().with("t/main.wsdl", &main).with(
        "t/m.xsd",
        &schema("").replace(
            "<xs:schema ",
            r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" "#,
        ),
    );
    let out = run(files, &[]).unwrap();
    assert_eq!(out.operations, 1);
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.code == "wsdl:import-in-types"));
}

#[test]
fn fields_named_like_reader_variables_compile() {
    let code = gen(&wsdl(&schema(
        r#"<xs:complexType name="T"><xs:sequence><xs:element name="el" type="xs:int"/>
           <xs:element name="child" type="xs:int" maxOccurs="unbounded"/><xs:element name="r" type="xs:int" minOccurs="0"/></xs:sequence></xs:complexType>"#,
    )));
    assert!(code.contains("let mut f_el = None;"), "{code}");
    assert!(
        code.contains("el: soap::required(f_el, el, \"el\")?"),
        "{code}"
    );
    assert!(code.contains("child: f_child"), "{code}");
}

#[test]
fn wsdl_import_pulls_in_another_definitions_file() {
    let types = format!(
        r#"{HEAD}<wsdl:import namespace="urn:t" location="types.wsdl"/>
           <wsdl:message name="InMsg"><wsdl:part name="parameters" element="tns:In"/></wsdl:message>
           <wsdl:message name="OutMsg"><wsdl:part name="parameters" element="tns:Out"/></wsdl:message>
           <wsdl:portType name="P"><wsdl:operation name="Op"><wsdl:input message="tns:InMsg"/><wsdl:output message="tns:OutMsg"/></wsdl:operation></wsdl:portType>
           <wsdl:binding name="B" type="tns:P"><s:binding/><wsdl:operation name="Op"><wsdl:input><s:body use="literal"/></wsdl:input><wsdl:output><s:body use="literal"/></wsdl:output></wsdl:operation></wsdl:binding>
           </wsdl:definitions>"#
    );
    let files = MemoryFiles::new().with("t/main.wsdl", &types).with(
        "t/types.wsdl",
        &format!(
            "{HEAD}<wsdl:types>{}</wsdl:types></wsdl:definitions>",
            schema("")
        ),
    );
    let out = run(files, &[]).unwrap();
    assert_eq!(out.operations, 1);
}

#[test]
fn errors_name_file_line_and_column() {
    let message = err(MemoryFiles::new().with("t/main.wsdl", "<wsdl:definitions>\n  <oops"));
    assert!(message.starts_with("t/main.wsdl:"), "{message}");
    // Not WSDL 1.1: a located error too.
    let message = err(MemoryFiles::new().with(
        "t/main.wsdl",
        r#"<description xmlns="http://www.w3.org/ns/wsdl"/>"#,
    ));
    assert!(message.starts_with("t/main.wsdl:1:1:"), "{message}");
    assert!(message.contains("only WSDL 1.1"), "{message}");
    assert!(err(MemoryFiles::new()).contains("t/main.wsdl"));
    // What does not resolve is a located warning, not an error.
    let bad = wsdl(&schema(r#"<xs:element name="E" type="tns:Missing"/>"#));
    let out = run(MemoryFiles::new().with("t/main.wsdl", &bad), &[]).unwrap();
    assert!(warned(&out, "t/main.wsdl:5:", "type `{urn:t}Missing`"));
    let out = run(
        MemoryFiles::new().with(
            "t/main.wsdl",
            &wsdl(&schema(r#"<xs:element name="E" type="q:T"/>"#)),
        ),
        &[],
    )
    .unwrap();
    assert!(warned(
        &out,
        "t/main.wsdl:5:",
        "undeclared namespace prefix `q`"
    ));
}

#[test]
fn element_and_type_of_the_same_name_do_not_collide() {
    let code = gen(&wsdl(&schema(
        r#"<xs:simpleType name="UserType"><xs:restriction base="xs:string"><xs:enumeration value="A"/></xs:restriction></xs:simpleType>
           <xs:element name="UserType" nillable="true" type="tns:UserType"/>
           <xs:complexType name="Thing"><xs:sequence><xs:element name="a" type="xs:int"/></xs:sequence></xs:complexType>
           <xs:element name="Thing"><xs:complexType><xs:sequence><xs:element name="b" type="xs:int"/></xs:sequence></xs:complexType></xs:element>"#,
    )));
    assert!(code.contains("pub enum UserType"));
    assert!(code.contains("pub struct Thing {"));
    assert!(code.contains("pub struct ThingElement {"));
}

#[test]
fn the_same_name_in_two_namespaces_does_not_collide() {
    let types = format!(
        r#"{}<xs:schema targetNamespace="urn:u"><xs:complexType name="Item"><xs:sequence/></xs:complexType></xs:schema>"#,
        schema(r#"<xs:complexType name="Item"><xs:sequence/></xs:complexType>"#)
    );
    let code = gen(&wsdl(&types));
    assert!(code.contains("pub struct Item {"));
    assert!(code.contains("pub struct Item2 {"));
}

#[test]
fn enumerations_keep_unknown_values() {
    let code = gen(&wsdl(&schema(
        r#"<xs:simpleType name="Color"><xs:annotation><xs:documentation>A color.</xs:documentation></xs:annotation>
           <xs:restriction base="xs:string"><xs:enumeration value="red"/><xs:enumeration value="Other"/></xs:restriction></xs:simpleType>"#,
    )));
    assert!(code.contains("/// A color."));
    assert!(code.contains("Red,"));
    assert!(code.contains("Other2,"));
    assert!(code.contains("Other(String)"));
}

#[test]
fn lists_unions_and_any() {
    let code = gen(&wsdl(&schema(
        r#"<xs:simpleType name="Rights"><xs:list><xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value="Read"/></xs:restriction></xs:simpleType></xs:list></xs:simpleType>
           <xs:simpleType name="U"><xs:union memberTypes="xs:int xs:string"/></xs:simpleType>
           <xs:complexType name="Open"><xs:sequence><xs:element name="raw" type="xs:anyType"/><xs:any processContents="lax" minOccurs="0" maxOccurs="unbounded"/></xs:sequence></xs:complexType>"#,
    )));
    assert!(
        code.contains("pub type Rights = soap::XsList<RightsItem>;"),
        "{code}"
    );
    assert!(code.contains("pub enum RightsItem"));
    assert!(code.contains("pub type U = String;"));
    assert!(code.contains("pub raw: soap::AnyContent"));
    assert!(code.contains("pub any: Vec<soap::AnyElement>"));
}

#[test]
fn derivation_attributes_simple_content_choice_and_recursion() {
    let code = gen(&wsdl(&schema(
        r#"<xs:complexType name="Base"><xs:sequence><xs:element name="id" type="xs:int"/></xs:sequence><xs:attribute name="ver" type="xs:int" use="required"/></xs:complexType>
           <xs:complexType name="Derived"><xs:complexContent><xs:extension base="tns:Base"><xs:sequence><xs:element name="name" type="xs:string" minOccurs="0"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
           <xs:complexType name="Money"><xs:simpleContent><xs:extension base="xs:decimal"><xs:attribute name="currency" type="xs:string"/></xs:extension></xs:simpleContent></xs:complexType>
           <xs:complexType name="Either"><xs:choice><xs:element name="a" type="xs:int"/><xs:element name="b" type="xs:string"/></xs:choice></xs:complexType>
           <xs:complexType name="Node"><xs:sequence><xs:element name="next" type="tns:Node" minOccurs="0" nillable="true"/><xs:element name="kids" type="tns:Node" maxOccurs="unbounded"/></xs:sequence></xs:complexType>"#,
    )));
    let derived = code.split("pub struct Derived {").nth(1).unwrap_or("");
    let derived = derived.split('}').next().unwrap_or("");
    assert!(
        derived.contains("pub id: i32")
            && derived.contains("pub name: Option<String>")
            && derived.contains("pub ver: i32"),
        "{derived}"
    );
    assert!(
        code.contains("pub value: ::rust_decimal::Decimal")
            && code.contains("pub currency: Option<String>")
    );
    // A choice is an enum: exactly one branch.
    assert!(code.contains("pub choice: EitherChoice"), "{code}");
    assert!(
        code.contains("A(i32)") && code.contains("B(String)"),
        "{code}"
    );
    assert!(code.contains("pub next: Option<Box<Node>>"));
    assert!(code.contains("pub kids: Vec<Node>"));
}

#[test]
fn headers_and_declared_faults_are_typed() {
    let text = format!(
        r#"{HEAD}<wsdl:types>{}</wsdl:types>
  <wsdl:message name="InMsg"><wsdl:part name="parameters" element="tns:In"/></wsdl:message>
  <wsdl:message name="OutMsg"><wsdl:part name="parameters" element="tns:Out"/></wsdl:message>
  <wsdl:message name="Hdr"><wsdl:part name="Token" element="tns:Token"/></wsdl:message>
  <wsdl:message name="FaultMsg"><wsdl:part name="detail" element="tns:Oops"/></wsdl:message>
  <wsdl:portType name="P"><wsdl:operation name="Op"><wsdl:input message="tns:InMsg"/><wsdl:output message="tns:OutMsg"/><wsdl:fault name="Oops" message="tns:FaultMsg"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="tns:P"><s:binding style="document"/>
    <wsdl:operation name="Op"><s:operation soapAction="urn:op"/>
      <wsdl:input><s:header message="tns:Hdr" part="Token" use="literal"/><s:body use="literal"/></wsdl:input>
      <wsdl:output><s:header message="tns:Hdr" part="Token" use="literal"/><s:body use="literal"/></wsdl:output>
      <wsdl:fault name="Oops"><s:fault name="Oops" use="literal"/></wsdl:fault></wsdl:operation>
  </wsdl:binding></wsdl:definitions>"#,
        schema(
            r#"<xs:element name="Token" type="xs:string"/>
               <xs:element name="Oops"><xs:complexType><xs:sequence><xs:element name="why" type="xs:string"/></xs:sequence></xs:complexType></xs:element>"#
        )
    );
    let code = gen(&text);
    assert!(
        code.contains("pub struct InputHeaders {\n    pub token: Option<String>,"),
        "{code}"
    );
    assert!(code.contains("pub struct OutputHeaders {\n    pub token: Option<String>,"));
    assert!(code.contains("pub enum OpFault {"));
    assert!(code.contains("Oops(Oops)"));
    assert!(code.contains("soap::SoapError<OpFault>"));
    // No port: no default endpoint, but a client.
    assert!(!code.contains("DEFAULT_ENDPOINT"));
}

#[test]
fn any_attribute_keeps_the_other_attributes() {
    let code = gen(&wsdl(&schema(
        r#"<xs:complexType name="T"><xs:attribute name="a" type="xs:int"/><xs:anyAttribute processContents="lax"/></xs:complexType>"#,
    )));
    assert!(
        has(&code, "pub other_attributes: Vec<soap::AnyAttribute>,"),
        "{code}"
    );
    assert!(has(&code, r#"el.other_attributes(&[("", "a")])"#), "{code}");
    assert!(has(&code, "w.start_with_any("), "{code}");
}

#[test]
fn redefine_replaces_components_and_keeps_the_original_as_base() {
    let main = wsdl(&format!(
        r#"<xs:schema targetNamespace="urn:t" elementFormDefault="qualified">{IO}
             <xs:redefine schemaLocation="base.xsd">
               <xs:complexType name="Person"><xs:complexContent><xs:extension base="tns:Person">
                 <xs:sequence><xs:element name="age" type="xs:int"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
               <xs:group name="Extra"><xs:sequence><xs:group ref="tns:Extra"/><xs:element name="more" type="xs:int"/></xs:sequence></xs:group>
               <xs:attributeGroup name="Attrs"><xs:attributeGroup ref="tns:Attrs"/><xs:attribute name="b" type="xs:int"/></xs:attributeGroup>
             </xs:redefine>
             <xs:complexType name="User"><xs:sequence><xs:element name="p" type="tns:Person"/><xs:group ref="tns:Extra"/></xs:sequence>
               <xs:attributeGroup ref="tns:Attrs"/></xs:complexType>
           </xs:schema>"#
    ));
    let base = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:t" targetNamespace="urn:t" elementFormDefault="qualified">
        <xs:complexType name="Person"><xs:sequence><xs:element name="name" type="xs:string"/></xs:sequence></xs:complexType>
        <xs:group name="Extra"><xs:sequence><xs:element name="first" type="xs:int"/></xs:sequence></xs:group>
        <xs:attributeGroup name="Attrs"><xs:attribute name="a" type="xs:int"/></xs:attributeGroup></xs:schema>"#;
    let files = MemoryFiles::new()
        .with("t/main.wsdl", &main)
        .with("t/base.xsd", base);
    let code = run(files, &[]).unwrap().code;
    let person = code.split("pub struct Person {").nth(1).unwrap_or_default();
    let person = person.split('}').next().unwrap_or_default();
    assert!(
        has(person, "pub name: String,") && has(person, "pub age: i32,"),
        "{code}"
    );
    assert!(has(&code, "pub struct PersonOriginal {"), "{code}");
    let user = code.split("pub struct User {").nth(1).unwrap_or_default();
    let user = user.split('}').next().unwrap_or_default();
    for field in [
        "pub p: Person,",
        "pub first: i32,",
        "pub more: i32,",
        "pub a: Option<i32>,",
        "pub b: Option<i32>,",
    ] {
        assert!(has(user, field), "{field}: {code}");
    }
    // Redefining what the schema does not have is a located warning; the
    // rest generates.
    let bad = main.replace(
        "name=\"Person\"><xs:complexContent>",
        "name=\"Nobody\"><xs:complexContent>",
    );
    let files = MemoryFiles::new()
        .with("t/main.wsdl", &bad)
        .with("t/base.xsd", base);
    let out = run(files, &[]).unwrap();
    assert!(
        warned(&out, "t/main.wsdl:", "xs:redefine of unknown type"),
        "{:?}",
        out.diagnostics
    );
    assert_eq!(out.operations, 1);
}

#[test]
fn restriction_facets_are_documented() {
    let code = gen(&wsdl(&schema(
        r#"<xs:simpleType name="Code"><xs:annotation><xs:documentation>A code.</xs:documentation></xs:annotation>
             <xs:restriction base="xs:string"><xs:minLength value="2"/><xs:pattern value="[A-Z]+"/></xs:restriction></xs:simpleType>"#,
    )));
    assert!(code.contains("/// A code."), "{code}");
    assert!(
        code.contains("/// Facets (not checked): `minLength` `2`, `pattern` `[A-Z]+`."),
        "{code}"
    );
    assert!(code.contains("pub type Code = String;"), "{code}");
}

#[test]
fn substitution_groups_become_enums_of_their_members() {
    let code = gen(&wsdl(&schema(
        r#"<xs:element name="Head" type="xs:string" abstract="true"/>
           <xs:element name="A" type="xs:string" substitutionGroup="tns:Head"/>
           <xs:element name="B" type="xs:int" substitutionGroup="tns:A"/>
           <xs:complexType name="T"><xs:sequence><xs:element ref="tns:Head" maxOccurs="unbounded"/></xs:sequence></xs:complexType>"#,
    )));
    // The abstract head is no variant; a member of a member is one.
    assert!(has(&code, "pub enum HeadSubstitution {"), "{code}");
    assert!(has(&code, "A(String),") && has(&code, "B(i32),"), "{code}");
    assert!(!has(&code, "Head(String)"), "{code}");
    assert!(has(&code, "pub head: Vec<HeadSubstitution>,"), "{code}");
    assert!(
        has(
            &code,
            r#"if child.is("urn:t", "A") || child.is("urn:t", "B")"#
        ),
        "{code}"
    );
}

/// Whether `code` contains `needle`, whitespace ignored (prettyplease
/// breaks long lines).
fn has(code: &str, needle: &str) -> bool {
    let squeeze = |t: &str| t.split_whitespace().collect::<String>();
    squeeze(code).contains(&squeeze(needle))
}

/// An rpc WSDL: operation `Add(a: int, b: tns:Nums) -> (sum: int)`,
/// `use` given.
fn rpc_wsdl(use_: &str) -> String {
    let enc = if use_ == "encoded" {
        r#" encodingStyle="http://schemas.xmlsoap.org/soap/encoding/""#
    } else {
        ""
    };
    format!(
        r#"{HEAD}
  <wsdl:types><xs:schema targetNamespace="urn:t" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">
    <xs:import namespace="http://schemas.xmlsoap.org/soap/encoding/"/>
    <xs:complexType name="Nums"><xs:complexContent><xs:restriction base="soapenc:Array">
      <xs:attribute ref="soapenc:arrayType" wsdl:arrayType="xs:int[]"/></xs:restriction></xs:complexContent></xs:complexType>
  </xs:schema></wsdl:types>
  <wsdl:message name="AddIn"><wsdl:part name="a" type="xs:int"/><wsdl:part name="b" type="tns:Nums"/></wsdl:message>
  <wsdl:message name="AddOut"><wsdl:part name="sum" type="xs:int"/></wsdl:message>
  <wsdl:portType name="P"><wsdl:operation name="Add"><wsdl:input message="tns:AddIn"/><wsdl:output message="tns:AddOut"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="tns:P"><s:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Add"><s:operation soapAction="urn:add"/>
      <wsdl:input><s:body use="{use_}" namespace="urn:calc"{enc}/></wsdl:input>
      <wsdl:output><s:body use="{use_}" namespace="urn:calc"{enc}/></wsdl:output></wsdl:operation>
  </wsdl:binding>
</wsdl:definitions>"#
    )
}

#[test]
fn rpc_literal_operations_get_wrapper_structs() {
    let out = run(
        MemoryFiles::new().with("t/main.wsdl", &rpc_wsdl("literal")),
        &[],
    )
    .unwrap();
    assert_eq!(out.operations, 1);
    let code = out.code;
    // Input wrapper: the operation name in the soap:body namespace, one
    // unqualified child per part.
    assert!(has(&code, "pub struct AddRequest {"), "{code}");
    assert!(
        has(&code, "pub a: i32,") && has(&code, "pub b: Nums,"),
        "{code}"
    );
    assert!(has(&code, r#"qualified: "ns1:Add""#), "{code}");
    assert!(has(&code, r#"prefix: "ns1", uri: "urn:calc""#), "{code}");
    // Output wrapper: matched whatever its name, parts by local name.
    assert!(has(&code, "pub struct AddResponse {"), "{code}");
    assert!(
        has(
            &code,
            r#"Some(&soap::Name { qualified: "", ns: "", local: "", },)"#
        ),
        "{code}"
    );
    assert!(has(&code, r#"child.local() == "sum""#), "{code}");
    assert!(has(&code, "soap::build_envelope("), "{code}");
    assert!(!has(&code, "with_type"), "{code}");
}

#[test]
fn rpc_encoded_operations_write_xsi_types_and_soapenc_arrays() {
    let out = run(
        MemoryFiles::new().with("t/main.wsdl", &rpc_wsdl("encoded")),
        &[],
    )
    .unwrap();
    assert_eq!(out.operations, 1);
    let code = out.code;
    assert!(has(&code, "soap::build_encoded_envelope("), "{code}");
    assert!(has(&code, r#"w.with_type("xsd:int""#), "{code}");
    assert!(has(&code, r#"w.with_type("ns2:Nums""#), "{code}");
    assert!(has(&code, r#""soap:encodingStyle""#), "{code}");
    assert!(has(
        &code,
        r#"Cow::Borrowed("http://schemas.xmlsoap.org/soap/encoding/""#
    ));
    // The soapenc:Array restriction is a newtype over Vec of its arrayType.
    assert!(has(&code, "pub struct Nums("), "{code}");
    assert!(has(&code, "pub Vec<i32>"), "{code}");
    assert!(
        has(&code, r#"soap::write_array(w, name, &self.0, "xsd:int")"#),
        "{code}"
    );
    // xsd and soapenc are declared on the envelope.
    assert!(has(&code, r#"soap::Ns { prefix: "xsd""#), "{code}");
    assert!(has(&code, r#"soap::Ns { prefix: "soapenc""#), "{code}");
}

#[test]
fn undeclared_prefixes_and_draft_xsd_namespaces_are_read() {
    // `xsd:` used in element names without a declaration, a `tns:` QName
    // without one, and the 2000/10 XSD draft namespace (WSDL 1.1's examples).
    let text = r#"<?xml version="1.0"?>
<!-- a comment before the root -->
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:s="http://schemas.xmlsoap.org/wsdl/soap/" targetNamespace="urn:t">
  <wsdl:types><xsd:schema targetNamespace="urn:t" elementFormDefault="qualified">
    <xsd:element name="In"><xsd:complexType><xsd:sequence><xsd:element name="a" type="xsd:int"/></xsd:sequence></xsd:complexType></xsd:element>
    <old:element xmlns:old="http://www.w3.org/2000/10/XMLSchema" name="Out" type="old:string"/>
  </xsd:schema></wsdl:types>
  <wsdl:message name="InMsg"><wsdl:part name="p" element="tns:In"/></wsdl:message>
  <wsdl:message name="OutMsg"><wsdl:part name="p" element="tns:Out"/></wsdl:message>
  <wsdl:portType name="P"><wsdl:operation name="Op"><wsdl:input message="tns:InMsg"/><wsdl:output message="tns:OutMsg"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="tns:P"><s:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Op"><wsdl:input><s:body use="literal"/></wsdl:input><wsdl:output><s:body use="literal"/></wsdl:output></wsdl:operation>
  </wsdl:binding>
</wsdl:definitions>"#;
    let out = run(MemoryFiles::new().with("t/main.wsdl", text), &[]).unwrap();
    assert_eq!(out.operations, 1, "{:?}", out.diagnostics);
    assert!(has(&out.code, "pub a: i32,"), "{}", out.code);
    assert!(
        has(&out.code, "pub async fn op(&self, request: &In,"),
        "{}",
        out.code
    );
    // Positions stay those of the file as written (line 4, column 3 for
    // `<xsd:schema` after the inserted declaration on line 3).
    assert!(
        warned(&out, "t/main.wsdl:4:", "prefix `xsd`"),
        "{:?}",
        out.diagnostics
    );
    assert!(warned(&out, "t/main.wsdl:", "prefix `tns`"));
}

#[test]
fn broken_imports_and_deep_nesting_degrade() {
    // An import that is missing and one that is not well-formed: warnings;
    // references into their namespaces become raw XML.
    let main = wsdl(&format!(
        r#"<xs:schema targetNamespace="urn:t" xmlns:x="urn:x" xmlns:y="urn:y" elementFormDefault="qualified">
             <xs:import namespace="urn:x" schemaLocation="missing.xsd"/>
             <xs:import namespace="urn:y" schemaLocation="broken.xsd"/>{IO}
             <xs:complexType name="Uses"><xs:sequence><xs:element name="v" type="x:T"/><xs:element name="w" type="y:T"/></xs:sequence></xs:complexType></xs:schema>"#
    ));
    let files = MemoryFiles::new().with("t/main.wsdl", &main).with(
        "t/broken.xsd",
        "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">",
    );
    let out = run(files, &[]).unwrap();
    assert!(warned(
        &out,
        "t/main.wsdl:",
        "`t/missing.xsd` is not loaded"
    ));
    assert!(warned(&out, "t/main.wsdl:", "`t/broken.xsd` is not loaded"));
    assert!(has(&out.code, "pub v: soap::AnyContent,"), "{}", out.code);
    assert!(has(&out.code, "pub w: soap::AnyContent,"), "{}", out.code);
    // Content nested far deeper than any real schema: the type is skipped
    // with a warning, no stack overflow; the operation still generates.
    let depth = 5000;
    let deep = format!(
        r#"<xs:complexType name="Deep">{}<xs:element name="x" type="xs:int"/>{}</xs:complexType>"#,
        "<xs:sequence>".repeat(depth),
        "</xs:sequence>".repeat(depth)
    );
    let text = wsdl(&schema(&deep));
    let out = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || run(MemoryFiles::new().with("t/main.wsdl", &text), &[]))
        .unwrap()
        .join()
        .expect("no stack overflow")
        .unwrap();
    assert!(warned(&out, "t/main.wsdl:", "nested deeper than"));
    assert_eq!(out.operations, 1);
}

#[test]
fn operations_that_do_not_resolve_are_skipped_alone() {
    // A binding operation missing from the port type, and an rpc operation
    // whose part type does not exist (raw XML): the others still generate.
    let text = format!(
        r#"{HEAD}
  <wsdl:types>{}</wsdl:types>
  <wsdl:message name="InMsg"><wsdl:part name="parameters" element="tns:In"/></wsdl:message>
  <wsdl:message name="OutMsg"><wsdl:part name="parameters" element="tns:Out"/></wsdl:message>
  <wsdl:message name="RpcIn"><wsdl:part name="x" type="tns:Nope"/></wsdl:message>
  <wsdl:portType name="P"><wsdl:operation name="Op"><wsdl:input message="tns:InMsg"/><wsdl:output message="tns:OutMsg"/></wsdl:operation>
    <wsdl:operation name="Rpc"><wsdl:input message="tns:RpcIn"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="tns:P"><s:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Op"><wsdl:input><s:body use="literal"/></wsdl:input><wsdl:output><s:body use="literal"/></wsdl:output></wsdl:operation>
    <wsdl:operation name="Rpc"><s:operation style="rpc"/><wsdl:input><s:body use="literal" namespace="urn:t"/></wsdl:input></wsdl:operation>
    <wsdl:operation name="Ghost"><wsdl:input><s:body use="literal"/></wsdl:input></wsdl:operation>
  </wsdl:binding>
  <wsdl:binding name="C" type="tns:NoSuchPortType"><s:binding transport="http://schemas.xmlsoap.org/soap/http"/></wsdl:binding>
</wsdl:definitions>"#,
        schema("")
    );
    let out = run(MemoryFiles::new().with("t/main.wsdl", &text), &[]).unwrap();
    assert_eq!(out.operations, 2, "{:?}", out.diagnostics);
    assert!(warned(
        &out,
        "t/main.wsdl:",
        "operation `Ghost` of binding `B` skipped"
    ));
    assert!(warned(&out, "t/main.wsdl:", "binding `C` skipped"));
    assert!(warned(&out, "t/main.wsdl:", "unknown type `{urn:t}Nope`"));
    assert!(has(&out.code, "pub x: soap::AnyContent,"), "{}", out.code);
    // The one-way rpc operation accepts an empty response.
    assert!(has(&out.code, "soap::call_one_way("), "{}", out.code);
}

#[test]
fn typed_scalars_and_the_crates_they_need() {
    let typed = schema(
        r#"<xs:complexType name="S"><xs:sequence>
             <xs:element name="at" type="xs:dateTime"/><xs:element name="d" type="xs:date"/>
             <xs:element name="t" type="xs:time"/><xs:element name="m" type="xs:decimal"/>
             <xs:element name="i" type="xs:integer"/><xs:element name="n" type="xs:nonNegativeInteger"/>
             <xs:element name="b" type="xs:base64Binary"/><xs:element name="h" type="xs:hexBinary"/>
             <xs:element name="p" type="xs:duration"/><xs:element name="q" type="xs:QName"/>
           </xs:sequence></xs:complexType>"#,
    );
    let out = run(MemoryFiles::new().with("t/main.wsdl", &wsdl(&typed)), &[]).unwrap();
    for field in [
        "pub at: soap::xsd::DateTime",
        "pub d: soap::xsd::Date",
        "pub t: soap::xsd::Time",
        "pub m: ::rust_decimal::Decimal",
        "pub i: i128",
        "pub n: u128",
        "pub b: soap::xsd::Base64Binary",
        "pub h: soap::xsd::HexBinary",
        "pub p: soap::xsd::Duration",
        "pub q: String",
    ] {
        assert!(out.code.contains(field), "{field} in {}", out.code);
    }
    assert_eq!(out.crates, ["rust_decimal"]);
    // Every field supports Eq, Hash and Default.
    assert!(
        out.code.contains("Eq,") && out.code.contains("Default,"),
        "{}",
        out.code
    );
    let plain = schema(
        r#"<xs:complexType name="S"><xs:sequence><xs:element name="a" type="xs:int"/></xs:sequence></xs:complexType>"#,
    );
    let out = run(MemoryFiles::new().with("t/main.wsdl", &wsdl(&plain)), &[]).unwrap();
    assert!(out.crates.is_empty());
}

#[test]
fn choices_become_enums_with_nested_sequences_and_choices() {
    let body = schema(
        r#"<xs:complexType name="Pay"><xs:sequence>
             <xs:element name="amount" type="xs:int"/>
             <xs:choice minOccurs="0" maxOccurs="unbounded">
               <xs:element name="card" type="xs:string"/>
               <xs:element name="tag" type="xs:string" maxOccurs="unbounded"/>
               <xs:sequence><xs:element name="iban" type="xs:string"/><xs:element name="bic" type="xs:string" minOccurs="0"/></xs:sequence>
               <xs:choice><xs:element name="x" type="xs:int"/><xs:element name="y" type="xs:int" nillable="true"/></xs:choice>
             </xs:choice>
             <xs:choice><xs:element name="one" type="xs:int"/></xs:choice>
           </xs:sequence></xs:complexType>"#,
    );
    let code = gen(&wsdl(&body));
    for expected in [
        "pub choice: Vec<PayChoice>",
        "pub enum PayChoice",
        "Card(String)",
        "Tag(Vec<String>)",
        "Sequence(PayChoiceSequence)",
        "Choice(PayChoiceChoice)",
        "pub struct PayChoiceSequence",
        "pub iban: String",
        "pub bic: Option<String>",
        "pub enum PayChoiceChoice ",
        "Y(Option<i32>)",
        "impl soap::XmlContent for PayChoice",
        // A one-branch choice is a plain field.
        "pub one: Option<i32>",
    ] {
        assert!(code.contains(expected), "{expected} in {code}");
    }
}
