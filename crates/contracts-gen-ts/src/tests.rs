//! Schema coverage and escaping, as snapshots of the generated module.

use contracts_model::{InMemory, build};
use serde_json::{Value, json};

use super::*;

fn generate_from(document: Value, options: &Options) -> String {
    let (contract, diagnostics) = build(&mut InMemory::new("api.yaml", document));
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
    generate(&contract.expect("a contract"), options).code
}

fn with_schemas(version: &str, schemas: Value) -> Value {
    json!({"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": schemas}})
}

#[test]
fn schema_coverage() {
    let document = with_schemas(
        "3.1.0",
        json!({
            "Required": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "readOnly": true}, "note": {"type": "string"}}},
            "ClosedObject": {"type": "object", "properties": {"a": {"type": "integer"}}, "additionalProperties": false},
            "OpenObject": {"type": "object", "additionalProperties": true},
            "StringMap": {"type": "object", "additionalProperties": {"type": "string"}},
            "MixedMap": {"type": "object", "properties": {"count": {"type": "integer"}}, "additionalProperties": {"type": "string"}},
            "EmptyClosed": {"type": "object", "additionalProperties": false},
            "Strings": {"type": "array", "items": {"type": "string"}},
            "Pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "number"}], "items": false},
            "OpenTuple": {"type": "array", "prefixItems": [{"type": "boolean"}]},
            "Colors": {"type": "string", "enum": ["red", "green"]},
            "Numbers": {"enum": [1, -2.5, 10000000000000000000_u64]},
            "Mixed": {"enum": ["a", 1, true, null]},
            "Kind": {"const": "fixed"},
            "Nullable31": {"type": ["string", "null"]},
            "OnlyNull": {"type": "null"},
            "Union": {"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Required"}]},
            "Either": {"anyOf": [{"type": "integer"}, {"type": "boolean"}]},
            "Combined": {"allOf": [{"$ref": "#/components/schemas/Required"}, {"type": "object", "properties": {"extra": {"type": "boolean"}}}]},
            "Pet": {
                "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                "discriminator": {"propertyName": "kind", "mapping": {"cat": "Cat", "dog": "#/components/schemas/Dog"}}
            },
            "Cat": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}, "lives": {"type": "integer"}}},
            "Dog": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}},
            "Tree": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}}},
            "Anything": {},
            "Nothing": false,
            "Quoted": {"type": "object", "properties": {"content-type": {"type": "string"}, "200": {"type": "string"}, "007": {"type": "string"}, "$ok": {"type": "string"}}},
            "Documented": {"type": "string", "format": "date-time", "description": "When it happened.", "deprecated": true, "default": "2024-01-01T00:00:00Z", "examples": ["2024-05-01T10:00:00Z"]},
        }),
    );
    insta::assert_snapshot!(generate_from(document, &Options::default()));
}

#[test]
fn nullable_3_0_reads_like_3_1() {
    let document = with_schemas(
        "3.0.3",
        json!({
            "Name": {"type": "string", "nullable": true},
            "MaybeRef": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/Name"}]},
            "Status": {"type": "string", "enum": ["on", "off"], "nullable": true}
        }),
    );
    let code = generate_from(document, &Options::default());
    assert!(code.contains("Name: string | null;"), "{code}");
    assert!(
        code.contains("MaybeRef: components[\"schemas\"][\"Name\"] | null;"),
        "{code}"
    );
    assert!(code.contains("Status: \"on\" | \"off\" | null;"), "{code}");
}

#[test]
fn read_only_and_write_only_are_marked() {
    let document = with_schemas(
        "3.1.0",
        json!({"Account": {"type": "object", "required": ["id", "password"], "properties": {
            "id": {"type": "string", "readOnly": true},
            "password": {"type": "string", "writeOnly": true}
        }}}),
    );
    let code = generate_from(document, &Options::default());
    assert!(
        code.contains("/** @readOnly sent by the server only */\n            readonly id: string;"),
        "{code}"
    );
    assert!(
        code.contains("/** @writeOnly sent by the client only */\n            password: string;"),
        "{code}"
    );
}

#[test]
fn operations_paths_and_request_bodies() {
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/files/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "put": {
                    "operationId": "uploadFile",
                    "summary": "Upload a file",
                    "parameters": [
                        {"name": "overwrite", "in": "query", "schema": {"type": "boolean"}},
                        {"name": "X-Trace", "in": "header", "required": true, "schema": {"type": "string"}}
                    ],
                    "requestBody": {"required": true, "content": {
                        "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}},
                        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                    }},
                    "responses": {
                        "201": {"description": "Stored.", "headers": {"Location": {"required": true, "schema": {"type": "string"}}}, "content": {"application/json": {"schema": {"type": "object", "properties": {"size": {"type": "integer"}}}}}},
                        "204": {"description": "Nothing to say."},
                        "4XX": {"description": "Client error."},
                        "default": {"description": "Error.", "content": {"application/problem+json": {"schema": {"type": "object"}}}}
                    }
                },
                "delete": {"responses": {"204": {"description": "Gone."}}}
            }
        }
    });
    insta::assert_snapshot!(generate_from(document, &Options::default()));
}

#[test]
fn text_from_the_spec_cannot_break_out() {
    let document = with_schemas(
        "3.1.0",
        json!({
            "Evil": {
                "type": "object",
                "description": "Ends early */ export const pwned = 1; /*",
                "properties": {
                    "a\"b": {"type": "string", "description": "line one\nline two */"},
                    "new\nline": {"type": "string"},
                    "tag": {"enum": ["multi\nline", "quote\"d", "back\\slash", "</script>"]}
                }
            }
        }),
    );
    let code = generate_from(document, &Options::default());
    assert!(
        !code
            .lines()
            .any(|line| line.trim_start().starts_with("export const")),
        "{code}"
    );
    assert!(
        code.contains("Ends early *\\/ export const pwned = 1; /*"),
        "{code}"
    );
    assert!(code.contains(r#""a\"b"?: string;"#), "{code}");
    assert!(code.contains(r#""new\nline"?: string;"#), "{code}");
    assert!(
        code.contains(r#""multi\nline" | "quote\"d" | "back\\slash" | "<\/script>""#),
        "{code}"
    );
}

#[test]
fn enums_option_exports_typescript_enums() {
    let document = with_schemas(
        "3.1.0",
        json!({"OrderStatus": {"type": "string", "enum": ["pending_payment", "paid", "2fa-required"]}, "Level": {"enum": [1, 2]}}),
    );
    let options = Options {
        enums: true,
        ..Options::default()
    };
    let code = generate_from(document, &options);
    insta::assert_snapshot!(code);
}

#[test]
fn output_is_deterministic() {
    let document = with_schemas(
        "3.1.0",
        json!({"B": {"type": "string"}, "A": {"$ref": "#/components/schemas/B"}}),
    );
    assert_eq!(
        generate_from(document.clone(), &Options::default()),
        generate_from(document, &Options::default())
    );
}

#[test]
fn path_item_parameters_are_the_path_items_own() {
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/items/{id}": {
            "parameters": [{"name": "X-Tenant", "in": "header", "required": true, "schema": {"type": "string"}}],
            "get": {
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"204": {"description": "ok"}}
            }
        }}
    });
    let code = generate_from(document, &Options::default());
    let path_item = code.split("get: {").next().unwrap();
    assert!(
        path_item.contains("header: {\n                \"X-Tenant\": string;"),
        "{code}"
    );
    assert!(path_item.contains("path?: never;"), "{code}");
}

/// mozilla.com's kinto: a path item with parameters and no operation is still a key of `paths`.
#[test]
fn path_items_without_operations_are_listed() {
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/users/{id}": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]},
            "/health": {}
        }
    });
    let code = generate_from(document, &Options::default());
    for path in ["/users/{id}", "/health"] {
        let item = code
            .split(&format!("\"{path}\": {{"))
            .nth(1)
            .unwrap_or_default();
        assert!(item.contains("get?: never;"), "{code}");
    }
    assert!(
        code.contains("path: {\n                id: string;"),
        "{code}"
    );
}

/// A schema with a property that has a default, used in a response, a request body and a parameter.
fn defaults_document() -> Value {
    let thing =
        json!({"type": "object", "properties": {"limit": {"type": "integer", "default": 10}}});
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things": {"post": {
            "parameters": [{"name": "filter", "in": "query", "content": {"application/json": {"schema": thing}}}],
            "requestBody": {"content": {"application/json": {"schema": thing}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": thing}}}}
        }}},
        "components": {"schemas": {"Thing": thing}}
    })
}

#[test]
fn defaults_make_properties_required_where_the_server_fills_them_in() {
    let code = generate_from(defaults_document(), &Options::default());
    assert_eq!(code.matches("limit: number;").count(), 2, "{code}");
    assert_eq!(code.matches("limit?: number;").count(), 2, "{code}");
    let options = Options {
        default_non_nullable: false,
        ..Options::default()
    };
    let code = generate_from(defaults_document(), &options);
    assert_eq!(code.matches("limit?: number;").count(), 4, "{code}");
}

#[test]
fn object_options_of_openapi_typescript() {
    let document = with_schemas(
        "3.1.0",
        json!({
            "Empty": {"type": "object"},
            "Point": {"type": "object", "properties": {"x": {"type": "number"}, "y": {"type": "number"}}},
            "Pinned": {"type": "object", "required": ["x"], "properties": {"x": {"type": "number"}, "y": {"type": "number"}}},
        }),
    );
    let generate_with = |options: Options| generate_from(document.clone(), &options);

    let code = generate_with(Options::default());
    assert!(
        code.contains("Empty: {\n            [key: string]: unknown;"),
        "{code}"
    );
    assert!(
        code.contains("x?: number;\n            y?: number;\n        };"),
        "{code}"
    );

    let code = generate_with(Options {
        empty_objects_unknown: false,
        ..Options::default()
    });
    assert!(code.contains("Empty: Record<string, never>;"), "{code}");

    let code = generate_with(Options {
        additional_properties: true,
        ..Options::default()
    });
    assert!(
        code.contains("y?: number;\n        } & {\n            [key: string]: unknown;"),
        "{code}"
    );

    let code = generate_with(Options {
        properties_required_by_default: true,
        ..Options::default()
    });
    assert!(
        code.contains("x: number;\n            y: number;"),
        "{code}"
    );
    assert!(
        code.contains("x: number;\n            y?: number;"),
        "{code}"
    );
}

#[test]
fn schemas_that_contradict_themselves_follow_their_authors_with_a_warning() {
    let document = with_schemas(
        "3.1.0",
        json!({
            "Amount": {"type": "null", "oneOf": [{"type": "string"}, {"type": "number"}]},
            "Level": {"type": "object", "allOf": [{"$ref": "#/components/schemas/LevelName"}]},
            "LevelName": {"type": "string", "enum": ["low", "high"]},
            "Page": {"allOf": [{"$ref": "#/components/schemas/Paging"}], "additionalProperties": false},
            "Paging": {"type": "object", "properties": {"next": {"type": "string"}}},
            "Extra": {"type": "object", "additionalProperties": {"type": "string"}, "anyOf": [{"$ref": "#/components/schemas/Paging"}]},
            // Not contradictions: integers are numbers, and a branch with no type admits any.
            "Count": {"type": "number", "oneOf": [{"type": "integer"}, {"minimum": 1}]},
        }),
    );
    let (contract, _) = build(&mut InMemory::new("api.yaml", document));
    let generated = generate(&contract.expect("a contract"), &Options::default());
    let code = &generated.code;
    assert!(code.contains("Amount: string | number | null;"), "{code}");
    assert!(
        code.contains("Level: components[\"schemas\"][\"LevelName\"];"),
        "{code}"
    );
    assert!(
        code.contains("Page: components[\"schemas\"][\"Paging\"];"),
        "{code}"
    );
    assert!(
        code.contains("Extra: {\n            [key: string]: string;\n        } | components[\"schemas\"][\"Paging\"];"),
        "{code}"
    );
    assert!(
        code.contains("Count: number & (number | unknown);"),
        "{code}"
    );
    let warned: Vec<(&str, &str)> = (generated.warnings.iter())
        .map(|warning| {
            (
                warning.code,
                warning.location.as_ref().unwrap().pointer.as_str(),
            )
        })
        .collect();
    assert_eq!(
        warned,
        [
            ("type-contradicts-composition", "/components/schemas/Amount"),
            ("type-contradicts-composition", "/components/schemas/Level"),
            (
                "additional-properties-beside-composition",
                "/components/schemas/Page"
            ),
            (
                "additional-properties-beside-composition",
                "/components/schemas/Extra"
            ),
        ]
    );
}

#[test]
fn immutable_makes_members_index_signatures_and_arrays_readonly() {
    let document = with_schemas(
        "3.1.0",
        json!({
            "Tags": {"type": "object", "properties": {"names": {"type": "array", "items": {"type": "string"}}}, "additionalProperties": {"type": "string"}},
            "Pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "number"}], "items": false},
        }),
    );
    let options = Options {
        immutable: true,
        ..Options::default()
    };
    let code = generate_from(document, &options);
    assert!(
        code.contains("readonly names?: readonly string[];"),
        "{code}"
    );
    assert!(code.contains("readonly [key: string]: string;"), "{code}");
    assert!(
        code.contains("readonly Pair: readonly [string, number];"),
        "{code}"
    );
    assert!(code.contains("readonly schemas: {"), "{code}");
}

#[test]
fn export_type_declares_the_roots_as_types() {
    let document = with_schemas("3.1.0", json!({"Name": {"type": "string"}}));
    let options = Options {
        export_type: true,
        ..Options::default()
    };
    let code = generate_from(document, &options);
    assert!(code.contains("export type paths = {};"), "{code}");
    assert!(
        code.contains("export type components = {\n    schemas: {"),
        "{code}"
    );
}

/// `Value: string | components["schemas"]["Value"][]` in the interface is a
/// circular type to `tsc --strict` (TS2502, vercel.com's `EdgeConfigItemValue`).
#[test]
fn a_schema_that_is_an_element_of_its_own_arrays_is_a_type_alias() {
    let document = with_schemas(
        "3.1.0",
        json!({
            "Value": {"type": ["null"], "oneOf": [{"type": "string"}, {"type": "array", "items": {"$ref": "#/components/schemas/Value"}}]},
            "Matrix": {"type": "array", "items": {"type": "array", "items": {"$ref": "#/components/schemas/Matrix"}}},
            "value": {"type": "array", "prefixItems": [{"$ref": "#/components/schemas/value"}]},
            "Holder": {"type": "object", "properties": {"value": {"$ref": "#/components/schemas/Value"}}},
            // Reached through an object member: resolved lazily, stays in the interface.
            "Tree": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}}},
        }),
    );
    let code = generate_from(document, &Options::default());
    for expected in [
        "Value: $Value;",
        "Matrix: $Matrix;",
        "value: $Value2;",
        "value?: components[\"schemas\"][\"Value\"];",
        "children?: components[\"schemas\"][\"Tree\"][];",
        "export type $Value = string | $Value[] | null;",
        "export type $Matrix = $Matrix[][];",
        "export type $Value2 = [$Value2, ...unknown[]];",
    ] {
        assert!(code.contains(expected), "{expected}\n{code}");
    }
}

/// codat.io's `AccountBalance: {required: [accountId], allOf: [{properties: {accountId: ...}}]}`:
/// the member is the part's type, never `undefined`.
#[test]
fn a_name_required_beside_all_of_takes_the_type_a_part_declares() {
    let document = with_schemas(
        "3.1.0",
        json!({
            "Base": {"type": "object", "properties": {"id": {"type": "string"}, "note": {"type": ["string", "null"]}}},
            "Extended": {"allOf": [{"$ref": "#/components/schemas/Base"}]},
            "Listed": {
                "required": ["id", "note", "size", "other"],
                "allOf": [{"$ref": "#/components/schemas/Extended"}, {"properties": {"size": {"type": "integer"}}}]
            },
        }),
    );
    let code = generate_from(document, &Options::default());
    assert!(
        code.contains(
            "Listed: {\n            id: string;\n            note: string | null;\n            size: number;\n            other: unknown;\n        } & components[\"schemas\"][\"Extended\"] & {"
        ),
        "{code}"
    );
}

/// vercel.com's `domain` query parameter: `items` without `type` beside
/// `oneOf: [{type: array}, {type: string}]` narrows the array branch only.
#[test]
fn members_without_a_type_narrow_only_the_branches_of_their_type() {
    let document = with_schemas(
        "3.1.0",
        json!({
            "Domains": {"items": {"type": "string"}, "oneOf": [{"type": "array"}, {"type": "string"}]},
            "Named": {"properties": {"name": {"type": "string"}}, "anyOf": [{"type": "object"}, {"type": "integer"}]},
            // Every branch of their type: the shape stays beside the composition.
            "Lists": {"items": {"type": "string"}, "oneOf": [{"type": "array"}, {"maxItems": 2}]},
        }),
    );
    let code = generate_from(document, &Options::default());
    for expected in [
        "Domains: unknown[] & string[] | string;",
        "Named: {\n            [key: string]: unknown;\n        } & {\n            name?: string;\n        } | number;",
        "Lists: string[] & (unknown[] | unknown);",
    ] {
        assert!(code.contains(expected), "{expected}\n{code}");
    }
}
