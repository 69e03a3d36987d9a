//! Paths, path items, operations, parameters, request bodies, responses,
//! headers, media types and examples.

use std::collections::HashMap;
use std::sync::Arc;

use contracts_diagnostics::{Diagnostic, Severity};
use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::{At, Builder};
use crate::codes;
use crate::contract::*;
use crate::graph::{Kind, Node};
use crate::pointer;
use crate::templates::{template_names, template_shape};

const PATH_ITEM_KEYS: [&str; 5] = ["$ref", "summary", "description", "servers", "parameters"];

impl Builder<'_> {
    pub(super) fn paths(
        &mut self,
        value: &Value,
        at: &At,
        components: &Components,
        operations: &mut Vec<Operation>,
        empty_path_items: &mut IndexMap<String, Vec<Arc<Parameter>>>,
    ) {
        let Some(paths) = self.object(value, at) else {
            return;
        };
        // Templates equal up to parameter names are the same path (`/a/{x}` = `/a/{y}`):
        // an error where both declare the same method, as no router can tell them apart.
        let mut shapes: HashMap<String, (String, At, Vec<&str>)> = HashMap::new();
        for (path, item) in paths {
            let item_at = at.child(path);
            if path.starts_with("x-") {
                continue;
            }
            if !path.starts_with('/') {
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::PATH_NOT_ABSOLUTE,
                        format!("path `{path}` must start with `/`"),
                    )
                    .at(self.location(&item_at))
                    .with_help(format!("write `/{path}`")),
                );
            }
            let methods: Vec<&str> = item
                .as_object()
                .map(|map| {
                    map.keys()
                        .map(String::as_str)
                        .filter(|key| Method::from_key(key).is_some())
                        .collect()
                })
                .unwrap_or_default();
            let shape = template_shape(path);
            if let Some((first, first_at, first_methods)) = shapes.get(&shape) {
                let shared: Vec<&str> = methods
                    .iter()
                    .copied()
                    .filter(|m| first_methods.contains(m))
                    .collect();
                let (severity, detail) = if shared.is_empty() {
                    (
                        Severity::Warning,
                        "they declare different methods, but routers may confuse them".to_owned(),
                    )
                } else {
                    (
                        Severity::Error,
                        format!("both declare `{}`", shared.join("`, `")),
                    )
                };
                let related = self.location(first_at);
                let message = format!(
                    "path `{path}` is the same template as `{first}` (only parameter names differ); {detail}"
                );
                let diagnostic = match severity {
                    Severity::Error => Diagnostic::error(codes::PATH_AMBIGUOUS, message),
                    Severity::Warning => Diagnostic::warning(codes::PATH_AMBIGUOUS, message),
                };
                self.diagnostics.push(
                    diagnostic
                        .at(self.location(&item_at))
                        .with_related(related, format!("`{first}` is defined here")),
                );
            } else {
                shapes.insert(shape, (path.clone(), item_at.clone(), methods));
            }
            let before = operations.len();
            let shared = self.path_item(path, item, &item_at, components, operations, true);
            if operations.len() == before {
                empty_path_items.insert(path.clone(), shared.unwrap_or_default());
            }
        }
    }

    pub(super) fn path_item(
        &mut self,
        path: &str,
        value: &Value,
        at: &At,
        components: &Components,
        operations: &mut Vec<Operation>,
        check_template: bool,
    ) -> Option<Vec<Arc<Parameter>>> {
        // The path item's own parameters.
        self.with_target(value, at, Kind::PathItem, |b, value, at, _| {
            let item = b.object(value, at)?;
            for key in item.keys() {
                if Method::from_key(key).is_none()
                    && !PATH_ITEM_KEYS.contains(&key.as_str())
                    && !key.starts_with("x-")
                {
                    b.warn(
                        codes::UNKNOWN_FIELD,
                        &at.child(key),
                        format!("`{key}` is not a path item field; it is ignored"),
                    );
                }
            }
            let shared = b.parameter_list(item, at);
            let servers = b.servers(item, at);
            for method in Method::ALL {
                let Some(operation) = item.get(method.as_str()) else {
                    continue;
                };
                let op_at = at.child(method.as_str());
                if let Some(operation) = b.operation(
                    method,
                    path,
                    operation,
                    &op_at,
                    &shared,
                    &servers,
                    components,
                    check_template,
                ) {
                    operations.push(operation);
                }
            }
            Some(shared)
        })
        .flatten()
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        method: Method,
        path: &str,
        value: &Value,
        at: &At,
        shared: &[Arc<Parameter>],
        path_servers: &[Server],
        components: &Components,
        check_template: bool,
    ) -> Option<Operation> {
        let map = self.object(value, at)?;
        let own = self.parameter_list(map, at);
        let mut parameters: Vec<Arc<Parameter>> = shared
            .iter()
            .filter(|p| !own.iter().any(|o| o.is_same_parameter(p)))
            .cloned()
            .collect();
        parameters.extend(own);
        if check_template {
            self.check_path_parameters(path, &parameters, at);
        }
        let request_body = map
            .get("requestBody")
            .and_then(|body| self.request_body(body, &at.child("requestBody")));
        let responses = match map.get("responses") {
            Some(value) => self.responses(value, &at.child("responses")),
            None => {
                if self.version == Version::V3_0 {
                    self.error(
                        codes::MISSING_FIELD,
                        at,
                        "missing required field `responses`",
                    );
                }
                IndexMap::new()
            }
        };
        let security = self.security(map, at, components);
        let mut servers = self.servers(map, at);
        if servers.is_empty() {
            servers = path_servers.to_vec();
        }
        let callbacks = match map.get("callbacks") {
            Some(Value::Object(callbacks)) => {
                let callbacks_at = at.child("callbacks");
                self.keep_verbatim_entries(
                    Node::Component(Kind::Callback),
                    callbacks,
                    &callbacks_at,
                );
                callbacks
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            }
            Some(other) => {
                self.wrong_type(&at.child("callbacks"), "an object", other);
                IndexMap::new()
            }
            None => IndexMap::new(),
        };
        Some(Operation {
            loc: at.loc(),
            method,
            path: path.to_owned(),
            operation_id: self.string(map, "operationId", at),
            summary: self.string(map, "summary", at),
            description: self.string(map, "description", at),
            tags: if map.contains_key("tags") {
                self.strings(map, "tags", at)
            } else {
                Vec::new()
            },
            deprecated: self.boolean(map, "deprecated", at).unwrap_or(false),
            parameters,
            path_item_parameters: shared.to_vec(),
            request_body,
            responses,
            security,
            servers,
            callbacks,
            extensions: Self::extensions(map),
        })
    }

    fn check_path_parameters(&mut self, path: &str, parameters: &[Arc<Parameter>], at: &At) {
        let names = template_names(path);
        for name in &names {
            let declared = parameters
                .iter()
                .any(|p| p.location == ParameterLocation::Path && p.name == *name);
            if !declared {
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::PATH_PARAM_UNDECLARED,
                        format!("path template parameter `{{{name}}}` of `{path}` has no matching `in: path` parameter"),
                    )
                    .at(self.location(at))
                    .with_help(format!("declare `- {{ name: {name}, in: path, required: true, schema: {{ type: string }} }}`")),
                );
            }
        }
        for parameter in parameters
            .iter()
            .filter(|p| p.location == ParameterLocation::Path)
        {
            let at = At {
                file: parameter.loc.file,
                pointer: parameter.loc.pointer.clone(),
            };
            if !names.contains(&parameter.name.as_str()) {
                self.error(
                    codes::PATH_PARAM_NOT_IN_TEMPLATE,
                    &at,
                    format!(
                        "path parameter `{}` does not appear in the template `{path}`",
                        parameter.name
                    ),
                );
            } else if !parameter.required {
                self.error(
                    codes::PATH_PARAM_NOT_REQUIRED,
                    &at,
                    format!(
                        "path parameter `{}` must have `required: true`",
                        parameter.name
                    ),
                );
            }
        }
    }

    pub(super) fn check_operation_ids(&mut self, operations: &[Operation]) {
        let mut seen: HashMap<&str, &Operation> = HashMap::new();
        for operation in operations {
            let Some(id) = operation.operation_id.as_deref() else {
                continue;
            };
            match seen.get(id) {
                Some(first) => {
                    let at = At {
                        file: operation.loc.file,
                        pointer: pointer::push(&operation.loc.pointer, "operationId"),
                    };
                    let first_at = At {
                        file: first.loc.file,
                        pointer: pointer::push(&first.loc.pointer, "operationId"),
                    };
                    let related = self.location(&first_at);
                    self.diagnostics.push(
                        Diagnostic::error(
                            codes::DUPLICATE_OPERATION_ID,
                            format!(
                                "operationId `{id}` of {} is already used by {}",
                                operation.label(),
                                first.label()
                            ),
                        )
                        .at(self.location(&at))
                        .with_related(related, "first used here"),
                    );
                }
                None => {
                    seen.insert(id, operation);
                }
            }
        }
    }

    fn parameter_list(&mut self, map: &Map<String, Value>, at: &At) -> Vec<Arc<Parameter>> {
        let Some(items) = self.array(map, "parameters", at) else {
            return Vec::new();
        };
        let at = at.child("parameters");
        let mut out: Vec<Arc<Parameter>> = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let item_at = at.index(index);
            let Some(parameter) = self.parameter(item, &item_at) else {
                continue;
            };
            if let Some(first) = out.iter().find(|p| p.is_same_parameter(&parameter)) {
                let first_at = At {
                    file: first.loc.file,
                    pointer: first.loc.pointer.clone(),
                };
                let related = self.location(&first_at);
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::DUPLICATE_PARAMETER,
                        format!(
                            "parameter `{}` in {} is declared twice",
                            parameter.name,
                            parameter.location.as_str()
                        ),
                    )
                    .at(self.location(&item_at))
                    .with_related(related, "first declared here"),
                );
                continue;
            }
            out.push(parameter);
        }
        out
    }

    pub(super) fn parameter(&mut self, value: &Value, at: &At) -> Option<Arc<Parameter>> {
        self.shared(
            value,
            at,
            Kind::Parameter,
            |b| &mut b.shared_parameters,
            |b, value, at, component| {
                let map = b.object(value, at)?;
                let name = b.string(map, "name", at);
                let location_name = b.string(map, "in", at);
                for (key, present) in [("name", name.is_some()), ("in", location_name.is_some())] {
                    if !present && !map.contains_key(key) {
                        b.error(
                            codes::MISSING_FIELD,
                            at,
                            format!("missing required field `{key}` in parameter"),
                        );
                    }
                }
                let location = match ParameterLocation::parse(location_name.as_deref()?) {
                    Some(location) => location,
                    None => {
                        b.error(
                            codes::INVALID_VALUE,
                            &at.child("in"),
                            format!(
                                "`in: {}` must be path, query, header or cookie",
                                location_name.unwrap_or_default()
                            ),
                        );
                        return None;
                    }
                };
                let schema = map
                    .get("schema")
                    .map(|schema| b.schema(schema, &at.child("schema")));
                let content = b.content(map, at);
                if schema.is_none() && content.is_empty() {
                    b.error(
                        codes::MISSING_FIELD,
                        at,
                        format!(
                            "parameter `{}` needs a `schema` or a `content`",
                            name.as_deref().unwrap_or_default()
                        ),
                    );
                }
                Some(Parameter {
                    loc: at.loc(),
                    name: name?,
                    location,
                    required: b.boolean(map, "required", at).unwrap_or(false),
                    deprecated: b.boolean(map, "deprecated", at).unwrap_or(false),
                    description: b.string(map, "description", at),
                    schema,
                    content,
                    style: b.string(map, "style", at),
                    explode: b.boolean(map, "explode", at),
                    examples: b.examples(map, at),
                    extensions: Self::extensions(map),
                    component,
                })
            },
        )
    }

    pub(super) fn request_body(&mut self, value: &Value, at: &At) -> Option<Arc<RequestBody>> {
        self.shared(
            value,
            at,
            Kind::RequestBody,
            |b| &mut b.shared_bodies,
            |b, value, at, component| {
                let map = b.object(value, at)?;
                if !map.contains_key("content") {
                    b.error(
                        codes::MISSING_FIELD,
                        at,
                        "missing required field `content` in request body",
                    );
                }
                Some(RequestBody {
                    loc: at.loc(),
                    description: b.string(map, "description", at),
                    required: b.boolean(map, "required", at).unwrap_or(false),
                    content: b.content(map, at),
                    extensions: Self::extensions(map),
                    component,
                })
            },
        )
    }

    fn responses(&mut self, value: &Value, at: &At) -> IndexMap<StatusCode, Arc<Response>> {
        let mut out = IndexMap::new();
        let Some(map) = self.object(value, at) else {
            return out;
        };
        for (key, response) in map {
            if key.starts_with("x-") {
                continue;
            }
            let response_at = at.child(key);
            let Some(status) = StatusCode::parse(key) else {
                self.error(
                    codes::INVALID_STATUS_CODE,
                    &response_at,
                    format!("`{key}` is not a status code: use 100-599, 1XX-5XX or `default`"),
                );
                continue;
            };
            if let Some(response) = self.response(response, &response_at) {
                out.insert(status, response);
            }
        }
        if out.is_empty()
            && self.version == Version::V3_0
            && !map
                .keys()
                .any(|k| StatusCode::parse(k).is_none() && !k.starts_with("x-"))
        {
            self.error(
                codes::NO_RESPONSES,
                at,
                "an operation must declare at least one response",
            );
        }
        out
    }

    pub(super) fn response(&mut self, value: &Value, at: &At) -> Option<Arc<Response>> {
        self.shared(
            value,
            at,
            Kind::Response,
            |b| &mut b.shared_responses,
            |b, value, at, component| {
                let map = b.object(value, at)?;
                let description = b.string(map, "description", at);
                if description.is_none() && !map.contains_key("description") {
                    b.error(
                        codes::MISSING_FIELD,
                        at,
                        "missing required field `description` in response",
                    );
                }
                let mut headers = IndexMap::new();
                if let Some((entries, headers_at)) = b.field_object(map, "headers", at) {
                    for (name, header) in entries {
                        if let Some(header) = b.header(header, &headers_at.child(name)) {
                            headers.insert(name.clone(), header);
                        }
                    }
                }
                let links = match map.get("links") {
                    Some(Value::Object(links)) => {
                        b.keep_verbatim_entries(
                            Node::Component(Kind::Link),
                            links,
                            &at.child("links"),
                        );
                        links.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
                    }
                    _ => IndexMap::new(),
                };
                Some(Response {
                    loc: at.loc(),
                    description,
                    headers,
                    content: b.content(map, at),
                    links,
                    extensions: Self::extensions(map),
                    component,
                })
            },
        )
    }

    pub(super) fn header(&mut self, value: &Value, at: &At) -> Option<Arc<Header>> {
        self.shared(
            value,
            at,
            Kind::Header,
            |b| &mut b.shared_headers,
            |b, value, at, component| {
                let map = b.object(value, at)?;
                Some(Header {
                    loc: at.loc(),
                    description: b.string(map, "description", at),
                    required: b.boolean(map, "required", at).unwrap_or(false),
                    deprecated: b.boolean(map, "deprecated", at).unwrap_or(false),
                    schema: map
                        .get("schema")
                        .map(|schema| b.schema(schema, &at.child("schema"))),
                    content: b.content(map, at),
                    component,
                })
            },
        )
    }

    fn content(&mut self, map: &Map<String, Value>, at: &At) -> IndexMap<String, MediaType> {
        let mut out = IndexMap::new();
        let Some((entries, at)) = self.field_object(map, "content", at) else {
            return out;
        };
        for (media_type, entry) in entries {
            let entry_at = at.child(media_type);
            let Some(entry) = self.object(entry, &entry_at) else {
                continue;
            };
            if let Some(Value::Object(encodings)) = entry.get("encoding") {
                self.keep_verbatim_entries(Node::Encoding, encodings, &entry_at.child("encoding"));
            }
            out.insert(
                media_type.clone(),
                MediaType {
                    loc: entry_at.loc(),
                    schema: entry
                        .get("schema")
                        .map(|schema| self.schema(schema, &entry_at.child("schema"))),
                    examples: self.examples(entry, &entry_at),
                    encoding: entry.get("encoding").cloned(),
                },
            );
        }
        out
    }

    /// `example`, then each `examples` entry's `value`, `$ref`s followed.
    fn examples(&mut self, map: &Map<String, Value>, at: &At) -> Vec<Example> {
        let mut out: Vec<Example> = map
            .get("example")
            .map(|value| Example {
                loc: at.child("example").loc(),
                value: value.clone(),
            })
            .into_iter()
            .collect();
        let Some(Value::Object(entries)) = map.get("examples") else {
            return out;
        };
        let entries_at = at.child("examples");
        for (name, entry) in entries {
            let entry_at = entries_at.child(name);
            let Ok(target) = self.follow(entry, &entry_at) else {
                continue;
            };
            let (entry, entry_at) = match &target {
                Some(target) => (target.value(), &target.at),
                None => (entry, &entry_at),
            };
            out.extend(entry.get("value").map(|value| Example {
                loc: entry_at.child("value").loc(),
                value: value.clone(),
            }));
        }
        out
    }
}
