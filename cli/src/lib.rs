//! The `wiregen` command-line tool as a library: reading specs from disk,
//! rendering a crate with [`wiregen_codegen::crate_files`], and writing it
//! all or nothing or checking it for drift. `cargo xtask regen` calls the
//! same functions, so there is one crate writer.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fs;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use wiregen_codegen::manifest::{ApiKind, SpecFile};
use wiregen_codegen::{ApiSpec, FileSource, Manifest, RenderedApi, Settings};

pub mod new;

pub use wiregen_codegen;

/// Reads spec files from a folder on disk, and only from inside it: the
/// generator already refuses paths that leave the spec root
/// (`wiregen_codegen::source::read_confined`); here symbolic links are
/// resolved too, and a file whose real path is outside the (real) root is
/// refused without being read.
pub struct DirFiles {
    pub root: PathBuf,
}

impl FileSource for DirFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        let root = fs::canonicalize(&self.root).map_err(|e| e.to_string())?;
        let real = fs::canonicalize(root.join(path)).map_err(|e| e.to_string())?;
        if !real.starts_with(&root) {
            return Err(format!(
                "its real path (symbolic links resolved) is {}; not read",
                wiregen_codegen::source::OUTSIDE_SPEC_FOLDER
            ));
        }
        let bytes = fs::read(real).map_err(|e| e.to_string())?;
        String::from_utf8(bytes).map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let text = std::str::from_utf8(valid).unwrap_or_default();
            let (line, column) = wiregen_codegen::text::line_col(text, text.len());
            format!("not UTF-8 text: invalid byte at line {line}, column {column}")
        })
    }
}

/// Stack of the thread each API is generated on: the generator's own
/// recursions are bounded, but a stack overflow would abort the process.
pub const GENERATOR_STACK: usize = 256 * 1024 * 1024;

/// What to generate: the APIs and the folder their files are relative to.
#[derive(Debug, Clone)]
pub struct Input {
    /// The folder spec paths are relative to (the manifest's folder, or
    /// the spec file's).
    pub spec_root: PathBuf,
    pub manifest: Manifest,
}

impl Input {
    /// A `specs.toml` manifest (any file ending in `.toml`), or one spec
    /// file: `.wsdl` is a WSDL, anything else OpenAPI (JSON or YAML); its
    /// API is named after the file (`pet-store.yaml` → `pet_store`).
    pub fn load(path: &Path) -> Result<Input> {
        let spec_root = path
            .parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .with_context(|| format!("{} is not a file", path.display()))?;
        if file_name.ends_with(".toml") {
            let text =
                fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            let manifest = Manifest::parse(&path.to_string_lossy(), &text)?;
            return Ok(Input {
                spec_root,
                manifest,
            });
        }
        if !path.is_file() {
            bail!("{}: no such file", path.display());
        }
        let kind = if file_name.to_ascii_lowercase().ends_with(".wsdl") {
            ApiKind::Wsdl
        } else {
            ApiKind::OpenApi
        };
        let stem = file_name.split('.').next().unwrap_or(&file_name);
        let api = ApiSpec {
            name: api_name(stem),
            kind,
            title: None,
            files: vec![SpecFile {
                path: file_name.clone(),
                sha256: None,
                origin: None,
            }],
            overlays: Vec::new(),
            catalog: BTreeMap::new(),
        };
        Ok(Input {
            spec_root,
            manifest: Manifest {
                apis: vec![api],
                crate_settings: None,
            },
        })
    }
}

/// A module name for a spec file's stem: snake_case, never a keyword.
pub fn api_name(stem: &str) -> String {
    use wiregen_codegen::naming::{rust_name, Case};
    let name = rust_name(stem, Case::Snake);
    let name = name
        .strip_prefix("r#")
        .map_or(name.clone(), |n| format!("{n}_api"));
    let name = name.trim_start_matches('_').to_string();
    match name.chars().next() {
        Some(c) if c.is_ascii_lowercase() => name,
        Some(_) => format!("api_{name}"),
        None => "api".to_string(),
    }
}

/// Whether `name` is a valid Cargo package name (ASCII letters, digits,
/// `-`, `_`, starting with a letter).
pub fn valid_crate_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
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

/// Runs the generator for one API whose files are below `spec_root`, and
/// applies `settings`. Panics the generator catches print nothing; one it
/// does not catch is an error naming where it happened.
pub fn render_api(spec_root: &Path, api: &ApiSpec, settings: &Settings) -> Result<RenderedApi> {
    let files = DirFiles {
        root: spec_root.to_path_buf(),
    };
    // On a thread with a large stack (see GENERATOR_STACK).
    let generated = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name(format!("generate {}", api.name))
            .stack_size(GENERATOR_STACK)
            .spawn_scoped(scope, || {
                with_quiet_panics(|| {
                    catch_unwind(AssertUnwindSafe(|| wiregen_codegen::generate(&files, api)))
                })
            })
            .map(|worker| worker.join())
    });
    let (result, panics) = match generated {
        Ok(Ok(done)) => done,
        Ok(Err(_)) => bail!("generating `{}`: the generator thread failed", api.name),
        Err(e) => bail!(
            "generating `{}`: cannot start the generator thread: {e}",
            api.name
        ),
    };
    let output = match result {
        Ok(output) => output.with_context(|| format!("generating `{}`", api.name))?,
        Err(_) => bail!(
            "generating `{}`: the generator panicked: {}",
            api.name,
            panics.last().map_or("(no message)", String::as_str)
        ),
    };
    let output = settings
        .apply(output, api)
        .with_context(|| format!("generating `{}`", api.name))?;
    Ok(RenderedApi::new(api, output))
}

/// One progress line: `rocket_chat: 1 operation, 0.42 s, 2 diagnostics`.
pub fn progress_line(api: &RenderedApi, took: Duration) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    format!(
        "{}: {}, {:.2} s, {}",
        api.api.name,
        plural(api.operations, "operation"),
        took.as_secs_f64(),
        plural(api.diagnostics.len(), "diagnostic")
    )
}

/// Renders every API of `input` (calling `progress` after each, with the
/// time it took) and the crate around them: files relative to the crate's
/// folder.
pub fn render_crate(
    input: &Input,
    settings: &Settings,
    progress: &mut dyn FnMut(&RenderedApi, Duration),
) -> Result<(Vec<RenderedApi>, BTreeMap<String, String>)> {
    let mut apis = Vec::new();
    for api in &input.manifest.apis {
        let start = Instant::now();
        let rendered = render_api(&input.spec_root, api, settings)?;
        progress(&rendered, start.elapsed());
        apis.push(rendered);
    }
    let files = wiregen_codegen::crate_files(&apis, settings);
    Ok((apis, files))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write changed files and remove files no longer produced.
    Write,
    /// Change nothing; fail listing stale, missing and extra files.
    Check,
}

/// Where rendered files go.
#[derive(Debug, Clone)]
pub struct Target {
    /// The folder the file paths are relative to.
    pub dir: PathBuf,
    /// How paths are shown in messages: this prefix, then the path
    /// (`generated/`, `my-clients/`).
    pub label: String,
    /// Folders (relative to `dir`) whose every file is the generator's:
    /// a file there that is no longer produced is extra (removed by
    /// `Write`). Empty: all of `dir`.
    pub owned: Vec<String>,
    /// The command that fixes drift, for the check's message.
    pub fix: String,
}

/// What [`sync`] found (and, in `Write` mode, did); paths relative to the
/// target's folder.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    pub stale: Vec<String>,
    pub missing: Vec<String>,
    pub extra: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }

    /// APIs whose module or diagnostics differ from what is on disk.
    pub fn changed_apis(&self, apis: &[RenderedApi]) -> usize {
        let all: Vec<&String> = self.stale.iter().chain(&self.missing).collect();
        apis.iter()
            .filter(|a| {
                let module = format!("src/{}.rs", a.api.name);
                let diagnostics = format!("diagnostics/{}.txt", a.api.name);
                all.iter().any(|p| **p == module || **p == diagnostics)
            })
            .count()
    }

    /// `3 APIs, 0 changed`.
    pub fn summary(&self, apis: &[RenderedApi]) -> String {
        let n = apis.len();
        format!(
            "{n} API{}, {} changed",
            if n == 1 { "" } else { "s" },
            self.changed_apis(apis)
        )
    }
}

/// Compares `files` with what is below `target.dir`. `Check` fails listing
/// stale, missing and extra files; `Write` writes the stale and missing
/// ones and removes the extra ones, all or nothing.
pub fn sync(target: &Target, files: &BTreeMap<String, String>, mode: Mode) -> Result<Changes> {
    let mut changes = Changes::default();
    for (path, text) in files {
        match fs::read_to_string(target.dir.join(path)) {
            Ok(current) if current == *text => {}
            Ok(_) => changes.stale.push(path.clone()),
            Err(_) => changes.missing.push(path.clone()),
        }
    }
    let mut existing = Vec::new();
    if target.owned.is_empty() {
        existing = list_files(&target.dir, &target.dir)?;
    } else {
        for owned in &target.owned {
            existing.extend(list_files(&target.dir.join(owned), &target.dir)?);
        }
    }
    changes.extra = existing
        .into_iter()
        .filter(|p| !files.contains_key(p))
        .collect();
    let label = &target.label;
    match mode {
        Mode::Check => {
            if changes.is_empty() {
                return Ok(changes);
            }
            let mut message = String::from("generated code is out of date:\n");
            for (kind, paths) in [
                ("stale", &changes.stale),
                ("missing", &changes.missing),
                ("extra", &changes.extra),
            ] {
                for path in paths {
                    message.push_str(&format!("  {kind}: {label}{path}\n"));
                }
            }
            message.push_str(&format!("run `{}` and commit the result", target.fix));
            bail!(message)
        }
        Mode::Write => {
            let writes: Vec<(&str, &str)> = changes
                .stale
                .iter()
                .chain(&changes.missing)
                .map(|p| (p.as_str(), files[p].as_str()))
                .collect();
            let removals: Vec<&str> = changes.extra.iter().map(String::as_str).collect();
            write_all_or_nothing(&target.dir, &writes, &removals, &|from, to| {
                fs::rename(from, to)
            })
            .with_context(|| format!("nothing in {label} was changed"))?;
            Ok(changes)
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
            Err(e)
        }
    }
}

/// Files below `dir`, as forward-slash paths relative to `root`, sorted.
pub fn list_files(dir: &Path, root: &Path) -> Result<Vec<String>> {
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

/// The options of `wiregen generate` / `check` that shape the crate.
#[derive(Debug, Clone, Default)]
pub struct CrateOptions {
    pub crate_name: Option<String>,
    pub runtime_path: Option<String>,
    pub runtime_version: Option<String>,
    pub derives: Vec<String>,
}

/// The settings for `input`: the options given, else the manifest's
/// `[crate]` table, else the defaults.
pub fn settings_for(input: &Input, options: &CrateOptions) -> Result<Settings> {
    let table = input.manifest.crate_settings.clone().unwrap_or_default();
    let mut settings = Settings::new();
    let name = options.crate_name.clone().or(table.name);
    if let Some(name) = name {
        if !valid_crate_name(&name) {
            bail!("`{name}` is not a valid crate name (letters, digits, `-`, `_`)");
        }
        settings.with_crate_name(name);
    }
    let (path, version) = if options.runtime_path.is_some() || options.runtime_version.is_some() {
        (
            options.runtime_path.clone(),
            options.runtime_version.clone(),
        )
    } else {
        (table.runtime_path, table.runtime_version)
    };
    if let Some(path) = path {
        settings.with_runtime_path(path);
    }
    if let Some(version) = version {
        settings.with_runtime_version(version);
    }
    for derive in &options.derives {
        settings.with_derive(derive.clone());
    }
    Ok(settings)
}

/// `wiregen generate` (`Write`) and `wiregen check` (`Check`): renders
/// `input` into the crate folder `out`. Progress goes to `log` (one line
/// per API, then the summary); `fix` is the command named when the check
/// fails.
pub fn generate(
    input: &Input,
    settings: &Settings,
    out: &Path,
    mode: Mode,
    fix: &str,
    log: &mut dyn FnMut(&str),
) -> Result<Changes> {
    let (apis, files) = render_crate(input, settings, &mut |api, took| {
        log(&progress_line(api, took))
    })?;
    let mut label = out.to_string_lossy().into_owned();
    if !label.ends_with('/') {
        label.push('/');
    }
    let target = Target {
        dir: out.to_path_buf(),
        label,
        // The crate's folder may hold a lock file, target/, tests of the
        // user's: only these are the generator's.
        owned: vec!["src".to_string(), "diagnostics".to_string()],
        fix: fix.to_string(),
    };
    let changes = sync(&target, &files, mode)?;
    log(&changes.summary(&apis));
    Ok(changes)
}

/// build.rs mode: generates the client for one spec file (`.wsdl`, or
/// OpenAPI JSON/YAML) into `$OUT_DIR/<api>.rs` in `include!` form, where
/// `<api>` is named after the file (`pet-store.yaml` → `pet_store`), and
/// tells cargo to run the build script again when the spec's folder
/// changes. Returns the path written and the crates the module uses
/// besides `serde`, `serde_json` and `wiregen-runtime` (e.g. `chrono`),
/// which the crate must depend on. Warnings go to cargo as
/// `cargo:warning` lines only when `print_diagnostics` is set.
///
/// ```no_run
/// // In build.rs, `fn main`:
/// wiregen::build_rs("specs/petstore.yaml", false).unwrap();
/// // In src/lib.rs, `include!(concat!(env!("OUT_DIR"), "/petstore.rs"));`
/// // declares `pub mod petstore { … }`.
/// ```
pub fn build_rs(spec: impl AsRef<Path>, print_diagnostics: bool) -> Result<(PathBuf, Vec<String>)> {
    let spec = spec.as_ref();
    let out_dir = std::env::var_os("OUT_DIR")
        .map(PathBuf::from)
        .context("OUT_DIR is not set: call build_rs from a build script")?;
    let input = Input::load(spec)?;
    println!("cargo:rerun-if-changed={}", input.spec_root.display());
    let api = input
        .manifest
        .apis
        .first()
        .context("no API in the spec")?
        .clone();
    let mut settings = Settings::new();
    settings
        .with_include_form(true)
        .with_generator("wiregen::build_rs");
    let rendered = render_api(&input.spec_root, &api, &settings)?;
    if print_diagnostics {
        for diagnostic in &rendered.diagnostics {
            println!("cargo:warning={diagnostic}");
        }
    }
    let path = out_dir.join(format!("{}.rs", api.name));
    fs::write(&path, &rendered.code).with_context(|| format!("writing {}", path.display()))?;
    Ok((path, rendered.extra_crates.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_names_from_file_stems() {
        assert_eq!(api_name("pet-store"), "pet_store");
        assert_eq!(api_name("PetStore"), "pet_store");
        assert_eq!(api_name("2fa"), "api_2fa");
        assert_eq!(api_name("type"), "type_api");
        assert_eq!(api_name("..."), "value");
    }

    #[test]
    fn options_win_over_the_crate_table() {
        let text = "[crate]\nname = \"from-table\"\nruntime-path = \"../rt\"\n";
        let input = Input {
            spec_root: PathBuf::from("."),
            manifest: Manifest::parse("specs.toml", text).unwrap(),
        };
        let settings = settings_for(&input, &CrateOptions::default()).unwrap();
        assert_eq!(settings.crate_name(), "from-table");
        assert_eq!(settings.runtime().toml_value(), "{ path = \"../rt\" }");
        let options = CrateOptions {
            crate_name: Some("given".into()),
            runtime_version: Some("0.1".into()),
            ..Default::default()
        };
        let settings = settings_for(&input, &options).unwrap();
        assert_eq!(settings.crate_name(), "given");
        assert_eq!(settings.runtime().toml_value(), "{ version = \"0.1\" }");
        let bad = CrateOptions {
            crate_name: Some("no spaces".into()),
            ..Default::default()
        };
        assert!(settings_for(&input, &bad).is_err());
    }
}
