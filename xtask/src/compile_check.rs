//! Compiles generated modules outside the workspace: writes a throwaway
//! crate with the modules (depending on `wiregen-runtime` by absolute path)
//! and runs `cargo check` on it, with one target folder shared by every
//! run under the workspace's `target/`. Used by the corpus test and
//! `cargo xtask corpus`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

/// One module to compile.
#[derive(Debug, Clone)]
pub struct Module {
    /// Module name: a snake_case identifier, unique in the crate.
    pub name: String,
    /// The generated source.
    pub code: String,
    /// Crates the module needs beyond serde, serde_json and
    /// wiregen-runtime (`Output::crates`).
    pub crates: Vec<String>,
}

/// Whether one module compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleResult {
    pub name: String,
    pub ok: bool,
    /// The first error reported in the module's file, if any.
    pub first_error: Option<String>,
}

/// The folder that holds the throwaway crates and their shared target.
pub fn work_dir(root: &Path) -> PathBuf {
    root.join("target").join("compile-check")
}

/// The `Cargo.toml` of a throwaway crate holding generated modules: the
/// dependencies every module has (`wiregen-runtime` by absolute path,
/// serde, serde_json) and `crates` (`Output::crates`, deduplicated), with
/// the workspace's versions. Shared with `cargo xtask corpus`.
pub fn package_manifest(root: &Path, crate_name: &str, crates: &[&str]) -> String {
    let runtime = root
        .join("runtime")
        .to_string_lossy()
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    let mut manifest = format!(
        "[package]\nname = \"{crate_name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n\
         wiregen-runtime = {{ path = \"{runtime}\" }}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n"
    );
    let crates: std::collections::BTreeSet<&str> = crates.iter().copied().collect();
    for krate in crates {
        manifest.push_str(&format!(
            "{krate} = {{ {} }}\n",
            wiregen_codegen::settings::dependency_spec(krate)
        ));
    }
    manifest
}

/// Writes crate `crate_name` with `modules` and runs `cargo check` on it.
/// A module fails if the compiler reports an error in its file; an error
/// outside every module file (e.g. a dependency that does not resolve)
/// fails them all with that message.
pub fn check_modules(
    root: &Path,
    crate_name: &str,
    modules: &[Module],
) -> Result<Vec<ModuleResult>> {
    let dir = work_dir(root).join(crate_name);
    let src = dir.join("src");
    if src.exists() {
        fs::remove_dir_all(&src).with_context(|| format!("clearing {}", src.display()))?;
    }
    fs::create_dir_all(&src).with_context(|| format!("creating {}", src.display()))?;
    let extra: Vec<&str> = modules
        .iter()
        .flat_map(|m| m.crates.iter().map(String::as_str))
        .collect();
    let mut manifest = package_manifest(root, crate_name, &extra);
    manifest.push_str("\n# Not part of the wiregen workspace.\n[workspace]\n");
    fs::write(dir.join("Cargo.toml"), manifest)?;
    // Same dependency versions as the workspace, so nothing new is fetched.
    if let Ok(lock) = fs::read(root.join("Cargo.lock")) {
        fs::write(dir.join("Cargo.lock"), lock)?;
    }
    let mut lib = String::from("//! Generated modules under compile check.\n");
    for m in modules {
        lib.push_str(&format!("pub mod {};\n", m.name));
        fs::write(src.join(format!("{}.rs", m.name)), &m.code)?;
    }
    fs::write(src.join("lib.rs"), lib)?;

    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string()))
        .arg("check")
        .arg("--quiet")
        .arg("--message-format=short")
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(work_dir(root).join("target"))
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .context("running cargo check")?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error")).collect();
    let mut results = Vec::new();
    for m in modules {
        let file = format!("src/{}.rs:", m.name);
        let first_error = errors
            .iter()
            .find(|l| l.contains(&file))
            .map(|l| l.to_string());
        results.push(ModuleResult {
            name: m.name.clone(),
            ok: first_error.is_none(),
            first_error,
        });
    }
    if !output.status.success() && results.iter().all(|r| r.ok) {
        let message = errors
            .first()
            .map_or_else(|| stderr.trim().to_string(), |l| l.to_string());
        for r in &mut results {
            r.ok = false;
            r.first_error = Some(message.clone());
        }
    }
    Ok(results)
}
