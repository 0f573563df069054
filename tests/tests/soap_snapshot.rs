//! Snapshot of the generated SuperOffice SOAP module: `generated/src/superoffice.rs`
//! and its diagnostics must equal what the generator produces now (the
//! workspace compiles `generated/`, so the snapshot is a built one; the
//! drift check `cargo xtask check` covers the same files).

#[test]
fn superoffice_module_is_fresh() {
    let root = xtask::project_root();
    let manifest = xtask::load_manifest(&root).unwrap();
    let api = manifest
        .apis
        .iter()
        .find(|a| a.name == "superoffice")
        .expect("superoffice in specs/specs.toml");
    let rendered = xtask::render_api(&root, api).unwrap();
    let code = std::fs::read_to_string(root.join("generated/src/superoffice.rs")).unwrap();
    assert!(
        code == rendered.code,
        "generated/src/superoffice.rs is stale: run `cargo xtask regen`"
    );
    let diagnostics =
        std::fs::read_to_string(root.join("generated/diagnostics/superoffice.txt")).unwrap();
    assert_eq!(
        diagnostics,
        xtask::diagnostics_text(&rendered),
        "run `cargo xtask regen`"
    );
    assert_eq!(
        wiregen_codegen::generate(
            &xtask::DirFiles {
                root: root.join("specs")
            },
            api
        )
        .unwrap()
        .operations,
        1
    );
}
