//! Each collision case, ref rewriting, versions, and the union property.

use std::path::PathBuf;
use std::sync::Arc;

use contracts_load::{Format, emit};
use serde_json::{Value, json};

use super::*;

/// A merge with its gateway as one document, as the tests read it. Every
/// test also checks that the gateway's text, put together from its parts,
/// is the document emitted whole.
struct Whole {
    document: Value,
    report: Report,
    diagnostics: Vec<Diagnostic>,
}

fn whole(merged: Merged) -> Whole {
    let document = merged.gateway.document();
    for format in [Format::Json, Format::Yaml] {
        assert_eq!(merged.gateway.text(format), emit(&document, format));
    }
    Whole {
        document,
        report: merged.report,
        diagnostics: merged.diagnostics,
    }
}

fn merge(services: &[Service], settings: &Settings) -> Whole {
    whole(super::merge(services, settings))
}

fn merge_cached(services: &[Service], settings: &Settings, cache: &mut Bundles) -> Whole {
    whole(super::merge_cached(services, settings, cache))
}

fn service(name: &str, prefix: &str, version: Version, document: Value) -> Service {
    let file = PathBuf::from(format!("{name}/openapi.yaml"));
    Service {
        name: name.to_owned(),
        prefix: prefix.to_owned(),
        strip_prefix: None,
        description: None,
        version,
        documents: vec![SourceDocument {
            path: file.clone(),
            display: file,
            value: Arc::new(document),
        }],
    }
}

fn settings() -> Settings {
    Settings {
        title: "Gateway".into(),
        version: "1.0.0".into(),
        servers: vec![json!({"url": "https://api.example.com"})],
        ..Settings::default()
    }
}

fn spec(version: &str, paths: Value, schemas: Value) -> Value {
    json!({
        "openapi": version,
        "info": {"title": "svc", "version": "1"},
        "servers": [{"url": "https://internal.example/v1"}],
        "paths": paths,
        "components": {"schemas": schemas}
    })
}

fn get_returning(id: &str, schema: &str) -> Value {
    json!({"get": {"operationId": id, "responses": {"200": {"description": "ok",
        "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}}}}})
}

fn address(zip_type: &str) -> Value {
    json!({"type": "object", "properties": {"zip": {"type": zip_type}}})
}

/// A 3.0 service with one operation returning its one (object) schema.
fn object_service(
    name: &str,
    prefix: &str,
    path: &str,
    operation_id: &str,
    schema: &str,
) -> Service {
    let paths = json!({ path: get_returning(operation_id, schema) });
    service(
        name,
        prefix,
        Version::V3_0,
        spec("3.0.3", paths, json!({ schema: {"type": "object"} })),
    )
}

/// A 3.0 service with one operation returning its own `Address` schema.
fn address_service(
    name: &str,
    prefix: &str,
    path: &str,
    operation_id: &str,
    zip_type: &str,
) -> Service {
    let paths = json!({ path: get_returning(operation_id, "Address") });
    service(
        name,
        prefix,
        Version::V3_0,
        spec("3.0.3", paths, json!({"Address": address(zip_type)})),
    )
}

#[test]
fn paths_get_prefixes_provenance_and_upstream_servers() {
    let user = service(
        "user",
        "/users",
        Version::V3_0,
        spec(
            "3.0.3",
            json!({"/{id}": get_returning("getUser", "U"), "/": get_returning("listUsers", "U")}),
            json!({"U": {"type": "object"}}),
        ),
    );
    let merged = merge(&[user], &settings());
    assert!(merged.diagnostics.is_empty(), "{:?}", merged.diagnostics);
    let paths = merged.document["paths"].as_object().unwrap();
    assert_eq!(paths.keys().collect::<Vec<_>>(), ["/users/{id}", "/users"]);
    let operation = &paths["/users/{id}"]["get"];
    assert_eq!(operation["x-contracts-service"], "user");
    assert_eq!(
        operation["x-contracts-upstream"],
        json!([{"url": "https://internal.example/v1"}])
    );
    assert_eq!(
        merged.document["servers"],
        json!([{"url": "https://api.example.com"}])
    );
    assert_eq!(
        merged.document["x-contracts-services"]["user"]["prefix"],
        "/users"
    );
}

#[test]
fn equal_components_are_stored_once() {
    let user = address_service("user", "/users", "/a", "a", "string");
    let order = address_service("order", "/orders", "/b", "b", "string");
    let merged = merge(&[user, order], &settings());
    let schemas = merged.document["components"]["schemas"]
        .as_object()
        .unwrap();
    assert_eq!(schemas.keys().collect::<Vec<_>>(), ["Address"]);
    assert_eq!(
        merged.report.dedupes,
        [Dedupe {
            kind: "schema".into(),
            name: "Address".into(),
            services: vec!["user".into(), "order".into()]
        }]
    );
    assert!(merged.report.renames.is_empty());
}

#[test]
fn different_components_with_one_name_are_prefixed_and_refs_follow() {
    let user = service(
        "user",
        "/users",
        Version::V3_0,
        spec(
            "3.0.3",
            json!({"/a": get_returning("a", "Address")}),
            json!({"Address": address("string"), "Home": {"$ref": "#/components/schemas/Address"}}),
        ),
    );
    let order = address_service("order", "/orders", "/b", "b", "integer");
    let merged = merge(&[user, order], &settings());
    assert!(merged.diagnostics.is_empty(), "{:?}", merged.diagnostics);
    let document = &merged.document;
    let schemas = document["components"]["schemas"].as_object().unwrap();
    assert_eq!(
        schemas.keys().collect::<Vec<_>>(),
        ["UserAddress", "OrderAddress", "Home"]
    );
    let schema_of = |path: &str| {
        document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            ["$ref"]
            .clone()
    };
    assert_eq!(schema_of("/users/a"), "#/components/schemas/UserAddress");
    assert_eq!(schema_of("/orders/b"), "#/components/schemas/OrderAddress");
    assert_eq!(schemas["Home"]["$ref"], "#/components/schemas/UserAddress");
    assert_eq!(merged.report.renames.len(), 2);
    assert_eq!(merged.report.renames[0].to, "UserAddress");
}

#[test]
fn services_with_equal_variants_share_one_prefixed_copy() {
    let user = address_service("user", "/users", "/a", "a", "string");
    let order = address_service("order", "/orders", "/b", "b", "integer");
    let payment = address_service("payment", "/payments", "/c", "c", "string");
    let merged = merge(&[user, order, payment], &settings());
    let schemas = merged.document["components"]["schemas"]
        .as_object()
        .unwrap();
    assert_eq!(
        schemas.keys().collect::<Vec<_>>(),
        ["UserAddress", "OrderAddress"]
    );
    let schema_of = |path: &str| {
        merged.document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].clone()
    };
    assert_eq!(schema_of("/payments/c"), "#/components/schemas/UserAddress");
    assert_eq!(merged.report.dedupes[0].services, ["user", "payment"]);
}

#[test]
fn error_strategy_reports_collisions_with_both_places() {
    let user = address_service("user", "/users", "/a", "get", "string");
    let order = address_service("order", "/orders", "/b", "get", "integer");
    let merged = merge(
        &[user, order],
        &Settings {
            collisions: Collisions::Error,
            ..settings()
        },
    );
    let codes: Vec<&str> = merged.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        [codes::COMPONENT_COLLISION, codes::OPERATION_ID_COLLISION]
    );
    let collision = &merged.diagnostics[0];
    assert_eq!(
        collision.location.as_ref().unwrap().file,
        PathBuf::from("user/openapi.yaml")
    );
    assert_eq!(
        collision.location.as_ref().unwrap().pointer,
        "/components/schemas/Address"
    );
    assert_eq!(
        collision.related[0].location.file,
        PathBuf::from("order/openapi.yaml")
    );
}

#[test]
fn colliding_operation_ids_get_the_service_prefix() {
    let user = object_service("user", "/users", "/{id}", "getById", "U");
    let order = object_service("order", "/orders", "/{id}", "getById", "O");
    let merged = merge(&[user, order], &settings());
    assert_eq!(
        merged.document["paths"]["/users/{id}"]["get"]["operationId"],
        "user_getById"
    );
    assert_eq!(
        merged.document["paths"]["/orders/{id}"]["get"]["operationId"],
        "order_getById"
    );
}

#[test]
fn the_same_method_and_path_from_two_services_is_an_error() {
    let a = object_service("a", "/shared", "/{id}", "one", "A");
    let b = object_service("b", "/shared", "/{key}", "two", "B");
    let merged = merge(&[a, b], &settings());
    assert_eq!(merged.diagnostics.len(), 1);
    let conflict = &merged.diagnostics[0];
    assert_eq!(conflict.code, codes::PATH_CONFLICT);
    assert!(
        conflict.message.contains("GET /shared/{key}"),
        "{}",
        conflict.message
    );
    assert!(
        conflict.message.contains("services a and b"),
        "{}",
        conflict.message
    );
    assert_eq!(
        conflict.related[0].location.file,
        PathBuf::from("a/openapi.yaml")
    );
}

/// Services `a` (a `GET`) and `b` (a `DELETE`) of one path, `/x/{id}`,
/// each with the path parameter on its path item.
fn sharing_a_path() -> [Service; 2] {
    let with_parameter = |name: &str, method: &str| {
        let mut item = json!({"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]});
        item[method] = json!({"operationId": format!("{name}_{method}"), "responses": {"204": {"description": "done"}}});
        let document = spec("3.0.3", json!({"/{id}": item}), json!({}));
        service(name, "/x", Version::V3_0, document)
    };
    [with_parameter("a", "get"), with_parameter("b", "delete")]
}

#[test]
fn services_sharing_a_path_keep_their_own_path_parameters() {
    let merged = merge(&sharing_a_path(), &settings());
    assert!(merged.diagnostics.is_empty(), "{:?}", merged.diagnostics);
    let item = &merged.document["paths"]["/x/{id}"];
    assert!(item.get("parameters").is_none());
    assert_eq!(item["get"]["parameters"][0]["name"], "id");
    assert_eq!(item["delete"]["parameters"][0]["name"], "id");
}

#[test]
fn service_security_is_pushed_down_and_scheme_renames_follow() {
    let secured = |scheme: Value| {
        let mut document = spec(
            "3.0.3",
            json!({"/a": get_returning("x", "S"), "/public": {"get": {"operationId": "p", "security": [], "responses": {"200": {"description": "ok"}}}}}),
            json!({"S": {"type": "string"}}),
        );
        document["security"] = json!([{"auth": []}]);
        document["components"]["securitySchemes"] = json!({"auth": scheme});
        document
    };
    let user = service(
        "user",
        "/users",
        Version::V3_0,
        secured(json!({"type": "http", "scheme": "bearer"})),
    );
    let mut order_spec = secured(json!({"type": "apiKey", "name": "key", "in": "header"}));
    order_spec["paths"]["/a"]["get"]["operationId"] = json!("y");
    order_spec["paths"]["/public"]["get"]["operationId"] = json!("q");
    let order = service("order", "/orders", Version::V3_0, order_spec);
    let merged = merge(&[user, order], &settings());
    let document = &merged.document;
    assert!(document.get("security").is_none());
    assert_eq!(
        document["paths"]["/users/a"]["get"]["security"],
        json!([{"UserAuth": []}])
    );
    assert_eq!(
        document["paths"]["/orders/a"]["get"]["security"],
        json!([{"OrderAuth": []}])
    );
    assert_eq!(
        document["paths"]["/orders/public"]["get"]["security"],
        json!([])
    );
    let schemes = document["components"]["securitySchemes"]
        .as_object()
        .unwrap();
    assert_eq!(
        schemes.keys().collect::<Vec<_>>(),
        ["UserAuth", "OrderAuth"]
    );
}

#[test]
fn mixed_versions_give_3_1_with_converted_schemas() {
    let old = service(
        "old",
        "/old",
        Version::V3_0,
        spec(
            "3.0.3",
            json!({"/a": get_returning("a", "N")}),
            json!({"N": {"type": "string", "nullable": true}}),
        ),
    );
    let new = service(
        "new",
        "/new",
        Version::V3_1,
        spec(
            "3.1.0",
            json!({"/b": get_returning("b", "M")}),
            json!({"M": {"type": ["string", "null"]}}),
        ),
    );
    let merged = merge(&[old, new], &settings());
    assert_eq!(merged.document["openapi"], "3.1.0");
    assert_eq!(
        merged.document["components"]["schemas"]["N"],
        json!({"type": ["string", "null"]})
    );
}

#[test]
fn pinned_3_0_refuses_3_1_constructs() {
    let new = service(
        "new",
        "/new",
        Version::V3_1,
        spec(
            "3.1.0",
            json!({"/b": get_returning("b", "M")}),
            json!({"M": {"const": 1}}),
        ),
    );
    let merged = merge(
        &[new],
        &Settings {
            openapi: Some(Version::V3_0),
            ..settings()
        },
    );
    assert_eq!(merged.document["openapi"], "3.0.3");
    assert_eq!(merged.diagnostics.len(), 1);
    assert_eq!(merged.diagnostics[0].code, codes::MERGE_VERSION);
}

#[test]
fn tags_merge_with_service_tags_and_report_conflicts() {
    let tagged = |description: &str| {
        let mut document = spec("3.0.3", json!({}), json!({}));
        document["tags"] = json!([{"name": "shared", "description": description}]);
        document
    };
    let a = service("a", "/a", Version::V3_0, tagged("first"));
    let b = service("b", "/b", Version::V3_0, tagged("second"));
    let merged = merge(
        &[a, b],
        &Settings {
            service_tags: true,
            ..settings()
        },
    );
    let names: Vec<&str> = merged.document["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a", "shared", "b"]);
    assert_eq!(merged.document["tags"][1]["description"], "first");
    assert_eq!(merged.diagnostics[0].code, codes::TAG_CONFLICT);
    assert_eq!(merged.report.conflicts.len(), 1);
}

#[test]
fn prefixed_paths_apply_strip_then_prefix() {
    assert_eq!(prefixed_path("/{id}", "/users", None), "/users/{id}");
    assert_eq!(prefixed_path("/", "/users", None), "/users");
    assert_eq!(
        prefixed_path("/v1/items", "/shop", Some("/v1")),
        "/shop/items"
    );
    assert_eq!(
        prefixed_path("/v10/items", "/shop", Some("/v1")),
        "/shop/v10/items"
    );
    assert_eq!(prefixed_path("/v1", "", Some("/v1/")), "/");
    assert_eq!(prefixed_path("/a", "/", None), "/a");
}

#[test]
fn merging_is_deterministic() {
    let make = || {
        let user = address_service("user", "/users", "/a", "a", "string");
        let order = service(
            "order",
            "/orders",
            Version::V3_1,
            spec(
                "3.1.0",
                json!({"/b": get_returning("a", "Address")}),
                json!({"Address": address("integer")}),
            ),
        );
        serde_json::to_string(&merge(&[user, order], &settings()).document).unwrap()
    };
    assert_eq!(make(), make());
}

/// A small deterministic generator (no dependency needed for this).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % bound
    }
}

/// A random service whose names (paths, schemas, operationIds) are its own.
fn random_service(rng: &mut Lcg, index: usize) -> Service {
    let mut schemas = serde_json::Map::new();
    let schema_count = 1 + rng.next(5) as usize;
    for s in 0..schema_count {
        let mut properties = serde_json::Map::new();
        for p in 0..rng.next(4) {
            let property = match rng.next(4) {
                0 if s > 0 => {
                    json!({"$ref": format!("#/components/schemas/S{index}x{}", rng.next(s as u64))})
                }
                1 => {
                    json!({"type": "array", "items": {"type": "integer", "minimum": rng.next(10)}})
                }
                2 => json!({"type": "string", "nullable": true, "enum": ["a", "b"]}),
                _ => json!({"type": "string", "format": "date-time"}),
            };
            properties.insert(format!("p{p}"), property);
        }
        schemas.insert(
            format!("S{index}x{s}"),
            json!({"type": "object", "properties": properties}),
        );
    }
    let mut paths = serde_json::Map::new();
    for o in 0..1 + rng.next(4) {
        let schema = format!("S{index}x{}", rng.next(schema_count as u64));
        let mut item = get_returning(&format!("op{index}x{o}"), &schema);
        item["get"]["parameters"] =
            json!([{"name": "q", "in": "query", "schema": {"type": "integer"}}]);
        paths.insert(format!("/r{o}/{{id{o}}}"), item);
        paths[&format!("/r{o}/{{id{o}}}")]["get"]["parameters"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": format!("id{o}"), "in": "path", "required": true, "schema": {"type": "string"}}));
    }
    service(
        &format!("svc{index}"),
        &format!("/svc{index}"),
        Version::V3_0,
        spec("3.0.3", Value::Object(paths), Value::Object(schemas)),
    )
}

/// Replaces every local `$ref` by its target, recursively (the generated specs have no cycles).
fn inline_refs(value: &Value, document: &Value) -> Value {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let target = document
                    .pointer(reference.trim_start_matches('#'))
                    .expect("ref resolves");
                return inline_refs(target, document);
            }
            Value::Object(
                map.iter()
                    .filter(|(key, _)| !key.starts_with("x-contracts-"))
                    .map(|(key, value)| (key.clone(), inline_refs(value, document)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| inline_refs(item, document))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[test]
fn merging_services_that_share_nothing_is_the_union_of_their_operations() {
    for seed in 0..20 {
        let mut rng = Lcg(seed);
        let services: Vec<Service> = (0..2 + rng.next(4) as usize)
            .map(|index| random_service(&mut rng, index))
            .collect();
        let merged = merge(
            &services,
            &Settings {
                openapi: Some(Version::V3_0),
                ..settings()
            },
        );
        assert!(
            merged.diagnostics.is_empty(),
            "seed {seed}: {:?}",
            merged.diagnostics
        );
        let gateway_paths = merged.document["paths"].as_object().unwrap();
        let total: usize = services
            .iter()
            .map(|s| s.documents[0].value["paths"].as_object().unwrap().len())
            .sum();
        assert_eq!(
            gateway_paths.len(),
            total,
            "seed {seed}: an operation was lost or invented"
        );
        for service in &services {
            let source = &service.documents[0].value;
            for (path, item) in source["paths"].as_object().unwrap() {
                let merged_item = &gateway_paths[&format!("{}{path}", service.prefix)];
                let mut expected = inline_refs(&item["get"], source);
                expected["x-contracts-upstream"] = Value::Null;
                let mut actual = inline_refs(&merged_item["get"], &merged.document);
                actual["x-contracts-upstream"] = Value::Null;
                assert_eq!(
                    actual, expected,
                    "seed {seed}: {} {path} changed",
                    service.name
                );
            }
        }
    }
}

#[test]
fn service_root_extensions_and_external_docs_are_kept() {
    let mut document = spec("3.0.3", json!({}), json!({}));
    document["x-team"] = json!("payments");
    document["externalDocs"] = json!({"url": "https://docs.example.com"});
    let merged = merge(
        &[service("pay", "/pay", Version::V3_0, document)],
        &settings(),
    );
    let entry = &merged.document["x-contracts-services"]["pay"];
    assert_eq!(entry["x-team"], "payments");
    assert_eq!(entry["externalDocs"]["url"], "https://docs.example.com");
}

#[test]
fn cached_bundles_merge_as_fresh_ones_and_an_edit_is_bundled_again() {
    let a = service(
        "a",
        "/a",
        Version::V3_0,
        spec(
            "3.0.3",
            json!({"/x": get_returning("getX", "Address")}),
            json!({"Address": address("string")}),
        ),
    );
    let b = |zip: &str| {
        service(
            "b",
            "/b",
            Version::V3_0,
            spec(
                "3.0.3",
                json!({"/y": get_returning("getY", "Address")}),
                json!({"Address": address(zip)}),
            ),
        )
    };
    let mut cache = Bundles::default();
    let services = [a.clone(), b("string")];
    let first = merge_cached(&services, &settings(), &mut cache);
    assert_eq!(first.document, merge(&services, &settings()).document);
    assert_eq!(cache.by_service.len(), 2);
    let kept_a = Arc::as_ptr(&cache.by_service[&("a".to_owned(), SchemaMode::Keep)].documents[0]);

    // `b` is edited: a new document, so a new bundle; `a` is reused as it was.
    let services = [a.clone(), b("integer")];
    let second = merge_cached(&services, &settings(), &mut cache);
    assert_eq!(second.document, merge(&services, &settings()).document);
    assert_ne!(second.document, first.document, "the edit shows");
    let schemas = second.document["components"]["schemas"]
        .as_object()
        .unwrap();
    assert!(
        schemas.contains_key("BAddress"),
        "colliding now: {schemas:?}"
    );
    assert_eq!(
        Arc::as_ptr(&cache.by_service[&("a".to_owned(), SchemaMode::Keep)].documents[0]),
        kept_a
    );

    // Back as it was: equal again (no verdict of the edited bundle is reused),
    // and only the verdicts on current bundles are kept.
    let services = [a, b("string")];
    let third = merge_cached(&services, &settings(), &mut cache);
    assert_eq!(third.document, first.document);
    assert_eq!(cache.verdicts.by_pair.len(), 1);

    // Merged again unchanged: every part is reused, none laid out again.
    let kept: Vec<*const Part> = cache.parts.values().map(Arc::as_ptr).collect();
    let fourth = merge_cached(&services, &settings(), &mut cache);
    assert_eq!(fourth.document, first.document);
    let reused: Vec<*const Part> = cache.parts.values().map(Arc::as_ptr).collect();
    assert_eq!(reused, kept);
}

#[test]
fn a_part_is_laid_out_again_exactly_when_what_it_depends_on_changes() {
    // Unchanged services keep their documents (the same `Arc`s), as in `watch`.
    let a = address_service("a", "/a", "/x", "getX", "string");
    let c = object_service("c", "/c", "/z", "getZ", "Thing");
    let b_string = address_service("b", "/b", "/y", "getY", "string");
    let b_integer = address_service("b", "/b", "/y", "getY", "integer");
    let services = |b: &Service, c_prefix: &str| {
        let mut c = c.clone();
        c.prefix = c_prefix.to_owned();
        [a.clone(), b.clone(), c]
    };
    let part_of = |cache: &Bundles, name: &str| {
        let key = cache
            .parts
            .keys()
            .find(|(service, ..)| service == name)
            .unwrap();
        Arc::as_ptr(&cache.parts[key])
    };
    let mut cache = Bundles::default();
    merge_cached(&services(&b_string, "/c"), &settings(), &mut cache);
    let before = ["a", "b", "c"].map(|name| part_of(&cache, name));

    // `b`'s `Address` now differs: `a`'s is renamed too, `c` is untouched.
    let merged = merge_cached(&services(&b_integer, "/c"), &settings(), &mut cache);
    assert_eq!(merged.report.renames.len(), 2);
    let after = ["a", "b", "c"].map(|name| part_of(&cache, name));
    assert_ne!(after[0], before[0], "a's refs are renamed");
    assert_ne!(after[1], before[1], "b is bundled again");
    assert_eq!(after[2], before[2], "c depends on neither");

    // A new prefix for `c` from the config: only `c` is laid out again.
    let merged = merge_cached(&services(&b_integer, "/things"), &settings(), &mut cache);
    assert!(merged.document["paths"].get("/things/z").is_some());
    let last = ["a", "b", "c"].map(|name| part_of(&cache, name));
    assert_eq!(last[..2], after[..2]);
    assert_ne!(last[2], after[2]);
}

/// Each pointer into the gateway with the (file, pointer) `Origins::of` gives.
fn assert_origins(gateway: &Gateway, expected: &[(&str, Option<(&str, &str)>)]) {
    let origins = gateway.origins();
    for (pointer, origin) in expected {
        let found = origins.of(pointer);
        let found = (found.as_ref()).map(|o| (o.file.to_str().unwrap(), o.pointer.as_str()));
        assert_eq!(found, *origin, "{pointer}");
    }
}

#[test]
fn gateway_pointers_lead_back_to_where_each_service_wrote_them() {
    let mut user = service(
        "user",
        "/users",
        Version::V3_0,
        spec(
            "3.0.3",
            json!({"/a": {"$ref": "paths.yaml#/A"}}),
            json!({"Address": address("string"), "Money": {"$ref": "money.yaml#/Money"}}),
        ),
    );
    let file = |path: &str, value: Value| SourceDocument {
        path: PathBuf::from(path),
        display: PathBuf::from(path),
        value: Arc::new(value),
    };
    user.documents.push(file(
        "user/paths.yaml",
        json!({"A": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json":
            {"schema": {"$ref": "openapi.yaml#/components/schemas/Address"}}}}}}}}),
    ));
    user.documents.push(file(
        "user/money.yaml",
        json!({"Money": {"type": "object", "properties": {"c": {"type": "string"}}}}),
    ));
    let order = address_service("order", "/orders", "/b", "b", "integer");
    let merged = super::merge(&[user, order], &settings());
    assert!(merged.diagnostics.is_empty(), "{:?}", merged.diagnostics);
    assert_origins(
        &merged.gateway,
        &[
            (
                "/paths/~1users~1a/get/responses/200",
                Some(("user/paths.yaml", "/A/get/responses/200")),
            ),
            (
                "/components/schemas/UserAddress/properties/zip",
                Some((
                    "user/openapi.yaml",
                    "/components/schemas/Address/properties/zip",
                )),
            ),
            (
                "/components/schemas/OrderAddress",
                Some(("order/openapi.yaml", "/components/schemas/Address")),
            ),
            // The root's `Money` is a ref to the file's, bundled as `Money2`.
            (
                "/components/schemas/Money/$ref",
                Some(("user/openapi.yaml", "/components/schemas/Money/$ref")),
            ),
            (
                "/components/schemas/Money2/properties/c",
                Some(("user/money.yaml", "/Money/properties/c")),
            ),
            ("/info/title", None),
            ("/components/schemas/Address", None),
        ],
    );
}

#[test]
fn pointers_into_a_shared_path_lead_to_the_service_of_the_operation() {
    let merged = super::merge(&sharing_a_path(), &settings());
    assert!(merged.diagnostics.is_empty(), "{:?}", merged.diagnostics);
    assert_origins(
        &merged.gateway,
        &[
            (
                "/paths/~1x~1{id}/delete/responses/204",
                Some(("b/openapi.yaml", "/paths/~1{id}/delete/responses/204")),
            ),
            (
                "/paths/~1x~1{id}/get",
                Some(("a/openapi.yaml", "/paths/~1{id}/get")),
            ),
            // The path's parameter was moved onto each operation: not where b wrote it.
            (
                "/paths/~1x~1{id}/delete/parameters/0/schema",
                Some(("b/openapi.yaml", "/paths/~1{id}/delete")),
            ),
        ],
    );
}
