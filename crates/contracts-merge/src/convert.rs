//! Schema conversion between OpenAPI 3.0 and 3.1 for the merged output.

use serde_json::{Map, Value, json};

/// Rewrites one 3.0 schema object in the 3.1 form, keeping its meaning.
/// Beside a `$ref`, 3.0 ignores every keyword and 3.1 applies them: they
/// are dropped (annotations stay), as every reader of the service's spec
/// drops them (a `nullable` there would make the gateway accept more).
pub fn upgrade_schema(schema: &mut Map<String, Value>) {
    if schema.contains_key("$ref") {
        // `deprecated` too: 3.1 readers act on it beside a `$ref`.
        schema.retain(|key, _| {
            key == "$ref" || (contracts_model::is_annotation(key) && key != "deprecated")
        });
        return;
    }
    normalize_schema(schema);
}

/// Rewrites the 3.0 keywords of one schema object in the 3.1 form, as the
/// model reads them in either version: `nullable` joins the type (or wraps
/// the schema in an `anyOf` with null), boolean exclusive bounds become
/// numeric ones, `example` joins `examples`.
pub fn normalize_schema(schema: &mut Map<String, Value>) {
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match schema.get(flag) {
            Some(Value::Bool(true)) => {
                if let Some(limit) = schema.remove(bound) {
                    schema.insert(flag.to_owned(), limit);
                } else {
                    schema.remove(flag);
                }
            }
            Some(Value::Bool(false)) => {
                schema.remove(flag);
            }
            _ => {}
        }
    }
    if let Some(example) = schema.remove("example") {
        let examples = schema.entry("examples").or_insert_with(|| json!([]));
        if let Value::Array(items) = examples {
            items.insert(0, example);
        }
    }
    match schema.remove("nullable") {
        Some(Value::Bool(true)) => make_nullable(schema),
        Some(Value::Bool(false)) | None => {}
        Some(other) => {
            schema.insert("nullable".to_owned(), other);
        }
    }
}

fn make_nullable(schema: &mut Map<String, Value>) {
    // In 3.1 an enum must list null itself for null to be valid.
    if let Some(Value::Array(values)) = schema.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    match schema.get_mut("type") {
        Some(Value::String(name)) => {
            let name = std::mem::take(name);
            schema.insert("type".to_owned(), json!([name, "null"]));
        }
        Some(Value::Array(names)) => {
            if !names.contains(&json!("null")) {
                names.push(json!("null"));
            }
        }
        _ => {
            // No type (a `$ref`, `allOf`, ...): null or the schema as it was.
            let annotations = [
                "title",
                "description",
                "deprecated",
                "readOnly",
                "writeOnly",
                "default",
                "examples",
            ];
            let mut wrapper = Map::new();
            let mut inner = Map::new();
            for (key, value) in std::mem::take(schema) {
                if annotations.contains(&key.as_str()) || key.starts_with("x-") {
                    wrapper.insert(key, value);
                } else {
                    inner.insert(key, value);
                }
            }
            wrapper.insert(
                "anyOf".to_owned(),
                json!([Value::Object(inner), {"type": "null"}]),
            );
            *schema = wrapper;
        }
    }
}

/// The first 3.1-only construct in a schema object, if any: what a 3.0
/// gateway could not express. Its keyword list is not the subschema lists of
/// `contracts_model::keywords`: it names keywords 3.0 lacks (`const`, `$id`,
/// `dependentRequired`, ...), not those holding schemas, in reporting order.
pub fn only_in_3_1(schema: &Map<String, Value>) -> Option<String> {
    if let Some(Value::Array(types)) = schema.get("type") {
        return Some(format!("a type array {}", Value::Array(types.clone())));
    }
    if schema.get("type") == Some(&json!("null")) {
        return Some("`type: null`".to_owned());
    }
    for keyword in [
        "const",
        "prefixItems",
        "$defs",
        "if",
        "then",
        "else",
        "dependentSchemas",
        "dependentRequired",
        "unevaluatedProperties",
        "unevaluatedItems",
        "contains",
        "propertyNames",
        "patternProperties",
        "contentMediaType",
        "contentEncoding",
        "$id",
        "$anchor",
    ] {
        if schema.contains_key(keyword) {
            return Some(format!("`{keyword}`"));
        }
    }
    if schema.get("examples").is_some_and(Value::is_array) {
        return Some("an `examples` array".to_owned());
    }
    for keyword in ["exclusiveMinimum", "exclusiveMaximum"] {
        if schema.get(keyword).is_some_and(Value::is_number) {
            return Some(format!("a numeric `{keyword}`"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upgraded(value: Value) -> Value {
        let mut map = value.as_object().unwrap().clone();
        upgrade_schema(&mut map);
        Value::Object(map)
    }

    #[test]
    fn nullable_joins_the_type_and_the_enum() {
        assert_eq!(
            upgraded(json!({"type": "string", "nullable": true, "enum": ["a"]})),
            json!({"type": ["string", "null"], "enum": ["a", null]})
        );
        assert_eq!(
            upgraded(json!({"type": "string", "nullable": false})),
            json!({"type": "string"})
        );
    }

    #[test]
    fn nullable_without_type_wraps_in_any_of() {
        assert_eq!(
            upgraded(json!({"description": "d", "allOf": [{"$ref": "#/A"}], "nullable": true})),
            json!({"description": "d", "anyOf": [{"allOf": [{"$ref": "#/A"}]}, {"type": "null"}]})
        );
    }

    #[test]
    fn keywords_beside_a_ref_are_dropped_but_annotations() {
        assert_eq!(
            upgraded(
                json!({"$ref": "#/A", "type": "string", "nullable": true, "description": "d", "x-a": 1})
            ),
            json!({"$ref": "#/A", "description": "d", "x-a": 1})
        );
    }

    #[test]
    fn in_3_1_keywords_beside_a_ref_apply_and_nullable_wraps_it() {
        let mut map = json!({"$ref": "#/A", "nullable": true, "description": "d"})
            .as_object()
            .unwrap()
            .clone();
        normalize_schema(&mut map);
        assert_eq!(
            Value::Object(map),
            json!({"description": "d", "anyOf": [{"$ref": "#/A"}, {"type": "null"}]})
        );
    }

    #[test]
    fn exclusive_bounds_and_examples_take_the_3_1_form() {
        assert_eq!(
            upgraded(
                json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 9, "exclusiveMaximum": false, "example": 3})
            ),
            json!({"type": "integer", "maximum": 9, "exclusiveMinimum": 0, "examples": [3]})
        );
    }

    #[test]
    fn finds_3_1_only_constructs() {
        let find = |value: Value| only_in_3_1(value.as_object().unwrap());
        assert_eq!(find(json!({"type": "string"})), None);
        assert_eq!(find(json!({"const": 1})).as_deref(), Some("`const`"));
        assert!(find(json!({"type": ["string", "null"]})).is_some());
        assert!(find(json!({"exclusiveMinimum": 3})).is_some());
        assert_eq!(find(json!({"minimum": 3, "exclusiveMinimum": true})), None);
    }
}
