//! Confinement: every file a spec reaches (`$ref`s, overlays, `wsdl:import`,
//! `xs:import`/`include`/`redefine`, catalog entries) is inside the spec
//! folder, after percent-decoding, normalization and with symbolic links
//! resolved; anything else is an error naming the reference and its place,
//! never the content of the file it names. Remote URLs are never read.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use wiregen_codegen::manifest::{ApiKind, ApiSpec, SpecFile};
use wiregen_codegen::{FileSource, MemoryFiles};
use xtask::DirFiles;

/// What the files outside the spec folder hold: must never show up.
const SECRET: &str = "TOP-SECRET-CONTENT";

/// `<tmp>/<name>/specs/` (the spec root) next to `<tmp>/<name>/outside.*`
/// (files the specs must not reach), removed on drop.
struct Layout(PathBuf);

impl Layout {
    fn new(name: &str) -> Layout {
        let dir =
            std::env::temp_dir().join(format!("wiregen-confine-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("specs/api")).unwrap();
        // Valid documents of each kind, so that reading one would succeed.
        let schema = format!(r#"{{"type": "object", "description": "{SECRET}"}}"#);
        fs::write(dir.join("outside.json"), &schema).unwrap();
        fs::write(
            dir.join("outside.xsd"),
            format!(
                r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:o"><xs:element name="{SECRET}" type="xs:string"/></xs:schema>"#
            ),
        )
        .unwrap();
        fs::write(
            dir.join("outside.overlay.json"),
            format!(
                r#"{{"overlay": "1.0.0", "actions": [{{"target": "$.info", "update": {{"title": "{SECRET}"}}}}]}}"#
            ),
        )
        .unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.join("outside.json"), dir.join("specs/api/link.json"))
                .unwrap();
            std::os::unix::fs::symlink(dir.join("outside.xsd"), dir.join("specs/api/link.xsd"))
                .unwrap();
            std::os::unix::fs::symlink(dir.join("outside.json"), dir.join("specs/api/entry.json"))
                .unwrap();
        }
        Layout(dir)
    }

    fn write(&self, path: &str, text: &str) {
        fs::write(self.0.join("specs").join(path), text).unwrap();
    }

    fn files(&self) -> DirFiles {
        DirFiles {
            root: self.0.join("specs"),
        }
    }
}

impl Drop for Layout {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn api(kind: ApiKind, file: &str) -> ApiSpec {
    ApiSpec {
        name: "confined".into(),
        kind,
        title: None,
        files: vec![SpecFile {
            path: file.into(),
            sha256: None,
            origin: None,
        }],
        overlays: Vec::new(),
        catalog: BTreeMap::new(),
    }
}

/// A document whose one response schema is `{"$ref": reference}`.
fn openapi_with_ref(reference: &str) -> String {
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}},
  "paths": {{"/a": {{"get": {{"responses": {{"200": {{"description": "ok",
    "content": {{"application/json": {{"schema": {{"$ref": "{reference}"}}}}}}}}}}}}}}}}}}"#
    )
}

/// Generation fails; the message names `needle` (the reference), a line
/// and column in `file`, and nothing of the outside files.
fn assert_refused(
    result: Result<wiregen_codegen::Output, wiregen_codegen::Error>,
    file: &str,
    needle: &str,
) {
    let message = match result {
        Ok(output) => panic!(
            "`{needle}` was followed; diagnostics: {:?}",
            output.diagnostics
        ),
        Err(e) => e.to_string(),
    };
    assert!(message.contains(needle), "{needle}: {message}");
    assert!(!message.contains(SECRET), "{needle}: {message}");
    let prefix = format!("{file}:");
    let rest = message
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{message}"));
    let mut parts = rest.splitn(3, ':');
    let line = parts.next().unwrap_or("");
    let column: String = parts
        .next()
        .unwrap_or("")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert!(
        line.parse::<u32>().is_ok() && column.parse::<u32>().is_ok(),
        "no line:column: {message}"
    );
}

#[test]
fn openapi_references_outside_the_spec_folder_are_errors() {
    let layout = Layout::new("openapi");
    let files = layout.files();
    for reference in [
        "../../outside.json",
        "%2e%2e/%2E%2E/outside.json",
        "..%2F..%2Foutside.json",
        "..\\\\..\\\\outside.json",
        "./x/../../../outside.json",
        "../../../../../../../../etc/passwd",
        "/etc/passwd",
        "%2Fetc%2Fpasswd",
    ] {
        // `%` sequences are written verbatim; JSON escapes only the backslash.
        layout.write("api/root.json", &openapi_with_ref(reference));
        let shown = reference.replace("\\\\", "\\");
        assert_refused(
            wiregen_codegen::generate(&files, &api(ApiKind::OpenApi, "api/root.json")),
            "api/root.json",
            &shown,
        );
    }
    // A symbolic link inside the folder to a file outside it: the path is
    // inside, the real file is not.
    #[cfg(unix)]
    {
        layout.write("api/root.json", &openapi_with_ref("link.json"));
        let result = wiregen_codegen::generate(&files, &api(ApiKind::OpenApi, "api/root.json"));
        let message = result.map(|_| ()).unwrap_err().to_string();
        assert!(message.contains("api/link.json"), "{message}");
        assert!(message.contains("outside the spec folder"), "{message}");
        assert!(!message.contains(SECRET), "{message}");
        // The entry file itself may not be a link out either.
        let message = wiregen_codegen::generate(&files, &api(ApiKind::OpenApi, "api/entry.json"))
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(message.contains("outside the spec folder"), "{message}");
    }
    // The same document with a reference inside the folder generates (the
    // test above fails for the right reason).
    layout.write(
        "api/inside.json",
        r#"{"type": "object", "properties": {"a": {"type": "string"}}}"#,
    );
    layout.write("api/root.json", &openapi_with_ref("sub/../inside.json"));
    let output = wiregen_codegen::generate(&files, &api(ApiKind::OpenApi, "api/root.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(output.code.contains("pub struct Inside"), "{}", output.code);
}

#[test]
fn overlays_and_entry_files_outside_the_spec_folder_are_errors() {
    let layout = Layout::new("overlay");
    let files = layout.files();
    layout.write("api/root.json", &openapi_with_ref("#/components/schemas/X"));
    let mut spec = api(ApiKind::OpenApi, "api/root.json");
    spec.overlays = vec!["../outside.overlay.json".into()];
    let message = wiregen_codegen::generate(&files, &spec)
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(message.contains("../outside.overlay.json"), "{message}");
    assert!(message.contains("leaves the spec folder"), "{message}");
    assert!(!message.contains(SECRET), "{message}");
    let message = wiregen_codegen::generate(&files, &api(ApiKind::OpenApi, "../outside.json"))
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(message.contains("leaves the spec folder"), "{message}");
}

fn wsdl_importing(import: &str) -> String {
    format!(
        r#"<?xml version="1.0"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t">
  <wsdl:types>
    <xs:schema targetNamespace="urn:t">
      {import}
    </xs:schema>
  </wsdl:types>
</wsdl:definitions>
"#
    )
}

#[test]
fn wsdl_imports_outside_the_spec_folder_are_errors() {
    let layout = Layout::new("wsdl");
    let files = layout.files();
    for (import, needle) in [
        (
            r#"<xs:import namespace="urn:o" schemaLocation="../../outside.xsd"/>"#,
            "../../outside.xsd",
        ),
        (
            r#"<xs:import namespace="urn:o" schemaLocation="%2e%2e/%2e%2e/outside.xsd"/>"#,
            "%2e%2e/%2e%2e/outside.xsd",
        ),
        (
            r#"<xs:include schemaLocation="../../outside.xsd"/>"#,
            "../../outside.xsd",
        ),
        (
            r#"<xs:redefine schemaLocation="/tmp/outside.xsd"/>"#,
            "/tmp/outside.xsd",
        ),
        (
            r#"<xs:include schemaLocation="..\..\outside.xsd"/>"#,
            r"..\..\outside.xsd",
        ),
    ] {
        layout.write("api/svc.wsdl", &wsdl_importing(import));
        assert_refused(
            wiregen_codegen::generate(&files, &api(ApiKind::Wsdl, "api/svc.wsdl")),
            "api/svc.wsdl",
            needle,
        );
    }
    // wsdl:import
    layout.write(
        "api/svc.wsdl",
        r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:t">
  <wsdl:import namespace="urn:o" location="../../outside.wsdl"/>
</wsdl:definitions>"#,
    );
    assert_refused(
        wiregen_codegen::generate(&files, &api(ApiKind::Wsdl, "api/svc.wsdl")),
        "api/svc.wsdl",
        "../../outside.wsdl",
    );
    // A catalog entry mapping a URL to a file outside.
    layout.write(
        "api/svc.wsdl",
        &wsdl_importing(
            r#"<xs:import namespace="urn:o" schemaLocation="http://example.com/o.xsd"/>"#,
        ),
    );
    let mut spec = api(ApiKind::Wsdl, "api/svc.wsdl");
    spec.catalog
        .insert("http://example.com/o.xsd".into(), "../outside.xsd".into());
    assert_refused(
        wiregen_codegen::generate(&files, &spec),
        "api/svc.wsdl",
        "http://example.com/o.xsd",
    );
    #[cfg(unix)]
    {
        layout.write(
            "api/svc.wsdl",
            &wsdl_importing(r#"<xs:import namespace="urn:o" schemaLocation="link.xsd"/>"#),
        );
        let message = wiregen_codegen::generate(&files, &api(ApiKind::Wsdl, "api/svc.wsdl"))
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(message.starts_with("api/svc.wsdl:5:"), "{message}");
        assert!(message.contains("outside the spec folder"), "{message}");
        assert!(!message.contains(SECRET), "{message}");
    }
}

/// A file source that records every path asked for.
struct Recording<'a> {
    inner: &'a dyn FileSource,
    asked: RefCell<Vec<String>>,
}

impl FileSource for Recording<'_> {
    fn read(&self, path: &str) -> Result<String, String> {
        self.asked.borrow_mut().push(path.to_string());
        self.inner.read(path)
    }
}

#[test]
fn remote_urls_are_never_read() {
    let memory = MemoryFiles::new()
        .with(
            "api/root.json",
            &openapi_with_ref("https://example.com/schemas/pet.json#/Pet"),
        )
        .with(
            "api/svc.wsdl",
            &wsdl_importing(
                r#"<xs:import namespace="urn:o" schemaLocation="https://example.com/../../../etc/passwd"/>"#,
            ),
        );
    let files = Recording {
        inner: &memory,
        asked: RefCell::new(Vec::new()),
    };
    let output = wiregen_codegen::generate(&files, &api(ApiKind::OpenApi, "api/root.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        output.diagnostics.iter().any(|d| d.message.contains(
            "remote reference `https://example.com/schemas/pet.json#/Pet` is not fetched"
        )),
        "{:?}",
        output.diagnostics
    );
    let output = wiregen_codegen::generate(&files, &api(ApiKind::Wsdl, "api/svc.wsdl"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        output
            .diagnostics
            .iter()
            .any(|d| d.code == "wsdl:remote-location"),
        "{:?}",
        output.diagnostics
    );
    // Only the two entry files and local candidates inside the folder
    // (`api/passwd`, `etc/passwd`, …) were asked for; none above it.
    let asked = files.asked.borrow();
    assert!(asked.iter().any(|p| p == "api/passwd"), "{asked:?}");
    for path in asked.iter() {
        assert!(!path.contains("://"), "{asked:?}");
        assert!(!path.starts_with('/') && !path.contains(".."), "{asked:?}");
    }
    drop(asked);
    // DirFiles too: a path that climbs out is not read.
    let layout = Layout::new("dirfiles");
    let message = layout.files().read("../outside.json").unwrap_err();
    assert!(message.contains("outside the spec folder"), "{message}");
    let _: &Path = layout.0.as_path();
}
