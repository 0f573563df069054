//! Schema types through typify: OpenAPI 3.0 schemas are rewritten into the
//! JSON Schema that typify reads (`nullable` → `null` in `type`, OpenAPI-only
//! keywords dropped), components become named types, inline schemas get a
//! unique name from their operation, status and role.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};
use typify_impl::{TypeDetails, TypeSpace, TypeSpaceSettings};

/// How a body of this type is read off the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A plain string: a JSON string, or the text of a non-JSON body.
    String,
    /// Anything else: decoded as JSON.
    Json,
}

/// A Rust type for a schema.
#[derive(Debug, Clone)]
pub struct RustType {
    /// The type as written in a field or return type (`types::Pet`).
    pub ident: TokenStream,
    /// The type as a by-reference parameter (`&types::Pet`, `&str`).
    pub param: TokenStream,
    pub shape: Shape,
}

pub struct Types {
    space: TypeSpace,
    /// Component schema names known to typify.
    known: BTreeMap<String, ()>,
    /// Findings: (pointer, message).
    pub notes: Vec<(String, String)>,
}

impl Types {
    /// Creates the type space with every schema of `components/schemas`.
    pub fn new(components: Option<&Map<String, Value>>) -> Types {
        let mut settings = TypeSpaceSettings::default();
        settings.with_type_mod("types").with_struct_builder(false);
        let mut space = TypeSpace::new(&settings);
        let mut notes = Vec::new();
        let mut known = BTreeMap::new();
        if let Some(components) = components {
            let defs: Vec<(String, schemars::schema::Schema)> = components
                .iter()
                .filter_map(|(name, schema)| {
                    let json = to_json_schema(schema);
                    match serde_json::from_value(json) {
                        Ok(s) => Some((name.clone(), s)),
                        Err(e) => {
                            notes.push((
                                format!(
                                    "/components/schemas/{}",
                                    super::locate::escape_token(name)
                                ),
                                format!("schema not understood ({e}); typed as serde_json::Value"),
                            ));
                            None
                        }
                    }
                })
                .collect();
            for (name, _) in &defs {
                known.insert(name.clone(), ());
            }
            let result = catch_unwind(AssertUnwindSafe(|| space.add_ref_types(defs)));
            match result {
                Ok(Ok(())) => {}
                Ok(Err(e)) => notes.push((
                    "/components/schemas".into(),
                    format!("typify could not convert the component schemas: {e}"),
                )),
                Err(_) => notes.push((
                    "/components/schemas".into(),
                    "typify panicked on the component schemas".into(),
                )),
            }
        }
        Types {
            space,
            known,
            notes,
        }
    }

    /// The Rust type for `schema`, naming a new inline type `name_hint`.
    /// A schema typify cannot handle becomes `serde_json::Value` with a note.
    pub fn type_for(&mut self, schema: &Value, name_hint: &str, pointer: &str) -> RustType {
        if let Some(unknown) = self.unknown_ref(schema) {
            self.notes.push((
                pointer.to_string(),
                format!("reference `{unknown}` does not resolve; typed as serde_json::Value"),
            ));
            return value_type();
        }
        let json = to_json_schema(schema);
        let parsed: Result<schemars::schema::Schema, _> = serde_json::from_value(json);
        let Ok(parsed) = parsed else {
            self.notes.push((
                pointer.to_string(),
                "schema not understood; typed as serde_json::Value".into(),
            ));
            return value_type();
        };
        let space = &mut self.space;
        let result = catch_unwind(AssertUnwindSafe(|| {
            let id = space.add_type_with_name(&parsed, Some(name_hint.to_string()))?;
            let ty = space.get_type(&id)?;
            let shape = match ty.details() {
                TypeDetails::String => Shape::String,
                _ => Shape::Json,
            };
            Ok::<_, typify_impl::Error>((ty.ident(), ty.parameter_ident(), shape))
        }));
        match result {
            Ok(Ok((ident, param, shape))) => {
                let param = if shape == Shape::String {
                    quote!(&str)
                } else {
                    param
                };
                RustType {
                    ident,
                    param,
                    shape,
                }
            }
            Ok(Err(e)) => {
                self.notes.push((
                    pointer.to_string(),
                    format!("{e}; typed as serde_json::Value"),
                ));
                value_type()
            }
            Err(_) => {
                self.notes.push((
                    pointer.to_string(),
                    "typify panicked; typed as serde_json::Value".into(),
                ));
                value_type()
            }
        }
    }

    /// A `$ref` anywhere in `schema` to a component that does not exist.
    fn unknown_ref(&self, schema: &Value) -> Option<String> {
        match schema {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    let name = r.rsplit('/').next().unwrap_or_default();
                    let name = super::locate::unescape_token(name);
                    if !r.starts_with("#/components/schemas/") || !self.known.contains_key(&name) {
                        return Some(r.clone());
                    }
                }
                map.values().find_map(|v| self.unknown_ref(v))
            }
            Value::Array(items) => items.iter().find_map(|v| self.unknown_ref(v)),
            _ => None,
        }
    }

    /// Crates the emitted types use beyond serde and serde_json.
    pub fn crates(&self) -> Vec<String> {
        let mut crates = Vec::new();
        if self.space.uses_chrono() {
            crates.push("chrono".to_string());
        }
        if self.space.uses_regress() {
            crates.push("regress".to_string());
        }
        if self.space.uses_uuid() {
            crates.push("uuid".to_string());
        }
        crates
    }

    pub fn tokens(&self) -> TokenStream {
        self.space.to_stream()
    }
}

fn value_type() -> RustType {
    RustType {
        ident: quote!(::serde_json::Value),
        param: quote!(&::serde_json::Value),
        shape: Shape::Json,
    }
}

/// Keywords of OpenAPI's schema dialect that JSON Schema does not have.
const OPENAPI_ONLY: &[&str] = &[
    "discriminator",
    "xml",
    "externalDocs",
    "example",
    "nullable",
];

/// OpenAPI 3.0 schema → JSON Schema (draft 7 shape, for schemars/typify).
pub fn to_json_schema(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let nullable = map
                .get("nullable")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let mut out = Map::new();
            for (key, value) in map {
                if OPENAPI_ONLY.contains(&key.as_str()) || key.starts_with("x-") {
                    continue;
                }
                let converted = match key.as_str() {
                    // Maps of schemas.
                    "properties" | "patternProperties" | "definitions" | "$defs" => match value {
                        Value::Object(props) => Value::Object(
                            props
                                .iter()
                                .map(|(k, v)| (k.clone(), to_json_schema(v)))
                                .collect(),
                        ),
                        other => other.clone(),
                    },
                    // Single schemas (or booleans).
                    "items"
                    | "additionalProperties"
                    | "not"
                    | "additionalItems"
                    | "contains"
                    | "propertyNames"
                    | "if"
                    | "then"
                    | "else" => to_json_schema(value),
                    // Lists of schemas.
                    "allOf" | "anyOf" | "oneOf" => match value {
                        Value::Array(items) => {
                            Value::Array(items.iter().map(to_json_schema).collect())
                        }
                        other => other.clone(),
                    },
                    // Data, kept as is.
                    _ => value.clone(),
                };
                out.insert(key.clone(), converted);
            }
            if nullable {
                make_nullable(&mut out);
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

fn make_nullable(schema: &mut Map<String, Value>) {
    match schema.get_mut("type") {
        Some(Value::String(t)) => {
            let t = t.clone();
            schema.insert(
                "type".into(),
                Value::Array(vec![Value::String(t), "null".into()]),
            );
            if let Some(Value::Array(values)) = schema.get_mut("enum") {
                if !values.contains(&Value::Null) {
                    values.push(Value::Null);
                }
            }
        }
        Some(Value::Array(types)) => {
            if !types.contains(&Value::from("null")) {
                types.push("null".into());
            }
        }
        _ => {
            // `$ref`, `allOf`, … with `nullable`: any of the schema or null.
            let inner = std::mem::take(schema);
            schema.insert(
                "anyOf".into(),
                Value::Array(vec![
                    Value::Object(inner),
                    serde_json::json!({"type": "null"}),
                ]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nullable_becomes_a_null_type() {
        assert_eq!(
            to_json_schema(&json!({"type": "string", "nullable": true, "example": "x"})),
            json!({"type": ["string", "null"]})
        );
        assert_eq!(
            to_json_schema(
                &json!({"properties": {"a": {"$ref": "#/components/schemas/A", "nullable": true}}})
            ),
            json!({"properties": {"a": {"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}}})
        );
    }
}
