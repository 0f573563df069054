//! OpenAPI Overlay 1.0: deliberate changes to a spec kept in a file of their
//! own beside it (e.g. to give operations names). Each action's `target` is
//! an RFC 9535 JSONPath (serde_json_path); `update` is merged into every
//! node it selects (objects recursively, arrays appended), `remove: true`
//! deletes them. An action that selects nothing is reported, so an overlay
//! that no longer applies to an updated spec does not go unnoticed.

use serde_json::Value;
use serde_json_path::JsonPath;

use super::load::{Document, SourceMap};
use crate::{Diagnostic, Error};

/// Applies the overlay `overlay` to `target`, returning notes on what it did.
pub fn apply(
    overlay: &Document,
    map: &SourceMap,
    target: &mut Value,
) -> Result<Vec<Diagnostic>, Error> {
    let invalid = |pointer: &str, message: String| Error::Invalid {
        location: map.locate(&overlay.file, pointer),
        message,
    };
    if overlay
        .value
        .get("overlay")
        .and_then(Value::as_str)
        .is_none()
    {
        return Err(invalid(
            "",
            "not an overlay document: no `overlay` version field".into(),
        ));
    }
    let Some(actions) = overlay.value.get("actions").and_then(Value::as_array) else {
        return Err(invalid("", "overlay has no `actions` list".into()));
    };
    let mut notes = Vec::new();
    for (index, action) in actions.iter().enumerate() {
        let pointer = format!("/actions/{index}");
        let path_text = action
            .get("target")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(&pointer, "action has no `target`".into()))?;
        let path = JsonPath::parse(path_text).map_err(|e| {
            invalid(
                &format!("{pointer}/target"),
                format!("invalid jsonpath: {e}"),
            )
        })?;
        let mut pointers: Vec<String> = path
            .query_located(target)
            .locations()
            .map(|l| l.to_json_pointer())
            .collect();
        if pointers.is_empty() {
            notes.push(Diagnostic::warning(
                "overlay:no-match",
                map.locate(&overlay.file, &format!("{pointer}/target")),
                format!("target `{path_text}` selects nothing; the overlay no longer applies"),
            ));
            continue;
        }
        let remove = action
            .get("remove")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if remove {
            // Remove deepest/last first so earlier array indices stay valid.
            pointers.sort();
            for p in pointers.iter().rev() {
                remove_at(target, p);
            }
        } else if let Some(update) = action.get("update") {
            for p in &pointers {
                if let Some(node) = target.pointer_mut(p) {
                    merge(node, update);
                }
            }
        }
        notes.push(Diagnostic::note(
            "overlay:applied",
            map.locate(&overlay.file, &pointer),
            format!(
                "{} `{path_text}` ({} node{})",
                if remove { "removed" } else { "updated" },
                pointers.len(),
                if pointers.len() == 1 { "" } else { "s" }
            ),
        ));
    }
    Ok(notes)
}

/// Overlay merge: objects merge key by key, arrays are appended to, any
/// other value replaces.
fn merge(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Object(node), Value::Object(update)) => {
            for (key, value) in update {
                match node.get_mut(key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        node.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(node), Value::Array(update)) => node.extend(update.iter().cloned()),
        (Value::Array(node), update) => node.push(update.clone()),
        (node, update) => *node = update.clone(),
    }
}

fn remove_at(root: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = super::locate::unescape_token(last);
    match root.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(index) = key.parse::<usize>() {
                if index < items.len() {
                    items.remove(index);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemoryFiles;
    use serde_json::json;

    fn overlay(text: &str) -> (Document, SourceMap) {
        let files = MemoryFiles::new().with("o.json", text);
        let mut map = SourceMap::default();
        let doc = super::super::load::load(&files, "o.json", &mut map).unwrap();
        (doc, map)
    }

    #[test]
    fn updates_and_removes() {
        let (doc, map) = overlay(
            r#"{"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [
                {"target": "$.paths['/a'].post", "update": {"operationId": "logOff", "tags": ["x"]}},
                {"target": "$.paths['/a'].get", "remove": true}
            ]}"#,
        );
        let mut spec =
            json!({"paths": {"/a": {"post": {"operationId": "guid", "tags": ["t"]}, "get": {}}}});
        let notes = apply(&doc, &map, &mut spec).unwrap();
        assert_eq!(
            spec,
            json!({"paths": {"/a": {"post": {"operationId": "logOff", "tags": ["t", "x"]}}}})
        );
        assert_eq!(notes.len(), 2);
    }

    #[test]
    fn a_target_that_selects_nothing_is_reported() {
        let (doc, map) = overlay(
            "{\"overlay\": \"1.0.0\", \"actions\": [\n  {\"target\": \"$.paths['/gone']\", \"remove\": true}\n]}",
        );
        let mut spec = json!({"paths": {}});
        let notes = apply(&doc, &map, &mut spec).unwrap();
        assert_eq!(notes[0].code, "overlay:no-match");
        assert_eq!(notes[0].location.line, Some(2));
    }

    #[test]
    fn bad_jsonpath_is_an_error_with_location() {
        let (doc, map) =
            overlay(r#"{"overlay": "1.0.0", "actions": [{"target": "$[", "remove": true}]}"#);
        let err = apply(&doc, &map, &mut json!({})).unwrap_err();
        assert!(err.to_string().contains("/actions/0/target"), "{err}");
    }
}
