//! Where spec files come from. The generator reads through this trait so it
//! never does I/O itself; `xtask` supplies the file system, tests supply
//! [`MemoryFiles`].

use std::collections::BTreeMap;

/// Read access to spec files by path (forward slashes, relative to the spec
/// root, e.g. `rocket-chat/users-logout.json`).
pub trait FileSource {
    /// The text of the file, or an error message.
    fn read(&self, path: &str) -> Result<String, String>;
}

/// In-memory files, for tests and fixtures.
#[derive(Debug, Default, Clone)]
pub struct MemoryFiles(pub BTreeMap<String, String>);

impl MemoryFiles {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file and returns `self`, for chaining.
    pub fn with(mut self, path: &str, text: &str) -> Self {
        self.0.insert(path.to_string(), text.to_string());
        self
    }
}

impl FileSource for MemoryFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        self.0
            .get(path)
            .cloned()
            .ok_or_else(|| "no such file".to_string())
    }
}

/// Joins `relative` onto the folder of `base` and normalises `.` and `..`
/// segments. Both use forward slashes. A `..` that would climb above the
/// root stays in the result; [`resolve_reference`] and [`confine`] refuse
/// such paths.
pub fn resolve_relative(base: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for seg in relative.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if matches!(parts.last(), Some(p) if *p != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The one confinement rule for files a spec reaches (`$ref`s, WSDL and
/// XSD imports, overlays, catalog entries): the path of the file that
/// `reference` (a URI reference found in `base`, a spec-root-relative
/// path) names, percent-decoded (`%2e%2e` is `..`) and normalised, or why
/// it is not followed. Absolute paths (`/etc/passwd`, `C:\x`, `\\host`),
/// NUL characters and paths that climb above the spec root are refused;
/// `\` counts as a separator too. Remote URLs are the caller's business
/// (they are never read).
pub fn resolve_reference(base: &str, reference: &str) -> Result<String, String> {
    let decoded = percent_encoding::percent_decode_str(reference)
        .decode_utf8()
        .map_err(|_| "it is not UTF-8 once percent-decoded".to_string())?;
    let mut folder: Vec<&str> = base.split('/').collect();
    folder.pop();
    normalize(folder, &decoded)
}

/// Checks that `path` (spec-root-relative, not percent-encoded: a
/// manifest entry, a catalog value, a path built by a loader) stays inside
/// the spec root, and returns it normalised. See [`resolve_reference`].
pub fn confine(path: &str) -> Result<String, String> {
    normalize(Vec::new(), path)
}

/// The words a refusal to read outside the spec folder carries: a
/// [`FileSource`] that resolves symbolic links and refuses a file whose real
/// path is outside its root says so with this phrase, so the loaders report
/// it as a refusal (an error) and never degrade it like a missing file.
pub const OUTSIDE_SPEC_FOLDER: &str = "outside the spec folder";

/// Whether a read failed because the file lies outside the spec folder
/// ([`confine`]'s refusal or a [`FileSource`]'s, see
/// [`OUTSIDE_SPEC_FOLDER`]).
pub fn is_outside_spec_folder(message: &str) -> bool {
    message.contains(OUTSIDE_SPEC_FOLDER) || message.contains("leaves the spec folder")
}

/// Reads `path` through `files` after [`confine`]: every read of the
/// generator goes through here, so no spec reaches a file outside the
/// spec root whatever path it builds.
pub fn read_confined(files: &dyn FileSource, path: &str) -> Result<String, String> {
    let path = confine(path)?;
    files.read(&path)
}

fn normalize<'a>(mut parts: Vec<&'a str>, relative: &'a str) -> Result<String, String> {
    if relative.contains('\0') {
        return Err("it contains a NUL character".into());
    }
    let bytes = relative.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if relative.starts_with(['/', '\\']) || drive {
        return Err("it is an absolute path; only paths relative to the spec are followed".into());
    }
    for seg in relative.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err("it leaves the spec folder".into());
                }
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return Err("it names no file".into());
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(resolve_relative("a/b.json", "c.json"), "a/c.json");
        assert_eq!(resolve_relative("a/b/c.json", "../d/e.json"), "a/d/e.json");
        assert_eq!(resolve_relative("x.json", "./y.json"), "y.json");
        assert_eq!(resolve_relative("x.json", "../y.json"), "../y.json");
    }

    #[test]
    fn references_stay_inside_the_spec_root() {
        assert_eq!(resolve_reference("a/b.json", "c.json").unwrap(), "a/c.json");
        assert_eq!(
            resolve_reference("a/b/c.json", "../d%20e.json").unwrap(),
            "a/d e.json"
        );
        assert_eq!(
            resolve_reference("a/b.json", "./x/../y.json").unwrap(),
            "a/y.json"
        );
        for escaping in [
            "../../x.json",
            "../../../../etc/passwd",
            "%2e%2e/%2E%2E/x.json",
            "..%2f..%2fx.json",
            "..\\..\\x.json",
            "sub/../../../x.json",
        ] {
            let err = resolve_reference("a/b.json", escaping).unwrap_err();
            assert!(err.contains("leaves the spec folder"), "{escaping}: {err}");
        }
        for absolute in [
            "/etc/passwd",
            "%2fetc/passwd",
            "C:\\x.json",
            "\\\\host\\x",
            "c:/x",
        ] {
            let err = resolve_reference("a/b.json", absolute).unwrap_err();
            assert!(err.contains("absolute path"), "{absolute}: {err}");
        }
        assert!(resolve_reference("a/b.json", "x%00.json")
            .unwrap_err()
            .contains("NUL"));
        assert!(resolve_reference("a/b.json", "%ff.json")
            .unwrap_err()
            .contains("UTF-8"));
        // A `%` before a multi-byte character is kept as is (no panic).
        assert_eq!(resolve_reference("b.json", "%é.json").unwrap(), "%é.json");
        assert_eq!(resolve_reference("b.json", "%").unwrap(), "%");
        assert_eq!(confine("a/./b/../c.xsd").unwrap(), "a/c.xsd");
        assert!(confine("../c.xsd").is_err());
        assert!(confine("a/..").is_err());
    }

    #[test]
    fn reads_go_through_the_confinement() {
        let files = MemoryFiles::new()
            .with("a/x.json", "{}")
            .with("../y.json", "secret");
        assert_eq!(read_confined(&files, "a/b/../x.json").unwrap(), "{}");
        let err = read_confined(&files, "../y.json").unwrap_err();
        assert!(err.contains("leaves the spec folder") && !err.contains("secret"));
    }
}
