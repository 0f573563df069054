//! Unique Rust names for schema types and fields.
//!
//! typify names each type from its schema: a component by its key, an inline
//! schema by its `title` or else by where it sits (`Parent_property`,
//! `ParentItem`, `Parent_VariantN`), all passed through a PascalCase
//! conversion. Two schemas can end up with one name: components `user` and
//! `User`; component `PetOwner` and property `owner` of `Pet`; two inline
//! schemas with the same `title`. typify 0.8 then either emits the name twice
//! (E0428) or silently reuses the first type for the second schema. Fields
//! have the same problem after snake_case conversion (`_id` and `id`,
//! `authTime` and `auth_time`: E0124).
//!
//! Types are made unique *before* typify runs: [`TypeNames`] walks every
//! schema the way typify will name it, and where a name is taken gives the
//! schema a `title` with a free name (`PetOwner2`), which typify prefers over
//! its derived name; colliding component keys are renamed and the `$ref`s to
//! them rewritten. Fields are made unique *after*: [`dedup_fields`] renames
//! the later of two equal field identifiers in the emitted code (`id_2`),
//! keeping the wire name in `#[serde(rename)]`.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToPascalCase, ToSnakeCase};
use proc_macro2::TokenStream;
use serde_json::Value;

/// The prefix of a `$ref` to a component schema.
pub const COMPONENT_REF: &str = "#/components/schemas/";

/// The name typify 0.8 gives a type called `input`: its `sanitize(input,
/// Case::Pascal)`, reproduced so that the names claimed here are the names
/// typify emits.
pub fn typify_name(input: &str) -> String {
    let out = match input {
        "+1" => "plus1".to_pascal_case(),
        "-1" => "minus1".to_pascal_case(),
        _ => input
            .replace('\'', "")
            .replace(|c| !unicode_ident::is_xid_continue(c), "-")
            .to_pascal_case(),
    };
    let out = match out.chars().next() {
        None => "X".to_string(),
        Some(c) if unicode_ident::is_xid_start(c) => out,
        Some(_) => format!("X{out}"),
    };
    if syn::parse_str::<syn::Ident>(&out).is_ok() && out != "Self" {
        out
    } else {
        format!("{out}_")
    }
}

/// The type names taken so far in one type space.
#[derive(Debug)]
pub struct TypeNames {
    used: BTreeSet<String>,
    /// The next suffix to try per base name, so that claiming the same name
    /// many times stays linear.
    next_suffix: BTreeMap<String, usize>,
    /// Component keys renamed to keep their type names apart: old → new.
    renamed: BTreeMap<String, String>,
}

impl Default for TypeNames {
    /// The prelude's names start taken: typify writes `String`, `Vec`, …
    /// unqualified in impls, so a schema named `String` would shadow them
    /// (E0599) and becomes `String2`.
    fn default() -> Self {
        TypeNames {
            used: crate::naming::PRELUDE_TYPES
                .iter()
                .map(|s| s.to_string())
                .collect(),
            next_suffix: BTreeMap::new(),
            renamed: BTreeMap::new(),
        }
    }
}

impl TypeNames {
    /// A free name like `wanted` (`wanted`, else `wanted2`, `wanted3`, ...),
    /// now taken.
    pub fn claim(&mut self, wanted: &str) -> String {
        let base = typify_name(wanted);
        let mut name = base.clone();
        if self.used.contains(&name) {
            let next = self.next_suffix.entry(base.clone()).or_insert(2);
            loop {
                name = typify_name(&format!("{base}{next}"));
                *next += 1;
                if !self.used.contains(&name) {
                    break;
                }
            }
        }
        self.used.insert(name.clone());
        name
    }

    /// Claims the names of the component schemas `keys`, in order. A key
    /// whose type name is taken by an earlier one gets a new key, returned
    /// as (old, new) pairs; [`TypeNames::rewrite_refs`] then follows them.
    pub fn claim_components<'a>(
        &mut self,
        keys: impl IntoIterator<Item = &'a str>,
    ) -> Vec<(String, String)> {
        let mut renames = Vec::new();
        for key in keys {
            let name = self.claim(key);
            if name != typify_name(key) {
                self.renamed.insert(key.to_string(), name.clone());
                renames.push((key.to_string(), name));
            }
        }
        renames
    }

    /// Points every `$ref` in `schema` to a renamed component at its new key.
    pub fn rewrite_refs(&self, schema: &mut Value) {
        if self.renamed.is_empty() {
            return;
        }
        match schema {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get_mut("$ref") {
                    if let Some(key) = r.strip_prefix(COMPONENT_REF) {
                        let key = super::locate::unescape_token(key);
                        if let Some(new) = self.renamed.get(&key) {
                            *r = format!("{COMPONENT_REF}{new}");
                        }
                    }
                }
                map.values_mut().for_each(|v| self.rewrite_refs(v));
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.rewrite_refs(v)),
            _ => {}
        }
    }

    /// Claims the names typify will derive for the inline schemas inside
    /// `schema` (a JSON Schema whose own type is called `name`), giving a
    /// fresh `title` to each one whose derived name is taken.
    pub fn claim_inline(&mut self, schema: &mut Value, name: &str) {
        let Value::Object(map) = schema else { return };
        if let Some(Value::Object(props)) = map.get_mut("properties") {
            for (prop, child) in props.iter_mut() {
                let wanted = format!("{name}_{}", prop.to_snake_case());
                drop_field_title(child, prop);
                self.claim_child(child, &wanted);
            }
        }
        for key in ["items", "additionalItems"] {
            if let Some(child) = map.get_mut(key) {
                match child {
                    Value::Array(items) => {
                        for item in items {
                            self.claim_child(item, &format!("{name}Item"));
                        }
                    }
                    child => self.claim_child(child, &format!("{name}Item")),
                }
            }
        }
        if let Some(child) = map.get_mut("additionalProperties") {
            self.claim_child(child, &format!("{name}Value"));
        }
        // allOf members are merged into this type: their parts are its parts.
        if let Some(Value::Array(members)) = map.get_mut("allOf") {
            for member in members {
                if !is_ref(member) {
                    self.claim_inline(member, name);
                }
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = map.get_mut(key) {
                if let Some(inner) = option_inner(members) {
                    // `anyOf: [X, null]` is `Option<X>`: X takes this name.
                    let inner = &mut members[inner];
                    if !is_ref(inner) {
                        self.claim_inline(inner, name);
                    }
                    continue;
                }
                for (i, member) in members.iter_mut().enumerate() {
                    self.claim_child(member, &format!("{name}_Variant{i}"));
                }
            }
        }
    }

    /// Claims the name of one inline schema (`wanted` unless it has a
    /// title), retitling it when the name is taken, then its children. Used
    /// for every schema a position derives a name for, and for the root of
    /// each inline schema given to typify with a name hint.
    pub fn claim_child(&mut self, child: &mut Value, wanted: &str) {
        if is_ref(child) {
            return;
        }
        let Value::Object(map) = child else { return };
        if let Some(Value::Array(members)) = map.get_mut("anyOf") {
            if let Some(inner) = option_inner(members) {
                // `anyOf: [X, null]` is `Option<X>`: X takes the name.
                self.claim_child(&mut members[inner], wanted);
                return;
            }
        }
        let wanted = match map.get("title").and_then(Value::as_str) {
            Some(title) => title.to_string(),
            None => wanted.to_string(),
        };
        let name = if is_named(map) {
            let name = self.claim(&wanted);
            if name != typify_name(&wanted) {
                map.insert("title".into(), Value::String(name.clone()));
            }
            name
        } else {
            typify_name(&wanted)
        };
        self.claim_inline(child, &name);
    }
}

/// A property title that only repeats the property's name (Pydantic writes
/// `title: Kind` on a field `kind`) does not name a type: without it the
/// type is named after its parent and the property (`CatKind`), instead of
/// `Kind`, `Kind2`, … for every model with such a field. Also looks through
/// `anyOf: [X, null]`.
fn drop_field_title(schema: &mut Value, prop: &str) {
    let Value::Object(map) = schema else { return };
    let repeats = map
        .get("title")
        .and_then(Value::as_str)
        .is_some_and(|t| typify_name(t) == typify_name(prop));
    if repeats {
        map.remove("title");
    }
    if let Some(Value::Array(members)) = map.get_mut("anyOf") {
        if let Some(inner) = option_inner(members) {
            drop_field_title(&mut members[inner], prop);
        }
    }
}

fn is_ref(schema: &Value) -> bool {
    schema.get("$ref").is_some()
}

/// Whether typify makes a type of its own for this schema (a struct, an
/// enum or a constrained newtype), which then needs a name of its own.
fn is_named(map: &serde_json::Map<String, Value>) -> bool {
    let has = |key: &str| map.contains_key(key);
    let non_empty_props = map
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty());
    // `anyOf: [X, null]` is an `Option`, not a type of its own.
    let any_of_type = map
        .get("anyOf")
        .and_then(Value::as_array)
        .is_some_and(|m| option_inner(m).is_none());
    non_empty_props
        || has("enum")
        || has("const")
        || has("oneOf")
        || has("allOf")
        || any_of_type
        || has("pattern")
        || has("minLength")
        || has("maxLength")
}

/// In `[X, {type: null}]` (either order), the index of X.
fn option_inner(members: &[Value]) -> Option<usize> {
    let is_null = |v: &Value| v.get("type").and_then(Value::as_str) == Some("null");
    match members {
        [a, b] if is_null(b) && !is_null(a) => Some(0),
        [a, b] if is_null(a) && !is_null(b) => Some(1),
        _ => None,
    }
}

/// Renames fields whose identifiers collide within one struct or enum
/// variant in typify's output. The field whose identifier is its wire name
/// keeps it (else the first one); the others become `name_2`, `name_3`, ...
/// with `#[serde(rename = "<wire name>")]`. Returns the code unchanged when
/// it does not parse or nothing collides.
pub fn dedup_fields(tokens: TokenStream) -> TokenStream {
    let Ok(mut file) = syn::parse2::<syn::File>(tokens.clone()) else {
        return tokens;
    };
    let mut changed = false;
    visit_items(&mut file.items, &mut |fields| changed |= dedup(fields));
    if changed {
        quote::quote!(#file)
    } else {
        tokens
    }
}

fn visit_items(items: &mut [syn::Item], f: &mut dyn FnMut(&mut syn::FieldsNamed)) {
    for item in items {
        match item {
            syn::Item::Struct(s) => {
                if let syn::Fields::Named(fields) = &mut s.fields {
                    f(fields);
                }
            }
            syn::Item::Enum(e) => {
                for variant in &mut e.variants {
                    if let syn::Fields::Named(fields) = &mut variant.fields {
                        f(fields);
                    }
                }
            }
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &mut m.content {
                    visit_items(items, f);
                }
            }
            _ => {}
        }
    }
}

/// The name a field has on the wire: its `#[serde(rename = "...")]`, else
/// its identifier.
fn wire_name(field: &syn::Field) -> (String, bool) {
    for attr in &field.attrs {
        if !attr.path().is_ident("serde") {
            continue;
        }
        let mut rename = None;
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                rename = Some(lit.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
        if let Some(rename) = rename {
            return (rename, true);
        }
    }
    (ident_text(field), false)
}

fn ident_text(field: &syn::Field) -> String {
    let ident = field.ident.as_ref().map(ToString::to_string);
    let ident = ident.unwrap_or_default();
    ident.strip_prefix("r#").unwrap_or(&ident).to_string()
}

fn dedup(fields: &mut syn::FieldsNamed) -> bool {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, field) in fields.named.iter().enumerate() {
        groups.entry(ident_text(field)).or_default().push(i);
    }
    let mut taken: BTreeSet<String> = groups.keys().cloned().collect();
    let mut changed = false;
    for (ident, members) in groups {
        if members.len() < 2 {
            continue;
        }
        let keeper = members
            .iter()
            .copied()
            .find(|&i| wire_name(&fields.named[i]).0 == ident)
            .unwrap_or(members[0]);
        let mut n = 2;
        for i in members.into_iter().filter(|&i| i != keeper) {
            let mut new = format!("{ident}_{n}");
            while taken.contains(&new) {
                n += 1;
                new = format!("{ident}_{n}");
            }
            n += 1;
            taken.insert(new.clone());
            let field = &mut fields.named[i];
            let (wire, has_rename) = wire_name(field);
            if !has_rename {
                field
                    .attrs
                    .push(syn::parse_quote!(#[serde(rename = #wire)]));
            }
            field.ident = Some(syn::Ident::new(&new, proc_macro2::Span::call_site()));
            changed = true;
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_match_typify() {
        assert_eq!(typify_name("user"), "User");
        assert_eq!(
            typify_name("BlockMessageAction_metadata"),
            "BlockMessageActionMetadata"
        );
        assert_eq!(
            typify_name("pull_request review event"),
            "PullRequestReviewEvent"
        );
        assert_eq!(typify_name("2fa"), "X2fa");
        assert_eq!(typify_name("self"), "Self_");
    }

    #[test]
    fn colliding_components_get_new_keys_and_refs_follow() {
        let mut names = TypeNames::default();
        let renames = names.claim_components(["User", "user", "Pet"]);
        assert_eq!(renames, vec![("user".to_string(), "User2".to_string())]);
        let mut schema = json!({"items": {"$ref": "#/components/schemas/user"}});
        names.rewrite_refs(&mut schema);
        assert_eq!(
            schema,
            json!({"items": {"$ref": "#/components/schemas/User2"}})
        );
    }

    #[test]
    fn inline_schema_named_like_a_component_gets_a_title() {
        let mut names = TypeNames::default();
        names.claim_components(["Pet", "PetOwner"]);
        let mut pet = json!({"properties": {
            "owner": {"properties": {"name": {"type": "string"}}},
            "tag": {"type": "string"}
        }});
        names.claim_inline(&mut pet, "Pet");
        assert_eq!(pet["properties"]["owner"]["title"], "PetOwner2");
        assert!(pet["properties"]["tag"].get("title").is_none());
    }

    #[test]
    fn colliding_fields_are_renamed_and_keep_their_wire_names() {
        let code = quote::quote! {
            pub struct A {
                #[serde(rename = "_id")]
                pub id: String,
                pub id: String,
                #[serde(rename = "ID", default)]
                pub id: String,
            }
        };
        let out = dedup_fields(code).to_string();
        assert!(out.contains("pub id : String"), "{out}");
        assert!(
            out.contains("rename = \"_id\"")
                && out.contains("pub id_2 : String")
                && out.contains("pub id_3 : String"),
            "{out}"
        );
    }
}
