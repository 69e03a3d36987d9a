//! The handlers module: shape, ordering, typing hooks, escaping, and
//! bodies from the spec's examples.

use contracts_diagnostics::Diagnostic;
use contracts_model::{InMemory, build};

use crate::codes;
use serde_json::json;

use super::*;

fn generate_for(paths: serde_json::Value) -> Generated {
    generate_with(paths, json!({}))
}

fn generate_with(paths: serde_json::Value, schemas: serde_json::Value) -> Generated {
    let document = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths, "components": {"schemas": schemas}});
    let (contract, diagnostics) = build(&mut InMemory::new("api.yaml", document));
    // A typo in a test spec would otherwise test a degraded contract.
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    generate(&contract.unwrap(), &Options::default())
}

/// A required string path parameter.
fn path_param(name: &str) -> serde_json::Value {
    json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}})
}

fn ok(schema: serde_json::Value) -> serde_json::Value {
    json!({"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}})
}

#[test]
fn paths_become_msw_patterns_static_first() {
    let generated = generate_for(json!({
        "/teams/{team-id}/members": {"get": {"parameters": [path_param("team-id")], "responses": ok(json!({"type": "array", "items": {"type": "string"}}))}},
        "/teams/mine": {"get": {"responses": ok(json!({"type": "string"}))}},
        "/teams/{team}": {"get": {"parameters": [path_param("team")], "responses": ok(json!({"type": "string"}))}}
    }));
    let code = generated.code().unwrap();
    let mine = code.find("\"*/teams/mine\"").unwrap();
    let members = code.find("\"*/teams/:team_id/members\"").unwrap();
    assert!(
        members < mine,
        "longer paths first, as `*` matches any prefix:\n{code}"
    );
    let team = code.find("\"*/teams/:team\"").unwrap();
    assert!(mine < team, "static before parameterised:\n{code}");
    assert_eq!(code.matches("http.").count(), 3);
}

#[test]
fn literal_text_msw_would_read_as_syntax_is_escaped() {
    let string = |parameters: &[&str]| {
        let parameters: Vec<_> = parameters.iter().map(|name| path_param(name)).collect();
        json!({"get": {"parameters": parameters, "responses": ok(json!({"type": "string"}))}})
    };
    let code = generate_for(json!({
        "/v1/{name}:cancel": string(&["name"]),
        "/files/{id}v2(raw)+[x]": string(&["id"]),
        "/#X-Amz-Target=Lambda.Invoke": string(&[]),
        "/items?Action=List": string(&[])
    }))
    .code()
    .unwrap()
    .to_owned();
    for path in [
        r#""*/v1/:name\\:cancel""#,
        r#""*/files/:id\\v2\\(raw\\)\\+\\[x\\]""#,
        r#""*/""#,
        r#""*/items""#,
    ] {
        assert!(code.contains(path), "{path}:\n{code}");
    }
}

#[test]
fn bodies_are_typed_per_status_and_empty_ones_undefined() {
    let code = generate_for(json!({
        "/items": {"post": {"responses": {
            "201": {"description": "made", "content": {"application/json": {"schema": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "minimum": 3}}}}}},
            "204": {"description": "nothing"},
            "205": {"description": "reset", "content": {"application/json": {"schema": {"type": "object"}}}},
            "200": {"description": "nothing yet", "content": {"application/json": {"schema": {"type": "null"}}}},
            "404": {"description": "missing", "content": {"application/problem+json": {"schema": {"type": "object"}}}}
        }}}
    }))
    .code()
    .unwrap()
    .to_owned();
    assert!(code.contains("mock(\"POST /items\", 201, {"), "{code}");
    assert!(code.contains("201: { id: 3 } satisfies paths[\"/items\"][\"post\"][\"responses\"][\"201\"][\"content\"][\"application/json\"]"), "{code}");
    assert!(code.contains("204: undefined"), "no content: {code}");
    assert!(
        code.contains("205: undefined"),
        "HTTP gives 205 no content: {code}"
    );
    assert!(
        code.contains("200: null satisfies"),
        "JSON `null`, sent as such: {code}"
    );
    assert!(code.contains("satisfies paths[\"/items\"][\"post\"][\"responses\"][\"404\"][\"content\"][\"application/problem+json\"]"), "{code}");
    assert!(code.contains("export const handlers = ["), "{code}");
    assert!(
        code.contains("import type { paths } from \"./types\";"),
        "{code}"
    );
}

#[test]
fn text_from_the_spec_stays_inside_strings() {
    let code = generate_for(json!({
        "/x": {"get": {"responses": ok(json!({"const": "\"); process.exit(1); (\"\n*/"}))}}
    }))
    .code()
    .unwrap()
    .to_owned();
    assert!(
        code.contains(r#""\"); process.exit(1); (\"\n*/""#),
        "{code}"
    );
}

#[test]
fn output_is_deterministic() {
    let paths = json!({"/x/{id}": {"get": {"parameters": [path_param("id")], "responses": ok(json!({"type": "string", "format": "uuid"}))}}});
    assert_eq!(
        generate_for(paths.clone()).code().unwrap(),
        generate_for(paths).code().unwrap()
    );
}

// ---- bodies from examples ------------------------------------------------------

const X_JSON: &str = "/paths/~1x/get/responses/200/content/application~1json";

/// `GET /x` answering 200 with one JSON media type: the code with each run of
/// whitespace as one space (so literals read on one line), and the warnings.
fn json_x(media: serde_json::Value) -> (String, Vec<Diagnostic>) {
    squash(generate_for(json!({"/x": {"get": {"responses": {"200": {
        "description": "ok", "content": {"application/json": media}
    }}}}})))
}

fn squash(generated: Generated) -> (String, Vec<Diagnostic>) {
    let code = generated
        .code()
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (code, generated.diagnostics)
}

fn one(diagnostics: &[Diagnostic]) -> &Diagnostic {
    match diagnostics {
        [diagnostic] => diagnostic,
        _ => panic!("not one diagnostic: {diagnostics:#?}"),
    }
}

fn pet() -> serde_json::Value {
    json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "minimum": 5}, "name": {"type": "string"}}})
}

#[test]
fn a_valid_media_example_is_the_body_verbatim() {
    let (code, warnings) = json_x(json!({"schema": pet(), "example": {"id": 7, "name": "Rex"}}));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(
        code.contains(r#"200: { id: 7, name: "Rex" } satisfies"#),
        "{code}"
    );
}

#[test]
fn an_invalid_example_falls_back_to_generated_data_with_a_warning() {
    let (code, warnings) = json_x(json!({"schema": pet(), "examples": {
        "bad": {"value": {"id": "seven"}}, "good": {"value": {"id": 8}}
    }}));
    assert!(code.contains("200: { id: 8 } satisfies"), "{code}");
    let warning = one(&warnings);
    assert_eq!(warning.code, "invalid-example");
    assert_eq!(warning.severity, contracts_diagnostics::Severity::Warning);
    let location = warning.location.as_deref().unwrap();
    assert_eq!(location.pointer, format!("{X_JSON}/examples/bad/value"));
    assert!(
        warning.message.contains("`GET /x`")
            && warning
                .message
                .contains(r#"at `/id`: value is not of type "integer""#),
        "{}",
        warning.message
    );

    let (code, warnings) = json_x(json!({"schema": pet(), "example": {"id": 1}}));
    assert!(
        code.contains(r#"200: { id: 5, name: ""#),
        "generated, as 1 < minimum:\n{code}"
    );
    assert_eq!(one(&warnings).code, "invalid-example");
}

#[test]
fn the_schemas_own_example_comes_after_the_media_types() {
    let mut schema = pet();
    schema["examples"] = json!([{"id": 40, "name": "from the schema"}]);
    let pet_json = |media: serde_json::Value| {
        let mut media = media;
        media["schema"] = json!({"$ref": "#/components/schemas/Pet"});
        json!({"get": {"responses": {"200": {"description": "ok", "content": {"application/json": media}}}}})
    };
    let paths =
        json!({"/own": pet_json(json!({})), "/both": pet_json(json!({"example": {"id": 41}}))});
    let (code, warnings) = squash(generate_with(paths.clone(), json!({"Pet": schema})));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(code.contains(r#"name: "from the schema""#), "{code}");
    assert!(code.contains("200: { id: 41 } satisfies"), "{code}");

    // An invalid schema example is reported once, at the schema, whichever responses use it.
    let mut schema = pet();
    schema["examples"] = json!([{"name": "no id"}]);
    let (_, warnings) = squash(generate_with(paths, json!({"Pet": schema})));
    let warning = one(&warnings);
    assert_eq!(
        warning.location.as_deref().unwrap().pointer,
        "/components/schemas/Pet"
    );
    assert!(
        warning.message.contains("the schema's example 1"),
        "{}",
        warning.message
    );
    assert_eq!(
        warning.related.len(),
        1,
        "names the response it was checked for"
    );
}

#[test]
fn required_write_only_properties_complete_an_example() {
    let schema = json!({"type": "object", "required": ["id", "password"], "properties": {
        "id": {"type": "integer"},
        "password": {"type": "string", "writeOnly": true, "minLength": 8}
    }});
    let (code, warnings) = json_x(json!({"schema": schema, "example": {"id": 3}}));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(
        code.contains(r#"200: { id: 3, password: ""#),
        "responses leave writeOnly properties out, the types require them:\n{code}"
    );

    // In a `oneOf`, in the branch that accepts the example once completed.
    let card = json!({"type": "object", "required": ["kind", "token"], "properties": {
        "kind": {"const": "card"}, "token": {"type": "string", "writeOnly": true}
    }});
    let bank = json!({"type": "object", "required": ["kind", "iban"], "properties": {
        "kind": {"const": "bank"}, "iban": {"type": "string"}
    }});
    let (code, warnings) = json_x(json!({
        "schema": {"type": "array", "items": {"oneOf": [bank, card]}},
        "example": [{"kind": "card"}, {"kind": "bank", "iban": "DE00"}]
    }));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(
        code.contains(r#"[{ kind: "card", token: ""#)
            && code.contains(r#"" }, { kind: "bank", iban: "DE00" }]"#),
        "{code}"
    );
}

#[test]
fn defaulted_properties_complete_an_example() {
    // `gen --ts` requires them in responses (openapi-typescript's `--default-non-nullable`).
    let schema = json!({"type": "object", "properties": {
        "files": {"type": "object", "additionalProperties": {"type": "object", "properties": {
            "encoding": {"type": "string", "default": "utf-8"}
        }}},
        "limit": {"type": "integer", "default": 10}
    }});
    let (code, warnings) = json_x(json!({"schema": schema, "example": {"files": {"a.txt": {}}}}));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(
        code.contains(r#"{ files: { "a.txt": { encoding: "utf-8" } }, limit: 10 }"#),
        "{code}"
    );
}

#[test]
fn examples_must_fit_the_generated_types() {
    // Valid JSON Schema, but the types close objects that list their properties.
    let (code, warnings) = json_x(json!({"schema": pet(), "example": {"id": 7, "colour": "red"}}));
    assert!(code.contains(r#"200: { id: 5, name: ""#), "{code}");
    let message = &one(&warnings).message;
    assert!(
        message.contains("`/colour` is not a property the schema declares"),
        "{message}"
    );

    // A branch the discriminator maps is narrowed to its tag.
    let schemas = json!({
        "Cat": {"type": "object", "required": ["lives"], "properties": {"kind": {"type": "string"}, "lives": {"type": "integer"}}},
        "Dog": {"type": "object", "required": ["barks"], "properties": {"kind": {"type": "string"}, "barks": {"type": "boolean"}}},
        "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}], "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"}}}
    });
    let paths = json!({"/pets": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
        "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
        "examples": {"untagged": {"value": [{"lives": 9}]}, "tagged": {"value": [{"kind": "cat", "lives": 7}]}}
    }}}}}}});
    let (code, warnings) = squash(generate_with(paths, schemas));
    assert!(
        code.contains(r#"200: [{ kind: "cat", lives: 7 }] satisfies"#),
        "{code}"
    );
    let message = &one(&warnings).message;
    assert!(
        message.contains("`/0` fits no branch with its `kind` tag"),
        "{message}"
    );

    // Properties without `type`: any value to JSON Schema, an object to the types.
    let untyped = json!({"required": ["ids"], "properties": {"ids": {"type": "array", "items": {"type": "string"}}}});
    let schema = json!({"type": "object", "properties": {"groups": untyped}});
    let (code, warnings) = json_x(json!({"schema": schema, "example": {"groups": [{"id": "a"}]}}));
    assert!(
        code.contains(r#"200: { groups: { ids: ["#),
        "generated instead: {code}"
    );
    let message = &one(&warnings).message;
    assert!(message.contains("`/groups` is not an object"), "{message}");
}

#[test]
fn uuid_and_duration_examples_are_checked_though_draft_7_has_no_such_formats() {
    let schema = json!({"type": "string", "format": "uuid"});
    let (code, warnings) = json_x(json!({"schema": schema, "example": "0.2"}));
    assert_eq!(one(&warnings).code, codes::INVALID_EXAMPLE);
    assert!(code.contains(r#"200: "00000000-0000-4000-8000-"#), "{code}");
    let (code, warnings) = json_x(
        json!({"schema": schema, "example": "urn:uuid:5B2F8C1E-7D4A-4E3B-9A6F-1C2D3E4F5A6B"}),
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(code.contains("urn:uuid:5B2F8C1E"), "{code}");
    let schema = json!({"type": "string", "format": "duration"});
    for (example, valid) in [
        ("PT1M", true),
        ("P1Y2M3DT4H5M6S", true),
        ("P2W", true),
        ("00:05:00", false),
        ("P", false),
        ("PT", false),
        ("P1M1Y", false),
    ] {
        let (_, warnings) = json_x(json!({"schema": schema, "example": example}));
        assert_eq!(warnings.is_empty(), valid, "{example}: {warnings:?}");
    }
}

#[test]
fn a_declared_property_the_index_signature_rejects_goes_without_satisfies() {
    // Valid JSON Schema (`additionalProperties` skips declared keys), but the
    // types' index signature holds for `type` too: no literal satisfies them.
    let schema = json!({"type": "object", "required": ["type"], "properties": {"type": {"type": "string"}},
        "additionalProperties": {"type": "object"}});
    let (code, warnings) =
        json_x(json!({"schema": schema, "example": {"type": "Schedule", "typeProperties": {}}}));
    assert!(code.contains(r#"200: { type: ""#), "{code}");
    assert!(!code.contains("satisfies"), "{code}");
    let codes: Vec<&str> = warnings.iter().map(|w| w.code).collect();
    assert_eq!(codes, [codes::INVALID_EXAMPLE, codes::MOCK_OUTSIDE_TYPES]);
    for warning in &warnings {
        assert!(
            warning.message.contains(
                "`/type` is a declared property whose value `additionalProperties` rejects"
            ),
            "{}",
            warning.message
        );
    }
}

#[test]
fn text_and_binary_responses_get_string_bodies_of_their_media_type() {
    let get = |media_type: &str, media: serde_json::Value| json!({"get": {"responses": {"200": {"description": "ok", "content": {media_type: media}}}}});
    let (code, warnings) = squash(generate_for(json!({
        "/text": get("text/plain", json!({"schema": {"type": "string"}, "example": "hello \"there\""})),
        "/csv": get("text/csv", json!({"schema": {"type": "string", "maxLength": 3}, "example": "too long"})),
        "/xml": get("application/xml", json!({"schema": {"type": "object", "properties": {"a": {"type": "integer"}}}})),
        "/file": get("application/octet-stream", json!({"schema": {"type": "string", "format": "binary"}})),
        "/image": get("image/*", json!({})),
        "/both": {"get": {"responses": {"200": {"description": "ok", "content": {
            "text/plain": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "integer"}}
        }}}}}
    })));
    for expected in [
        r#"200: raw("text/plain", "hello \"there\"")"#,
        r#"200: raw("text/csv", ""#,
        r#"200: raw("application/xml", "{\"a\":1}")"#,
        r#"200: raw("application/octet-stream", ""#,
        r#"200: raw("application/octet-stream", "")"#,
        r#"200: 1 satisfies paths["/both"]["get"]["responses"]["200"]["content"]["application/json"]"#,
    ] {
        assert!(code.contains(expected), "{expected}:\n{code}");
    }
    let message = &one(&warnings).message;
    assert!(
        message.contains("longer than 3 characters"),
        "the csv example: {message}"
    );
}

#[test]
fn a_pattern_the_validator_cannot_compile_is_left_out_of_the_check() {
    let (code, warnings) = json_x(json!({
        "schema": {"type": "string", "pattern": "(unclosed", "maxLength": 3},
        "examples": {"ok": {"value": "abc"}, "long": {"value": "abcd"}}
    }));
    let codes: Vec<&str> = warnings.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["examples-unchecked", "invalid-example"]);
    let pointer = &warnings[0].location.as_deref().unwrap().pointer;
    assert_eq!(pointer, &format!("{X_JSON}/schema/pattern"));
    assert!(code.contains(r#"200: "abc" satisfies"#), "{code}");
}

#[test]
fn closed_tuples_in_discriminated_examples_are_used() {
    let generated = generate_with(
        json!({"/parcels": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Fulfillment"},
            "example": {"kind": "physical", "size": [1.5, 2]}
        }}}}}}}),
        json!({
            "Fulfillment": {
                "oneOf": [{"$ref": "#/components/schemas/Physical"}],
                "discriminator": {"propertyName": "kind", "mapping": {"physical": "#/components/schemas/Physical"}}
            },
            "Physical": {"type": "object", "required": ["kind"], "properties": {
                "kind": {"const": "physical"},
                "size": {"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}], "items": false}
            }}
        }),
    );
    assert!(
        generated.diagnostics.is_empty(),
        "{:?}",
        generated.diagnostics
    );
    assert!(
        generated.code().unwrap().contains("size: [1.5, 2]"),
        "{}",
        generated.code().unwrap()
    );
}

#[test]
fn a_body_only_outside_the_types_is_unchecked_with_a_warning() {
    let (code, warnings) = json_x(json!({"schema": {"oneOf": [
        {"type": "object", "properties": {"message": {"type": "string"}, "url": {"type": "string"}}},
        {"type": "object", "properties": {"message": {"type": "string"}, "metadata": {"type": "object"}}}
    ]}}));
    assert!(
        code.contains(r#"200: { message: ""#) && code.contains(r#", metadata: 0 } }"#),
        "{code}"
    );
    assert!(!code.contains("satisfies"), "{code}");
    let warning = one(&warnings);
    assert_eq!(warning.code, codes::MOCK_OUTSIDE_TYPES);
    assert!(warning.message.contains("`GET /x`"), "{}", warning.message);
}

#[test]
fn a_body_cut_short_is_unchecked_with_a_warning_at_the_schema() {
    let generated = generate_with(
        json!({"/x": {"get": {"responses": ok(json!({"$ref": "#/components/schemas/Node"}))}}}),
        json!({"Node": {"type": "object", "required": ["child"], "properties": {
            "child": {"allOf": [{"$ref": "#/components/schemas/Node"}, {"$ref": "#/components/schemas/Node"}]}
        }}}),
    );
    let (code, warnings) = squash(generated);
    assert!(code.contains("200: {} }"), "{code}");
    assert!(!code.contains("satisfies"), "{code}");
    let warning = one(&warnings);
    assert_eq!(warning.code, codes::MOCK_LIMITED);
    let location = warning.location.as_ref().unwrap();
    assert_eq!(location.pointer, "/components/schemas/Node");
}

#[test]
fn examples_of_schemas_too_costly_to_check_are_left_with_a_warning() {
    // Validating against `allOf: [next, next]` 30 deep visits 2^30 schemas.
    let generated = generate_with(
        json!({"/x": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/L1"}, "example": {"v": 7}
        }}}}}}}),
        crate::mock::tests::all_of_chain(),
    );
    let (code, warnings) = squash(generated);
    assert!(code.contains("200: { v: 1 } satisfies"), "{code}");
    let warning = one(&warnings);
    assert_eq!(warning.code, codes::EXAMPLES_UNCHECKED);
    assert!(warning.message.contains("allOf"), "{}", warning.message);
}

#[test]
fn a_body_stays_the_same_when_other_operations_come_and_go() {
    let person = json!({"type": "object", "required": ["id", "name", "tags"], "properties": {
        "id": {"type": "string", "format": "uuid"}, "name": {"type": "string"},
        "tags": {"type": "array", "minItems": 2, "items": {"type": "string"}}}});
    let people = json!({
        "/people": {"get": {"responses": ok(json!({"type": "array", "minItems": 3, "items": person}))}},
        "/people/{id}": {"get": {"parameters": [path_param("id")], "responses": ok(person.clone())}}
    });
    let mut more = json!({"/a/b/c/d": {"get": {"responses": ok(person.clone())}}});
    more.as_object_mut()
        .unwrap()
        .extend(people.as_object().unwrap().clone());
    let handlers = |paths| {
        let generated = generate_for(paths);
        let code = generated.code().unwrap();
        // Each handler's text without its layout, by its URL.
        (code.split("http.get(").skip(1))
            .map(|handler| {
                let text: String = handler.split_whitespace().collect();
                (handler.split(',').next().unwrap().to_owned(), text)
            })
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let (before, after) = (handlers(people), handlers(more));
    assert_eq!(after.len(), 3);
    // The new handler draws from the same kind of schema, but its own values.
    assert_ne!(after["\"*/a/b/c/d\""], after["\"*/people/:id\""]);
    for (url, handler) in &before {
        let handler = handler.trim_end_matches([']', ';', ')']);
        assert!(
            after[url].starts_with(handler),
            "{url} changed:\n{handler}\n{}",
            after[url]
        );
    }
}
