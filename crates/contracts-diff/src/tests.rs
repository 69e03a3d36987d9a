//! Rule behaviour on small contracts: direction, meaning over form, branch
//! matching, recursion, order, allowed breaks. Which rule fires on which
//! change, with its level, is data: `fixtures/diff/`, run by `tests/cases.rs`.

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
fn rules_document_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == rules::document(),
        "docs/rules.md is stale: run `cargo xtask docs`"
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

/// Code changes of `base` to `revision`, by id.
fn code_ids(base: Value, revision: Value) -> Vec<String> {
    crate::code_changes(&contract(base), &contract(revision))
        .into_iter()
        .map(|change| change.id)
        .collect()
}

#[test]
fn code_rules_pair_operations_as_the_wire_rules_do() {
    // Two templates of one shape: each operation pairs with itself, so a
    // spec compared with itself shows no code change (a fuzz find).
    let spec = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/users/{id}": {"get": {"operationId": "getUser", "responses": {"200": {"description": "ok"}}}},
            "/users/{userId}": {"get": {"responses": {"200": {"description": "ok"}}}}
        }
    });
    // The templates are an error (`path-ambiguous`), which diff compares all the same.
    let (Some(contract), _) = build(&mut InMemory::new("api.yaml", spec)) else {
        panic!("a contract")
    };
    assert_eq!(crate::code_changes(&contract, &contract), []);
}

#[test]
fn a_renamed_schema_is_matched_by_meaning_once() {
    let with = |names: &[&str]| {
        let schemas: serde_json::Map<String, Value> = (names.iter())
            .map(|name| {
                (
                    (*name).to_owned(),
                    json!({"type": "object", "properties": {"id": {"type": "string"}}}),
                )
            })
            .collect();
        json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": schemas}})
    };
    // Two gone, one new of the same meaning: one rename, one removal.
    assert_eq!(
        code_ids(with(&["A", "B"]), with(&["C"])),
        ["code-schema-renamed", "code-schema-removed"]
    );
}

#[test]
fn a_schema_shared_by_several_media_types_changes_once() {
    let document = |required: &[&str]| {
        let mut document = api(
            json!({"type": "string"}),
            json!({"$ref": "#/components/schemas/Item"}),
        );
        let content = &mut document["paths"]["/items/{id}"]["post"]["responses"]["200"]["content"];
        content["application/xml"] = content["application/json"].clone();
        document["components"] =
            json!({"schemas": {"Item": object(json!({"x": {"type": "string"}}), required)}});
        document
    };
    assert_eq!(
        ids(document(&["x"]), document(&[])),
        [("response-property-became-optional".to_owned(), Level::Error)]
    );
}
