//! The bad-input suite: every crafted spec of `tests/fixtures/bad/`
//! (README.md there lists the cases) gives either generated code that
//! compiles or a located error (file and line:column, or a JSON pointer),
//! never a panic, a stack overflow or a hang. Each spec is generated on a
//! thread with the main thread's usual stack (8 MiB); all generated modules
//! are compiled together in one throwaway crate.

use std::collections::BTreeMap;
use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use wiregen_codegen::manifest::{ApiKind, ApiSpec, SpecFile};
use xtask::compile_check::{check_modules, Module};
use xtask::DirFiles;

/// The stack of a program's main thread on Linux.
const STACK: usize = 8 * 1024 * 1024;
/// Far beyond what any of these small specs needs in a debug build.
const LIMIT: Duration = Duration::from_secs(60);

/// The entry files of `tests/fixtures/bad/<kind>/`, sorted.
fn entries(kind: &str) -> Vec<String> {
    let dir = xtask::project_root().join("tests/fixtures/bad").join(kind);
    let mut out: Vec<String> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| format!("{kind}/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    out.sort();
    out
}

/// Whether `message` names a place: `<file>.<ext>:<line>:<column>`, a
/// JSON pointer, or a line and column in words.
fn is_located(message: &str) -> bool {
    let has_line_col = [".yaml:", ".json:", ".wsdl:", ".xsd:"].iter().any(|ext| {
        message.match_indices(ext).any(|(i, _)| {
            let rest = &message[i + ext.len()..];
            let line: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let after = &rest[line.len()..];
            !line.is_empty()
                && after.starts_with(':')
                && after[1..].starts_with(|c: char| c.is_ascii_digit())
        })
    });
    has_line_col || message.contains(" (at /") || message.contains("at line ")
}

/// Cases that must generate (degrade, not fail): the deep, cyclic and
/// colliding shapes the generator is built to absorb.
const MUST_GENERATE: &[&str] = &[
    "openapi/allof-chain-100.yaml",
    "openapi/cyclic-inheritance.yaml",
    "openapi/cyclic-ref-self.yaml",
    "openapi/deep-schema-40.json",
    "openapi/duplicate-operation-ids.yaml",
    "openapi/duplicate-parameters.yaml",
    "openapi/keyword-names.yaml",
    "openapi/ref-chain-400.yaml",
    "openapi/undeclared-path-variables.yaml",
    "openapi/unicode-names.yaml",
    "openapi/wrong-types-everywhere.yaml",
    "wsdl/circular-import.wsdl",
    "wsdl/circular-include.wsdl",
    "wsdl/deep-anonymous-350.wsdl",
    "wsdl/deep-anonymous-3000.wsdl",
    "wsdl/deep-sequences-2000.wsdl",
    "wsdl/deep-simple-types-1000.wsdl",
    "wsdl/keyword-names.wsdl",
    "wsdl/recursive-types.wsdl",
    "wsdl/unicode-names.wsdl",
];

enum Outcome {
    Code(wiregen_codegen::Output),
    Error(String),
    Panic(String),
}

fn generate(path: &str, kind: ApiKind, name: &str) -> Outcome {
    let api = ApiSpec {
        name: name.to_string(),
        kind,
        title: None,
        files: vec![SpecFile {
            path: path.to_string(),
            sha256: None,
            origin: None,
        }],
        overlays: Vec::new(),
        catalog: BTreeMap::new(),
    };
    let (send, receive) = mpsc::channel();
    std::thread::Builder::new()
        .name(format!("generate {path}"))
        .stack_size(STACK)
        .spawn(move || {
            let files = DirFiles {
                root: xtask::project_root().join("tests/fixtures/bad"),
            };
            let result = catch_unwind(AssertUnwindSafe(|| wiregen_codegen::generate(&files, &api)));
            let outcome = match result {
                Ok(Ok(output)) => Outcome::Code(output),
                Ok(Err(e)) => Outcome::Error(e.to_string()),
                Err(payload) => Outcome::Panic(
                    payload
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default(),
                ),
            };
            let _ = send.send(outcome);
        })
        .unwrap();
    receive
        .recv_timeout(LIMIT)
        .unwrap_or_else(|_| Outcome::Panic(format!("no result within {LIMIT:?} (a hang)")))
}

#[test]
fn bad_inputs_give_located_errors_or_code_that_compiles() {
    let mut failures = Vec::new();
    let mut modules = Vec::new();
    let mut counts = BTreeMap::new();
    for (kind, api_kind, minimum) in [
        ("openapi", ApiKind::OpenApi, 35),
        ("wsdl", ApiKind::Wsdl, 25),
    ] {
        let files = entries(kind);
        assert!(files.len() >= minimum, "{kind}: only {} cases", files.len());
        for path in files {
            let stem = path.rsplit('/').next().unwrap();
            let name: String = format!("{kind}_{stem}")
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '_'
                    }
                })
                .collect();
            let start = Instant::now();
            let outcome = generate(&path, api_kind, &name);
            let took = start.elapsed();
            let label = match outcome {
                Outcome::Code(output) => {
                    modules.push(Module {
                        name,
                        code: output.code,
                        crates: output.crates,
                    });
                    "code"
                }
                Outcome::Error(message) => {
                    eprintln!("  {message}");
                    if MUST_GENERATE.contains(&path.as_str()) {
                        failures.push(format!("{path}: should degrade and generate: {message}"));
                    }
                    if !is_located(&message)
                        || !message.contains(stem.split('.').next().unwrap_or(stem))
                            && !message.contains("parts/")
                    {
                        failures.push(format!("{path}: error without a location: {message}"));
                    }
                    "error"
                }
                Outcome::Panic(message) => {
                    failures.push(format!("{path}: panicked: {message}"));
                    "panic"
                }
            };
            eprintln!("{path}: {label} in {took:?}");
            *counts.entry(label).or_insert(0) += 1;
        }
    }
    eprintln!("{counts:?}");
    let results = check_modules(&xtask::project_root(), "bad_inputs", &modules).unwrap();
    for r in results.iter().filter(|r| !r.ok) {
        failures.push(format!(
            "{}: generated code does not compile: {}",
            r.name,
            r.first_error.as_deref().unwrap_or("?")
        ));
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
