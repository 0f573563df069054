//! The five SuperOffice WSDLs of the reference corpus (`<root>/../shared/
//! corpus/wsdl`) generate code that compiles. Runs when the corpus is
//! present and says that it was skipped otherwise.

use std::collections::BTreeMap;

use wiregen_codegen::manifest::{ApiKind, ApiSpec, SpecFile};
use xtask::compile_check::{check_modules, Module};

const SUPEROFFICE: &[&str] = &[
    "superoffice-dbmirroring-client.wsdl",
    "superoffice-services86-associate.wsdl",
    "superoffice-services88-list.wsdl",
    "superoffice-services88-person.wsdl",
    "superoffice-services88-sale.wsdl",
];

#[test]
fn superoffice_corpus_wsdls_generate_code_that_compiles() {
    let root = xtask::project_root();
    let corpus = root.join("../shared/corpus/wsdl");
    if !corpus.exists() {
        eprintln!("skipped: the corpus {} is not present", corpus.display());
        return;
    }
    let files = xtask::DirFiles { root: corpus };
    let mut modules = Vec::new();
    for file in SUPEROFFICE {
        let name = file.trim_end_matches(".wsdl").replace('-', "_");
        let api = ApiSpec {
            name: name.clone(),
            kind: ApiKind::Wsdl,
            title: None,
            files: vec![SpecFile {
                path: file.to_string(),
                sha256: None,
                origin: None,
            }],
            overlays: Vec::new(),
            catalog: BTreeMap::new(),
        };
        let output =
            wiregen_codegen::generate(&files, &api).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(output.operations > 0, "{file}: no operation generated");
        eprintln!(
            "{file}: {} operations, {} diagnostics",
            output.operations,
            output.diagnostics.len()
        );
        modules.push(Module {
            name,
            code: output.code,
            crates: output.crates,
        });
    }
    let results = check_modules(&root, "soap_corpus", &modules).unwrap();
    let failed: Vec<String> = results
        .iter()
        .filter(|r| !r.ok)
        .map(|r| format!("{}: {}", r.name, r.first_error.as_deref().unwrap_or("?")))
        .collect();
    assert!(
        failed.is_empty(),
        "generated code does not compile:\n{}",
        failed.join("\n")
    );
}
