//! Rules over the whole batch of draft-7 definitions, for the typify 0.8
//! failures that come from how definitions refer to each other: its `allOf`
//! merge follows refs with no cycle check (a stack overflow aborts the
//! process, which `catch_unwind` cannot stop), and it answers some trait
//! questions by walking newtype chains (quadratic in alias chains).

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use crate::adapt::{clashes_with_extra, is_typify_constraint};
use crate::batches::refs;
use crate::operations::Definition;
use crate::space::{definition_name, definition_ref};

/// How many refs deep the `allOf` merge below and the merge check follow
/// before giving up (a long inheritance chain is left to typify, a merge
/// that deep is treated as a cycle).
const MAX_REF_DEPTH: usize = 64;

/// How many steps the merge check of one definition may take; beyond that
/// the definition is treated as unsafe rather than checked for long.
const MERGE_CHECK_BUDGET: usize = 20_000;

/// Points every alias (a definition that is a bare `$ref`, maybe with a
/// description) at the end of its chain, so typify's newtypes wrap the
/// final type instead of each other: typify walks newtype chains when it
/// prints each one, which is quadratic in the chain's length. Linear: each
/// chain is walked once, its ends remembered.
pub(crate) fn shorten_alias_chains(definitions: &mut [Definition]) {
    let index: HashMap<String, usize> = definitions
        .iter()
        .enumerate()
        .map(|(position, (name, _))| (name.clone(), position))
        .collect();
    let alias_target = |schema: &Value| -> Option<usize> {
        let map = schema.as_object()?;
        let reference = map.get("$ref")?.as_str()?;
        let only_annotations = map.keys().all(|key| key == "$ref" || key == "description");
        only_annotations
            .then(|| index.get(&definition_name(reference)?).copied())
            .flatten()
    };
    let targets: Vec<Option<usize>> = definitions
        .iter()
        .map(|(_, schema)| alias_target(schema))
        .collect();
    // The end of each alias's chain, filled in as chains are walked.
    let mut ends: Vec<Option<usize>> = vec![None; definitions.len()];
    for start in 0..definitions.len() {
        if targets[start].is_none() || ends[start].is_some() {
            continue;
        }
        let mut path = vec![start];
        let mut on_path = HashSet::from([start]);
        let end = loop {
            let last = *path.last().unwrap_or(&start);
            match (ends[last], targets[last]) {
                (Some(end), _) => break end,
                (None, Some(next)) if targets[next].is_some() && !on_path.contains(&next) => {
                    path.push(next);
                    on_path.insert(next);
                }
                // `next` is the chain's end, or a loop closes (the model
                // rejects those; the loop's last step is kept).
                (None, Some(next)) => break next,
                (None, None) => break last,
            }
        };
        for alias in path {
            ends[alias] = Some(end);
        }
    }
    for (position, end) in ends.into_iter().enumerate() {
        if let Some(end) = end
            && targets[position] != Some(end)
        {
            let reference = Value::String(definition_ref(&definitions[end].0));
            definitions[position].1["$ref"] = reference;
        }
    }
}

/// Merges `allOf` lists whose parts (refs followed) are all plain objects
/// into one object: properties joined (a property two parts declare
/// differently becomes the `allOf` of both), `required` joined, the
/// holder's description kept. typify would merge them the same way, but it
/// wraps every property that one part declares in `allOf: [{}, property]`
/// when another part has an `extra` map (`additionalProperties: {}`), and
/// converting that wrapper merges the referenced type again: an inline copy
/// of it, and endless recursion when the type refers back to the object.
pub(crate) fn merge_object_all_of(definitions: &mut [Definition]) {
    let index: HashMap<String, usize> = definitions
        .iter()
        .enumerate()
        .map(|(position, (name, _))| (name.clone(), position))
        .collect();
    let mut merger = Merger {
        definitions,
        index: &index,
        merged: HashMap::new(),
        resolving: Vec::new(),
    };
    for position in 0..merger.definitions.len() {
        let mut schema = std::mem::take(&mut merger.definitions[position].1);
        merger.resolving.push(position);
        merger.merge_within(&mut schema);
        merger.resolving.pop();
        merger.definitions[position].1 = schema;
    }
}

struct Merger<'a> {
    definitions: &'a mut [Definition],
    index: &'a HashMap<String, usize>,
    /// Each definition's schema with its `allOf` merged, or `None` when its
    /// schema is not a plain object (once known).
    merged: HashMap<usize, Option<Value>>,
    /// The definitions being merged, innermost last: a ref back to one of
    /// them is a cycle, which stays unmerged.
    resolving: Vec<usize>,
}

impl Merger<'_> {
    /// Merges every `allOf` of plain objects inside `schema`, innermost
    /// first: a merge may make new `allOf`s (of a property two parts
    /// declare), which are left to typify.
    fn merge_within(&mut self, schema: &mut Value) {
        if let Value::Object(map) = schema {
            for child in subschemas_mut(map) {
                self.merge_within(child);
            }
        }
        if schema.get("allOf").is_some()
            && let Some(merged) = self.merged_object(schema)
        {
            *schema = merged;
        }
    }

    /// `schema` as one plain object, its `allOf` parts merged in; `None`
    /// when it is not (or a part is not) a plain object.
    fn merged_object(&mut self, schema: &Value) -> Option<Value> {
        let map = schema.as_object()?;
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            return self.merged_definition(reference);
        }
        let Some(Value::Array(parts)) = map.get("allOf") else {
            return is_plain_object(map).then(|| schema.clone());
        };
        let mut body = map.clone();
        body.remove("allOf");
        if !is_plain_object(&body) {
            return None;
        }
        let mut merged = body;
        for part in parts {
            let part = self.merged_object(part)?;
            join_object(&mut merged, part.as_object()?);
        }
        // One `extra` map for the whole object, if any part keeps one and
        // no joined member takes its name.
        let properties = merged.get("properties").and_then(Value::as_object);
        if merged.contains_key("additionalProperties") && properties.is_some_and(clashes_with_extra)
        {
            merged.remove("additionalProperties");
        }
        Some(Value::Object(merged))
    }

    fn merged_definition(&mut self, reference: &str) -> Option<Value> {
        let position = *self.index.get(&definition_name(reference)?)?;
        if let Some(known) = self.merged.get(&position) {
            return known.clone();
        }
        if self.resolving.contains(&position) || self.resolving.len() > MAX_REF_DEPTH {
            return None;
        }
        self.resolving.push(position);
        let schema = self.definitions[position].1.clone();
        let merged = self.merged_object(&schema);
        self.resolving.pop();
        self.merged.insert(position, merged.clone());
        merged
    }
}

/// Keywords a plain object may have: typify merges them by joining. An
/// open object's `additionalProperties` is `true`, or `{}` when it keeps
/// unknown fields in an `extra` map.
fn is_plain_object(map: &Map<String, Value>) -> bool {
    map.iter().all(|(key, value)| match key.as_str() {
        "type" => value == "object",
        "additionalProperties" => {
            value == &Value::Bool(true) || value == &Value::Object(Map::new())
        }
        "properties" | "required" | "description" => true,
        _ => false,
    })
}

/// Joins the plain object `part` into `merged`. As in typify's merge, the
/// parts' descriptions are dropped (the holder's stays), `true` for
/// `additionalProperties` is the same as none, and `{}` (an `extra` map)
/// wins over both.
fn join_object(merged: &mut Map<String, Value>, part: &Map<String, Value>) {
    for (key, value) in part {
        match key.as_str() {
            "properties" => {
                let Value::Object(properties) = value else {
                    continue;
                };
                let joined = merged
                    .entry("properties")
                    .or_insert_with(|| Value::Object(Map::new()));
                let Value::Object(joined) = joined else {
                    continue;
                };
                for (name, schema) in properties {
                    match joined.get_mut(name) {
                        Some(existing) if existing != schema => {
                            let both = Value::Array(vec![existing.take(), schema.clone()]);
                            *existing = Value::Object(Map::from_iter([("allOf".into(), both)]));
                        }
                        Some(_) => {}
                        None => {
                            joined.insert(name.clone(), schema.clone());
                        }
                    }
                }
            }
            "required" => {
                let joined = merged
                    .entry("required")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let (Value::Array(joined), Value::Array(names)) = (joined, value) {
                    for name in names {
                        if !joined.contains(name) {
                            joined.push(name.clone());
                        }
                    }
                }
            }
            "type" => {
                merged.insert(key.clone(), value.clone());
            }
            "additionalProperties" if value.is_object() => {
                merged.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
}

/// Replaces by `true` (any value) each definition whose conversion would
/// make typify's `allOf` merge recurse forever, and says why, per name: a
/// ref met again inside its own merge, through `allOf` parts
/// (`A: {allOf: [{$ref: A}, {}]}`) or through a property two merged parts
/// both declare (`next` of `X` and of `Y` in `allOf: [X, Y]`, each referring
/// back to its own type). The check is conservative: any ref met again
/// while it is being merged counts, and so does a merge of values (`enum`,
/// `const`, `not`) with a type that refers to types in turn, because typify
/// checks each value against the whole merged type and follows its refs
/// without end (`child: {allOf: [{$ref: Self}, {enum: [...]}]}`). Refs to a
/// replaced definition merge as `true`, so later definitions are checked
/// against the replacements.
pub(crate) fn degrade_endless_merges(definitions: &mut [Definition]) -> Vec<(String, String)> {
    let index: HashMap<String, usize> = definitions
        .iter()
        .enumerate()
        .map(|(position, (name, _))| (name.clone(), position))
        .collect();
    let mut degraded = Vec::new();
    let refers_onwards: Vec<bool> = (definitions.iter())
        .map(|(_, schema)| !refs(schema).is_empty())
        .collect();
    for position in 0..definitions.len() {
        let mut check = MergeCheck {
            definitions: &*definitions,
            index: &index,
            refers_onwards: &refers_onwards,
            resolving: Vec::new(),
            steps: 0,
        };
        if let Err(reason) = check.schema(&definitions[position].1) {
            definitions[position].1 = Value::Bool(true);
            degraded.push((definitions[position].0.clone(), reason));
        }
    }
    degraded
}

struct MergeCheck<'a> {
    definitions: &'a [Definition],
    index: &'a HashMap<String, usize>,
    /// Per definition: whether its schema holds a `$ref` anywhere.
    refers_onwards: &'a [bool],
    /// The refs whose definitions are being merged, outermost first.
    resolving: Vec<usize>,
    steps: usize,
}

impl MergeCheck<'_> {
    /// Checks every merge typify makes inside `schema`: each `allOf`, and
    /// each `oneOf`/`anyOf` beside other keywords (merged with them).
    fn schema(&mut self, schema: &Value) -> Result<(), String> {
        let Value::Object(map) = schema else {
            return Ok(());
        };
        let merged_alternatives = ["oneOf", "anyOf"].iter().any(|key| {
            map.contains_key(*key)
                && (map.keys()).any(|other| other != key && is_typify_constraint(other))
        });
        if map.contains_key("allOf") || merged_alternatives {
            self.merge(vec![schema])?;
        }
        let mut children = Vec::new();
        subschemas(map, &mut children);
        children
            .into_iter()
            .try_for_each(|child| self.schema(child))
    }

    /// Follows what merging `members` makes typify merge in turn: every ref
    /// among them (and among their parts and alternatives) is resolved, then
    /// each property or item schema that two of them declare differently
    /// is merged.
    fn merge(&mut self, members: Vec<&Value>) -> Result<(), String> {
        let depth = self.resolving.len();
        let result = self.merge_resolved(members);
        self.resolving.truncate(depth);
        result
    }

    fn merge_resolved(&mut self, members: Vec<&Value>) -> Result<(), String> {
        let mut pending = members;
        let mut objects: Vec<&Map<String, Value>> = Vec::new();
        let mut merges_a_referring_type = false;
        while let Some(member) = pending.pop() {
            self.steps += 1;
            if self.steps > MERGE_CHECK_BUDGET {
                return Err("its allOf merge is too large to check".into());
            }
            let Value::Object(map) = member else { continue };
            if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                let Some(position) =
                    definition_name(reference).and_then(|name| self.index.get(&name).copied())
                else {
                    continue;
                };
                if self.resolving.contains(&position) {
                    return Err(format!(
                        "its allOf merge reaches `{}` again inside that type's own merge",
                        self.definitions[position].0
                    ));
                }
                if self.resolving.len() >= MAX_REF_DEPTH {
                    return Err("its allOf merge follows refs too deep".into());
                }
                self.resolving.push(position);
                merges_a_referring_type |= self.refers_onwards[position];
                pending.push(&self.definitions[position].1);
                continue;
            }
            for key in ["allOf", "oneOf", "anyOf"] {
                if let Some(Value::Array(parts)) = map.get(key) {
                    pending.extend(parts);
                }
            }
            objects.push(map);
        }
        let merges_values = (objects.iter()).any(|object| {
            ["enum", "const", "not"]
                .iter()
                .any(|key| object.contains_key(*key))
        });
        if merges_values && merges_a_referring_type {
            return Err(
                "its allOf merges enum, const or not with a type that refers to other types".into(),
            );
        }
        // Merging two or more objects, typify goes on to merge (or, beside an
        // `extra` map, wrap in `allOf: [{}, ...]`) every property and items
        // schema, even those only one part declares.
        let merges_objects = objects.len() > 1;
        for key in ["properties", "items"] {
            let mut shared: HashMap<&str, Vec<&Value>> = HashMap::new();
            for object in &objects {
                match (key, object.get(key)) {
                    ("properties", Some(Value::Object(properties))) => {
                        for (name, schema) in properties {
                            shared.entry(name).or_default().push(schema);
                        }
                    }
                    ("items", Some(items)) => shared.entry("").or_default().push(items),
                    _ => {}
                }
            }
            for (_, schemas) in shared {
                let mut distinct: Vec<&Value> = Vec::with_capacity(schemas.len());
                for schema in schemas {
                    if !distinct.contains(&schema) {
                        distinct.push(schema);
                    }
                }
                if distinct.len() > 1 || merges_objects {
                    self.merge(distinct)?;
                }
            }
        }
        Ok(())
    }
}

/// The schemas directly inside `map`, where typify looks for more types.
fn subschemas<'a>(map: &'a Map<String, Value>, out: &mut Vec<&'a Value>) {
    for (key, value) in map {
        match (key.as_str(), value) {
            ("properties", Value::Object(properties)) => out.extend(properties.values()),
            ("allOf" | "anyOf" | "oneOf" | "items", Value::Array(list)) => out.extend(list),
            ("items" | "additionalProperties" | "additionalItems" | "not", schema) => {
                out.push(schema)
            }
            _ => {}
        }
    }
}

/// The schemas directly inside `map`, mutably.
fn subschemas_mut(map: &mut Map<String, Value>) -> Vec<&mut Value> {
    let mut out = Vec::new();
    for (key, value) in map.iter_mut() {
        match (key.as_str(), value) {
            ("properties", Value::Object(properties)) => out.extend(properties.values_mut()),
            ("allOf" | "anyOf" | "oneOf" | "items", Value::Array(list)) => out.extend(list),
            ("items" | "additionalProperties" | "additionalItems" | "not", schema) => {
                out.push(schema)
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn named(definitions: Value) -> Vec<Definition> {
        let Value::Object(map) = definitions else {
            panic!("definitions are an object")
        };
        map.into_iter().collect()
    }

    #[test]
    fn merges_through_own_allof_or_shared_properties_are_degraded() {
        let mut definitions = named(json!({
            "A": {"allOf": [{"$ref": "#/definitions/A"}, {}]},
            "X": {"type": "object", "properties": {"next": {"$ref": "#/definitions/X"}}},
            "Y": {"type": "object", "properties": {"next": {"$ref": "#/definitions/Y"}}},
            "Z": {"type": "object", "properties": {"next": {"allOf": [{"$ref": "#/definitions/X"}, {"$ref": "#/definitions/Y"}]}}},
        }));
        let degraded = degrade_endless_merges(&mut definitions);
        let names: Vec<&str> = degraded.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["A", "Z"], "{degraded:?}");
        assert_eq!(definitions[0].1, json!(true));
        assert_eq!(
            definitions[1].1["properties"]["next"],
            json!({"$ref": "#/definitions/X"})
        );
    }

    #[test]
    fn an_unmergeable_open_allof_whose_property_leads_back_is_degraded() {
        // `pattern` keeps `Image` from being merged here, so typify merges it,
        // wrapping `thumbnail` beside Thing's `extra` map and looping through `image`.
        let mut definitions = named(json!({
            "Thing": {"type": "object", "additionalProperties": {},
                "properties": {"image": {"$ref": "#/definitions/Image"}}},
            "Image": {"type": "object", "pattern": "x", "additionalProperties": {},
                "allOf": [{"$ref": "#/definitions/Thing"}],
                "properties": {"thumbnail": {"$ref": "#/definitions/Image"}}},
        }));
        let degraded = degrade_endless_merges(&mut definitions);
        let names: Vec<&str> = degraded.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["Image"], "{degraded:?}");
    }

    #[test]
    fn a_recursive_array_narrowed_by_a_sibling_keyword_is_degraded() {
        let mut definitions = named(json!({
            "Self": {"type": "array", "items": {"allOf": [{"$ref": "#/definitions/Self"}, {"minimum": -1}]}},
        }));
        let degraded = degrade_endless_merges(&mut definitions);
        assert_eq!(degraded.len(), 1, "{degraded:?}");
    }

    #[test]
    fn values_merged_with_a_type_that_refers_onwards_are_degraded() {
        let mut definitions = named(json!({
            "Self": {"type": "object", "required": ["child"], "properties": {
                "child": {"allOf": [{"$ref": "#/definitions/Self"}, {"enum": [1, "a", null]}]}}},
            "Status": {"type": "string", "enum": ["on", "off"]},
            "Narrowed": {"allOf": [{"$ref": "#/definitions/Status"}, {"enum": ["on"]}]},
        }));
        let degraded = degrade_endless_merges(&mut definitions);
        let names: Vec<&str> = degraded.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            ["Self"],
            "a leaf type narrowed by an enum is fine: {degraded:?}"
        );
    }

    #[test]
    fn alternatives_beside_only_annotations_are_not_merged() {
        // Stripe's expandable fields: an id, or the object, which refers back.
        let mut definitions = named(json!({
            "Customer": {"type": "object", "properties": {"card": {"$ref": "#/definitions/Card"}}},
            "Card": {"type": "object", "properties": {"customer": {
                "description": "The id, or the customer when expanded.",
                "type": ["string", "object", "null"],
                "x-expansionResources": {"oneOf": [{"$ref": "#/definitions/Customer"}]},
                "oneOf": [{"type": "string"}, {"$ref": "#/definitions/Customer"}, {"type": "null"}]
            }}},
        }));
        let degraded = degrade_endless_merges(&mut definitions);
        assert!(degraded.is_empty(), "{degraded:?}");
    }
}
