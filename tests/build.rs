//! Generates a SOAP module from each WSDL of `fixtures/soap/roundtrip/`
//! with the generator itself (`<OUT_DIR>/<stem>.rs`), so the tests compile
//! them: `tests/soap_roundtrip.rs` writes and reads back sample values of
//! every generated type, `tests/soap_rpc.rs` compares rpc envelopes with
//! zeep's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use wiregen_codegen::manifest::{ApiKind, ApiSpec, SpecFile};
use wiregen_codegen::FileSource;

struct Dir(PathBuf);

impl FileSource for Dir {
    fn read(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(self.0.join(path)).map_err(|e| e.to_string())
    }
}

fn main() {
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
