use super::*;
use contracts_model::{InMemory, build};
use serde_json::{Value, json};

fn contract_of(paths: Value, schemas: Value) -> Contract {
    let document = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths, "components": {"schemas": schemas}});
    let (contract, diagnostics) = build(&mut InMemory::new("api.yaml", document));
    // A typo in a test spec would otherwise test a degraded contract.
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    contract.unwrap()
}

fn generate_document(paths: Value, schemas: Value) -> Module {
    module(&contract_of(paths, schemas), &Options::default(), true).unwrap()
}

fn generate_for(schemas: Value) -> String {
    generate_document(json!({}), schemas).code
}

/// `code` with whitespace runs squeezed, so checks can span lines.
fn squeezed(code: &str) -> String {
    code.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn structs_enums_options_and_recursion() {
    let code = generate_for(json!({
        "Order": {"type": "object", "required": ["id", "status"], "properties": {
            "id": {"type": "string", "format": "uuid"},
            "status": {"$ref": "#/components/schemas/Status"},
            "note": {"type": ["string", "null"]},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}},
            "type": {"type": "string"}
        }},
        "Status": {"type": "string", "enum": ["paid", "in-transit", "2fa"]}
    }));
    assert!(code.contains("pub struct Order"), "{code}");
    assert!(code.contains("pub id: ::uuid::Uuid"), "{code}");
    assert!(code.contains("pub status: Status"), "{code}");
    assert!(
        code.contains("pub note: ::std::option::Option<::std::string::String>"),
        "{code}"
    );
    assert!(
        code.contains("pub children: ::std::vec::Vec<Order>"),
        "{code}"
    );
    assert!(
        code.contains("pub type_: "),
        "reserved words are renamed:\n{code}"
    );
    assert!(code.contains("pub enum Status"), "{code}");
    assert!(code.contains("#[serde(rename = \"in-transit\")]"), "{code}");
}

#[test]
fn tagged_enums_all_of_maps_and_boxes() {
    let code = squeezed(&generate_for(json!({
        "Pet": {
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "kind", "mapping": {
                "cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"
            }}
        },
        "Cat": {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "cat"}, "lives": {"type": "integer"}}},
        "Dog": {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "dog"}}},
        "Named": {"allOf": [
            {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
            {"type": "object", "properties": {"tags": {"type": "object", "additionalProperties": {"type": "string"}}}}
        ]},
        "Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}},
        "Shape": {"oneOf": [
            {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "circle"}, "r": {"type": "number"}}},
            {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "square"}}}
        ], "discriminator": {"propertyName": "kind"}}
    })));
    assert!(
        code.contains("#[serde(tag = \"kind\")] pub enum Shape"),
        "inline branches with a tag are a tagged enum:\n{code}"
    );
    // typify keeps `$ref` branches as newtype variants of an untagged enum;
    // each branch's tag is a one-value type, so decoding picks the branch
    // the tag names.
    assert!(
        code.contains("#[serde(untagged)] pub enum Pet { Cat(Cat), Dog(Dog), }"),
        "{code}"
    );
    assert!(
        code.contains("pub kind: CatKind,") && code.contains("pub kind: DogKind,"),
        "a discriminator tag is typed:\n{code}"
    );
    assert!(
        code.contains("pub struct Named {") && code.contains("pub name: ::std::string::String,"),
        "allOf parts merge into one struct:\n{code}"
    );
    assert!(
        code.contains(
            "pub tags: ::std::collections::HashMap<::std::string::String, ::std::string::String>"
        ),
        "maps:\n{code}"
    );
    assert!(
        code.contains("pub next: ::std::option::Option<::std::boxed::Box<Node>>"),
        "recursion is boxed:\n{code}"
    );
}

#[test]
fn parameter_structs_have_a_field_per_parameter() {
    let generated = generate_document(
        json!({"/pets/{id}": {"get": {
            "operationId": "get-pet",
            "parameters": [
                {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
                {"name": "id", "in": "query", "schema": {"type": "string"}},
                {"name": "per_page", "in": "query", "description": "Page */ size", "schema": {"type": "integer", "default": 30}},
                {"name": "X-Request-Id", "in": "header", "required": true, "schema": {"type": "string"}}
            ],
            "responses": {"204": {"description": "done"}}
        }}, "/ping": {"get": {"responses": {"200": {"description": "pong"}}}}}),
        json!({}),
    );
    let code = squeezed(&generated.code);
    assert!(code.contains("pub struct GetPetParams"), "{code}");
    assert!(code.contains("pub id: i64"), "{code}");
    assert!(
        code.contains("pub query_id: ::std::option::Option<::std::string::String>"),
        "the second `id` is prefixed with its location:\n{code}"
    );
    assert!(
        code.contains("pub per_page: ::std::option::Option<i64>"),
        "optional parameters are options, defaults left to the server:\n{code}"
    );
    assert!(code.contains("Page */ size"), "{code}");
    assert!(
        code.contains(
            "#[serde(rename = \"X-Request-Id\")] pub x_request_id: ::std::string::String"
        ),
        "{code}"
    );
    assert!(
        !code.contains("GetPingParams"),
        "no parameters, no struct:\n{code}"
    );
    assert!(code.contains("pub enum GetPingResponse"), "{code}");
}

#[test]
fn response_enums_have_a_variant_per_status() {
    let generated = generate_document(
        json!({"/pets": {"post": {
            "operationId": "createPet",
            "summary": "Adds a pet \"quoted\" */ #[doc]",
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
            "responses": {
                "201": {"description": "created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
                "204": {"description": "nothing"},
                "4XX": {"description": "client error", "content": {"application/problem+json": {"schema": {"type": "object", "properties": {"title": {"type": "string"}}}}}},
                "default": {"description": "other", "content": {"text/plain": {"schema": {"type": "string"}}}},
                "299": {"description": "binary", "content": {"application/octet-stream": {}}}
            }
        }}}),
        json!({"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}}),
    );
    let code = squeezed(&generated.code);
    assert!(code.contains("pub type CreatePetBody = Pet;"), "{code}");
    assert!(code.contains("pub enum CreatePetResponse {"), "{code}");
    for variant in [
        "Status201(Pet)",
        "Status204,",
        "Status4xx { status: u16, body: CreatePetResponse4xx }",
        "Default { status: u16, body: ::std::string::String }",
        "Status299(::std::vec::Vec<u8>)",
    ] {
        assert!(code.contains(variant), "{variant}:\n{code}");
    }
    assert!(code.contains("pub struct CreatePetResponse4xx"), "{code}");
    assert!(code.contains("Self::Status201(..) => 201"), "{code}");
    assert!(
        code.contains("Self::Status4xx { status, .. } => *status"),
        "{code}"
    );
    assert!(
        code.contains(r#"Adds a pet \"quoted\" */ #[doc]"#)
            || code.contains(r#"Adds a pet "quoted" */ #[doc]"#),
        "summaries are doc text, escaped:\n{code}"
    );
}

#[test]
fn inline_bodies_become_named_types_with_their_examples() {
    let generated = generate_document(
        json!({"/orders": {"post": {
            "requestBody": {"content": {"application/json": {
                "schema": {"type": "object", "required": ["sku"], "properties": {"sku": {"type": "string"}}},
                "example": {"sku": "a-1"}
            }}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}},
                "examples": {"one": {"value": [{"id": 1}]}}
            }}}}
        }}}),
        json!({"Order": {"type": "object", "properties": {"id": {"type": "integer"}}, "example": {"id": 7}}}),
    );
    let code = squeezed(&generated.code);
    assert!(
        code.contains("pub struct PostOrdersBody { pub sku: ::std::string::String, #[serde(flatten)] pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>, }"),
        "{code}"
    );
    assert!(
        code.contains("pub struct PostOrdersResponse200(pub ::std::vec::Vec<Order>);"),
        "{code}"
    );
    assert!(code.contains("Status200(PostOrdersResponse200)"), "{code}");
    let examples: Vec<(&str, &Value, &str)> = generated
        .examples
        .iter()
        .map(|e| (e.rust_type.as_str(), &e.value, e.source.as_str()))
        .collect();
    assert_eq!(
        examples,
        [
            ("Order", &json!({"id": 7}), "schema Order"),
            (
                "PostOrdersBody",
                &json!({"sku": "a-1"}),
                "POST /orders request body"
            ),
            (
                "PostOrdersResponse200",
                &json!([{"id": 1}]),
                "POST /orders response 200"
            ),
        ]
    );
}

#[test]
fn names_that_collide_after_case_conversion_are_numbered() {
    let generated = generate_document(
        json!({
            "/a": {"get": {"operationId": "get_user", "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}], "responses": {"200": {"description": "ok"}}}},
            "/b": {"get": {"operationId": "getUser", "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}], "responses": {"200": {"description": "ok"}}}}
        }),
        json!({
            "auto-merge": {"type": "string"},
            "AutoMerge": {"type": "integer"},
            "GetUserParams": {"type": "boolean"}
        }),
    );
    let code = squeezed(&generated.code);
    for name in [
        "pub struct AutoMerge(pub ::std::string::String)",
        "pub struct AutoMerge2(pub i64)",
        "pub struct GetUserParams(pub bool)",
        "pub struct GetUser2Params",
        "pub enum GetUser2Response",
        "pub struct GetUser3Params",
        "pub enum GetUser3Response",
    ] {
        assert!(code.contains(name), "{name}:\n{code}");
    }
}

#[test]
fn a_schema_typify_cannot_represent_becomes_a_value_with_a_warning() {
    let generated = generate_document(
        json!({}),
        json!({
            "Fine": {"type": "object", "properties": {"odd": {"$ref": "#/components/schemas/Odd"}}},
            // typify 0.8 panics merging an `enum` that sits beside a `const`.
            "Odd": {"allOf": [{"type": "string", "enum": ["a", "b"], "const": "a"}, {"type": "string"}]}
        }),
    );
    let code = squeezed(&generated.code);
    assert!(
        code.contains("pub odd: ::std::option::Option<Odd>"),
        "{code}"
    );
    assert!(
        code.contains("pub struct Odd(pub ::serde_json::Value);"),
        "{code}"
    );
    assert_eq!(generated.warnings.len(), 1, "{:?}", generated.warnings);
    assert!(
        generated.warnings[0].starts_with("`Odd` cannot be represented by typify"),
        "{:?}",
        generated.warnings
    );
}

#[test]
fn undeclared_members_are_kept_in_extra_unless_dropped() {
    let contract = contract_of(
        json!({}),
        json!({
            "Open": {"type": "object", "properties": {"id": {"type": "integer"}}},
            "Closed": {"type": "object", "properties": {"id": {"type": "integer"}}, "additionalProperties": false},
            "Free": {"type": "object"}
        }),
    );
    let extra = "#[serde(flatten)] pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,";

    let kept = squeezed(&module(&contract, &Options::default(), true).unwrap().code);
    assert!(
        kept.contains(&format!("pub struct Open {{ #[serde(skip_serializing_if = \"::std::option::Option::is_none\")] pub id: ::std::option::Option<i64>, {extra} }}")),
        "{kept}"
    );
    assert!(
        kept.contains("#[serde(deny_unknown_fields)] pub struct Closed"),
        "{kept}"
    );
    assert_eq!(kept.matches(extra).count(), 1, "{kept}");

    let options = Options {
        keep_unknown_fields: false,
        ..Options::default()
    };
    let dropped = squeezed(&module(&contract, &options, true).unwrap().code);
    assert!(!dropped.contains("pub extra"), "{dropped}");
}

#[test]
fn manifest_names_the_crates_the_code_uses() {
    let code = generate_for(json!({"Order": {"type": "object", "properties": {
        "id": {"type": "string", "format": "uuid"}
    }}}));
    let extra = vec![("schemars".to_owned(), "\"0.8\"".to_owned())];
    let manifest = manifest(&Package::new("shop-types", extra), &code);
    assert!(manifest.contains("name = \"shop-types\""), "{manifest}");
    let dependencies = &manifest[manifest.find("[dependencies]").unwrap()..];
    assert_eq!(
        dependencies,
        "[dependencies]\nschemars = \"0.8\"\nserde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\nuuid = { version = \"1\", features = [\"serde\"] }\n"
    );
}

#[test]
fn package_names_are_what_cargo_accepts() {
    assert_eq!(package_name("shop types"), "shop-types");
    assert_eq!(package_name("2024_api"), "types-2024_api");
    assert_eq!(package_name("--"), "generated-types");
    assert_eq!(package_name("a\"\n[x]"), "a---x");
}

#[test]
fn a_crate_folder_output_is_its_manifest_and_its_code() {
    let contract = contract_of(
        json!({}),
        json!({"Id": {"type": "string", "format": "uuid"}}),
    );
    let options = Options {
        package: Some(Package::new("Shop Types", Vec::new())),
        ..Options::default()
    };
    let generated = generate(&contract, &options);
    let paths: Vec<&std::path::Path> = generated.files.iter().map(|f| f.path.as_path()).collect();
    assert_eq!(paths, CRATE_FILES.map(std::path::Path::new));
    assert!(
        generated.files[0]
            .contents
            .contains("name = \"Shop-Types\"")
    );
    assert!(
        generated.files[1]
            .contents
            .contains("pub struct Id(pub ::uuid::Uuid);")
    );
    assert_eq!(generate(&contract, &Options::default()).files.len(), 1);
}

#[test]
fn merged_parts_whose_shared_property_refers_back_degrade() {
    let generated = generate_document(
        json!({}),
        json!({
            "X": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/X"}}},
            "Y": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Y"}}},
            "Z": {"allOf": [{"$ref": "#/components/schemas/X"}, {"$ref": "#/components/schemas/Y"}]}
        }),
    );
    assert!(
        generated
            .code
            .contains("pub struct Z(pub ::serde_json::Value);"),
        "{}",
        generated.code
    );
    assert_eq!(generated.warnings.len(), 1, "{:?}", generated.warnings);
}

#[test]
fn schema_names_with_pointer_characters_resolve() {
    let code = generate_for(json!({
        "A/B": {"type": "object", "properties": {"x": {"type": "string"}}},
        "A~B": {"type": "string"},
        "Uses": {"type": "object", "properties": {
            "slash": {"$ref": "#/components/schemas/A~1B"},
            "tilde": {"$ref": "#/components/schemas/A~0B"}
        }}
    }));
    let code = squeezed(&code);
    assert!(
        code.contains("pub slash: ::std::option::Option<AB>"),
        "{code}"
    );
    assert!(
        code.contains("pub tilde: ::std::option::Option<AB2>"),
        "{code}"
    );
}

#[test]
fn a_self_referencing_all_of_degrades() {
    let generated = generate_document(
        json!({}),
        json!({"A": {"allOf": [{"$ref": "#/components/schemas/A"}, {}]}}),
    );
    assert!(
        generated
            .code
            .contains("pub struct A(pub ::serde_json::Value);"),
        "{}",
        generated.code
    );
    assert_eq!(generated.warnings.len(), 1, "{:?}", generated.warnings);
}

#[test]
fn open_objects_merged_with_a_type_that_refers_back_are_one_struct() {
    let code = squeezed(&generate_for(json!({
        "Thing": {"type": "object", "properties": {"image": {"$ref": "#/components/schemas/Image"}}},
        "Image": {"type": "object", "allOf": [{"$ref": "#/components/schemas/Thing"}],
            "properties": {"thumbnail": {"description": "A smaller one.", "$ref": "#/components/schemas/Image"}}}
    })));
    let fields = "#[serde(default)] pub image: ::std::boxed::Box<::std::option::Option<Image>>, \
        #[serde(default)] pub thumbnail: ::std::boxed::Box<::std::option::Option<Image>>, \
        #[serde(flatten)] pub extra: ::serde_json::Map";
    assert!(
        code.contains(&format!("pub struct Image {{ {fields}")),
        "one struct with an extra map, no inline copies:\n{code}"
    );
}

#[test]
fn alias_chains_point_at_their_end() {
    let schemas: serde_json::Map<String, Value> = (1..50)
        .map(|i| {
            (
                format!("A{i}"),
                json!({"$ref": format!("#/components/schemas/A{}", i + 1)}),
            )
        })
        .chain([("A50".to_owned(), json!({"type": "string"}))])
        .collect();
    let code = squeezed(&generate_for(Value::Object(schemas)));
    assert!(code.contains("pub struct A1(pub A50);"), "{code}");
}

#[test]
fn later_batches_name_shared_types_instead_of_defining_them_again() {
    // Five operations make leaves enough for several batches (the crate's
    // tests use tiny ones); each response merges the shared `Pet` into an
    // inline type and holds a string enum of its own.
    let paths: serde_json::Map<String, Value> = (0..5)
        .map(|n| {
            let response = json!({"allOf": [{"$ref": "#/components/schemas/Pet"}, {
                "type": "object", "properties": {"mood": {"type": "string", "enum": ["calm", "loud"]}}
            }]});
            let operation = json!({"get": {"operationId": format!("getPet{n}"), "responses": {"200": {
                "description": "ok", "content": {"application/json": {"schema": response}}
            }}}});
            (format!("/pets{n}"), operation)
        })
        .collect();
    let generated = generate_document(
        Value::Object(paths),
        json!({
            "Pet": {"type": "object", "required": ["kind"], "properties": {
                "kind": {"$ref": "#/components/schemas/Kind"},
                "age": {"type": "integer"}
            }},
            "Kind": {"type": "string", "enum": ["cat", "dog"]}
        }),
    );
    let code = &generated.code;
    let file: syn::File = syn::parse_str(code).unwrap();
    let mut names: Vec<String> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(item) => Some(item.ident.to_string()),
            syn::Item::Enum(item) => Some(item.ident.to_string()),
            syn::Item::Mod(item) => Some(item.ident.to_string()),
            _ => None,
        })
        .collect();
    let count = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), count, "a name is defined twice:\n{code}");
    for name in ["Pet", "Kind", "error", "GetPet4Response200Mood"] {
        assert!(names.contains(&name.to_owned()), "{name} missing:\n{code}");
    }
    let squeezed = squeezed(code);
    assert!(
        squeezed.contains("pub struct GetPet4Response200 { #[serde(skip_serializing_if = \"::std::option::Option::is_none\")] pub age: ::std::option::Option<i64>, pub kind: Kind,"),
        "{code}"
    );
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
}

#[test]
fn expandable_fields_that_refer_back_keep_their_types() {
    let generated = generate_document(
        json!({}),
        json!({
            "customer": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"},
                "default_card": {"description": "The id, or the card when expanded.",
                    "anyOf": [{"type": "string", "maxLength": 5000}, {"$ref": "#/components/schemas/card"}, {"type": "null"}]}
            }},
            "card": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"},
                "customer": {"description": "The id, or the customer when expanded.",
                    "anyOf": [{"type": "string", "maxLength": 5000}, {"$ref": "#/components/schemas/customer"}, {"type": "null"}]}
            }}
        }),
    );
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let code = squeezed(&generated.code);
    assert!(code.contains("pub struct Card {"), "{code}");
    assert!(
        code.contains("pub enum CardCustomer { String(CardCustomerString), Customer(::std::boxed::Box<Customer>), Null, }"),
        "{code}"
    );
}
