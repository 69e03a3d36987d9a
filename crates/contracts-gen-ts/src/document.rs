//! The document level: `paths` and `webhooks` (path items, operations,
//! parameters, request bodies, responses, headers, media types), `operations`
//! and `components`.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use contracts_model::{
    Contract, Header, MediaType, Method, Operation, Parameter, ParameterLocation, RequestBody,
    Response, Schema, SchemaId, Type,
};
use indexmap::IndexMap;
use oxc_ast::ast::{TSSignature, TSType};
use oxc_span::SPAN;

use crate::order::locale_compare;
use crate::schema::{element_of_itself, schema_doc};
use crate::{Context, Generator};

impl<'c, 'a> Generator<'c, 'a> {
    /// One member per path: its parameters, then each method (`get: operations["x"]`, `put?: never`);
    /// `empty` lists path items without operations, as openapi-typescript does.
    /// `urls`: the keys are URL paths (not webhook names), which
    /// `--path-params-as-types` turns into template literal types.
    pub(crate) fn path_members(
        &mut self,
        operations: &[Operation],
        empty: &IndexMap<String, Vec<Arc<Parameter>>>,
        urls: bool,
    ) -> Vec<TSSignature<'a>> {
        // The path item's own parameters, as openapi-typescript mirrors them (every method shares them).
        let mut by_path: IndexMap<&str, (&[Arc<Parameter>], Vec<&Operation>)> = IndexMap::new();
        for operation in operations {
            let item = by_path.entry(&operation.path);
            let (_, operations) = item.or_insert((&operation.path_item_parameters, Vec::new()));
            operations.push(operation);
        }
        for (path, parameters) in empty {
            by_path.entry(path).or_insert((parameters, Vec::new()));
        }
        let by_path = self.ordered(by_path.into_iter().collect(), true, |(path, _)| path);
        let ids = unique_operation_ids(self.contract);
        let mut members = Vec::new();
        // Templates already keyed: `tsc` takes the first of two equal index
        // signatures (`/jobs/{id}`, `/jobs/{name}`), so later ones are left out.
        let mut templates = HashSet::new();
        for (path, (shared, operations)) in by_path {
            let templated = (urls && self.options.path_params_as_types)
                .then(|| self.path_template(path, &operations))
                .flatten();
            if let Some((template, _)) = &templated
                && !templates.insert(template.clone())
            {
                continue;
            }
            let mut item = Vec::new();
            let shared: Vec<&Parameter> = shared.iter().map(AsRef::as_ref).collect();
            let root = if urls { "paths" } else { "webhooks" };
            // openapi-typescript's pointer has `parameters` twice here; our output once.
            self.site_root(&[root, path]);
            let mark = self.enter(&["parameters"], false, true, true);
            let parameters = self.parameters_type(&shared);
            self.leave(mark);
            item.push(self.member(SPAN, "parameters", false, false, parameters));
            for method in Method::ALL {
                let name = method.as_str();
                match operations.iter().find(|operation| {
                    operation.method == method && !self.excluded_operation(operation)
                }) {
                    Some(operation) => {
                        let span = self.ts.doc(&operation_doc(operation));
                        let ty = match operation
                            .operation_id
                            .as_deref()
                            .filter(|id| ids.contains(id))
                        {
                            Some(id) => self.ts.indexed("operations", &[id]),
                            None => {
                                self.site_root(&[root, path, name]);
                                let parameters = self.operation_parameters(operation);
                                self.operation_type(operation, parameters)
                            }
                        };
                        item.push(self.member(span, name, false, false, ty));
                    }
                    None => item.push(self.member(SPAN, name, true, false, self.ts.never())),
                }
            }
            let item = self.ts.object(item);
            members.push(match templated {
                Some((_, key)) => {
                    self.ts
                        .index_signature_of("path", key, self.options.immutable, item)
                }
                None => self.member(SPAN, path, false, false, item),
            });
        }
        members
    }

    /// `` `/users/${number}` `` for `/users/{id}` (`--path-params-as-types`):
    /// each `{name}` by its path parameter's `type` (`number` for numbers and
    /// integers, `boolean`, else `string`); the last method's declaration wins,
    /// as in openapi-typescript. `None` when the path has no `{name}`, or
    /// only boolean ones. With the type, a key that tells templates apart.
    pub(crate) fn path_template(
        &self,
        path: &str,
        operations: &[&Operation],
    ) -> Option<(String, TSType<'a>)> {
        // Like openapi-typescript's `/\{[^}]+\}/g`: from a `{` to the next `}`, not empty.
        let mut texts = Vec::new();
        let mut names = Vec::new();
        let (mut start, mut from) = (0, 0);
        while let Some(open) = path[from..].find('{').map(|at| from + at) {
            match path[open + 1..].find('}').map(|at| open + 1 + at) {
                Some(close) if close > open + 1 => {
                    texts.push(&path[start..open]);
                    names.push(&path[open + 1..close]);
                    start = close + 1;
                    from = start;
                }
                Some(_) => from = open + 1,
                None => break,
            }
        }
        if names.is_empty() {
            return None;
        }
        texts.push(&path[start..]);
        let mut declared: HashMap<&str, &Parameter> = HashMap::new();
        for method in Method::ALL {
            let of_method = operations
                .iter()
                .filter(|operation| operation.method == method);
            for parameter in of_method.flat_map(|operation| &operation.parameters) {
                if parameter.location == ParameterLocation::Path {
                    declared.insert(&parameter.name, parameter);
                }
            }
        }
        let types: Vec<Option<Type>> = names
            .iter()
            .map(|name| {
                let schema = declared.get(name).and_then(|p| p.schema.as_ref());
                match schema
                    .and_then(Schema::as_object)
                    .map(|o| o.types.as_slice())
                {
                    Some([Type::Number | Type::Integer]) => Some(Type::Number),
                    Some([Type::Boolean]) => Some(Type::Boolean),
                    _ => None,
                }
            })
            .collect();
        // Only booleans make a finite set of keys, which an index signature
        // refuses (TS1337, openapi-typescript writes it anyway): keep the key.
        if types.iter().all(|ty| *ty == Some(Type::Boolean)) {
            return None;
        }
        let kinds: Vec<&str> = (types.iter())
            .map(|ty| ty.map_or("string", Type::as_str))
            .collect();
        let text = format!("{texts:?} {kinds:?}");
        let types = (types.into_iter())
            .map(|ty| match ty {
                Some(Type::Number) => self.ts.number(),
                Some(Type::Boolean) => self.ts.boolean(),
                _ => self.ts.string(),
            })
            .collect();
        Some((text, self.ts.template(&texts, types)))
    }

    pub(crate) fn operations(&mut self) -> Vec<TSSignature<'a>> {
        let contract = self.contract;
        let ids = unique_operation_ids(self.contract);
        let mut members = Vec::new();
        // Each `parameters` object by its text: the operation that wrote it first.
        let mut written: HashMap<String, &str> = HashMap::new();
        let listed = self.listed(&contract.operations);
        let listed = (listed.into_iter().map(|operation| ("paths", operation))).chain(
            (self.listed(&contract.webhooks).into_iter()).map(|operation| ("webhooks", operation)),
        );
        for (root, operation) in listed {
            let Some(id) = operation
                .operation_id
                .as_deref()
                .filter(|id| ids.contains(id))
            else {
                continue;
            };
            let span = self.ts.doc(&operation_doc(operation));
            self.site_root(&[root, &operation.path, operation.method.as_str()]);
            // An operation whose parameters read exactly as an earlier one's
            // names those: one type instead of copies, so `tsc` relates a
            // client's arguments to fewer distinct types.
            let docs = self.ts.docs_mark();
            let mut parameters = self.operation_parameters(operation);
            match written.entry(self.ts.text_of(&parameters, docs)) {
                Entry::Occupied(first) => {
                    parameters = self.ts.indexed("operations", &[first.get(), "parameters"]);
                }
                Entry::Vacant(entry) => {
                    entry.insert(id);
                }
            }
            let ty = self.operation_type(operation, parameters);
            members.push(self.member(span, id, false, false, ty));
        }
        members
    }

    /// The operations `operations` lists: under `--alphabetize` by path, then
    /// method, as openapi-typescript meets them in its sorted path items.
    pub(crate) fn listed<'o>(&self, operations: &'o [Operation]) -> Vec<&'o Operation> {
        let mut listed: Vec<&Operation> = (operations.iter())
            .filter(|operation| !self.excluded_operation(operation))
            .collect();
        if self.options.alphabetize {
            let rank =
                |operation: &Operation| Method::ALL.iter().position(|m| *m == operation.method);
            listed.sort_by(|a, b| {
                locale_compare(&a.path, &b.path, true).then_with(|| rank(a).cmp(&rank(b)))
            });
        }
        listed
    }

    pub(crate) fn operation_parameters(&mut self, operation: &Operation) -> TSType<'a> {
        let parameters: Vec<&Parameter> = operation.parameters.iter().map(AsRef::as_ref).collect();
        self.parameters_type(&parameters)
    }

    /// `{ parameters; requestBody; responses }`, with `parameters` as given.
    pub(crate) fn operation_type(
        &mut self,
        operation: &Operation,
        parameters: TSType<'a>,
    ) -> TSType<'a> {
        let mut members = vec![self.member(SPAN, "parameters", false, false, parameters)];
        match &operation.request_body {
            Some(body) => {
                let mark = self.enter(&["requestBody"], true, true, true);
                let ty = self.request_body_type(body);
                self.leave(mark);
                members.push(self.member(SPAN, "requestBody", !body.required, false, ty));
            }
            None => members.push(self.member(SPAN, "requestBody", true, false, self.ts.never())),
        }
        let mut responses = Vec::new();
        let statuses = (operation.responses.iter())
            .map(|(status, response)| (status.to_string(), response))
            .collect();
        for (status, response) in self.ordered(statuses, true, |(status, _)| status) {
            let span = self
                .ts
                .doc(&description_doc(response.description.as_deref()));
            let ty = match &response.component {
                Some(name) => self.ts.indexed("components", &["responses", name]),
                None => {
                    let mark = self.enter(&["responses", &status], true, true, true);
                    let ty = self.response_type(response);
                    self.leave(mark);
                    ty
                }
            };
            responses.push(self.member(span, &status, false, false, ty));
        }
        members.push(self.member(SPAN, "responses", false, false, self.ts.object(responses)));
        self.ts.object(members)
    }

    /// `{ query?: {...}; header?: never; path: {...}; cookie?: never }`.
    pub(crate) fn parameters_type(&mut self, parameters: &[&Parameter]) -> TSType<'a> {
        let mut members = Vec::new();
        for location in [
            ParameterLocation::Query,
            ParameterLocation::Header,
            ParameterLocation::Path,
            ParameterLocation::Cookie,
        ] {
            let of_location: Vec<&&Parameter> = parameters
                .iter()
                .filter(|p| p.location == location && !self.excluded_parameter(p))
                .collect();
            // openapi-typescript sorts parameter names without `numeric`.
            let of_location = self.ordered(of_location, false, |p| &p.name);
            if of_location.is_empty() {
                members.push(self.member(SPAN, location.as_str(), true, false, self.ts.never()));
                continue;
            }
            let mut fields = Vec::new();
            for parameter in &of_location {
                let span = self.ts.doc(&parameter_doc(parameter));
                let ty = match &parameter.component {
                    Some(name) => self.ts.indexed("components", &["parameters", name]),
                    None => {
                        let segments = ["parameters", location.as_str(), &parameter.name];
                        let mark = self.enter(&segments, true, true, true);
                        let ty = self.parameter_value_type(parameter);
                        self.leave(mark);
                        ty
                    }
                };
                fields.push(self.member(span, &parameter.name, !parameter.required, false, ty));
            }
            let optional = !of_location.iter().any(|p| p.required);
            members.push(self.member(
                SPAN,
                location.as_str(),
                optional,
                false,
                self.ts.object(fields),
            ));
        }
        self.ts.object(members)
    }

    /// Left out under `--exclude-deprecated`: the parameter or its schema is deprecated.
    pub(crate) fn excluded_parameter(&self, parameter: &Parameter) -> bool {
        let schema = parameter.schema.as_ref().and_then(Schema::as_object);
        self.options.exclude_deprecated
            && (parameter.deprecated || schema.is_some_and(|schema| schema.deprecated))
    }

    /// A parameter's value: its schema, or the schema of its one `content` entry.
    pub(crate) fn parameter_value_type(&mut self, parameter: &Parameter) -> TSType<'a> {
        match parameter.value_schema() {
            Some(schema) => self.schema_type(schema, Context::Parameter),
            None => self.ts.unknown(),
        }
    }

    pub(crate) fn request_body_type(&mut self, body: &RequestBody) -> TSType<'a> {
        if let Some(name) = &body.component {
            return self.ts.indexed("components", &["requestBodies", name]);
        }
        let content = self.content_type(&body.content, Context::Request);
        self.ts
            .object(vec![self.member(SPAN, "content", false, false, content)])
    }

    /// `{ headers: {...; [name: string]: unknown}; content: {...} }` (`content?: never` without a body).
    pub(crate) fn response_type(&mut self, response: &Response) -> TSType<'a> {
        let mut headers = Vec::new();
        let named = self.ordered(response.headers.iter().collect(), true, |(name, _)| name);
        // openapi-typescript reads `deprecated` on the header as written, not through a `$ref`.
        let named = named.into_iter().filter(|(_, header)| {
            !(self.options.exclude_deprecated && header.deprecated && header.component.is_none())
        });
        for (name, header) in named {
            let span = self.ts.doc(&description_doc(header.description.as_deref()));
            let mark = self.enter(&["headers", name], true, true, true);
            let ty = self.header_type(header);
            self.leave(mark);
            headers.push(self.member(span, name, !header.required, false, ty));
        }
        headers.push(self.index_signature("name", self.ts.unknown()));
        let mut members = vec![self.member(SPAN, "headers", false, false, self.ts.object(headers))];
        if response.content.is_empty() {
            members.push(self.member(SPAN, "content", true, false, self.ts.never()));
        } else {
            let content = self.content_type(&response.content, Context::Other);
            members.push(self.member(SPAN, "content", false, false, content));
        }
        self.ts.object(members)
    }

    pub(crate) fn header_type(&mut self, header: &Header) -> TSType<'a> {
        if let Some(name) = &header.component {
            return self.ts.indexed("components", &["headers", name]);
        }
        if let Some(schema) = &header.schema {
            return self.schema_type(schema, Context::Other);
        }
        // openapi-typescript's pointer adds the media type (not in our output).
        let media = (header.content.iter()).find_map(|(media_type, media)| {
            media.schema.as_ref().map(|schema| (media_type, schema))
        });
        match media {
            Some((media_type, schema)) => {
                let mark = self.enter(&[media_type], false, true, true);
                let ty = self.schema_type(schema, Context::Other);
                self.leave(mark);
                ty
            }
            None => self.ts.unknown(),
        }
    }

    /// `{ "application/json": T; ... }`.
    pub(crate) fn content_type(
        &mut self,
        content: &IndexMap<String, MediaType>,
        context: Context,
    ) -> TSType<'a> {
        let mut members = Vec::new();
        let content = self.ordered(content.iter().collect(), true, |(media_type, _)| media_type);
        for (media_type, media) in content {
            let ty = match &media.schema {
                Some(schema) => {
                    let mark = self.enter(&["content", media_type], true, true, true);
                    let ty = self.schema_type(schema, context);
                    self.leave(mark);
                    ty
                }
                None => self.ts.unknown(),
            };
            members.push(self.member(SPAN, media_type, false, false, ty));
        }
        self.ts.object(members)
    }

    pub(crate) fn components(&mut self) -> Vec<TSSignature<'a>> {
        let contract = self.contract;
        let mut schemas = Vec::new();
        let names: Vec<(SchemaId, String)> = self
            .names
            .iter()
            .map(|(id, name)| (*id, name.clone()))
            .collect();
        for (id, name) in self.ordered(names, true, |(_, name)| name) {
            let schema = &contract.schema(id).schema;
            let span = self
                .ts
                .doc(&schema.as_object().map(schema_doc).unwrap_or_default());
            self.schema_site(id, &name);
            let ty = match schema
                .as_object()
                .filter(|_| self.options.enums)
                .and_then(|object| self.enum_declaration(&name, object))
            {
                Some(enum_type) => enum_type,
                None if element_of_itself(id, schema) => self.recursive_alias(id, &name, schema),
                None => self.schema_type(schema, Context::Other),
            };
            schemas.push(self.member(span, &name, false, false, ty));
        }
        let mut responses = Vec::new();
        let named = self.ordered(
            contract.components.responses.iter().collect(),
            true,
            |(name, _)| name,
        );
        for (name, response) in named {
            let span = self
                .ts
                .doc(&description_doc(response.description.as_deref()));
            self.site_root(&["components", "responses", name]);
            let ty = self.response_type(response);
            responses.push(self.member(span, name, false, false, ty));
        }
        let mut parameters = Vec::new();
        let named = self.ordered(
            contract.components.parameters.iter().collect(),
            true,
            |(name, _)| name,
        );
        for (name, parameter) in named {
            let span = self.ts.doc(&parameter_doc(parameter));
            self.site_root(&["components", "parameters", name]);
            let ty = self.parameter_value_type(parameter);
            parameters.push(self.member(span, name, false, false, ty));
        }
        let mut bodies = Vec::new();
        let named = self.ordered(
            contract.components.request_bodies.iter().collect(),
            true,
            |(name, _)| name,
        );
        for (name, body) in named {
            let span = self.ts.doc(&description_doc(body.description.as_deref()));
            self.site_root(&["components", "requestBodies", name]);
            let content = self.content_type(&body.content, Context::Request);
            let ty = self
                .ts
                .object(vec![self.member(SPAN, "content", false, false, content)]);
            bodies.push(self.member(span, name, false, false, ty));
        }
        let mut headers = Vec::new();
        let named = self.ordered(
            contract.components.headers.iter().collect(),
            true,
            |(name, _)| name,
        );
        for (name, header) in named {
            let span = self.ts.doc(&description_doc(header.description.as_deref()));
            self.site_root(&["components", "headers", name]);
            let ty = self.header_type(header);
            headers.push(self.member(span, name, false, false, ty));
        }
        let mut members = Vec::new();
        for (section, entries) in [
            ("schemas", schemas),
            ("responses", responses),
            ("parameters", parameters),
            ("requestBodies", bodies),
            ("headers", headers),
            ("pathItems", Vec::new()),
        ] {
            let ty = if entries.is_empty() {
                self.ts.never()
            } else {
                self.ts.object(entries)
            };
            members.push(self.member(SPAN, section, false, false, ty));
        }
        members
    }
}

/// operationIds that name exactly one operation: those go in `operations`.
pub(crate) fn unique_operation_ids(contract: &Contract) -> HashSet<&str> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for operation in contract.operations.iter().chain(&contract.webhooks) {
        if let Some(id) = operation.operation_id.as_deref() {
            *counts.entry(id).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(_, count)| *count == 1)
        .map(|(id, _)| id)
        .collect()
}

pub(crate) fn description_doc(description: Option<&str>) -> Vec<String> {
    description
        .map(|text| vec![format!("@description {text}")])
        .unwrap_or_default()
}

pub(crate) fn parameter_doc(parameter: &Parameter) -> Vec<String> {
    let mut lines = description_doc(parameter.description.as_deref());
    if parameter.deprecated {
        lines.insert(0, "@deprecated".to_owned());
    }
    lines
}

pub(crate) fn operation_doc(operation: &Operation) -> Vec<String> {
    let mut lines = Vec::new();
    if operation.deprecated {
        lines.push("@deprecated".to_owned());
    }
    if let Some(summary) = &operation.summary {
        lines.push(summary.clone());
    }
    if let Some(description) = &operation.description {
        lines.push(format!("@description {description}"));
    }
    lines
}
