//! Diagnostics: where in which file, and what was found or repaired there.

use std::fmt;

/// A place in a spec file: the file, an optional JSON pointer (OpenAPI) or
/// QName path (WSDL), and a 1-based line and column where known.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Location {
    pub file: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// JSON pointer (`/paths/~1pets/get`) or another structural path.
    pub pointer: Option<String>,
}

impl Location {
    pub fn file(file: &str) -> Self {
        Location {
            file: file.to_string(),
            ..Default::default()
        }
    }

    pub fn at(file: &str, line: u32, column: u32) -> Self {
        Location {
            file: file.to_string(),
            line: Some(line),
            column: Some(column),
            pointer: None,
        }
    }

    pub fn with_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        if let Some(pointer) = &self.pointer {
            write!(
                f,
                " (at {})",
                if pointer.is_empty() { "/" } else { pointer }
            )?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something the generator changed or worked around.
    Warning,
    /// Something worth knowing that changed nothing.
    Note,
}

/// One finding, e.g. a repair pass that changed the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Short machine-readable name, e.g. `repair:required-string`.
    pub code: String,
    pub location: Location,
    pub message: String,
}

impl Diagnostic {
    pub fn warning(code: &str, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code: code.to_string(),
            location,
            message: message.into(),
        }
    }

    pub fn note(code: &str, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            code: code.to_string(),
            location,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(
            f,
            "{level}[{}]: {}: {}",
            self.code, self.location, self.message
        )
    }
}
