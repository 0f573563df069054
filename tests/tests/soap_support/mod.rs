//! Helpers shared by the `soap_*` tests: canonical XML, the schema validation and
//! zeep subprocesses, fixture paths.
#![allow(dead_code)]

use std::path::PathBuf;

pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
pub const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
pub const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";
pub const WSDL: &str = "specs/superoffice/associate-logoffwindowsusers.wsdl";

pub fn root() -> PathBuf {
    xtask::project_root()
}

pub fn fixture(name: &str) -> String {
    let path = root().join("tests/fixtures/soap").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A canonical text form of an XML document for semantic comparison:
/// elements as `{namespace}local`, attributes sorted (namespace
/// declarations never count, prefixes never count), text trimmed,
/// whitespace-only text dropped. `drop_xsi_type` leaves out `xsi:type`
/// (the seed page writes rpc/encoded-style type annotations that a
/// document/literal message does not need).
pub fn canonical(xml: &str, drop_xsi_type: bool) -> String {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not xml ({e}):\n{xml}"));
    let mut out = String::new();
    node(doc.root_element(), 0, drop_xsi_type, &mut out);
    out
}

fn qname(ns: Option<&str>, local: &str) -> String {
    match ns {
        Some(ns) => format!("{{{ns}}}{local}"),
        None => local.to_string(),
    }
}

fn node(n: roxmltree::Node, depth: usize, drop_xsi_type: bool, out: &mut String) {
    let indent = "  ".repeat(depth);
    let mut attrs: Vec<String> = n
        .attributes()
        .filter(|a| !(drop_xsi_type && a.namespace() == Some(XSI) && a.name() == "type"))
        .map(|a| format!("{}={:?}", qname(a.namespace(), a.name()), a.value()))
        .collect();
    attrs.sort();
    out.push_str(&format!(
        "{indent}{} {}\n",
        qname(n.tag_name().namespace(), n.tag_name().name()),
        attrs.join(" ")
    ));
    let text: String = n
        .children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect();
    if !text.trim().is_empty() {
        out.push_str(&format!("{indent}  text {:?}\n", text.trim()));
    }
    for child in n.children().filter(|c| c.is_element()) {
        node(child, depth + 1, drop_xsi_type, out);
    }
}

/// Runs a script of `tests/zeep/` with the test suite's Python packages
/// (installed on first use under the target folder, see
/// `wiregen_tests::python`).
fn python(script: &str, args: &[&str]) -> std::process::Output {
    let path = root().join("tests/zeep").join(script);
    wiregen_tests::python::python(env!("CARGO_TARGET_TMPDIR"))
        .arg(&path)
        .args(args)
        .current_dir(root())
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 ({e})"))
}

/// Validates `envelope` against the WSDL's schemas with libxml2's XML
/// Schema validator (through lxml). Fails, never skips.
pub fn validate(envelope: &str, version: &str) {
    let dir = std::env::temp_dir().join(format!("wiregen-soap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("envelope-{}.xml", fastrand()));
    std::fs::write(&file, envelope).unwrap();
    let xsd = root().join(format!("tests/fixtures/soap/envelope-{version}.xsd"));
    let out = python(
        "validate.py",
        &[WSDL, xsd.to_str().unwrap(), file.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("No module named"),
        "python module missing ({stderr})"
    );
    assert!(
        out.status.success(),
        "the schema validator rejects the envelope:\n{stderr}\n{envelope}"
    );
}

fn fastrand() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// The envelope zeep builds for the same call (`call` is the JSON of
/// `{"body": {...}, "headers": {...}}`). Fails when zeep is missing.
pub fn zeep_message(port: &str, operation: &str, call: &str) -> String {
    zeep_message_for(WSDL, "WcfAssociateService", port, operation, call)
}

/// [`zeep_message`] for another WSDL (a path relative to the project root)
/// and service.
pub fn zeep_message_for(
    wsdl: &str,
    service: &str,
    port: &str,
    operation: &str,
    call: &str,
) -> String {
    let out = python("create_message.py", &[wsdl, service, port, operation, call]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "zeep failed: {stderr}\n(`.ci/run` installs zeep==4.3.3: `pip install zeep==4.3.3`)"
    );
    String::from_utf8(out.stdout).unwrap()
}
