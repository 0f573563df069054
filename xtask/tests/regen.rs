//! `cargo xtask regen` on throw-away project roots: caught generator panics
//! print nothing, and `generated/` is written all or nothing.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::{regen, with_quiet_panics, write_all_or_nothing, Mode};

/// A fresh project root under the system temp folder, removed on drop.
struct TempRoot(PathBuf);

impl TempRoot {
    fn new(name: &str) -> TempRoot {
        let dir = std::env::temp_dir().join(format!("xtask-regen-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("specs")).unwrap();
        TempRoot(dir)
    }

    /// Writes `specs/specs.toml` listing one OpenAPI API per `(name, document)`.
    fn specs(&self, apis: &[(&str, &str)]) {
        let mut manifest = String::new();
        for (name, doc) in apis {
            fs::write(self.0.join(format!("specs/{name}.json")), doc).unwrap();
            manifest.push_str(&format!(
                "[[api]]\nname = \"{name}\"\nkind = \"openapi\"\nfiles = [{{ path = \"{name}.json\" }}]\n\n"
            ));
        }
        fs::write(self.0.join("specs/specs.toml"), manifest).unwrap();
    }

    /// Every file below the root's `generated/` (and any other file the
    /// root holds outside `specs/`), with its bytes.
    fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        let mut out = BTreeMap::new();
        let mut stack = vec![self.0.clone()];
        while let Some(dir) = stack.pop() {
            for entry in fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let rel = path
                    .strip_prefix(&self.0)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                if rel.starts_with("specs") {
                    continue;
                }
                if path.is_dir() {
                    out.insert(format!("{rel}/"), Vec::new());
                    stack.push(path);
                } else {
                    out.insert(rel, fs::read(&path).unwrap());
                }
            }
        }
        out
    }
}

impl Drop for TempRoot {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn doc(title: &str, schema: &str) -> String {
    format!(
        r##"{{"openapi":"3.0.3","info":{{"title":"{title}","version":"1"}},"paths":{{"/x":{{"get":{{"operationId":"getX","responses":{{"200":{{"description":"ok","content":{{"application/json":{{"schema":{{"$ref":"#/components/schemas/S"}}}}}}}}}}}}}}}},"components":{{"schemas":{{"S":{schema}}}}}}}"##
    )
}

/// An enum of values of several JSON types: typify 0.8 panics on it, the
/// generator catches that and degrades the schema with a diagnostic.
const TYPIFY_PANICS: &str = r#"{"enum":[1,"a",{"x":1}]}"#;
const PLAIN: &str = r#"{"type":"object","properties":{"a":{"type":"string"}}}"#;

#[test]
fn caught_generator_panics_print_nothing() {
    let root = TempRoot::new("quiet");
    root.specs(&[("p", &doc("P", TYPIFY_PANICS))]);
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("regen")
        .env("XTASK_ROOT", &root.0)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The panic did happen and is reported where it belongs.
    let diagnostics = fs::read_to_string(root.0.join("generated/diagnostics/p.txt")).unwrap();
    assert!(diagnostics.contains("typify panicked"), "{diagnostics}");
}

#[test]
fn quiet_panics_are_recorded_and_the_hook_is_put_back() {
    let (value, panics) = with_quiet_panics(|| {
        std::panic::catch_unwind(|| panic!("inside")).unwrap_err();
        7
    });
    assert_eq!(value, 7);
    assert_eq!(panics.len(), 1);
    assert!(panics[0].ends_with(": inside"), "{panics:?}");
    // An uncaught panic goes on after the hook is restored.
    let outer = std::panic::catch_unwind(|| with_quiet_panics(|| panic!("through")));
    assert!(outer.is_err());
}

#[test]
fn a_failing_api_leaves_generated_as_it_was() {
    let root = TempRoot::new("failing-api");
    root.specs(&[("good", &doc("Good", PLAIN))]);
    regen(&root.0, Mode::Write).unwrap();
    let before = root.snapshot();
    assert!(before.contains_key("generated/src/good.rs"));
    // `good` changes (every file of it would be rewritten), `bad` does not
    // parse: nothing is written.
    root.specs(&[("good", &doc("Good v2", PLAIN)), ("bad", "{ not json")]);
    let err = regen(&root.0, Mode::Write).unwrap_err();
    assert!(format!("{err:#}").contains("bad"), "{err:#}");
    assert_eq!(root.snapshot(), before);
}

#[test]
fn an_io_error_while_writing_leaves_generated_as_it_was() {
    let root = TempRoot::new("io-error");
    root.specs(&[("good", &doc("Good", PLAIN))]);
    regen(&root.0, Mode::Write).unwrap();
    // Make every file stale, and `generated/src` a file, so that writing
    // `generated/src/*.rs` fails after `Cargo.toml` and the diagnostics
    // were written to their temporaries.
    for file in ["generated/Cargo.toml", "generated/diagnostics/good.txt"] {
        fs::write(root.0.join(file), "old\n").unwrap();
    }
    fs::remove_dir_all(root.0.join("generated/src")).unwrap();
    fs::write(root.0.join("generated/src"), "in the way\n").unwrap();
    let before = root.snapshot();
    let err = regen(&root.0, Mode::Write).unwrap_err();
    assert!(
        format!("{err:#}").contains("nothing in generated/ was changed"),
        "{err:#}"
    );
    assert_eq!(root.snapshot(), before);
}

#[test]
fn a_failing_rename_is_rolled_back() {
    let root = TempRoot::new("rename");
    let dir = root.0.join("generated");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("a.txt"), "old a").unwrap();
    fs::write(dir.join("b.txt"), "old b").unwrap();
    fs::write(dir.join("gone.txt"), "extra").unwrap();
    let before = root.snapshot();
    let writes = [
        ("generated/a.txt", "new a"),
        ("generated/new/c.txt", "new c"),
        ("generated/b.txt", "new b"),
    ];
    let removals = ["generated/gone.txt"];
    // Fail the n-th rename, for every n up to one past the last.
    let mut failed_some = false;
    for fail_at in 0.. {
        let count = std::cell::Cell::new(0);
        let rename = |from: &Path, to: &Path| {
            let n = count.get();
            count.set(n + 1);
            if n == fail_at {
                Err(std::io::Error::other("injected"))
            } else {
                fs::rename(from, to)
            }
        };
        match write_all_or_nothing(&root.0, &writes, &removals, &rename) {
            Err(e) => {
                failed_some = true;
                assert!(format!("{e:#}").contains("injected"));
                assert_eq!(root.snapshot(), before, "failing rename #{fail_at}");
            }
            Ok(()) => {
                assert!(failed_some);
                let after = root.snapshot();
                assert_eq!(after["generated/a.txt"], b"new a");
                assert_eq!(after["generated/b.txt"], b"new b");
                assert_eq!(after["generated/new/c.txt"], b"new c");
                assert!(!after.contains_key("generated/gone.txt"));
                assert!(after.keys().all(|k| !k.contains(".regen-")), "{after:?}");
                break;
            }
        }
    }
}
