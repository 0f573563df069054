//! The vendored specs are byte-identical to their source: the sha256 in the
//! manifest pins every file, and the OpenAPI documents are compared with the
//! code blocks of the seed pages they were taken from when `../shared` is
//! beside the project.

use std::fs;
use std::path::PathBuf;

use wiregen_codegen::manifest::sha256_hex;

fn root() -> PathBuf {
    xtask::project_root()
}

#[test]
fn every_vendored_file_matches_its_recorded_sha256() {
    let manifest = xtask::load_manifest(&root()).unwrap();
    let mut checked = 0;
    for api in &manifest.apis {
        for file in &api.files {
            let expected = file
                .sha256
                .as_deref()
                .unwrap_or_else(|| panic!("{}: no sha256 recorded in specs/specs.toml", file.path));
            let bytes = fs::read(root().join("specs").join(&file.path)).unwrap();
            assert_eq!(sha256_hex(&bytes), expected, "specs/{} changed", file.path);
            checked += 1;
        }
    }
    assert!(checked >= 3);
}

/// The text of every fenced code block in `markdown` whose info string
/// starts with `json` (the seed pages use ``` and ````).
fn json_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        let fence_len = line.chars().take_while(|c| *c == '`').count();
        if fence_len >= 3 && line[fence_len..].starts_with("json") {
            let fence = &line[..fence_len];
            let mut body = String::new();
            for inner in lines.by_ref() {
                if inner == fence {
                    break;
                }
                body.push_str(inner);
                body.push('\n');
            }
            blocks.push(body);
        }
    }
    blocks
}

#[test]
fn openapi_specs_are_the_seed_pages_code_blocks() {
    let seeds = root().join("../shared/seeds");
    if !seeds.exists() {
        eprintln!(
            "skipped: {} not found (run beside ../shared to compare with the seeds)",
            seeds.display()
        );
        return;
    }
    let ras = json_blocks(&fs::read_to_string(seeds.join("parallels-ras-logoff.md")).unwrap());
    assert_eq!(ras.len(), 2);
    let read = |p: &str| fs::read_to_string(root().join("specs").join(p)).unwrap();
    assert_eq!(read("parallels-ras/logoff.json"), ras[0]);
    assert_eq!(read("parallels-ras/logoff-other-admin.json"), ras[1]);
    let rc = json_blocks(&fs::read_to_string(seeds.join("rocket-chat-users-logout.md")).unwrap());
    assert_eq!(rc.len(), 1);
    assert_eq!(read("rocket-chat/users-logout.json"), rc[0]);
}
