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
/// segments. Both use forward slashes.
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

#[cfg(test)]
mod tests {
    use super::resolve_relative;

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(resolve_relative("a/b.json", "c.json"), "a/c.json");
        assert_eq!(resolve_relative("a/b/c.json", "../d/e.json"), "a/d/e.json");
        assert_eq!(resolve_relative("x.json", "./y.json"), "y.json");
        assert_eq!(resolve_relative("x.json", "../y.json"), "../y.json");
    }
}
