//! Mock values: formats, compositions, patterns and the bounds, as generated.

use super::patterns::without_lookarounds;
use super::*;
use crate::codes::MOCK_LIMITED;
use contracts_model::{InMemory, build};
use serde_json::Map;

pub(super) fn contract_of(schemas: Value) -> Contract {
    let document = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": schemas}});
    let (contract, _) = build(&mut InMemory::new("api.yaml", document));
    contract.unwrap()
}

fn mock(schemas: Value, name: &str) -> Value {
    let contract = contract_of(schemas);
    let id = contract.components.schemas[name];
    Mocker::new(&contract, 1).value(&contract.schema(id).schema, "/body")
}

/// What mocking `name` (as a body's `$ref`) gives.
struct Mocked {
    value: Value,
    /// Whether `value` matches the schema, as the `jsonschema` crate checks it.
    valid: bool,
    cut_short: usize,
    /// The limits met, from the warnings' messages.
    warnings: Vec<String>,
}

fn mock_checked(schemas: Value, name: &str) -> Mocked {
    let contract = contract_of(schemas);
    let id = contract.components.schemas[name];
    let mut mocker = Mocker::new(&contract, 1);
    let value = mocker.value(&Schema::Ref(id), "/body");
    let mut document = contracts_model::json_schema::draft7_document(&contract);
    document["allOf"] = json!([{"$ref": contracts_model::json_schema::definition_pointer(id)}]);
    // A pattern the validator cannot compile leaves the value unchecked.
    let validator = jsonschema::draft7::options().build(&document).ok();
    for warning in &mocker.warnings {
        assert_eq!(warning.code, MOCK_LIMITED);
    }
    Mocked {
        valid: validator.is_some_and(|validator| validator.is_valid(&value)),
        value,
        cut_short: mocker.cut_short,
        warnings: (mocker.warnings.iter())
            .map(|warning| warning.message.clone())
            .collect(),
    }
}

/// How deeply `value` nests.
fn nesting(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(nesting).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(nesting).max().unwrap_or(0),
        _ => 0,
    }
}

#[test]
fn formats_bounds_and_lengths_are_honoured() {
    let value = mock(
        json!({"S": {"type": "object", "required": ["id", "at", "every", "n", "code", "tag"], "properties": {
            "id": {"type": "string", "format": "uuid"},
            "at": {"type": "string", "format": "date-time"},
            "every": {"type": "string", "format": "duration"},
            "n": {"type": "integer", "minimum": 5, "maximum": 9, "multipleOf": 3},
            "code": {"type": "string", "pattern": "^[A-Z]{3}$"},
            "tag": {"type": "string", "minLength": 8, "maxLength": 10},
            "secret": {"type": "string", "writeOnly": true}
        }}}),
        "S",
    );
    let at = value["at"].as_str().unwrap();
    assert!(
        at.starts_with("2024-") && at.ends_with(":00Z") && at.len() == 20,
        "{at}"
    );
    assert_eq!(value["every"], "P1D");
    assert_eq!(value["n"], 6);
    let code = value["code"].as_str().unwrap();
    assert!(
        code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()),
        "{code}"
    );
    let tag = value["tag"].as_str().unwrap().len();
    assert!((8..=10).contains(&tag), "{value}");
    assert!(value.get("secret").is_none());
    assert_eq!(value["id"].as_str().unwrap().len(), 36);
}

#[test]
fn optional_properties_stop_at_max_properties() {
    let mocked = mock_checked(
        json!({"S": {"type": "object", "maxProperties": 2, "required": ["c"], "properties": {
            "a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "string"}
        }}}),
        "S",
    );
    assert!(mocked.valid, "{}", mocked.value);
    let names: Vec<&String> = mocked.value.as_object().unwrap().keys().collect();
    assert_eq!(names, ["a", "c"]);
}

#[test]
fn enums_consts_nullables_and_arrays() {
    let value = mock(
        json!({"S": {"type": "object", "required": ["e", "c", "n", "a"], "properties": {
            "e": {"enum": ["b", "a"]}, "c": {"const": 7}, "n": {"type": "null"},
            "a": {"type": "array", "minItems": 2, "items": {"type": "boolean"}}
        }}}),
        "S",
    );
    assert_eq!(value["e"], "b");
    assert_eq!(value["c"], 7);
    assert_eq!(value["n"], Value::Null);
    let items = value["a"].as_array().unwrap();
    assert!(
        (2..=5).contains(&items.len()) && items.iter().all(Value::is_boolean),
        "{value}"
    );
    assert_ne!(items[0], items[1], "a list of booleans shows both: {value}");
}

#[test]
fn discriminated_one_of_carries_its_tag_and_all_of_merges() {
    let value = mock(
        json!({
            "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}], "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}}},
            "Cat": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "required": ["lives"], "properties": {"lives": {"type": "integer"}}}]},
            "Base": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}}
        }),
        "Pet",
    );
    assert_eq!(value, json!({"kind": "cat", "lives": 1}));
}

#[test]
fn all_of_of_scalars_takes_a_value_every_part_accepts() {
    let mocked = mock_checked(
        json!({
            "League": {"type": "object", "required": ["image"], "properties": {
                "image": {"allOf": [{"nullable": true}, {"$ref": "#/components/schemas/Url"}]}
            }},
            "Url": {"type": "string", "format": "uri"}
        }),
        "League",
    );
    assert!(mocked.valid, "{}", mocked.value);
    assert!(mocked.value["image"].is_string(), "{}", mocked.value);
}

#[test]
fn all_of_properties_required_in_one_part_take_the_type_another_part_declares() {
    // `Licensee: allOf: [$ref Editable, {required: [name, tags, id], properties: {id}}]`:
    // `tags` is optional where declared, so left out there, and required beside;
    // `kind` is declared in both parts.
    let mocked = mock_checked(
        json!({
            "Licensee": {"allOf": [
                {"$ref": "#/components/schemas/Editable"},
                {"type": "object", "required": ["name", "tags", "id", "level"], "properties": {"id": {"type": "integer"}, "kind": {"type": "string"}}}
            ], "required": ["limit"]},
            "Editable": {"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string", "pattern": "^[a-z]{3}$"},
                "tags": {"type": "array", "minItems": 1, "items": {"type": "boolean"}},
                "level": {"allOf": [{"$ref": "#/components/schemas/Level"}]},
                "limit": {"type": "number", "minimum": 5},
                "kind": {"type": "string", "enum": ["auto", "manual"]}
            }},
            "Level": {"type": "integer", "minimum": 3}
        }),
        "Licensee",
    );
    assert!(mocked.valid, "{}", mocked.value);
    let value = &mocked.value;
    assert_eq!(value["name"].as_str().map(str::len), Some(3), "{value}");
    assert!(
        (value["tags"].as_array().unwrap().iter()).all(Value::is_boolean),
        "{value}"
    );
    assert_eq!(
        value["kind"], "auto",
        "both declarations accept the enum's value"
    );
    assert_eq!(
        (&value["id"], &value["level"], &value["limit"]),
        (&json!(1), &json!(3), &json!(5))
    );
}

#[test]
fn a_pattern_the_mock_cannot_read_is_a_warning() {
    let mocked = mock_checked(json!({"S": {"type": "string", "pattern": "^(a)\\1$"}}), "S");
    assert!(mocked.value.is_string(), "a plain string: {}", mocked.value);
    assert_eq!(mocked.warnings.len(), 1, "{:?}", mocked.warnings);
    assert!(
        mocked.warnings[0].contains("backreferences"),
        "{:?}",
        mocked.warnings
    );
}

#[test]
fn patterns_with_lookarounds_are_matched_whole() {
    let mocked = mock_checked(
        json!({"S": {"type": "object", "required": ["blank", "password", "class", "never"], "properties": {
            "blank": {"type": "string", "pattern": "^(?!\\s*$).+"},
            "password": {"type": "string", "pattern": "^(?=.*[A-Z])(?=.*\\d)(?<!x)[A-Za-z0-9]{8,}$"},
            "class": {"type": "string", "pattern": "^[(?=]\\(a$"},
            "never": {"type": "string", "pattern": "^(?=b)a$"}
        }}}),
        "S",
    );
    let value = &mocked.value;
    let password = value["password"].as_str().unwrap();
    assert!(password.len() >= 8, "{value}");
    assert!(password.chars().any(|c| c.is_ascii_uppercase()), "{value}");
    assert!(password.chars().any(|c| c.is_ascii_digit()), "{value}");
    assert!(
        ["((a", "?(a", "=(a"].contains(&value["class"].as_str().unwrap()),
        "{value}"
    );
    assert_eq!(mocked.warnings.len(), 1, "{:?}", mocked.warnings);
    assert!(
        mocked.warnings[0].contains("without its lookarounds"),
        "{:?}",
        mocked.warnings
    );
}

#[test]
fn lookarounds_are_cut_out_whole() {
    assert_eq!(
        without_lookarounds("^a(?=(b|c))d$").as_deref(),
        Some("^ad$")
    );
    assert_eq!(
        without_lookarounds("(?<!x)[)(?=]\\(?!").as_deref(),
        Some("[)(?=]\\(?!")
    );
    assert_eq!(without_lookarounds("a(?=b"), None);
    assert_eq!(
        without_lookarounds("(?<name>a)(?<=a)").as_deref(),
        Some("(?<name>a)")
    );
    assert_eq!(without_lookarounds("[a]b"), None);
}

#[test]
fn a_pattern_wins_over_a_format_whose_value_fails_it() {
    let mocked = mock_checked(
        json!({"S": {"type": "object", "required": ["key", "day", "both"], "properties": {
            "key": {"type": "string", "format": "password", "pattern": "arn:aws[a-z-]*:kms:\\d{12}:key/.+"},
            "day": {"type": "string", "format": "date", "pattern": "^2024-"},
            "both": {"type": "string", "format": "email", "pattern": "^[0-9]+$"}
        }}}),
        "S",
    );
    let value = &mocked.value;
    assert!(
        value["key"].as_str().unwrap().starts_with("arn:aws"),
        "{value}"
    );
    let day = value["day"].as_str().unwrap();
    assert!(
        day.starts_with("2024-") && day.len() == 10,
        "the format's value fits the pattern: {day}"
    );
    assert_eq!(mocked.warnings.len(), 1, "{:?}", mocked.warnings);
    assert!(
        mocked.warnings[0].contains("`format: email`"),
        "{:?}",
        mocked.warnings
    );
}

#[test]
fn all_of_leaves_out_optional_properties_another_parts_additional_properties_rejects() {
    // `etag` is declared in `Base` only, so the wrapper's `additionalProperties` applies to it.
    let mocked = mock_checked(
        json!({
            "Resource": {"allOf": [{"$ref": "#/components/schemas/Base"}], "type": "object",
                "properties": {"properties": {"type": "object"}}, "additionalProperties": {"type": "object"}},
            "Base": {"type": "object", "properties": {"etag": {"type": "string"}, "tags": {"type": "object"}}}
        }),
        "Resource",
    );
    assert!(mocked.valid, "{}", mocked.value);
    assert_eq!(mocked.value, json!({"tags": {}, "properties": {}}));
}

#[test]
fn one_of_picks_a_branch_no_other_branch_accepts() {
    // The first branch's value (`"string"`) also fits the second (any string up to
    // 100 characters), so the second branch, which the first does not accept, is mocked.
    let value = mock(
        json!({"E": {"oneOf": [
            {"type": "string"},
            {"type": "integer"},
            {"type": ["string", "integer"]}
        ]}}),
        "E",
    );
    assert!(
        value.is_string(),
        "a string fits branches 1 and 3; fallback keeps the first: {value}"
    );
    let mocked = mock_checked(
        json!({"E": {"oneOf": [{"type": "string"}, {"type": "string"}]}}),
        "E",
    );
    assert!(!mocked.valid);
    assert!(
        mocked.warnings.iter().any(|w| w.contains("exactly one")),
        "{:?}",
        mocked.warnings
    );
    let value = mock(
        json!({"E": {"oneOf": [
            {"type": ["string", "integer"]},
            {"type": "integer"}
        ]}}),
        "E",
    );
    assert!(
        value.is_string(),
        "the first branch's string fits it alone: {value}"
    );
    let value = mock(
        json!({"E": {"oneOf": [
            {"type": "object"},
            {"type": "object", "required": ["b"], "properties": {"b": {"type": "integer"}}, "additionalProperties": false}
        ]}}),
        "E",
    );
    assert_eq!(
        value,
        json!({}),
        "an empty object lacks `b`, so only the first branch accepts it"
    );
}

#[test]
fn one_of_overlapping_open_objects_leave_out_what_another_branch_requires() {
    // Each branch's value fits the other (open objects): the second branch's
    // value without `code`, which only the first requires, fits the second alone.
    let value = mock(
        json!({"E": {"oneOf": [
            {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}, "errors": {"type": "array"}}},
            {"type": "object", "properties": {"code": {"type": "string"}, "status": {"type": "string"}}}
        ]}}),
        "E",
    );
    assert_eq!(keys(&value), ["status"], "{value}");
    // What the schema around the branches requires stays.
    let value = mock(
        json!({"E": {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}, "oneOf": [
            {"type": "object", "properties": {"status": {"type": "string"}}},
            {"type": "object", "required": ["code"]}
        ]}}),
        "E",
    );
    assert_eq!(
        keys(&value),
        ["status", "code"],
        "fits both branches; the fallback keeps the first"
    );
}

#[test]
fn one_of_overlapping_enums_take_a_value_only_one_branch_allows() {
    let value = mock(
        json!({"E": {"oneOf": [
            {"type": "object", "required": ["state"], "properties": {"state": {"enum": ["open", "closed"]}}},
            {"type": "object", "properties": {"state": {"const": "open"}}}
        ]}}),
        "E",
    );
    assert_eq!(value, json!({"state": "closed"}));
}

#[test]
fn one_of_open_objects_told_apart_only_by_undeclared_properties_go_outside_the_types() {
    // Only a property one branch leaves undeclared, with a type the other
    // rejects, tells them apart; TypeScript's union refuses such a literal,
    // so the mocker counts it.
    let document = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
    "components": {"schemas": {"E": {"oneOf": [
        {"type": "object", "properties": {"message": {"type": "string"}, "url": {"type": "string"}}},
        {"type": "object", "properties": {"message": {"type": "string"}, "metadata": {"type": "object"}}}
    ]}}}});
    let (contract, _) = build(&mut InMemory::new("api.yaml", document));
    let contract = contract.unwrap();
    let id = contract.components.schemas["E"];
    let mut mocker = Mocker::new(&contract, 1);
    let value = mocker.value(&contract.schema(id).schema, "/body");
    assert_eq!(keys(&value), ["message", "url", "metadata"], "{value}");
    assert_eq!(value["metadata"], 0);
    assert_eq!(mocker.outside_types, 1);
}

#[test]
fn recursion_is_bounded() {
    let value = mock(
        json!({"Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}, "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}}),
        "Node",
    );
    assert!(value.to_string().len() < 100_000);
}

#[test]
fn a_linked_list_ends_in_null_where_a_next_node_is_required() {
    let list = |required: Value| {
        json!({"List": {"type": "object", "required": required, "properties": {
            "value": {"type": "integer"},
            "next": {"anyOf": [{"$ref": "#/components/schemas/List"}, {"type": "null"}]}
        }}})
    };
    for required in [json!([]), json!(["value", "next"])] {
        let mocked = mock_checked(list(required), "List");
        assert!(mocked.valid, "{}", mocked.value);
        assert!(mocked.warnings.is_empty(), "{:?}", mocked.warnings);
        assert!(nesting(&mocked.value) <= MAX_DEPTH + 2, "{}", mocked.value);
    }
    let required = mock_checked(list(json!(["value", "next"])), "List").value;
    assert!(
        required.to_string().ends_with("\"next\":null}}}}}"),
        "{required}"
    );
}

#[test]
fn a_recursive_one_of_takes_the_branch_that_ends() {
    let mocked = mock_checked(
        json!({
            "Expr": {"oneOf": [{"$ref": "#/components/schemas/Add"}, {"$ref": "#/components/schemas/Lit"}]},
            "Add": {"type": "object", "required": ["left", "right"], "properties": {
                "left": {"$ref": "#/components/schemas/Expr"},
                "right": {"$ref": "#/components/schemas/Expr"}
            }},
            "Lit": {"type": "object", "required": ["value"], "properties": {"value": {"type": "integer"}}}
        }),
        "Expr",
    );
    assert!(mocked.valid, "{}", mocked.value);
    assert!(mocked.warnings.is_empty(), "{:?}", mocked.warnings);
    assert!(mocked.value.to_string().len() < 2_000, "{}", mocked.value);
}

#[test]
fn a_required_self_reference_gets_the_smallest_value_with_a_warning() {
    let mocked = mock_checked(
        json!({"Node": {"type": "object", "required": ["child"], "properties": {
            "child": {"allOf": [{"$ref": "#/components/schemas/Node"}, {"$ref": "#/components/schemas/Node"}]}
        }}}),
        "Node",
    );
    assert_eq!(mocked.value, json!({}));
    assert_eq!(mocked.cut_short, 1);
    assert_eq!(mocked.warnings.len(), 1);
    assert!(
        mocked.warnings[0].contains("admits no value"),
        "{:?}",
        mocked.warnings
    );
}

#[test]
fn sizes_beyond_the_caps_are_capped_with_a_warning() {
    let mocked = mock_checked(
        json!({"S": {"type": "object", "required": ["items", "text", "map", "huge"], "properties": {
            "items": {"type": "array", "minItems": 4_294_967_295_u64, "items": {"type": "integer"}},
            "text": {"type": "string", "minLength": 4e9},
            "map": {"type": "object", "minProperties": 4e9},
            "huge": {"type": "string", "minLength": 1e308}
        }}}),
        "S",
    );
    let value = &mocked.value;
    assert_eq!(value["items"].as_array().unwrap().len(), MAX_ITEMS as usize);
    assert_eq!(value["text"].as_str().unwrap().len(), MAX_CHARS as usize);
    assert_eq!(
        value["map"].as_object().unwrap().len(),
        MAX_PROPERTIES as usize
    );
    assert_eq!(value["huge"].as_str().unwrap().len(), MAX_CHARS as usize);
    assert_eq!(mocked.warnings.len(), 4, "{:?}", mocked.warnings);
    for keyword in ["minItems", "minLength", "minProperties"] {
        assert!(
            (mocked.warnings.iter()).any(|w| w.starts_with(&format!("`{keyword}: "))),
            "{keyword}: {:?}",
            mocked.warnings
        );
    }
    assert_eq!(mocked.cut_short, 0, "the types do not count items");
}

#[test]
fn patterns_with_huge_repetitions_are_narrowed_or_left_with_a_warning() {
    let mocked = mock_checked(
        json!({"S": {"type": "object", "required": ["long", "wide", "nested"], "properties": {
            "long": {"type": "string", "pattern": "a{999999999}"},
            "wide": {"type": "string", "pattern": "^b{0,999999999}c$"},
            "nested": {"type": "string", "pattern": "^(d{1,9999}){1,9999}$"}
        }}}),
        "S",
    );
    assert!(mocked.value["long"].is_string(), "{}", mocked.value);
    assert_eq!(mocked.warnings.len(), 1, "{:?}", mocked.warnings);
    assert!(
        mocked.warnings[0].contains("999999999 bytes"),
        "{:?}",
        mocked.warnings
    );
    let wide = mocked.value["wide"].as_str().unwrap();
    assert!(wide.len() <= 9 && wide.ends_with('c'), "{wide}");
    let nested = mocked.value["nested"].as_str().unwrap();
    assert!(
        nested.len() <= 81 && nested.chars().all(|c| c == 'd'),
        "{nested}"
    );
}

/// Levels `L1`..`L{levels}`, each with `width` required properties
/// referring to the next; the last one an integer.
pub(super) fn levels(levels: usize, width: usize) -> Value {
    let mut schemas = Map::new();
    for level in 1..=levels {
        let next = json!({"$ref": format!("#/components/schemas/L{}", level + 1)});
        let names: Vec<String> = (0..width).map(|n| format!("p{n}")).collect();
        let properties: Map<String, Value> = names
            .iter()
            .map(|name| (name.clone(), next.clone()))
            .collect();
        schemas.insert(
            format!("L{level}"),
            json!({"type": "object", "required": names, "properties": properties}),
        );
    }
    schemas.insert(format!("L{}", levels + 1), json!({"type": "integer"}));
    Value::Object(schemas)
}

#[test]
fn a_body_growing_exponentially_is_cut_to_the_node_budget() {
    let mocked = mock_checked(levels(8, 8), "L1");
    assert!(mocked.cut_short > 0);
    assert!(
        mocked.warnings.iter().any(|w| w.contains("grows past")),
        "{:?}",
        mocked.warnings
    );
    assert!(mocked.value.to_string().len() < 10_000_000);
    // Within the budget, the same shape is whole.
    let mocked = mock_checked(levels(4, 8), "L1");
    assert!(mocked.valid, "{}", mocked.value);
    assert!(mocked.warnings.is_empty(), "{:?}", mocked.warnings);
}

/// `L1` to `L30`, each `allOf: [next, next]`, ending in `{v: integer}`
/// required: 2^30 paths for anything that follows every part.
pub(crate) fn all_of_chain() -> Value {
    let mut schemas = Map::new();
    for level in 1..=30 {
        let next = json!({"$ref": format!("#/components/schemas/L{}", level + 1)});
        schemas.insert(format!("L{level}"), json!({"allOf": [next, next]}));
    }
    schemas.insert(
        "L31".to_owned(),
        json!({"type": "object", "required": ["v"], "properties": {"v": {"type": "integer"}}}),
    );
    Value::Object(schemas)
}

#[test]
fn all_of_chains_make_each_part_once() {
    // Not checked with `jsonschema`, which takes the 2^30 paths.
    let contract = contract_of(all_of_chain());
    let mut mocker = Mocker::new(&contract, 1);
    let value = mocker.value(&Schema::Ref(contract.components.schemas["L1"]), "/body");
    assert_eq!(value, json!({"v": 1}));
    assert!(mocker.warnings.is_empty(), "{:?}", mocker.warnings);
}

#[test]
fn checks_across_compositions_are_bounded() {
    // Each level a `oneOf` of 12 alike branches, and an `allOf` of 12 alike
    // parts, referring to the next: checks that follow every branch and
    // part would take 12^7 steps per value.
    let mut schemas = Map::new();
    for level in 1..=20 {
        let next = json!({"$ref": format!("#/components/schemas/L{}", level + 1)});
        let branches: Vec<Value> = (0..12)
            .map(|n| json!({"allOf": vec![next.clone(); 12], "properties": {format!("p{n}"): {"type": "integer"}}}))
            .collect();
        schemas.insert(format!("L{level}"), json!({"oneOf": branches}));
    }
    schemas.insert("L21".to_owned(), json!({"type": "object"}));
    let contract = contract_of(Value::Object(schemas));
    let schema = Schema::Ref(contract.components.schemas["L1"]);
    let mut mocker = Mocker::new(&contract, 1);
    let value = mocker.value(&schema, "/body");
    assert!(value.is_object());
    let mut example = json!({"p0": 1});
    mocker.complete(&schema, &mut example, "/example");
    let _ = mocker.fits(&schema, &example);
    assert!(mocker.checks_left.get() < MAX_CHECKS);
}

#[test]
fn the_same_seed_gives_the_same_values() {
    let schemas = json!({"S": {"type": "string", "pattern": "^[a-z]{5,9}$"}});
    assert_eq!(mock(schemas.clone(), "S"), mock(schemas, "S"));
}

/// An object's keys, in order.
fn keys(value: &Value) -> Vec<&str> {
    (value.as_object().into_iter().flatten())
        .map(|(key, _)| key.as_str())
        .collect()
}

#[test]
fn values_follow_what_names_mean_within_the_schema() {
    let mocked = mock_checked(
        json!({"Page": {"type": "object", "required": ["items", "total", "price", "dear", "quantity"], "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/User"}},
            "total": {"type": "integer"},
            "price": {"type": "number"},
            "dear": {"type": "number", "minimum": 1000, "maximum": 1000},
            "quantity": {"type": "integer", "maximum": 0}
        }},
        "User": {"type": "object", "required": ["name", "email", "city"], "properties": {
            "name": {"type": "string"},
            "email": {"type": "string"},
            "city": {"type": "string", "maxLength": 4}
        }}}),
        "Page",
    );
    assert!(mocked.valid, "{}", mocked.value);
    let value = &mocked.value;
    let items = value["items"].as_array().unwrap();
    assert!(
        (2..=3).contains(&items.len()),
        "a list shows several items: {value}"
    );
    assert_eq!(
        value["total"],
        items.len(),
        "the count agrees with the items"
    );
    let price = value["price"].as_f64().unwrap();
    assert!(
        (1.0..=500.0).contains(&price) && (price * 100.0).fract() < 1e-6,
        "{price}"
    );
    assert_eq!(
        value["dear"], 1000,
        "out of the usual range: the bounds win"
    );
    assert_eq!(value["quantity"], 0);
    let first = &items[0];
    let name = first["name"].as_str().unwrap();
    assert!(name.contains(' '), "a user's name is a person's: {name}");
    assert!(first["email"].as_str().unwrap().contains('@'), "{first}");
    assert!(
        first["city"].as_str().unwrap().chars().count() <= 4,
        "{first}"
    );
    assert_ne!(items[0], items[1], "the items differ");
}

#[test]
fn repeated_list_items_take_the_enums_other_values() {
    let value = mock(
        json!({"S": {"type": "object", "required": ["states", "unique"], "properties": {
            "states": {"type": "array", "minItems": 3, "items": {"enum": ["open", "closed", "merged"]}},
            "unique": {"type": "array", "minItems": 2, "uniqueItems": true, "items": {"const": "x"}}
        }}}),
        "S",
    );
    let states = value["states"].as_array().unwrap();
    assert_eq!(
        &states[..3],
        [json!("open"), json!("closed"), json!("merged")]
    );
    assert_eq!(value["unique"], json!(["x"]), "a const has no other value");
}
