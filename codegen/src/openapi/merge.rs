//! Merging several OpenAPI documents (fragments of one API, e.g. Parallels
//! RAS publishes one per operation) into one. `info`, `openapi` and
//! `servers` come from the first file that has them; `paths` and every
//! `components` section are united. The same path and method, or the same
//! component name, defined differently in two files is an error naming both.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::bundle::Parts;
use super::load::{Document, SourceMap};
use super::locate::escape_token;
use crate::Error;

/// The merged document and, for each top-level entry it took from a file,
/// which file (pointer prefix → file), so later findings can be located.
pub struct Merged {
    pub value: Value,
    pub origins: BTreeMap<String, String>,
    /// Parts copied in from other files by `bundle`: pointer prefix →
    /// (file, pointer there).
    pub parts: Parts,
}

impl Merged {
    /// The file, line:column and pointer (in that file) of a pointer of the
    /// merged document.
    pub fn locate(&self, map: &SourceMap, pointer: &str) -> crate::Location {
        match longest_prefix(&self.parts, pointer) {
            Some((prefix, (file, at))) => {
                map.locate(file, &format!("{at}{}", &pointer[prefix.len()..]))
            }
            None => map.locate(self.file_of(pointer), pointer),
        }
    }

    /// The file a pointer of the merged document came from.
    pub fn file_of(&self, pointer: &str) -> &str {
        longest_prefix(&self.origins, pointer).map_or("", |(_, file)| file.as_str())
    }
}

/// The entry of `map` whose key is the longest pointer prefix of `pointer`
/// (`""`, the whole document, included), with that key.
fn longest_prefix<'m, 'p, V>(
    map: &'m BTreeMap<String, V>,
    pointer: &'p str,
) -> Option<(&'p str, &'m V)> {
    let mut p = pointer;
    loop {
        if let Some(v) = map.get(p) {
            return Some((p, v));
        }
        p = &p[..p.rfind('/')?];
    }
}

pub fn merge(docs: Vec<Document>, map: &SourceMap) -> Result<Merged, Error> {
    let mut origins = BTreeMap::new();
    let mut iter = docs.into_iter();
    let Some(first) = iter.next() else {
        return Err(Error::Invalid {
            location: crate::Location::file("specs/specs.toml"),
            message: "an openapi api needs at least one file".into(),
        });
    };
    origins.insert(String::new(), first.file.clone());
    let mut parts = first.parts;
    let mut merged = first.value;
    for mut doc in iter {
        parts.append(&mut doc.parts);
        let Value::Object(source) = doc.value else {
            return Err(Error::Invalid {
                location: map.locate(&doc.file, ""),
                message: "document is not an object".into(),
            });
        };
        let Value::Object(target) = &mut merged else {
            return Err(Error::Invalid {
                location: map.locate(&origins[""], ""),
                message: "document is not an object".into(),
            });
        };
        for (key, value) in source {
            match key.as_str() {
                "paths" | "webhooks" => {
                    let section = ensure_object(target, &key);
                    for (path, item) in as_object(value) {
                        let pointer = format!("/{key}/{}", escape_token(&path));
                        match section.get_mut(&path) {
                            None => {
                                origins.insert(pointer, doc.file.clone());
                                section.insert(path, item);
                            }
                            Some(existing) => {
                                let existing_map = ensure_value_object(existing);
                                for (method, op) in as_object(item) {
                                    let op_pointer = format!("{pointer}/{}", escape_token(&method));
                                    match existing_map.get(&method) {
                                        Some(old) if *old != op => {
                                            let first_file = file_of(&origins, &op_pointer);
                                            return Err(conflict(
                                                map,
                                                &first_file,
                                                &doc.file,
                                                &op_pointer,
                                            ));
                                        }
                                        Some(_) => {}
                                        None => {
                                            origins.insert(op_pointer, doc.file.clone());
                                            existing_map.insert(method, op);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                "components" => {
                    let components = ensure_object(target, "components");
                    for (section_name, entries) in as_object(value) {
                        let section = ensure_object(components, &section_name);
                        for (name, def) in as_object(entries) {
                            let pointer = format!(
                                "/components/{}/{}",
                                escape_token(&section_name),
                                escape_token(&name)
                            );
                            match section.get(&name) {
                                Some(old) if *old != def => {
                                    let first_file = file_of(&origins, &pointer);
                                    return Err(conflict(map, &first_file, &doc.file, &pointer));
                                }
                                Some(_) => {}
                                None => {
                                    origins.insert(pointer, doc.file.clone());
                                    section.insert(name, def);
                                }
                            }
                        }
                    }
                }
                "tags" => {
                    let tags = target
                        .entry("tags")
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let (Value::Array(tags), Value::Array(new)) = (tags, value) {
                        for tag in new {
                            if !tags.contains(&tag) {
                                tags.push(tag);
                            }
                        }
                    }
                }
                _ => {
                    // openapi, info, servers, security, …: first file wins.
                    target.entry(key).or_insert(value);
                }
            }
        }
    }
    Ok(Merged {
        value: merged,
        origins,
        parts,
    })
}

fn file_of(origins: &BTreeMap<String, String>, pointer: &str) -> String {
    let merged = Merged {
        value: Value::Null,
        origins: origins.clone(),
        parts: Parts::new(),
    };
    merged.file_of(pointer).to_string()
}

fn conflict(map: &SourceMap, first: &str, second: &str, pointer: &str) -> Error {
    Error::Conflict {
        first: Box::new(map.locate(first, pointer)),
        second: Box::new(map.locate(second, pointer)),
        message: format!("`{pointer}` is defined differently in the two files"),
    }
}

fn as_object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn ensure_object<'a>(map: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let entry = map
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    ensure_value_object(entry)
}

fn ensure_value_object(value: &mut Value) -> &mut Map<String, Value> {
    if !value.is_object() {
        *value = Value::Object(Map::new());
    }
    match value {
        Value::Object(map) => map,
        _ => unreachable!("just made an object"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::load::load;
    use super::*;
    use crate::MemoryFiles;

    fn docs(files: &MemoryFiles, names: &[&str]) -> (Vec<Document>, SourceMap) {
        let mut map = SourceMap::default();
        let docs = names
            .iter()
            .map(|n| load(files, n, &mut map).unwrap())
            .collect();
        (docs, map)
    }

    #[test]
    fn fragments_merge_and_identical_components_are_shared() {
        let files = MemoryFiles::new()
            .with("a.json", r#"{"openapi":"3.0.1","info":{"title":"A","version":"1"},"paths":{"/a":{"post":{"responses":{}}}},"components":{"schemas":{"P":{"type":"string"}}}}"#)
            .with("b.json", r#"{"openapi":"3.0.1","info":{"title":"B","version":"1"},"paths":{"/b":{"post":{"responses":{}}}},"components":{"schemas":{"P":{"type":"string"}}}}"#);
        let (docs, map) = docs(&files, &["a.json", "b.json"]);
        let merged = merge(docs, &map).unwrap();
        assert_eq!(merged.value["info"]["title"], "A");
        assert!(merged.value["paths"]["/b"]["post"].is_object());
        assert_eq!(merged.file_of("/paths/~1b/post/responses"), "b.json");
        assert_eq!(merged.file_of("/components/schemas/P"), "a.json");
    }

    #[test]
    fn conflicting_definitions_name_both_files_and_the_pointer() {
        let files = MemoryFiles::new()
            .with(
                "a.json",
                "{\"components\":{\"schemas\":{\"P\":{\"type\":\"string\"}}}}",
            )
            .with(
                "b.json",
                "{\n\"components\":{\"schemas\":{\n\"P\":{\"type\":\"integer\"}}}}",
            );
        let (docs, map) = docs(&files, &["a.json", "b.json"]);
        let err = merge(docs, &map).err().unwrap().to_string();
        assert!(err.contains("a.json:1:"), "{err}");
        assert!(err.contains("b.json:3:"), "{err}");
        assert!(err.contains("/components/schemas/P"), "{err}");
    }
}
