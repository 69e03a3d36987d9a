//! Keyword lists of OpenAPI Schema Objects and JSON Schema, shared by the
//! builder and by the graph walk.

/// Keywords holding one schema (or a boolean schema). `items` may also hold
/// a list (the draft-4 tuple form of `prefixItems`).
pub const SUBSCHEMA_KEYWORDS: [&str; 12] = [
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
    "additionalItems",
];
/// Keywords holding a list of schemas.
pub const SUBSCHEMA_LISTS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords holding a map of schemas.
pub const SUBSCHEMA_MAPS: [&str; 5] = [
    "properties",
    "patternProperties",
    "dependentSchemas",
    "$defs",
    "definitions",
];

/// How a keyword holds subschemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subschemas {
    One,
    List,
    Map,
}

/// How the keyword `key`, holding `value`, holds subschemas, if it does.
pub fn subschemas(key: &str, value: &serde_json::Value) -> Option<Subschemas> {
    if SUBSCHEMA_KEYWORDS.contains(&key) {
        // Draft-4 tuple form: the meaning of 2020-12 `prefixItems`.
        Some(if key == "items" && value.is_array() {
            Subschemas::List
        } else {
            Subschemas::One
        })
    } else if SUBSCHEMA_LISTS.contains(&key) {
        Some(Subschemas::List)
    } else if SUBSCHEMA_MAPS.contains(&key) {
        Some(Subschemas::Map)
    } else {
        None
    }
}

/// The fields of an OpenAPI 3.0 Schema Object.
pub(crate) const SCHEMA_FIELDS_3_0: [&str; 36] = [
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
    "$ref",
];
/// Later JSON Schema keywords the model reads in 3.0 too, beside the subschema ones.
pub(crate) const JSON_SCHEMA_KEYWORDS_READ: [&str; 5] = [
    "const",
    "examples",
    "prefixItems",
    "contentMediaType",
    "contentEncoding",
];

/// Keywords that may sit beside a `$ref` without changing what it accepts.
pub fn is_annotation(key: &str) -> bool {
    matches!(
        key,
        "description" | "summary" | "title" | "$comment" | "example" | "examples" | "deprecated"
    ) || key.starts_with("x-")
}
