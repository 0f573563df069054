//! Runs the generator on the test fixtures, so the tests compile (and clippy
//! lints) real generated code:
//! - every OpenAPI document of `fixtures/openapi/` (small, one capability
//!   each) becomes a module of `<OUT_DIR>/openapi_fixtures.rs`, for the wire
//!   tests in `tests/openapi_fixtures.rs`;
//! - every WSDL of `fixtures/soap/roundtrip/` becomes `<OUT_DIR>/<stem>.rs`:
//!   `tests/soap_roundtrip.rs` writes and reads back sample values of every
//!   generated type, `tests/soap_rpc.rs` compares rpc envelopes with zeep's.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use wiregen_codegen::manifest::{ApiKind, ApiSpec, SpecFile};
use wiregen_codegen::{FileSource, Manifest, MemoryFiles};

fn main() {
    openapi_fixtures();
    soap_fixtures();
}

/// One module per OpenAPI fixture of `fixtures/openapi/` into
/// `<OUT_DIR>/openapi_fixtures.rs`.
fn openapi_fixtures() {
    let dir = Path::new("fixtures/openapi");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<_> = fs::read_dir(dir)
        .expect("fixtures/openapi")
        .map(|e| e.expect("entry").path())
        .collect();
    names.sort();
    let mut out =
        String::from("// Clients generated from tests/fixtures/openapi/ by tests/build.rs.\n");
    for path in names {
        println!("cargo:rerun-if-changed={}", path.display());
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&path).expect("fixture");
        let files = MemoryFiles::new().with(&file, &text);
        let manifest = format!(
            "[[api]]\nname = \"{name}\"\nkind = \"openapi\"\nfiles = [{{ path = \"{file}\" }}]\n"
        );
        let api = Manifest::parse("fixtures", &manifest)
            .unwrap_or_else(|e| panic!("manifest for {file}: {e}"))
            .apis
            .remove(0);
        let output = wiregen_codegen::generate(&files, &api)
            .unwrap_or_else(|e| panic!("generating {file}: {e}"));
        let diagnostics: Vec<String> = output.diagnostics.iter().map(|d| d.to_string()).collect();
        out.push_str(&format!(
            "\n/// Diagnostics of `{file}`.\npub const {}_DIAGNOSTICS: &[&str] = &{diagnostics:?};\n\npub mod {name} {{\n{}\n}}\n",
            name.to_ascii_uppercase(),
            output.code
        ));
    }
    let target = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("openapi_fixtures.rs");
    fs::write(target, out).expect("write");
}

struct Dir(PathBuf);

impl FileSource for Dir {
    fn read(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(self.0.join(path)).map_err(|e| e.to_string())
    }
}

/// One module per WSDL of `fixtures/soap/roundtrip/` into `<OUT_DIR>/<stem>.rs`.
fn soap_fixtures() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/soap");
    println!("cargo:rerun-if-changed=fixtures/soap/roundtrip");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut wsdls: Vec<String> = std::fs::read_dir(fixtures.join("roundtrip"))
        .expect("reading fixtures/soap/roundtrip")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".wsdl"))
        .collect();
    wsdls.sort();
    for wsdl in wsdls {
        let stem = wsdl.trim_end_matches(".wsdl").to_string();
        generate(&fixtures, &format!("roundtrip/{wsdl}"), &stem, &out);
    }
}

/// Generates module `name` from `path` into `<out>/<name>.rs`.
fn generate(fixtures: &Path, path: &str, name: &str, out: &Path) {
    let api = ApiSpec {
        name: name.to_string(),
        kind: ApiKind::Wsdl,
        title: None,
        files: vec![SpecFile {
            path: path.to_string(),
            sha256: None,
            origin: None,
        }],
        overlays: Vec::new(),
        catalog: BTreeMap::new(),
    };
    let output = match wiregen_codegen::generate(&Dir(fixtures.to_path_buf()), &api) {
        Ok(output) => output,
        Err(e) => panic!("generating {path}: {e}"),
    };
    // `include!` takes no inner attributes: drop the module's doc and
    // `allow`s (the including module repeats the `allow`s).
    let mut file = match syn::parse_file(&output.code) {
        Ok(file) => file,
        Err(e) => panic!("the module generated from {path} does not parse: {e}"),
    };
    file.attrs.clear();
    let text = prettyplease::unparse(&file);
    std::fs::write(out.join(format!("{name}.rs")), text).expect("writing the generated module");
}
