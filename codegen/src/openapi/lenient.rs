//! Lenient reading: openapiv3's strict deserialization must not turn one
//! bad member into a failed document. Before the document is read, every
//! part that openapiv3 would reject is degraded in the `Value`, each with a
//! located warning (code `lenient`), and the rest of the API generates:
//!
//! - **Schemas** (every `schema` member and every `components/schemas`
//!   entry) are checked one by one, children first: a boolean schema or a
//!   non-object becomes `{}` (any value); a schema that still does not read
//!   loses the one keyword that makes it fail (an `enum` of the wrong type,
//!   a `required` that is not a list, …), and if no single keyword is to
//!   blame it becomes `{}`. Types are generated from the `Value`, so an
//!   any-value schema becomes `serde_json::Value`.
//! - **The rest**: the document is read; each error, at its JSON pointer,
//!   degrades the smallest part that contains it: a response is dropped (its
//!   status becomes an unexpected one), a query/header/cookie parameter is
//!   dropped, an operation or path item with a bad path parameter, body or
//!   anything else is skipped, a component is dropped (references to it
//!   then degrade where they are used), a bad server/tag/external-docs
//!   entry is dropped, and a missing member with an obvious default gets it
//!   (`responses: {}`, `description: ""`, `info.title`, `info.version`).
//!   This repeats until the document reads (each step removes something,
//!   so it ends).
//!
//! Only a document that is not an object, or whose error cannot be
//! narrowed to any of these parts, is still an error.

use serde_json::{Map, Value};

use super::locate::{escape_token, unescape_token};

/// What was degraded: (pointer, message).
pub type Notes = Vec<(String, String)>;

/// Deepest schema nesting checked; anything deeper becomes `{}`.
const MAX_SCHEMA_DEPTH: usize = 200;
/// Most degradations of the document as a whole before giving up.
const MAX_STEPS: usize = 10_000;

/// Degrades every schema of `doc` that openapiv3 cannot read.
pub fn fix_schemas(doc: &mut Value) -> Notes {
    let mut notes = Notes::new();
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for (name, schema) in schemas.iter_mut() {
            let pointer = format!("/components/schemas/{}", escape_token(name));
            fix_schema(schema, &pointer, 0, &mut notes);
        }
    }
    find_schema_members(doc, String::new(), 0, &mut notes);
    notes
}

/// Walks the document outside schemas and data, fixing every `schema`
/// member.
fn find_schema_members(value: &mut Value, pointer: String, depth: usize, notes: &mut Notes) {
    if depth > MAX_SCHEMA_DEPTH {
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let at = format!("{pointer}/{}", escape_token(key));
                if key == "schema" {
                    fix_schema(child, &at, 0, notes);
                } else if key.starts_with("x-")
                    || matches!(key.as_str(), "example" | "examples" | "default" | "enum")
                    || at == "/components/schemas"
                {
                    // Data, or schemas already fixed.
                } else {
                    find_schema_members(child, at, depth + 1, notes);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                find_schema_members(item, format!("{pointer}/{i}"), depth + 1, notes);
            }
        }
        _ => {}
    }
}

fn reads_as_schema(value: &Value) -> Result<(), String> {
    serde_json::from_value::<openapiv3::ReferenceOr<openapiv3::Schema>>(value.clone())
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Keywords whose value is one schema.
const SINGLE: &[&str] = &["items", "not", "additionalProperties"];
/// Keywords whose value is a list of schemas.
const LISTS: &[&str] = &["allOf", "anyOf", "oneOf"];

/// Makes `schema` readable by openapiv3, children first.
fn fix_schema(schema: &mut Value, pointer: &str, depth: usize, notes: &mut Notes) {
    if depth > MAX_SCHEMA_DEPTH {
        *schema = Value::Object(Map::new());
        notes.push((
            pointer.to_string(),
            format!("schema nested deeper than {MAX_SCHEMA_DEPTH}; read as any value"),
        ));
        return;
    }
    let problem = match &*schema {
        Value::Object(_) => None,
        Value::Bool(b) => Some(format!("boolean schema `{b}` read as any value")),
        other => Some(format!(
            "schema is {}, not an object; read as any value",
            json_kind(other)
        )),
    };
    if let Some(message) = problem {
        *schema = Value::Object(Map::new());
        notes.push((pointer.to_string(), message));
        return;
    }
    if reads_as_schema(schema).is_ok() {
        return;
    }
    let Value::Object(map) = schema else { return };
    // Children first: a bad property must not cost its parent.
    for (key, child) in map.iter_mut() {
        let at = format!("{pointer}/{}", escape_token(key));
        match key.as_str() {
            "properties" | "patternProperties" => {
                if let Value::Object(props) = child {
                    for (name, prop) in props.iter_mut() {
                        let at = format!("{at}/{}", escape_token(name));
                        fix_schema(prop, &at, depth + 1, notes);
                    }
                }
            }
            "additionalProperties" if child.is_boolean() => {}
            k if SINGLE.contains(&k) => fix_schema(child, &at, depth + 1, notes),
            k if LISTS.contains(&k) => {
                if let Value::Array(items) = child {
                    for (i, item) in items.iter_mut().enumerate() {
                        fix_schema(item, &format!("{at}/{i}"), depth + 1, notes);
                    }
                }
            }
            _ => {}
        }
    }
    let Err(error) = reads_as_schema(schema) else {
        return;
    };
    let Value::Object(map) = schema else { return };
    // The one keyword to blame, if there is one.
    let keys: Vec<String> = map.keys().cloned().collect();
    for key in keys {
        let mut trial = map.clone();
        let removed = trial.remove(&key);
        if reads_as_schema(&Value::Object(trial)).is_ok() {
            map.remove(&key);
            let what = removed.as_ref().map_or("", json_kind);
            notes.push((
                format!("{pointer}/{}", escape_token(&key)),
                format!("`{key}` ({what}) does not read: {error}; dropped"),
            ));
            return;
        }
    }
    *schema = Value::Object(Map::new());
    notes.push((
        pointer.to_string(),
        format!("schema does not read ({error}); read as any value"),
    ));
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// One degradation of the document for an error at `pointer` with
/// `message`; `None` when no part containing it can be degraded.
pub fn degrade(doc: &mut Value, pointer: &str, message: &str) -> Option<(String, String)> {
    let tokens: Vec<String> = pointer.split('/').skip(1).map(unescape_token).collect();
    let token = |i: usize| tokens.get(i).map(String::as_str);
    let prefix = |n: usize| -> String {
        tokens[..n.min(tokens.len())]
            .iter()
            .map(|t| format!("/{}", escape_token(t)))
            .collect()
    };
    // A scalar of the wrong type where a string or boolean is expected.
    if let Some(value) = doc.pointer_mut(pointer) {
        let coerced = match (&*value, message) {
            (Value::Number(n), m) if m.contains("expected a string") => {
                Some(Value::String(n.to_string()))
            }
            (Value::Bool(b), m) if m.contains("expected a string") => {
                Some(Value::String(b.to_string()))
            }
            (Value::String(s), m) if m.contains("expected a boolean") => match s.as_str() {
                "true" | "True" | "TRUE" => Some(Value::Bool(true)),
                "false" | "False" | "FALSE" => Some(Value::Bool(false)),
                _ => None,
            },
            _ => None,
        };
        if let Some(coerced) = coerced {
            let note = format!("{} read as {coerced}", json_kind(value));
            *value = coerced;
            return Some((pointer.to_string(), note));
        }
    }
    // A missing member with an obvious default.
    if let Some(field) = missing_field(message) {
        let default = match field {
            "responses" => Some(Value::Object(Map::new())),
            "description" | "title" | "version" => Some(Value::String(String::new())),
            "info" => Some(serde_json::json!({"title": "", "version": ""})),
            _ => None,
        };
        if let (Some(default), Some(Value::Object(map))) = (default, doc.pointer_mut(pointer)) {
            if !map.contains_key(field) {
                map.insert(field.to_string(), default);
                return Some((
                    pointer.to_string(),
                    format!("missing `{field}`; an empty one is used"),
                ));
            }
        }
    }
    match (token(0), tokens.len()) {
        (Some("paths"), n) if n >= 2 => {
            let item = prefix(2);
            const METHODS: &[&str] = &[
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ];
            match token(2) {
                Some(m) if METHODS.contains(&m) && n >= 3 => {
                    let op = prefix(3);
                    if token(3) == Some("responses") && n >= 5 {
                        let at = prefix(5);
                        return remove(doc, &at).then(|| {
                            (at, format!("response does not read ({message}); dropped, its status is unexpected"))
                        });
                    }
                    if token(3) == Some("parameters") && n >= 5 && !is_path_param(doc, &prefix(5)) {
                        let at = prefix(5);
                        return remove(doc, &at).then(|| {
                            (at, format!("parameter does not read ({message}); dropped"))
                        });
                    }
                    remove(doc, &op)
                        .then(|| (op, format!("operation does not read ({message}); skipped")))
                }
                Some("parameters") if n >= 4 && !is_path_param(doc, &prefix(4)) => {
                    let at = prefix(4);
                    remove(doc, &at)
                        .then(|| (at, format!("parameter does not read ({message}); dropped")))
                }
                _ => remove(doc, &item).then(|| {
                    (
                        item,
                        format!("path item does not read ({message}); skipped"),
                    )
                }),
            }
        }
        (Some("components"), n) if n >= 3 => {
            let at = prefix(3);
            remove(doc, &at).then(|| {
                (
                    at,
                    format!(
                        "component does not read ({message}); dropped, references to it degrade"
                    ),
                )
            })
        }
        (Some("components"), _) => {
            let at = prefix(2.min(tokens.len()));
            remove(doc, &at).then(|| (at, format!("does not read ({message}); dropped")))
        }
        (Some("servers" | "tags"), n) if n >= 2 => {
            let at = prefix(2);
            remove(doc, &at).then(|| (at, format!("entry does not read ({message}); dropped")))
        }
        (Some("externalDocs" | "security" | "servers" | "tags" | "webhooks"), _) => {
            let at = prefix(1);
            remove(doc, &at).then(|| (at, format!("does not read ({message}); dropped")))
        }
        (Some("info"), n) if n >= 2 && !matches!(token(1), Some("title" | "version")) => {
            let at = prefix(2);
            remove(doc, &at).then(|| (at, format!("does not read ({message}); dropped")))
        }
        (Some("info"), _) => {
            let info = doc.get("info").cloned().unwrap_or(Value::Null);
            let text = |key: &str| match info.get(key) {
                Some(Value::String(s)) => Value::String(s.clone()),
                Some(Value::Number(n)) => Value::String(n.to_string()),
                _ => Value::String(String::new()),
            };
            let fixed = serde_json::json!({"title": text("title"), "version": text("version")});
            if info == fixed {
                return None;
            }
            doc.as_object_mut()?.insert("info".into(), fixed);
            Some((
                "/info".into(),
                format!("does not read ({message}); only title and version kept"),
            ))
        }
        _ => None,
    }
}

/// `missing field `x`` → `x`.
fn missing_field(message: &str) -> Option<&str> {
    let rest = message.split("missing field `").nth(1)?;
    rest.split('`').next()
}

fn is_path_param(doc: &Value, pointer: &str) -> bool {
    doc.pointer(pointer)
        .and_then(|p| p.get("in"))
        .and_then(Value::as_str)
        .is_some_and(|i| i == "path")
}

/// Removes the member or list item at `pointer`; whether anything was there.
fn remove(doc: &mut Value, pointer: &str) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return false;
    };
    let last = unescape_token(last);
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => map.remove(&last).is_some(),
        Some(Value::Array(items)) => match last.parse::<usize>() {
            Ok(i) if i < items.len() => {
                items.remove(i);
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// Reads `doc` as openapiv3, degrading what does not read (see the module
/// docs). `first_error` narrows an error to its pointer and message.
pub fn read(
    doc: &mut Value,
    first_error: impl Fn(&Value) -> Option<(String, String)>,
    notes: &mut Notes,
) -> Result<openapiv3::OpenAPI, (String, String)> {
    for _ in 0..MAX_STEPS {
        let Some((pointer, message)) = first_error(doc) else {
            // Read without error (first_error found none).
            return serde_json::from_value(doc.clone()).map_err(|e| (String::new(), e.to_string()));
        };
        match degrade(doc, &pointer, &message) {
            Some(note) => notes.push(note),
            None => return Err((pointer, message)),
        }
    }
    Err((String::new(), "too many unreadable parts".to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bad_schemas_lose_the_keyword_to_blame_or_become_any() {
        let mut doc = json!({
            "components": {"schemas": {
                "Flag": false,
                "Bad": {"type": "object", "properties": {
                    "ok": {"type": "string"},
                    "num": {"type": "string", "enum": [0, "a"], "maxLength": "x"},
                    "list": {"type": "array", "items": true}
                }}
            }},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "", "content": {
                "application/json": {"schema": 7}
            }}}}}}
        });
        let notes = fix_schemas(&mut doc);
        assert_eq!(doc["components"]["schemas"]["Flag"], json!({}));
        assert_eq!(
            doc["components"]["schemas"]["Bad"]["properties"]["ok"],
            json!({"type": "string"})
        );
        assert_eq!(
            doc["components"]["schemas"]["Bad"]["properties"]["list"]["items"],
            json!({})
        );
        assert!(reads_as_schema(&doc["components"]["schemas"]["Bad"]).is_ok());
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({})
        );
        let pointers: Vec<&str> = notes.iter().map(|(p, _)| p.as_str()).collect();
        assert!(pointers.contains(&"/components/schemas/Flag"), "{notes:?}");
        assert!(
            pointers
                .iter()
                .any(|p| p.starts_with("/components/schemas/Bad/properties/num")),
            "{notes:?}"
        );
    }

    #[test]
    fn errors_degrade_the_smallest_part() {
        let mut doc = json!({
            "openapi": "3.0.0",
            "info": {"title": 5, "version": "1"},
            "paths": {
                "/a": {"get": {
                    "parameters": [{"name": "q", "in": "query", "style": 42}],
                    "responses": {"200": {"description": "ok"}, "404": {"content": 3}}
                }},
                "/b": {"post": {"requestBody": 7}},
                "/c": {"get": {}}
            },
            "servers": [{"url": "https://a", "variables": 5}, {"url": "https://x"}]
        });
        let mut notes = Notes::new();
        let spec = read(&mut doc, super::super::document_error, &mut notes)
            .unwrap_or_else(|e| panic!("{e:?} after {notes:?}"));
        assert_eq!(spec.info.title, "5");
        assert_eq!(spec.servers.len(), 1);
        assert!(doc.pointer("/paths/~1b/post").is_none(), "{doc}");
        assert!(doc.pointer("/paths/~1c/get/responses").is_some());
        assert!(!notes.is_empty());
    }
}
