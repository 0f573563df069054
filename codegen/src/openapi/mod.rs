//! OpenAPI pipeline: load every file (JSON or YAML), run the repair passes
//! on each, merge fragments, apply overlays, read the result as `openapiv3`,
//! then generate schema types (typify) and the client (syn/quote).

pub mod bundle;
mod client;
pub mod cycles;
pub mod lenient;
pub mod load;
pub mod locate;
pub mod merge;
pub mod normalize;
pub mod overlay;
pub mod repair;
pub mod type_names;
pub mod types;

use serde_json::Value;

use crate::{ApiSpec, Diagnostic, Error, FileSource, Location, Output};
use load::SourceMap;

/// Generates the client module for `api`.
pub fn generate(files: &dyn FileSource, api: &ApiSpec) -> Result<Output, Error> {
    let mut map = SourceMap::default();
    let mut diagnostics = Vec::new();
    let mut docs = Vec::new();
    for file in &api.files {
        let mut doc = load::load(files, &file.path, &mut map)?;
        repair::run_located(&mut doc, &map, &mut diagnostics);
        bundle::bundle(&mut doc, files, &mut map, &mut diagnostics)?;
        for (pointer, message) in normalize::normalize(&mut doc.value) {
            diagnostics.push(Diagnostic::note(
                "normalize",
                map.locate(&doc.file, &pointer),
                message,
            ));
        }
        docs.push(doc);
    }
    let mut merged = merge::merge(docs, &map)?;
    for overlay_path in &api.overlays {
        let overlay = load::load(files, overlay_path, &mut map)?;
        diagnostics.extend(overlay::apply(&overlay, &map, &mut merged.value)?);
    }
    let spec = read_openapi(&mut merged, &map, &mut diagnostics)?;
    let located = |pointer: &str| merged.locate(&map, pointer);
    let generated = client::generate(api, &spec, &merged.value, &located)?;
    diagnostics.extend(generated.diagnostics);
    let code = crate::format::format_module(&api.name, generated.tokens)?;
    Ok(Output {
        code,
        diagnostics,
        operations: generated.operations,
        crates: generated.crates,
    })
}

/// Reads the merged (normalized) document as OpenAPI 3.0, leniently (see
/// [`lenient`]): what openapiv3 cannot read is degraded in the document
/// with a located warning. An error that cannot be narrowed to a part is
/// reported with the file, line:column and JSON pointer where it happened.
fn read_openapi(
    merged: &mut merge::Merged,
    map: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<openapiv3::OpenAPI, Error> {
    let version = match merged.value.get("openapi") {
        Some(Value::String(v)) => v.clone(),
        // `openapi: 3.0` in YAML is a number; read it as the string meant.
        Some(Value::Number(n)) => {
            let v = n.to_string();
            diagnostics.push(Diagnostic::warning(
                "lenient",
                merged.locate(map, "/openapi"),
                format!("the version is the number {v}, read as the string `{v}`"),
            ));
            merged.value["openapi"] = Value::String(v.clone());
            v
        }
        Some(other) => other.to_string(),
        None => {
            return Err(Error::Invalid {
                location: merged.locate(map, ""),
                message: "not an OpenAPI or Swagger document: no `openapi` or `swagger` version"
                    .into(),
            })
        }
    };
    if !version.starts_with("3.0") {
        let file = merged.file_of("/openapi");
        return Err(Error::Invalid {
            location: map.locate(file, "/openapi"),
            message: format!(
                "unsupported openapi version `{version}` (expected swagger 2.0 or openapi 3.0/3.1)"
            ),
        });
    }
    let mut notes = lenient::fix_schemas(&mut merged.value);
    let result = lenient::read(&mut merged.value, document_error, &mut notes);
    for (pointer, message) in notes {
        diagnostics.push(Diagnostic::warning(
            "lenient",
            merged.locate(map, &pointer),
            message,
        ));
    }
    result.map_err(|(pointer, message)| Error::Invalid {
        location: merged.locate(map, &pointer),
        message: format!("not a valid openapi document: {message}"),
    })
}

/// The pointer and message of the first error reading `doc` as openapiv3,
/// narrowed below `/paths` where openapiv3's flattened map hides it.
pub(crate) fn document_error(doc: &Value) -> Option<(String, String)> {
    let error = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(doc).err()?;
    let pointer = path_to_pointer(error.path());
    let message = error.inner().to_string();
    if pointer == "/paths" {
        if let Some(narrowed) = path_item_error(doc) {
            return Some(narrowed);
        }
    }
    Some((pointer, message))
}

/// The pointer and message of the first path item that does not read,
/// narrowed to the operation and response where openapiv3's flattened and
/// untagged types hide it.
fn path_item_error(doc: &Value) -> Option<(String, String)> {
    let paths = doc.get("paths")?.as_object()?;
    paths.iter().find_map(|(path, item)| {
        if path.starts_with("x-") || item.get("$ref").is_some() {
            return None;
        }
        let prefix = format!("/paths/{}", locate::escape_token(path));
        let error = first_error::<openapiv3::PathItem>(item, &prefix)?;
        // A path item that is not an object is its own error.
        let Some(members) = item.as_object() else {
            return Some(error);
        };
        let operations = members.iter().filter(|(k, _)| {
            matches!(
                k.as_str(),
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
            )
        });
        let narrowed = operations.into_iter().find_map(|(method, op)| {
            let at = format!("{prefix}/{method}");
            let op_error = first_error::<openapiv3::Operation>(op, &at)?;
            let responses = op.get("responses")?.as_object()?;
            let in_response = responses.iter().find_map(|(status, response)| {
                if response.get("$ref").is_some() {
                    return None;
                }
                let at = format!("{at}/responses/{}", locate::escape_token(status));
                first_error::<openapiv3::Response>(response, &at)
            });
            Some(in_response.unwrap_or(op_error))
        });
        Some(narrowed.unwrap_or(error))
    })
}

/// Reads `value` as a `T`: the pointer (under `prefix`) and message of the
/// error, if any.
fn first_error<T: serde::de::DeserializeOwned>(
    value: &Value,
    prefix: &str,
) -> Option<(String, String)> {
    serde_path_to_error::deserialize::<_, T>(value)
        .err()
        .map(|e| {
            (
                format!("{prefix}{}", path_to_pointer(e.path())),
                e.inner().to_string(),
            )
        })
}

/// serde_path_to_error's path → JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&locate::escape_token(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

/// Where generated items came from, for diagnostics.
pub(crate) type Locate<'a> = dyn Fn(&str) -> Location + 'a;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{ApiKind, SpecFile};
    use crate::MemoryFiles;

    fn api(files: &[&str]) -> ApiSpec {
        ApiSpec {
            name: "test_api".into(),
            kind: ApiKind::OpenApi,
            title: None,
            files: files
                .iter()
                .map(|p| SpecFile {
                    path: p.to_string(),
                    sha256: None,
                    origin: None,
                })
                .collect(),
            overlays: vec![],
            catalog: Default::default(),
        }
    }

    #[test]
    fn invalid_documents_report_file_line_and_pointer() {
        let files = MemoryFiles::new().with(
            "x.json",
            "{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"},\n \"paths\": 5}",
        );
        let err = generate(&files, &api(&["x.json"])).unwrap_err().to_string();
        assert!(err.starts_with("x.json:2:"), "{err}");
        assert!(err.contains("(at /paths)"), "{err}");
        assert!(err.contains("expected struct Paths"), "{err}");
        // A member of the wrong type is read leniently, with a located
        // warning, and the operation keeps its response.
        let files = MemoryFiles::new().with(
            "x.json",
            "{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"},\n \"paths\": {\"/a\": {\"get\": {\"responses\": {\"200\": {\"description\": 5}}}}}}",
        );
        let out = generate(&files, &api(&["x.json"])).unwrap();
        let warning = out.diagnostics[0].to_string();
        assert!(
            warning.starts_with("warning[lenient]: x.json:2:")
                && warning.contains(
                    "(at /paths/~1a/get/responses/200/description): a number read as \"5\""
                ),
            "{warning}"
        );
        assert!(out.code.contains("200 =>"), "{}", out.code);
    }

    #[test]
    fn required_string_is_repaired_with_a_located_warning() {
        let files = MemoryFiles::new().with(
            "y.json",
            r#"{"openapi": "3.0.0", "info": {"title": "t", "version": "1"},
"paths": {"/a": {"get": {"operationId": "getA", "parameters": [
  {"name": "X-Token", "in": "header", "required": "true", "schema": {"type": "string"}}],
  "responses": {"204": {"description": "ok"}}}}}}"#,
        );
        let out = generate(&files, &api(&["y.json"])).unwrap();
        let d = &out.diagnostics[0];
        assert_eq!(d.code, "repair:required-not-boolean");
        assert_eq!(d.location.line, Some(3));
        assert!(out.code.contains("x_token: &str"), "{}", out.code);
    }

    #[test]
    fn schemas_typify_cannot_take_still_generate() {
        let files = MemoryFiles::new().with(
            "z.yaml",
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/A'}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        links: {type: object, format: uri-map}\n        order: {type: string, enum: [ASC, DESC, asc, desc]}\n        n: {type: [integer, 'null'], default: null}\n",
        );
        let out = generate(&files, &api(&["z.yaml"])).unwrap();
        assert!(out.code.contains("pub struct A"), "{}", out.code);
        assert!(
            out.code.contains("pub n: ::std::option::Option<i64>"),
            "{}",
            out.code
        );
        assert_eq!(out.operations, 1);
    }

    #[test]
    fn swagger_2_documents_generate() {
        let files = MemoryFiles::new().with(
            "s.json",
            r##"{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "host": "h.example", "basePath": "/v1",
               "paths": {"/pets": {"post": {"operationId": "addPet",
                 "parameters": [{"name": "body", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}}],
                 "responses": {"201": {"description": "made", "schema": {"$ref": "#/definitions/Pet"}}}}}},
               "definitions": {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}}}"##,
        );
        let out = generate(&files, &api(&["s.json"])).unwrap();
        assert!(out.code.contains("pub async fn add_pet("), "{}", out.code);
        assert!(out.code.contains("body: &types::Pet"), "{}", out.code);
        assert!(
            out.code.contains("\"https://h.example/v1\""),
            "{}",
            out.code
        );
        assert!(out.diagnostics.iter().any(|d| d.code == "normalize"));
    }

    #[test]
    fn names_that_collide_after_case_conversion_stay_apart() {
        let files = MemoryFiles::new().with(
            "n.yaml",
            r#"openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /users:
    get:
      operationId: listUsers
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/user'}}
components:
  schemas:
    User:
      type: object
      properties:
        id: {type: string}
        _id: {type: string}
        authTime: {type: integer}
        auth_time: {type: integer}
        owner: {type: object, properties: {name: {type: string}}}
    user:
      type: object
      properties:
        friend: {$ref: '#/components/schemas/User'}
    UserOwner:
      type: object
      properties:
        since: {type: string, format: date}
"#,
        );
        let out = generate(&files, &api(&["n.yaml"])).unwrap();
        let code = &out.code;
        for expected in [
            "pub struct User {",
            "pub struct User2 {",
            "pub struct UserOwner {",
            "pub struct UserOwner2 {",
            "pub id: ",
            "pub id_2: ",
            "pub auth_time: ",
            "pub auth_time_2: ",
            "rename = \"_id\"",
            "rename = \"authTime\"",
            "pub owner: ::std::option::Option<UserOwner2>",
            "pub friend: ::std::option::Option<User>",
            "::std::vec::Vec<types::User2>",
        ] {
            assert!(code.contains(expected), "missing `{expected}` in\n{code}");
        }
        assert!(out
            .diagnostics
            .iter()
            .any(|d| d.message.contains("this one is `User2`")));
    }

    #[test]
    fn documented_references_stay_references() {
        let files = MemoryFiles::new().with(
            "r.yaml",
            r#"openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Kind: {type: integer, enum: [1, 2, 3]}
    Item: {type: object, properties: {name: {type: string}}}
    Holder:
      type: object
      properties:
        item:
          allOf: [{$ref: '#/components/schemas/Item'}, {description: The item held.}]
          nullable: true
        kind:
          type: integer
          enum: [1]
          allOf: [{$ref: '#/components/schemas/Kind'}]
"#,
        );
        let out = generate(&files, &api(&["r.yaml"])).unwrap();
        let code = &out.code;
        for expected in [
            "pub item: ::std::option::Option<Item>",
            "pub kind: ::std::option::Option<Kind>",
        ] {
            assert!(code.contains(expected), "missing `{expected}` in\n{code}");
        }
        assert!(!code.contains("HolderItem"), "{code}");
    }

    #[test]
    fn multi_file_specs_generate_and_errors_point_into_the_referenced_file() {
        let files = MemoryFiles::new()
            .with(
                "spec/root.yaml",
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    $ref: paths/pets.yaml\n  /bad:\n    $ref: paths/bad.yaml\n",
            )
            .with(
                "spec/paths/pets.yaml",
                "get:\n  operationId: listPets\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema: {$ref: '../models/Pet.yaml'}\n",
            )
            .with(
                "spec/paths/bad.yaml",
                "get:\n  operationId: bad\n  responses:\n    '200':\n      description: 5\n",
            )
            .with(
                "spec/models/Pet.yaml",
                "type: object\nproperties:\n  name: {type: string}\n",
            );
        // The bad member is read leniently; the warning points into the
        // file it came from.
        let out = generate(&files, &api(&["spec/root.yaml"])).unwrap();
        let warning = out.diagnostics[0].to_string();
        assert!(
            warning.starts_with("warning[lenient]: spec/paths/bad.yaml:5:"),
            "{warning}"
        );
        let files = files.with(
            "spec/paths/bad.yaml",
            "get:\n  operationId: bad\n  responses:\n    '200':\n      description: fine\n",
        );
        let out = generate(&files, &api(&["spec/root.yaml"])).unwrap();
        assert!(out.code.contains("pub struct Pet {"), "{}", out.code);
        assert!(out.code.contains("pub async fn list_pets("), "{}", out.code);
        assert_eq!(out.operations, 2);
    }

    #[test]
    fn component_titles_do_not_name_merged_copies() {
        let files = MemoryFiles::new().with(
            "t.yaml",
            r#"openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    File--Base:
      title: File (Base)
      type: object
      nullable: true
      properties: {id: {type: string}}
    File:
      title: File
      type: object
      allOf:
        - $ref: '#/components/schemas/File--Base'
        - properties: {size: {type: integer}}
    Holder:
      type: object
      properties:
        file:
          allOf: [{$ref: '#/components/schemas/File--Base'}, {properties: {extra: {type: string}}}]
          nullable: true
"#,
        );
        let out = generate(&files, &api(&["t.yaml"])).unwrap();
        let mut names: Vec<&str> = out
            .code
            .lines()
            .filter_map(|l| {
                let l = l.trim_start();
                l.strip_prefix("pub struct ")
                    .or_else(|| l.strip_prefix("pub enum "))
            })
            .map(|rest| {
                rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                    .next()
                    .unwrap_or("")
            })
            .collect();
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(
            names.len(),
            count,
            "a type name is defined twice:\n{}",
            out.code
        );
    }
}
