//! Draft-7 schemas reshaped into what typify 0.8 converts, keeping the
//! Rust type as close to the schema as typify allows. Each rule answers a
//! failure typify had on the corpora or the GitHub spec.

use heck::{ToPascalCase, ToSnakeCase};
use serde_json::{Map, Value};

/// Applies the rules to `schema` and every schema inside it.
pub(crate) fn for_typify(schema: &mut Value) {
    let Value::Object(map) = schema else { return };
    // typify 0.8 reads a `const` as any value; the one-string enum it means
    // becomes a type, so an untagged enum's variants are told apart by
    // their discriminator tag.
    if !map.contains_key("enum")
        && map.get("const").is_some_and(Value::is_string)
        && let Some(constant) = map.remove("const")
    {
        map.insert("enum".into(), Value::Array(vec![constant]));
    }
    // A lower bound of zero constrains nothing; typify would check it
    // (`count() < 0usize`), which rustc warns is always false.
    for bound in ["minLength", "minItems", "minProperties"] {
        if map.get(bound).and_then(Value::as_u64) == Some(0) {
            map.remove(bound);
        }
    }
    // JSON Schema's formats constrain strings and numbers only; typify
    // panics on a `format` anywhere else (`type: object, format: uri-map`).
    if !declared_types(map)
        .iter()
        .any(|ty| matches!(ty.as_str(), "string" | "integer" | "number"))
    {
        map.remove("format");
    }
    // An untyped schema with keywords of several types (`properties` and
    // `items`, `maximum` and `pattern`) is read by typify as none of them (a
    // panic); it is any of those types, each with its keywords, as typify
    // reads an untyped schema with one type's keywords.
    if !map.contains_key("type") {
        let implied: Vec<Value> = KEYWORDS_OF_TYPES
            .iter()
            .filter(|(_, keywords)| keywords.iter().any(|key| map.contains_key(*key)))
            .map(|(ty, _)| Value::from(*ty))
            .collect();
        if implied.len() > 1 {
            map.insert("type".into(), Value::Array(implied));
        }
    }
    // typify gives an untyped enum the one type its values imply and fails
    // when they imply several (`[true, false, 0, 1]`): such an enum is read
    // as any value, as the schema without the enum is.
    if !map.contains_key("type")
        && let Some(Value::Array(values)) = map.get("enum")
        && let mut kinds = values
            .iter()
            .filter(|value| !value.is_null())
            .map(std::mem::discriminant)
        && let Some(first) = kinds.next()
        && kinds.any(|kind| kind != first)
    {
        map.remove("enum");
    }
    let types = declared_types(map);
    if let Some(Value::Array(values)) = map.get_mut("enum")
        && !types.is_empty()
    {
        let mut kept: Vec<Value> = Vec::with_capacity(values.len());
        for value in values.drain(..) {
            // A value of another type can never validate (`type` applies
            // too), and a repeated one adds nothing; typify fails on both.
            if types.iter().any(|ty| has_type(&value, ty)) && !kept.contains(&value) {
                kept.push(value);
            }
        }
        *values = kept;
    }
    // typify names a string enum's variants after the values and panics
    // when two names stay equal (`reactions-+1`, `reactions--1`); such an
    // enum is read as the plain string it also is.
    if let Some(Value::Array(values)) = map.get("enum")
        && !variant_names_unique(values)
    {
        map.remove("enum");
    }
    // An `enum` lists every value the schema admits; alternatives beside it
    // can only exclude some. typify would wrap the alternatives' enum in a
    // newtype that checks the values with `==`, which the untagged enum
    // does not implement (`type: string, enum: [...]` beside `anyOf` of that
    // enum and an object, in GitHub Enterprise 2.18).
    if map.get("enum").is_some_and(Value::is_array) {
        for key in ["anyOf", "oneOf"] {
            map.remove(key);
        }
    }
    // Alternatives that only require members ("at least one of these")
    // add no shape: the object's own struct is the type. typify would make
    // an untagged enum of them that rejects valid values.
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(alternatives)) = map.get(key)
            && alternatives.iter().all(|alternative| {
                alternative.as_object().is_some_and(|alternative| {
                    alternative
                        .keys()
                        .all(|key| key == "required" || key == "description")
                })
            })
        {
            map.remove(key);
        }
    }
    // typify makes a struct of optional flattened parts from `anyOf`, which
    // only objects fit; alternatives of other types become an untagged enum
    // through `oneOf`, whose first-match decoding is what `anyOf` means.
    if let Some(Value::Array(alternatives)) = map.get("anyOf")
        && alternatives.iter().any(|alternative| {
            declared_types(alternative.as_object().unwrap_or(&Map::new()))
                .iter()
                .any(|ty| ty != "object" && ty != "null")
        })
        && !map.contains_key("oneOf")
        && let Some(alternatives) = map.remove("anyOf")
    {
        map.insert("oneOf".into(), alternatives);
    }
    // A lone inline alternative is the schema itself. typify 0.8 asserts
    // when it merges one that has a description (a property of an `allOf`
    // part), so it is folded into its parent; the parent's annotations win.
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(alternatives)) = map.get(key)
            && let [Value::Object(only)] = alternatives.as_slice()
            && !only.contains_key("$ref")
            && only
                .keys()
                .all(|name| !map.contains_key(name) || ANNOTATIONS.contains(&name.as_str()))
            && let Some(Value::Array(mut alternatives)) = map.remove(key)
            && let Some(Value::Object(only)) = alternatives.pop()
        {
            for (name, value) in only {
                map.entry(name).or_insert(value);
            }
        }
    }
    // typify converts only some `not` forms and panics on the others;
    // without the `not` the type accepts a few values more.
    if map.get("not").is_some_and(|not| !typify_converts_not(not)) {
        map.remove("not");
    }
    each_subschema(map, for_typify);
}

/// Gives every object that declares properties an `extra` map for the
/// members it does not declare (which it allows, `additionalProperties`
/// being absent or `true`), so they survive a round trip. typify makes that
/// map for an explicit permissive schema (`{}`) and ignores the members for
/// an absent one.
pub(crate) fn keep_unknown_fields(schema: &mut Value) {
    let Value::Object(map) = schema else { return };
    let open = matches!(
        map.get("additionalProperties"),
        None | Some(Value::Bool(true))
    );
    let properties = map.get("properties").and_then(Value::as_object);
    let declares = properties.is_some_and(|properties| !properties.is_empty());
    if open && declares && !properties.is_some_and(clashes_with_extra) {
        map.insert("additionalProperties".into(), Value::Object(Map::new()));
    }
    each_subschema(map, keep_unknown_fields);
    // typify makes a `#[serde(tag)]` enum of inline branches told apart by a
    // tag only when they have no `extra` map: the tagged enum is what the
    // schema means, so those branches go without one.
    if let Some(Value::Array(branches)) = map.get_mut("oneOf")
        && is_tagged(branches)
    {
        for branch in branches {
            if branch.get("additionalProperties") == Some(&Value::Object(Map::new())) {
                branch
                    .as_object_mut()
                    .map(|branch| branch.remove("additionalProperties"));
            }
        }
    }
}

/// Whether a member of `properties` would clash with typify's field `extra`
/// (the map of undeclared members).
pub(crate) fn clashes_with_extra(properties: &Map<String, Value>) -> bool {
    properties
        .keys()
        .any(|name| name.to_snake_case() == "extra")
}

/// Whether `branches` are inline objects that all require one property
/// holding a single string each (the tag of an internally tagged enum).
fn is_tagged(branches: &[Value]) -> bool {
    let tag_of = |branch: &Value, name: &str| {
        let values = branch
            .get("properties")?
            .get(name)?
            .get("enum")?
            .as_array()?;
        let required = branch.get("required")?.as_array()?;
        (required.iter().any(|r| r == name) && values.len() == 1 && values[0].is_string())
            .then_some(())
    };
    let Some(first) = branches
        .first()
        .and_then(|b| b.get("properties")?.as_object())
    else {
        return false;
    };
    first
        .keys()
        .any(|name| branches.iter().all(|branch| tag_of(branch, name).is_some()))
}

/// Applies `rule` to the schemas directly inside `map`.
fn each_subschema(map: &mut Map<String, Value>, rule: fn(&mut Value)) {
    for (key, value) in map.iter_mut() {
        match key.as_str() {
            "properties" => {
                if let Value::Object(properties) = value {
                    properties.values_mut().for_each(rule);
                }
            }
            "allOf" | "anyOf" | "oneOf" | "items" => match value {
                Value::Array(list) => list.iter_mut().for_each(rule),
                other => rule(other),
            },
            "additionalProperties" | "additionalItems" | "not" => rule(value),
            _ => {}
        }
    }
}

/// The keywords that constrain values of one type only, by type.
const KEYWORDS_OF_TYPES: [(&str, &[&str]); 4] = [
    (
        "object",
        &[
            "properties",
            "additionalProperties",
            "patternProperties",
            "required",
            "minProperties",
            "maxProperties",
        ],
    ),
    (
        "array",
        &[
            "items",
            "additionalItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "contains",
        ],
    ),
    ("string", &["pattern", "minLength", "maxLength"]),
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
];

/// Whether `key` is a keyword typify converts as a constraint (beside
/// `oneOf`/`anyOf`, such a keyword makes typify merge them; `type`,
/// annotations and unknown keys it ignores there).
pub(crate) fn is_typify_constraint(key: &str) -> bool {
    const OTHERS: [&str; 11] = [
        "format", "enum", "const", "$ref", "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
    ];
    OTHERS.contains(&key) || (KEYWORDS_OF_TYPES.iter()).any(|(_, keywords)| keywords.contains(&key))
}

/// Keywords that describe a schema without constraining values.
const ANNOTATIONS: [&str; 5] = ["title", "description", "examples", "default", "deprecated"];

fn declared_types(map: &Map<String, Value>) -> Vec<String> {
    match map.get("type") {
        Some(Value::String(ty)) => vec![ty.clone()],
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(|ty| ty.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

fn has_type(value: &Value, ty: &str) -> bool {
    match (ty, value) {
        ("null", Value::Null)
        | ("boolean", Value::Bool(_))
        | ("number", Value::Number(_))
        | ("string", Value::String(_))
        | ("array", Value::Array(_))
        | ("object", Value::Object(_)) => true,
        ("integer", Value::Number(number)) => {
            number.is_i64() || number.is_u64() || number.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

/// Whether typify 0.8 can give the string values distinct variant names: it
/// names each as [`typify_variant_name`] does, then retries with
/// punctuation and `_` as `X`s.
fn variant_names_unique(values: &[Value]) -> bool {
    let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
    let unique = |name: &dyn Fn(&str) -> String| {
        let mut seen = std::collections::HashSet::new();
        strings.iter().all(|value| seen.insert(name(value)))
    };
    unique(&typify_variant_name)
        || unique(&|value| typify_variant_name(&value.replace(|c| c == '_' || !word(c), "X")))
}

/// typify's `sanitize` for a variant: Pascal case with punctuation as word
/// breaks, and an `X` before a name that cannot start an identifier (so
/// `1A` and `X1A` are both `X1A`).
fn typify_variant_name(value: &str) -> String {
    let name = match value {
        "+1" => "plus1".to_owned(),
        "-1" => "minus1".to_owned(),
        _ => value
            .replace('\'', "")
            .replace(|c| !word(c), "-")
            .to_pascal_case(),
    };
    match name.chars().next() {
        Some(first) if first.is_alphabetic() || first == '_' => name,
        _ => format!("X{name}"),
    }
}

fn word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The `not` forms typify 0.8 handles: a boolean, or an enum of scalars of
/// one type (optionally with that type).
fn typify_converts_not(not: &Value) -> bool {
    let Value::Object(map) = not else {
        return not.is_boolean();
    };
    let Some(Value::Array(values)) = map.get("enum") else {
        return false;
    };
    let kinds: std::collections::HashSet<u8> = values
        .iter()
        .map(|value| match value {
            Value::Bool(_) => 1,
            Value::Number(_) => 2,
            Value::String(_) => 3,
            _ => 0,
        })
        .collect();
    map.keys()
        .all(|key| matches!(key.as_str(), "enum" | "type" | "description"))
        && !map.get("type").is_some_and(Value::is_array)
        && kinds.len() == 1
        && !kinds.contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn enums_keep_values_of_their_type_once() {
        let mut schema = json!({"type": "object", "properties": {
            "n": {"type": "number", "enum": ["", "", 0, 2, 2]},
            "s": {"type": ["string", "null"], "enum": ["a", {"x": 1}, null]},
            "any": {"enum": [1, "1"]},
            "maybe": {"enum": ["a", null]}
        }});
        for_typify(&mut schema);
        assert_eq!(
            schema["properties"],
            json!({
                "n": {"type": "number", "enum": [0, 2]},
                "s": {"type": ["string", "null"], "enum": ["a", null]},
                "any": {},
                "maybe": {"enum": ["a", null]}
            })
        );
    }

    #[test]
    fn enums_whose_variant_names_collide_are_strings() {
        let mut schema = json!({"oneOf": [
            {"type": "string", "enum": ["reactions-+1", "reactions--1"]},
            {"type": "string", "enum": ["a-b", "ab", "+1", "-1"]},
            {"type": "string", "enum": ["1A", "X1A"]},
            {"type": "string", "enum": ["-3", "3"]}
        ]});
        for_typify(&mut schema);
        assert_eq!(
            schema,
            json!({"oneOf": [
                {"type": "string"},
                {"type": "string", "enum": ["a-b", "ab", "+1", "-1"]},
                {"type": "string"},
                {"type": "string"}
            ]})
        );
    }

    #[test]
    fn alternatives_beside_an_enum_are_dropped() {
        let mut schema = json!({"type": "string", "enum": ["gh-pages", "master"], "anyOf": [
            {"type": "string", "enum": ["gh-pages", "master"]},
            {"type": "object", "properties": {"branch": {"type": "string"}}}
        ]});
        for_typify(&mut schema);
        assert_eq!(
            schema,
            json!({"type": "string", "enum": ["gh-pages", "master"]})
        );
    }

    #[test]
    fn lower_bounds_of_zero_are_dropped() {
        let mut schema = json!({"type": "object", "minProperties": 0, "properties": {
            "name": {"type": "string", "minLength": 0, "maxLength": 3},
            "tags": {"type": "array", "minItems": 0, "items": {"type": "string", "minLength": 1}}
        }});
        for_typify(&mut schema);
        assert_eq!(
            schema,
            json!({"type": "object", "properties": {
                "name": {"type": "string", "maxLength": 3},
                "tags": {"type": "array", "items": {"type": "string", "minLength": 1}}
            }})
        );
    }

    #[test]
    fn formats_stay_only_on_strings_and_numbers() {
        let mut schema = json!({"type": "object", "format": "uri-map", "properties": {
            "flag": {"type": "boolean", "format": "boolean"},
            "untyped": {"format": "host-name"},
            "list": {"type": "array", "format": "domain", "items": {"type": "string", "format": "hostname"}},
            "count": {"type": ["integer", "null"], "format": "int64"},
            "when": {"type": "string", "format": "date-time"}
        }});
        for_typify(&mut schema);
        assert_eq!(
            schema,
            json!({"type": "object", "properties": {
                "flag": {"type": "boolean"},
                "untyped": {},
                "list": {"type": "array", "items": {"type": "string", "format": "hostname"}},
                "count": {"type": ["integer", "null"], "format": "int64"},
                "when": {"type": "string", "format": "date-time"}
            }})
        );
    }

    #[test]
    fn untyped_schemas_with_keywords_of_several_types_are_any_of_them() {
        let mut schema = json!({"properties": {
            "both": {"required": ["code"], "properties": {"code": {}}, "items": {}},
            "bounded": {"maxItems": 3, "properties": {"n": {}}},
            "object": {"properties": {"n": {}}},
            "typed": {"type": "object", "properties": {"n": {}}, "maxItems": 3},
            "amount": {"maximum": 99.99, "minimum": 0, "pattern": "^\\d+(\\.\\d{1,2})?$"}
        }});
        for_typify(&mut schema);
        let types = |name: &str| schema["properties"][name].get("type").cloned();
        assert_eq!(types("both"), Some(json!(["object", "array"])));
        assert_eq!(types("bounded"), Some(json!(["object", "array"])));
        assert_eq!(types("object"), None);
        assert_eq!(types("typed"), Some(json!("object")));
        assert_eq!(types("amount"), Some(json!(["string", "number"])));
    }

    #[test]
    fn any_of_other_than_objects_is_one_of() {
        let mut schema = json!({"anyOf": [
            {"anyOf": [{"type": "array"}, {"type": "string"}]},
            {"anyOf": [{"type": "object"}, {"type": "null"}]}
        ]});
        for_typify(&mut schema);
        assert_eq!(
            schema,
            json!({"anyOf": [
                {"oneOf": [{"type": "array"}, {"type": "string"}]},
                {"anyOf": [{"type": "object"}, {"type": "null"}]}
            ]})
        );
    }

    #[test]
    fn alternatives_that_only_require_members_are_dropped() {
        let mut schema = json!({"type": "object", "properties": {"a": {}, "b": {}},
            "anyOf": [{"required": ["a"]}, {"required": ["b"]}]});
        for_typify(&mut schema);
        assert_eq!(
            schema,
            json!({"type": "object", "properties": {"a": {}, "b": {}}})
        );
    }

    #[test]
    fn open_objects_with_properties_get_an_extra_map() {
        let mut schema = json!({"type": "object", "properties": {
            "open": {"type": "object", "properties": {"a": {}}},
            "free": {"type": "object"},
            "closed": {"properties": {"a": {}}, "additionalProperties": false},
            "typed": {"properties": {"a": {}}, "additionalProperties": {"type": "string"}},
            "list": {"items": {"properties": {"a": {}}, "additionalProperties": true}},
            "clash": {"properties": {"Extra": {}}}
        }});
        keep_unknown_fields(&mut schema);
        assert_eq!(schema["additionalProperties"], json!({}));
        let properties = &schema["properties"];
        assert_eq!(properties["open"]["additionalProperties"], json!({}));
        assert_eq!(properties["free"].get("additionalProperties"), None);
        assert_eq!(properties["closed"]["additionalProperties"], json!(false));
        assert_eq!(
            properties["typed"]["additionalProperties"],
            json!({"type": "string"})
        );
        assert_eq!(
            properties["list"]["items"]["additionalProperties"],
            json!({})
        );
        assert_eq!(properties["clash"].get("additionalProperties"), None);
    }

    #[test]
    fn a_lone_inline_alternative_is_folded_into_its_parent() {
        let mut schema = json!({"properties": {
            "lone": {"description": "outer", "oneOf": [{"description": "inner", "properties": {"id": {}}}]},
            "reference": {"oneOf": [{"$ref": "#/definitions/A"}]},
            "clash": {"type": "object", "oneOf": [{"type": "string"}]}
        }});
        for_typify(&mut schema);
        assert_eq!(
            schema["properties"],
            json!({
                "lone": {"description": "outer", "properties": {"id": {}}},
                "reference": {"oneOf": [{"$ref": "#/definitions/A"}]},
                "clash": {"type": "object", "oneOf": [{"type": "string"}]}
            })
        );
    }

    #[test]
    fn branches_told_apart_by_a_tag_keep_no_extra_map() {
        let branch = |tag: &str| json!({"type": "object", "required": ["kind"], "properties": {"kind": {"enum": [tag]}, "n": {}}});
        let mut tagged = json!({"oneOf": [branch("cat"), branch("dog")]});
        keep_unknown_fields(&mut tagged);
        assert_eq!(tagged, json!({"oneOf": [branch("cat"), branch("dog")]}));
        let mut untagged =
            json!({"oneOf": [branch("cat"), {"type": "object", "properties": {"n": {}}}]});
        keep_unknown_fields(&mut untagged);
        assert_eq!(untagged["oneOf"][0]["additionalProperties"], json!({}));
    }

    #[test]
    fn a_const_is_a_one_value_enum() {
        let mut schema = json!({"properties": {
            "kind": {"const": "cat"},
            "both": {"enum": ["a", "b"], "const": "a"},
            "number": {"const": 1}
        }});
        for_typify(&mut schema);
        assert_eq!(
            schema["properties"],
            json!({"kind": {"enum": ["cat"]}, "both": {"enum": ["a", "b"], "const": "a"}, "number": {"const": 1}})
        );
    }

    #[test]
    fn unsupported_nots_are_dropped() {
        let mut schema = json!({"allOf": [
            {"type": "string", "not": {"type": "string", "pattern": "^a"}},
            {"type": "string", "not": {"enum": ["a", "b"]}},
            {"not": true}
        ]});
        for_typify(&mut schema);
        assert_eq!(
            schema,
            json!({"allOf": [
                {"type": "string"},
                {"type": "string", "not": {"enum": ["a", "b"]}},
                {"not": true}
            ]})
        );
    }
}
