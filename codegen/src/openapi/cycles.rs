//! Composition cycles between component schemas, broken before typify sees
//! them.
//!
//! typify resolves `allOf`/`oneOf`/`anyOf` and plain `$ref`s by following
//! them; a cycle made only of such edges (no property, item or map value in
//! between, where a `Box` ends the recursion) sends it into infinite
//! recursion and the stack overflow aborts the process. The usual shape is
//! inheritance as Java/Kotlin generators write it: a parent `oneOf` its
//! variants, each variant `allOf` the parent plus its own fields. A cycle
//! of plain references (`A: $ref B`, `B: $ref C`, `C: $ref A`) has no base
//! case at all: no JSON value is ever an `A`.
//!
//! The breaker, on JSON Schema values keyed by component name:
//! 1. every composition edge inside a cycle that points at a *parent* (a
//!    schema with `oneOf`/`anyOf`) from an `allOf` member is replaced by
//!    the parent's own part (the parent without `oneOf`, `anyOf` and
//!    `discriminator`): the parent stays the choice of its variants, each
//!    variant keeps the parent's own properties;
//! 2. any cycle that is left (plain reference cycles and stranger ones)
//!    loses one member per cycle, which becomes `{}` (any value,
//!    `serde_json::Value`).
//!
//! Each change is a note (pointer, message) for a located warning.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::type_names::COMPONENT_REF;

/// (pointer, message).
pub type Notes = Vec<(String, String)>;

/// Deepest nesting followed inside one schema.
const MAX_DEPTH: usize = 64;

/// Breaks every composition cycle among `defs` (name → JSON Schema).
/// `pointer` gives the pointer of a component by name, for the notes.
pub fn break_cycles(defs: &mut [(String, Value)], pointer: &dyn Fn(&str) -> String) -> Notes {
    let mut notes = Notes::new();
    let index: BTreeMap<String, usize> = defs
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (name.clone(), i))
        .collect();
    // Step 1: allOf members that point at a parent inside a cycle, until
    // nothing changes (a grandparent's part arrives in a second round).
    for _ in 0..16 {
        let cyclic = cyclic_nodes(defs, &index);
        if cyclic.is_empty() {
            return notes;
        }
        let own_parts: BTreeMap<usize, Value> = cyclic
            .iter()
            .copied()
            .filter(|&i| is_parent(&defs[i].1))
            .map(|p| (p, own_part(&defs[p].1)))
            .collect();
        let mut changed = false;
        for &i in &cyclic {
            let mut replaced = Vec::new();
            inline_parents(&mut defs[i].1, &index, &own_parts, &mut replaced, 0);
            changed |= !replaced.is_empty();
            for parent in replaced {
                notes.push((
                    pointer(&defs[i].0),
                    format!(
                        "`allOf` member `{}` is a `oneOf`/`anyOf` of schemas that include this \
                         one (a cycle typify cannot follow); its own properties are copied in \
                         instead",
                        defs[parent].0
                    ),
                ));
            }
        }
        if !changed {
            break;
        }
    }
    // Step 2: whatever still cycles loses one member per cycle.
    loop {
        let cyclic = cyclic_nodes(defs, &index);
        let Some(&victim) = cyclic.iter().next() else {
            break;
        };
        defs[victim].1 = Value::Object(Map::new());
        notes.push((
            pointer(&defs[victim].0),
            "schema refers back to itself only through references and compositions \
             (no base case); typed as serde_json::Value"
                .to_string(),
        ));
    }
    notes
}

/// A schema that chooses among others.
fn is_parent(schema: &Value) -> bool {
    schema.get("oneOf").is_some() || schema.get("anyOf").is_some()
}

/// The parent without its choice: what each variant inherits.
fn own_part(schema: &Value) -> Value {
    let mut own = schema.clone();
    if let Value::Object(map) = &mut own {
        for key in ["oneOf", "anyOf", "discriminator", "title", "description"] {
            map.remove(key);
        }
    }
    own
}

/// Replaces, inside `allOf` lists reached through compositions only,
/// references to the parents in `own_parts` by their own parts.
fn inline_parents(
    schema: &mut Value,
    index: &BTreeMap<String, usize>,
    own_parts: &BTreeMap<usize, Value>,
    replaced: &mut Vec<usize>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let Value::Object(map) = schema else { return };
    for key in ["allOf", "oneOf", "anyOf"] {
        let Some(Value::Array(members)) = map.get_mut(key) else {
            continue;
        };
        for member in members.iter_mut() {
            if key == "allOf" {
                if let Some(target) = ref_target(member).and_then(|n| index.get(n)) {
                    if let Some(own) = own_parts.get(target) {
                        *member = own.clone();
                        replaced.push(*target);
                        continue;
                    }
                }
            }
            inline_parents(member, index, own_parts, replaced, depth + 1);
        }
    }
}

fn ref_target(schema: &Value) -> Option<&str> {
    schema.get("$ref")?.as_str()?.strip_prefix(COMPONENT_REF)
}

/// Components a schema reaches through `$ref`, `allOf`, `oneOf`, `anyOf`
/// and `not` alone.
fn composition_targets(
    schema: &Value,
    index: &BTreeMap<String, usize>,
    out: &mut BTreeSet<usize>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let Value::Object(map) = schema else { return };
    if let Some(target) = ref_target(schema).and_then(|n| index.get(n)) {
        out.insert(*target);
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = map.get(key) {
            for member in members {
                composition_targets(member, index, out, depth + 1);
            }
        }
    }
    if let Some(not) = map.get("not") {
        composition_targets(not, index, out, depth + 1);
    }
}

/// Components on a composition cycle (in a strongly connected component of
/// more than one node, or with an edge to themselves), by Tarjan's
/// algorithm, iteratively.
fn cyclic_nodes(defs: &[(String, Value)], index: &BTreeMap<String, usize>) -> BTreeSet<usize> {
    let edges: Vec<Vec<usize>> = defs
        .iter()
        .map(|(_, schema)| {
            let mut out = BTreeSet::new();
            composition_targets(schema, index, &mut out, 0);
            out.into_iter().collect()
        })
        .collect();
    let n = defs.len();
    let mut order = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut counter = 0;
    let mut cyclic = BTreeSet::new();
    for root in 0..n {
        if order[root] != usize::MAX {
            continue;
        }
        // (node, next edge index)
        let mut work = vec![(root, 0usize)];
        order[root] = counter;
        low[root] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut next)) = work.last_mut() {
            if let Some(&to) = edges[node].get(*next) {
                *next += 1;
                if order[to] == usize::MAX {
                    order[to] = counter;
                    low[to] = counter;
                    counter += 1;
                    stack.push(to);
                    on_stack[to] = true;
                    work.push((to, 0));
                } else if on_stack[to] {
                    low[node] = low[node].min(order[to]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                if component.len() > 1 || edges[node].contains(&node) {
                    cyclic.extend(component);
                }
            }
        }
    }
    cyclic
}

/// The component a schema only refers to: `{"$ref": "#/components/schemas/X"}`
/// or `{"allOf": [{"$ref": …}]}`, with nothing beside but a description.
fn alias_target(schema: &Value) -> Option<&str> {
    let map = schema.as_object()?;
    if map
        .keys()
        .any(|k| !matches!(k.as_str(), "$ref" | "allOf" | "description"))
    {
        return None;
    }
    let reference = match (map.get("$ref"), map.get("allOf")) {
        (Some(r), None) => r,
        (None, Some(Value::Array(members))) if members.len() == 1 => {
            let member = members[0].as_object()?;
            if member.len() != 1 {
                return None;
            }
            member.get("$ref")?
        }
        _ => return None,
    };
    reference.as_str()?.strip_prefix(COMPONENT_REF)
}

/// Points every alias (a component that is only a reference to another,
/// see [`alias_target`]) at the end of its chain of aliases. typify makes a
/// newtype per alias, each wrapping the next: a chain of hundreds exceeds
/// rustc's recursion limit (E0282 "reached the recursion limit finding the
/// struct tail"); after this every alias wraps the schema that has content
/// directly. The values accepted are the same. Runs after
/// [`break_cycles`], so chains end; a cycle left anyway is not followed
/// past its start. Linear in the number of components.
pub fn shorten_alias_chains(defs: &mut [(String, Value)]) {
    let index: BTreeMap<String, usize> = defs
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (name.clone(), i))
        .collect();
    let next: Vec<Option<usize>> = defs
        .iter()
        .map(|(_, schema)| alias_target(schema).and_then(|t| index.get(t).copied()))
        .collect();
    // end[i]: the first non-alias reached from alias i (memoized).
    let mut end: Vec<Option<usize>> = vec![None; defs.len()];
    for start in 0..defs.len() {
        if next[start].is_none() || end[start].is_some() {
            continue;
        }
        let mut path = Vec::new();
        let mut seen = BTreeSet::new();
        let mut at = start;
        let last = loop {
            if let Some(known) = end[at] {
                break known;
            }
            match next[at] {
                Some(n) if seen.insert(at) => {
                    path.push(at);
                    at = n;
                }
                _ => break at,
            }
        };
        for i in path {
            end[i] = Some(last);
        }
    }
    for (i, target) in end.into_iter().enumerate() {
        let Some(target) = target else { continue };
        if next[i] == Some(target) || next[target].is_some() {
            continue;
        }
        let reference = format!("{COMPONENT_REF}{}", defs[target].0);
        if let Value::Object(map) = &mut defs[i].1 {
            map.remove("allOf");
            map.insert("$ref".into(), Value::String(reference));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn defs(value: Value) -> Vec<(String, Value)> {
        value
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    #[test]
    fn alias_chains_point_at_their_end() {
        let n = 10_000;
        let mut d: Vec<(String, Value)> = (0..n)
            .map(|i| {
                (
                    format!("S{i}"),
                    json!({"$ref": format!("#/components/schemas/S{}", i + 1)}),
                )
            })
            .collect();
        d.push((format!("S{n}"), json!({"type": "string"})));
        d.push((
            "W".into(),
            json!({"allOf": [{"$ref": "#/components/schemas/S3"}], "description": "w"}),
        ));
        d.push(("X".into(), json!({"$ref": "#/components/schemas/Gone"})));
        d.push(("Y".into(), json!({"$ref": "#/components/schemas/Z"})));
        d.push(("Z".into(), json!({"$ref": "#/components/schemas/Y"})));
        let start = std::time::Instant::now();
        shorten_alias_chains(&mut d);
        assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
        let end = json!({"$ref": format!("#/components/schemas/S{n}")});
        assert_eq!(d[0].1, end);
        assert_eq!(d[n - 1].1, end);
        assert_eq!(d[n].1, json!({"type": "string"}));
        assert_eq!(
            d[n + 1].1,
            json!({"$ref": format!("#/components/schemas/S{n}"), "description": "w"})
        );
        // Unresolved and cyclic aliases are left alone.
        assert_eq!(d[n + 2].1, json!({"$ref": "#/components/schemas/Gone"}));
        assert_eq!(d[n + 3].1, json!({"$ref": "#/components/schemas/Z"}));
        assert_eq!(d[n + 4].1, json!({"$ref": "#/components/schemas/Y"}));
    }

    #[test]
    fn inheritance_cycles_keep_the_parent_as_a_choice() {
        let mut d = defs(json!({
            "Pet": {"type": "object", "properties": {"name": {"type": "string"}},
                    "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]},
            "Cat": {"allOf": [{"$ref": "#/components/schemas/Pet"}, {"properties": {"meow": {"type": "boolean"}}}]},
            "Dog": {"allOf": [{"$ref": "#/components/schemas/Pet"}]},
            "Owner": {"properties": {"pet": {"$ref": "#/components/schemas/Pet"}}}
        }));
        let notes = break_cycles(&mut d, &|n| format!("/components/schemas/{n}"));
        assert_eq!(notes.len(), 2, "{notes:?}");
        let cat = &d.iter().find(|(n, _)| n == "Cat").unwrap().1;
        assert_eq!(
            cat["allOf"][0],
            json!({"type": "object", "properties": {"name": {"type": "string"}}})
        );
        let pet = &d.iter().find(|(n, _)| n == "Pet").unwrap().1;
        assert!(pet.get("oneOf").is_some());
        let index: BTreeMap<String, usize> = d
            .iter()
            .enumerate()
            .map(|(i, (n, _))| (n.clone(), i))
            .collect();
        assert!(cyclic_nodes(&d, &index).is_empty());
    }

    #[test]
    fn reference_cycles_without_a_base_case_become_any_value() {
        let mut d = defs(json!({
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"$ref": "#/components/schemas/C"},
            "C": {"$ref": "#/components/schemas/A"},
            "Self": {"allOf": [{"$ref": "#/components/schemas/Self"}]},
            "Tree": {"properties": {"children": {"items": {"$ref": "#/components/schemas/Tree"}}}}
        }));
        let notes = break_cycles(&mut d, &|n| format!("/components/schemas/{n}"));
        assert_eq!(notes.len(), 2, "{notes:?}");
        let tree = &d.iter().find(|(n, _)| n == "Tree").unwrap().1;
        assert!(
            tree.get("properties").is_some(),
            "recursion through properties stays"
        );
        let index: BTreeMap<String, usize> = d
            .iter()
            .enumerate()
            .map(|(i, (n, _))| (n.clone(), i))
            .collect();
        assert!(cyclic_nodes(&d, &index).is_empty());
    }
}
