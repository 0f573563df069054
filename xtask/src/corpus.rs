//! `cargo xtask corpus`: measures the generator on a set of real specs.
//!
//! Every entry of the set's `MANIFEST.tsv` (of the kind asked) goes through
//! the whole pipeline (`wiregen_codegen::generate`: load, repair, generate,
//! format) in its own thread, with panics caught and a time limit. Each
//! module that generates becomes one crate of a temporary workspace,
//! `target/corpus/<kind>/specs/<module>/`, and the workspace is checked once
//! with `cargo check --keep-going --message-format=json-diagnostic-short`
//! (shared target dir `target/corpus-target`); each compiler error is
//! attributed to its spec by the crate cargo names.
//!
//! Results: a TSV row per spec (with timings, default
//! `target/corpus-<kind>.tsv`), a markdown report without timings
//! (`docs/corpus-<kind>.md`, committed, so it only changes when results do)
//! and, as the last line on stdout, `compiled N/M specs, K/L operations`.
//!
//! Check time: there is one `cargo check` for all crates, so every spec
//! that took part gets the same check time, the duration of that whole check
//! (dependencies included when they are not built yet).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use wiregen_codegen::manifest::SpecFile;
use wiregen_codegen::naming::{Case, Namer};
use wiregen_codegen::{ApiKind, ApiSpec};

use crate::DirFiles;

/// The set used when no `<set-root>` is given, relative to the workspace.
pub const DEFAULT_SET_ROOT: &str = "../shared/corpus";
/// The index file of a spec set.
pub const SET_MANIFEST: &str = "MANIFEST.tsv";
/// How long one spec may take to generate before it is reported `timed-out`.
pub const GENERATE_TIMEOUT: Duration = Duration::from_secs(300);
/// How long one `cargo check` of a chunk of crates may take.
pub const CHUNK_CHECK_TIMEOUT: Duration = Duration::from_secs(60 * 60);
/// How long the check of one crate alone may take.
pub const CRATE_CHECK_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// Stack of each generator thread: deep schemas recurse deeply, and a stack
/// overflow would abort the whole run instead of failing one spec. `regen`
/// generates each API on such a thread too.
pub const GENERATOR_STACK: usize = wiregen::GENERATOR_STACK;
/// Longest first error kept in the markdown report, in characters.
const REPORT_ERROR_CHARS: usize = 300;

pub const USAGE: &str = "usage: cargo xtask corpus [<set-root>] [--kind openapi|wsdl] \
     [--generate-only] [--sample N] [--jobs N] [--timeout SECS] [--out FILE.tsv]";

/// Which entries of the set to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Formats `openapi-*` and `swagger-*` (everything that is not WSDL).
    OpenApi,
    /// Format `wsdl-1.1`.
    Wsdl,
    /// Every entry (no `--kind` given).
    All,
}

impl Kind {
    pub fn parse(text: &str) -> Option<Kind> {
        match text {
            "openapi" => Some(Kind::OpenApi),
            "wsdl" => Some(Kind::Wsdl),
            "all" => Some(Kind::All),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::OpenApi => "openapi",
            Kind::Wsdl => "wsdl",
            Kind::All => "all",
        }
    }

    fn includes(self, format: &str) -> bool {
        match self {
            Kind::All => true,
            Kind::Wsdl => api_kind(format) == ApiKind::Wsdl,
            Kind::OpenApi => api_kind(format) == ApiKind::OpenApi,
        }
    }
}

/// The pipeline a manifest format goes through.
fn api_kind(format: &str) -> ApiKind {
    if format.starts_with("wsdl") {
        ApiKind::Wsdl
    } else {
        ApiKind::OpenApi
    }
}

/// One row of `MANIFEST.tsv` (the columns this command uses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetEntry {
    /// Entry point, relative to the set root, forward slashes.
    pub file: String,
    /// `openapi-3.0`, `openapi-3.1`, `swagger-2.0`, `wsdl-1.1`, …
    pub format: String,
    /// Operations the set's maintainers counted in the spec.
    pub operations: usize,
}

/// Parses `MANIFEST.tsv`: a header row naming the columns (`file`, `format`
/// and `operations` are required, in any order, others are ignored), then
/// one row per spec. Blank lines are skipped; `path` names the file in
/// errors.
pub fn parse_set_manifest(path: &str, text: &str) -> Result<Vec<SetEntry>> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        bail!("{path}: empty manifest, expected a header row");
    };
    let columns: Vec<&str> = header.split('\t').map(str::trim).collect();
    let column = |name: &str| {
        columns
            .iter()
            .position(|c| *c == name)
            .ok_or_else(|| anyhow!("{path}:1: no `{name}` column in the header"))
    };
    let (file_col, format_col, ops_col) =
        (column("file")?, column("format")?, column("operations")?);
    let mut entries = Vec::new();
    for (number, line) in lines {
        let cells: Vec<&str> = line.split('\t').collect();
        let cell = |index: usize, name: &str| {
            cells
                .get(index)
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .ok_or_else(|| anyhow!("{path}:{number}: missing `{name}`"))
        };
        let operations = cell(ops_col, "operations")?;
        entries.push(SetEntry {
            file: cell(file_col, "file")?.to_string(),
            format: cell(format_col, "format")?.to_string(),
            operations: operations.parse().map_err(|_| {
                anyhow!("{path}:{number}: `operations` is `{operations}`, expected a count")
            })?,
        });
    }
    Ok(entries)
}

/// How one spec ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Generated, and the module has no compiler error.
    Compiled,
    /// Generated (a run with `--generate-only`).
    Generated,
    /// Generated, but `cargo check` reports errors in the module.
    CheckFailed,
    /// The generator returned an error.
    GenerateFailed,
    /// The generator panicked (a bug to fix).
    Panicked,
    /// The generator process died (stack overflow, out of memory: a bug to
    /// fix).
    Aborted,
    /// Generation or the check ran out of time.
    TimedOut,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Compiled => "compiled",
            Outcome::Generated => "generated",
            Outcome::CheckFailed => "check-failed",
            Outcome::GenerateFailed => "generate-failed",
            Outcome::Panicked => "panicked",
            Outcome::Aborted => "aborted",
            Outcome::TimedOut => "timed-out",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The result for one spec: a row of the TSV and of the report.
#[derive(Debug, Clone)]
pub struct Row {
    pub file: String,
    pub format: String,
    /// Module name in the temporary crate.
    pub module: String,
    pub manifest_operations: usize,
    /// Operations that became methods (0 when generation failed).
    pub generated_operations: usize,
    pub outcome: Outcome,
    /// The generator's error, the panic message or the first compiler error
    /// (short form); empty when compiled.
    pub first_error: String,
    /// Diagnostics (repairs and notes) the generator reported.
    pub diagnostics: usize,
    /// Compiler errors attributed to the module.
    pub check_errors: usize,
    pub generate_time: Duration,
    /// The time of the `cargo check` that checked it; `None` if not checked.
    pub check_time: Option<Duration>,
    /// Crates the module uses (`Output::crates`).
    pub crates: Vec<String>,
}

/// What a corpus run measured.
#[derive(Debug, Clone)]
pub struct Summary {
    pub kind: Kind,
    /// Whether the run stopped after generation (no `cargo check`).
    pub generate_only: bool,
    pub rows: Vec<Row>,
}

impl Summary {
    /// The outcome that counts as success in this run.
    fn success(&self) -> Outcome {
        if self.generate_only {
            Outcome::Generated
        } else {
            Outcome::Compiled
        }
    }

    /// Specs whose module compiled (generated, with `--generate-only`).
    pub fn compiled(&self) -> usize {
        let success = self.success();
        self.rows.iter().filter(|r| r.outcome == success).count()
    }

    /// Methods generated for the specs that compiled (generated).
    pub fn compiled_operations(&self) -> usize {
        let success = self.success();
        self.rows
            .iter()
            .filter(|r| r.outcome == success)
            .map(|r| r.generated_operations)
            .sum()
    }

    /// Operations the manifest counts over all specs measured.
    pub fn manifest_operations(&self) -> usize {
        self.rows.iter().map(|r| r.manifest_operations).sum()
    }

    /// Specs that ended with `outcome`.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.rows.iter().filter(|r| r.outcome == outcome).count()
    }
}

/// `compiled N/M specs, K/L operations` (`generated …` with
/// `--generate-only`), with the share of specs, and the panics, aborts
/// and timeouts when there are any.
impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.rows.len();
        write!(
            f,
            "{} {}/{} specs ({:.1} %), {}/{} operations",
            if self.generate_only {
                "generated"
            } else {
                "compiled"
            },
            self.compiled(),
            total,
            100.0 * self.compiled() as f64 / total.max(1) as f64,
            self.compiled_operations(),
            self.manifest_operations()
        )?;
        for outcome in [Outcome::Panicked, Outcome::Aborted, Outcome::TimedOut] {
            let n = self.count(outcome);
            if n > 0 {
                write!(f, ", {n} {outcome}")?;
            }
        }
        Ok(())
    }
}

/// How a corpus run is done (`cargo xtask corpus` flags).
#[derive(Debug, Clone)]
pub struct Options {
    /// Which entries of the set.
    pub kind: Kind,
    /// Where the TSV goes (default `target/<set>-<kind>.tsv`).
    pub out: Option<PathBuf>,
    /// Generate only, no `cargo check` (`--generate-only`).
    pub generate_only: bool,
    /// Every `n`th entry of the kind, starting with the first (`--sample n`).
    pub sample: Option<usize>,
    /// Generator processes run at once (`--jobs n`).
    pub jobs: usize,
    /// Time limit of one spec's generation.
    pub generate_timeout: Duration,
}

impl Options {
    pub fn new(kind: Kind) -> Options {
        Options {
            kind,
            out: None,
            generate_only: false,
            sample: None,
            jobs: 2,
            generate_timeout: GENERATE_TIMEOUT,
        }
    }

    /// The name of this run's report and TSV: `<set>-<kind>`, plus
    /// `-every<n>` for a sample and `-generate` without the check.
    fn report_name(&self, set_root: &Path) -> String {
        let set_name = set_root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "set".to_string());
        let mut name = format!("{set_name}-{}", self.kind.as_str());
        if let Some(n) = self.sample {
            name.push_str(&format!("-every{n}"));
        }
        if self.generate_only {
            name.push_str("-generate");
        }
        name
    }

    /// The command line that reproduces this run (for the report).
    fn command(&self, set_name: &str) -> String {
        let mut command = format!("cargo xtask corpus {set_name}");
        if self.kind != Kind::All {
            command.push_str(&format!(" --kind {}", self.kind.as_str()));
        }
        if let Some(n) = self.sample {
            command.push_str(&format!(" --sample {n}"));
        }
        if self.generate_only {
            command.push_str(" --generate-only");
        }
        command
    }
}

/// `cargo xtask corpus …`: parses the arguments after `corpus`, runs, and
/// prints the summary as the last line.
pub fn main(root: &Path, args: &[&str]) -> Result<()> {
    let mut set_root = None;
    let mut options = Options::new(Kind::All);
    let mut args = args.iter();
    let value = |args: &mut std::slice::Iter<&str>, flag: &str| {
        args.next()
            .map(|v| v.to_string())
            .ok_or_else(|| anyhow!("{flag} needs a value\n{USAGE}"))
    };
    let count = |text: String, flag: &str| -> Result<usize> {
        text.parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| anyhow!("{flag} takes a positive number, not `{text}`\n{USAGE}"))
    };
    while let Some(arg) = args.next() {
        match *arg {
            "--kind" => {
                let kind = value(&mut args, "--kind")?;
                options.kind =
                    Kind::parse(&kind).ok_or_else(|| anyhow!("unknown kind `{kind}`\n{USAGE}"))?;
            }
            "--out" => options.out = Some(PathBuf::from(value(&mut args, "--out")?)),
            "--generate-only" => options.generate_only = true,
            "--sample" => options.sample = Some(count(value(&mut args, "--sample")?, "--sample")?),
            "--jobs" => options.jobs = count(value(&mut args, "--jobs")?, "--jobs")?,
            "--timeout" => {
                let secs = count(value(&mut args, "--timeout")?, "--timeout")?;
                options.generate_timeout = Duration::from_secs(secs as u64);
            }
            flag if flag.starts_with("--") => bail!("unknown option `{flag}`\n{USAGE}"),
            path if set_root.is_none() => set_root = Some(PathBuf::from(path)),
            extra => bail!("unexpected argument `{extra}`\n{USAGE}"),
        }
    }
    let set_root = set_root.unwrap_or_else(|| root.join(DEFAULT_SET_ROOT));
    let summary = run(root, &set_root, &options)?;
    println!("{summary}");
    Ok(())
}

/// The entries of `kind` in the set's manifest, sampled as `options` asks.
pub fn select_entries(set_root: &Path, options: &Options) -> Result<Vec<SetEntry>> {
    let manifest_path = set_root.join(SET_MANIFEST);
    let text = fs::read_to_string(&manifest_path)
        .with_context(|| format!("reading {}", manifest_path.display()))?;
    let entries: Vec<SetEntry> = parse_set_manifest(&manifest_path.display().to_string(), &text)?
        .into_iter()
        .filter(|e| options.kind.includes(&e.format))
        .enumerate()
        .filter(|(i, _)| options.sample.is_none_or(|n| i % n == 0))
        .map(|(_, e)| e)
        .collect();
    if entries.is_empty() {
        bail!(
            "{}: no {} entries",
            manifest_path.display(),
            options.kind.as_str()
        );
    }
    Ok(entries)
}

/// Measures every selected entry of the set at `set_root`: generates each
/// in a child process, checks the modules that generated (unless
/// `generate_only`), writes the TSV and `docs/<set>-<kind>….md`, and
/// returns the rows.
pub fn run(root: &Path, set_root: &Path, options: &Options) -> Result<Summary> {
    let entries = select_entries(set_root, options)?;
    let names = module_names(&entries);
    let report_name = options.report_name(set_root);
    let dir = root.join("target/corpus").join(&report_name);
    if dir.exists() {
        fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    let jobs: Vec<Job> = entries
        .iter()
        .zip(&names)
        .map(|(entry, module)| Job {
            entry: entry.clone(),
            module: module.clone(),
            code_path: (!options.generate_only).then(|| module_source(&dir, module)),
        })
        .collect();
    let started = Instant::now();
    let mut rows = generate_all(set_root, &jobs, options);
    eprintln!(
        "generation: {} specs in {:.0} s",
        rows.len(),
        started.elapsed().as_secs_f64()
    );

    let generated: BTreeMap<String, Vec<String>> = jobs
        .iter()
        .zip(&rows)
        .filter(|(_, row)| row.outcome == Outcome::Compiled)
        .map(|(job, row)| (job.module.clone(), row.crates.clone()))
        .collect();
    if options.generate_only {
        for row in rows.iter_mut().filter(|r| r.outcome == Outcome::Compiled) {
            row.outcome = Outcome::Generated;
        }
    } else if !generated.is_empty() {
        write_workspace(root, &dir, &generated)?;
        let check = check_in_chunks(&dir, &root.join("target/corpus-target"), &generated)?;
        for row in rows
            .iter_mut()
            .filter(|r| generated.contains_key(&r.module))
        {
            let krate = crate_name(&row.module);
            row.check_time = check.time.get(&krate).copied();
            if let Some(errors) = check.errors.get(&krate) {
                row.outcome = Outcome::CheckFailed;
                row.check_errors = errors.len();
                row.first_error = errors.first().cloned().unwrap_or_default();
            } else if check.finished.contains(&krate) {
                row.outcome = Outcome::Compiled;
            } else if check.timed_out.contains(&krate) {
                row.outcome = Outcome::TimedOut;
                row.first_error = format!(
                    "cargo check did not finish within {} s",
                    CRATE_CHECK_TIMEOUT.as_secs()
                );
            } else {
                // rustc died (e.g. out of memory) or never ran for it.
                row.outcome = Outcome::CheckFailed;
                row.first_error = check
                    .stderr
                    .lines()
                    .find(|l| l.contains(&format!("`{krate}`")))
                    .map_or_else(
                        || "cargo check ended without checking this crate".to_string(),
                        |l| format!("not checked: {}", l.trim()),
                    );
            }
        }
        if let Some(first) = check.unattributed.first() {
            eprintln!(
                "{} compiler errors outside the spec crates, first: {first}",
                check.unattributed.len()
            );
            if check.finished.is_empty() {
                bail!("cargo check failed outside the spec crates: {first}");
            }
        }
    }

    let summary = Summary {
        kind: options.kind,
        generate_only: options.generate_only,
        rows,
    };
    let tsv_path = options
        .out
        .clone()
        .unwrap_or_else(|| root.join(format!("target/{report_name}.tsv")));
    write_file(&tsv_path, &tsv(&summary))?;
    eprintln!("wrote {}", tsv_path.display());
    let report_path = root.join(format!("docs/{report_name}.md"));
    write_file(&report_path, &markdown(&summary, set_root, options))?;
    eprintln!("wrote {}", report_path.display());
    Ok(summary)
}

/// One snake_case module name per entry, from the file name without its
/// extension, unique, and never the name of a crate the modules use.
fn module_names(entries: &[SetEntry]) -> Vec<String> {
    let mut namer = Namer::new();
    for taken in [
        "std",
        "core",
        "alloc",
        "serde",
        "serde_json",
        "chrono",
        "uuid",
        "regress",
        "wiregen_runtime",
        "runtime",
    ] {
        namer.reserve(taken);
    }
    entries
        .iter()
        .map(|e| {
            // The file name, or the folder names too when it is a generic
            // `openapi.json` (APIs.guru lays out `<provider>/<version>/openapi.json`).
            let file_name = e.file.rsplit('/').next().unwrap_or(&e.file);
            let stem = file_name
                .rsplit_once('.')
                .map_or(file_name, |(stem, _)| stem);
            let stem = if matches!(stem, "openapi" | "swagger") {
                let parts: Vec<&str> = e.file.split('/').collect();
                let tail = parts.len().saturating_sub(3);
                parts[tail.min(parts.len())..parts.len().saturating_sub(1)]
                    .iter()
                    .filter(|p| *p != &"openapi")
                    .copied()
                    .collect::<Vec<_>>()
                    .join("_")
            } else {
                stem.to_string()
            };
            namer.name(&stem, Case::Snake)
        })
        .collect()
}

/// One spec to generate.
#[derive(Debug, Clone)]
struct Job {
    entry: SetEntry,
    module: String,
    /// Where the child writes the module's code; `None` when only
    /// generation is measured.
    code_path: Option<PathBuf>,
}

/// `<dir>/specs/<module>/src/<module>.rs`.
fn module_source(dir: &Path, module: &str) -> PathBuf {
    let stem = module.trim_start_matches("r#");
    dir.join("specs")
        .join(stem)
        .join("src")
        .join(format!("{stem}.rs"))
}

/// Generates every job, `options.jobs` child processes at a time, printing
/// one progress line per spec; the rows come back in job order.
fn generate_all(set_root: &Path, jobs: &[Job], options: &Options) -> Vec<Row> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let rows: Mutex<Vec<Option<Row>>> = Mutex::new(vec![None; jobs.len()]);
    thread::scope(|scope| {
        for _ in 0..options.jobs.max(1) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::SeqCst);
                let Some(job) = jobs.get(index) else { break };
                let row = generate_in_child(set_root, job, options.generate_timeout);
                let finished = done.fetch_add(1, Ordering::SeqCst) + 1;
                eprintln!(
                    "[{finished}/{}] {} … {} ({:.1} s, {} ops)",
                    jobs.len(),
                    job.entry.file,
                    if row.outcome == Outcome::Compiled {
                        "generated"
                    } else {
                        row.outcome.as_str()
                    },
                    row.generate_time.as_secs_f64(),
                    row.generated_operations,
                );
                if let Ok(mut rows) = rows.lock() {
                    rows[index] = Some(row);
                }
            });
        }
    });
    rows.into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect()
}

/// The hidden subcommand the child process runs.
pub const CHILD_COMMAND: &str = "corpus-generate-one";
/// The prefix of the child's one result line on stdout.
const RESULT_PREFIX: &str = "wiregen-corpus-result ";

/// Runs `xtask corpus-generate-one` for one job, with a time limit after
/// which the child is killed. An abort (stack overflow, out of memory)
/// costs this spec alone.
fn generate_in_child(set_root: &Path, job: &Job, timeout: Duration) -> Row {
    let mut row = Row {
        file: job.entry.file.clone(),
        format: job.entry.format.clone(),
        module: job.module.clone(),
        manifest_operations: job.entry.operations,
        generated_operations: 0,
        outcome: Outcome::Compiled,
        first_error: String::new(),
        diagnostics: 0,
        check_errors: 0,
        generate_time: Duration::ZERO,
        check_time: None,
        crates: Vec::new(),
    };
    let started = Instant::now();
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            row.outcome = Outcome::GenerateFailed;
            row.first_error = format!("cannot find the xtask binary: {e}");
            return row;
        }
    };
    let mut command = Command::new(exe);
    command
        .arg(CHILD_COMMAND)
        .arg(set_root)
        .arg(&job.entry.file)
        .arg(&job.entry.format)
        .arg(&job.module);
    if let Some(path) = &job.code_path {
        command.arg(path);
    }
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            row.outcome = Outcome::GenerateFailed;
            row.first_error = format!("cannot start the generator process: {e}");
            return row;
        }
    };
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let out_reader = thread::spawn(move || read_all(stdout));
    let err_reader = thread::spawn(move || read_all(stderr));
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > timeout => {
                // Ignored: the child may have exited in the meantime.
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => thread::sleep(Duration::from_millis(20)),
            Err(_) => break None,
        }
    };
    row.generate_time = started.elapsed();
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    let Some(status) = status else {
        row.outcome = Outcome::TimedOut;
        row.first_error = format!("generation did not finish within {} s", timeout.as_secs());
        return row;
    };
    let result = stdout
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix(RESULT_PREFIX))
        .and_then(|json| serde_json::from_str::<serde_json::Value>(json).ok());
    let Some(result) = result else {
        row.outcome = Outcome::Aborted;
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        row.first_error = format!("generator process ended with {status}: {}", last.trim());
        return row;
    };
    let text = |key: &str| result[key].as_str().unwrap_or_default().to_string();
    match result["status"].as_str() {
        Some("done") => {
            row.generated_operations = result["operations"].as_u64().unwrap_or(0) as usize;
            row.diagnostics = result["diagnostics"].as_u64().unwrap_or(0) as usize;
            row.crates = result["crates"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|c| c.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
        }
        Some("panicked") => {
            row.outcome = Outcome::Panicked;
            row.first_error = text("message");
        }
        _ => {
            row.outcome = Outcome::GenerateFailed;
            row.first_error = text("message");
        }
    }
    row
}

fn read_all(pipe: Option<impl Read>) -> String {
    let mut bytes = Vec::new();
    if let Some(mut pipe) = pipe {
        // A partial read still helps; the outcome does not depend on it.
        let _ = pipe.read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The child side (`xtask corpus-generate-one <set-root> <file> <format>
/// <module> [<code-path>]`): generates one spec on a thread with a large
/// stack, writes the code to `<code-path>` if given, and prints one result
/// line (JSON) on stdout.
pub fn generate_one(args: &[&str]) -> Result<()> {
    let [set_root, file, format, module, rest @ ..] = args else {
        bail!("usage: xtask {CHILD_COMMAND} <set-root> <file> <format> <module> [<code-path>]");
    };
    let code_path = rest.first().map(PathBuf::from);
    let files = DirFiles {
        root: PathBuf::from(set_root),
    };
    let api = ApiSpec {
        name: module.to_string(),
        kind: api_kind(format),
        title: None,
        files: vec![SpecFile {
            path: file.to_string(),
            sha256: None,
            origin: None,
        }],
        overlays: Vec::new(),
        catalog: BTreeMap::new(),
    };
    let worker = thread::Builder::new()
        .name(format!("generate {module}"))
        .stack_size(GENERATOR_STACK)
        .spawn(move || {
            // Panics the generator catches (typify's) are recorded, not
            // printed; the last one names an uncaught panic.
            let (result, panics) = wiregen::with_quiet_panics(|| {
                catch_unwind(AssertUnwindSafe(|| wiregen_codegen::generate(&files, &api)))
            });
            match result {
                Ok(Ok(output)) => Ok(Ok(output)),
                Ok(Err(error)) => Ok(Err(error.to_string())),
                Err(payload) => Err(panics
                    .last()
                    .cloned()
                    .unwrap_or_else(|| panic_message(payload.as_ref()))),
            }
        })
        .context("starting the generator thread")?;
    let result = worker
        .join()
        .unwrap_or_else(|_| Err("generator thread ended without a result".to_string()));
    let line = match result {
        Ok(Ok(output)) => {
            // For a person running the child by hand; the parent reads
            // stderr only when the child dies.
            for diagnostic in &output.diagnostics {
                eprintln!("{diagnostic}");
            }
            if let Some(path) = code_path {
                write_file(&path, &output.code)?;
            }
            serde_json::json!({
                "status": "done",
                "operations": output.operations,
                "diagnostics": output.diagnostics.len(),
                "crates": output.crates,
            })
        }
        Ok(Err(message)) => serde_json::json!({ "status": "failed", "message": message }),
        Err(message) => serde_json::json!({ "status": "panicked", "message": message }),
    };
    println!("{RESULT_PREFIX}{line}");
    Ok(())
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-string panic payload)".to_string()
    }
}

/// The package (and library target) name of a module's crate.
fn crate_name(module: &str) -> String {
    format!("corpus_{}", module.trim_start_matches("r#"))
}

/// Writes the temporary workspace in `dir` around the module sources the
/// children wrote: `Cargo.toml` listing `specs/*`, the workspace's
/// `Cargo.lock` (so dependencies resolve to the versions the workspace
/// uses, without fetching the index), and per module a crate
/// `specs/<module>/` whose `src/lib.rs` declares the module as
/// `generated/src/lib.rs` does.
///
/// One crate per spec, not one crate for all: rustc's memory grows with the
/// crate (the OpenAPI corpus as one crate, 64 MB of Rust, went past 23 GB),
/// and an error in one spec cannot hide errors in another.
fn write_workspace(root: &Path, dir: &Path, modules: &BTreeMap<String, Vec<String>>) -> Result<()> {
    write_file(
        &dir.join("Cargo.toml"),
        "# Written by `cargo xtask corpus`; rewritten on every run.\n\
         [workspace]\n\
         resolver = \"2\"\n\
         members = [\"specs/*\"]\n",
    )?;
    let lock = root.join("Cargo.lock");
    if lock.exists() {
        fs::copy(&lock, dir.join("Cargo.lock"))
            .with_context(|| format!("copying {}", lock.display()))?;
    }
    for (module, crates) in modules {
        let file_stem = module.trim_start_matches("r#");
        let crate_dir = dir.join("specs").join(file_stem);
        let crates: Vec<&str> = crates.iter().map(String::as_str).collect();
        let manifest = crate::compile_check::package_manifest(root, &crate_name(module), &crates);
        write_file(&crate_dir.join("Cargo.toml"), &manifest)?;
        write_file(
            &crate_dir.join("src/lib.rs"),
            &format!(
                "//! Written by `cargo xtask corpus`.\n\n#[rustfmt::skip]\npub mod {module};\n"
            ),
        )?;
    }
    Ok(())
}

/// Crates checked by one `cargo check`.
const CHECK_CHUNK: usize = 16;

/// Checks the crates of `modules` in chunks of [`CHECK_CHUNK`], each
/// chunk with a time limit; the crates of a chunk that ran out of time and
/// did not finish are checked again one by one with
/// [`CRATE_CHECK_TIMEOUT`], so one slow crate cannot time out the others.
fn check_in_chunks(
    dir: &Path,
    target_dir: &Path,
    modules: &BTreeMap<String, Vec<String>>,
) -> Result<Check> {
    let crates: Vec<String> = modules.keys().map(|m| crate_name(m)).collect();
    let mut total = Check::default();
    let chunks: Vec<&[String]> = crates.chunks(CHECK_CHUNK).collect();
    for (index, chunk) in chunks.iter().enumerate() {
        eprintln!(
            "cargo check, chunk {}/{} ({} crates) …",
            index + 1,
            chunks.len(),
            chunk.len()
        );
        let check = check_workspace(dir, target_dir, chunk, CHUNK_CHECK_TIMEOUT)?;
        eprintln!("  took {:.1} s", check.elapsed.as_secs_f64());
        let retry: Vec<String> = if check.timed_out_run {
            chunk
                .iter()
                .filter(|c| !check.finished.contains(*c))
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        total.absorb(check, chunk);
        for krate in retry {
            eprintln!("  {krate} alone …");
            let single = check_workspace(
                dir,
                target_dir,
                std::slice::from_ref(&krate),
                CRATE_CHECK_TIMEOUT,
            )?;
            if single.timed_out_run && !single.finished.contains(&krate) {
                total.timed_out.insert(krate.clone());
            }
            total.absorb(single, std::slice::from_ref(&krate));
        }
    }
    Ok(total)
}

/// What `cargo check` found, by crate (library target) name.
#[derive(Debug, Default)]
struct Check {
    /// Compiler errors (short form) by crate, in the order reported.
    errors: BTreeMap<String, Vec<String>>,
    /// Crates whose check ran to the end (with or without errors).
    finished: BTreeSet<String>,
    /// Crates that ran out of time alone.
    timed_out: BTreeSet<String>,
    /// Errors in crates other than the spec crates (e.g. a dependency).
    unattributed: Vec<String>,
    /// Whether this run was killed at its time limit.
    timed_out_run: bool,
    /// How long this run took.
    elapsed: Duration,
    /// Check time per crate: the time of the run that finished it.
    time: BTreeMap<String, Duration>,
    /// Cargo's own messages (`could not compile …`).
    stderr: String,
}

impl Check {
    /// Adds the findings of one run over `crates`.
    fn absorb(&mut self, run: Check, crates: &[String]) {
        for (krate, errors) in run.errors {
            self.errors.entry(krate).or_default().extend(errors);
        }
        for krate in crates {
            if run.finished.contains(krate) {
                self.time.insert(krate.clone(), run.elapsed);
            }
        }
        self.finished.extend(run.finished);
        self.unattributed.extend(run.unattributed);
        self.stderr.push_str(&run.stderr);
    }
}

/// Runs `cargo check` on `crates` of the workspace in `dir`, going on
/// past crates that fail (`--keep-going`), with `target_dir`, killing it
/// after `timeout`.
fn check_workspace(
    dir: &Path,
    target_dir: &Path,
    crates: &[String],
    timeout: Duration,
) -> Result<Check> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = Instant::now();
    let mut command = Command::new(cargo);
    command.args([
        "check",
        "--lib",
        "--keep-going",
        "--message-format=json-diagnostic-short",
    ]);
    for krate in crates {
        command.args(["-p", krate]);
    }
    let mut child = command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("starting cargo check")?;
    let stdout = child.stdout.take().context("cargo check stdout")?;
    let mut stderr = child.stderr.take().context("cargo check stderr")?;
    let out_reader = thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .filter_map(|line| cargo_message(&line))
            .collect::<Vec<CargoMessage>>()
    });
    let err_reader = thread::spawn(move || {
        let mut text = String::new();
        // A partial read still helps; the outcome does not depend on it.
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut check = Check::default();
    loop {
        if child
            .try_wait()
            .context("waiting for cargo check")?
            .is_some()
        {
            break;
        }
        if started.elapsed() > timeout {
            // Ignored: the child may have exited in the meantime.
            let _ = child.kill();
            let _ = child.wait();
            check.timed_out_run = true;
            break;
        }
        thread::sleep(Duration::from_millis(200));
    }
    check.elapsed = started.elapsed();
    let messages = out_reader.join().unwrap_or_default();
    check.stderr = err_reader.join().unwrap_or_default();
    for message in messages {
        match message {
            CargoMessage::Error { krate, rendered } if krate.starts_with("corpus_") => {
                check.errors.entry(krate).or_default().push(rendered)
            }
            CargoMessage::Error { rendered, .. } => check.unattributed.push(rendered),
            CargoMessage::Finished { krate } => {
                check.finished.insert(krate);
            }
        }
    }
    Ok(check)
}

/// What matters in one line of `cargo check --message-format=json…`.
#[derive(Debug, PartialEq, Eq)]
enum CargoMessage {
    /// A compiler error in crate `krate`, short form (`path:line:col:
    /// error[E…]: …`), on one line.
    Error { krate: String, rendered: String },
    /// The check of `krate` ran to the end: an artifact (no errors) or the
    /// `aborting due to N previous errors` summary.
    Finished { krate: String },
}

/// Reads one line of cargo's JSON output; warnings, notes, build scripts
/// and anything else are `None`.
fn cargo_message(line: &str) -> Option<CargoMessage> {
    let value: serde_json::Value = serde_json::from_str(line).ok()?;
    let krate = value.get("target")?.get("name")?.as_str()?.to_string();
    match value.get("reason")?.as_str()? {
        "compiler-artifact" => Some(CargoMessage::Finished { krate }),
        "compiler-message" => {
            let message = value.get("message")?;
            if message.get("level")?.as_str()? != "error" {
                return None;
            }
            let text = message.get("message")?.as_str()?;
            if text.starts_with("aborting due to") {
                return Some(CargoMessage::Finished { krate });
            }
            let rendered = message
                .get("rendered")
                .and_then(|r| r.as_str())
                .unwrap_or(text);
            Some(CargoMessage::Error {
                krate,
                rendered: one_line(rendered),
            })
        }
        _ => None,
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// The TSV: a header, then one row per spec in manifest order. Times in
/// seconds; the check time is the shared time of the one `cargo check`.
fn tsv(summary: &Summary) -> String {
    let mut text = String::from(
        "file\tformat\tmanifest_operations\tgenerated_operations\toutcome\tfirst_error\t\
         diagnostics\tgenerate_s\tcheck_s\tmodule\tcheck_errors\n",
    );
    for r in &summary.rows {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:.3}\t{}\t{}\t{}\n",
            one_line(&r.file),
            r.format,
            r.manifest_operations,
            r.generated_operations,
            r.outcome,
            one_line(&r.first_error),
            r.diagnostics,
            r.generate_time.as_secs_f64(),
            r.check_time
                .map(|t| format!("{:.3}", t.as_secs_f64()))
                .unwrap_or_default(),
            r.module,
            r.check_errors,
        ));
    }
    text
}

/// The committed report: the summary, counts per outcome and a table of the
/// rows, without timings (they are in the TSV) so it only changes when the
/// results do.
fn markdown(summary: &Summary, set_root: &Path, options: &Options) -> String {
    let set_name = set_root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| set_root.display().to_string());
    let sample = match options.sample {
        Some(n) => format!(
            " A fixed sample: every {n}th {} entry of the manifest, starting with the first.",
            summary.kind.as_str()
        ),
        None => String::new(),
    };
    let mut text = format!(
        "# Corpus report ({})\n\n\
         Written by `{}` on the `{set_name}` set \
         (see README.md, \"Measuring on the corpus\"); do not edit.{sample} Timings are in \
         the TSV the command writes, not here.\n\n\
         **{summary}**\n\n\
         | outcome | specs |\n|---|---:|\n",
        summary.kind.as_str(),
        options.command(&set_name),
    );
    let mut counts: BTreeMap<Outcome, usize> = BTreeMap::new();
    for r in &summary.rows {
        *counts.entry(r.outcome).or_default() += 1;
    }
    for (outcome, count) in counts {
        text.push_str(&format!("| {outcome} | {count} |\n"));
    }
    let table_head =
        "\n| file | format | operations | methods | outcome | diagnostics | first error |\n\
         |---|---|---:|---:|---|---:|---|\n";
    let failures: Vec<&Row> = summary
        .rows
        .iter()
        .filter(|r| r.outcome != summary.success())
        .collect();
    if !failures.is_empty() && failures.len() < summary.rows.len() {
        text.push_str("\n## Failures\n");
        text.push_str(table_head);
        for r in failures {
            text.push_str(&table_row(r));
        }
    }
    text.push_str("\n## Every spec\n");
    text.push_str(table_head);
    for r in &summary.rows {
        text.push_str(&table_row(r));
    }
    text
}

fn table_row(r: &Row) -> String {
    format!(
        "| {} | {} | {} | {} | {} | {} | {} |\n",
        md_escape(&r.file),
        md_escape(&r.format),
        r.manifest_operations,
        r.generated_operations,
        r.outcome,
        r.diagnostics,
        md_escape(&truncate(&one_line(&r.first_error), REPORT_ERROR_CHARS)),
    )
}

fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// Escapes what markdown (in a table cell) would otherwise interpret.
fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '<' | '>' | '|' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_set_manifest_by_header() {
        let text = "file\tformat\tbytes\toperations\tsource_repo\r\n\
                    openapi/a-b.yaml\topenapi-3.0\t100\t22\tx/y\r\n\
                    \n\
                    wsdl/c/D.wsdl\twsdl-1.1\t5\t3\tx/z\n";
        let entries = parse_set_manifest("MANIFEST.tsv", text).unwrap();
        assert_eq!(
            entries,
            vec![
                SetEntry {
                    file: "openapi/a-b.yaml".into(),
                    format: "openapi-3.0".into(),
                    operations: 22,
                },
                SetEntry {
                    file: "wsdl/c/D.wsdl".into(),
                    format: "wsdl-1.1".into(),
                    operations: 3,
                },
            ]
        );
        assert!(Kind::Wsdl.includes(&entries[1].format));
        assert!(!Kind::Wsdl.includes(&entries[0].format));
        assert!(Kind::OpenApi.includes("swagger-2.0"));
    }

    #[test]
    fn rejects_bad_set_manifest() {
        let missing = parse_set_manifest("M", "file\tformat\nx\ty\n").unwrap_err();
        assert!(
            missing.to_string().contains("no `operations` column"),
            "{missing}"
        );
        let bad = parse_set_manifest("M", "file\tformat\toperations\nx\ty\tmany\n").unwrap_err();
        assert_eq!(
            bad.to_string(),
            "M:2: `operations` is `many`, expected a count"
        );
        let short = parse_set_manifest("M", "file\tformat\toperations\nx\ty\n").unwrap_err();
        assert_eq!(short.to_string(), "M:2: missing `operations`");
    }

    #[test]
    fn module_names_are_unique_snake_case() {
        let entry = |file: &str| SetEntry {
            file: file.into(),
            format: "openapi-3.0".into(),
            operations: 0,
        };
        let names = module_names(&[
            entry("openapi/digitalocean-public-v2/DigitalOcean-public.v2.yaml"),
            entry("openapi/a/spec.json"),
            entry("openapi/b/spec.yaml"),
            entry("openapi/serde.json"),
        ]);
        assert_eq!(crate_name(&names[0]), "corpus_digital_ocean_public_v2");
        assert_eq!(
            names,
            ["digital_ocean_public_v2", "spec", "spec_2", "serde_2"]
        );
    }

    /// A real line of `cargo check --message-format=json-diagnostic-short`
    /// on the Discord spec's crate, cut down (target details, the error
    /// code's explanation, span texts and children removed).
    const ERROR_LINE: &str = r#"{"reason":"compiler-message","package_id":"path+file:///w/target/corpus/openapi/specs/discord_api#corpus_discord_api@0.0.0","manifest_path":"/w/target/corpus/openapi/specs/discord_api/Cargo.toml","target":{"kind":["lib"],"name":"corpus_discord_api"},"message":{"rendered":"specs/discord_api/src/discord_api.rs:30545:5: error[E0428]: the name `BlockMessageActionMetadata` is defined multiple times: `BlockMessageActionMetadata` redefined here\n","$message_type":"diagnostic","children":[],"code":{"code":"E0428","explanation":null},"level":"error","message":"the name `BlockMessageActionMetadata` is defined multiple times","spans":[{"byte_end":1208048,"byte_start":1208013,"column_end":40,"column_start":5,"expansion":null,"file_name":"specs/discord_api/src/discord_api.rs","is_primary":true,"label":"`BlockMessageActionMetadata` redefined here","line_end":30545,"line_start":30545,"suggested_replacement":null,"suggestion_applicability":null,"text":[]}]}}"#;

    #[test]
    fn reads_cargo_messages_by_crate() {
        assert_eq!(
            cargo_message(ERROR_LINE),
            Some(CargoMessage::Error {
                krate: "corpus_discord_api".into(),
                rendered: "specs/discord_api/src/discord_api.rs:30545:5: error[E0428]: the name \
                           `BlockMessageActionMetadata` is defined multiple times: \
                           `BlockMessageActionMetadata` redefined here"
                    .into(),
            })
        );
        // The summary at the end of a failed crate: its check is complete.
        let aborting = r#"{"reason":"compiler-message","target":{"name":"corpus_x"},"message":{"rendered":"error: aborting due to 2 previous errors\n","level":"error","message":"aborting due to 2 previous errors","spans":[]}}"#;
        assert_eq!(
            cargo_message(aborting),
            Some(CargoMessage::Finished {
                krate: "corpus_x".into()
            })
        );
        let artifact = r#"{"reason":"compiler-artifact","package_id":"p","target":{"name":"corpus_y"},"fresh":false}"#;
        assert_eq!(
            cargo_message(artifact),
            Some(CargoMessage::Finished {
                krate: "corpus_y".into()
            })
        );
        // Warnings and other messages are skipped.
        let warning = ERROR_LINE.replace(r#""level":"error""#, r#""level":"warning""#);
        assert_eq!(cargo_message(&warning), None);
        assert_eq!(
            cargo_message(r#"{"reason":"build-finished","success":false}"#),
            None
        );
        assert_eq!(cargo_message("not json"), None);
    }

    #[test]
    fn summary_line_counts_compiled_specs_and_their_methods() {
        let row = |outcome, manifest, generated| Row {
            file: "f".into(),
            format: "openapi-3.0".into(),
            module: "f".into(),
            manifest_operations: manifest,
            generated_operations: generated,
            outcome,
            first_error: String::new(),
            diagnostics: 0,
            check_errors: 0,
            generate_time: Duration::ZERO,
            check_time: None,
            crates: Vec::new(),
        };
        let summary = Summary {
            kind: Kind::OpenApi,
            generate_only: false,
            rows: vec![
                row(Outcome::Compiled, 10, 9),
                row(Outcome::CheckFailed, 5, 5),
                row(Outcome::GenerateFailed, 7, 0),
            ],
        };
        assert_eq!(
            summary.to_string(),
            "compiled 1/3 specs (33.3 %), 9/22 operations"
        );
        let mut options = Options::new(Kind::OpenApi);
        options.sample = Some(10);
        let report = markdown(&summary, Path::new("/x/corpus"), &options);
        assert!(report.contains("**compiled 1/3 specs (33.3 %), 9/22 operations**"));
        assert!(report.contains("`cargo xtask corpus corpus --kind openapi --sample 10`"));
        assert!(report.contains("## Failures"));
        assert!(report.contains("| check-failed | 1 |"));
    }

    #[test]
    fn escapes_markdown_cells() {
        assert_eq!(md_escape("a|b <T> `x`"), "a\\|b \\<T\\> \\`x\\`");
        assert_eq!(truncate("héllo", 2), "hé…");
    }
}
