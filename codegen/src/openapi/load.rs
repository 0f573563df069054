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
    let text = crate::source::read_confined(files, path).map_err(|message| Error::Read {
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
    let yaml: FromYaml = serde_yaml_ng::from_str(text).map_err(|e| {
        let mut location = Location::file(path);
        if let Some(loc) = e.location() {
            let (line, column) = line_col(text, loc.index());
            location.line = Some(line);
            location.column = Some(column);
        } else {
            // Errors about the document as a whole (an alias expansion
            // past serde_yaml_ng's repetition limit) have no position.
            location.pointer = Some(String::new());
        }
        Error::Syntax {
            location,
            message: format!("invalid yaml: {e}"),
        }
    })?;
    Ok(yaml.0)
}

/// A YAML document read straight into JSON: keys become strings (YAML
/// allows `200:` as an integer key), tags are dropped, integers beyond 64
/// bits become floats (as in JSON parsers), and merge keys (`<<: *base`)
/// are applied. serde_yaml_ng's own `Value` refuses integers beyond 64
/// bits, which real specs have (`maximum: 18446744073709552000`).
struct FromYaml(Value);

impl<'de> serde::Deserialize<'de> for FromYaml {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(YamlVisitor).map(FromYaml)
    }
}

struct YamlVisitor;

impl<'de> serde::de::Visitor<'de> for YamlVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(float(v as f64))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(float(v as f64))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("number {v} cannot be represented in json")))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(YamlVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(FromYaml(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        let mut merged = Vec::new();
        while let Some((FromYaml(key), FromYaml(value))) = map.next_entry()? {
            let key = match key {
                Value::String(s) => s,
                Value::Null => "null".to_string(),
                other => other.to_string(),
            };
            if key == "<<" {
                merged.push(value);
            } else {
                out.insert(key, value);
            }
        }
        // Merge keys: earlier sources win, explicit keys win over all.
        for source in merged {
            let sources = match source {
                Value::Array(items) => items,
                other => vec![other],
            };
            for source in sources {
                if let Value::Object(entries) = source {
                    for (k, v) in entries {
                        out.entry(k).or_insert(v);
                    }
                }
            }
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged value (`!tag value`): the tag is dropped.
        use serde::de::VariantAccess;
        let (_tag, variant): (FromYaml, _) = data.variant()?;
        variant.newtype_variant::<FromYaml>().map(|v| v.0)
    }
}

fn float(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
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
        let files = MemoryFiles::new().with(
            "big.yaml",
            "max: 18446744073709552000\nbase: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\ntagged: !custom 5\n",
        );
        let big = load(&files, "big.yaml", &mut map).unwrap().value;
        assert_eq!(big["max"].as_f64(), Some(18446744073709552000.0));
        assert_eq!(big["derived"], serde_json::json!({"x": 1, "y": 3}));
        assert_eq!(big["tagged"], serde_json::json!(5));
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
