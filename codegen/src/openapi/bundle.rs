//! Multi-file specs: every `$ref` to another local file (`models/Pet.json`,
//! `../shared/responses.yml#/NotFound`) is brought into the document, so the
//! rest of the pipeline sees one self-contained OpenAPI document.
//!
//! - A reference in a *schema* position becomes a component: the schema it
//!   points to is added under `components/schemas` (`definitions` in Swagger
//!   2.0) once, named after its last pointer token or its file's stem (made
//!   unique), and every reference to it becomes a local `#/...` one. A
//!   component that is nothing but a reference to another file takes that
//!   file's schema under its own name. Recursive schemas work, as references.
//! - A reference anywhere else (path items, operations, parameters,
//!   responses, examples ...) is replaced by a copy of what it points to;
//!   a reference cycle there is reported and left in place.
//!
//! Paths are relative to the referring file (including inside files that
//! were themselves referenced). Nothing is fetched: an `http(s)://`
//! reference is reported and left as is (its schema then becomes
//! `serde_json::Value`). Each file read goes through the repair passes.
//! Every part taken from another file is recorded (`parts`), so later
//! diagnostics point into that file.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::{Map, Value};

use super::load::{self, Document, SourceMap};
use super::locate::escape_token;
use super::repair;
use percent_encoding::percent_decode_str;

use crate::source::resolve_reference;
use crate::{Diagnostic, Error, FileSource};

/// Where a part of the bundled document came from: (file, pointer in it).
pub type Parts = BTreeMap<String, (String, String)>;

/// A place a reference points to: (file, JSON pointer in it).
type Target = (String, String);

/// Brings every external reference of `doc` into it (see the module docs).
pub fn bundle(
    doc: &mut Document,
    files: &dyn FileSource,
    map: &mut SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), Error> {
    if !doc.value.is_object() || !has_external_ref(&doc.value) {
        return Ok(());
    }
    let swagger = doc.value.get("swagger").is_some();
    let section: &[&str] = if swagger {
        &["definitions"]
    } else {
        &["components", "schemas"]
    };
    let section_pointer: String = section.iter().map(|s| format!("/{s}")).collect();
    let mut bundler = Bundler {
        files,
        map,
        root: doc.file.clone(),
        section_pointer,
        loaded: BTreeMap::new(),
        hoisted: BTreeMap::new(),
        names: BTreeSet::new(),
        pending: VecDeque::new(),
        inlining: Vec::new(),
        parts: Parts::new(),
        diagnostics,
    };
    // Components that only point to another file take its schema's place.
    let mut aliases = Vec::new();
    if let Some(Value::Object(schemas)) = doc.value.pointer(&bundler.section_pointer) {
        for (name, schema) in schemas {
            bundler.names.insert(name.clone());
            if let Some(r) = only_ref(schema) {
                let pointer = format!("{}/{}", bundler.section_pointer, escape_token(name));
                if let Some(target) = bundler.target(&doc.file, r, &pointer)? {
                    if target.0 != doc.file {
                        aliases.push((name.clone(), target));
                    }
                }
            }
        }
    }
    for (name, target) in &aliases {
        bundler
            .hoisted
            .entry(target.clone())
            .or_insert_with(|| name.clone());
    }
    let file = doc.file.clone();
    bundler.walk(&mut doc.value, &file, &mut String::new(), Ctx::Document)?;
    // Schemas referenced so far, then those they reference, and so on.
    let mut added = Vec::new();
    while let Some((name, target, from)) = bundler.pending.pop_front() {
        let mut pointer = format!("{}/{}", bundler.section_pointer, escape_token(&name));
        let mut value = bundler.content(&target, from)?;
        bundler.record(&pointer, &target);
        bundler.walk(&mut value, &target.0, &mut pointer, Ctx::Schema)?;
        added.push((name, value));
    }
    if !added.is_empty() {
        let Some(mut schemas) = doc.value.as_object_mut() else {
            return Ok(());
        };
        for key in section {
            let entry = schemas
                .entry(key.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            let Value::Object(next) = entry else {
                return Ok(());
            };
            schemas = next;
        }
        for (name, value) in added {
            schemas.insert(name, value);
        }
    }
    doc.parts.append(&mut bundler.parts);
    Ok(())
}

/// What a position in the document holds, as far as references care.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// Anything that is not a schema.
    Document,
    /// A schema.
    Schema,
    /// A map whose members are schemas (`properties`, `components/schemas`):
    /// a reference in its place (seen in real specs) is copied in.
    SchemaMap,
}

struct Bundler<'a> {
    files: &'a dyn FileSource,
    map: &'a mut SourceMap,
    /// The file being bundled.
    root: String,
    /// `/components/schemas` or `/definitions`.
    section_pointer: String,
    /// Every other file read so far, repaired.
    loaded: BTreeMap<String, Value>,
    /// Schemas brought in (or on their way): target → component name.
    hoisted: BTreeMap<Target, String>,
    /// Component names taken.
    names: BTreeSet<String>,
    /// Components named but not yet filled in.
    /// Components named but not yet filled in, with the place of the
    /// first reference to each.
    pending: VecDeque<(String, Target, crate::Location)>,
    /// Targets being copied in, outermost first: a cycle check.
    inlining: Vec<Target>,
    parts: Parts,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Bundler<'_> {
    /// Rewrites or replaces every reference in `value` (which sits at
    /// `pointer` of the bundled document and was read from `file`).
    fn walk(
        &mut self,
        value: &mut Value,
        file: &str,
        pointer: &mut String,
        ctx: Ctx,
    ) -> Result<(), Error> {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    let r = r.clone();
                    return self.reference(value, &r, file, pointer, ctx);
                }
                for (key, child) in map.iter_mut() {
                    let Some(child_ctx) = child_ctx(ctx, key, pointer) else {
                        continue;
                    };
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&escape_token(key));
                    self.walk(child, file, pointer, child_ctx)?;
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    let len = pointer.len();
                    pointer.push_str(&format!("/{i}"));
                    self.walk(item, file, pointer, ctx)?;
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// One `$ref` object at `pointer`.
    fn reference(
        &mut self,
        value: &mut Value,
        r: &str,
        file: &str,
        pointer: &mut String,
        ctx: Ctx,
    ) -> Result<(), Error> {
        let Some(target) = self.target(file, r, pointer)? else {
            return Ok(());
        };
        if target.0 == self.root {
            // A reference into the document itself, from wherever.
            if let Value::Object(map) = value {
                map.insert("$ref".into(), Value::String(format!("#{}", target.1)));
            }
            return Ok(());
        }
        let is_component = ctx == Ctx::Schema
            && pointer
                .strip_prefix(&self.section_pointer)
                .is_some_and(|rest| rest.matches('/').count() == 1);
        let is_alias = is_component
            && self
                .hoisted
                .get(&target)
                .is_some_and(|n| own_name(pointer, n));
        if ctx == Ctx::Schema && !is_alias {
            let from = self.locate(file, pointer);
            let name = self.hoist(&target, from);
            let reference = format!("{}/{}", self.section_pointer, escape_token(&name));
            if let Value::Object(map) = value {
                map.insert("$ref".into(), Value::String(format!("#{reference}")));
            }
            return Ok(());
        }
        // Copy the target in place.
        if self.inlining.contains(&target) {
            self.diagnostics.push(Diagnostic::warning(
                "bundle",
                self.locate(file, pointer),
                format!("reference `{r}` is part of a reference cycle; left as is"),
            ));
            return Ok(());
        }
        let from = self.locate(file, pointer);
        let mut content = self.content(&target, from)?;
        // Members beside `$ref` (a path item's `summary`, say) stay unless
        // the target has them too.
        if let (Value::Object(own), Value::Object(theirs)) = (&*value, &mut content) {
            for (k, v) in own {
                if k != "$ref" && !theirs.contains_key(k) {
                    theirs.insert(k.clone(), v.clone());
                }
            }
        }
        self.record(pointer, &target);
        self.inlining.push(target.clone());
        let result = self.walk(&mut content, &target.0, pointer, ctx);
        self.inlining.pop();
        result?;
        *value = content;
        Ok(())
    }

    /// The place `r` (found in `file`, at `pointer` of the bundled
    /// document) points to, or `None` (with a diagnostic for a remote one)
    /// when it is not to be followed. A file outside the spec root (after
    /// percent-decoding and normalization, see
    /// [`resolve_reference`]) is an error naming the reference; the file
    /// is never read.
    fn target(&mut self, file: &str, r: &str, pointer: &str) -> Result<Option<Target>, Error> {
        let (path, fragment) = r.split_once('#').unwrap_or((r, ""));
        if path.contains("://") {
            self.diagnostics.push(Diagnostic::warning(
                "bundle",
                self.locate(file, pointer),
                format!("remote reference `{r}` is not fetched; its target is unknown"),
            ));
            return Ok(None);
        }
        if path.is_empty() && file == self.root {
            return Ok(None);
        }
        let target_file = if path.is_empty() {
            file.to_string()
        } else {
            resolve_reference(file, path).map_err(|why| Error::Invalid {
                location: self.locate(file, pointer),
                message: format!("`$ref` `{r}` is not followed: {why}"),
            })?
        };
        let fragment = percent_decode_str(fragment)
            .decode_utf8_lossy()
            .into_owned();
        Ok(Some((target_file, fragment)))
    }

    /// Where `pointer` of the bundled document is in `file`: through the
    /// part copied from `file` that holds it, if any.
    fn locate(&self, file: &str, pointer: &str) -> crate::Location {
        if file != self.root {
            let holder = self
                .parts
                .range::<str, _>((
                    std::ops::Bound::Unbounded,
                    std::ops::Bound::Included(pointer),
                ))
                .rev()
                .find(|(at, _)| {
                    pointer
                        .strip_prefix(at.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
                });
            if let Some((at, (from, inner))) = holder {
                if from == file {
                    return self
                        .map
                        .locate(file, &format!("{inner}{}", &pointer[at.len()..]));
                }
            }
        }
        self.map.locate(file, pointer)
    }

    /// The component name for a schema brought in from `target`.
    fn hoist(&mut self, target: &Target, from: crate::Location) -> String {
        if let Some(name) = self.hoisted.get(target) {
            return name.clone();
        }
        let base = target
            .1
            .rsplit('/')
            .next()
            .filter(|s| !s.is_empty())
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .unwrap_or_else(|| file_stem(&target.0));
        let mut name = base.clone();
        let mut n = 2;
        while self.names.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.names.insert(name.clone());
        self.hoisted.insert(target.clone(), name.clone());
        self.pending.push_back((name.clone(), target.clone(), from));
        name
    }

    /// A copy of what `target` points to; referred to from `from`.
    fn content(&mut self, target: &Target, from: crate::Location) -> Result<Value, Error> {
        if !self.loaded.contains_key(&target.0) {
            let mut doc = load::load(self.files, &target.0, self.map).map_err(|e| match e {
                Error::Read { path, message } => Error::Invalid {
                    location: from.clone(),
                    message: format!("cannot read `{path}`: {message}"),
                },
                other => other,
            })?;
            repair::run_located(&mut doc, self.map, self.diagnostics);
            self.loaded.insert(target.0.clone(), doc.value);
        }
        match self.loaded[&target.0].pointer(&target.1) {
            Some(v) => Ok(v.clone()),
            None => Err(Error::Invalid {
                location: from,
                message: format!("`{}#{}` does not exist", target.0, target.1),
            }),
        }
    }

    fn record(&mut self, pointer: &str, target: &Target) {
        self.parts
            .insert(pointer.to_string(), (target.0.clone(), target.1.clone()));
    }
}

/// Whether `pointer` (a component's) ends with the component name `name`.
fn own_name(pointer: &str, name: &str) -> bool {
    pointer.rsplit('/').next() == Some(escape_token(name).as_str())
}

/// What the member `key` of an object in `ctx` at `pointer` holds; `None`
/// for data, which is not searched for references.
fn child_ctx(ctx: Ctx, key: &str, pointer: &str) -> Option<Ctx> {
    if key.starts_with("x-") {
        return None;
    }
    match ctx {
        // `value` of an Example object, a media type's `example`.
        Ctx::Document if matches!(key, "value" | "example") => None,
        Ctx::Schema if repair::is_data_key(key) => None,
        Ctx::Document => Some(match key {
            "schema" => Ctx::Schema,
            "schemas" if pointer == "/components" => Ctx::SchemaMap,
            "definitions" if pointer.is_empty() => Ctx::SchemaMap,
            _ => Ctx::Document,
        }),
        Ctx::SchemaMap => Some(Ctx::Schema),
        // Inside a schema every member that can hold references holds
        // schemas (`items`, `allOf/0` ...) or maps of them, except the
        // OpenAPI annotations below.
        Ctx::Schema => match key {
            "properties" | "patternProperties" | "definitions" | "$defs" | "dependentSchemas" => {
                Some(Ctx::SchemaMap)
            }
            "discriminator" | "xml" | "externalDocs" => Some(Ctx::Document),
            _ => Some(Ctx::Schema),
        },
    }
}

/// Whether any `$ref` in `value` leaves `file`.
fn has_external_ref(value: &Value) -> bool {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                if !r.starts_with('#') {
                    return true;
                }
            }
            map.values().any(has_external_ref)
        }
        Value::Array(items) => items.iter().any(has_external_ref),
        _ => false,
    }
}

/// The reference of `{"$ref": r}` and nothing else.
fn only_ref(value: &Value) -> Option<&str> {
    let map = value.as_object()?;
    if map.len() != 1 {
        return None;
    }
    map.get("$ref")?.as_str()
}

fn file_stem(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    if stem.is_empty() {
        "Schema".to_string()
    } else {
        stem.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemoryFiles;
    use serde_json::json;

    fn bundled(files: &MemoryFiles, root: &str) -> (Document, Vec<Diagnostic>, SourceMap) {
        let mut map = SourceMap::default();
        let mut doc = load::load(files, root, &mut map).unwrap();
        let mut diagnostics = Vec::new();
        bundle(&mut doc, files, &mut map, &mut diagnostics).unwrap();
        (doc, diagnostics, map)
    }

    #[test]
    fn schemas_become_components_and_other_parts_are_copied() {
        let files = MemoryFiles::new()
            .with(
                "api/root.yaml",
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    $ref: paths/pets.yaml\ncomponents:\n  schemas:\n    Pet:\n      $ref: ../models/pet.json\n    Local: {type: string}\n",
            )
            .with(
                "api/paths/pets.yaml",
                "get:\n  operationId: listPets\n  responses:\n    '200':\n      $ref: '../responses.yaml#/PetList'\n    default:\n      $ref: '../responses.yaml#/Error'\n",
            )
            .with(
                "api/responses.yaml",
                "PetList:\n  description: pets\n  content:\n    application/json:\n      schema: {type: array, items: {$ref: '../models/pet.json'}}\nError:\n  description: error\n  content:\n    application/json:\n      schema: {$ref: '#/ErrorBody'}\nErrorBody:\n  type: object\n  properties:\n    message: {$ref: 'root.yaml#/components/schemas/Local'}\n",
            )
            .with(
                "models/pet.json",
                r##"{"type": "object", "properties": {"name": {"type": "string"}, "parent": {"$ref": "#"}, "tag": {"$ref": "tag.json"}}}"##,
            )
            .with("models/tag.json", r#"{"type": "string", "example": {"$ref": "not-a-file.json"}}"#);
        let (doc, diagnostics, _) = bundled(&files, "api/root.yaml");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let v = &doc.value;
        // The alias component takes the file's schema; recursion is a ref.
        assert_eq!(
            v["components"]["schemas"]["Pet"]["properties"]["parent"],
            json!({"$ref": "#/components/schemas/Pet"})
        );
        assert_eq!(
            v["components"]["schemas"]["Pet"]["properties"]["tag"],
            json!({"$ref": "#/components/schemas/tag"})
        );
        assert_eq!(v["components"]["schemas"]["tag"]["type"], "string");
        // The path item and the responses are copied in place.
        let get = &v["paths"]["/pets"]["get"];
        assert_eq!(get["operationId"], "listPets");
        assert_eq!(
            get["responses"]["200"]["content"]["application/json"]["schema"]["items"],
            json!({"$ref": "#/components/schemas/Pet"})
        );
        // A schema inside a copied response is a component; its ref back
        // into the root document is a local ref again.
        assert_eq!(
            get["responses"]["default"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/ErrorBody"})
        );
        assert_eq!(
            v["components"]["schemas"]["ErrorBody"]["properties"]["message"],
            json!({"$ref": "#/components/schemas/Local"})
        );
        // Parts remember where they came from.
        assert_eq!(
            doc.parts["/paths/~1pets/get/responses/200"],
            ("api/responses.yaml".to_string(), "/PetList".to_string())
        );
        assert_eq!(
            doc.parts["/components/schemas/tag"],
            ("models/tag.json".to_string(), String::new())
        );
    }

    #[test]
    fn a_properties_map_given_by_reference_is_copied() {
        let files = MemoryFiles::new()
            .with(
                "p.yaml",
                "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        $ref: 'attrs.yaml#/a_props'\n",
            )
            .with("attrs.yaml", "a_props:\n  name: {type: string}\n  tag: {$ref: 'tag.yaml'}\n")
            .with("tag.yaml", "type: string\n");
        let (doc, _, _) = bundled(&files, "p.yaml");
        assert_eq!(
            doc.value["components"]["schemas"]["A"]["properties"],
            json!({"name": {"type": "string"}, "tag": {"$ref": "#/components/schemas/tag"}})
        );
    }

    #[test]
    fn remote_refs_and_cycles_are_reported_and_left() {
        let files = MemoryFiles::new()
            .with(
                "r.json",
                r#"{"openapi": "3.0.3", "paths": {"/a": {"$ref": "p.json#/a"}},
                    "components": {"schemas": {"X": {"$ref": "https://example.com/x.json"}}}}"#,
            )
            .with(
                "p.json",
                r##"{"a": {"get": {"$ref": "#/b"}}, "b": {"$ref": "#/a"}}"##,
            );
        let (doc, diagnostics, _) = bundled(&files, "r.json");
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("remote reference `https://example.com/x.json`")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("reference cycle")),
            "{messages:?}"
        );
        assert_eq!(
            doc.value["components"]["schemas"]["X"],
            json!({"$ref": "https://example.com/x.json"})
        );
    }

    #[test]
    fn swagger_documents_bundle_into_definitions() {
        let files = MemoryFiles::new()
            .with(
                "s.json",
                r#"{"swagger": "2.0", "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "schema": {"$ref": "defs.json#/Thing"}}}}}}}"#,
            )
            .with("defs.json", r#"{"Thing": {"type": "object"}}"#);
        let (doc, _, _) = bundled(&files, "s.json");
        assert_eq!(doc.value["definitions"]["Thing"], json!({"type": "object"}));
        assert_eq!(
            doc.value["paths"]["/a"]["get"]["responses"]["200"]["schema"],
            json!({"$ref": "#/definitions/Thing"})
        );
    }

    #[test]
    fn references_are_percent_decoded_and_confined() {
        let files = MemoryFiles::new()
            .with(
                "api/r.json",
                r#"{"openapi": "3.0.3", "paths": {"/a": {"$ref": "p%20q.json#/a%20b"}},
                    "components": {"schemas": {"X": {"$ref": "%é.json"}}}}"#,
            )
            .with("api/p q.json", r#"{"a b": {"get": {"responses": {}}}}"#);
        let mut map = SourceMap::default();
        let mut doc = load::load(&files, "api/r.json", &mut map).unwrap();
        // A `%` before a multi-byte character: no panic, the file is looked
        // for under its name as written.
        let err = bundle(&mut doc, &files, &mut map, &mut Vec::new()).unwrap_err();
        assert!(
            err.to_string().contains("cannot read `api/%é.json`"),
            "{err}"
        );
        for (reference, why) in [
            ("%2e%2e/%2e%2e/x.json", "it leaves the spec folder"),
            ("/etc/passwd", "it is an absolute path"),
        ] {
            let text =
                format!(r#"{{"openapi": "3.0.3", "paths": {{"/a": {{"$ref": "{reference}"}}}}}}"#);
            let files = MemoryFiles::new()
                .with("api/r.json", &text)
                .with("x.json", "{}");
            let mut doc = load::load(&files, "api/r.json", &mut map).unwrap();
            let err = bundle(&mut doc, &files, &mut map, &mut Vec::new()).unwrap_err();
            let err = err.to_string();
            assert!(err.starts_with("api/r.json:1:"), "{err}");
            assert!(
                err.contains(&format!("`$ref` `{reference}` is not followed: {why}")),
                "{err}"
            );
        }
        let files = files.with(
            "api/r.json",
            r#"{"openapi": "3.0.3", "paths": {"/a": {"$ref": "p%20q.json#/a%20b"}}}"#,
        );
        let (doc, _, _) = bundled(&files, "api/r.json");
        assert_eq!(doc.value["paths"]["/a"], json!({"get": {"responses": {}}}));
    }

    #[test]
    fn missing_files_are_errors_naming_the_file() {
        let files = MemoryFiles::new().with(
            "m.json",
            r#"{"openapi": "3.0.3", "paths": {"/a": {"$ref": "gone.json"}}}"#,
        );
        let mut map = SourceMap::default();
        let mut doc = load::load(&files, "m.json", &mut map).unwrap();
        let err = bundle(&mut doc, &files, &mut map, &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("gone.json"), "{err}");
    }
}
