//! Brings every supported input version to the OpenAPI 3.0 shape the rest
//! of the pipeline reads, on the `serde_json::Value` before `openapiv3`:
//!
//! - **OpenAPI 3.1**: `type` arrays with `null` → `nullable`, other type
//!   arrays → `anyOf`, `anyOf`/`oneOf` with a `{type: null}` member (how
//!   Pydantic v2 writes `Optional[X]`) → the other member(s), `nullable`,
//!   `enum`s with a `null` member → `nullable`, `const` → one-value `enum`,
//!   schema `examples` dropped, numeric `exclusiveMinimum`/`exclusiveMaximum`
//!   → 3.0's boolean form, a string's `contentMediaType` → `format: binary`
//!   (a file part) and `contentEncoding: base64` → `format: byte`, `$ref`
//!   with sibling keywords → `allOf` (annotations alone are dropped),
//!   `webhooks` dropped with a note (a client does not call them).
//! - **Swagger 2.0**: converted to 3.0: `host`/`basePath`/`schemes` →
//!   `servers`, `definitions`/`parameters`/`responses`/`securityDefinitions`
//!   → `components`, body and `formData` parameters → `requestBody` using
//!   `consumes`, response `schema` → `content` using `produces`, parameter
//!   type keywords → `schema`, `collectionFormat` → `style`/`explode`.
//!
//! Each conversion is reported once as a note naming the file.

use serde_json::{json, Map, Value};

/// What was converted, as (pointer, message) notes.
pub type Notes = Vec<(String, String)>;

/// Normalizes `doc` in place to OpenAPI 3.0.
pub fn normalize(doc: &mut Value) -> Notes {
    let mut notes = Vec::new();
    if doc
        .get("swagger")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with('2'))
    {
        swagger2(doc);
        notes.push((
            "/swagger".into(),
            "swagger 2.0 document converted to openapi 3.0".into(),
        ));
    } else if doc
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1"))
    {
        if let Some(map) = doc.as_object_mut() {
            if let Some(Value::Object(hooks)) = map.remove("webhooks") {
                notes.push((
                    "/webhooks".into(),
                    format!(
                        "{} webhook(s) ignored: a client does not call them",
                        hooks.len()
                    ),
                ));
            }
            map.insert("openapi".into(), "3.0.3".into());
            map.entry("paths").or_insert_with(|| json!({}));
            if let Some(Value::Object(components)) = map.get_mut("components") {
                components.remove("pathItems");
            }
        }
        notes.push(("/openapi".into(), "openapi 3.1 document read as 3.0".into()));
    }
    // Schemas of any version may carry 3.1 keywords (many 3.0 specs do).
    for_each_schema(doc, &mut fix_schema_31);
    notes
}

/// Calls `f` on every schema reachable from the document's known schema
/// positions (components, parameters, media types, headers).
fn for_each_schema(doc: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>)) {
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for schema in schemas.values_mut() {
            walk_schema(schema, f);
        }
    }
    find_schema_keys(doc, f, 0);
}

/// Any `schema` member anywhere outside `components/schemas` is a schema.
fn find_schema_keys(value: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>), depth: usize) {
    if depth > 64 {
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "schema" {
                    walk_schema(child, f);
                } else if key != "schemas" && key != "examples" && key != "example" {
                    find_schema_keys(child, f, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                find_schema_keys(item, f, depth + 1);
            }
        }
        _ => {}
    }
}

/// Applies `f` to `schema` and every subschema, children first.
fn walk_schema(schema: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>)) {
    walk_schema_depth(schema, f, 0)
}

fn walk_schema_depth(schema: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>), depth: usize) {
    if depth > 64 {
        return;
    }
    let Value::Object(map) = schema else { return };
    for (key, child) in map.iter_mut() {
        match key.as_str() {
            "properties" | "patternProperties" | "$defs" | "definitions" => {
                if let Value::Object(props) = child {
                    for v in props.values_mut() {
                        walk_schema_depth(v, f, depth + 1);
                    }
                }
            }
            "items"
            | "additionalProperties"
            | "not"
            | "contains"
            | "propertyNames"
            | "if"
            | "then"
            | "else"
            | "additionalItems"
            | "unevaluatedProperties" => walk_schema_depth(child, f, depth + 1),
            "allOf" | "anyOf" | "oneOf" | "prefixItems" => {
                if let Value::Array(items) = child {
                    for v in items {
                        walk_schema_depth(v, f, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
    f(map);
}

/// Annotation keywords that may stand beside `$ref` without changing it.
const ANNOTATIONS: &[&str] = &[
    "description",
    "summary",
    "title",
    "deprecated",
    "readOnly",
    "writeOnly",
    "example",
    "examples",
    "default",
    "$comment",
    "externalDocs",
    "xml",
];

fn fix_schema_31(map: &mut Map<String, Value>) {
    // Swagger 2.0 idioms written into schemas of any version: `x-nullable`
    // (AutoRest, NSwag) is OpenAPI 3.0's `nullable`; a `discriminator` given
    // as the property name is the 3.0 object.
    if let Some(Value::Bool(nullable)) = map.remove("x-nullable") {
        if nullable {
            map.insert("nullable".into(), Value::Bool(true));
        }
    }
    if let Some(Value::String(property)) = map.get("discriminator").cloned() {
        map.insert("discriminator".into(), json!({ "propertyName": property }));
    }
    // `anyOf`/`oneOf` with a `null` member (Pydantic v2's `Optional[X]`):
    // the other members, nullable. Before `$ref` with siblings, which the
    // collapse may produce.
    collapse_null_members(map);
    // `$ref` with siblings.
    if map.contains_key("$ref") && map.len() > 1 {
        let constraining: Vec<String> = map
            .keys()
            .filter(|k| *k != "$ref" && !ANNOTATIONS.contains(&k.as_str()) && !k.starts_with("x-"))
            .cloned()
            .collect();
        if constraining.is_empty() || constraining.iter().all(|k| k == "nullable") {
            map.retain(|k, _| k == "$ref" || k == "nullable" || k == "description");
        } else {
            let reference = map.remove("$ref").unwrap_or(Value::Null);
            let all_of = map.entry("allOf").or_insert_with(|| json!([]));
            if let Value::Array(items) = all_of {
                items.insert(0, json!({ "$ref": reference }));
            }
        }
    }
    // Type arrays.
    if let Some(Value::Array(types)) = map.get("type").cloned() {
        let nullable = types.iter().any(|t| t == "null");
        let rest: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
        match rest.len() {
            0 => {
                map.remove("type");
            }
            1 => {
                map.insert("type".into(), rest[0].clone());
            }
            _ => {
                map.remove("type");
                let variants: Vec<Value> = rest.iter().map(|t| json!({ "type": t })).collect();
                map.insert("anyOf".into(), Value::Array(variants));
            }
        }
        if nullable {
            map.insert("nullable".into(), Value::Bool(true));
        }
    } else if map.get("type").is_some_and(|t| t == "null") {
        map.remove("type");
        map.insert("nullable".into(), Value::Bool(true));
    }
    if let Some(value) = map.remove("const") {
        map.insert("enum".into(), Value::Array(vec![value]));
    }
    null_enum_member(map);
    if matches!(map.get("examples"), Some(Value::Array(_))) {
        map.remove("examples");
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(n @ Value::Number(_)) = map.get(exclusive).cloned() {
            map.insert(bound.into(), n);
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    content_keywords(map);
    for key in [
        "$schema",
        "$id",
        "$anchor",
        "contentMediaType",
        "contentEncoding",
        "contentSchema",
        "unevaluatedProperties",
        "prefixItems",
        "$defs",
    ] {
        map.remove(key);
    }
}

/// A schema that allows `null` and nothing else: `{type: null}` (already
/// read as `{nullable: true}` when the walk reaches its parent, children
/// first), `{enum: [null]}` or `{const: null}`, with annotations beside.
fn is_null_only(schema: &Value) -> bool {
    let Value::Object(map) = schema else {
        return false;
    };
    let mut null = false;
    for (key, value) in map {
        match key.as_str() {
            "type" if value == "null" => null = true,
            "nullable" if value == true => null = true,
            "enum" if value == &json!([null]) => null = true,
            "const" if value.is_null() => null = true,
            k if ANNOTATIONS.contains(&k) || k.starts_with("x-") => {}
            _ => return false,
        }
    }
    null
}

/// `anyOf`/`oneOf: [X, {type: null}]` → X, nullable (one other member,
/// merged into the schema when that loses nothing), or the other members,
/// nullable.
fn collapse_null_members(map: &mut Map<String, Value>) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = map.get(key) else {
            continue;
        };
        if !members.iter().any(is_null_only) {
            continue;
        }
        let rest: Vec<Value> = members
            .iter()
            .filter(|m| !is_null_only(m))
            .cloned()
            .collect();
        map.remove(key);
        map.insert("nullable".into(), Value::Bool(true));
        if rest.is_empty() {
            continue;
        }
        // The one member replaces the composition when the schema beside
        // it holds only annotations (`title`, `description`, `default`),
        // which the member's own win over.
        let only_annotations = map
            .keys()
            .all(|k| k == "nullable" || ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-"));
        match (rest.as_slice(), only_annotations) {
            ([Value::Object(member)], true) => {
                let member = member.clone();
                for (k, v) in member {
                    if k == "nullable" {
                        continue;
                    }
                    map.insert(k, v);
                }
                if map.contains_key("$ref") {
                    // `{$ref, nullable}` is read as a nullable reference.
                    map.retain(|k, _| k == "$ref" || k == "nullable" || k == "description");
                }
            }
            _ => {
                map.insert(key.into(), Value::Array(rest));
            }
        }
    }
}

/// `enum: [a, b, null]` → `enum: [a, b]`, nullable, with the `type` its
/// values imply when none is given (3.0 needs a type for `nullable`).
fn null_enum_member(map: &mut Map<String, Value>) {
    let Some(Value::Array(values)) = map.get_mut("enum") else {
        return;
    };
    if !values.iter().any(Value::is_null) {
        return;
    }
    values.retain(|v| !v.is_null());
    let implied = if values.iter().all(Value::is_string) {
        Some("string")
    } else if values.iter().all(|v| v.is_i64() || v.is_u64()) {
        Some("integer")
    } else if values.iter().all(Value::is_number) {
        Some("number")
    } else if values.iter().all(Value::is_boolean) {
        Some("boolean")
    } else {
        None
    };
    if values.is_empty() {
        map.remove("enum");
    } else if !map.contains_key("type") {
        if let Some(t) = implied {
            map.insert("type".into(), t.into());
        }
    }
    map.insert("nullable".into(), Value::Bool(true));
}

/// JSON Schema's content keywords on a string: `contentEncoding: base64`
/// is 3.0's `format: byte`; `contentMediaType` alone (raw content of that
/// type, OpenAPI 3.1's way to declare a file part of a multipart body) is
/// `format: binary`, unless `contentSchema` says the text is structured.
fn content_keywords(map: &mut Map<String, Value>) {
    if map.get("type").is_some_and(|t| t != "string") || map.contains_key("format") {
        return;
    }
    match map.get("contentEncoding").and_then(Value::as_str) {
        Some("base64" | "base64url") => {
            map.insert("format".into(), "byte".into());
            map.entry("type").or_insert_with(|| "string".into());
        }
        Some(_) => {}
        None => {
            if map.contains_key("contentMediaType") && !map.contains_key("contentSchema") {
                map.insert("format".into(), "binary".into());
                map.entry("type").or_insert_with(|| "string".into());
            }
        }
    }
}

// ---- Swagger 2.0 ------------------------------------------------------------

const SCHEMA_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
];

fn swagger2(doc: &mut Value) {
    let Value::Object(root) = doc else { return };
    // Global parameters that become request bodies, not parameters.
    let body_params: Vec<String> = root
        .get("parameters")
        .and_then(Value::as_object)
        .map(|params| {
            params
                .iter()
                .filter(|(_, p)| {
                    matches!(
                        p.get("in").and_then(Value::as_str),
                        Some("body" | "formData")
                    )
                })
                .map(|(name, _)| name.clone())
                .collect()
        })
        .unwrap_or_default();
    let global_consumes = string_list(root.get("consumes"));
    let global_produces = string_list(root.get("produces"));

    // servers
    let host = root.get("host").and_then(Value::as_str).map(str::to_string);
    let base_path = root
        .get("basePath")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let scheme = string_list(root.get("schemes"))
        .into_iter()
        .next()
        .unwrap_or_else(|| "https".into());
    let url = match host {
        Some(host) => format!("{scheme}://{host}{base_path}"),
        None => base_path.clone(),
    };
    let mut out = Map::new();
    out.insert("openapi".into(), "3.0.3".into());
    for key in ["info", "tags", "security", "externalDocs"] {
        if let Some(v) = root.remove(key) {
            out.insert(key.into(), v);
        }
    }
    if !url.is_empty() {
        out.insert("servers".into(), json!([{ "url": url }]));
    }

    // components
    let mut components = Map::new();
    if let Some(defs) = root.remove("definitions") {
        components.insert("schemas".into(), defs);
    }
    let mut comp_params = Map::new();
    let mut comp_bodies = Map::new();
    if let Some(Value::Object(params)) = root.remove("parameters") {
        for (name, param) in params {
            if body_params.contains(&name) {
                comp_bodies.insert(name, request_body(&[param], &global_consumes));
            } else {
                comp_params.insert(name, convert_parameter(param));
            }
        }
    }
    if !comp_params.is_empty() {
        components.insert("parameters".into(), Value::Object(comp_params));
    }
    if !comp_bodies.is_empty() {
        components.insert("requestBodies".into(), Value::Object(comp_bodies));
    }
    if let Some(Value::Object(responses)) = root.remove("responses") {
        let converted = responses
            .into_iter()
            .map(|(k, v)| (k, convert_response(v, &global_produces)))
            .collect();
        components.insert("responses".into(), Value::Object(converted));
    }
    if let Some(Value::Object(schemes)) = root.remove("securityDefinitions") {
        let converted = schemes
            .into_iter()
            .map(|(k, v)| (k, convert_security(v)))
            .collect();
        components.insert("securitySchemes".into(), Value::Object(converted));
    }

    // paths
    let mut paths = Map::new();
    if let Some(Value::Object(items)) = root.remove("paths") {
        for (path, item) in items {
            let Value::Object(item) = item else { continue };
            let mut new_item = Map::new();
            let mut shared_params: Vec<Value> = Vec::new();
            for (key, value) in item {
                match key.as_str() {
                    "parameters" => {
                        if let Value::Array(ps) = value {
                            shared_params = ps;
                        }
                    }
                    "get" | "put" | "post" | "delete" | "options" | "head" | "patch" => {
                        new_item.insert(
                            key,
                            convert_operation(
                                value,
                                &global_consumes,
                                &global_produces,
                                &body_params,
                            ),
                        );
                    }
                    _ => {
                        new_item.insert(key, value);
                    }
                }
            }
            let (params, _) = split_params(shared_params, &body_params);
            if !params.is_empty() {
                new_item.insert("parameters".into(), Value::Array(params));
            }
            paths.insert(path, Value::Object(new_item));
        }
    }
    out.insert("paths".into(), Value::Object(paths));
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    for (key, value) in std::mem::take(root) {
        if key.starts_with("x-") {
            out.insert(key, value);
        }
    }
    let mut converted = Value::Object(out);
    rewrite_refs(&mut converted, &body_params);
    *doc = converted;
}

fn string_list(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Splits parameters into non-body ones (converted) and body/formData ones.
fn split_params(params: Vec<Value>, body_params: &[String]) -> (Vec<Value>, Vec<Value>) {
    let mut plain = Vec::new();
    let mut body = Vec::new();
    for p in params {
        let location = p.get("in").and_then(Value::as_str).unwrap_or("");
        let is_body_ref = p
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/parameters/"))
            .is_some_and(|name| body_params.iter().any(|b| b == name));
        if location == "body" || location == "formData" || is_body_ref {
            body.push(p);
        } else if p.get("$ref").is_some() {
            plain.push(p);
        } else {
            plain.push(convert_parameter(p));
        }
    }
    (plain, body)
}

fn convert_parameter(param: Value) -> Value {
    let Value::Object(mut p) = param else {
        return param;
    };
    if p.contains_key("$ref") || p.contains_key("schema") {
        return Value::Object(p);
    }
    let mut schema = Map::new();
    for key in SCHEMA_KEYS {
        if let Some(v) = p.remove(*key) {
            schema.insert((*key).into(), v);
        }
    }
    if let Some(Value::String(format)) = p.remove("collectionFormat") {
        let location = p
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or("query")
            .to_string();
        let (style, explode) = match (format.as_str(), location.as_str()) {
            ("multi", _) => ("form", true),
            ("ssv", _) => ("spaceDelimited", false),
            ("pipes", _) => ("pipeDelimited", false),
            (_, "query" | "cookie") => ("form", false),
            _ => ("simple", false),
        };
        p.insert("style".into(), style.into());
        p.insert("explode".into(), explode.into());
    }
    p.remove("allowEmptyValue");
    if schema.get("type").is_some_and(|t| t == "file") {
        schema.insert("type".into(), "string".into());
        schema.insert("format".into(), "binary".into());
    }
    p.insert("schema".into(), Value::Object(schema));
    Value::Object(p)
}

/// A `requestBody` from body or formData parameters.
fn request_body(params: &[Value], consumes: &[String]) -> Value {
    if let Some(body) = params
        .iter()
        .find(|p| p.get("in").and_then(Value::as_str) == Some("body"))
    {
        let media: Vec<String> = if consumes.is_empty() {
            vec!["application/json".into()]
        } else {
            consumes.to_vec()
        };
        let schema = body.get("schema").cloned().unwrap_or_else(|| json!({}));
        let content: Map<String, Value> = media
            .into_iter()
            .map(|m| (m, json!({ "schema": schema })))
            .collect();
        let mut out = Map::new();
        if let Some(d) = body.get("description") {
            out.insert("description".into(), d.clone());
        }
        out.insert("content".into(), Value::Object(content));
        out.insert(
            "required".into(),
            body.get("required").cloned().unwrap_or(Value::Bool(false)),
        );
        return Value::Object(out);
    }
    // formData
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut has_file = false;
    for p in params {
        let Some(name) = p.get("name").and_then(Value::as_str) else {
            continue;
        };
        let converted = convert_parameter(p.clone());
        let mut schema = converted
            .get("schema")
            .cloned()
            .unwrap_or_else(|| json!({}));
        if schema.get("format").is_some_and(|f| f == "binary") {
            has_file = true;
        }
        if let (Some(d), Value::Object(s)) = (p.get("description"), &mut schema) {
            s.insert("description".into(), d.clone());
        }
        properties.insert(name.to_string(), schema);
        if p.get("required").and_then(Value::as_bool) == Some(true) {
            required.push(Value::String(name.to_string()));
        }
    }
    let media = if has_file || consumes.iter().any(|c| c.starts_with("multipart/")) {
        "multipart/form-data"
    } else {
        "application/x-www-form-urlencoded"
    };
    let mut schema = json!({ "type": "object", "properties": properties });
    if !required.is_empty() {
        schema["required"] = Value::Array(required.clone());
    }
    json!({
        "content": { media: { "schema": schema } },
        "required": !required.is_empty(),
    })
}

fn convert_response(response: Value, produces: &[String]) -> Value {
    let Value::Object(mut r) = response else {
        return response;
    };
    if r.contains_key("$ref") {
        return Value::Object(r);
    }
    if let Some(schema) = r.remove("schema") {
        let media: Vec<String> = if produces.is_empty() {
            vec!["application/json".into()]
        } else {
            produces.to_vec()
        };
        let content: Map<String, Value> = media
            .into_iter()
            .map(|m| (m, json!({ "schema": schema })))
            .collect();
        r.insert("content".into(), Value::Object(content));
    }
    r.remove("examples");
    if let Some(Value::Object(headers)) = r.remove("headers") {
        let converted: Map<String, Value> = headers
            .into_iter()
            .map(|(name, h)| {
                let mut h = convert_parameter(h);
                if let Value::Object(m) = &mut h {
                    m.remove("style");
                    m.remove("explode");
                }
                (name, h)
            })
            .collect();
        r.insert("headers".into(), Value::Object(converted));
    }
    r.entry("description").or_insert_with(|| "".into());
    Value::Object(r)
}

fn convert_operation(
    op: Value,
    consumes: &[String],
    produces: &[String],
    body_params: &[String],
) -> Value {
    let Value::Object(mut op) = op else { return op };
    let consumes = op
        .remove("consumes")
        .map(|c| string_list(Some(&c)))
        .unwrap_or_else(|| consumes.to_vec());
    let produces = op
        .remove("produces")
        .map(|p| string_list(Some(&p)))
        .unwrap_or_else(|| produces.to_vec());
    op.remove("schemes");
    if let Some(Value::Array(params)) = op.remove("parameters") {
        let (plain, body) = split_params(params, body_params);
        if !plain.is_empty() {
            op.insert("parameters".into(), Value::Array(plain));
        }
        if let Some(first) = body.first() {
            let request_body = match first.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    json!({ "$ref": r.replace("#/parameters/", "#/components/requestBodies/") })
                }
                None => request_body(&body, &consumes),
            };
            op.insert("requestBody".into(), request_body);
        }
    }
    if let Some(Value::Object(responses)) = op.remove("responses") {
        let converted = responses
            .into_iter()
            .map(|(k, v)| (k, convert_response(v, &produces)))
            .collect();
        op.insert("responses".into(), Value::Object(converted));
    }
    Value::Object(op)
}

fn convert_security(scheme: Value) -> Value {
    let Value::Object(s) = scheme else {
        return scheme;
    };
    match s.get("type").and_then(Value::as_str) {
        Some("basic") => {
            json!({ "type": "http", "scheme": "basic", "description": s.get("description") })
        }
        Some("oauth2") => {
            let flow = s.get("flow").and_then(Value::as_str).unwrap_or("implicit");
            let name = match flow {
                "accessCode" => "authorizationCode",
                "application" => "clientCredentials",
                other => other,
            };
            let mut f = Map::new();
            for key in ["authorizationUrl", "tokenUrl"] {
                if let Some(v) = s.get(key) {
                    f.insert(key.into(), v.clone());
                }
            }
            f.insert(
                "scopes".into(),
                s.get("scopes").cloned().unwrap_or_else(|| json!({})),
            );
            json!({ "type": "oauth2", "flows": { name: f } })
        }
        _ => Value::Object(s),
    }
}

fn rewrite_refs(value: &mut Value, body_params: &[String]) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref") {
                if let Some(rest) = r.strip_prefix("#/definitions/") {
                    *r = format!("#/components/schemas/{rest}");
                } else if let Some(rest) = r.strip_prefix("#/parameters/") {
                    let section = if body_params.iter().any(|b| b == rest) {
                        "requestBodies"
                    } else {
                        "parameters"
                    };
                    *r = format!("#/components/{section}/{rest}");
                } else if let Some(rest) = r.strip_prefix("#/responses/") {
                    *r = format!("#/components/responses/{rest}");
                }
            }
            for child in map.values_mut() {
                rewrite_refs(child, body_params);
            }
        }
        Value::Array(items) => {
            for item in items {
                rewrite_refs(item, body_params);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openapi_31_schemas_become_30() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "webhooks": {"newPet": {}},
            "components": {"schemas": {
                "A": {"type": ["string", "null"], "examples": ["x"]},
                "B": {"type": "object", "properties": {
                    "c": {"const": "fixed"},
                    "d": {"$ref": "#/components/schemas/A", "description": "d"},
                    "e": {"type": "integer", "exclusiveMinimum": 0},
                    "f": {"type": ["string", "integer"]}
                }}
            }}
        });
        let notes = normalize(&mut doc);
        assert_eq!(doc["openapi"], "3.0.3");
        assert!(doc.get("webhooks").is_none());
        assert_eq!(doc["paths"], json!({}));
        assert_eq!(
            doc["components"]["schemas"]["A"],
            json!({"type": "string", "nullable": true})
        );
        let b = &doc["components"]["schemas"]["B"]["properties"];
        assert_eq!(b["c"], json!({"enum": ["fixed"]}));
        assert_eq!(
            b["d"],
            json!({"$ref": "#/components/schemas/A", "description": "d"})
        );
        assert_eq!(
            b["e"],
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
        assert_eq!(
            b["f"],
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
        assert!(notes.iter().any(|(p, _)| p == "/webhooks"));
    }

    #[test]
    fn swagger_nullable_and_discriminator_idioms_become_30() {
        let mut doc = json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "definitions": {
                "Pet": {"type": "object", "discriminator": "petType",
                        "required": ["petType"],
                        "properties": {"petType": {"type": "string"}}},
                "Owner": {"type": "object", "properties": {
                    "pet": {"$ref": "#/definitions/Pet", "x-nullable": true},
                    "age": {"type": "integer", "x-nullable": true},
                    "name": {"type": "string", "x-nullable": false}
                }}
            }
        });
        normalize(&mut doc);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Pet"]["discriminator"],
            json!({"propertyName": "petType"})
        );
        let owner = &schemas["Owner"]["properties"];
        assert_eq!(
            owner["pet"],
            json!({"$ref": "#/components/schemas/Pet", "nullable": true})
        );
        assert_eq!(owner["age"], json!({"type": "integer", "nullable": true}));
        assert_eq!(owner["name"], json!({"type": "string"}));
    }

    #[test]
    fn openapi_31_null_members_become_nullable() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"P": {"type": "object", "properties": {
                "a": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}], "title": "A", "default": null},
                "b": {"anyOf": [{"$ref": "#/components/schemas/C"}, {"type": "null"}], "title": "B"},
                "c": {"oneOf": [{"type": "integer"}, {"type": "string"}, {"type": "null"}]},
                "d": {"enum": ["low", "high", null], "title": "D"},
                "e": {"anyOf": [{"type": "integer", "exclusiveMinimum": 0}, {"type": "null"}]},
                "f": {"anyOf": [{"type": "null"}]},
                "g": {"type": "string", "contentMediaType": "application/octet-stream"},
                "h": {"type": "string", "contentEncoding": "base64", "contentMediaType": "image/png"},
                "i": {"type": "array", "items": {"type": "string", "contentMediaType": "image/png"}},
                "j": {"type": "string", "contentMediaType": "application/json", "contentSchema": {"type": "object"}}
            }}}}
        });
        normalize(&mut doc);
        let p = &doc["components"]["schemas"]["P"]["properties"];
        assert_eq!(
            p["a"],
            json!({"type": "string", "format": "date", "nullable": true, "title": "A", "default": null})
        );
        assert_eq!(
            p["b"],
            json!({"$ref": "#/components/schemas/C", "nullable": true})
        );
        assert_eq!(
            p["c"],
            json!({"oneOf": [{"type": "integer"}, {"type": "string"}], "nullable": true})
        );
        assert_eq!(
            p["d"],
            json!({"enum": ["low", "high"], "type": "string", "nullable": true, "title": "D"})
        );
        assert_eq!(
            p["e"],
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "nullable": true})
        );
        assert_eq!(p["f"], json!({"nullable": true}));
        assert_eq!(p["g"], json!({"type": "string", "format": "binary"}));
        assert_eq!(p["h"], json!({"type": "string", "format": "byte"}));
        assert_eq!(
            p["i"]["items"],
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(p["j"], json!({"type": "string"}));
        let _: openapiv3::OpenAPI = serde_json::from_value(doc).unwrap();
    }

    #[test]
    fn swagger_2_converts_to_openapi_3() {
        let mut doc = json!({
            "swagger": "2.0",
            "info": {"title": "Pets", "version": "1"},
            "host": "api.example.com", "basePath": "/v1", "schemes": ["https"],
            "consumes": ["application/json"], "produces": ["application/json"],
            "securityDefinitions": {"basic": {"type": "basic"}},
            "parameters": {"Limit": {"name": "limit", "in": "query", "type": "integer"}},
            "paths": {"/pets/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "type": "string"}],
                "put": {
                    "operationId": "updatePet",
                    "parameters": [
                        {"$ref": "#/parameters/Limit"},
                        {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                        {"name": "body", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}}
                    ],
                    "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"}}}
                },
                "post": {
                    "consumes": ["multipart/form-data"],
                    "parameters": [{"name": "file", "in": "formData", "type": "file", "required": true}],
                    "responses": {"204": {"description": "done"}}
                }
            }},
            "definitions": {"Pet": {"type": "object"}}
        });
        normalize(&mut doc);
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(
            doc["servers"],
            json!([{"url": "https://api.example.com/v1"}])
        );
        assert_eq!(
            doc["components"]["schemas"]["Pet"],
            json!({"type": "object"})
        );
        assert_eq!(
            doc["components"]["securitySchemes"]["basic"]["scheme"],
            "basic"
        );
        let item = &doc["paths"]["/pets/{id}"];
        assert_eq!(item["parameters"][0]["schema"], json!({"type": "string"}));
        let put = &item["put"];
        assert_eq!(
            put["parameters"][0],
            json!({"$ref": "#/components/parameters/Limit"})
        );
        assert_eq!(put["parameters"][1]["explode"], true);
        assert_eq!(
            put["requestBody"],
            json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}, "required": true})
        );
        assert_eq!(
            put["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Pet"
        );
        let post = &item["post"];
        assert_eq!(
            post["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]["file"],
            json!({"type": "string", "format": "binary"})
        );
        // And the result reads as OpenAPI 3.0.
        let _: openapiv3::OpenAPI = serde_json::from_value(doc).unwrap();
    }
}
