//! Stateful mocks (`Options::stateful`): collections recognised from the
//! spec get an in-memory store, so the `POST /users` of a frontend is seen
//! by its next `GET /users`. A collection is an item path, `/users/{userId}`,
//! whose `GET` answers JSON objects with an id property (named like the
//! parameter, else `id`), and the path right above it with a `GET` list
//! and/or a `POST`.
//!
//! Every answer must stay valid against the spec, so what cannot be kept
//! valid stays stateless: a list is answered from the store only when its
//! items are the stored schema and no `minItems`/`maxItems` bounds it; a body
//! only when the response schema is the stored one; a request property is
//! copied into an item only when both declare it with the very same schema
//! (and the item's is neither readOnly nor writeOnly); and the store makes
//! ids only of a kind it can keep valid (a uuid, an unbounded integer, an
//! unconstrained string).

use std::collections::HashMap;

use contracts_model::json_schema::{definition_pointer, draft7};
use contracts_model::{Contract, MediaType, Method, Operation, Schema, StatusCode, Type};

/// How a collection makes ids for new items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Uuid,
    Integer,
    String,
}

impl IdKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::Uuid => "uuid",
            IdKind::Integer => "integer",
            IdKind::String => "string",
        }
    }
}

/// An operation's part in its collection.
#[derive(Debug, PartialEq)]
pub enum Role {
    /// The list; `holder` names the property holding the items, when the
    /// list is an object rather than an array.
    List {
        holder: Option<String>,
    },
    Create(Write),
    Read {
        param: String,
        missing: Option<u16>,
    },
    Update {
        param: String,
        write: Write,
        missing: Option<u16>,
    },
    Delete {
        param: String,
        missing: Option<u16>,
    },
}

/// What a create or update takes from the request, and what it answers.
#[derive(Debug, PartialEq)]
pub struct Write {
    /// Request properties copied into the item.
    pub copy: Vec<String>,
    /// Whether its answer is the stored item (the response schema is the item's).
    pub answers_item: bool,
}

/// A collection: its item `GET` (whose answer is the stored item and the
/// seed), the id property and how ids are made.
#[derive(Debug)]
pub struct Collection<'c> {
    pub item: &'c Operation,
    /// The item's status and media type: what the seed and stored items are.
    pub status: u16,
    pub media_type: &'c str,
    pub media: &'c MediaType,
    pub id_property: String,
    pub id_kind: IdKind,
}

/// Every collection of a contract, and each operation's part in one.
#[derive(Debug, Default)]
pub struct Collections<'c> {
    pub list: Vec<Collection<'c>>,
    /// By operation label (`GET /users`): the collection's index and the role.
    pub roles: HashMap<String, (usize, Role)>,
}

/// The collections of `contract`, in document order of their item paths.
pub fn collections(contract: &Contract) -> Collections<'_> {
    let mut by_path: HashMap<(&str, Method), &Operation> = HashMap::new();
    for operation in &contract.operations {
        by_path.insert((operation.path.as_str(), operation.method), operation);
    }
    let mut found = Collections::default();
    for item in contract
        .operations
        .iter()
        .filter(|o| o.method == Method::Get)
    {
        let Some((parent, param)) = split_item_path(&item.path) else {
            continue;
        };
        let Some((status, media_type, media)) = json_success(item) else {
            continue;
        };
        let Some(schema) = &media.schema else {
            continue;
        };
        let properties = contract.declared_properties(contract.resolve(schema));
        let id_property = [param, "id"]
            .into_iter()
            .find(|name| properties.contains_key(name));
        let Some(id_property) = id_property else {
            continue;
        };
        let Some(id_kind) = id_kind(contract, properties[id_property]) else {
            continue;
        };
        let mut roles = Vec::new();
        if let Some(list) = by_path.get(&(parent, Method::Get))
            && let Some(holder) = list_holder(contract, list, schema)
        {
            roles.push((list.label(), Role::List { holder }));
        }
        if let Some(create) = by_path.get(&(parent, Method::Post)) {
            let write = write(contract, create, schema, id_property);
            roles.push((create.label(), Role::Create(write)));
        }
        // A collection is one a client can add to or list.
        if roles.is_empty() {
            continue;
        }
        let missing = |operation: &Operation| {
            (operation.responses.keys()).find_map(|status| match status {
                StatusCode::Code(404) => Some(404),
                _ => None,
            })
        };
        let param = param.to_owned();
        roles.push((
            item.label(),
            Role::Read {
                param: param.clone(),
                missing: missing(item),
            },
        ));
        for method in [Method::Put, Method::Patch] {
            if let Some(update) = by_path.get(&(item.path.as_str(), method)) {
                let write = write(contract, update, schema, id_property);
                let missing = missing(update);
                let param = param.clone();
                roles.push((
                    update.label(),
                    Role::Update {
                        param,
                        write,
                        missing,
                    },
                ));
            }
        }
        if let Some(delete) = by_path.get(&(item.path.as_str(), Method::Delete)) {
            let missing = missing(delete);
            let param = param.clone();
            roles.push((delete.label(), Role::Delete { param, missing }));
        }
        let index = found.list.len();
        found.list.push(Collection {
            item,
            status,
            media_type,
            media,
            id_property: id_property.to_owned(),
            id_kind,
        });
        for (label, role) in roles {
            found.roles.insert(label, (index, role));
        }
    }
    found
}

/// `/users/{userId}` -> (`/users`, `userId`): a path whose last segment is
/// one parameter and nothing else. `/{id}` has the parent `/`.
fn split_item_path(path: &str) -> Option<(&str, &str)> {
    let (parent, last) = path.rsplit_once('/')?;
    let param = last.strip_prefix('{')?.strip_suffix('}')?;
    if param.is_empty() || param.contains(['{', '}']) {
        return None;
    }
    Some((if parent.is_empty() { "/" } else { parent }, param))
}

/// The first 2XX an operation answers with JSON: status, media type, entry.
fn json_success(operation: &Operation) -> Option<(u16, &str, &MediaType)> {
    operation.responses.iter().find_map(|(status, response)| {
        let StatusCode::Code(code @ 200..=299) = status else {
            return None;
        };
        let (media_type, media) =
            (response.content.iter()).find(|(media_type, _)| crate::is_json(media_type))?;
        Some((*code, media_type.as_str(), media))
    })
}

/// How the store can make ids valid against the id property's schema.
fn id_kind(contract: &Contract, schema: &Schema) -> Option<IdKind> {
    let object = contract.resolve(schema).as_object()?;
    let plain = object.constraints.is_none()
        && object.enum_values.is_none()
        && object.const_value.is_none()
        && !object.nullable;
    match (object.types.as_slice(), object.format.as_deref()) {
        ([Type::String], Some("uuid")) if plain => Some(IdKind::Uuid),
        ([Type::String], None) if plain => Some(IdKind::String),
        ([Type::Integer], None | Some("int32" | "int64")) if plain => Some(IdKind::Integer),
        _ => None,
    }
}

/// Whether a list answers the items of `item`: `Some(None)` for an array of
/// them, `Some(Some(name))` for an object holding them in property `name`.
fn list_holder(contract: &Contract, list: &Operation, item: &Schema) -> Option<Option<String>> {
    let (_, _, media) = json_success(list)?;
    let schema = contract.resolve(media.schema.as_ref()?);
    let holds = |schema: &Schema| {
        let array = contract.resolve(schema).as_object()?;
        let unbounded = (array.constraints.as_ref()).is_none_or(|bounds| {
            bounds.min_items.is_none_or(|min| min == 0) && bounds.max_items.is_none()
        });
        (array.types == [Type::Array] && unbounded && array.items.as_ref() == Some(item))
            .then_some(())
    };
    if holds(schema).is_some() {
        return Some(None);
    }
    let properties = contract.declared_properties(schema);
    let mut names: Vec<&&str> = properties.keys().collect();
    // The declaration order is not kept by the map: the first name in text order.
    names.sort();
    names
        .into_iter()
        .find(|name| holds(properties[**name]).is_some())
        .map(|name| Some((*name).to_owned()))
}

/// Whether two schemas validate alike: the same, or written alike in two
/// places (equal as JSON Schema without annotations, refs by their target).
fn same(a: &Schema, b: &Schema) -> bool {
    let validation = |schema| {
        let mut value = draft7(schema, &definition_pointer);
        drop_annotations(&mut value, false);
        value
    };
    a == b || validation(a) == validation(b)
}

/// Removes what does not change validation (descriptions, examples, ...)
/// from a JSON Schema; `names` when `value` maps names to schemas
/// (`properties`), whose keys are names, not keywords.
fn drop_annotations(value: &mut serde_json::Value, names: bool) {
    const ANNOTATIONS: [&str; 9] = [
        "title",
        "description",
        "example",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$comment",
    ];
    match value {
        serde_json::Value::Object(map) => {
            if !names {
                map.retain(|key, _| !ANNOTATIONS.contains(&key.as_str()) && !key.starts_with("x-"));
            }
            for (key, inner) in map.iter_mut() {
                let holds_names = !names
                    && matches!(
                        key.as_str(),
                        "properties"
                            | "patternProperties"
                            | "definitions"
                            | "$defs"
                            | "dependentSchemas"
                    );
                drop_annotations(inner, holds_names);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                drop_annotations(item, false);
            }
        }
        _ => {}
    }
}

/// What a `POST`, `PUT` or `PATCH` copies into the item and whether it answers with it.
fn write(contract: &Contract, operation: &Operation, item: &Schema, id_property: &str) -> Write {
    let answers_item = json_success(operation)
        .and_then(|(_, _, media)| media.schema.as_ref())
        .is_some_and(|schema| same(schema, item));
    let request = (operation.request_body.as_ref())
        .and_then(|body| {
            body.content
                .iter()
                .find(|(media_type, _)| crate::is_json(media_type))
        })
        .and_then(|(_, media)| media.schema.as_ref());
    let Some(request) = request else {
        return Write {
            copy: Vec::new(),
            answers_item,
        };
    };
    let sent = contract.declared_properties(contract.resolve(request));
    let kept = contract.declared_properties(contract.resolve(item));
    let mut copy: Vec<String> = (kept.iter())
        .filter(|(name, schema)| {
            let plain = contract
                .resolve(schema)
                .as_object()
                .is_none_or(|object| !object.read_only && !object.write_only);
            **name != id_property
                && plain
                && sent.get(**name).is_some_and(|sent| same(sent, schema))
        })
        .map(|(name, _)| (*name).to_owned())
        .collect();
    copy.sort();
    Write { copy, answers_item }
}

#[cfg(test)]
mod tests {
    use contracts_model::{InMemory, build};
    use serde_json::{Value, json};

    use super::*;

    fn contract(paths: Value, schemas: Value) -> Contract {
        let document = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": paths,
            "components": {"schemas": schemas}
        });
        let (contract, diagnostics) = build(&mut InMemory::new("api.yaml", document));
        assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
        contract.unwrap()
    }

    fn json_body(schema: Value) -> Value {
        json!({"content": {"application/json": {"schema": schema}}})
    }

    fn answering(status: &str, schema: Value) -> Value {
        json!({"responses": {status: {"description": "ok", "content": {"application/json": {"schema": schema}}}, "404": {"description": "gone"}}})
    }

    fn reference(name: &str) -> Value {
        json!({"$ref": format!("#/components/schemas/{name}")})
    }

    /// `/pets` and `/pets/{petId}` over `Pet` (id: `id_schema`), the list holding items in `data`.
    fn pets(id_schema: Value) -> Contract {
        let item = json!([{"name": "petId", "in": "path", "required": true, "schema": {"type": "string"}}]);
        let mut create = answering("201", reference("Pet"));
        create["requestBody"] = json_body(reference("NewPet"));
        let mut update = answering("200", reference("Pet"));
        update["requestBody"] = json_body(reference("NewPet"));
        contract(
            json!({
                "/pets": {"get": answering("200", reference("PetList")), "post": create},
                "/pets/{petId}": {
                    "parameters": item,
                    "get": answering("200", reference("Pet")),
                    "patch": update,
                    "delete": {"responses": {"204": {"description": "gone"}, "404": {"description": "unknown"}}}
                }
            }),
            json!({
                "Pet": {"type": "object", "required": ["id", "name"], "properties": {
                    "id": id_schema, "name": {"type": "string", "description": "The pet's name."},
                    "tag": {"type": "string", "readOnly": true}, "age": {"type": "integer"}
                }},
                "NewPet": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string", "description": "How to call it."},
                    "tag": {"type": "string"}, "age": {"type": "integer", "minimum": 0}
                }},
                "PetList": {"type": "object", "required": ["data"], "properties": {
                    "data": {"type": "array", "items": reference("Pet")}, "total": {"type": "integer"}
                }}
            }),
        )
    }

    #[test]
    fn a_collection_gets_a_role_for_each_of_its_operations() {
        let contract = pets(json!({"type": "string", "format": "uuid"}));
        let found = collections(&contract);
        assert_eq!(found.list.len(), 1);
        assert_eq!(
            (found.list[0].id_property.as_str(), found.list[0].id_kind),
            ("id", IdKind::Uuid)
        );
        let role = |label: &str| &found.roles[label].1;
        assert_eq!(
            role("GET /pets"),
            &Role::List {
                holder: Some("data".into())
            }
        );
        // Only what both declare alike is copied: `name` (descriptions aside);
        // not `tag` (readOnly in the item) or `age` (bounded in the request).
        let write = Write {
            copy: vec!["name".into()],
            answers_item: true,
        };
        assert_eq!(role("POST /pets"), &Role::Create(write));
        assert_eq!(
            role("GET /pets/{petId}"),
            &Role::Read {
                param: "petId".into(),
                missing: Some(404)
            }
        );
        assert!(matches!(
            role("PATCH /pets/{petId}"),
            Role::Update {
                missing: Some(404),
                ..
            }
        ));
        assert_eq!(
            role("DELETE /pets/{petId}"),
            &Role::Delete {
                param: "petId".into(),
                missing: Some(404)
            }
        );
    }

    #[test]
    fn ids_the_store_could_not_keep_valid_leave_the_collection_stateless() {
        for id in [
            json!({"type": "string", "pattern": "^P[0-9]+$"}),
            json!({"type": "string", "format": "email"}),
            json!({"type": "integer", "maximum": 10}),
            json!({"type": "string", "enum": ["a", "b"]}),
        ] {
            assert!(collections(&pets(id.clone())).list.is_empty(), "{id}");
        }
        for (id, kind) in [
            (
                json!({"type": "integer", "format": "int64"}),
                IdKind::Integer,
            ),
            (json!({"type": "string"}), IdKind::String),
        ] {
            assert_eq!(collections(&pets(id)).list[0].id_kind, kind);
        }
    }

    #[test]
    fn item_paths_are_one_parameter_below_their_collection() {
        assert_eq!(split_item_path("/pets/{petId}"), Some(("/pets", "petId")));
        assert_eq!(split_item_path("/{id}"), Some(("/", "id")));
        assert_eq!(split_item_path("/pets/{petId}.json"), None);
        assert_eq!(split_item_path("/pets/{a}{b}"), None);
        assert_eq!(split_item_path("/pets"), None);
    }
}
