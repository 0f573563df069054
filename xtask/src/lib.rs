//! The work behind `cargo xtask`: rendering `generated/` from the manifest,
//! writing it, and checking it for drift. The test suite calls the same
//! functions, so `cargo test` fails when `generated/` is stale.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fs;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub mod compile_check;
pub mod corpus;

use anyhow::{bail, Context, Result};
use wiregen_codegen::{generated_header, ApiSpec, Diagnostic, FileSource, Manifest};

/// The manifest, relative to the project root.
pub const MANIFEST: &str = "specs/specs.toml";
/// The folder that holds the vendored specs.
pub const SPECS: &str = "specs";
/// The generated crate; everything in it is written by `regen`.
pub const GENERATED: &str = "generated";
/// The command that fixes drift.
pub const REGEN_COMMAND: &str = "cargo xtask regen";

/// The workspace root (the parent of this crate's folder), or the folder
/// named by `XTASK_ROOT`.
pub fn project_root() -> PathBuf {
    if let Some(root) = std::env::var_os("XTASK_ROOT") {
        return PathBuf::from(root);
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Reads spec files from a folder on disk.
pub struct DirFiles {
    pub root: PathBuf,
}

impl FileSource for DirFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        fs::read_to_string(self.root.join(path)).map_err(|e| e.to_string())
    }
}

/// Reads and parses `specs/specs.toml`.
pub fn load_manifest(root: &Path) -> Result<Manifest> {
    let path = root.join(MANIFEST);
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(Manifest::parse(MANIFEST, &text)?)
}

/// What one API renders to.
pub struct RenderedApi {
    pub api: ApiSpec,
    pub code: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Crates the generated module needs besides serde/serde_json/runtime.
    pub extra_crates: Vec<String>,
}

type PanicHook = Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Sync + Send + 'static>;

/// One quiet section at a time: the panic hook is process-wide.
static QUIET: Mutex<()> = Mutex::new(());

thread_local! {
    /// Panics recorded on this thread while it runs [`with_quiet_panics`].
    static RECORDED: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// Runs `f` with panics on this thread recorded (`file:line:col: message`)
/// instead of printed, and returns them. The generator catches some
/// panics itself (typify's) and reports them as diagnostics; the default
/// hook would still print `thread 'main' panicked at …` for each. Panics
/// on other threads go to the previous hook as before, which is put back
/// afterwards.
pub fn with_quiet_panics<T>(f: impl FnOnce() -> T) -> (T, Vec<String>) {
    let _one_at_a_time = QUIET.lock().unwrap_or_else(|p| p.into_inner());
    let previous: Arc<PanicHook> = Arc::new(std::panic::take_hook());
    let fallback = Arc::clone(&previous);
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload_as_str()
            .unwrap_or("(non-string panic payload)");
        let text = match info.location() {
            Some(l) => format!("{}:{}:{}: {message}", l.file(), l.line(), l.column()),
            None => message.to_string(),
        };
        let recorded = RECORDED
            .try_with(|r| match r.try_borrow_mut() {
                Ok(mut r) => r.as_mut().map(|list| list.push(text)).is_some(),
                Err(_) => false,
            })
            .unwrap_or(false);
        if !recorded {
            fallback(info);
        }
    }));
    RECORDED.with(|r| *r.borrow_mut() = Some(Vec::new()));
    let result = catch_unwind(AssertUnwindSafe(f));
    let recorded = RECORDED.with(|r| r.borrow_mut().take()).unwrap_or_default();
    // Dropping our hook drops its reference to the previous one.
    drop(std::panic::take_hook());
    if let Ok(hook) = Arc::try_unwrap(previous) {
        std::panic::set_hook(hook);
    }
    match result {
        Ok(value) => (value, recorded),
        Err(panic) => resume_unwind(panic),
    }
}

/// Runs the generator for one API of the manifest. Panics the generator
/// catches print nothing; one it does not catch is an error naming where
/// it happened.
pub fn render_api(root: &Path, api: &ApiSpec) -> Result<RenderedApi> {
    let files = DirFiles {
        root: root.join(SPECS),
    };
    let (result, panics) = with_quiet_panics(|| {
        catch_unwind(AssertUnwindSafe(|| wiregen_codegen::generate(&files, api)))
    });
    let output = match result {
        Ok(output) => output.with_context(|| format!("generating `{}`", api.name))?,
        Err(_) => bail!(
            "generating `{}`: the generator panicked: {}",
            api.name,
            panics.last().map_or("(no message)", String::as_str)
        ),
    };
    Ok(RenderedApi {
        api: api.clone(),
        extra_crates: output.crates.clone(),
        code: output.code,
        diagnostics: output.diagnostics,
    })
}

/// Every file of `generated/`, keyed by path relative to the project root
/// (forward slashes), in a fixed order.
pub fn render_all(root: &Path) -> Result<BTreeMap<String, String>> {
    let manifest = load_manifest(root)?;
    let mut files = BTreeMap::new();
    let mut apis = Vec::new();
    for api in &manifest.apis {
        let rendered = render_api(root, api)?;
        files.insert(
            format!("{GENERATED}/src/{}.rs", api.name),
            rendered.code.clone(),
        );
        files.insert(
            format!("{GENERATED}/diagnostics/{}.txt", api.name),
            diagnostics_text(&rendered),
        );
        apis.push(rendered);
    }
    files.insert(format!("{GENERATED}/src/lib.rs"), lib_rs(&apis));
    files.insert(format!("{GENERATED}/Cargo.toml"), cargo_toml(&apis));
    Ok(files)
}

/// The diagnostics snapshot of one API: one line per diagnostic.
pub fn diagnostics_text(api: &RenderedApi) -> String {
    let mut text = generated_header("#");
    text.push_str(&format!(
        "# Repairs and notes for `{}` ({} total).\n",
        api.api.name,
        api.diagnostics.len()
    ));
    for d in &api.diagnostics {
        text.push_str(&d.to_string());
        text.push('\n');
    }
    text
}

fn lib_rs(apis: &[RenderedApi]) -> String {
    let mut text = generated_header("//");
    text.push_str(
        "//! Typed clients generated from the vendored specs in `specs/`.\n\
         //!\n\
         //! Each API is a module behind a cargo feature of the same name:\n\
         //!\n",
    );
    for api in apis {
        let title = api.api.title.as_deref().unwrap_or(&api.api.name);
        text.push_str(&format!("//! - `{}`: {}\n", api.api.name, title));
    }
    text.push_str("\npub use wiregen_runtime as runtime;\n");
    for api in apis {
        text.push_str(&format!(
            "\n#[cfg(feature = \"{0}\")]\n#[rustfmt::skip]\npub mod {0};\n",
            api.api.name
        ));
    }
    text
}

fn cargo_toml(apis: &[RenderedApi]) -> String {
    let mut extra: BTreeMap<&str, &str> = BTreeMap::new();
    for api in apis {
        for krate in &api.extra_crates {
            extra.insert(krate, dependency_spec(krate));
        }
    }
    let mut text = generated_header("#");
    text.push_str(
        "[package]\n\
         name = \"wiregen-clients\"\n\
         version = \"0.1.0\"\n\
         description = \"Typed API clients generated by wiregen from the specs in specs/\"\n\
         edition = \"2021\"\n\
         license = \"MIT OR Apache-2.0\"\n\
         publish = false\n\n\
         [features]\n\
         default = []\n",
    );
    let all: Vec<String> = apis.iter().map(|a| format!("\"{}\"", a.api.name)).collect();
    text.push_str(&format!("full = [{}]\n", all.join(", ")));
    for api in apis {
        let deps: Vec<String> = api
            .extra_crates
            .iter()
            .map(|c| format!("\"dep:{c}\""))
            .collect();
        text.push_str(&format!("{} = [{}]\n", api.api.name, deps.join(", ")));
    }
    text.push_str(
        "\n[dependencies]\n\
         wiregen-runtime = { path = \"../runtime\" }\n\
         serde = { version = \"1\", features = [\"derive\"] }\n\
         serde_json = \"1\"\n",
    );
    for (krate, spec) in extra {
        text.push_str(&format!("{krate} = {{ {spec}, optional = true }}\n"));
    }
    text
}

/// The version requirement of a crate that generated code may use.
fn dependency_spec(krate: &str) -> &'static str {
    match krate {
        "chrono" => "version = \"0.4\", default-features = false, features = [\"serde\", \"std\"]",
        "uuid" => "version = \"1\", features = [\"serde\"]",
        "regress" => "version = \"0.10\"",
        "rust_decimal" => "version = \"1\", default-features = false, features = [\"std\"]",
        _ => "version = \"*\"",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write changed files and remove files no longer produced.
    Write,
    /// Change nothing; fail listing stale, missing and extra files.
    Check,
}

/// `cargo xtask regen` (Write) and `cargo xtask check` (Check).
pub fn regen(root: &Path, mode: Mode) -> Result<()> {
    let wanted = render_all(root)?;
    let existing = list_files(&root.join(GENERATED), root)?;
    let mut stale = Vec::new();
    let mut missing = Vec::new();
    for (path, text) in &wanted {
        match fs::read_to_string(root.join(path)) {
            Ok(current) if current == *text => {}
            Ok(_) => stale.push(path.clone()),
            Err(_) => missing.push(path.clone()),
        }
    }
    let extra: Vec<String> = existing
        .into_iter()
        .filter(|p| !wanted.contains_key(p))
        .collect();
    match mode {
        Mode::Check => {
            if stale.is_empty() && missing.is_empty() && extra.is_empty() {
                return Ok(());
            }
            let mut message = String::from("generated code is out of date:\n");
            for (label, paths) in [("stale", &stale), ("missing", &missing), ("extra", &extra)] {
                for path in paths {
                    message.push_str(&format!("  {label}: {path}\n"));
                }
            }
            message.push_str(&format!("run `{REGEN_COMMAND}` and commit the result"));
            bail!(message)
        }
        Mode::Write => {
            let writes: Vec<(&str, &str)> = stale
                .iter()
                .chain(&missing)
                .map(|p| (p.as_str(), wanted[p].as_str()))
                .collect();
            let removals: Vec<&str> = extra.iter().map(String::as_str).collect();
            write_all_or_nothing(root, &writes, &removals, &|from, to| fs::rename(from, to))?;
            for (path, _) in &writes {
                println!("wrote {path}");
            }
            for path in &removals {
                println!("removed {path}");
            }
            Ok(())
        }
    }
}

/// Suffix of a file being written, next to its target.
const TEMP_SUFFIX: &str = ".regen-tmp";
/// Suffix of a file being replaced or removed, until all is done.
const BACKUP_SUFFIX: &str = ".regen-old";

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Writes `writes` (path relative to `root`, text) and removes `removals`,
/// all or nothing: every text is first written to a temporary file beside
/// its target (folders created as needed); only when all are written are
/// targets moved aside and temporaries renamed into place (`rename`, a
/// parameter so tests can make it fail). Any failure puts back what was
/// moved, removes the temporaries and the folders created, and leaves the
/// tree as it was.
pub fn write_all_or_nothing(
    root: &Path,
    writes: &[(&str, &str)],
    removals: &[&str],
    rename: &dyn Fn(&Path, &Path) -> std::io::Result<()>,
) -> Result<()> {
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
    // (target, backup if the target existed, temp if it is a write)
    let mut done: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    let result = (|| -> Result<()> {
        for (path, text) in writes {
            let target = root.join(path);
            if let Some(parent) = target.parent() {
                let mut top = None;
                for dir in parent.ancestors() {
                    if dir.exists() {
                        break;
                    }
                    top = Some(dir.to_path_buf());
                }
                fs::create_dir_all(parent)
                    .with_context(|| format!("creating {}", parent.display()))?;
                created_dirs.extend(top);
            }
            let temp = with_suffix(&target, TEMP_SUFFIX);
            fs::write(&temp, text).with_context(|| format!("writing {}", temp.display()))?;
            temps.push((temp, target));
        }
        for (temp, target) in &temps {
            let backup = if target.exists() {
                let backup = with_suffix(target, BACKUP_SUFFIX);
                rename(target, &backup)
                    .with_context(|| format!("moving aside {}", target.display()))?;
                Some(backup)
            } else {
                None
            };
            done.push((target.clone(), backup));
            rename(temp, target).with_context(|| format!("writing {}", target.display()))?;
        }
        for path in removals {
            let target = root.join(path);
            let backup = with_suffix(&target, BACKUP_SUFFIX);
            rename(&target, &backup).with_context(|| format!("removing {path}"))?;
            done.push((target, Some(backup)));
        }
        Ok(())
    })();
    match result {
        Ok(()) => {
            for (_, backup) in done {
                if let Some(backup) = backup {
                    fs::remove_file(&backup)
                        .with_context(|| format!("removing {}", backup.display()))?;
                }
            }
            Ok(())
        }
        Err(e) => {
            // Undo in reverse order: put each moved target back.
            for (target, backup) in done.iter().rev() {
                match backup {
                    Some(backup) if backup.exists() => {
                        let _ = fs::remove_file(target);
                        let _ = fs::rename(backup, target);
                    }
                    Some(_) => {}
                    None => {
                        let _ = fs::remove_file(target);
                    }
                }
            }
            for (temp, _) in &temps {
                let _ = fs::remove_file(temp);
            }
            for dir in created_dirs.iter().rev() {
                let _ = fs::remove_dir_all(dir);
            }
            Err(e.context("nothing in generated/ was changed"))
        }
    }
}

/// Files below `dir`, as forward-slash paths relative to `root`, sorted.
fn list_files(dir: &Path, root: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).with_context(|| format!("listing {}", d.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(root) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` fails on drift, the same way `cargo xtask check` does.
    #[test]
    fn generated_code_is_fresh() {
        if let Err(e) = regen(&project_root(), Mode::Check) {
            panic!("{e:#}");
        }
    }
}
