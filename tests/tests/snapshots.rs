//! One snapshot test per API of the manifest: the generated module and the
//! repair diagnostics must equal what is checked in under `generated/`
//! (which the workspace compiles, so the snapshot of code is a built one).
//! `cargo xtask regen` updates them; the drift check covers the rest of
//! `generated/` (lib.rs, Cargo.toml, removed files).

use std::fs;

fn check(name: &str) {
    let root = xtask::project_root();
    let manifest = xtask::load_manifest(&root).unwrap();
    let api = manifest
        .apis
        .iter()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("`{name}` is not in specs/specs.toml"));
    let rendered = xtask::render_api(&root, api).unwrap();
    let code = fs::read_to_string(root.join(format!("generated/src/{name}.rs"))).unwrap();
    assert!(
        code == rendered.code,
        "generated/src/{name}.rs is stale: run `cargo xtask regen`"
    );
    let diagnostics =
        fs::read_to_string(root.join(format!("generated/diagnostics/{name}.txt"))).unwrap();
    assert_eq!(
        diagnostics,
        xtask::diagnostics_text(&rendered),
        "generated/diagnostics/{name}.txt is stale: run `cargo xtask regen`"
    );
}

#[test]
fn parallels_ras() {
    check("parallels_ras");
}

#[test]
fn rocket_chat() {
    check("rocket_chat");
}

#[test]
fn regenerating_twice_gives_the_same_bytes() {
    let root = xtask::project_root();
    let first = xtask::render_all(&root).unwrap();
    let second = xtask::render_all(&root).unwrap();
    assert_eq!(first, second);
}
