//! Rule behaviour on small contracts: direction, meaning over form, renames,
//! allowed breaks.

use contracts_model::{InMemory, build};
use serde_json::{Value, json};

use super::*;

fn contract(document: Value) -> Contract {
    let (contract, diagnostics) = build(&mut InMemory::new("api.yaml", document));
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
    contract.expect("a contract")
}

fn ids(base: Value, revision: Value) -> Vec<(String, Level)> {
    diff(&contract(base), &contract(revision))
        .into_iter()
        .map(|c| (c.id, c.level))
        .collect()
}

/// One POST /items taking `request` and returning `response`.
fn api(request: Value, response: Value) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1.0.0"},
        "paths": {"/items/{id}": {"post": {
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": request}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": response}}}}
        }}}
    })
}

fn object(properties: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": properties, "required": required})
}

#[test]
fn identical_contracts_have_no_changes() {
    let document = api(
        object(json!({"a": {"type": "string"}}), &["a"]),
        object(json!({"b": {"type": "integer"}}), &[]),
    );
    assert!(ids(document.clone(), document).is_empty());
}

#[test]
fn requests_may_only_loosen_responses_only_tighten() {
    let base = api(
        object(json!({"n": {"type": "integer", "maximum": 10}}), &[]),
        object(json!({"n": {"type": "integer", "maximum": 10}}), &[]),
    );
    let tighter = api(
        object(json!({"n": {"type": "integer", "maximum": 5}}), &[]),
        object(json!({"n": {"type": "integer", "maximum": 5}}), &[]),
    );
    assert_eq!(
        ids(base.clone(), tighter.clone()),
        [
            ("request-property-max-decreased".into(), Level::Error),
            ("response-property-max-decreased".into(), Level::Info)
        ]
    );
    assert_eq!(
        ids(tighter, base),
        [
            ("request-property-max-increased".into(), Level::Info),
            ("response-property-max-increased".into(), Level::Error)
        ]
    );
}

#[test]
fn required_properties_by_direction() {
    let base = api(
        object(json!({"a": {"type": "string"}}), &[]),
        object(json!({"a": {"type": "string"}}), &["a"]),
    );
    let revision = api(
        object(
            json!({"a": {"type": "string"}, "b": {"type": "string"}}),
            &["a", "b"],
        ),
        object(json!({"a": {"type": "string"}}), &[]),
    );
    assert_eq!(
        ids(base, revision),
        [
            ("request-property-became-required".into(), Level::Error),
            ("new-required-request-property".into(), Level::Error),
            ("response-property-became-optional".into(), Level::Error),
        ]
    );
}

#[test]
fn read_only_properties_are_not_part_of_requests() {
    let base = api(
        object(json!({"id": {"type": "string", "readOnly": true}}), &[]),
        json!({}),
    );
    let revision = api(object(json!({}), &[]), json!({}));
    assert!(ids(base, revision).is_empty());
}

#[test]
fn refactoring_into_components_and_all_of_is_not_a_change() {
    let inline = api(
        object(
            json!({"a": {"type": "string"}, "b": {"type": "integer"}}),
            &["a"],
        ),
        json!({}),
    );
    let mut refactored = api(
        json!({"allOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]}),
        json!({}),
    );
    refactored["components"] = json!({"schemas": {
        "A": object(json!({"a": {"type": "string"}}), &["a"]),
        "B": {"type": "object", "properties": {"b": {"type": "integer"}}}
    }});
    assert!(
        ids(inline.clone(), refactored.clone()).is_empty(),
        "{:?}",
        ids(inline.clone(), refactored.clone())
    );
    assert!(ids(refactored, inline).is_empty());
}

#[test]
fn descriptions_and_examples_never_count() {
    let base = api(
        json!({"type": "string", "description": "old", "examples": ["a"]}),
        json!({}),
    );
    let revision = api(
        json!({"type": "string", "description": "new", "examples": ["b"]}),
        json!({}),
    );
    assert!(ids(base, revision).is_empty());
}

#[test]
fn renamed_path_parameters_are_a_rename() {
    let base = api(json!({}), json!({}));
    let revision = serde_json::from_str(
        &base
            .to_string()
            .replace("{id}", "{itemId}")
            .replace("\"name\":\"id\"", "\"name\":\"itemId\""),
    )
    .unwrap();
    assert_eq!(
        ids(base, revision),
        [("request-path-parameter-renamed".into(), Level::Info)]
    );
}

#[test]
fn removing_operations_depends_on_deprecation() {
    let base = api(json!({}), json!({}));
    let mut revision = base.clone();
    revision["paths"] = json!({});
    assert_eq!(
        ids(base.clone(), revision.clone()),
        [("api-path-removed-without-deprecation".into(), Level::Error)]
    );
    let mut deprecated = base;
    deprecated["paths"]["/items/{id}"]["post"]["deprecated"] = json!(true);
    assert_eq!(
        ids(deprecated, revision),
        [("api-path-removed-with-deprecation".into(), Level::Info)]
    );
}

#[test]
fn one_of_branches_are_classified_by_direction() {
    let mut base = api(
        json!({"oneOf": [{"$ref": "#/components/schemas/A"}]}),
        json!({"oneOf": [{"$ref": "#/components/schemas/A"}]}),
    );
    base["components"] = json!({"schemas": {"A": {"type": "string"}, "B": {"type": "integer"}}});
    let mut revision = base.clone();
    let both =
        json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]});
    revision["paths"]["/items/{id}"]["post"]["requestBody"]["content"]["application/json"]["schema"] =
        both.clone();
    revision["paths"]["/items/{id}"]["post"]["responses"]["200"]["content"]["application/json"]["schema"] =
        both;
    assert_eq!(
        ids(base, revision),
        [
            ("request-body-one-of-added".into(), Level::Info),
            ("response-body-one-of-added".into(), Level::Error)
        ]
    );
}

#[test]
fn allowed_breaks_become_warnings_with_their_reason() {
    let base = api(object(json!({}), &[]), json!({}));
    let mut revision = api(object(json!({"a": {"type": "string"}}), &["a"]), json!({}));
    revision["paths"]["/items/{id}"]["post"]["x-contracts-allow-breaking"] =
        json!("clients updated in lockstep");
    let changes = diff(&contract(base.clone()), &contract(revision.clone()));
    assert_eq!(changes[0].level, Level::Warning);
    assert_eq!(
        changes[0].allowed.as_deref(),
        Some("allowed: clients updated in lockstep")
    );

    revision["paths"]["/items/{id}"]["post"]
        .as_object_mut()
        .unwrap()
        .remove("x-contracts-allow-breaking");
    revision["info"]["version"] = json!("2.0.0");
    let changes = diff(&contract(base), &contract(revision));
    assert_eq!(
        changes[0].allowed.as_deref(),
        Some("major version bump 1.0.0 -> 2.0.0")
    );
}

#[test]
fn recursive_schemas_terminate() {
    let mut base = api(json!({"$ref": "#/components/schemas/Node"}), json!({}));
    base["components"] = json!({"schemas": {"Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}, "v": {"type": "string"}}}}});
    let mut revision = base.clone();
    revision["components"]["schemas"]["Node"]["properties"]["v"]["maxLength"] = json!(3);
    let found = ids(base, revision);
    assert!(
        found.contains(&("request-property-max-length-set".into(), Level::Warning)),
        "{found:?}"
    );
}

#[test]
fn every_reported_rule_is_documented() {
    let table = rules::markdown_table();
    for (prefix, _) in rules::SCHEMA_PREFIXES {
        assert!(table.contains(&format!("`{prefix}-type-changed`")));
    }
    assert!(table.contains("`api-path-removed-without-deprecation` | error"));
}

#[test]
fn rules_document_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == rules::document(),
        "docs/rules.md is stale: run `cargo xtask rules`"
    );
}
