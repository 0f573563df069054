//! Schema types through typify: OpenAPI 3.0 schemas are rewritten into the
//! JSON Schema that typify reads (`nullable` → `null` in `type`, OpenAPI-only
//! keywords dropped), components become named types, inline schemas get a
//! unique name from their operation, status and role.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use proc_macro2::{Group, TokenStream, TokenTree};
use quote::quote;
use schemars::schema::Schema;
use serde_json::{Map, Value};
use typify_impl::{TypeDetails, TypeSpace, TypeSpaceSettings};

use super::type_names::{self, TypeNames};

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
    /// Component schemas as given to typify (bad ones replaced by `true`).
    defs: Vec<(String, Schema)>,
    /// Inline schemas added so far, in order, to replay after a failure.
    inline: Vec<(Schema, String)>,
    /// Component schema names known to typify.
    known: BTreeMap<String, ()>,
    /// Type names taken so far, to keep typify from reusing one.
    names: TypeNames,
    /// Findings: (pointer, message).
    pub notes: Vec<(String, String)>,
    /// Components given another type name than their key's: (pointer,
    /// message).
    pub renames: Vec<(String, String)>,
}

fn fresh_space() -> TypeSpace {
    let mut settings = TypeSpaceSettings::default();
    settings.with_type_mod("types").with_struct_builder(false);
    TypeSpace::new(&settings)
}

/// A type space holding `defs`, or why typify refused (errors and panics).
fn build(defs: &[(String, Schema)]) -> Result<TypeSpace, String> {
    let mut space = fresh_space();
    match catch_unwind(AssertUnwindSafe(|| space.add_ref_types(defs.to_vec()))) {
        Ok(Ok(())) => Ok(space),
        Ok(Err(e)) => Err(e.to_string()),
        Err(panic) => Err(panic_message(&panic)),
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    let text = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "unknown panic".to_string());
    let first = text.lines().next().unwrap_or_default();
    format!("typify panicked: {first}")
}

/// Indices among `candidates` whose schema typify cannot take, found by
/// bisection (the other definitions stand in as `true`, i.e. any value).
fn find_bad(defs: &[(String, Schema)], candidates: &[usize]) -> Vec<usize> {
    let trial: Vec<(String, Schema)> = defs
        .iter()
        .enumerate()
        .map(|(i, (name, schema))| {
            let real = candidates.contains(&i);
            (
                name.clone(),
                if real {
                    schema.clone()
                } else {
                    Schema::Bool(true)
                },
            )
        })
        .collect();
    if build(&trial).is_ok() {
        return Vec::new();
    }
    if candidates.len() == 1 {
        return candidates.to_vec();
    }
    let (a, b) = candidates.split_at(candidates.len() / 2);
    let mut bad = find_bad(defs, a);
    bad.extend(find_bad(defs, b));
    bad
}

impl Types {
    /// Creates the type space with every schema of `components/schemas`.
    /// Schemas typify rejects become `serde_json::Value`, each with a note.
    pub fn new(components: Option<&Map<String, Value>>) -> Types {
        let mut notes = Vec::new();
        let mut known = BTreeMap::new();
        let pointer =
            |name: &str| format!("/components/schemas/{}", super::locate::escape_token(name));
        let mut defs: Vec<(String, Schema)> = Vec::new();
        let mut renames = Vec::new();
        // The component key of each def, for pointers.
        let mut keys: Vec<&str> = Vec::new();
        let mut names = TypeNames::default();
        let renamed: BTreeMap<String, String> = names
            .claim_components(components.into_iter().flatten().map(|(k, _)| k.as_str()))
            .into_iter()
            .collect();
        // JSON Schema per component, before typify: (key, type name, schema).
        let mut jsons: Vec<(String, Value)> = Vec::new();
        for (key, schema) in components.into_iter().flatten() {
            known.insert(key.clone(), ());
            keys.push(key);
            let name = renamed.get(key).unwrap_or(key);
            if name != key {
                renames.push((
                    pointer(key),
                    format!(
                        "type name `{}` is taken by another schema; this one is `{name}`",
                        type_names::typify_name(key)
                    ),
                ));
            }
            let mut json = to_json_schema(schema);
            // The key names a component; its title would only resurface as
            // the name of copies typify makes when it merges an `allOf`,
            // colliding with the component itself.
            if let Value::Object(map) = &mut json {
                map.remove("title");
            }
            names.rewrite_refs(&mut json);
            jsons.push((name.clone(), json));
        }
        // Cycles typify would follow forever are broken first.
        let key_of: BTreeMap<String, String> = jsons
            .iter()
            .zip(&keys)
            .map(|((name, _), key)| (name.clone(), key.to_string()))
            .collect();
        let cycle_notes = super::cycles::break_cycles(&mut jsons, &|name| {
            pointer(key_of.get(name).map_or(name, String::as_str))
        });
        notes.extend(cycle_notes);
        super::cycles::shorten_alias_chains(&mut jsons);
        for ((name, mut json), key) in jsons.into_iter().zip(&keys) {
            names.claim_inline(&mut json, &type_names::typify_name(&name));
            match serde_json::from_value(json) {
                Ok(s) => defs.push((name, s)),
                Err(e) => {
                    notes.push((
                        pointer(key),
                        format!("schema not understood ({e}); typed as serde_json::Value"),
                    ));
                    defs.push((name, Schema::Bool(true)));
                }
            }
        }
        let space = match build(&defs) {
            Ok(space) => space,
            Err(_) => {
                let all: Vec<usize> = (0..defs.len()).collect();
                for i in find_bad(&defs, &all) {
                    let trial_error = build(&[defs[i].clone()]).err().unwrap_or_default();
                    notes.push((
                        pointer(keys[i]),
                        format!("{trial_error}; typed as serde_json::Value"),
                    ));
                    defs[i].1 = Schema::Bool(true);
                }
                build(&defs).unwrap_or_else(|e| {
                    notes.push((
                        "/components/schemas".into(),
                        format!("{e}; every component typed as serde_json::Value"),
                    ));
                    for def in &mut defs {
                        def.1 = Schema::Bool(true);
                    }
                    build(&defs).unwrap_or_else(|_| fresh_space())
                })
            }
        };
        Types {
            space,
            defs,
            inline: Vec::new(),
            known,
            names,
            notes,
            renames,
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
        let mut json = to_json_schema(schema);
        self.names.rewrite_refs(&mut json);
        self.names.claim_child(&mut json, name_hint);
        let parsed: Result<Schema, _> = serde_json::from_value(json);
        let Ok(parsed) = parsed else {
            self.notes.push((
                pointer.to_string(),
                "schema not understood; typed as serde_json::Value".into(),
            ));
            return value_type();
        };
        match add_inline(&mut self.space, &parsed, name_hint) {
            Ok((ident, param, shape)) => {
                self.inline.push((parsed, name_hint.to_string()));
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
            Err(message) => {
                self.notes.push((
                    pointer.to_string(),
                    format!("{message}; typed as serde_json::Value"),
                ));
                // A failed add can leave the space half-changed: rebuild it.
                self.space = build(&self.defs).unwrap_or_else(|_| fresh_space());
                for (schema, hint) in &self.inline {
                    let _ = add_inline(&mut self.space, schema, hint);
                }
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
                    if !r.starts_with(type_names::COMPONENT_REF) || !self.known.contains_key(&name)
                    {
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

    /// The code of every type, or why typify could not write it.
    pub fn tokens(&self) -> Result<TokenStream, String> {
        catch_unwind(AssertUnwindSafe(|| self.space.to_stream()))
            .map(type_names::dedup_fields)
            .map(fixed_offset)
            .map_err(|p| panic_message(&p))
    }
}

/// Adds one inline schema; errors and panics come back as a message.
fn add_inline(
    space: &mut TypeSpace,
    schema: &Schema,
    hint: &str,
) -> Result<(TokenStream, TokenStream, Shape), String> {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let id = space.add_type_with_name(schema, Some(hint.to_string()))?;
        let ty = space.get_type(&id)?;
        let shape = match ty.details() {
            TypeDetails::String => Shape::String,
            _ => Shape::Json,
        };
        Ok::<_, typify_impl::Error>((
            fixed_offset(ty.ident()),
            fixed_offset(ty.parameter_ident()),
            shape,
        ))
    }));
    match result {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(e.to_string()),
        Err(panic) => Err(panic_message(&panic)),
    }
}

/// typify writes `format: date-time` as `DateTime<Utc>`, which moves every
/// value to UTC: a `+02:00` the server sent or the caller chose would be
/// lost. `DateTime<FixedOffset>` reads any RFC 3339 offset (`Z` included)
/// and writes it back as it was.
fn fixed_offset(tokens: TokenStream) -> TokenStream {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let is_utc = tokens.len() - i >= 9
            && tokens[i..i + 9]
                .iter()
                .map(|t| t.to_string())
                .eq([":", ":", "chrono", ":", ":", "offset", ":", ":", "Utc"]);
        if is_utc {
            out.extend(quote!(::chrono::FixedOffset));
            i += 9;
            continue;
        }
        match &tokens[i] {
            TokenTree::Group(g) => {
                let mut group = Group::new(g.delimiter(), fixed_offset(g.stream()));
                group.set_span(g.span());
                out.push(TokenTree::Group(group));
            }
            other => out.push(other.clone()),
        }
        i += 1;
    }
    out.into_iter().collect()
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
            exclusive_bounds(&mut out);
            sanitize_for_typify(&mut out);
            if nullable {
                make_nullable(&mut out);
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// OpenAPI 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum` (a flag on
/// `minimum`/`maximum`) → JSON Schema's numeric form, which is what
/// schemars reads (a boolean there fails the whole schema).
fn exclusive_bounds(schema: &mut Map<String, Value>) {
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match schema.get(exclusive) {
            Some(Value::Bool(true)) => match schema.remove(bound) {
                Some(n @ Value::Number(_)) => {
                    schema.insert(exclusive.into(), n);
                }
                _ => {
                    schema.remove(exclusive);
                }
            },
            Some(Value::Number(_)) | None => {}
            Some(_) => {
                schema.remove(exclusive);
            }
        }
    }
}

/// Removes what typify 0.8 panics on or cannot render, keeping the type:
/// `default` values (a client reads what the server sends; typify panics on
/// defaults it cannot render, e.g. `null` for a non-nullable type),
/// `format` on anything but a primitive (`type: object, format: uri-map`),
/// and `enum`s whose values collide once made into Rust variant names
/// (`[ASC, asc]`), which become plain strings.
fn sanitize_for_typify(schema: &mut Map<String, Value>) {
    schema.remove("default");
    collapse_all_of(schema);
    keep_keywords_of_own_type(schema);
    // `enum` beside a composition (`enum: [1], allOf: [$ref]`): typify
    // emits a comparison the composed type may not support. The composed
    // type stays; the narrowing goes.
    if ["allOf", "oneOf", "anyOf", "$ref"]
        .iter()
        .any(|k| schema.contains_key(*k))
    {
        schema.remove("enum");
    }
    let primitive = matches!(
        schema.get("type").and_then(Value::as_str),
        Some("string" | "integer" | "number")
    );
    if !primitive {
        schema.remove("format");
    }
    if let Some(Value::Array(values)) = schema.get("enum") {
        let mut seen = std::collections::BTreeSet::new();
        let collides = values.iter().any(|v| {
            let name = match v {
                Value::String(s) => crate::naming::rust_name(s, crate::naming::Case::Pascal),
                other => other.to_string(),
            };
            !seen.insert(name.to_ascii_lowercase())
        });
        if collides {
            schema.remove("enum");
        }
    }
}

/// Validation keywords by the JSON type they apply to.
const TYPE_KEYWORDS: &[(&str, &[&str])] = &[
    (
        "number",
        &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
    ),
    ("string", &["minLength", "maxLength", "pattern"]),
    (
        "array",
        &[
            "items",
            "minItems",
            "maxItems",
            "uniqueItems",
            "additionalItems",
            "contains",
        ],
    ),
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
            "patternProperties",
            "propertyNames",
        ],
    ),
];

/// The JSON type a `format` implies, where it implies one.
fn type_of_format(format: &str) -> Option<&'static str> {
    match format {
        "int32" | "int64" | "integer" | "int8" | "int16" | "uint8" | "uint16" | "uint32"
        | "uint64" | "float" | "double" | "number" | "decimal" => Some("number"),
        "date" | "date-time" | "time" | "uuid" | "email" | "uri" | "url" | "hostname" | "ipv4"
        | "ipv6" | "byte" | "binary" | "password" => Some("string"),
        _ => None,
    }
}

/// Drops validation keywords that belong to another JSON type than the
/// schema's own (`minimum` on an object, `pattern` on a number): typify
/// panics on such mixes. A schema without `type` whose keywords mix types
/// takes the type its `format` implies (`format: double` with `pattern` and
/// `maximum` is a number). Compositions and references are left alone.
fn keep_keywords_of_own_type(schema: &mut Map<String, Value>) {
    if ["allOf", "oneOf", "anyOf", "$ref", "enum", "const", "not"]
        .iter()
        .any(|k| schema.contains_key(*k))
    {
        return;
    }
    fn family(t: &str) -> String {
        if t == "integer" { "number" } else { t }.to_string()
    }
    let mut own: Vec<String> = match schema.get("type") {
        Some(Value::String(t)) => vec![family(t)],
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).map(family).collect(),
        _ => Vec::new(),
    };
    if own.is_empty() {
        let present: Vec<&str> = TYPE_KEYWORDS
            .iter()
            .filter(|(_, keys)| keys.iter().any(|k| schema.contains_key(*k)))
            .map(|(t, _)| *t)
            .collect();
        if present.len() < 2 {
            return;
        }
        let implied = schema
            .get("format")
            .and_then(Value::as_str)
            .and_then(type_of_format);
        match implied {
            Some(t) if present.contains(&t) => {
                own.push(t.to_string());
                let ty = if t == "number"
                    && matches!(
                        schema.get("format").and_then(Value::as_str),
                        Some("int32" | "int64" | "integer")
                    ) {
                    "integer"
                } else {
                    t
                };
                schema.insert("type".into(), Value::String(ty.into()));
            }
            _ => return,
        }
    }
    if own.iter().all(|t| t == "null") {
        return;
    }
    for (t, keys) in TYPE_KEYWORDS {
        if !own.iter().any(|o| o == t) {
            for key in *keys {
                schema.remove(*key);
            }
        }
    }
}

/// Keywords that describe a schema without constraining it.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "deprecated",
    "readOnly",
    "writeOnly",
    "examples",
    "$comment",
];

/// `allOf: [{$ref: X}, {description: ...}]`, the usual way to document a
/// reference in OpenAPI 3.0, is the type X: typify would otherwise merge it
/// into a structural copy of X under a new name.
fn collapse_all_of(schema: &mut Map<String, Value>) {
    let Some(Value::Array(members)) = schema.get("allOf") else {
        return;
    };
    let annotation_only = |v: &Value| {
        v.as_object()
            .is_some_and(|m| m.keys().all(|k| ANNOTATIONS.contains(&k.as_str())))
    };
    let mut real = members.iter().filter(|m| !annotation_only(m));
    let (Some(only), None) = (real.next(), real.next()) else {
        return;
    };
    let Some(reference) = only.get("$ref").cloned() else {
        return;
    };
    if !schema
        .keys()
        .all(|k| k == "allOf" || ANNOTATIONS.contains(&k.as_str()))
    {
        return;
    }
    schema.remove("allOf");
    schema.insert("$ref".into(), reference);
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
            // A choice with `nullable` (what `oneOf: [A, B, {type: null}]`
            // was normalized to): null joins the choice. Wrapping the choice
            // instead would make the schema `Option<inner>` with the inner
            // choice typed under the schema's own name (E0428).
            for key in ["oneOf", "anyOf"] {
                if let Some(Value::Array(members)) = schema.get_mut(key) {
                    let null = serde_json::json!({"type": "null"});
                    if !members.contains(&null) {
                        members.push(null);
                    }
                    return;
                }
            }
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
    fn date_times_keep_their_offset() {
        let mut types = Types::new(None);
        let ty = types.type_for(
            &json!({"type": "string", "format": "date-time"}),
            "Stamp",
            "/x",
        );
        assert_eq!(
            ty.ident.to_string(),
            quote!(::chrono::DateTime<::chrono::FixedOffset>).to_string()
        );
        let mut types = Types::new(
            json!({"S": {"type": "object", "properties": {"at": {"type": "string", "format": "date-time"}}}})
                .as_object(),
        );
        let _ = types.type_for(&json!({"$ref": "#/components/schemas/S"}), "S", "/y");
        let code = types.tokens().unwrap().to_string();
        assert!(
            code.contains("DateTime < :: chrono :: FixedOffset >"),
            "{code}"
        );
        assert!(!code.contains("Utc"), "{code}");
    }

    #[test]
    fn exclusive_bounds_become_numbers() {
        assert_eq!(
            to_json_schema(
                &json!({"type": "number", "minimum": 0, "exclusiveMinimum": true,
                "maximum": 9, "exclusiveMaximum": false})
            ),
            json!({"type": "number", "maximum": 9, "exclusiveMinimum": 0})
        );
        // The schema reads as a schemars schema (a boolean bound did not).
        let _: Schema = serde_json::from_value(to_json_schema(
            &json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true}),
        ))
        .unwrap();
    }

    #[test]
    fn keywords_of_another_type_are_dropped() {
        assert_eq!(
            to_json_schema(&json!({
                "format": "double", "maximum": 9.5, "pattern": "^\\d+$", "minimum": 0
            })),
            json!({"type": "number", "format": "double", "maximum": 9.5, "minimum": 0})
        );
        assert_eq!(
            to_json_schema(&json!({"type": "object", "minimum": 0, "properties": {}})),
            json!({"type": "object", "properties": {}})
        );
        assert_eq!(
            to_json_schema(&json!({"type": "array", "minimum": 0, "items": {"type": "string"}})),
            json!({"type": "array", "items": {"type": "string"}})
        );
        // Mixed keywords without a format to decide stay as they are.
        let mixed = json!({"maxLength": 3, "minimum": 1});
        assert_eq!(to_json_schema(&mixed), mixed);
    }

    #[test]
    fn a_nullable_choice_takes_null_as_a_member() {
        assert_eq!(
            to_json_schema(
                &json!({"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/A"}], "nullable": true})
            ),
            json!({"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/A"}, {"type": "null"}]})
        );
    }

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
