//! Path parameters echoed into detail responses: `GET /orders/{orderId}`
//! answers with the requested `orderId` in a body field of that name (and in
//! `id`, when the path's last parameter names the resource), so a detail page
//! shows the id it navigated to. Decided here, per JSON response, only for
//! fields every value of the parameter's kind fits (a plain string, a number
//! without bounds); the handler does it at run time, on a copy of the body.

use contracts_model::{Contract, Operation, ParameterLocation, Schema, SchemaObject, Type};
use serde_json::{Map, Value, json};

/// The fields of `schema`'s objects to echo, as `{field: [parameter, kind]}`
/// (`kind`: `string`, `uuid`, `integer` or `number`); `None` when there are none.
pub(crate) fn fields(contract: &Contract, operation: &Operation, schema: &Schema) -> Option<Value> {
    let parts = parts(contract, schema);
    // Branches or conditions may constrain a field beyond its declaration:
    // such bodies are left as generated.
    let conditional = |part: &&SchemaObject| {
        !part.one_of.is_empty()
            || !part.any_of.is_empty()
            || part.not.is_some()
            || part.subschemas.is_some()
    };
    if parts.iter().any(conditional) {
        return None;
    }
    let parameters: Vec<&str> = (operation.parameters.iter())
        .filter(|parameter| parameter.location == ParameterLocation::Path)
        .map(|parameter| parameter.name.as_str())
        .collect();
    // `/orders/{orderId}`: the last segment is the resource's own id.
    let resource = (operation.path.rsplit('/').next())
        .and_then(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .filter(|name| *name == "id" || name.ends_with("Id") || name.ends_with("_id"));
    let mut fields = Map::new();
    for name in parameters {
        let targets = std::iter::once(name).chain((resource == Some(name)).then_some("id"));
        for field in targets {
            if fields.contains_key(field) {
                continue;
            }
            if let Some(kind) = field_kind(contract, &parts, field) {
                fields.insert(field.to_owned(), json!([name, kind]));
            }
        }
    }
    (!fields.is_empty()).then_some(Value::Object(fields))
}

/// The body's schema and its `allOf` parts, refs followed, each once.
fn parts<'c>(contract: &'c Contract, schema: &'c Schema) -> Vec<&'c SchemaObject> {
    let mut parts: Vec<&SchemaObject> = Vec::new();
    let mut next = vec![schema];
    while let Some(schema) = next.pop() {
        let Schema::Object(object) = contract.resolve(schema) else {
            continue;
        };
        if parts.len() >= MAX_PARTS || parts.iter().any(|part| std::ptr::eq(*part, &**object)) {
            continue;
        }
        parts.push(object);
        next.extend(object.all_of.iter().rev());
    }
    parts
}

/// Enough for any real composition; past it, nothing is echoed.
const MAX_PARTS: usize = 64;

/// The kind of `field` when every part that declares it agrees on one.
fn field_kind(contract: &Contract, parts: &[&SchemaObject], field: &str) -> Option<&'static str> {
    if parts.len() >= MAX_PARTS {
        return None;
    }
    let mut kinds =
        (parts.iter()).filter_map(|part| part.properties.get(field).map(|s| kind(contract, s)));
    let first = kinds.next()??;
    kinds.all(|kind| kind == Some(first)).then_some(first)
}

/// What a path parameter's text may become in a field of `schema`: any
/// string, a uuid, or a number where the schema sets no bounds (the handler
/// checks the text has that form).
fn kind(contract: &Contract, schema: &Schema) -> Option<&'static str> {
    let Schema::Object(object) = contract.resolve(schema) else {
        return None;
    };
    if !unconstrained(object) {
        return None;
    }
    match object.types.as_slice() {
        [Type::String] => match object.format.as_deref() {
            None => Some("string"),
            Some("uuid") => Some("uuid"),
            Some(_) => None,
        },
        [Type::Integer] => Some("integer"),
        [Type::Number] => Some("number"),
        _ => None,
    }
}

fn unconstrained(object: &SchemaObject) -> bool {
    object.constraints.is_none()
        && object.enum_values.is_none()
        && object.const_value.is_none()
        && object.all_of.is_empty()
        && object.one_of.is_empty()
        && object.any_of.is_empty()
        && object.not.is_none()
        && !object.nullable
}

#[cfg(test)]
mod tests {
    use contracts_model::{InMemory, build};

    use super::*;

    #[test]
    fn the_requested_id_goes_to_its_field_and_to_id() {
        let document = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {
            "/shops/{shopId}/orders/{orderId}": {"get": {
                "parameters": [
                    {"name": "shopId", "in": "path", "required": true, "schema": {"type": "integer"}},
                    {"name": "orderId", "in": "path", "required": true, "schema": {"type": "string"}}
                ],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {
                        "id": {"type": "string"},
                        "shopId": {"type": "integer", "minimum": 1},
                        "orderId": {"type": "string", "format": "uuid"}
                    }
                }}}}}
            }}
        }});
        let contract = build(&mut InMemory::new("api.yaml", document)).0.unwrap();
        let operation = &contract.operations[0];
        let schema = operation.responses.values().next().unwrap().content["application/json"]
            .schema
            .clone()
            .unwrap();
        assert_eq!(
            fields(&contract, operation, &schema),
            // `shopId` is bounded: a request may carry a number out of bounds.
            Some(json!({"orderId": ["orderId", "uuid"], "id": ["orderId", "string"]}))
        );
    }
}
