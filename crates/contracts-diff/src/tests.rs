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

/// A user and a team, inline or in `components`, with `id` of `user_id`'s type.
fn owner_branches(user_id: &str) -> [Value; 2] {
    [
        object(
            json!({"id": {"type": user_id}, "login": {"type": "string"}}),
            &["id"],
        ),
        object(
            json!({"slug": {"type": "string"}, "members": {"type": "integer"}}),
            &["slug"],
        ),
    ]
}

/// A response whose `owner` is `oneOf` the two branches, and a request body
/// `anyOf` them, inline or (reordered) as component refs.
fn owners(in_components: bool, user_id: &str) -> Value {
    let [user, team] = owner_branches(user_id);
    let (one_of, any_of) = if in_components {
        let user_ref = json!({"$ref": "#/components/schemas/User"});
        let team_ref = json!({"$ref": "#/components/schemas/Team"});
        (
            json!([user_ref.clone(), team_ref.clone()]),
            json!([team_ref, user_ref]),
        )
    } else {
        (
            json!([user.clone(), team.clone()]),
            json!([user.clone(), team.clone()]),
        )
    };
    let mut spec = api(
        json!({"anyOf": any_of}),
        object(json!({"owner": {"oneOf": one_of}}), &["owner"]),
    );
    if in_components {
        spec["components"] = json!({"schemas": {"User": user, "Team": team}});
    }
    spec
}

#[test]
fn union_branches_are_matched_by_meaning_not_name_or_position() {
    let inline = owners(false, "integer");
    let moved = owners(true, "integer");
    assert_eq!(ids(inline.clone(), moved.clone()), []);
    assert_eq!(ids(moved, inline), []);
}

#[test]
fn a_change_inside_a_moved_branch_is_reported_where_it_is() {
    let changes = diff(
        &contract(owners(false, "integer")),
        &contract(owners(true, "string")),
    );
    let found: Vec<(&str, &str)> = changes
        .iter()
        .map(|change| (change.id.as_str(), change.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "request-property-type-changed",
                "request property `anyOf[User]/id`: type integer became string"
            ),
            (
                "response-property-type-changed",
                "response property `owner/oneOf[User]/id`: type integer became string"
            ),
        ]
    );
}

#[test]
fn branches_pair_by_discriminator_value_then_title() {
    let tagged = |kind: &str, extra: &str| {
        object(
            json!({"kind": {"type": "string", "enum": [kind]}, extra: {"type": "string"}}),
            &["kind"],
        )
    };
    // `cat` gained a property and lost one: too little shared to pair by
    // structure, but the tag says it is the same branch.
    let base = api(
        json!({}),
        json!({"oneOf": [tagged("cat", "a"), tagged("dog", "b")], "discriminator": {"propertyName": "kind"}}),
    );
    let revision = api(
        json!({}),
        json!({"oneOf": [tagged("dog", "b"), tagged("cat", "c")], "discriminator": {"propertyName": "kind"}}),
    );
    assert_eq!(
        ids(base, revision),
        [
            ("response-optional-property-removed".into(), Level::Warning),
            ("response-optional-property-added".into(), Level::Info),
        ]
    );
    let titled = |title: &str, property: &str| json!({"title": title, "type": "object", "properties": {property: {"type": "string"}}});
    let base = api(
        json!({}),
        json!({"anyOf": [titled("A", "x"), titled("B", "y")]}),
    );
    let revision = api(
        json!({}),
        json!({"anyOf": [titled("B", "z"), titled("A", "x")]}),
    );
    let changes = diff(&contract(base), &contract(revision));
    assert!(
        changes.iter().all(|change| !change.id.contains("any-of")),
        "{changes:#?}"
    );
    assert!(
        changes
            .iter()
            .any(|change| change.message.contains("anyOf[B]/z")),
        "{changes:#?}"
    );
}

#[test]
fn unlike_branches_are_added_and_removed() {
    let base = api(
        json!({}),
        json!({"oneOf": [{"type": "string"}, {"type": "integer"}]}),
    );
    let revision = api(
        json!({}),
        json!({"oneOf": [{"type": "boolean"}, {"type": "string"}]}),
    );
    assert_eq!(
        ids(base, revision),
        [
            ("response-body-one-of-removed".into(), Level::Info),
            ("response-body-one-of-added".into(), Level::Error),
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

/// `S0 -> S1 -> ... -> S{length}`, each schema linking to the next with
/// `link(next_ref)`, the last one of type `last`; the response body is `S0`.
fn chain(length: usize, link: fn(Value) -> Value, last: &str) -> Value {
    let mut schemas = serde_json::Map::new();
    for index in 0..length {
        let next = json!({"$ref": format!("#/components/schemas/S{}", index + 1)});
        schemas.insert(format!("S{index}"), link(next));
    }
    schemas.insert(format!("S{length}"), json!({"type": last}));
    let mut document = api(json!({}), json!({"$ref": "#/components/schemas/S0"}));
    document["components"] = json!({"schemas": schemas});
    document
}

#[test]
fn deep_property_chains_are_compared_without_overflow() {
    let link = |next| json!({"type": "object", "properties": {"next": next}});
    let changes = diff(
        &contract(chain(10_000, link, "string")),
        &contract(chain(10_000, link, "integer")),
    );
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].id, "response-property-type-changed");
    let location = changes[0].revision.as_ref().expect("a location");
    assert_eq!(location.pointer, "/components/schemas/S10000");
}

#[test]
fn deep_all_of_chains_are_merged_without_overflow() {
    let link = |next| json!({"allOf": [next]});
    let found = ids(
        chain(10_000, link, "string"),
        chain(10_000, link, "integer"),
    );
    assert_eq!(found, [("response-body-type-changed".into(), Level::Error)]);
}

#[test]
fn changes_below_a_property_come_before_the_next_property() {
    let base = api(
        json!({}),
        object(
            json!({"a": object(json!({"x": {"type": "string"}}), &[]), "b": {"type": "string"}}),
            &["b"],
        ),
    );
    let revision = api(
        json!({}),
        object(
            json!({"a": object(json!({"x": {"type": "integer"}}), &[]), "b": {"type": "string"}}),
            &[],
        ),
    );
    let messages: Vec<String> = diff(&contract(base), &contract(revision))
        .into_iter()
        .map(|change| change.message)
        .collect();
    assert_eq!(
        messages,
        [
            "response property `a/x`: type string became integer",
            "response property `b` became optional",
        ]
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

/// A minimal spec with one operation; `edit` shapes it.
fn spec(edit: impl FnOnce(&mut Value)) -> Value {
    let mut document = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1.0.0"},
        "components": {"securitySchemes": {"key": {"type": "apiKey", "name": "k", "in": "header"}}},
        "paths": {"/items/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "get": {
                "operationId": "getItem",
                "tags": ["items"],
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "headers": {
                            "Location": {"required": true, "schema": {"type": "string"}},
                            "X-Trace": {"schema": {"type": "string"}}
                        },
                        "content": {"application/json": {"schema": {"type": "object", "required": ["id"], "properties": {
                            "id": {"type": "string"}, "note": {"type": "string"}, "secret": {"type": "string", "writeOnly": true}
                        }}}}
                    },
                    "404": {"description": "missing"}
                }
            },
            "put": {
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string"}, "note": {"type": "string"}, "currency": {"type": "string", "default": "EUR"}
                }}}}},
                "responses": {"204": {"description": "done"}}
            }
        }},
        "webhooks": {"itemChanged": {"post": {"responses": {"200": {"description": "ok"}}}}}
    });
    edit(&mut document);
    document
}

/// Every fixed rule, triggered by the smallest edit that means it.
#[test]
fn each_fixed_rule_fires_on_its_change() {
    type Edit = fn(&mut Value);
    let cases: Vec<(&str, Edit, Edit)> = vec![
        (
            "api-path-removed-without-deprecation",
            |_| {},
            |d| d["paths"] = json!({}),
        ),
        (
            "api-removed-without-deprecation",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]
                    .as_object_mut()
                    .unwrap()
                    .remove("put");
            },
        ),
        (
            "api-removed-with-deprecation",
            |d| d["paths"]["/items/{id}"]["put"]["deprecated"] = json!(true),
            |d| {
                d["paths"]["/items/{id}"]
                    .as_object_mut()
                    .unwrap()
                    .remove("put");
            },
        ),
        (
            "endpoint-added",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["delete"] =
                    json!({"responses": {"204": {"description": "gone"}}})
            },
        ),
        (
            "endpoint-deprecated",
            |_| {},
            |d| d["paths"]["/items/{id}"]["get"]["deprecated"] = json!(true),
        ),
        (
            "endpoint-reactivated",
            |d| d["paths"]["/items/{id}"]["get"]["deprecated"] = json!(true),
            |_| {},
        ),
        (
            "api-operation-id-removed",
            |_| {},
            |d| d["paths"]["/items/{id}"]["get"]["operationId"] = json!("fetchItem"),
        ),
        (
            "api-operation-id-added",
            |_| {},
            |d| d["paths"]["/items/{id}"]["put"]["operationId"] = json!("putItem"),
        ),
        (
            "api-tag-removed",
            |_| {},
            |d| d["paths"]["/items/{id}"]["get"]["tags"] = json!([]),
        ),
        (
            "api-tag-added",
            |_| {},
            |d| d["paths"]["/items/{id}"]["get"]["tags"] = json!(["items", "new"]),
        ),
        (
            "api-security-removed",
            |d| d["paths"]["/items/{id}"]["get"]["security"] = json!([{"key": []}]),
            |_| {},
        ),
        (
            "api-security-added",
            |_| {},
            |d| d["paths"]["/items/{id}"]["get"]["security"] = json!([{"key": []}]),
        ),
        (
            "new-required-request-parameter",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["get"]["parameters"].as_array_mut().unwrap().push(json!({"name": "tenant", "in": "header", "required": true, "schema": {"type": "string"}}))
            },
        ),
        (
            "new-optional-request-parameter",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["get"]["parameters"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"name": "v", "in": "query", "schema": {"type": "boolean"}}))
            },
        ),
        (
            "new-required-request-default-parameter-to-existing-path",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["parameters"].as_array_mut().unwrap().push(json!({"name": "tenant", "in": "header", "required": true, "schema": {"type": "string"}}))
            },
        ),
        (
            "new-optional-request-default-parameter-to-existing-path",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["parameters"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"name": "trace", "in": "query", "schema": {"type": "string"}}))
            },
        ),
        (
            "request-parameter-removed",
            |_| {},
            |d| d["paths"]["/items/{id}"]["get"]["parameters"] = json!([]),
        ),
        (
            "request-parameter-removed-with-deprecation",
            |d| d["paths"]["/items/{id}"]["get"]["parameters"][0]["deprecated"] = json!(true),
            |d| d["paths"]["/items/{id}"]["get"]["parameters"] = json!([]),
        ),
        (
            "request-parameter-became-required",
            |_| {},
            |d| d["paths"]["/items/{id}"]["get"]["parameters"][0]["required"] = json!(true),
        ),
        (
            "request-parameter-became-optional",
            |d| d["paths"]["/items/{id}"]["get"]["parameters"][0]["required"] = json!(true),
            |_| {},
        ),
        (
            "request-body-added-required",
            |_| {},
            |d| d["paths"]["/items/{id}"]["get"]["requestBody"] = json!({"required": true, "content": {"text/plain": {"schema": {"type": "string"}}}}),
        ),
        (
            "request-body-added-optional",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["get"]["requestBody"] =
                    json!({"content": {"text/plain": {"schema": {"type": "string"}}}})
            },
        ),
        (
            "request-body-removed",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["put"]
                    .as_object_mut()
                    .unwrap()
                    .remove("requestBody");
            },
        ),
        (
            "request-body-became-optional",
            |_| {},
            |d| d["paths"]["/items/{id}"]["put"]["requestBody"]["required"] = json!(false),
        ),
        (
            "request-body-became-required",
            |d| d["paths"]["/items/{id}"]["put"]["requestBody"]["required"] = json!(false),
            |_| {},
        ),
        (
            "request-body-media-type-added",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["put"]["requestBody"]["content"]["text/plain"] =
                    json!({"schema": {"type": "string"}})
            },
        ),
        (
            "request-body-media-type-removed",
            |d| {
                d["paths"]["/items/{id}"]["put"]["requestBody"]["content"]["text/plain"] =
                    json!({"schema": {"type": "string"}})
            },
            |_| {},
        ),
        (
            "new-required-request-property",
            |_| {},
            |d| {
                let s = &mut d["paths"]["/items/{id}"]["put"]["requestBody"]["content"]["application/json"]
                    ["schema"];
                s["properties"]["sku"] = json!({"type": "string"});
                s["required"] = json!(["name", "sku"]);
            },
        ),
        (
            "new-required-request-property-with-default",
            |_| {},
            |d| {
                let s = &mut d["paths"]["/items/{id}"]["put"]["requestBody"]["content"]["application/json"]
                    ["schema"];
                s["properties"]["unit"] = json!({"type": "string", "default": "kg"});
                s["required"] = json!(["name", "unit"]);
            },
        ),
        (
            "new-optional-request-property",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["put"]["requestBody"]["content"]["application/json"]["schema"]
                    ["properties"]["sku"] = json!({"type": "string"})
            },
        ),
        (
            "request-property-removed",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["put"]["requestBody"]["content"]["application/json"]["schema"]["properties"].as_object_mut().unwrap().remove("note");
            },
        ),
        (
            "request-property-became-required",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["put"]["requestBody"]["content"]["application/json"]["schema"]
                    ["required"] = json!(["name", "note"])
            },
        ),
        (
            "request-property-became-required-with-default",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["put"]["requestBody"]["content"]["application/json"]["schema"]
                    ["required"] = json!(["name", "currency"])
            },
        ),
        (
            "request-property-became-optional",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["put"]["requestBody"]["content"]["application/json"]["schema"]
                    ["required"] = json!([])
            },
        ),
        (
            "response-success-status-removed",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["get"]["responses"]
                    .as_object_mut()
                    .unwrap()
                    .remove("200");
            },
        ),
        (
            "response-success-status-added",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["get"]["responses"]["202"] =
                    json!({"description": "later"})
            },
        ),
        (
            "response-non-success-status-removed",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["get"]["responses"]
                    .as_object_mut()
                    .unwrap()
                    .remove("404");
            },
        ),
        (
            "response-non-success-status-added",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["get"]["responses"]["409"] =
                    json!({"description": "conflict"})
            },
        ),
        (
            "response-media-type-removed",
            |_| {},
            |d| d["paths"]["/items/{id}"]["get"]["responses"]["200"]["content"] = json!({}),
        ),
        (
            "response-media-type-added",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["get"]["responses"]["200"]["content"]["text/csv"] =
                    json!({"schema": {"type": "string"}})
            },
        ),
        (
            "response-required-property-removed",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
                    ["schema"]["properties"]
                    .as_object_mut()
                    .unwrap()
                    .remove("id");
            },
        ),
        (
            "response-optional-property-removed",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
                    ["schema"]["properties"]
                    .as_object_mut()
                    .unwrap()
                    .remove("note");
            },
        ),
        (
            "response-required-property-added",
            |_| {},
            |d| {
                let s = &mut d["paths"]["/items/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
                    ["schema"];
                s["properties"]["at"] = json!({"type": "string"});
                s["required"] = json!(["id", "at"]);
            },
        ),
        (
            "response-optional-property-added",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
                    ["schema"]["properties"]["at"] = json!({"type": "string"})
            },
        ),
        (
            "response-property-became-optional",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
                    ["schema"]["required"] = json!([])
            },
        ),
        (
            "response-property-became-required",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
                    ["schema"]["required"] = json!(["id", "note"])
            },
        ),
        (
            "response-optional-property-became-not-write-only",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
                    ["schema"]["properties"]["secret"] = json!({"type": "string"});
            },
        ),
        (
            "response-required-property-became-not-write-only",
            |d| {
                d["paths"]["/items/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
                    ["schema"]["required"] = json!(["id", "secret"])
            },
            |d| {
                let s = &mut d["paths"]["/items/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
                    ["schema"];
                s["properties"]["secret"] = json!({"type": "string"});
                s["required"] = json!(["id", "secret"]);
            },
        ),
        (
            "response-header-removed",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["get"]["responses"]["200"]["headers"]
                    .as_object_mut()
                    .unwrap()
                    .remove("Location");
            },
        ),
        (
            "optional-response-header-removed",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["get"]["responses"]["200"]["headers"]
                    .as_object_mut()
                    .unwrap()
                    .remove("X-Trace");
            },
        ),
        (
            "response-header-added",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["get"]["responses"]["200"]["headers"]["ETag"] =
                    json!({"schema": {"type": "string"}})
            },
        ),
        (
            "response-header-became-optional",
            |_| {},
            |d| {
                d["paths"]["/items/{id}"]["get"]["responses"]["200"]["headers"]["Location"]["required"] =
                    json!(false)
            },
        ),
        ("webhook-removed", |_| {}, |d| d["webhooks"] = json!({})),
        (
            "webhook-added",
            |_| {},
            |d| {
                d["webhooks"]["itemDeleted"] =
                    json!({"post": {"responses": {"200": {"description": "ok"}}}})
            },
        ),
    ];
    let mut covered = Vec::new();
    for (expected, base_edit, revision_edit) in cases {
        let found = ids(spec(base_edit), spec(revision_edit));
        assert!(
            found.iter().any(|(id, _)| id == expected),
            "`{expected}` was not reported; got {found:?}"
        );
        covered.push(expected);
    }
    // Lifecycle rules depend on the date and the policy: the tests below assert them with a fixed today.
    let lifecycle_tests = include_str!("tests.rs")
        .rsplit("// ---- lifecycle")
        .next()
        .unwrap_or_default();
    let untested: Vec<&str> = rules::RULES
        .iter()
        .map(|rule| rule.id)
        .filter(|id| {
            !covered.contains(id)
                && *id != "request-path-parameter-renamed"
                && *id != "api-path-removed-with-deprecation"
                && !lifecycle_tests.contains(&format!("\"{id}\""))
        })
        .collect();
    assert!(
        untested.is_empty(),
        "rules without a case here: {untested:?}"
    );
}

/// Every schema change, in a request body and in a response body.
#[test]
fn each_schema_rule_fires_on_both_sides() {
    let cases: &[(&str, Value, Value)] = &[
        (
            "type-changed",
            json!({"type": "string"}),
            json!({"type": "boolean"}),
        ),
        (
            "type-generalized",
            json!({"type": "integer"}),
            json!({"type": "number"}),
        ),
        (
            "became-nullable",
            json!({"type": "string"}),
            json!({"type": ["string", "null"]}),
        ),
        (
            "became-not-nullable",
            json!({"type": ["string", "null"]}),
            json!({"type": "string"}),
        ),
        (
            "became-enum",
            json!({"type": "string"}),
            json!({"type": "string", "enum": ["a"]}),
        ),
        (
            "enum-value-added",
            json!({"enum": ["a"]}),
            json!({"enum": ["a", "b"]}),
        ),
        (
            "enum-value-removed",
            json!({"enum": ["a", "b"]}),
            json!({"enum": ["a"]}),
        ),
        (
            "const-changed",
            json!({"const": "a"}),
            json!({"const": "b"}),
        ),
        (
            "max-increased",
            json!({"maximum": 1}),
            json!({"maximum": 2}),
        ),
        (
            "max-decreased",
            json!({"maximum": 2}),
            json!({"maximum": 1}),
        ),
        ("max-set", json!({}), json!({"maximum": 1})),
        (
            "min-increased",
            json!({"minimum": 1}),
            json!({"minimum": 2}),
        ),
        (
            "min-decreased",
            json!({"minimum": 2}),
            json!({"minimum": 1}),
        ),
        ("min-set", json!({}), json!({"minimum": 1})),
        (
            "exclusive-max-increased",
            json!({"exclusiveMaximum": 1}),
            json!({"exclusiveMaximum": 2}),
        ),
        (
            "exclusive-max-decreased",
            json!({"exclusiveMaximum": 2}),
            json!({"exclusiveMaximum": 1}),
        ),
        (
            "exclusive-max-set",
            json!({}),
            json!({"exclusiveMaximum": 1}),
        ),
        (
            "exclusive-min-increased",
            json!({"exclusiveMinimum": 1}),
            json!({"exclusiveMinimum": 2}),
        ),
        (
            "exclusive-min-decreased",
            json!({"exclusiveMinimum": 2}),
            json!({"exclusiveMinimum": 1}),
        ),
        (
            "exclusive-min-set",
            json!({}),
            json!({"exclusiveMinimum": 1}),
        ),
        (
            "max-length-increased",
            json!({"maxLength": 1}),
            json!({"maxLength": 2}),
        ),
        (
            "max-length-decreased",
            json!({"maxLength": 2}),
            json!({"maxLength": 1}),
        ),
        ("max-length-set", json!({}), json!({"maxLength": 1})),
        (
            "min-length-increased",
            json!({"minLength": 1}),
            json!({"minLength": 2}),
        ),
        (
            "min-length-decreased",
            json!({"minLength": 2}),
            json!({"minLength": 1}),
        ),
        ("min-length-set", json!({}), json!({"minLength": 1})),
        (
            "max-items-increased",
            json!({"maxItems": 1}),
            json!({"maxItems": 2}),
        ),
        (
            "max-items-decreased",
            json!({"maxItems": 2}),
            json!({"maxItems": 1}),
        ),
        ("max-items-set", json!({}), json!({"maxItems": 1})),
        (
            "min-items-increased",
            json!({"minItems": 1}),
            json!({"minItems": 2}),
        ),
        (
            "min-items-decreased",
            json!({"minItems": 2}),
            json!({"minItems": 1}),
        ),
        ("min-items-set", json!({}), json!({"minItems": 1})),
        ("pattern-added", json!({}), json!({"pattern": "^a"})),
        ("pattern-removed", json!({"pattern": "^a"}), json!({})),
        (
            "pattern-changed",
            json!({"pattern": "^a"}),
            json!({"pattern": "^b"}),
        ),
        (
            "one-of-added",
            json!({"oneOf": [{"type": "string"}]}),
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}]}),
        ),
        (
            "one-of-removed",
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}]}),
            json!({"oneOf": [{"type": "string"}]}),
        ),
        (
            "any-of-added",
            json!({"anyOf": [{"type": "string"}]}),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
        ),
        (
            "any-of-removed",
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
            json!({"anyOf": [{"type": "string"}]}),
        ),
        (
            "all-of-added",
            json!({"allOf": [{"type": "object"}]}),
            json!({"allOf": [{"type": "object"}, {"required": ["x"]}]}),
        ),
        (
            "all-of-removed",
            json!({"allOf": [{"type": "object"}, {"required": ["x"]}]}),
            json!({"allOf": [{"type": "object"}]}),
        ),
        (
            "default-value-changed",
            json!({"default": 1}),
            json!({"default": 2}),
        ),
        (
            "wrapped-in-one-of",
            json!({"type": "object", "properties": {"a": {"type": "string"}}}),
            json!({"oneOf": [{"type": "object", "properties": {"a": {"type": "string"}}}, {"type": "string"}]}),
        ),
        (
            "x-extensible-enum-value-removed",
            json!({"x-extensible-enum": ["a", "b"]}),
            json!({"x-extensible-enum": ["a"]}),
        ),
        (
            "prefix-items-added",
            json!({"type": "array"}),
            json!({"type": "array", "prefixItems": [{"type": "string"}]}),
        ),
        (
            "prefix-items-removed",
            json!({"type": "array", "prefixItems": [{"type": "string"}]}),
            json!({"type": "array"}),
        ),
        (
            "contains-added",
            json!({}),
            json!({"contains": {"type": "string"}}),
        ),
        (
            "contains-removed",
            json!({"contains": {"type": "string"}}),
            json!({}),
        ),
        (
            "min-contains-increased",
            json!({"minContains": 1}),
            json!({"minContains": 2}),
        ),
        (
            "min-contains-decreased",
            json!({"minContains": 2}),
            json!({"minContains": 1}),
        ),
        (
            "max-contains-increased",
            json!({"maxContains": 1}),
            json!({"maxContains": 2}),
        ),
        (
            "max-contains-decreased",
            json!({"maxContains": 2}),
            json!({"maxContains": 1}),
        ),
        (
            "dependent-required-added",
            json!({}),
            json!({"dependentRequired": {"a": ["b"]}}),
        ),
        (
            "dependent-required-removed",
            json!({"dependentRequired": {"a": ["b"]}}),
            json!({}),
        ),
        (
            "dependent-required-changed",
            json!({"dependentRequired": {"a": ["b"]}}),
            json!({"dependentRequired": {"a": ["c"]}}),
        ),
        (
            "dependent-schema-added",
            json!({}),
            json!({"dependentSchemas": {"a": {"required": ["b"]}}}),
        ),
        (
            "dependent-schema-removed",
            json!({"dependentSchemas": {"a": {"required": ["b"]}}}),
            json!({}),
        ),
        (
            "pattern-property-added",
            json!({}),
            json!({"patternProperties": {"^x-": {"type": "string"}}}),
        ),
        (
            "pattern-property-removed",
            json!({"patternProperties": {"^x-": {"type": "string"}}}),
            json!({}),
        ),
        (
            "property-names-added",
            json!({}),
            json!({"propertyNames": {"pattern": "^a"}}),
        ),
        (
            "property-names-removed",
            json!({"propertyNames": {"pattern": "^a"}}),
            json!({}),
        ),
        (
            "unevaluated-items-added",
            json!({}),
            json!({"unevaluatedItems": false}),
        ),
        (
            "unevaluated-items-removed",
            json!({"unevaluatedItems": false}),
            json!({}),
        ),
        (
            "unevaluated-properties-added",
            json!({}),
            json!({"unevaluatedProperties": false}),
        ),
        (
            "unevaluated-properties-removed",
            json!({"unevaluatedProperties": false}),
            json!({}),
        ),
        (
            "content-schema-added",
            json!({}),
            json!({"contentSchema": {"type": "object"}}),
        ),
        (
            "content-schema-removed",
            json!({"contentSchema": {"type": "object"}}),
            json!({}),
        ),
        (
            "content-media-type-changed",
            json!({"contentMediaType": "image/png"}),
            json!({"contentMediaType": "image/jpeg"}),
        ),
        (
            "content-encoding-changed",
            json!({"contentEncoding": "base64"}),
            json!({"contentEncoding": "base32"}),
        ),
        (
            "format-changed",
            json!({"type": "string", "format": "date"}),
            json!({"type": "string", "format": "date-time"}),
        ),
        (
            "discriminator-added",
            json!({"oneOf": [{"type": "object"}]}),
            json!({"oneOf": [{"type": "object"}], "discriminator": {"propertyName": "kind"}}),
        ),
        (
            "discriminator-removed",
            json!({"oneOf": [{"type": "object"}], "discriminator": {"propertyName": "kind"}}),
            json!({"oneOf": [{"type": "object"}]}),
        ),
        (
            "discriminator-property-name-changed",
            json!({"discriminator": {"propertyName": "kind"}}),
            json!({"discriminator": {"propertyName": "type"}}),
        ),
    ];
    for (suffix, before, after) in cases {
        let found = ids(
            api(before.clone(), before.clone()),
            api(after.clone(), after.clone()),
        );
        for (prefix, _) in [("request-body", true), ("response-body", false)] {
            let expected = rules::schema_id(prefix, suffix);
            assert!(
                found.iter().any(|(id, _)| *id == expected),
                "`{expected}` was not reported; got {found:?}"
            );
            assert_eq!(
                rules::level_of(&expected),
                found
                    .iter()
                    .find(|(id, _)| *id == expected)
                    .map(|(_, level)| *level)
            );
        }
    }
    let covered: Vec<&str> = cases.iter().map(|(suffix, ..)| *suffix).collect();
    let untested: Vec<&str> = rules::SCHEMA_CHANGES
        .iter()
        .map(|(suffix, ..)| *suffix)
        // Mapping changes need named schemas: `discriminator_mappings_are_compared_by_target` covers them.
        .filter(|s| !covered.contains(s) && !s.starts_with("discriminator-mapping"))
        .collect();
    assert!(
        untested.is_empty(),
        "schema rules without a case: {untested:?}"
    );
}

#[test]
fn discriminator_mappings_are_compared_by_target() {
    let with_mapping = |mapping: Value| {
        let mut document = api(json!({"$ref": "#/components/schemas/Pet"}), json!({}));
        document["components"] = json!({"schemas": {
            "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}], "discriminator": {"propertyName": "kind", "mapping": mapping}},
            "Cat": {"type": "object"}, "Dog": {"type": "object"}
        }});
        document
    };
    let found = ids(
        with_mapping(json!({"cat": "Cat", "dog": "Dog"})),
        with_mapping(json!({"cat": "Dog", "hound": "Dog"})),
    );
    for id in [
        "request-body-discriminator-mapping-changed",
        "request-body-discriminator-mapping-deleted",
        "request-body-discriminator-mapping-added",
    ] {
        assert!(
            found.iter().any(|(found, _)| found == id),
            "{id} missing from {found:?}"
        );
    }
}

#[test]
fn header_parameter_properties_are_named_apart() {
    let with_header = |name: Value| {
        let mut document = api(json!({"type": "string"}), json!({"type": "string"}));
        document["paths"]["/items/{id}"]["post"]["parameters"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "X-Filter", "in": "header", "schema": {
                "type": "object", "properties": {"name": name}
            }}));
        document
    };
    assert_eq!(
        ids(
            with_header(json!({"type": "string"})),
            with_header(json!({"type": "string", "enum": ["a"]}))
        ),
        [(
            "request-header-property-became-enum".to_owned(),
            Level::Error
        )]
    );
}

// ---- lifecycle: deprecated, x-sunset, x-stability-level ----------------------------

fn on(year: i32, month: u32, day: u32) -> Policy {
    Policy::at(Date::from_ymd_opt(year, month, day).expect("a date"))
}

fn ids_on(policy: &Policy, base: Value, revision: Value) -> Vec<(String, Level)> {
    diff_with(&contract(base), &contract(revision), policy)
        .into_iter()
        .map(|c| (c.id, c.level))
        .collect()
}

/// GET /items with the given operation keywords and query parameters, next to a POST that stays.
fn lifecycle_api(operation: Value, parameters: Value) -> Value {
    let mut get = json!({"parameters": parameters, "responses": {"200": {"description": "ok"}}});
    get.as_object_mut()
        .unwrap()
        .extend(operation.as_object().unwrap().clone());
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1.0.0"},
        "paths": {"/items": {
            "get": get,
            "post": {"responses": {"201": {"description": "ok"}}}
        }}
    })
}

fn without_get() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1.0.0"},
        "paths": {"/items": {"post": {"responses": {"201": {"description": "ok"}}}}}
    })
}

fn id_list(ids: Vec<(String, Level)>) -> Vec<String> {
    ids.into_iter().map(|(id, _)| id).collect()
}

#[test]
fn removing_a_deprecated_operation_waits_for_its_sunset() {
    let deprecated =
        |sunset: Value| lifecycle_api(json!({"deprecated": true, "x-sunset": sunset}), json!([]));
    let today = on(2026, 1, 1);
    assert_eq!(
        ids_on(&today, deprecated(json!("2026-06-01")), without_get()),
        [("api-removed-before-sunset".to_owned(), Level::Error)]
    );
    // The sunset day itself allows the removal.
    assert_eq!(
        ids_on(&today, deprecated(json!("2026-01-01")), without_get()),
        [("api-removed-with-deprecation".to_owned(), Level::Info)]
    );
    assert_eq!(
        id_list(ids_on(&today, deprecated(json!("soon")), without_get())),
        ["api-deprecated-sunset-parse"]
    );
    // Only `deprecated` counts: a sunset alone does not announce a removal.
    assert_eq!(
        id_list(ids_on(
            &today,
            lifecycle_api(json!({"x-sunset": "2020-01-01"}), json!([])),
            without_get()
        )),
        ["api-removed-without-deprecation"]
    );
}

#[test]
fn deprecation_is_checked_against_the_policy() {
    let base = lifecycle_api(json!({}), json!([]));
    let deprecated = |sunset: Option<&str>| {
        let mut operation = json!({"deprecated": true, "x-stability-level": "beta"});
        if let Some(sunset) = sunset {
            operation["x-sunset"] = json!(sunset);
        }
        lifecycle_api(operation, json!([]))
    };
    let today = on(2026, 1, 1);
    // oasdiff's default policy asks for no notice.
    assert_eq!(
        id_list(ids_on(&today, base.clone(), deprecated(None))),
        ["endpoint-deprecated"]
    );
    let strict = Policy {
        beta_deprecation_days: 30,
        ..today
    };
    assert_eq!(
        ids_on(&strict, base.clone(), deprecated(None)),
        [("api-deprecated-sunset-missing".to_owned(), Level::Error)]
    );
    assert_eq!(
        id_list(ids_on(
            &strict,
            base.clone(),
            deprecated(Some("2026-01-11"))
        )),
        ["api-sunset-date-too-small"]
    );
    assert_eq!(
        id_list(ids_on(
            &strict,
            base.clone(),
            deprecated(Some("2026-03-01"))
        )),
        ["endpoint-deprecated-with-sunset"]
    );
    assert_eq!(
        id_list(ids_on(&strict, base, deprecated(Some("2026-13-01")))),
        ["api-deprecated-sunset-parse"]
    );
}

#[test]
fn a_deprecated_operations_sunset_may_not_be_dropped_or_broken() {
    let deprecated = |sunset: Option<&str>| {
        let mut operation = json!({"deprecated": true});
        if let Some(sunset) = sunset {
            operation["x-sunset"] = json!(sunset);
        }
        lifecycle_api(operation, json!([]))
    };
    let today = on(2026, 1, 1);
    let later = deprecated(Some("2026-06-01"));
    assert_eq!(
        id_list(ids_on(&today, later.clone(), deprecated(None))),
        ["sunset-deleted"]
    );
    assert_eq!(
        id_list(ids_on(
            &today,
            later.clone(),
            deprecated(Some("06/01/2026"))
        )),
        ["api-path-sunset-parse"]
    );
    // Moving the sunset is fine while it stays as far ahead as the policy asks.
    assert!(ids_on(&today, later.clone(), deprecated(Some("2026-05-01"))).is_empty());
    let strict = Policy {
        stable_deprecation_days: 180,
        ..today
    };
    assert_eq!(
        id_list(ids_on(&strict, later, deprecated(Some("2026-05-01")))),
        ["api-sunset-date-changed-too-small"]
    );
}

#[test]
fn stability_may_only_rise_and_draft_or_alpha_change_freely() {
    let level = |level: Value, parameters: Value| {
        lifecycle_api(json!({"x-stability-level": level}), parameters)
    };
    let today = on(2026, 1, 1);
    assert_eq!(
        ids_on(
            &today,
            level(json!("beta"), json!([])),
            level(json!("alpha"), json!([]))
        ),
        [("api-stability-decreased".to_owned(), Level::Error)]
    );
    assert_eq!(
        ids_on(
            &today,
            level(json!("alpha"), json!([])),
            level(json!("stable"), json!([]))
        ),
        [("api-stability-increased".to_owned(), Level::Info)]
    );
    assert_eq!(
        id_list(ids_on(
            &today,
            level(json!("stable"), json!([])),
            lifecycle_api(json!({}), json!([]))
        )),
        ["api-stability-decreased"]
    );
    for invalid in [json!("ga"), json!(1)] {
        assert_eq!(
            id_list(ids_on(
                &today,
                lifecycle_api(json!({}), json!([])),
                level(invalid.clone(), json!([]))
            )),
            ["api-invalid-stability-level"]
        );
        let unchanged = level(invalid, json!([]));
        assert!(
            ids_on(&today, unchanged.clone(), unchanged).is_empty(),
            "an invalid level that stays is no change"
        );
    }
    // An alpha operation may lose a required parameter; removing the operation still counts.
    let id = json!([{"name": "id", "in": "query", "required": true, "schema": {"type": "string"}}]);
    assert!(
        ids_on(
            &today,
            level(json!("alpha"), id.clone()),
            level(json!("alpha"), json!([]))
        )
        .is_empty()
    );
    assert_eq!(
        id_list(ids_on(&today, level(json!("draft"), id), without_get())),
        ["api-removed-without-deprecation"]
    );
}

#[test]
fn parameters_follow_the_same_lifecycle() {
    let parameter = |extra: Value| {
        let mut parameter = json!({"name": "page", "in": "query", "schema": {"type": "integer"}});
        parameter
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        lifecycle_api(json!({}), json!([parameter]))
    };
    let none = lifecycle_api(json!({}), json!([]));
    let today = on(2026, 1, 1);
    let future = parameter(json!({"deprecated": true, "x-sunset": "2026-06-01"}));
    assert_eq!(
        ids_on(&today, future.clone(), none.clone()),
        [(
            "request-parameter-removed-before-sunset".to_owned(),
            Level::Error
        )]
    );
    assert_eq!(
        id_list(ids_on(
            &today,
            parameter(json!({"deprecated": true, "x-sunset": "2025-06-01"})),
            none.clone()
        )),
        ["request-parameter-removed-with-deprecation"]
    );
    assert_eq!(
        id_list(ids_on(
            &today,
            future.clone(),
            parameter(json!({"deprecated": true}))
        )),
        ["request-parameter-sunset-deleted"]
    );
    assert_eq!(
        id_list(ids_on(
            &today,
            future.clone(),
            parameter(json!({"deprecated": true, "x-sunset": "never"}))
        )),
        ["request-parameter-sunset-parse"]
    );
    assert_eq!(
        id_list(ids_on(&today, parameter(json!({})), future.clone())),
        ["request-parameter-deprecated"]
    );
    assert_eq!(
        id_list(ids_on(&today, future, parameter(json!({})))),
        ["request-parameter-reactivated"]
    );
}

#[test]
fn properties_are_deprecated_per_direction() {
    let with = |extra: Value| {
        let mut property = json!({"type": "string"});
        property
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        api(
            object(json!({"old": property.clone()}), &[]),
            object(json!({"old": property}), &[]),
        )
    };
    let today = on(2026, 1, 1);
    assert_eq!(
        id_list(ids_on(
            &today,
            with(json!({})),
            with(json!({"deprecated": true}))
        )),
        [
            "request-property-deprecated",
            "response-property-deprecated"
        ]
    );
    assert_eq!(
        ids_on(
            &today,
            with(json!({})),
            with(json!({"deprecated": true, "x-sunset": "later"}))
        ),
        [
            (
                "request-property-deprecated-sunset-invalid".to_owned(),
                Level::Error
            ),
            (
                "response-property-deprecated-sunset-invalid".to_owned(),
                Level::Error
            )
        ]
    );
    assert_eq!(
        id_list(ids_on(
            &today,
            with(json!({"deprecated": true, "x-sunset": "2027-01-01"})),
            with(json!({}))
        )),
        [
            "request-property-reactivated",
            "response-property-reactivated"
        ]
    );
}

#[test]
fn sunset_dates_are_calendar_days() {
    use crate::lifecycle::{days_between, parse_date};
    let date = |y, m, d| Date::from_ymd_opt(y, m, d);
    assert_eq!(parse_date("2024-02-29"), date(2024, 2, 29));
    assert_eq!(parse_date("2022-08-10T00:00:00Z"), date(2022, 8, 10));
    for invalid in [
        "2023-02-29",
        "2023-2-01",
        "20230201",
        "invalid-date",
        "2023-02-01x",
    ] {
        assert_eq!(parse_date(invalid), None, "{invalid}");
    }
    let (a, b) = (date(2025, 12, 31).unwrap(), date(2026, 3, 1).unwrap());
    assert_eq!(days_between(a, b), 60);
    assert_eq!(days_between(b, a), -60);
}

#[test]
fn notice_days_apply_to_parameters_and_properties() {
    let strict = Policy {
        stable_deprecation_days: 30,
        ..on(2026, 1, 1)
    };
    let with = |extra: Value| {
        let mut schema = json!({"type": "string"});
        schema
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let mut document = api(
            object(json!({"old": schema.clone()}), &[]),
            object(json!({"old": schema.clone()}), &[]),
        );
        let mut parameter = extra;
        parameter["name"] = json!("page");
        parameter["in"] = json!("query");
        parameter["schema"] = json!({"type": "integer"});
        document["paths"]["/items/{id}"]["post"]["parameters"]
            .as_array_mut()
            .unwrap()
            .push(parameter);
        document
    };
    let plain = with(json!({}));
    assert_eq!(
        id_list(ids_on(
            &strict,
            plain.clone(),
            with(json!({"deprecated": true}))
        )),
        [
            "request-parameter-deprecated-sunset-missing",
            "request-property-deprecated-sunset-missing",
            "response-property-deprecated-sunset-missing"
        ]
    );
    let soon = with(json!({"deprecated": true, "x-sunset": "2026-01-11"}));
    assert_eq!(
        id_list(ids_on(&strict, plain.clone(), soon.clone())),
        [
            "request-parameter-sunset-date-too-small",
            "request-property-sunset-date-too-small",
            "response-property-sunset-date-too-small"
        ]
    );
    let later = with(json!({"deprecated": true, "x-sunset": "2026-03-01"}));
    assert_eq!(
        id_list(ids_on(&strict, plain, later.clone())),
        [
            "request-parameter-deprecated",
            "request-property-deprecated-with-sunset",
            "response-property-deprecated-with-sunset"
        ]
    );
    assert_eq!(
        id_list(ids_on(&strict, later, soon)),
        ["request-parameter-sunset-date-changed-too-small"]
    );
}

#[test]
fn removing_a_path_waits_for_every_sunset_on_it() {
    let base = lifecycle_api(
        json!({"deprecated": true, "x-sunset": "2026-06-01"}),
        json!([]),
    );
    let mut revision = without_get();
    revision["paths"] = json!({"/other": revision["paths"]["/items"].clone()});
    assert_eq!(
        id_list(ids_on(&on(2026, 1, 1), base, revision)),
        [
            "api-path-removed-before-sunset",
            "api-path-removed-without-deprecation",
            "endpoint-added"
        ]
    );
}

#[test]
fn ambiguous_templates_pair_each_operation_with_its_own_path() {
    let get = |operation_id: &str, name: &str| {
        json!({"get": {
            "operationId": operation_id,
            "parameters": [{"name": name, "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok"}}
        }})
    };
    let document = |first: &str| {
        json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1.0.0"},
            "paths": {
                "/users/{id}": get(first, "id"),
                "/users/{userId}": get("getUserById", "userId")
            }
        })
    };
    let (same, _) = build(&mut InMemory::new("api.yaml", document("getUser")));
    let same = same.expect("a contract");
    assert_eq!(diff(&same, &same), []);
    let (renamed, _) = build(&mut InMemory::new("api.yaml", document("fetchUser")));
    let changes = diff(&same, &renamed.expect("a contract"));
    let found: Vec<_> = changes.iter().map(|c| c.message.as_str()).collect();
    assert_eq!(found, ["operationId `getUser` became `fetchUser`"]);
}

/// Every spec under `fixtures/` that loads (the broken ones included, as
/// long as they give a contract) compared with itself.
#[test]
fn every_fixture_spec_is_identical_to_itself() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut folders = vec![fixtures];
    let mut compared = 0;
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("a fixtures folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            if !matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            ) {
                continue;
            }
            let load = || contracts_load::load(&contracts_load::Input::File(path.clone()), None);
            let (Some(base), Some(revision)) = (load().contract, load().contract) else {
                continue;
            };
            let changes = diff(&base, &revision);
            assert!(changes.is_empty(), "{}: {changes:#?}", path.display());
            compared += 1;
        }
    }
    assert!(compared > 40, "only {compared} fixture specs compared");
}

#[test]
fn any_of_a_schema_and_null_is_that_schema_nullable() {
    let with_components = |property: Value| {
        let mut document = api(
            object(json!({"when": property.clone()}), &[]),
            object(json!({"when": property}), &[]),
        );
        document["components"] =
            json!({"schemas": {"When": {"type": "string", "format": "date-time"}}});
        document
    };
    let when = json!({"$ref": "#/components/schemas/When"});
    let all_of_nullable = with_components(json!({"allOf": [when.clone()], "nullable": true}));
    let any_of_null = with_components(json!({"anyOf": [when.clone(), {"type": "null"}]}));
    let one_of_null = with_components(json!({"oneOf": [{"type": "null"}, when.clone()]}));
    assert_eq!(ids(all_of_nullable.clone(), any_of_null.clone()), []);
    assert_eq!(ids(any_of_null.clone(), one_of_null), []);
    let plain = with_components(when);
    assert_eq!(
        ids(any_of_null, plain),
        [
            (
                "request-property-became-not-nullable".to_owned(),
                Level::Error
            ),
            (
                "response-property-became-not-nullable".to_owned(),
                Level::Info
            ),
        ]
    );
}

#[test]
fn null_in_an_enum_is_nullability_not_a_value() {
    let mut nullable_3_0 = api(
        json!({}),
        json!({"type": "string", "enum": ["a", "b"], "nullable": true}),
    );
    nullable_3_0["openapi"] = json!("3.0.3");
    let nullable_3_1 = api(
        json!({}),
        json!({"type": ["string", "null"], "enum": ["a", "b", null]}),
    );
    assert_eq!(ids(nullable_3_0.clone(), nullable_3_1.clone()), []);
    assert_eq!(ids(nullable_3_1, nullable_3_0), []);
    let plain = api(json!({}), json!({"type": "string", "enum": ["a", "b"]}));
    let null_listed = api(
        json!({}),
        json!({"type": ["string", "null"], "enum": ["a", "b", null]}),
    );
    assert_eq!(
        ids(plain, null_listed),
        [("response-body-became-nullable".into(), Level::Error)]
    );
}

/// Of `document`, the `components.schemas` with each property `{$ref, ...}`
/// replaced by its target with the siblings merged in, as a dereferencer
/// writes it.
fn inline(document: &Value) -> Value {
    let mut document = document.clone();
    fn walk(node: &mut Value, schemas: &Value) {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref").cloned()
                    && let Some(name) = reference.strip_prefix("#/components/schemas/")
                {
                    map.remove("$ref");
                    let mut target = schemas[name].clone();
                    walk(&mut target, schemas);
                    let siblings = std::mem::take(map);
                    *map = target.as_object().cloned().unwrap_or_default();
                    map.extend(siblings);
                }
                for value in map.values_mut() {
                    walk(value, schemas);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| walk(item, schemas)),
            _ => {}
        }
    }
    let schemas = document["components"]["schemas"].clone();
    walk(&mut document["paths"], &schemas);
    document
}

#[test]
fn deprecated_beside_a_ref_in_3_1_is_the_same_as_on_its_inlined_target() {
    let mut document = api(
        object(
            json!({"contact": {"$ref": "#/components/schemas/Contact", "deprecated": true, "description": "d"}}),
            &[],
        ),
        object(
            json!({"contact": {"$ref": "#/components/schemas/Contact", "deprecated": true}}),
            &[],
        ),
    );
    document["components"] =
        json!({"schemas": {"Contact": object(json!({"email": {"type": "string"}}), &["email"])}});
    let inlined = inline(&document);
    assert!(
        !inlined
            .to_string()
            .contains("$ref\":\"#/components/schemas/Contact")
    );
    assert!(ids(document.clone(), inlined.clone()).is_empty());
    assert!(ids(inlined.clone(), document.clone()).is_empty());
    // Still a deprecation against the property without it.
    let mut plain = document.clone();
    plain["paths"]["/items/{id}"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
        ["properties"]["contact"] = json!({"$ref": "#/components/schemas/Contact"});
    assert_eq!(
        ids(plain, document),
        [("response-property-deprecated".to_owned(), Level::Info)]
    );
}
