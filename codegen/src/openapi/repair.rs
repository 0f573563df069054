//! Repair passes: named, documented fixes for defects that real specs have,
//! applied to the parsed `serde_json::Value` of each file before it is read
//! as OpenAPI. Vendored files stay byte-identical; every change a pass makes
//! is reported as a warning naming the file, line:column and JSON pointer.
//!
//! To add a pass: write a function with the [`Pass`] signature, document the
//! defect it repairs (with a real-world example), add it to [`PASSES`], and
//! give it a fixture test below.

use serde_json::Value;

use super::locate::escape_token;

/// One change made by a pass, before it is given a file position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub pass: &'static str,
    pub pointer: String,
    pub message: String,
}

/// A repair pass: walks a whole document and records what it changed.
pub struct Pass {
    /// Short name, used in diagnostics as `repair:<name>`.
    pub name: &'static str,
    /// What it repairs, for ARCHITECTURE.md and `--help` style listings.
    pub description: &'static str,
    pub run: fn(&mut Value, &mut Vec<Repair>),
}

/// Every pass, in the order they run.
pub const PASSES: &[Pass] = &[
    Pass {
        name: "required-not-boolean",
        description: "`required: \"true\"` (a string) on a parameter, header or request body \
                      where OpenAPI needs a boolean; read as the boolean it spells \
                      (seen in Rocket.Chat's specs)",
        run: required_not_boolean,
    },
    Pass {
        name: "null-member",
        description: "a member whose value is `null` where OpenAPI needs a map, list or \
                      string (`schemas:` with nothing under it in YAML); dropped, which \
                      reads as empty (seen in Rocket.Chat's specs)",
        run: null_member,
    },
    Pass {
        name: "items-as-list",
        description: "`items` given as a list of schemas (JSON Schema draft 4 tuple form), \
                      which OpenAPI does not allow; read as `items: {anyOf: [...]}`, an \
                      item of any of the listed kinds (seen in Slack's spec)",
        run: items_as_list,
    },
];

/// Runs every pass over `doc`, reporting each change as a located warning.
pub fn run_located(
    doc: &mut super::load::Document,
    map: &super::load::SourceMap,
    diagnostics: &mut Vec<crate::Diagnostic>,
) {
    for r in run_all(&mut doc.value) {
        diagnostics.push(crate::Diagnostic::warning(
            &format!("repair:{}", r.pass),
            map.locate(&doc.file, &r.pointer),
            r.message,
        ));
    }
}

/// Runs every pass over `value`.
pub fn run_all(value: &mut Value) -> Vec<Repair> {
    let mut repairs = Vec::new();
    for pass in PASSES {
        (pass.run)(value, &mut repairs);
    }
    repairs
}

/// Keywords whose values are data (examples, defaults, enum values) or
/// vendor extensions: the structural passes do not look inside them.
pub(super) fn is_data_key(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-")
}

/// Calls `f` on every object in `value` with its JSON pointer, parents
/// before children, without descending into data (see [`is_data_key`]).
fn walk_objects(
    value: &mut Value,
    pointer: &mut String,
    f: &mut dyn FnMut(&str, &mut serde_json::Map<String, Value>),
) {
    match value {
        Value::Object(map) => {
            f(pointer, map);
            // An Example object's `value` is data; a property named `value`
            // (a member of a `properties` map) is a schema.
            let in_properties = pointer.ends_with("/properties");
            for (key, child) in map.iter_mut() {
                if is_data_key(key) || (key == "value" && !in_properties) {
                    continue;
                }
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape_token(key));
                walk_objects(child, pointer, f);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{index}"));
                walk_objects(child, pointer, f);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// A `null` member outside data: no structural member of OpenAPI or
/// Swagger may be `null`, and a YAML key with nothing after it
/// (`schemas:`) reads as one. Dropping it reads as "none given".
fn null_member(value: &mut Value, repairs: &mut Vec<Repair>) {
    walk_objects(value, &mut String::new(), &mut |pointer, map| {
        let nulls: Vec<String> = map
            .iter()
            .filter(|(k, v)| v.is_null() && !is_data_key(k))
            .map(|(k, _)| k.clone())
            .collect();
        for key in nulls {
            map.remove(&key);
            repairs.push(Repair {
                pass: "null-member",
                pointer: format!("{pointer}/{}", escape_token(&key)),
                message: format!("`{key}` is null; read as not given"),
            });
        }
    });
}

/// `items: [A, B]`: a list where OpenAPI needs one schema. Read as an item
/// that is any of the listed schemas (one schema: that schema).
fn items_as_list(value: &mut Value, repairs: &mut Vec<Repair>) {
    walk_objects(value, &mut String::new(), &mut |pointer, map| {
        let Some(Value::Array(list)) = map.get_mut("items") else {
            return;
        };
        let list = std::mem::take(list);
        let count = list.len();
        let schema = match <[Value; 1]>::try_from(list) {
            Ok([one]) => one,
            Err(list) => serde_json::json!({ "anyOf": list }),
        };
        map.insert("items".into(), schema);
        repairs.push(Repair {
            pass: "items-as-list",
            pointer: format!("{pointer}/items"),
            message: format!(
                "`items` is a list of {count} schema(s); read as an item matching any of them"
            ),
        });
    });
}

/// `required: "true"` / `"false"` on anything that is not a schema (where
/// `required` is a list of property names) becomes a boolean.
fn required_not_boolean(value: &mut Value, repairs: &mut Vec<Repair>) {
    walk_objects(value, &mut String::new(), &mut |pointer, map| {
        let Some(Value::String(text)) = map.get("required") else {
            return;
        };
        let looks_like_schema = map.contains_key("properties") || map.contains_key("type");
        let is_parameter = map.contains_key("in") || map.contains_key("content");
        if looks_like_schema && !is_parameter && !pointer.contains("/headers/") {
            return;
        }
        let flag = match text.trim().to_ascii_lowercase().as_str() {
            "true" => true,
            "false" => false,
            _ => return,
        };
        repairs.push(Repair {
            pass: "required-not-boolean",
            pointer: format!("{pointer}/required"),
            message: format!("`required` is the string \"{text}\", read as the boolean {flag}"),
        });
        map.insert("required".to_string(), Value::Bool(flag));
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn required_strings_become_booleans() {
        let mut doc = json!({
            "components": {"parameters": {"Auth-Token": {
                "name": "X-Auth-Token", "in": "header", "required": "true",
                "schema": {"type": "string"}
            }}},
            "paths": {"/a": {"get": {"parameters": [
                {"name": "q", "in": "query", "required": "False"}
            ]}}}
        });
        let repairs = run_all(&mut doc);
        assert_eq!(
            doc["components"]["parameters"]["Auth-Token"]["required"],
            json!(true)
        );
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"][0]["required"],
            json!(false)
        );
        let pointers: Vec<_> = repairs.iter().map(|r| r.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/components/parameters/Auth-Token/required",
                "/paths/~1a/get/parameters/0/required"
            ]
        );
    }

    #[test]
    fn null_members_are_dropped_but_null_data_is_kept() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"parameters": null, "responses": {}}}},
            "components": {"schemas": null, "parameters": {"p": {
                "name": "p", "in": "query", "schema": {"type": "string", "default": null},
                "example": {"k": null}, "examples": {"e": {"value": {"k": null}}}
            }}, "examples": {"x": {"summary": "s", "value": {"k": null}}}}
        });
        let repairs = run_all(&mut doc);
        let mut pointers: Vec<_> = repairs.iter().map(|r| r.pointer.as_str()).collect();
        pointers.sort();
        assert_eq!(
            pointers,
            ["/components/schemas", "/paths/~1a/get/parameters"]
        );
        assert_eq!(doc["paths"]["/a"]["get"], json!({"responses": {}}));
        assert!(doc["components"].get("schemas").is_none());
        assert_eq!(
            doc["components"]["parameters"]["p"]["schema"]["default"],
            Value::Null
        );
        assert_eq!(
            doc["components"]["parameters"]["p"]["example"]["k"],
            Value::Null
        );
    }

    #[test]
    fn items_lists_become_any_of() {
        let mut doc = json!({"definitions": {
            "A": {"type": "array", "items": [{"$ref": "#/definitions/B"}, {"type": "null"}]},
            "C": {"type": "array", "items": [{"type": "string"}]},
            "D": {"type": "object", "example": {"items": [1, 2]}}
        }});
        let repairs = run_all(&mut doc);
        assert_eq!(repairs.len(), 2);
        assert_eq!(repairs[0].pointer, "/definitions/A/items");
        assert_eq!(
            doc["definitions"]["A"]["items"],
            json!({"anyOf": [{"$ref": "#/definitions/B"}, {"type": "null"}]})
        );
        assert_eq!(doc["definitions"]["C"]["items"], json!({"type": "string"}));
        assert_eq!(doc["definitions"]["D"]["example"]["items"], json!([1, 2]));
    }

    #[test]
    fn schemas_and_real_booleans_are_left_alone() {
        let mut doc = json!({
            "a": {"name": "x", "in": "query", "required": true},
            "b": {"type": "object", "required": ["x"]},
        });
        let before = doc.clone();
        assert!(run_all(&mut doc).is_empty());
        assert_eq!(doc, before);
    }
}
