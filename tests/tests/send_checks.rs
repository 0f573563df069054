//! Every generated method has its compile-time `Send` check (written by
//! `codegen/src/send_check.rs`): the checks themselves fail the build when
//! a future is not `Send`; this test makes sure none is missing, in the
//! crate's APIs and in every fixture module `build.rs` generates.

use std::path::Path;

/// The methods (`Client::method`) of `code` missing their check, and
/// how many `async fn`s there are. The client check is looked up for the
/// `impl` block each method is in.
fn methods_without_check(code: &str) -> (usize, Vec<String>) {
    let mut count = 0;
    let mut missing = Vec::new();
    // prettyplease breaks long calls over lines: compare without spaces.
    let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let mut client = String::new();
    for line in code.lines() {
        if let Some(rest) = line.strip_prefix("impl ") {
            client = rest.trim_end_matches(" {").to_string();
        }
        let Some(rest) = line.trim_start().strip_prefix("pub async fn ") else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '#')
            .collect();
        count += 1;
        if !compact.contains(&format!("__assert_send(__client.{name}("))
            || !compact.contains(&format!("__assert_client::<{client}>"))
        {
            missing.push(format!("{client}::{name}"));
        }
    }
    (count, missing)
}

fn check_dir(dir: &Path) -> usize {
    let mut total = 0;
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    entries.sort();
    for path in entries {
        let code = std::fs::read_to_string(&path).unwrap();
        let (count, missing) = methods_without_check(&code);
        assert!(
            missing.is_empty(),
            "{}: methods without a Send check: {missing:?}",
            path.display()
        );
        total += count;
    }
    total
}

#[test]
fn every_generated_method_has_a_send_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let apis = check_dir(&root.join("generated/src"));
    let fixtures = check_dir(Path::new(env!("OUT_DIR")));
    assert!(apis >= 7, "{apis} methods in generated/src");
    assert!(fixtures >= 30, "{fixtures} methods in the fixture modules");
}

#[test]
fn a_method_without_its_check_is_reported() {
    let code = "impl Client {\n    pub async fn get_pet(&self) {}\n    pub async fn r#type(&self) {}\n}\nconst _: () = { const _: fn() = __assert_client::<Client>; fn get_pet(__client: &Client) { __assert_send(__client.get_pet()); } };\nimpl Other {\n    pub async fn get_pet(&self) {}\n}\n";
    assert_eq!(
        methods_without_check(code),
        (
            3,
            vec!["Client::r#type".to_string(), "Other::get_pet".to_string()]
        )
    );
}
