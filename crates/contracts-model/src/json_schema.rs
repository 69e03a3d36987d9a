//! Model schemas as draft-7 JSON Schema, what schemars 0.8 (and so typify)
//! and JSON Schema validators read. The conversion follows progenitor's
//! `to_schema.rs`: `nullable` joins the type (or the alternatives), closed
//! `prefixItems` become a fixed-length `items` list, discriminators stay
//! out (validation does not need them; typify detects tags itself).

use serde_json::{Map, Value, json};

use crate::{Schema, SchemaId, SchemaObject, Type};

/// Every schema of `contract` as one document, each under
/// `definitions/<index>`, so a validator can compile one root and check
/// values against `#/definitions/<index>` (see [`definition_pointer`]).
pub fn draft7_document(contract: &crate::Contract) -> Value {
    let definitions: Map<String, Value> = contract
        .schemas
        .iter()
        .enumerate()
        .map(|(index, named)| {
            (
                index.to_string(),
                draft7(&named.schema, &|id| definition_pointer(id)),
            )
        })
        .collect();
    json!({ "definitions": definitions })
}

/// Where [`draft7_document`] keeps the schema `id`.
pub fn definition_pointer(id: SchemaId) -> String {
    format!("#/definitions/{}", id.0)
}

/// One model schema as draft-7 JSON Schema; refs become `ref_target(id)`.
pub fn draft7(schema: &Schema, ref_target: &dyn Fn(SchemaId) -> String) -> Value {
    match schema {
        Schema::Ref(id) => json!({"$ref": ref_target(*id)}),
        Schema::Bool(flag) => Value::Bool(*flag),
        Schema::Object(object) => object_schema(object, ref_target),
    }
}

fn object_schema(object: &SchemaObject, ref_target: &dyn Fn(SchemaId) -> String) -> Value {
    let convert = |schema: &Schema| draft7(schema, ref_target);
    let mut map = Map::new();
    let mut types: Vec<Value> = object.types.iter().map(|ty| json!(ty.as_str())).collect();
    if object.nullable && !types.is_empty() && !object.types.contains(&Type::Null) {
        types.push(json!("null"));
    }
    match types.len() {
        0 => {}
        1 => {
            map.insert("type".into(), types.remove(0));
        }
        _ => {
            map.insert("type".into(), Value::Array(types));
        }
    }
    // No `title`: typify would name types after it, and real specs reuse
    // titles. No `default` (validators ignore it): typify would make an
    // optional property with a default non-optional and fill the default
    // in, so a value the sender left out would come back as the default.
    for (key, value) in [
        ("format", &object.format),
        ("description", &object.description),
    ] {
        if let Some(value) = value {
            map.insert(key.into(), json!(value));
        }
    }
    if let Some(values) = &object.enum_values {
        let mut values = values.clone();
        if object.nullable && !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
        map.insert("enum".into(), Value::Array(values));
    }
    if let Some(value) = &object.const_value {
        map.insert("const".into(), (**value).clone());
    }
    if !object.properties.is_empty() {
        let properties = object
            .properties
            .iter()
            .map(|(name, schema)| (name.clone(), convert(schema)))
            .collect();
        map.insert("properties".into(), Value::Object(properties));
    }
    if !object.required.is_empty() {
        map.insert("required".into(), json!(object.required));
    }
    if let Some(additional) = &object.additional_properties {
        map.insert("additionalProperties".into(), convert(additional));
    }
    if !object.prefix_items.is_empty() {
        // typify makes tuples of fixed-size item lists only; an open tuple
        // (more items allowed) stays a list of JSON values.
        if object.items == Some(Schema::Bool(false)) {
            let length = object.prefix_items.len();
            map.insert(
                "items".into(),
                Value::Array(object.prefix_items.iter().map(convert).collect()),
            );
            map.insert("additionalItems".into(), json!(false));
            map.insert("minItems".into(), json!(length));
            map.insert("maxItems".into(), json!(length));
        } else {
            map.insert("items".into(), json!({}));
        }
    } else if let Some(items) = &object.items {
        map.insert("items".into(), convert(items));
    }
    let constraints = object.constraints();
    let numbers = [
        ("minimum", &constraints.minimum),
        ("maximum", &constraints.maximum),
        ("exclusiveMinimum", &constraints.exclusive_minimum),
        ("exclusiveMaximum", &constraints.exclusive_maximum),
        ("multipleOf", &constraints.multiple_of),
    ];
    for (key, value) in numbers {
        if let Some(value) = value {
            map.insert(key.into(), Value::Number(value.clone()));
        }
    }
    let counts = [
        ("minLength", constraints.min_length),
        ("maxLength", constraints.max_length),
        ("minItems", constraints.min_items),
        ("maxItems", constraints.max_items),
        ("minProperties", constraints.min_properties),
        ("maxProperties", constraints.max_properties),
    ];
    for (key, value) in counts {
        if let Some(value) = value {
            // A closed tuple's length, set above, wins.
            map.entry(key).or_insert(json!(value));
        }
    }
    if constraints.unique_items {
        map.insert("uniqueItems".into(), json!(true));
    }
    if let Some(pattern) = &constraints.pattern {
        map.insert("pattern".into(), json!(pattern));
    }
    for (key, list) in [
        ("allOf", &object.all_of),
        ("oneOf", &object.one_of),
        ("anyOf", &object.any_of),
    ] {
        if !list.is_empty() {
            map.insert(key.into(), Value::Array(list.iter().map(convert).collect()));
        }
    }
    if let Some(not) = &object.not {
        map.insert("not".into(), convert(not));
    }
    // `nullable` without a type: null joins the alternatives, or wraps the
    // schema (`allOf: [X], nullable: true` is X or null).
    if object.nullable && object.types.is_empty() && object.enum_values.is_none() {
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(alternatives)) = map.get_mut(key) {
                alternatives.push(json!({"type": "null"}));
                return Value::Object(map);
            }
        }
        return json!({"anyOf": [Value::Object(map), {"type": "null"}]});
    }
    Value::Object(map)
}
