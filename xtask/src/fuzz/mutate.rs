//! Structural mutations of an OpenAPI document: the shapes that broke the
//! tools before (huge sizes, self-references, recursive combinators, odd
//! path templates, bad regexes) and generic ones (deleted keys, changed
//! types, odd strings).

use rand::RngExt;
use rand::rngs::StdRng;
use serde_json::{Map, Value, json};

/// Numbers that overflow casts and allocations.
const HUGE_NUMBERS: [f64; 8] = [
    4_294_967_295.0,
    4e9,
    1e308,
    -1e308,
    9_007_199_254_740_993.0,
    -1.0,
    0.5,
    1e-300,
];

/// Strings that break out of comments, string literals, identifiers and paths.
const ODD_STRINGS: [&str; 16] = [
    "",
    "*/ /* */",
    "\"'`${x}\\",
    "line\nbreak\r\n",
    "\u{0}\u{7f}\u{2028}\u{2029}",
    "名前 ünïcödé 🙂",
    "A/B",
    "~0~1%2F",
    "constructor",
    "__proto__",
    "type",
    "123abc",
    "-",
    "{id}",
    "#/components/schemas",
    "a b-c.d:e",
];

/// `$ref` targets in odd places: itself, roots, missing, remote, outside.
const ODD_REFS: [&str; 10] = [
    "#",
    "#/",
    "#/paths",
    "#/components",
    "#/components/schemas/Missing",
    "#/components/schemas/A~1B",
    "../outside.yaml",
    "http://example.com/spec.yaml",
    "#/components/schemas/%7Bx%7D",
    "schemas.yaml#/X",
];

/// Regular expressions that do not compile, or that explode when generating.
const ODD_PATTERNS: [&str; 8] = [
    "(",
    "a{999999999}",
    "(a{1000}){1000}",
    "\\p{Bogus}",
    "[z-a]",
    "(?<n>a)\\k<n>",
    "^$",
    "\\",
];

/// Path templates that confuse routers and matchers.
const ODD_PATHS: [&str; 8] = [
    "/{a}{b}",
    "/{}",
    "/v1/{name}:cancel",
    "/{id}/{id}",
    "relative",
    "/a//b/",
    "/{x}.{ext}",
    "/*",
];

/// Keywords whose values are sizes: a huge one must be capped, not allocated.
const SIZE_KEYWORDS: [&str; 8] = [
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "minProperties",
    "maxProperties",
    "minimum",
    "multipleOf",
];

/// Applies 1 to 4 random mutations to `document` in place.
pub fn mutate(document: &mut Value, rng: &mut StdRng) {
    for _ in 0..rng.random_range(1..=4) {
        mutate_once(document, rng);
    }
}

fn mutate_once(document: &mut Value, rng: &mut StdRng) {
    let schema_names = schema_names(document);
    match rng.random_range(0..12) {
        0 => delete_somewhere(document, rng),
        1 => retype_somewhere(document, rng),
        2 => {
            let number = HUGE_NUMBERS[rng.random_range(0..HUGE_NUMBERS.len())];
            let keyword = pick(rng, &SIZE_KEYWORDS);
            set_in_a_schema(document, rng, keyword, json!(number));
        }
        3 => replace_a_string(document, rng),
        4 => {
            let target = pick(rng, &ODD_REFS).to_owned();
            put_somewhere(document, rng, json!({ "$ref": target }));
        }
        5 | 6 => self_reference(document, rng, &schema_names),
        7 => {
            let pattern = pick(rng, &ODD_PATTERNS);
            set_in_a_schema(document, rng, "pattern", json!(pattern));
        }
        8 => odd_path(document, rng),
        9 => {
            let mixed = json!([1, "a", null, {"k": []}, true, 1.5]);
            set_in_a_schema(document, rng, "enum", mixed);
        }
        10 => chain(document, rng),
        _ => duplicate_a_subtree(document, rng),
    }
}

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

/// One key of a non-empty map.
fn random_key(map: &Map<String, Value>, rng: &mut StdRng) -> String {
    let index = rng.random_range(0..map.len());
    map.keys().nth(index).cloned().unwrap_or_default()
}

/// The names under `components.schemas`.
fn schema_names(document: &Value) -> Vec<String> {
    document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default()
}

/// Every JSON pointer in the document, in document order (bounded, so a
/// huge seed costs the same as a big one).
pub fn pointers(document: &Value) -> Vec<String> {
    const LIMIT: usize = 20_000;
    let mut found = Vec::new();
    let mut stack = vec![(String::new(), document)];
    while let Some((pointer, value)) = stack.pop() {
        if found.len() >= LIMIT {
            break;
        }
        match value {
            Value::Object(map) => {
                for (key, child) in map.iter().rev() {
                    let escaped = key.replace('~', "~0").replace('/', "~1");
                    stack.push((format!("{pointer}/{escaped}"), child));
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate().rev() {
                    stack.push((format!("{pointer}/{index}"), child));
                }
            }
            _ => {}
        }
        found.push(pointer);
    }
    found
}

/// A random pointer whose value satisfies `wanted`.
fn random_pointer(
    document: &Value,
    rng: &mut StdRng,
    wanted: impl Fn(&Value) -> bool,
) -> Option<String> {
    let candidates: Vec<String> = pointers(document)
        .into_iter()
        .filter(|pointer| document.pointer(pointer).is_some_and(&wanted))
        .collect();
    (!candidates.is_empty()).then(|| candidates[rng.random_range(0..candidates.len())].clone())
}

/// Objects that look like schemas (or could be read as one).
fn looks_like_schema(value: &Value) -> bool {
    value.as_object().is_some_and(|map| {
        [
            "type",
            "properties",
            "items",
            "allOf",
            "oneOf",
            "anyOf",
            "$ref",
            "enum",
        ]
        .iter()
        .any(|key| map.contains_key(*key))
    })
}

fn delete_somewhere(document: &mut Value, rng: &mut StdRng) {
    if let Some(pointer) = random_pointer(document, rng, |_| true) {
        remove(document, &pointer);
    }
}

/// Removes the first `count` members or items of the value at `pointer`.
pub fn remove_first(document: &mut Value, pointer: &str, count: usize) {
    match document.pointer_mut(pointer) {
        Some(Value::Object(map)) => {
            let keys: Vec<String> = map.keys().take(count).cloned().collect();
            for key in keys {
                map.shift_remove(&key);
            }
        }
        Some(Value::Array(items)) => {
            items.drain(..count.min(items.len()));
        }
        _ => {}
    }
}

/// Removes the member or item at `pointer`; false when there is none (or it is the root).
pub fn remove(document: &mut Value, pointer: &str) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return false;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match document.pointer_mut(parent) {
        Some(Value::Object(map)) => map.shift_remove(&key).is_some(),
        Some(Value::Array(items)) => match key.parse::<usize>() {
            Ok(index) if index < items.len() => {
                items.remove(index);
                true
            }
            _ => false,
        },
        _ => false,
    }
}

fn retype_somewhere(document: &mut Value, rng: &mut StdRng) {
    let replacement = match rng.random_range(0..6) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(7),
        3 => json!("text"),
        4 => json!([]),
        _ => json!({}),
    };
    if let Some(pointer) = random_pointer(document, rng, |_| true)
        && let Some(slot) = document.pointer_mut(&pointer)
    {
        *slot = replacement;
    }
}

fn replace_a_string(document: &mut Value, rng: &mut StdRng) {
    let odd = pick(rng, &ODD_STRINGS).to_owned();
    // Keys are names too (properties, schemas, parameters).
    if rng.random_bool(0.5) {
        if let Some(pointer) = random_pointer(document, rng, |v| {
            v.as_object().is_some_and(|m| !m.is_empty())
        }) && let Some(Value::Object(map)) = document.pointer_mut(&pointer)
        {
            let key = random_key(map, rng);
            if let Some(value) = map.shift_remove(&key) {
                map.insert(odd, value);
            }
        }
        return;
    }
    if let Some(pointer) = random_pointer(document, rng, Value::is_string)
        && let Some(slot) = document.pointer_mut(&pointer)
    {
        *slot = Value::String(odd);
    }
}

fn set_in_a_schema(document: &mut Value, rng: &mut StdRng, key: &str, value: Value) {
    if let Some(pointer) = random_pointer(document, rng, looks_like_schema)
        && let Some(Value::Object(map)) = document.pointer_mut(&pointer)
    {
        map.insert(key.to_owned(), value);
    }
}

fn put_somewhere(document: &mut Value, rng: &mut StdRng, value: Value) {
    if let Some(pointer) = random_pointer(document, rng, |v| v.is_object() || v.is_array())
        && let Some(slot) = document.pointer_mut(&pointer)
    {
        match slot {
            Value::Object(map) if !map.is_empty() && rng.random_bool(0.7) => {
                let key = random_key(map, rng);
                map.insert(key, value);
            }
            _ => *slot = value,
        }
    }
}

/// A named schema made to refer to itself (or a neighbour) through a
/// combinator, a property, `items` or a bare `$ref`.
fn self_reference(document: &mut Value, rng: &mut StdRng, names: &[String]) {
    let (name, other) = if names.is_empty() {
        ("Self".to_owned(), "Self".to_owned())
    } else {
        let name = names[rng.random_range(0..names.len())].clone();
        let other = names[rng.random_range(0..names.len())].clone();
        (name, other)
    };
    let escape = |name: &str| name.replace('~', "~0").replace('/', "~1");
    let own = json!({ "$ref": format!("#/components/schemas/{}", escape(&name)) });
    let next = json!({ "$ref": format!("#/components/schemas/{}", escape(&other)) });
    let shape = match rng.random_range(0..8) {
        0 => json!({ "allOf": [own, {}] }),
        1 => json!({ "allOf": [own.clone(), own] }),
        2 => json!({ "oneOf": [own] }),
        3 => json!({ "anyOf": [own, { "type": "null" }] }),
        4 => json!({ "type": "object", "required": ["child"], "properties": { "child": own } }),
        5 => json!({ "type": "array", "minItems": 1, "items": own }),
        6 => next,
        _ => {
            json!({ "oneOf": [next, { "type": "object", "required": ["a", "b"], "properties": { "a": own.clone(), "b": own } }] })
        }
    };
    let schemas = ensure_object(document, &["components", "schemas"]);
    schemas.insert(name, shape);
}

/// A chain of schemas, each referring to the next several times: the shape
/// that makes generation exponential or recursion deep.
fn chain(document: &mut Value, rng: &mut StdRng) {
    let length = *[3usize, 30, 300, 3000]
        .get(rng.random_range(0..4))
        .unwrap_or(&3);
    let fan_out = rng.random_range(1..=4);
    let schemas = ensure_object(document, &["components", "schemas"]);
    for level in 0..length {
        let next = json!({ "$ref": format!("#/components/schemas/Chain{}", level + 1) });
        let shape = if level + 1 == length {
            json!({ "type": "string" })
        } else if fan_out == 1 {
            next
        } else {
            let names: Vec<String> = (0..fan_out).map(|i| format!("p{i}")).collect();
            let properties: Map<String, Value> = names
                .iter()
                .map(|name| (name.clone(), next.clone()))
                .collect();
            json!({ "type": "object", "required": names, "properties": properties })
        };
        schemas.insert(format!("Chain{level}"), shape);
    }
    // Reachable from a response, so every generator walks it.
    if let Some(pointer) = random_pointer(document, rng, |v| {
        v.as_object().is_some_and(|m| m.contains_key("schema"))
    }) && let Some(Value::Object(media)) = document.pointer_mut(&pointer)
    {
        media.insert(
            "schema".to_owned(),
            json!({ "$ref": "#/components/schemas/Chain0" }),
        );
    }
}

fn odd_path(document: &mut Value, rng: &mut StdRng) {
    let Some(Value::Object(paths)) = document.get_mut("paths") else {
        return;
    };
    if paths.is_empty() {
        return;
    }
    let key = random_key(paths, rng);
    let odd = pick(rng, &ODD_PATHS).to_owned();
    if let Some(item) = paths.shift_remove(&key) {
        paths.insert(odd, item);
    }
}

fn duplicate_a_subtree(document: &mut Value, rng: &mut StdRng) {
    let Some(from) = random_pointer(document, rng, looks_like_schema) else {
        return;
    };
    let copy = document.pointer(&from).cloned().unwrap_or(Value::Null);
    put_somewhere(document, rng, copy);
}

/// The object at `path` under the root, created (replacing anything else) when missing.
fn ensure_object<'d>(document: &'d mut Value, path: &[&str]) -> &'d mut Map<String, Value> {
    let mut current = document;
    for key in path {
        if !current.is_object() {
            *current = json!({});
        }
        let map = current.as_object_mut().expect("made an object");
        current = map.entry((*key).to_owned()).or_insert_with(|| json!({}));
    }
    if !current.is_object() {
        *current = json!({});
    }
    current.as_object_mut().expect("made an object")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn mutations_are_deterministic_for_a_seed_and_change_the_document() {
        let seed = json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}},
            "components": {"schemas": {"A": {"type": "object", "properties": {"x": {"type": "string"}}}}}
        });
        let run = |seed_value: u64| {
            let mut document = seed.clone();
            let mut rng = StdRng::seed_from_u64(seed_value);
            mutate(&mut document, &mut rng);
            document
        };
        assert_eq!(run(7), run(7));
        let changed = (0..20).filter(|&s| run(s) != seed).count();
        assert!(
            changed >= 15,
            "only {changed} of 20 mutants differ from the seed"
        );
    }
}
