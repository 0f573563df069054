//! `specs/specs.toml`: the list of APIs the generated crate offers.
//!
//! ```toml
//! [[api]]
//! name = "rocket_chat"            # module and cargo feature
//! kind = "openapi"                # or "wsdl"
//! files = [{ path = "rocket-chat/users-logout.json", sha256 = "…" }]
//! overlays = ["rocket-chat/names.overlay.json"]   # optional, OpenAPI Overlay 1.0
//! catalog = { "http://example.com/x.xsd" = "local/x.xsd" }   # optional, WSDL
//! ```
//!
//! An optional `[crate]` table sets what the `wiregen` CLI writes around
//! the modules (command-line options win):
//!
//! ```toml
//! [crate]
//! name = "my-clients"              # package name of the generated crate
//! runtime-path = "../../runtime"   # wiregen-runtime by path (relative to the crate's folder)
//! runtime-version = "0.1"          # and/or by version from crates.io
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::{Error, Location};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    #[serde(rename = "api", default)]
    pub apis: Vec<ApiSpec>,
    /// The `[crate]` table: settings of the generated crate.
    #[serde(rename = "crate", default)]
    pub crate_settings: Option<CrateSettings>,
}

/// `[crate]` of the manifest; each is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CrateSettings {
    /// Package name of the generated crate.
    pub name: Option<String>,
    /// `wiregen-runtime` by path, relative to the generated crate's folder.
    pub runtime_path: Option<String>,
    /// `wiregen-runtime` version requirement (crates.io).
    pub runtime_version: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum ApiKind {
    #[serde(rename = "openapi")]
    OpenApi,
    #[serde(rename = "wsdl")]
    Wsdl,
}

/// One API: one module and one cargo feature of the generated crate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiSpec {
    /// Module and feature name; a snake_case Rust identifier.
    pub name: String,
    pub kind: ApiKind,
    /// What the API is, for the crate docs.
    #[serde(default)]
    pub title: Option<String>,
    /// Entry files, relative to the spec root. Several OpenAPI files are
    /// merged into one client; a WSDL entry pulls in its imports itself.
    pub files: Vec<SpecFile>,
    /// OpenAPI Overlay 1.0 documents applied after the repair passes.
    #[serde(default)]
    pub overlays: Vec<String>,
    /// Remote `schemaLocation` or `$ref` URL → local file (relative to the
    /// spec root). Nothing is ever fetched.
    #[serde(default)]
    pub catalog: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecFile {
    pub path: String,
    /// Hex sha256 of the vendored bytes; checked by the test suite so a
    /// vendored spec cannot change unnoticed.
    #[serde(default)]
    pub sha256: Option<String>,
    /// Where the bytes came from.
    #[serde(default)]
    pub origin: Option<String>,
}

impl Manifest {
    /// Parses the manifest text; `path` is used in error messages.
    pub fn parse(path: &str, text: &str) -> Result<Manifest, Error> {
        let manifest: Manifest = toml::from_str(text).map_err(|e| {
            let mut location = Location::file(path);
            if let Some(span) = e.span() {
                let (line, column) = line_col(text, span.start);
                location.line = Some(line);
                location.column = Some(column);
            }
            Error::Invalid {
                location,
                message: e.message().to_string(),
            }
        })?;
        for api in &manifest.apis {
            let valid = !api.name.is_empty()
                && api
                    .name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && !api.name.starts_with(|c: char| c.is_ascii_digit());
            if !valid {
                return Err(Error::Invalid {
                    location: Location::file(path),
                    message: format!("api name `{}` is not a snake_case identifier", api.name),
                });
            }
        }
        Ok(manifest)
    }
}

pub use crate::text::line_col;

/// sha256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
