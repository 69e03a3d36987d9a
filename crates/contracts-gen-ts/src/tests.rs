//! Schema coverage and escaping, as snapshots of the generated module.

use contracts_model::{InMemory, build};
use serde_json::{Value, json};

use super::*;

fn generate_from(document: Value, options: &Options) -> String {
    let (contract, diagnostics) = build(&mut InMemory::new("api.yaml", document));
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
    generate(&contract.expect("a contract"), options)
        .code()
        .unwrap()
        .to_owned()
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
    let code = &generated.code().unwrap();
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
    let warned: Vec<(&str, &str)> = (generated.diagnostics.iter())
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

/// Keys in every order they can come in, and deprecated things of each kind.
fn ordering_document() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/zoo/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "get": {
                    "operationId": "getZoo",
                    "parameters": [
                        {"name": "zeta", "in": "query", "schema": {"type": "string"}},
                        {"name": "Alpha", "in": "query", "schema": {"type": "string"}},
                        {"name": "old", "in": "query", "deprecated": true, "schema": {"type": "string"}},
                        {"name": "older", "in": "query", "schema": {"type": "string", "deprecated": true}}
                    ],
                    "responses": {
                        "404": {"description": "no"},
                        "200": {"description": "ok",
                            "headers": {"X-B": {"schema": {"type": "string"}}, "X-A": {"schema": {"type": "string"}}, "X-Old": {"deprecated": true, "schema": {"type": "string"}}},
                            "content": {"text/plain": {"schema": {"type": "string"}}, "application/json": {"schema": {"$ref": "#/components/schemas/Zebra"}}}}
                    }
                },
                "delete": {"operationId": "dropZoo", "deprecated": true, "responses": {"204": {"description": "gone"}}}
            },
            "/apes": {"post": {"operationId": "postApe", "responses": {"201": {"description": "ok"}}}}
        },
        "components": {"schemas": {
            "Zebra": {"type": "object", "properties": {
                "stripes10": {"type": "integer"},
                "stripes9": {"type": "integer"},
                "legacy": {"type": "string", "deprecated": true},
                "old": {"$ref": "#/components/schemas/Old"},
                "Name": {"type": "string"}
            }},
            "Ape": {"type": "string"},
            "Old": {"type": "string", "deprecated": true}
        }}
    })
}

/// The order of `key: `s in `code`, among `keys`.
fn order_of<'k>(code: &str, keys: &[&'k str]) -> Vec<&'k str> {
    let mut found: Vec<(usize, &str)> = keys
        .iter()
        .filter_map(|key| code.find(&format!("{key}: ")).map(|at| (at, *key)))
        .chain(
            keys.iter()
                .filter_map(|key| code.find(&format!("{key}?: ")).map(|at| (at, *key))),
        )
        .collect();
    found.sort();
    found.into_iter().map(|(_, key)| key).collect()
}

/// The order openapi-typescript 7.13 prints for `ordering_document` with `--alphabetize`.
#[test]
fn alphabetize_orders_every_keyed_list_as_openapi_typescript() {
    // Document order, which the defaults keep.
    let keys = [
        "\"/zoo/{id}\"",
        "\"/apes\"",
        "Zebra",
        "stripes10",
        "stripes9",
        "legacy",
        "Name",
        "Ape",
        "Old",
        "getZoo",
        "zeta",
        "Alpha",
        "404",
        "200",
        "\"X-B\"",
        "\"X-A\"",
        "\"text/plain\"",
        "\"application/json\"",
        "dropZoo",
        "postApe",
    ];
    let code = generate_from(ordering_document(), &Options::default());
    assert_eq!(order_of(&code, &keys), keys, "{code}");
    let options = Options {
        alphabetize: true,
        ..Options::default()
    };
    let code = generate_from(ordering_document(), &options);
    assert_eq!(
        order_of(&code, &keys),
        [
            "\"/apes\"",
            "\"/zoo/{id}\"",
            "Ape",
            "Old",
            "Zebra",
            "legacy",
            "Name",
            "stripes9",
            "stripes10",
            "postApe",
            "getZoo",
            "Alpha",
            "zeta",
            "200",
            "\"X-A\"",
            "\"X-B\"",
            "\"application/json\"",
            "\"text/plain\"",
            "404",
            "dropZoo",
        ],
        "{code}"
    );
}

#[test]
fn exclude_deprecated_leaves_out_operations_properties_and_parameters() {
    let options = Options {
        exclude_deprecated: true,
        ..Options::default()
    };
    let code = generate_from(ordering_document(), &options);
    assert!(code.contains("delete?: never;"), "{code}");
    assert!(
        !code.contains("dropZoo") && !code.contains("X-Old"),
        "{code}"
    );
    assert!(
        code.contains("query?: {\n                zeta?: string;\n                Alpha?: string;\n            };"),
        "{code}"
    );
    assert!(
        code.contains("Zebra: {\n            stripes10?: number;\n            stripes9?: number;\n            Name?: string;\n        };"),
        "{code}"
    );
    // Still declared: `old` properties elsewhere may refer to it.
    assert!(code.contains("Old: string;"), "{code}");
}

#[test]
fn array_length_writes_bounded_arrays_as_tuples() {
    let document = with_schemas(
        "3.1.0",
        json!({
            "Pair": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2},
            "Some": {"type": "array", "items": {"type": "number"}, "minItems": 1, "maxItems": 3},
            "AtLeast": {"type": "array", "items": {"type": "number"}, "minItems": 2},
            "Empty": {"type": "array", "maxItems": 0},
            // Too many elements to write out, and bounds no array meets.
            "Big": {"type": "array", "items": {"type": "number"}, "minItems": 1, "maxItems": 10},
            "Wrong": {"type": "array", "items": {"type": "number"}, "minItems": 3, "maxItems": 1},
            "Untyped": {"items": {"type": "number"}, "minItems": 1},
        }),
    );
    let options = Options {
        array_length: true,
        ..Options::default()
    };
    let code = generate_from(document.clone(), &options);
    for expected in [
        "Pair: [string, string];",
        "Some: [number] | [number, number] | [number, number, number];",
        "AtLeast: [number, number, ...number[]];",
        "Empty: [];",
        "Big: number[];",
        "Wrong: never;",
        "Untyped: number[];",
    ] {
        assert!(code.contains(expected), "{expected}\n{code}");
    }
    // With `--immutable`, each tuple is readonly: `readonly ([] | [T])` is no TypeScript.
    let immutable = Options {
        array_length: true,
        immutable: true,
        ..Options::default()
    };
    let frozen = generate_from(document.clone(), &immutable);
    for expected in [
        "readonly Some: readonly [number] | readonly [number, number] | readonly [number, number, number];",
        "readonly AtLeast: readonly [number, number, ...number[]];",
        "readonly Big: readonly number[];",
    ] {
        assert!(frozen.contains(expected), "{expected}\n{frozen}");
    }
    let code = generate_from(document, &Options::default());
    assert!(code.contains("Pair: string[];"), "{code}");
}

#[test]
fn path_params_as_types_key_paths_by_template_literal_types() {
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/users/{id}/posts/{slug}": {
                "parameters": [{"name": "slug", "in": "path", "required": true, "schema": {"type": "string"}}],
                "get": {
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                    "responses": {"204": {"description": "ok"}}
                }
            },
            "/flags/{on}": {"get": {
                "parameters": [{"name": "on", "in": "path", "required": true, "schema": {"type": "boolean"}}],
                "responses": {"204": {"description": "ok"}}
            }},
            "/flags/{on}/{n}": {"get": {
                "parameters": [
                    {"name": "on", "in": "path", "required": true, "schema": {"type": "boolean"}},
                    {"name": "n", "in": "path", "required": true, "schema": {"type": "number"}}
                ],
                "responses": {"204": {"description": "ok"}}
            }},
            // Template syntax in the literal text stays text.
            "/odd/{a}`${x}\\{b": {"get": {
                "parameters": [
                    {"name": "a", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "x", "in": "path", "required": true, "schema": {"type": "string"}}
                ],
                "responses": {"204": {"description": "ok"}}
            }},
            "/plain": {"get": {"responses": {"204": {"description": "ok"}}}},
            // The same template again: `tsc` would take the first.
            "/users/{uid}/posts/{s}": {"put": {
                "parameters": [
                    {"name": "uid", "in": "path", "required": true, "schema": {"type": "integer"}},
                    {"name": "s", "in": "path", "required": true, "schema": {"type": "string"}}
                ],
                "responses": {"204": {"description": "ok"}}
            }}
        }
    });
    let options = Options {
        path_params_as_types: true,
        ..Options::default()
    };
    let code = generate_from(document, &options);
    for expected in [
        "    [path: `/users/${number}/posts/${string}`]: {\n",
        // `${boolean}` alone is two literal keys, which an index signature refuses.
        "    \"/flags/{on}\": {\n",
        "    [path: `/flags/${boolean}/${number}`]: {\n",
        "    [path: `/odd/${string}\\`$${string}\\\\{b`]: {\n",
        "    \"/plain\": {\n",
        // Each template in an object of its own, so overlapping ones do not conflict.
        "export type paths = {\n    \"/flags/{on}\": {\n",
        "} & {\n    [path: `/users/${number}/posts/${string}`]: {\n",
    ] {
        assert!(code.contains(expected), "{expected}\n{code}");
    }
    assert_eq!(code.matches("[path: `/users/").count(), 1, "{code}");
}

#[test]
fn root_types_alias_every_component_with_openapi_typescripts_names() {
    let mut document = with_schemas(
        "3.0.3",
        json!({
            "pet-store": {"type": "string"},
            "PetStore": {"type": "number"},
            "HTTPServer": {"type": "object", "properties": {"a": {"type": "string"}}},
            "Color": {"type": "string", "enum": ["red", "green"]},
            "ResponseNotFound": {"type": "string"},
            // Would declare `paths` a second time without the prefix and with the casing kept.
            "paths": {"type": "string"},
        }),
    );
    document["components"]["responses"] = json!({"NotFound": {"description": "x"}});
    document["components"]["parameters"] =
        json!({"limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}});
    document["components"]["headers"] = json!({"X-Rate": {"schema": {"type": "integer"}}});
    document["components"]["requestBodies"] =
        json!({"NewPet": {"content": {"application/json": {"schema": {"type": "string"}}}}});
    let aliases = |options: Options| -> Vec<String> {
        let code = generate_from(document.clone(), &options);
        code.lines()
            .filter(|line| line.starts_with("export type ") && line.contains("= components["))
            .map(|line| line.strip_prefix("export type ").unwrap().to_owned())
            .collect()
    };
    let root_types = Options {
        root_types: true,
        ..Options::default()
    };
    assert_eq!(
        aliases(root_types.clone()),
        [
            "SchemaPetStore = components[\"schemas\"][\"pet-store\"];",
            "SchemaPetStore_2 = components[\"schemas\"][\"PetStore\"];",
            "SchemaHttpServer = components[\"schemas\"][\"HTTPServer\"];",
            "SchemaColor = components[\"schemas\"][\"Color\"];",
            "SchemaResponseNotFound = components[\"schemas\"][\"ResponseNotFound\"];",
            "SchemaPaths = components[\"schemas\"][\"paths\"];",
            "ResponseNotFound = components[\"responses\"][\"NotFound\"];",
            "ParameterLimit = components[\"parameters\"][\"limit\"];",
            "RequestBodyNewPet = components[\"requestBodies\"][\"NewPet\"];",
            "HeaderXRate = components[\"headers\"][\"X-Rate\"];",
        ]
    );
    // The later `PetStore` replaces the earlier; a clash with another section is numbered.
    let no_prefix = aliases(Options {
        root_types_no_schema_prefix: true,
        ..root_types.clone()
    });
    assert_eq!(
        no_prefix[..5],
        [
            "PetStore = components[\"schemas\"][\"PetStore\"];",
            "HttpServer = components[\"schemas\"][\"HTTPServer\"];",
            "Color = components[\"schemas\"][\"Color\"];",
            "ResponseNotFound = components[\"schemas\"][\"ResponseNotFound\"];",
            "Paths = components[\"schemas\"][\"paths\"];",
        ]
    );
    assert_eq!(
        no_prefix[5],
        "ResponseNotFound_2 = components[\"responses\"][\"NotFound\"];"
    );
    // Names that are not identifiers are left out (`Schemapet-store`).
    let keep_casing = aliases(Options {
        root_types_keep_casing: true,
        ..root_types.clone()
    });
    assert_eq!(
        keep_casing[0],
        "SchemaPetStore = components[\"schemas\"][\"PetStore\"];"
    );
    assert_eq!(
        keep_casing[1],
        "SchemaHTTPServer = components[\"schemas\"][\"HTTPServer\"];"
    );
    let both = aliases(Options {
        root_types_keep_casing: true,
        root_types_no_schema_prefix: true,
        ..root_types.clone()
    });
    assert!(
        !both.iter().any(|alias| alias.starts_with("paths ")),
        "{both:?}"
    );
    // With `--enum`, an enum schema is its TypeScript enum instead.
    let with_enums = aliases(Options {
        enums: true,
        ..root_types
    });
    assert!(
        !with_enums.iter().any(|alias| alias.contains("Color")),
        "{with_enums:?}"
    );
}

#[test]
fn read_write_markers_wrap_read_only_and_write_only_properties() {
    let document = with_schemas(
        "3.1.0",
        json!({
            "Account": {"type": "object", "required": ["id", "password"], "properties": {
                "id": {"type": "string", "readOnly": true},
                "password": {"type": "string", "writeOnly": true},
                "both": {"type": "string", "readOnly": true, "writeOnly": true},
                "name": {"type": "string"}
            }},
            // Its alias would be `$Read`, which the helpers declare.
            "Read": {"type": "array", "items": {"$ref": "#/components/schemas/Read"}},
        }),
    );
    let options = Options {
        read_write_markers: true,
        ..Options::default()
    };
    let code = generate_from(document, &options);
    assert!(
        code.starts_with("/**\n* This file was auto-generated by contracts (`contracts gen --ts`).\n* Do not make direct changes to the file.\n*/\nexport type $Read<T> = {\n    readonly $read: T;\n};\nexport type $Write<T> = {\n    readonly $write: T;\n};\nexport type Readable<T> = "),
        "{code}"
    );
    for expected in [
        "            id: $Read<string>;\n",
        "            password: $Write<string>;\n",
        "            both?: string;\n",
        "            name?: string;\n",
        "        Read: $Read2;\n",
        "export type $Read2 = $Read2[];",
    ] {
        assert!(code.contains(expected), "{expected}\n{code}");
    }
}

#[test]
fn make_paths_enum_names_operations_as_openapi_typescript() {
    let no_content = json!({"204": {"description": "ok"}});
    let path_parameter = |name: &str| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}});
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/users/{id}": {
                "parameters": [path_parameter("id")],
                "get": {"operationId": "getUser", "responses": no_content},
                "delete": {"responses": no_content}
            },
            "/v1/{name}:cancel": {"parameters": [path_parameter("name")], "post": {"responses": no_content}},
            "/a.b/c-d/e+f": {
                "get": {"operationId": "2fa.check", "responses": no_content},
                "put": {"operationId": "-neg", "responses": no_content},
                "post": {"operationId": "a+b c", "responses": no_content},
                "patch": {"operationId": "+++", "responses": no_content}
            },
            "/x/{a}/{b}/y": {"parameters": [path_parameter("a"), path_parameter("b")], "get": {"responses": no_content}},
            // The same name again: numbered (openapi-typescript's output would not compile).
            "/users": {"delete": {"responses": no_content}}
        }
    });
    let options = Options {
        make_paths_enum: true,
        ..Options::default()
    };
    let code = generate_from(document, &options);
    // openapi-typescript 7.13 writes the same members, but `DeleteUsers2`.
    assert!(
        code.ends_with(
            "export enum ApiPaths {
    getUser = \"/users/{id}\",
    DeleteUsers = \"/users/{id}\",
    PostV1_cancel = \"/v1/{name}:cancel\",
    Value2fa_check = \"/a.b/c-d/e+f\",
    ValueMinusneg = \"/a.b/c-d/e+f\",
    aPlusb_c = \"/a.b/c-d/e+f\",
    \"+++\" = \"/a.b/c-d/e+f\",
    GetXY = \"/x/{a}/{b}/y\",
    DeleteUsers2 = \"/users\"
}
"
        ),
        "{code}"
    );
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

#[test]
fn dedupe_enums_shares_one_enum_per_set_of_values() {
    let document = with_schemas(
        "3.1.0",
        json!({
            "Color": {"type": "string", "enum": ["red", "green"]},
            "Colour": {"type": "string", "enum": ["green", "red"]},
            "Other": {"type": "string", "enum": ["red"]},
            "Level": {"enum": [1, 2]},
            // openapi-typescript compares values as strings.
            "Tier": {"enum": ["2", "1"]},
        }),
    );
    let options = Options {
        enums: true,
        dedupe_enums: true,
        ..Options::default()
    };
    let code = generate_from(document.clone(), &options);
    for expected in [
        "Color: Color;",
        "Colour: Color;",
        "Other: Other;",
        "Level: Level;",
        "Tier: Level;",
    ] {
        assert!(code.contains(expected), "{expected}\n{code}");
    }
    assert_eq!(code.matches("export enum").count(), 3, "{code}");
    let code = generate_from(
        document,
        &Options {
            dedupe_enums: false,
            ..options
        },
    );
    assert_eq!(code.matches("export enum").count(), 5, "{code}");
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

#[test]
fn enum_values_export_each_enums_values_named_by_its_place() {
    let document = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/pets/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "enum": ["me", "you"]}}],
            "get": {
                "operationId": "getPet",
                "parameters": [{"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"]}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {
                    "state": {"type": "string", "enum": ["on", "off"]},
                    "tags": {"type": "array", "items": {"type": "string", "enum": ["t1", "t2"]}}
                }}}}}}
            },
            "post": {
                "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
                    "kind": {"type": "string", "enum": ["cat", "dog"]},
                    "owner": {"type": ["object", "null"], "properties": {"role": {"type": "string", "enum": ["admin"]}}}
                }}}}},
                "responses": {"204": {"description": "none"}}
            }
        }},
        "components": {"schemas": {
            "Status": {"type": "string", "enum": ["active", "inactive"]},
            "status": {"type": "string", "enum": ["other"]},
            "ErrorCode": {"type": "number", "enum": [100, -1, 2.5]},
            "Nullable": {"type": ["string", "null"], "enum": ["a", "b"]},
            "WithNull": {"enum": ["a", null]},
            "Quotes": {"type": "string", "enum": ["say \"hi\"", "*/ end", "back\\slash", "new\nline"]},
            "Map": {"type": "object", "properties": {"states": {"type": "object", "additionalProperties": {"type": "string", "enum": ["TRANSLATED", "REVIEWED"]}}}},
            "Resource": {"type": "object", "properties": {"outer": {"oneOf": [
                {"type": "object", "required": ["kind"], "properties": {
                    "kind": {"type": "string", "enum": ["typeA"]},
                    "inner": {"oneOf": [{"type": "object", "properties": {"code": {"type": "string", "enum": ["x", "y"]}}}]}
                }},
                {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string", "enum": ["typeB"]}}}
            ]}}},
            "my-thing.v2": {"type": "string", "enum": ["q"]},
            "Flag": {"type": "object", "enum": [{"a": 1}]}
        }}
    });
    let options = Options {
        enum_values: true,
        ..Options::default()
    };
    let code = generate_from(document.clone(), &options);
    // Once each, before the consts, at the end of the file.
    assert_eq!(code.matches("type FlattenedDeepRequired<T>").count(), 1);
    assert_eq!(code.matches("type ReadonlyArray<T>").count(), 1);
    assert!(!code.contains("withNullValues"), "{code}");
    assert!(!code.contains("flagValues"), "{code}");
    insta::assert_snapshot!(code);
    assert_eq!(code, generate_from(document.clone(), &options));
    // Off by default.
    let plain = generate_from(document, &Options::default());
    assert!(!plain.contains("Values"), "{plain}");
    assert!(!plain.contains("FlattenedDeepRequired"), "{plain}");
}

#[test]
fn enum_values_names_are_openapi_typescripts() {
    let name = |segments: &[&str]| {
        let segments: Vec<String> = segments.iter().map(|s| (*s).to_owned()).collect();
        values::values_const_name(&segments)
    };
    assert_eq!(name(&["components", "schemas", "Status"]), "statusValues");
    assert_eq!(
        name(&["components", "schemas", "my-thing.v2"]),
        "myThingV2Values"
    );
    assert_eq!(
        name(&["paths", "/url", "get", "parameters", "query", "status"]),
        "pathsUrlGetParametersQueryStatusValues"
    );
    assert_eq!(
        name(&[
            "paths",
            "/analytics/data",
            "get",
            "responses",
            "400",
            "content",
            "application/json",
            "anyOf",
            "0",
            "message"
        ]),
        "pathsAnalyticsDataGetResponses400ContentApplicationJsonAnyOf0MessageValues"
    );
    assert_eq!(
        name(&["components", "parameters", "Limit"]),
        "componentsParametersLimitValues"
    );
    // Characters other than `[A-Za-z0-9_$]` never reach the name.
    assert_eq!(name(&["components", "schemas", "a\"*/b c"]), "aBCValues");
}

#[test]
fn enum_values_types_stay_sound_for_our_output() {
    let document = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/pets/{id}": {"get": {
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "enum": ["a"]}}],
            "responses": {"204": {"description": "none"}}
        }}},
        "components": {"schemas": {
            // A key below a map would be read as the map's key.
            "Params": {"type": "object", "additionalProperties": {"type": "object", "properties": {"type": {"type": "string", "enum": ["link", "mailto"]}}}},
            // Members beside a map schema are an intersection with its index signature.
            "Mixed": {"type": "object", "properties": {"kind": {"type": "string", "enum": ["k"]}}, "additionalProperties": {"type": "object"}},
            "Tags": {"type": "object", "properties": {"list": {"type": "array", "items": {"type": "string", "enum": ["t"]}}}},
            // The part's const, not one more for the name it declares.
            "Base": {"type": "object", "properties": {"role": {"type": "string", "enum": ["admin", "user"]}}},
            "Child": {"allOf": [{"$ref": "#/components/schemas/Base"}], "required": ["role"]},
            "Holder": {"type": "object", "properties": {"nested": {"$ref": "#/components/schemas/Base/properties/role"}}}
        }}
    });
    let options = Options {
        enum_values: true,
        ..Options::default()
    };
    let code = generate_from(document.clone(), &options);
    for expected in [
        "export const paramsTypeValues: ReadonlyArray<\"link\" | \"mailto\"> = [\"link\", \"mailto\"];",
        "export const mixedKindValues: ReadonlyArray<\"k\"> = [\"k\"];",
        "export const tagsListValues: ReadonlyArray<FlattenedDeepRequired<components>[\"schemas\"][\"Tags\"][\"list\"]> = [\"t\"];",
        "export const pathsPetsIdGetParametersPathIdValues: ReadonlyArray<FlattenedDeepRequired<paths>[\"/pets/{id}\"][\"get\"][\"parameters\"][\"path\"][\"id\"]> = [\"a\"];",
    ] {
        assert!(code.contains(expected), "{expected}\n{code}");
    }
    assert_eq!(code.matches("Values: ").count(), 6, "{code}");
    assert!(code.contains("export const baseRoleValues:"), "{code}");
    // A schema reached by a `$ref` into another is named where it is written.
    assert!(
        code.contains("export const basePropertiesRoleValues:"),
        "{code}"
    );

    // Readonly arrays are not flattened, templated paths not indexed by the path.
    let options = Options {
        enum_values: true,
        immutable: true,
        path_params_as_types: true,
        ..Options::default()
    };
    let code = generate_from(document, &options);
    for expected in [
        "export const tagsListValues: ReadonlyArray<\"t\"> = [\"t\"];",
        "export const pathsPetsIdGetParametersPathIdValues: ReadonlyArray<\"a\"> = [\"a\"];",
    ] {
        assert!(code.contains(expected), "{expected}\n{code}");
    }
}

/// Parameters written the same way, docs included, are one type: later
/// operations name the first one's, so `tsc` meets fewer distinct types.
#[test]
fn operations_with_the_same_parameters_share_the_first_ones() {
    let owner =
        json!({"name": "owner", "in": "path", "required": true, "schema": {"type": "string"}});
    let page = json!({"name": "page", "in": "query", "schema": {"type": "integer"}});
    let documented = json!({"name": "owner", "in": "path", "required": true, "description": "Who owns it.", "schema": {"type": "string"}});
    let operation = |id: &str, parameters: Value| json!({"operationId": id, "parameters": parameters, "responses": {"204": {"description": "ok"}}});
    let document = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/ping": {"get": operation("ping", json!([])), "head": operation("ping-head", json!([]))},
            "/{owner}/repos": {
                "get": operation("list", json!([page, owner])),
                "post": operation("create", json!([owner])),
            },
            "/{owner}/stars": {
                "get": operation("stars", json!([owner, page])),
                "delete": operation("unstar", json!([documented])),
            },
            // No operationId: written in place, never named by another.
            "/{owner}": {"get": {"parameters": [owner], "responses": {"204": {"description": "ok"}}}},
        }
    });
    let code = generate_from(document, &Options::default());
    let operations = code.split("export interface operations").nth(1).unwrap();
    let parameters: Vec<&str> = (operations.lines())
        .filter(|line| line.starts_with("        parameters: "))
        .collect();
    assert_eq!(
        parameters,
        [
            "        parameters: {",
            "        parameters: operations[\"ping\"][\"parameters\"];",
            "        parameters: {",
            "        parameters: {",
            "        parameters: operations[\"list\"][\"parameters\"];",
            "        parameters: {",
        ],
        "{code}"
    );
    let paths = code.split("export interface operations").next().unwrap();
    assert!(!paths.contains("[\"parameters\"]"), "{code}");
}
