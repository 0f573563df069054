//! The Python the tests run (zeep, lxml, FastAPI, …): `python3` with the
//! pinned packages of `tests/python-requirements.txt`, installed by this
//! module on first use into `<target>/tmp/wiregen-python/<hash>/` with
//! `pip install --target`, so `cargo test` provisions its own tools on a
//! fresh machine (only `python3` with pip is needed) and writes nothing
//! outside the target folder. The folder is keyed by a hash of the
//! requirements, so changing a pin installs anew. Test processes that start
//! at the same time wait for one install (a lock folder).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

/// The requirements file, relative to the tests crate.
const REQUIREMENTS: &str = "python-requirements.txt";
/// How long a test waits for another process's install.
const INSTALL_WAIT: Duration = Duration::from_secs(15 * 60);

/// A `python3` command with the test packages importable. `target_tmp` is
/// the test's `env!("CARGO_TARGET_TMPDIR")`. Panics with what to do when
/// python3 or pip is missing or the install fails: a test that needs these
/// tools fails rather than skips.
pub fn python(target_tmp: &str) -> Command {
    let packages = packages(Path::new(target_tmp));
    let mut command = Command::new("python3");
    command.env("PYTHONPATH", &packages);
    command.env("PYTHONDONTWRITEBYTECODE", "1");
    command
}

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The folder holding the installed packages, installing them if needed.
fn packages(target_tmp: &Path) -> PathBuf {
    let requirements = crate_dir().join(REQUIREMENTS);
    let text = std::fs::read_to_string(&requirements)
        .unwrap_or_else(|e| panic!("reading {}: {e}", requirements.display()));
    let base = target_tmp.join("wiregen-python");
    let dir = base.join(format!("{:016x}", fnv1a(text.as_bytes())));
    let done = dir.join(".installed");
    if done.exists() {
        return dir;
    }
    std::fs::create_dir_all(&base).expect("creating the Python folder");
    let lock = base.join(format!("{:016x}.lock", fnv1a(text.as_bytes())));
    let started = Instant::now();
    loop {
        if done.exists() {
            return dir;
        }
        match std::fs::create_dir(&lock) {
            Ok(()) => break,
            Err(_) if stale(&lock) => {
                let _ = std::fs::remove_dir(&lock);
            }
            Err(_) if started.elapsed() < INSTALL_WAIT => {
                std::thread::sleep(Duration::from_millis(500));
            }
            Err(e) => panic!("waiting for the Python install at {}: {e}", lock.display()),
        }
    }
    let result = install(&requirements, &dir);
    let _ = std::fs::remove_dir(&lock);
    if let Err(message) = result {
        panic!("{message}");
    }
    dir
}

fn install(requirements: &Path, dir: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    eprintln!(
        "installing the test suite's Python packages ({}) into {} …",
        requirements.display(),
        dir.display()
    );
    let out = Command::new("python3")
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-warn-script-location",
            "--target",
        ])
        .arg(dir)
        .arg("-r")
        .arg(requirements)
        .output()
        .map_err(|e| format!("the tests need python3 with pip on PATH ({e})"))?;
    if !out.status.success() {
        return Err(format!(
            "`python3 -m pip install --target {} -r {}` failed:\n{}",
            dir.display(),
            requirements.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    std::fs::write(dir.join(".installed"), "").map_err(|e| e.to_string())
}

/// A lock older than the longest install is left over from a killed run.
fn stale(lock: &Path) -> bool {
    std::fs::metadata(lock)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age > INSTALL_WAIT)
}

/// FNV-1a, 64 bits: a stable folder name for the requirements' text.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}
