//! Normalization across 3.0 and 3.1, refs, and the structural checks.

use serde_json::{Value, json};

use crate::*;

fn build_one(doc: Value) -> (Contract, Vec<contracts_diagnostics::Diagnostic>) {
    let mut documents = InMemory::new("api.yaml", doc);
    let (contract, diagnostics) = build(&mut documents);
    (contract.expect("an OpenAPI document"), diagnostics)
}

fn codes_of(diagnostics: &[contracts_diagnostics::Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code).collect()
}

fn with_schemas(version: &str, schemas: Value) -> Value {
    json!({
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas}
    })
}

fn component<'c>(contract: &'c Contract, name: &str) -> &'c SchemaObject {
    let id = contract.components.schemas[name];
    contract
        .schema(id)
        .schema
        .as_object()
        .expect("an object schema")
}

#[test]
fn nullable_3_0_and_type_array_3_1_normalize_alike() {
    let (old, old_diags) = build_one(with_schemas(
        "3.0.3",
        json!({"S": {"type": "string", "nullable": true}}),
    ));
    let (new, new_diags) = build_one(with_schemas(
        "3.1.0",
        json!({"S": {"type": ["string", "null"]}}),
    ));
    assert!(
        old_diags.is_empty() && new_diags.is_empty(),
        "{old_diags:?} {new_diags:?}"
    );
    for contract in [&old, &new] {
        let schema = component(contract, "S");
        assert_eq!(schema.types, [Type::String]);
        assert!(schema.nullable);
    }
}

#[test]
fn only_null_stays_a_type() {
    let (contract, _) = build_one(with_schemas("3.1.0", json!({"N": {"type": "null"}})));
    let schema = component(&contract, "N");
    assert_eq!(schema.types, [Type::Null]);
    assert!(!schema.nullable);
}

#[test]
fn type_null_in_3_0_is_a_warning_read_as_nullable() {
    let (contract, diagnostics) = build_one(with_schemas(
        "3.0.3",
        json!({"S": {"type": ["string", "null"]}}),
    ));
    assert_eq!(
        codes_of(&diagnostics),
        [codes::TYPE_ARRAY_IN_3_0, codes::TYPE_NULL_IN_3_0]
    );
    assert!(component(&contract, "S").nullable);
}

#[test]
fn unknown_keys_of_3_0_schemas_are_located_warnings() {
    let schemas = json!({
        "S": {"type": "object", "const": {}, "colour": "red", "x-ok": 1, "xml": {"name": "s"}},
        "R": {"$ref": "#/components/schemas/S", "/continuous_projects/{id}": null, "description": "d"}
    });
    let (_, diagnostics) = build_one(with_schemas("3.0.3", schemas.clone()));
    let found: Vec<(&str, &str, &str)> = (diagnostics.iter())
        .map(|d| {
            let pointer = d.location.as_ref().map_or("", |l| l.pointer.as_str());
            let meaning = d.message.rsplit("; ").next().unwrap_or("");
            (d.code, pointer, meaning)
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                codes::UNKNOWN_SCHEMA_KEYWORD,
                "/components/schemas/R/~1continuous_projects~1{id}",
                "beside `$ref` it is ignored"
            ),
            (
                codes::UNKNOWN_SCHEMA_KEYWORD,
                "/components/schemas/S/const",
                "read as JSON Schema 2020-12 reads it"
            ),
            (
                codes::UNKNOWN_SCHEMA_KEYWORD,
                "/components/schemas/S/colour",
                "it is ignored"
            ),
        ]
    );
    let (_, diagnostics) = build_one(with_schemas("3.1.0", schemas));
    assert!(
        diagnostics.is_empty(),
        "3.1 allows any keyword: {diagnostics:?}"
    );
}

#[test]
fn exclusive_bounds_normalize_to_numbers() {
    let (old, _) = build_one(with_schemas(
        "3.0.3",
        json!({"S": {"type": "integer", "minimum": 1, "exclusiveMinimum": true, "maximum": 9}}),
    ));
    let (new, _) = build_one(with_schemas(
        "3.1.0",
        json!({"S": {"type": "integer", "exclusiveMinimum": 1, "maximum": 9}}),
    ));
    for contract in [&old, &new] {
        let schema = component(contract, "S");
        let constraints = schema.constraints();
        assert_eq!(constraints.exclusive_minimum, Some(1.into()));
        assert_eq!(constraints.minimum, None);
        assert_eq!(constraints.maximum, Some(9.into()));
    }
}

#[test]
fn example_and_examples_join() {
    let (old, _) = build_one(with_schemas(
        "3.0.3",
        json!({"S": {"type": "string", "example": "a"}}),
    ));
    let (new, _) = build_one(with_schemas(
        "3.1.0",
        json!({"S": {"type": "string", "examples": ["a", "b"]}}),
    ));
    assert_eq!(component(&old, "S").examples, [json!("a")]);
    assert_eq!(component(&new, "S").examples, [json!("a"), json!("b")]);
}

#[test]
fn media_type_examples_keep_where_they_are_written_and_follow_refs() {
    let (contract, diagnostics) = build_one(json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
            "example": 1,
            "examples": {"inline": {"value": 2}, "shared": {"$ref": "#/components/examples/Three"}, "far": {"externalValue": "x.json"}}
        }}}}}}},
        "components": {"examples": {"Three": {"value": 3}}}
    }));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let media =
        &contract.operations[0].responses[&StatusCode::Code(200)].content["application/json"];
    let found: Vec<(&str, &Value)> = media
        .examples
        .iter()
        .map(|example| (example.loc.pointer.as_str(), &example.value))
        .collect();
    let at = "/paths/~1x/get/responses/200/content/application~1json";
    assert_eq!(
        found,
        [
            (format!("{at}/example").as_str(), &json!(1)),
            (format!("{at}/examples/inline/value").as_str(), &json!(2)),
            ("/components/examples/Three/value", &json!(3)),
        ]
    );
}

#[test]
fn const_prefix_items_and_boolean_schemas() {
    let (contract, diagnostics) = build_one(with_schemas(
        "3.1.0",
        json!({"T": {"type": "array", "prefixItems": [{"const": "x"}, true], "items": false}}),
    ));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let schema = component(&contract, "T");
    assert_eq!(schema.prefix_items.len(), 2);
    assert_eq!(
        schema.prefix_items[0].as_object().unwrap().const_value,
        Some(Box::new(json!("x")))
    );
    assert_eq!(schema.prefix_items[1], Schema::Bool(true));
    assert_eq!(schema.items, Some(Schema::Bool(false)));
}

#[test]
fn recursive_schemas_stay_references() {
    let (contract, diagnostics) = build_one(with_schemas(
        "3.0.3",
        json!({"Node": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}}),
    ));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let id = contract.components.schemas["Node"];
    let children = &component(&contract, "Node").properties["children"];
    assert_eq!(children.as_object().unwrap().items, Some(Schema::Ref(id)));
    assert_eq!(contract.schemas.len(), 1, "one identity per location");
}

#[test]
fn ref_chain_without_content_is_an_error() {
    let (_, diagnostics) = build_one(with_schemas(
        "3.0.3",
        json!({"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}}),
    ));
    assert_eq!(codes_of(&diagnostics), [codes::REF_CYCLE]);
    assert!(
        diagnostics[0].message.contains("A -> B -> A")
            || diagnostics[0].message.contains("B -> A -> B")
    );
}

fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

#[test]
fn combinator_loops_without_content_are_errors() {
    let loops = [
        json!({"Node": {"oneOf": [schema_ref("Node")]}}),
        json!({"Node": {"allOf": [schema_ref("Node")], "description": "annotations are no content"}}),
        json!({"Node": {"anyOf": [schema_ref("Node"), schema_ref("Node")]}}),
        json!({"A": {"allOf": [schema_ref("B")]}, "B": {"anyOf": [schema_ref("A")]}}),
        json!({"A": {"oneOf": [schema_ref("B")]}, "B": schema_ref("A")}),
        json!({"Node": {"oneOf": [{"allOf": [schema_ref("Node")]}]}}),
        json!({"A": {"oneOf": [schema_ref("B"), schema_ref("C")]}, "B": {"oneOf": [schema_ref("A")]}, "C": {"oneOf": [schema_ref("A")]}}),
    ];
    for schemas in loops {
        let (contract, diagnostics) = build_one(with_schemas("3.1.0", schemas.clone()));
        assert_eq!(codes_of(&diagnostics), [codes::REF_CYCLE], "{schemas}");
        assert!(
            contract
                .schemas
                .iter()
                .any(|named| named.schema == Schema::any()),
            "the loop's schemas read as any value: {schemas}"
        );
    }
    let (_, diagnostics) = build_one(with_schemas(
        "3.1.0",
        json!({"Node": {"oneOf": [schema_ref("Node")]}}),
    ));
    assert!(
        diagnostics[0].message.contains("Node -> Node"),
        "{}",
        diagnostics[0].message
    );
}

#[test]
fn recursion_that_reaches_content_is_no_loop() {
    let fine = [
        // Through properties: each level is another value.
        json!({
            "Expr": {"oneOf": [schema_ref("Lit"), schema_ref("Add")]},
            "Lit": {"type": "number"},
            "Add": {"type": "object", "properties": {"left": schema_ref("Expr"), "right": schema_ref("Expr")}}
        }),
        // A branch with content: the loop means that content.
        json!({"T": {"anyOf": [schema_ref("T"), {"type": "string"}]}}),
        json!({"A": {"oneOf": [schema_ref("A"), schema_ref("B")]}, "B": {}}),
        // Polymorphism written both ways round.
        json!({
            "Pet": {"oneOf": [schema_ref("Cat")], "discriminator": {"propertyName": "kind"}},
            "Cat": {"allOf": [schema_ref("Pet"), {"type": "object", "properties": {"kind": {"type": "string"}}}]}
        }),
        json!({"List": {"type": "array", "items": {"oneOf": [schema_ref("List")]}}}),
    ];
    for schemas in fine {
        let (_, diagnostics) = build_one(with_schemas("3.1.0", schemas.clone()));
        assert_eq!(codes_of(&diagnostics), Vec::<&str>::new(), "{schemas}");
    }
}

#[test]
fn aliases_resolve_to_content() {
    let (contract, diagnostics) = build_one(with_schemas(
        "3.0.3",
        json!({"A": {"$ref": "#/components/schemas/B"}, "B": {"type": "string"}}),
    ));
    assert!(diagnostics.is_empty());
    let a = contract.components.schemas["A"];
    let resolved = contract.resolve(&contract.schema(a).schema);
    assert_eq!(resolved.as_object().unwrap().types, [Type::String]);
}

#[test]
fn ref_siblings_apply_in_3_1_only() {
    let doc = |version| {
        with_schemas(
            version,
            json!({"B": {"type": "string"}, "A": {"$ref": "#/components/schemas/B", "minLength": 2}}),
        )
    };
    let (old, _) = build_one(doc("3.0.3"));
    let (new, _) = build_one(doc("3.1.0"));
    let b = new.components.schemas["B"];
    assert!(matches!(
        old.schema(old.components.schemas["A"]).schema,
        Schema::Ref(_)
    ));
    let a = component(&new, "A");
    assert_eq!(a.all_of, [Schema::Ref(b)]);
    assert_eq!(a.constraints().min_length, Some(2));
}

#[test]
fn discriminator_mapping_accepts_bare_names_and_refs() {
    let (contract, diagnostics) = build_one(with_schemas(
        "3.0.3",
        json!({
            "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                    "discriminator": {"propertyName": "kind", "mapping": {"cat": "Cat", "dog": "#/components/schemas/Dog"}}},
            "Cat": {"type": "object"},
            "Dog": {"type": "object"}
        }),
    ));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let mapping = &component(&contract, "Pet")
        .discriminator
        .as_ref()
        .unwrap()
        .mapping;
    assert_eq!(mapping["cat"], contract.components.schemas["Cat"]);
    assert_eq!(mapping["dog"], contract.components.schemas["Dog"]);
}

#[test]
fn null_schema_is_a_warning_read_as_any() {
    let (contract, diagnostics) = build_one(with_schemas(
        "3.0.3",
        json!({"S": {"type": "object", "properties": {"x": null}}}),
    ));
    assert_eq!(codes_of(&diagnostics), [codes::NULL_SCHEMA]);
    assert_eq!(component(&contract, "S").properties["x"], Schema::any());
}

#[test]
fn external_files_resolve_relative_to_the_referring_file() {
    let root = json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": {"$ref": "schemas/a.yaml#/A"}}}}}}}}
    });
    let a = json!({"A": {"type": "object", "properties": {"b": {"$ref": "b.yaml"}}}});
    let b = json!({"type": "string"});
    let mut documents = InMemory::new("api.yaml", root)
        .with("schemas/a.yaml", a)
        .with("schemas/b.yaml", b);
    let (contract, diagnostics) = build(&mut documents);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let contract = contract.unwrap();
    let names: Vec<_> = contract
        .schemas
        .iter()
        .map(|s| (s.name.as_str(), contract.file(s.loc.file).to_str().unwrap()))
        .collect();
    assert_eq!(names, [("A", "schemas/a.yaml"), ("b", "schemas/b.yaml")]);
}

#[test]
fn operations_merge_path_parameters_and_keep_security() {
    let (contract, diagnostics) = build_one(json!({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "parameters": {"Id": {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}}
        },
        "paths": {"/users/{id}": {
            "parameters": [{"$ref": "#/components/parameters/Id"}, {"name": "q", "in": "query", "schema": {"type": "string"}}],
            "get": {"operationId": "getUser", "security": [],
                    "parameters": [{"name": "q", "in": "query", "required": true, "schema": {"type": "integer"}}],
                    "responses": {"200": {"description": "ok"}, "4XX": {"description": "bad"}}}
        }}
    }));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let operation = &contract.operations[0];
    assert_eq!(operation.label(), "GET /users/{id}");
    assert_eq!(operation.parameters.len(), 2);
    assert_eq!(operation.parameters[0].component.as_deref(), Some("Id"));
    assert!(
        operation.parameters[1].required,
        "the operation's own `q` wins"
    );
    assert_eq!(operation.security, Some(vec![]));
    assert_eq!(
        contract.security.as_ref().unwrap()[0]["bearer"],
        Vec::<String>::new()
    );
    assert_eq!(
        operation.responses.keys().copied().collect::<Vec<_>>(),
        [StatusCode::Code(200), StatusCode::Range(4)]
    );
}

#[test]
fn keeps_key_order_and_extensions() {
    let (contract, _) = build_one(json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "x-top": 1,
        "paths": {"/b": {"get": {"x-op": true, "responses": {"200": {"description": "ok"}}}},
                  "/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
        "components": {"schemas": {"Z": {"type": "string", "x-go-type": "Z"}, "A": {"type": "string"}}}
    }));
    assert_eq!(contract.extensions["x-top"], json!(1));
    assert_eq!(
        contract
            .operations
            .iter()
            .map(|o| o.path.as_str())
            .collect::<Vec<_>>(),
        ["/b", "/a"]
    );
    assert_eq!(contract.operations[0].extensions["x-op"], json!(true));
    assert_eq!(
        contract.components.schemas.keys().collect::<Vec<_>>(),
        ["Z", "A"]
    );
    assert_eq!(
        component(&contract, "Z").extensions.as_ref().unwrap()["x-go-type"],
        json!("Z")
    );
}

#[test]
fn every_structural_problem_is_reported_not_just_the_first() {
    let (_, diagnostics) = build_one(json!({
        "openapi": "3.0.3", "info": {"version": "1"},
        "paths": {
            "users": {"get": {"operationId": "x", "responses": {"200": {"description": "ok"}}}},
            "/a/{id}": {"get": {"operationId": "x", "responses": {"600": {"description": "?"}}}}
        }
    }));
    let mut codes = codes_of(&diagnostics);
    codes.sort_unstable();
    assert_eq!(
        codes,
        [
            codes::DUPLICATE_OPERATION_ID,
            codes::INVALID_STATUS_CODE,
            codes::MISSING_FIELD,
            codes::PATH_NOT_ABSOLUTE,
            codes::PATH_PARAM_UNDECLARED,
        ]
    );
}

#[test]
fn an_unread_swagger_version_is_named() {
    let mut documents = InMemory::new("api.yaml", json!({"swagger": "1.2"}));
    let (contract, diagnostics) = build(&mut documents);
    assert!(contract.is_none());
    let message = &diagnostics[0].message;
    assert!(message.contains("`swagger: \"1.2\"`"), "{message}");
}

#[test]
fn header_parameters_are_duplicates_whatever_their_case() {
    let (_, diagnostics) = build_one(json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {
            "parameters": [
                {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                {"name": "x-trace", "in": "header", "schema": {"type": "string"}},
                {"name": "X-Trace", "in": "query", "schema": {"type": "string"}}
            ],
            "responses": {"200": {"description": "ok"}}}}}
    }));
    assert_eq!(codes_of(&diagnostics), [codes::DUPLICATE_PARAMETER]);
    assert_eq!(
        diagnostics[0].location.as_ref().unwrap().pointer,
        "/paths/~1a/get/parameters/1"
    );
}

#[test]
fn deprecated_beside_a_ref_applies_in_3_1_only() {
    let doc = |version| {
        with_schemas(
            version,
            json!({"B": {"type": "string"}, "A": {"$ref": "#/components/schemas/B", "deprecated": true, "description": "d"}}),
        )
    };
    let (old, _) = build_one(doc("3.0.3"));
    let (new, _) = build_one(doc("3.1.0"));
    assert!(matches!(
        old.schema(old.components.schemas["A"]).schema,
        Schema::Ref(_)
    ));
    let a = component(&new, "A");
    assert_eq!(a.all_of, [Schema::Ref(new.components.schemas["B"])]);
    assert!(a.deprecated);
}

#[test]
fn refs_in_parts_kept_as_written_must_resolve() {
    let root = json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/subs": {"post": {
            "responses": {"201": {"description": "ok", "links": {"next": {"$ref": "#/components/links/Gone"}}}},
            "requestBody": {"content": {"multipart/form-data": {
                "schema": {"type": "object"},
                "encoding": {"file": {"headers": {"X-Rate": {"$ref": "#/components/headers/Rate"}}}}
            }}},
            "callbacks": {"onEvent": {"{$request.body#/url}": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "event.yaml#/Event"}}}},
                "responses": {"200": {"description": "ok"}, "400": {"$ref": "#/components/responses/Missing"}}
            }}}}
        }}},
        // A loop of refs ends the walk; it reports nothing more.
        "components": {"examples": {
            "E": {"$ref": "#/components/examples/Loop"}, "Loop": {"$ref": "#/components/examples/E"},
            "Gone": {"$ref": "#/components/examples/Nope"}, "Data": {"value": {"$ref": "not a ref: example data"}}
        }}
    });
    let event = json!({"Event": {"type": "object", "properties": {"kind": {"$ref": "#/Kind"}}}});
    let mut documents = InMemory::new("api.yaml", root).with("event.yaml", event);
    let (contract, diagnostics) = build(&mut documents);
    assert!(contract.is_some());
    let found: Vec<(&str, String)> = diagnostics
        .iter()
        .map(|d| {
            let location = d.location.as_ref().unwrap();
            (
                d.code,
                format!("{}#{}", location.file.display(), location.pointer),
            )
        })
        .collect();
    let callback = "/paths/~1subs/post/callbacks/onEvent/{$request.body#~1url}/post";
    assert_eq!(
        found,
        [
            ("ref-unresolved", "api.yaml#/components/examples/Gone/$ref".to_owned()),
            ("ref-unresolved", "api.yaml#/paths/~1subs/post/requestBody/content/multipart~1form-data/encoding/file/headers/X-Rate/$ref".to_owned()),
            ("ref-unresolved", "api.yaml#/paths/~1subs/post/responses/201/links/next/$ref".to_owned()),
            ("ref-unresolved", format!("api.yaml#{callback}/responses/400/$ref")),
            ("ref-unresolved", "event.yaml#/Event/properties/kind/$ref".to_owned()),
        ]
    );
}
