//! Generates the SOAP modules of `fixtures/soap/roundtrip/` with the
//! generator itself, so `tests/soap_roundtrip.rs` compiles them and writes
//! and reads back sample values of every generated type.

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
    let api = ApiSpec {
        name: "roundtrip".to_string(),
        kind: ApiKind::Wsdl,
        title: None,
        files: vec![SpecFile {
            path: "roundtrip/roundtrip.wsdl".to_string(),
            sha256: None,
            origin: None,
        }],
        overlays: Vec::new(),
        catalog: BTreeMap::new(),
    };
    let output = match wiregen_codegen::generate(&Dir(fixtures), &api) {
        Ok(output) => output,
        Err(e) => panic!("generating the round-trip fixture: {e}"),
    };
    // `include!` takes no inner attributes: drop the module's doc and
    // `allow`s (the including module repeats the `allow`s).
    let mut file = match syn::parse_file(&output.code) {
        Ok(file) => file,
        Err(e) => panic!("the generated round-trip module does not parse: {e}"),
    };
    file.attrs.clear();
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let text = prettyplease::unparse(&file);
    std::fs::write(out.join("roundtrip.rs"), text).expect("writing roundtrip.rs");
}
