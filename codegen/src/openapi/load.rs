//! Reading spec files: JSON or YAML text → `serde_json::Value`, with a
//! [`Locator`] per file so every later finding can name `file:line:column`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::locate::Locator;
use crate::manifest::line_col;
use crate::{Error, FileSource, Location};

/// One parsed spec file.
#[derive(Debug, Clone)]
pub struct Document {
    pub file: String,
    pub value: Value,
    /// Parts of `value` copied from other files (see `bundle`).
    pub parts: super::bundle::Parts,
}

/// Positions for every file read, so pointers can be turned into
/// `file:line:column`.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    locators: BTreeMap<String, Locator>,
}

impl SourceMap {
    /// A location for `pointer` in `file`, with line and column if known.
    pub fn locate(&self, file: &str, pointer: &str) -> Location {
        let mut location = Location::file(file).with_pointer(pointer);
        if let Some((line, column)) = self.locators.get(file).and_then(|l| l.find(pointer)) {
            location.line = Some(line);
            location.column = Some(column);
        }
        location
    }
}

/// True if `path` names a YAML file (by extension), or its text looks like
/// YAML rather than JSON.
fn is_yaml(path: &str, text: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        return true;
    }
    if lower.ends_with(".json") {
        return false;
    }
    !text.trim_start().starts_with(['{', '['])
}

/// Reads and parses `path`, recording its positions in `map`.
pub fn load(files: &dyn FileSource, path: &str, map: &mut SourceMap) -> Result<Document, Error> {
    let text = files.read(path).map_err(|message| Error::Read {
        path: path.to_string(),
        message,
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let yaml = is_yaml(path, text);
    let value = if yaml {
        parse_yaml(path, text)?
    } else {
        serde_json::from_str::<Value>(text).map_err(|e| Error::Syntax {
            location: Location::at(path, e.line() as u32, e.column().max(1) as u32),
            message: format!("invalid json: {e}"),
        })?
    };
    map.locators
        .insert(path.to_string(), Locator::new(text, yaml));
    Ok(Document {
        file: path.to_string(),
        value,
        parts: Default::default(),
    })
}

fn parse_yaml(path: &str, text: &str) -> Result<Value, Error> {
    let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(|e| {
        let mut location = Location::file(path);
        if let Some(loc) = e.location() {
            let (line, column) = line_col(text, loc.index());
            location.line = Some(line);
            location.column = Some(column);
        }
        Error::Syntax {
            location,
            message: format!("invalid yaml: {e}"),
        }
    })?;
    yaml_to_json(yaml).map_err(|message| Error::Syntax {
        location: Location::file(path),
        message,
    })
}

/// YAML → JSON: keys become strings (YAML allows `200:` as an integer key),
/// tags are dropped, non-finite floats are refused.
fn yaml_to_json(yaml: serde_yaml_ng::Value) -> Result<Value, String> {
    use serde_yaml_ng::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| format!("number {f} cannot be represented in json"))?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .map(yaml_to_json)
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_string(),
                    other => serde_yaml_ng::to_string(&other)
                        .map_err(|e| e.to_string())?
                        .trim()
                        .to_string(),
                };
                out.insert(key, yaml_to_json(v)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemoryFiles;

    #[test]
    fn yaml_and_json_load_the_same() {
        let files = MemoryFiles::new()
            .with(
                "a.yaml",
                "openapi: 3.0.0\nresponses:\n  200:\n    description: ok\n",
            )
            .with(
                "a.json",
                r#"{"openapi": "3.0.0", "responses": {"200": {"description": "ok"}}}"#,
            );
        let mut map = SourceMap::default();
        let y = load(&files, "a.yaml", &mut map).unwrap();
        let j = load(&files, "a.json", &mut map).unwrap();
        assert_eq!(y.value, j.value);
        let loc = map.locate("a.yaml", "/responses/200/description");
        assert_eq!((loc.line, loc.column), (Some(4), Some(18)));
    }

    #[test]
    fn syntax_errors_name_file_and_position() {
        let files = MemoryFiles::new().with("bad.json", "{\n  \"a\": tru\n}");
        let err = load(&files, "bad.json", &mut SourceMap::default()).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("bad.json:3:1: invalid json"), "{text}");
        let files = MemoryFiles::new().with("bad.yaml", "a: [1,\nb: 2\n");
        let err = load(&files, "bad.yaml", &mut SourceMap::default()).unwrap_err();
        assert!(err.to_string().starts_with("bad.yaml:"), "{err}");
    }
}
