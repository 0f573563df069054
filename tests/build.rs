//! Generates a client for every OpenAPI fixture in `fixtures/openapi/`
//! (small documents, one capability each) into `$OUT_DIR`, one module per
//! file, for the wire tests in `tests/openapi_fixtures.rs`. The modules are
//! compiled with the tests (and linted by clippy), so a fixture whose
//! client does not build fails the suite.

use std::fs;
use std::path::Path;

use wiregen_codegen::{Manifest, MemoryFiles};

fn main() {
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
