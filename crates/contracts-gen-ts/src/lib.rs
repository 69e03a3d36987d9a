//! TypeScript types for a contract, in the shape openapi-typescript 7
//! emits (`paths`, `webhooks`, `components`, `$defs`, `operations`), so
//! `openapi-fetch`'s `createClient<paths>()` infers requests and responses.
//!
//! The code is an oxc AST printed by oxc's codegen: no string templates, so
//! names and literals from the spec are always quoted and escaped, and JSDoc
//! text cannot close its comment.
//!
//! Architecture invariant: pure. A contract in, a string out; the CLI writes it.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use contracts_diagnostics::{Diagnostic, Location};
use contracts_model::{
    Contract, Header, Loc, MediaType, Method, Operation, Parameter, ParameterLocation, RequestBody,
    Response, Schema, SchemaId, SchemaObject, Type, codes,
};
use indexmap::IndexMap;
use oxc_allocator::Allocator;
use oxc_ast::ast::{Statement, TSSignature, TSType};
use oxc_span::{SPAN, Span};
use serde_json::Value;

use contracts_ts::{Ts, is_identifier};

/// The options openapi-typescript also has keep its flag names and meaning,
/// so a project can switch without touching its code.
#[derive(Debug, Clone)]
pub struct Options {
    /// Export TypeScript `enum`s for component schemas that are enums (`--enum`).
    pub enums: bool,
    /// `--default-non-nullable` (on by default, as in openapi-typescript): a
    /// property with a `default` is required, since the server fills it in;
    /// not in parameters and request bodies, which the client may leave out.
    pub default_non_nullable: bool,
    /// `--empty-objects-unknown` (on by default, unlike openapi-typescript,
    /// see docs/compat.md): an object schema that declares no members
    /// accepts any keys; off, it is `Record<string, never>`.
    pub empty_objects_unknown: bool,
    /// `--additional-properties`: objects without an `additionalProperties`
    /// schema accept other keys (`[key: string]: unknown`).
    pub additional_properties: bool,
    /// `--properties-required-by-default`: every property of an object that
    /// has no `required` list is required.
    pub properties_required_by_default: bool,
    /// `--immutable`: every member, index signature and array is `readonly`.
    pub immutable: bool,
    /// `--export-type`: `paths`, `webhooks` and `components` are `export type`s, not interfaces.
    pub export_type: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            enums: false,
            default_non_nullable: true,
            empty_objects_unknown: true,
            additional_properties: false,
            properties_required_by_default: false,
            immutable: false,
            export_type: false,
        }
    }
}

/// The generated module, and where it reads a schema as its authors evidently
/// meant rather than to the letter (warnings).
pub struct Generated {
    pub code: String,
    pub warnings: Vec<Diagnostic>,
}

/// The generated module. Deterministic: the same contract gives the same bytes.
pub fn generate(contract: &Contract, options: &Options) -> Generated {
    let allocator = Allocator::default();
    let mut generator = Generator {
        contract,
        options,
        ts: Ts::new(&allocator),
        names: schema_names(contract),
        enums: Vec::new(),
        aliases: Vec::new(),
        alias_names: HashSet::new(),
        alias: None,
        warnings: Vec::new(),
        warned: HashSet::new(),
    };
    let statements = generator.module();
    let code = generator.ts.print(statements);
    Generated {
        code,
        warnings: generator.warnings,
    }
}

/// What a schema's own `type` and members become beside its `allOf`/`oneOf`/`anyOf`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Beside {
    /// Intersected with the composition, as JSON Schema reads it.
    Intersect,
    /// Left out: the composition says what the values are.
    Dropped,
    /// One more alternative of the `anyOf` (a map beside it, as openapi-typescript reads it).
    Alternative,
}

/// Where a schema is used: `format: binary` is a `Blob` only in request
/// bodies; a `default` makes a property required only outside requests.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Request,
    Parameter,
    Other,
}

struct Generator<'c, 'a> {
    contract: &'c Contract,
    options: &'c Options,
    ts: Ts<'a>,
    /// The name under `components["schemas"]` of every named schema.
    names: IndexMap<SchemaId, String>,
    /// `export enum`s, emitted after the interfaces.
    enums: Vec<Statement<'a>>,
    /// Type aliases of schemas that are elements of their own arrays, emitted last.
    aliases: Vec<Statement<'a>>,
    /// Their names, each once.
    alias_names: HashSet<String>,
    /// While such a schema's alias is generated: its id and the alias's name.
    alias: Option<(SchemaId, String)>,
    warnings: Vec<Diagnostic>,
    /// Schemas warned about: path items' parameters are generated twice.
    warned: HashSet<Loc>,
}

/// Component schemas keep their names; schemas reached only through file refs
/// join them under their own name (numbered when taken).
fn schema_names(contract: &Contract) -> IndexMap<SchemaId, String> {
    let mut names = IndexMap::new();
    let mut used = HashSet::new();
    for (name, id) in &contract.components.schemas {
        if !names.contains_key(id) {
            used.insert(name.clone());
            names.insert(*id, name.clone());
        }
    }
    for (index, schema) in contract.schemas.iter().enumerate() {
        let id = SchemaId(index as u32);
        if names.contains_key(&id) {
            continue;
        }
        let mut name = schema.name.clone();
        let mut counter = 2;
        while !used.insert(name.clone()) {
            name = format!("{}{counter}", schema.name);
            counter += 1;
        }
        names.insert(id, name);
    }
    names
}

impl<'a> Generator<'_, 'a> {
    fn module(&mut self) -> Vec<Statement<'a>> {
        let header = self.ts.doc(&[
            "This file was auto-generated by contracts (`contracts gen --ts`).".to_owned(),
            "Do not make direct changes to the file.".to_owned(),
        ]);
        let mut statements = Vec::new();

        let paths = self.path_members(&self.contract.operations, &self.contract.empty_path_items);
        statements.push(self.export_root(header, "paths", paths));

        if self.contract.webhooks.is_empty() {
            statements.push(self.ts.export_type(SPAN, "webhooks", self.empty_record()));
        } else {
            let webhooks = self.path_members(&self.contract.webhooks, &IndexMap::new());
            statements.push(self.export_root(SPAN, "webhooks", webhooks));
        }

        let components = self.components();
        statements.push(self.export_root(SPAN, "components", components));
        statements.push(self.ts.export_type(SPAN, "$defs", self.empty_record()));

        let operations = self.operations();
        if operations.is_empty() {
            statements.push(self.ts.export_type(SPAN, "operations", self.empty_record()));
        } else {
            statements.push(self.ts.export_interface(SPAN, "operations", operations));
        }
        statements.append(&mut self.enums);
        statements.append(&mut self.aliases);
        statements
    }

    /// `export interface paths {...}`, or `export type paths = {...}` under
    /// `--export-type` (as openapi-typescript, `operations` stays an interface).
    fn export_root(&self, span: Span, name: &str, members: Vec<TSSignature<'a>>) -> Statement<'a> {
        if self.options.export_type {
            self.ts.export_type(span, name, self.ts.object(members))
        } else {
            self.ts.export_interface(span, name, members)
        }
    }

    /// A member, `readonly` under `--immutable`.
    fn member(
        &self,
        span: Span,
        key: &str,
        optional: bool,
        readonly: bool,
        ty: TSType<'a>,
    ) -> TSSignature<'a> {
        let readonly = readonly || self.options.immutable;
        self.ts.member(span, key, optional, readonly, ty)
    }

    fn index_signature(&self, name: &str, ty: TSType<'a>) -> TSSignature<'a> {
        self.ts.index_signature(name, self.options.immutable, ty)
    }

    /// `Record<string, never>`.
    fn empty_record(&self) -> TSType<'a> {
        self.ts
            .generic("Record", vec![self.ts.string(), self.ts.never()])
    }

    // ---- paths and operations ------------------------------------------------

    /// One member per path: its parameters, then each method (`get: operations["x"]`, `put?: never`);
    /// `empty` lists path items without operations, as openapi-typescript does.
    fn path_members(
        &mut self,
        operations: &[Operation],
        empty: &IndexMap<String, Vec<Arc<Parameter>>>,
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
        let ids = unique_operation_ids(self.contract);
        let mut members = Vec::new();
        for (path, (shared, operations)) in by_path {
            let mut item = Vec::new();
            let shared: Vec<&Parameter> = shared.iter().map(AsRef::as_ref).collect();
            let parameters = self.parameters_type(&shared);
            item.push(self.member(SPAN, "parameters", false, false, parameters));
            for method in Method::ALL {
                let name = method.as_str();
                match operations
                    .iter()
                    .find(|operation| operation.method == method)
                {
                    Some(operation) => {
                        let span = self.ts.doc(&operation_doc(operation));
                        let ty = match operation
                            .operation_id
                            .as_deref()
                            .filter(|id| ids.contains(id))
                        {
                            Some(id) => self.ts.indexed("operations", &[id]),
                            None => self.operation_type(operation),
                        };
                        item.push(self.member(span, name, false, false, ty));
                    }
                    None => item.push(self.member(SPAN, name, true, false, self.ts.never())),
                }
            }
            members.push(self.member(SPAN, path, false, false, self.ts.object(item)));
        }
        members
    }

    fn operations(&mut self) -> Vec<TSSignature<'a>> {
        let contract = self.contract;
        let ids = unique_operation_ids(self.contract);
        let mut members = Vec::new();
        for operation in contract.operations.iter().chain(&contract.webhooks) {
            let Some(id) = operation
                .operation_id
                .as_deref()
                .filter(|id| ids.contains(id))
            else {
                continue;
            };
            let span = self.ts.doc(&operation_doc(operation));
            let ty = self.operation_type(operation);
            members.push(self.member(span, id, false, false, ty));
        }
        members
    }

    fn operation_type(&mut self, operation: &Operation) -> TSType<'a> {
        let parameters: Vec<&Parameter> = operation.parameters.iter().map(AsRef::as_ref).collect();
        let parameters = self.parameters_type(&parameters);
        let mut members = vec![self.member(SPAN, "parameters", false, false, parameters)];
        match &operation.request_body {
            Some(body) => {
                let ty = self.request_body_type(body);
                members.push(self.member(SPAN, "requestBody", !body.required, false, ty));
            }
            None => members.push(self.member(SPAN, "requestBody", true, false, self.ts.never())),
        }
        let mut responses = Vec::new();
        for (status, response) in &operation.responses {
            let span = self
                .ts
                .doc(&description_doc(response.description.as_deref()));
            let ty = match &response.component {
                Some(name) => self.ts.indexed("components", &["responses", name]),
                None => self.response_type(response),
            };
            responses.push(self.member(span, &status.to_string(), false, false, ty));
        }
        members.push(self.member(SPAN, "responses", false, false, self.ts.object(responses)));
        self.ts.object(members)
    }

    /// `{ query?: {...}; header?: never; path: {...}; cookie?: never }`.
    fn parameters_type(&mut self, parameters: &[&Parameter]) -> TSType<'a> {
        let mut members = Vec::new();
        for location in [
            ParameterLocation::Query,
            ParameterLocation::Header,
            ParameterLocation::Path,
            ParameterLocation::Cookie,
        ] {
            let of_location: Vec<&&Parameter> = parameters
                .iter()
                .filter(|p| p.location == location)
                .collect();
            if of_location.is_empty() {
                members.push(self.member(SPAN, location.as_str(), true, false, self.ts.never()));
                continue;
            }
            let mut fields = Vec::new();
            for parameter in &of_location {
                let span = self.ts.doc(&parameter_doc(parameter));
                let ty = match &parameter.component {
                    Some(name) => self.ts.indexed("components", &["parameters", name]),
                    None => self.parameter_value_type(parameter),
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

    /// A parameter's value: its schema, or the schema of its one `content` entry.
    fn parameter_value_type(&mut self, parameter: &Parameter) -> TSType<'a> {
        let schema = parameter.schema.as_ref().or_else(|| {
            parameter
                .content
                .values()
                .find_map(|media| media.schema.as_ref())
        });
        match schema {
            Some(schema) => self.schema_type(schema, Context::Parameter),
            None => self.ts.unknown(),
        }
    }

    fn request_body_type(&mut self, body: &RequestBody) -> TSType<'a> {
        if let Some(name) = &body.component {
            return self.ts.indexed("components", &["requestBodies", name]);
        }
        let content = self.content_type(&body.content, Context::Request);
        self.ts
            .object(vec![self.member(SPAN, "content", false, false, content)])
    }

    /// `{ headers: {...; [name: string]: unknown}; content: {...} }` (`content?: never` without a body).
    fn response_type(&mut self, response: &Response) -> TSType<'a> {
        let mut headers = Vec::new();
        for (name, header) in &response.headers {
            let span = self.ts.doc(&description_doc(header.description.as_deref()));
            let ty = self.header_type(header);
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

    fn header_type(&mut self, header: &Header) -> TSType<'a> {
        if let Some(name) = &header.component {
            return self.ts.indexed("components", &["headers", name]);
        }
        let schema = header.schema.as_ref().or_else(|| {
            header
                .content
                .values()
                .find_map(|media| media.schema.as_ref())
        });
        match schema {
            Some(schema) => self.schema_type(schema, Context::Other),
            None => self.ts.unknown(),
        }
    }

    /// `{ "application/json": T; ... }`.
    fn content_type(
        &mut self,
        content: &IndexMap<String, MediaType>,
        context: Context,
    ) -> TSType<'a> {
        let mut members = Vec::new();
        for (media_type, media) in content {
            let ty = match &media.schema {
                Some(schema) => self.schema_type(schema, context),
                None => self.ts.unknown(),
            };
            members.push(self.member(SPAN, media_type, false, false, ty));
        }
        self.ts.object(members)
    }

    // ---- components -------------------------------------------------------------

    fn components(&mut self) -> Vec<TSSignature<'a>> {
        let contract = self.contract;
        let mut schemas = Vec::new();
        let names: Vec<(SchemaId, String)> = self
            .names
            .iter()
            .map(|(id, name)| (*id, name.clone()))
            .collect();
        for (id, name) in names {
            let schema = &contract.schema(id).schema;
            let span = self
                .ts
                .doc(&schema.as_object().map(schema_doc).unwrap_or_default());
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
        for (name, response) in &contract.components.responses {
            let span = self
                .ts
                .doc(&description_doc(response.description.as_deref()));
            let ty = self.response_type(response);
            responses.push(self.member(span, name, false, false, ty));
        }
        let mut parameters = Vec::new();
        for (name, parameter) in &contract.components.parameters {
            let span = self.ts.doc(&parameter_doc(parameter));
            let ty = self.parameter_value_type(parameter);
            parameters.push(self.member(span, name, false, false, ty));
        }
        let mut bodies = Vec::new();
        for (name, body) in &contract.components.request_bodies {
            let span = self.ts.doc(&description_doc(body.description.as_deref()));
            let content = self.content_type(&body.content, Context::Request);
            let ty = self
                .ts
                .object(vec![self.member(SPAN, "content", false, false, content)]);
            bodies.push(self.member(span, name, false, false, ty));
        }
        let mut headers = Vec::new();
        for (name, header) in &contract.components.headers {
            let span = self.ts.doc(&description_doc(header.description.as_deref()));
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

    /// `export type $Tree = string | $Tree[]` for a schema that is an element
    /// of its own arrays, and a reference to it. Written in the interface,
    /// `Tree: string | components["schemas"]["Tree"][]` is a circular type to
    /// `tsc` (TS2502): only an array at the top of a type alias, of an alias,
    /// is resolved lazily.
    fn recursive_alias(&mut self, id: SchemaId, name: &str, schema: &Schema) -> TSType<'a> {
        // `$` keeps them apart from the module's other names (`paths`, enums).
        let base = format!("${}", pascal_case(name));
        let mut alias = base.clone();
        let mut counter = 2;
        while !self.alias_names.insert(alias.clone()) {
            alias = format!("{base}{counter}");
            counter += 1;
        }
        self.alias = Some((id, alias.clone()));
        let ty = self.schema_type(schema, Context::Other);
        self.alias = None;
        self.aliases.push(self.ts.export_type(SPAN, &alias, ty));
        self.ts.generic(&alias, Vec::new())
    }

    /// With `--enum`: `export enum Name {...}` for a string or number enum, and its type.
    fn enum_declaration(&mut self, name: &str, object: &SchemaObject) -> Option<TSType<'a>> {
        let values = object.enum_values.as_ref()?;
        if object.nullable
            || values.is_empty()
            || !values.iter().all(|v| v.is_string() || v.is_number())
        {
            return None;
        }
        let enum_name = pascal_case(name);
        if !is_identifier(&enum_name) {
            return None;
        }
        let mut used = HashSet::new();
        let members = values
            .iter()
            .map(|value| {
                let base = match value {
                    Value::String(text) => pascal_case(text),
                    other => format!("Value{}", other.to_string().replace(['-', '.'], "_")),
                };
                let base = if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
                    format!("Value{base}")
                } else {
                    base
                };
                let mut member = base.clone();
                let mut counter = 2;
                while !used.insert(member.clone()) {
                    member = format!("{base}{counter}");
                    counter += 1;
                }
                (member, self.literal(value))
            })
            .collect();
        let span = self.ts.doc(&schema_doc(object));
        self.enums
            .push(self.ts.export_enum(span, &enum_name, members));
        Some(self.ts.generic(&enum_name, Vec::new()))
    }

    // ---- schemas ------------------------------------------------------------------

    fn schema_type(&mut self, schema: &Schema, context: Context) -> TSType<'a> {
        match schema {
            Schema::Ref(id) => match &self.alias {
                Some((alias_id, alias)) if alias_id == id => self.ts.generic(alias, Vec::new()),
                _ => {
                    let name = self.names.get(id).cloned().unwrap_or_default();
                    self.ts.indexed("components", &["schemas", &name])
                }
            },
            Schema::Bool(true) => self.ts.unknown(),
            Schema::Bool(false) => self.ts.never(),
            Schema::Object(object) => self.object_schema_type(object, context),
        }
    }

    fn object_schema_type(&mut self, object: &SchemaObject, context: Context) -> TSType<'a> {
        let beside = self.beside_composition(object);
        let mut parts = Vec::new();
        let mut spread = None;
        if let Some(value) = &object.const_value {
            parts.push(self.literal(value));
        } else if let Some(values) = &object.enum_values {
            let literals = values.iter().map(|value| self.literal(value)).collect();
            parts.push(self.ts.union(literals));
        } else if beside == Beside::Dropped {
            // The composition alone says what the values are.
        } else if !object.types.is_empty() {
            let types = object
                .types
                .iter()
                .map(|ty| self.typed(*ty, object, context))
                .collect();
            parts.push(self.ts.union(types));
        } else if let Some(implied) = implied_type(object) {
            spread = Some(implied)
                .filter(|_| beside == Beside::Intersect && self.spreads(object, implied));
            if spread.is_none() {
                parts.push(self.implied_shape(object, implied, context));
            }
        }
        for member in &object.all_of {
            parts.push(self.schema_type(member, context));
        }
        if !object.one_of.is_empty() {
            let branches = self.branches(&object.one_of, object, context);
            let branches = self.narrowed(branches, &object.one_of, spread, object, context);
            parts.push(self.ts.union(branches));
        }
        if !object.any_of.is_empty() {
            let branches = self.branches(&object.any_of, object, context);
            let mut branches = self.narrowed(branches, &object.any_of, spread, object, context);
            if beside == Beside::Alternative {
                branches.splice(0..0, parts.drain(..));
            }
            parts.push(self.ts.union(branches));
        }
        let combined = if parts.is_empty() {
            self.ts.unknown()
        } else {
            self.ts.intersection(parts)
        };
        // `type: 'null'` beside a composition it contradicts: the authors meant "or null".
        if object.nullable || (beside == Beside::Dropped && object.types == [Type::Null]) {
            self.ts.union(vec![combined, self.ts.null()])
        } else {
            combined
        }
    }

    /// The object or array shape that members without a `type` describe.
    fn implied_shape(
        &mut self,
        object: &SchemaObject,
        implied: Type,
        context: Context,
    ) -> TSType<'a> {
        match implied {
            Type::Object => self.object_shape(object, context),
            _ => self.array_shape(object, context),
        }
    }

    /// Whether members without a `type` (`items`, `properties`), which
    /// constrain only values of their type, narrow each `oneOf`/`anyOf` branch
    /// of that type rather than the whole: beside such a composition alone
    /// with a branch of another type (`(unknown[] & string[]) | string`, not
    /// `string[] & (unknown[] | string)`, which refuses strings).
    fn spreads(&self, object: &SchemaObject, implied: Type) -> bool {
        let branches = match (&object.one_of[..], &object.any_of[..]) {
            (branches, []) | ([], branches) if object.all_of.is_empty() => branches,
            _ => return false,
        };
        branches
            .iter()
            .any(|branch| self.is_other_type(branch, implied))
    }

    /// Whether `schema` says its values have types other than `ty`.
    fn is_other_type(&self, schema: &Schema, ty: Type) -> bool {
        self.value_types(schema)
            .is_some_and(|types| !types.contains(&ty))
    }

    /// `branches` with the shape `spread` (see [`Self::spreads`]) intersected
    /// into those of its type.
    fn narrowed(
        &mut self,
        branches: Vec<TSType<'a>>,
        schemas: &[Schema],
        spread: Option<Type>,
        object: &SchemaObject,
        context: Context,
    ) -> Vec<TSType<'a>> {
        let Some(implied) = spread else {
            return branches;
        };
        branches
            .into_iter()
            .zip(schemas)
            .map(|(ty, schema)| {
                if self.is_other_type(schema, implied) {
                    ty
                } else {
                    let shape = self.implied_shape(object, implied, context);
                    self.ts.intersection(vec![ty, shape])
                }
            })
            .collect()
    }

    /// What the schema's own `type` and members become beside its
    /// composition; a reading other than the letter is a warning.
    fn beside_composition(&mut self, object: &SchemaObject) -> Beside {
        let composed = [&object.all_of, &object.one_of, &object.any_of]
            .iter()
            .any(|parts| !parts.is_empty());
        if !composed || object.const_value.is_some() || object.enum_values.is_some() {
            return Beside::Intersect;
        }
        // Without `--empty-objects-unknown` an empty object is `Record<string, never>`,
        // which would refuse every key the parts declare; openapi-typescript leaves it out too.
        if !self.options.empty_objects_unknown
            && object.types == [Type::Object]
            && !object.has_object_shape()
        {
            return Beside::Dropped;
        }
        if object.properties.is_empty() {
            match &object.additional_properties {
                Some(Schema::Bool(false)) => {
                    self.warn(
                        codes::ADDITIONAL_PROPERTIES_BESIDE_COMPOSITION,
                        object,
                        "`additionalProperties: false` beside `allOf`/`oneOf`/`anyOf` refuses the properties the parts declare (it does not look into them), so no object matches; the types follow the parts".to_owned(),
                    );
                    return Beside::Dropped;
                }
                Some(Schema::Ref(_) | Schema::Object(_))
                    if object.all_of.is_empty() && object.one_of.is_empty() =>
                {
                    self.warn(
                        codes::ADDITIONAL_PROPERTIES_BESIDE_COMPOSITION,
                        object,
                        "`additionalProperties` beside `anyOf` also applies to the properties the branches declare; the types accept the map or any branch, as openapi-typescript does".to_owned(),
                    );
                    return Beside::Alternative;
                }
                _ => {}
            }
        }
        if let Some(keyword) = self.contradicting_composition(object) {
            let own: Vec<&str> = object.types.iter().map(|ty| ty.as_str()).collect();
            self.warn(
                codes::TYPE_CONTRADICTS_COMPOSITION,
                object,
                format!(
                    "`type: {}` admits no value of the `{keyword}`, so no value matches; the types follow the `{keyword}`",
                    own.join(" | ")
                ),
            );
            return Beside::Dropped;
        }
        Beside::Intersect
    }

    /// The composition keyword whose members admit no value of the schema's
    /// own `type`: any `allOf` part, or every `oneOf`/`anyOf` branch.
    fn contradicting_composition(&self, object: &SchemaObject) -> Option<&'static str> {
        if object.types.is_empty() {
            return None;
        }
        let mut own: Vec<Type> = object.types.iter().map(|ty| widened(*ty)).collect();
        if object.nullable {
            own.push(Type::Null);
        }
        let disjoint = |schema: &Schema| {
            self.value_types(schema)
                .is_some_and(|types| !types.iter().any(|ty| own.contains(ty)))
        };
        if object.all_of.iter().any(disjoint) {
            Some("allOf")
        } else if !object.one_of.is_empty() && object.one_of.iter().all(disjoint) {
            Some("oneOf")
        } else if !object.any_of.is_empty() && object.any_of.iter().all(disjoint) {
            Some("anyOf")
        } else {
            None
        }
    }

    /// The JSON types a schema's values have, as its `const`, `enum` or
    /// `type` say (integers as numbers); `None` when it does not say.
    fn value_types(&self, schema: &Schema) -> Option<Vec<Type>> {
        let object = self.contract.resolve(schema).as_object()?;
        let mut types: Vec<Type> = if let Some(value) = &object.const_value {
            vec![json_type(value)]
        } else if let Some(values) = &object.enum_values {
            values.iter().map(json_type).collect()
        } else if !object.types.is_empty() {
            object.types.iter().map(|ty| widened(*ty)).collect()
        } else {
            return None;
        };
        if object.nullable {
            types.push(Type::Null);
        }
        Some(types)
    }

    /// A warning at `object`, once per schema.
    fn warn(&mut self, code: &'static str, object: &SchemaObject, message: String) {
        if self.warned.insert(object.loc.clone()) {
            let location = Location::new(self.contract.file(object.loc.file), &object.loc.pointer);
            self.warnings
                .push(Diagnostic::warning(code, message).at(location));
        }
    }

    /// `oneOf`/`anyOf` branches; with a discriminator mapping, each mapped
    /// branch is narrowed to its tag (`Cat & { petType: "cat" }`).
    fn branches(
        &mut self,
        branches: &[Schema],
        object: &SchemaObject,
        context: Context,
    ) -> Vec<TSType<'a>> {
        let tags: HashMap<SchemaId, Vec<&str>> = match &object.discriminator {
            Some(discriminator) => {
                let mut tags: HashMap<SchemaId, Vec<&str>> = HashMap::new();
                for (tag, id) in &discriminator.mapping {
                    tags.entry(*id).or_default().push(tag);
                }
                tags
            }
            None => HashMap::new(),
        };
        branches
            .iter()
            .map(|branch| {
                let ty = self.schema_type(branch, context);
                let (Schema::Ref(id), Some(discriminator)) = (branch, &object.discriminator) else {
                    return ty;
                };
                let Some(values) = tags.get(id) else {
                    return ty;
                };
                // Only objects carry a tag property (real specs map tags to arrays too).
                let is_object = self
                    .contract
                    .resolve(branch)
                    .as_object()
                    .is_some_and(SchemaObject::is_object_type);
                if !is_object {
                    return ty;
                }
                let literals = values
                    .iter()
                    .map(|tag| self.ts.literal_string(tag))
                    .collect();
                let tag = self.member(
                    SPAN,
                    &discriminator.property_name,
                    false,
                    false,
                    self.ts.union(literals),
                );
                self.ts.intersection(vec![ty, self.ts.object(vec![tag])])
            })
            .collect()
    }

    fn typed(&mut self, ty: Type, object: &SchemaObject, context: Context) -> TSType<'a> {
        match ty {
            Type::String => {
                let binary = object.format.as_deref() == Some("binary")
                    || object.content_media_type.as_deref() == Some("application/octet-stream");
                if binary && context == Context::Request {
                    self.ts.generic("Blob", Vec::new())
                } else {
                    self.ts.string()
                }
            }
            Type::Number | Type::Integer => self.ts.number(),
            Type::Boolean => self.ts.boolean(),
            Type::Null => self.ts.null(),
            Type::Array => self.array_shape(object, context),
            Type::Object => self.object_shape(object, context),
        }
    }

    /// `T[]` or a tuple, `readonly` under `--immutable`.
    fn array_shape(&mut self, object: &SchemaObject, context: Context) -> TSType<'a> {
        let shape = self.mutable_array_shape(object, context);
        if self.options.immutable {
            self.ts.readonly(shape)
        } else {
            shape
        }
    }

    fn mutable_array_shape(&mut self, object: &SchemaObject, context: Context) -> TSType<'a> {
        if !object.prefix_items.is_empty() {
            let elements = object
                .prefix_items
                .iter()
                .map(|item| self.schema_type(item, context))
                .collect();
            let rest = match &object.items {
                Some(Schema::Bool(false)) => None,
                Some(items) => Some(self.schema_type(items, context)),
                None => Some(self.ts.unknown()),
            };
            return self.ts.tuple(elements, rest);
        }
        let element = match &object.items {
            Some(items) => self.schema_type(items, context),
            None => self.ts.unknown(),
        };
        self.ts.array(element)
    }

    /// Properties (optional unless required), plus an index signature for `additionalProperties`.
    fn object_shape(&mut self, object: &SchemaObject, context: Context) -> TSType<'a> {
        let mut members = Vec::new();
        for (name, property) in &object.properties {
            let property_object = property.as_object();
            let span = self
                .ts
                .doc(&property_object.map(schema_doc).unwrap_or_default());
            let readonly = property_object.is_some_and(|p| p.read_only);
            let ty = self.schema_type(property, context);
            let required = if self.options.default_non_nullable && context == Context::Other {
                object.is_sent(name)
            } else {
                object.is_required(name)
            } || (object.required.is_empty()
                && self.options.properties_required_by_default);
            members.push(self.member(span, name, !required, readonly, ty));
        }
        // A required name an `allOf` part declares has that part's type and
        // cannot be missing (`{ name: T } & Part`, not `T | undefined`); one
        // declared nowhere is `unknown`.
        let contract = self.contract;
        let mut declared = HashMap::new();
        for part in &object.all_of {
            for (name, schema) in contract.declared_properties(part) {
                declared.entry(name).or_insert(schema);
            }
        }
        for name in object
            .required
            .iter()
            .filter(|name| !object.properties.contains_key(*name))
        {
            let ty = match declared.get(name.as_str()) {
                Some(schema) => self.schema_type(schema, context),
                None => self.ts.unknown(),
            };
            members.push(self.member(SPAN, name, false, false, ty));
        }
        let additional = match &object.additional_properties {
            // openapi-typescript's `--additional-properties` opens closed objects too.
            Some(Schema::Bool(false)) if !self.options.additional_properties => None,
            Some(Schema::Bool(_)) => Some(self.ts.unknown()),
            Some(schema) => Some(self.schema_type(schema, context)),
            None if self.options.additional_properties => Some(self.ts.unknown()),
            // A free-form object accepts any keys; declared properties alone close it, as openapi-typescript does.
            None if members.is_empty() && self.options.empty_objects_unknown => {
                Some(self.ts.unknown())
            }
            None => None,
        };
        match additional {
            None if members.is_empty() => self.empty_record(),
            None => self.ts.object(members),
            Some(value) if members.is_empty() => {
                self.ts.object(vec![self.index_signature("key", value)])
            }
            // An index signature must admit every property's type; an intersection never conflicts.
            Some(value) => {
                let index = self.ts.object(vec![self.index_signature("key", value)]);
                self.ts.intersection(vec![self.ts.object(members), index])
            }
        }
    }

    fn literal(&self, value: &Value) -> TSType<'a> {
        match value {
            Value::String(text) => self.ts.literal_string(text),
            Value::Number(number) => {
                let float = number.as_f64().unwrap_or_default();
                self.ts.literal_number(float, &number.to_string())
            }
            Value::Bool(flag) => self.ts.literal_bool(*flag),
            Value::Null => self.ts.null(),
            Value::Array(_) | Value::Object(_) => self.ts.unknown(),
        }
    }
}

/// Whether component `id` is an element of its own arrays outside any object
/// member (`Matrix: {type: array, items: {$ref: Matrix}}`, also through
/// `allOf`/`oneOf`/`anyOf` parts and nested arrays): object members are
/// resolved lazily by `tsc`, arrays are not.
fn element_of_itself(id: SchemaId, schema: &Schema) -> bool {
    let Some(object) = schema.as_object() else {
        return false;
    };
    let elements = object.items.iter().chain(&object.prefix_items);
    let parts = object
        .all_of
        .iter()
        .chain(&object.one_of)
        .chain(&object.any_of);
    elements
        .clone()
        .any(|element| matches!(element, Schema::Ref(target) if *target == id))
        || elements
            .chain(parts)
            .any(|inner| element_of_itself(id, inner))
}

/// The type that members without a `type` describe: an object's
/// (`properties`, `required`, `additionalProperties`) or an array's (`items`).
fn implied_type(object: &SchemaObject) -> Option<Type> {
    if !object.types.is_empty() {
        None
    } else if object.has_object_shape() {
        Some(Type::Object)
    } else if object.items.is_some() || !object.prefix_items.is_empty() {
        Some(Type::Array)
    } else {
        None
    }
}

/// Integers are numbers to TypeScript.
fn widened(ty: Type) -> Type {
    match ty {
        Type::Integer => Type::Number,
        other => other,
    }
}

fn json_type(value: &Value) -> Type {
    match value {
        Value::Null => Type::Null,
        Value::Bool(_) => Type::Boolean,
        Value::Number(_) => Type::Number,
        Value::String(_) => Type::String,
        Value::Array(_) => Type::Array,
        Value::Object(_) => Type::Object,
    }
}

/// operationIds that name exactly one operation: those go in `operations`.
fn unique_operation_ids(contract: &Contract) -> HashSet<&str> {
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

/// JSDoc lines for a schema: deprecation, description, format, default, examples.
fn schema_doc(object: &SchemaObject) -> Vec<String> {
    let mut lines = Vec::new();
    if object.deprecated {
        lines.push("@deprecated".to_owned());
    }
    if let Some(description) = &object.description {
        lines.push(format!("@description {description}"));
    }
    // Readers of the types learn which side sends the field; `readOnly` is also a `readonly` modifier.
    if object.read_only {
        lines.push("@readOnly sent by the server only".to_owned());
    }
    if object.write_only {
        lines.push("@writeOnly sent by the client only".to_owned());
    }
    if let Some(format) = &object.format {
        lines.push(format!("Format: {format}"));
    }
    if let Some(default) = &object.default {
        lines.push(format!("@default {default}"));
    }
    for example in &object.examples {
        lines.push(format!("@example {example}"));
    }
    lines
}

fn description_doc(description: Option<&str>) -> Vec<String> {
    description
        .map(|text| vec![format!("@description {text}")])
        .unwrap_or_default()
}

fn parameter_doc(parameter: &Parameter) -> Vec<String> {
    let mut lines = description_doc(parameter.description.as_deref());
    if parameter.deprecated {
        lines.insert(0, "@deprecated".to_owned());
    }
    lines
}

fn operation_doc(operation: &Operation) -> Vec<String> {
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

/// `order-status` / `in_progress` -> `OrderStatus` / `InProgress`.
fn pascal_case(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests;
