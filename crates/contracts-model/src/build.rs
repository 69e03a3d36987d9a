//! Builds a [`Contract`] from parsed documents, collecting every fault as a
//! diagnostic instead of stopping at the first.
//!
//! Schema `$ref`s stay references ([`Schema::Ref`]) to an arena of named
//! schemas, so recursive schemas cost nothing and identity is kept. Targets
//! are built from a worklist, never by recursion, so long ref chains cannot
//! overflow the stack. Other `$ref`s (parameters, responses, ...) are followed
//! and their content copied into the operation, remembering the component name.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use contracts_diagnostics::{Diagnostic, Location, Severity};
use indexmap::IndexMap;
use serde_json::{Map, Number, Value};

use crate::codes;
use crate::contract::*;
use crate::pointer;
use crate::schema::{Constraints, Discriminator, Schema, SchemaObject, Type};

/// The parsed files a contract is built from. The loader implements it; the
/// builder asks for referenced files as it meets them.
pub trait Documents {
    /// The document the build starts from.
    fn root(&self) -> FileId;
    fn value(&self, file: FileId) -> Arc<Value>;
    /// The path shown to users (relative to the project root where possible).
    fn display_path(&self, file: FileId) -> PathBuf;
    /// Resolves the file part of a `$ref` written in `from`, reading it on
    /// first use. Refusals (remote, outside the root, missing) come back as a
    /// diagnostic without a location; the builder adds the ref's location.
    fn resolve_file(&mut self, from: FileId, reference: &str) -> Result<FileId, Box<Diagnostic>>;
    /// Every file read so far, by [`FileId`].
    fn files(&self) -> Vec<PathBuf>;
}

/// Builds the contract of `documents.root()`. Returns `None` only when the
/// root is not an OpenAPI 3.x document at all; the diagnostics say why.
pub fn build(documents: &mut dyn Documents) -> (Option<Contract>, Vec<Diagnostic>) {
    let root = documents.root();
    let mut builder = Builder {
        docs: documents,
        version: Version::V3_0,
        diagnostics: Vec::new(),
        schemas: Vec::new(),
        schema_index: HashMap::new(),
        pending: Vec::new(),
        shared_parameters: HashMap::new(),
        shared_responses: HashMap::new(),
        shared_bodies: HashMap::new(),
        shared_headers: HashMap::new(),
    };
    let contract = builder.contract(root);
    (contract, builder.diagnostics)
}

#[derive(Clone)]
struct At {
    file: FileId,
    pointer: String,
}

impl At {
    fn child(&self, segment: &str) -> At {
        At {
            file: self.file,
            pointer: pointer::push(&self.pointer, segment),
        }
    }

    fn index(&self, index: usize) -> At {
        self.child(&index.to_string())
    }

    fn loc(&self) -> Loc {
        Loc {
            file: self.file,
            pointer: self.pointer.clone(),
        }
    }
}

/// Objects built from a `$ref` target, by target location.
type SharedCache<T> = HashMap<(FileId, String), Arc<T>>;

struct Builder<'d> {
    docs: &'d mut dyn Documents,
    version: Version,
    diagnostics: Vec<Diagnostic>,
    schemas: Vec<NamedSchema>,
    schema_index: HashMap<(FileId, String), SchemaId>,
    pending: Vec<SchemaId>,
    shared_parameters: SharedCache<Parameter>,
    shared_responses: SharedCache<Response>,
    shared_bodies: SharedCache<RequestBody>,
    shared_headers: SharedCache<Header>,
}

/// A `$ref` target after following a chain of refs to content.
struct Target {
    doc: Arc<Value>,
    at: At,
}

impl Target {
    fn value(&self) -> &Value {
        let segments = pointer::segments(&self.at.pointer).unwrap_or_default();
        pointer::get(&self.doc, &segments).unwrap_or(&Value::Null)
    }

    /// `Name` when the target is `#/components/<kind>/Name`.
    fn component_name(&self, kind: &str) -> Option<String> {
        let segments = pointer::segments(&self.at.pointer).ok()?;
        match segments.as_slice() {
            [components, k, name] if components == "components" && k == kind => Some(name.clone()),
            _ => None,
        }
    }
}

const METHOD_KEYS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const PATH_ITEM_KEYS: [&str; 5] = ["$ref", "summary", "description", "servers", "parameters"];

impl Builder<'_> {
    // ---- diagnostics -------------------------------------------------

    fn location(&self, at: &At) -> Location {
        Location::new(self.docs.display_path(at.file), at.pointer.clone())
    }

    fn error(&mut self, code: &'static str, at: &At, message: impl Into<String>) {
        let diagnostic = Diagnostic::error(code, message).at(self.location(at));
        self.diagnostics.push(diagnostic);
    }

    fn warn(&mut self, code: &'static str, at: &At, message: impl Into<String>) {
        let diagnostic = Diagnostic::warning(code, message).at(self.location(at));
        self.diagnostics.push(diagnostic);
    }

    fn wrong_type(&mut self, at: &At, expected: &str, found: &Value) {
        let name = at.pointer.rsplit('/').next().unwrap_or("");
        self.error(
            codes::WRONG_TYPE,
            at,
            format!("`{name}` must be {expected}, found {}", kind_of(found)),
        );
    }

    // ---- typed field access --------------------------------------------

    fn object<'v>(&mut self, value: &'v Value, at: &At) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(map) => Some(map),
            other => {
                self.wrong_type(at, "an object", other);
                None
            }
        }
    }

    /// The object at field `key` (absent: `None`; not an object: reported) and its location.
    fn field_object<'v>(
        &mut self,
        map: &'v Map<String, Value>,
        key: &str,
        at: &At,
    ) -> Option<(&'v Map<String, Value>, At)> {
        let value = map.get(key)?;
        let at = at.child(key);
        let object = self.object(value, &at)?;
        Some((object, at))
    }

    /// The field `key` as a `T`, reporting any other JSON type at the field.
    fn typed<T>(
        &mut self,
        map: &Map<String, Value>,
        key: &str,
        at: &At,
        expected: &str,
        extract: impl FnOnce(&Value) -> Option<T>,
    ) -> Option<T> {
        let value = map.get(key)?;
        let typed = extract(value);
        if typed.is_none() {
            self.wrong_type(&at.child(key), expected, value);
        }
        typed
    }

    fn string(&mut self, map: &Map<String, Value>, key: &str, at: &At) -> Option<String> {
        self.typed(map, key, at, "a string", |value| {
            value.as_str().map(str::to_owned)
        })
    }

    fn boolean(&mut self, map: &Map<String, Value>, key: &str, at: &At) -> Option<bool> {
        self.typed(map, key, at, "a boolean", Value::as_bool)
    }

    fn count(&mut self, map: &Map<String, Value>, key: &str, at: &At) -> Option<u64> {
        self.typed(map, key, at, "a non-negative integer", |value| {
            // `2.0` is an integer in JSON Schema.
            value.as_u64().or_else(|| {
                value
                    .as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                    .map(|f| f as u64)
            })
        })
    }

    fn number(&mut self, map: &Map<String, Value>, key: &str, at: &At) -> Option<Number> {
        self.typed(map, key, at, "a number", |value| match value {
            Value::Number(number) => Some(number.clone()),
            _ => None,
        })
    }

    fn array<'v>(
        &mut self,
        map: &'v Map<String, Value>,
        key: &str,
        at: &At,
    ) -> Option<&'v Vec<Value>> {
        match map.get(key)? {
            Value::Array(items) => Some(items),
            other => {
                self.wrong_type(&at.child(key), "an array", other);
                None
            }
        }
    }

    fn strings(&mut self, map: &Map<String, Value>, key: &str, at: &At) -> Vec<String> {
        let Some(items) = self.array(map, key, at) else {
            return Vec::new();
        };
        let at = at.child(key);
        items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| match item {
                Value::String(text) => Some(text.clone()),
                other => {
                    self.wrong_type(&at.index(index), "a string", other);
                    None
                }
            })
            .collect()
    }

    fn extensions(map: &Map<String, Value>) -> IndexMap<String, Value> {
        map.iter()
            .filter(|(key, _)| key.starts_with("x-"))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect()
    }

    fn keep(map: &Map<String, Value>, known: &[&str]) -> IndexMap<String, Value> {
        map.iter()
            .filter(|(key, _)| !known.contains(&key.as_str()))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect()
    }

    // ---- references ------------------------------------------------------

    /// Resolves one `$ref` string to the node it names, without following further refs.
    fn locate_ref(&mut self, reference: &str, at: &At) -> Option<Target> {
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if file_part.is_empty() {
            at.file
        } else {
            match self.docs.resolve_file(at.file, file_part) {
                Ok(file) => file,
                Err(diagnostic) => {
                    let diagnostic = (*diagnostic).at(self.location(at));
                    self.diagnostics.push(diagnostic);
                    return None;
                }
            }
        };
        let segments = match pointer::fragment_segments(fragment) {
            Ok(segments) => segments,
            Err(message) => {
                self.error(
                    codes::REF_INVALID,
                    at,
                    format!(
                        "`$ref: {reference}`: {message}; only JSON-pointer fragments are supported"
                    ),
                );
                return None;
            }
        };
        let doc = self.docs.value(file);
        if pointer::get(&doc, &segments).is_none() {
            let found = pointer::existing_prefix(&doc, &segments);
            let path = self.docs.display_path(file);
            self.error(
                codes::REF_UNRESOLVED,
                at,
                format!(
                    "`$ref: {reference}` points to nothing: `{}` has no `{}`",
                    path.display(),
                    pointer::join(&segments[..=found.min(segments.len() - 1)])
                ),
            );
            return None;
        }
        Some(Target {
            doc,
            at: At {
                file,
                pointer: pointer::join(&segments),
            },
        })
    }

    /// Follows a chain of `$ref`s starting at `value` to a node with content.
    /// `Ok(None)` means `value` is not a ref; `Err(())` that the chain is broken (reported).
    fn follow(&mut self, value: &Value, at: &At) -> Result<Option<Target>, ()> {
        let Some(first) = ref_of(value) else {
            return Ok(None);
        };
        let mut reference = first.clone();
        let mut from = at.clone();
        let mut seen = HashSet::new();
        loop {
            let reference_text = match &reference {
                Value::String(text) => text.clone(),
                other => {
                    self.wrong_type(&from.child("$ref"), "a string", other);
                    return Err(());
                }
            };
            let target = self.locate_ref(&reference_text, &from).ok_or(())?;
            if !seen.insert((target.at.file, target.at.pointer.clone())) {
                self.error(
                    codes::REF_CYCLE,
                    at,
                    format!("`$ref` chain through `{reference_text}` loops back without reaching any content"),
                );
                return Err(());
            }
            match ref_of(target.value()) {
                Some(next) => {
                    reference = next.clone();
                    from = target.at.clone();
                }
                None => return Ok(Some(target)),
            }
        }
    }

    /// Calls `build` with the content `value` names, following any `$ref`s,
    /// and passes the component name when the content is a `components.<kind>` entry.
    fn with_target<T>(
        &mut self,
        value: &Value,
        at: &At,
        kind: &str,
        build: impl FnOnce(&mut Self, &Value, &At, Option<String>) -> T,
    ) -> Option<T> {
        match self.follow(value, at) {
            Ok(None) => Some(build(self, value, at, None)),
            Ok(Some(target)) => {
                let name = target.component_name(kind);
                let node = target.value();
                Some(build(self, node, &target.at, name))
            }
            Err(()) => None,
        }
    }

    /// Like [`Self::with_target`] for objects behind a `$ref`: each target is
    /// built once and shared, however many operations use it.
    fn shared<T>(
        &mut self,
        value: &Value,
        at: &At,
        kind: &str,
        cache: fn(&mut Self) -> &mut SharedCache<T>,
        build: impl FnOnce(&mut Self, &Value, &At, Option<String>) -> Option<T>,
    ) -> Option<Arc<T>> {
        match self.follow(value, at) {
            Ok(None) => build(self, value, at, None).map(Arc::new),
            Ok(Some(target)) => {
                let key = (target.at.file, target.at.pointer.clone());
                if let Some(found) = cache(self).get(&key) {
                    return Some(found.clone());
                }
                let name = target.component_name(kind);
                let built = Arc::new(build(self, target.value(), &target.at, name)?);
                cache(self).insert(key, built.clone());
                Some(built)
            }
            Err(()) => None,
        }
    }

    /// The arena id for the schema at `target`, queueing it for building on first sight.
    fn schema_id(&mut self, file: FileId, pointer_text: String) -> SchemaId {
        if let Some(id) = self.schema_index.get(&(file, pointer_text.clone())) {
            return *id;
        }
        let id = SchemaId(self.schemas.len() as u32);
        let name = match pointer_text.rsplit('/').next() {
            Some(last) if !pointer_text.is_empty() => pointer::segments(&format!("/{last}"))
                .ok()
                .and_then(|s| s.into_iter().next())
                .unwrap_or_default(),
            _ => file_stem(&self.docs.display_path(file)),
        };
        self.schemas.push(NamedSchema {
            name,
            loc: Loc {
                file,
                pointer: pointer_text.clone(),
            },
            schema: Schema::any(),
        });
        self.schema_index.insert((file, pointer_text), id);
        self.pending.push(id);
        id
    }

    fn build_pending_schemas(&mut self) {
        while let Some(id) = self.pending.pop() {
            let loc = self.schemas[id.0 as usize].loc.clone();
            let doc = self.docs.value(loc.file);
            let segments = pointer::segments(&loc.pointer).unwrap_or_default();
            let at = At {
                file: loc.file,
                pointer: loc.pointer,
            };
            let schema = match pointer::get(&doc, &segments) {
                Some(node) => self.schema(node, &at),
                None => Schema::any(),
            };
            self.schemas[id.0 as usize].schema = schema;
        }
    }

    /// Reports named schemas that loop back to themselves without content:
    /// made of nothing but `$ref`s (`A -> B -> A`) or `allOf`/`anyOf`/`oneOf`
    /// of refs (`Node: {oneOf: [Node]}`), so evaluating them never reaches a
    /// type, property or item. A loop from which some branch reaches content
    /// (`T: {anyOf: [T, {type: string}]}`) means that content, and recursion
    /// through properties or items moves to another value: neither is
    /// reported. Each reported loop's schemas become `{}`.
    fn check_alias_cycles(&mut self) {
        let makeups: Vec<Makeup> = self
            .schemas
            .iter()
            .map(|named| Makeup::of(&named.schema))
            .collect();
        let grounded = grounded(&makeups);
        let edges = |node: usize| match &makeups[node] {
            Makeup::Content => &[][..],
            Makeup::Only(targets) => targets.as_slice(),
        };
        let mut state = vec![Visit::New; self.schemas.len()];
        let mut in_reported_loop = vec![false; self.schemas.len()];
        let mut loops = Vec::new();
        for start in (0..self.schemas.len()).filter(|&node| !grounded[node]) {
            if state[start] != Visit::New {
                continue;
            }
            // Depth first, with its own stack: the path, each node with its next edge.
            state[start] = Visit::OnPath;
            let mut path = vec![(start, 0)];
            while let Some((node, next_edge)) = path.last_mut() {
                let Some(&next) = edges(*node).get(*next_edge) else {
                    state[*node] = Visit::Done;
                    path.pop();
                    continue;
                };
                *next_edge += 1;
                match state[next] {
                    Visit::New => {
                        state[next] = Visit::OnPath;
                        path.push((next, 0));
                    }
                    // One report per tangle: a loop through a reported one breaks with it.
                    Visit::OnPath => {
                        let from = path.iter().position(|&(node, _)| node == next).unwrap_or(0);
                        let members: Vec<usize> =
                            path[from..].iter().map(|&(node, _)| node).collect();
                        if members.iter().all(|&node| !in_reported_loop[node]) {
                            for &node in &members {
                                in_reported_loop[node] = true;
                            }
                            loops.push(members);
                        }
                    }
                    Visit::Done => {}
                }
            }
        }
        for members in loops {
            self.report_alias_cycle(&members);
        }
    }

    /// One `ref-cycle` error at the loop's first schema, naming its way round.
    fn report_alias_cycle(&mut self, members: &[usize]) {
        let names: Vec<_> = members
            .iter()
            .chain(&members[..1])
            .map(|&node| {
                let schema = &self.schemas[node];
                // Name the file too when the loop leaves the root document.
                if schema.loc.file == self.docs.root() {
                    schema.name.clone()
                } else {
                    let file = self.docs.display_path(schema.loc.file);
                    format!(
                        "{} ({}#{})",
                        schema.name,
                        file.display(),
                        schema.loc.pointer
                    )
                }
            })
            .collect();
        let loc = self.schemas[members[0]].loc.clone();
        let at = At {
            file: loc.file,
            pointer: loc.pointer,
        };
        self.error(
            codes::REF_CYCLE,
            &at,
            format!("schema refs loop without content: {}", names.join(" -> ")),
        );
        for &node in members {
            self.schemas[node].schema = Schema::any();
        }
    }

    // ---- document --------------------------------------------------------

    fn contract(&mut self, root: FileId) -> Option<Contract> {
        let doc = self.docs.value(root);
        let at = At {
            file: root,
            pointer: String::new(),
        };
        let map = match &*doc {
            Value::Object(map) => map,
            Value::Null => {
                self.error(codes::NOT_OPENAPI, &at, "the document is empty");
                return None;
            }
            other => {
                self.error(
                    codes::NOT_OPENAPI,
                    &at,
                    format!("an OpenAPI document is an object, found {}", kind_of(other)),
                );
                return None;
            }
        };
        let openapi = match map.get("openapi") {
            Some(Value::String(text)) => text.clone(),
            Some(other) => {
                self.wrong_type(
                    &at.child("openapi"),
                    "a version string like \"3.1.0\"",
                    other,
                );
                return None;
            }
            None => {
                let message = if map.contains_key("swagger") {
                    "Swagger 2.0 documents are not supported; convert to OpenAPI 3 first"
                } else {
                    "missing `openapi` field: not an OpenAPI document"
                };
                self.error(codes::NOT_OPENAPI, &at, message);
                return None;
            }
        };
        self.version = if openapi.starts_with("3.0.") || openapi == "3.0" {
            Version::V3_0
        } else if openapi.starts_with("3.1.") || openapi == "3.1" {
            Version::V3_1
        } else {
            self.error(
                codes::UNSUPPORTED_VERSION,
                &at.child("openapi"),
                format!("OpenAPI version `{openapi}` is not supported (3.0.x and 3.1.x are)"),
            );
            return None;
        };

        let info = self.info(map, &at);
        let servers = self.servers(map, &at);
        let components = self.components(map, &at);
        let security = self.security(map, &at, &components);
        let tags = self.tags(map, &at);

        let mut operations = Vec::new();
        let mut empty_path_items = IndexMap::new();
        match map.get("paths") {
            Some(paths) => self.paths(
                paths,
                &at.child("paths"),
                &components,
                &mut operations,
                &mut empty_path_items,
            ),
            None if self.version == Version::V3_0 => {
                self.error(codes::MISSING_FIELD, &at, "missing required field `paths`")
            }
            None if !map.contains_key("webhooks") && !map.contains_key("components") => self.error(
                codes::MISSING_FIELD,
                &at,
                "an OpenAPI 3.1 document needs at least one of `paths`, `webhooks`, `components`",
            ),
            None => {}
        }
        let mut webhooks = Vec::new();
        if let Some((hooks, at)) = self.field_object(map, "webhooks", &at) {
            for (name, item) in hooks {
                self.path_item(
                    name,
                    item,
                    &at.child(name),
                    &components,
                    &mut webhooks,
                    false,
                );
            }
        }
        self.check_operation_ids(&operations);

        self.build_pending_schemas();
        self.check_alias_cycles();

        Some(Contract {
            openapi,
            version: self.version,
            info,
            servers,
            operations,
            empty_path_items,
            webhooks,
            components,
            security,
            tags,
            external_docs: map.get("externalDocs").cloned(),
            extensions: Self::extensions(map),
            schemas: std::mem::take(&mut self.schemas),
            files: self.docs.files(),
        })
    }

    fn info(&mut self, map: &Map<String, Value>, at: &At) -> Info {
        let Some(value) = map.get("info") else {
            self.error(codes::MISSING_FIELD, at, "missing required field `info`");
            return Info::default();
        };
        let at = at.child("info");
        let Some(info) = self.object(value, &at) else {
            return Info::default();
        };
        let required = |builder: &mut Self, key: &str| {
            builder.string(info, key, &at).unwrap_or_else(|| {
                if !info.contains_key(key) {
                    builder.error(
                        codes::MISSING_FIELD,
                        &at,
                        format!("missing required field `info.{key}`"),
                    );
                }
                String::new()
            })
        };
        let title = required(self, "title");
        let version = required(self, "version");
        Info {
            title,
            version,
            summary: self.string(info, "summary", &at),
            description: self.string(info, "description", &at),
            other: Self::keep(info, &["title", "version", "summary", "description"]),
        }
    }

    fn servers(&mut self, map: &Map<String, Value>, at: &At) -> Vec<Server> {
        self.objects(map, "servers", at, |b, server, at| {
            Some(Server {
                url: b.required_string(server, "url", at, "server")?,
                description: b.string(server, "description", at),
                variables: server.get("variables").cloned(),
            })
        })
    }

    fn tags(&mut self, map: &Map<String, Value>, at: &At) -> Vec<Tag> {
        self.objects(map, "tags", at, |b, tag, at| {
            Some(Tag {
                name: b.required_string(tag, "name", at, "tag")?,
                description: b.string(tag, "description", at),
                other: Self::keep(tag, &["name", "description"]),
            })
        })
    }

    /// The items of an array of objects at `key`, each built by `build`.
    fn objects<T>(
        &mut self,
        map: &Map<String, Value>,
        key: &str,
        at: &At,
        mut build: impl FnMut(&mut Self, &Map<String, Value>, &At) -> Option<T>,
    ) -> Vec<T> {
        let Some(items) = self.array(map, key, at) else {
            return Vec::new();
        };
        let at = at.child(key);
        items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| {
                let at = at.index(index);
                let object = self.object(item, &at)?;
                build(self, object, &at)
            })
            .collect()
    }

    /// A string field the spec requires; its absence is a `missing-field` error.
    fn required_string(
        &mut self,
        map: &Map<String, Value>,
        key: &str,
        at: &At,
        what: &str,
    ) -> Option<String> {
        let value = self.string(map, key, at);
        if value.is_none() && !map.contains_key(key) {
            self.error(
                codes::MISSING_FIELD,
                at,
                format!("missing required field `{key}` in {what}"),
            );
        }
        value
    }

    fn security(
        &mut self,
        map: &Map<String, Value>,
        at: &At,
        components: &Components,
    ) -> Option<Vec<SecurityRequirement>> {
        let items = self.array(map, "security", at)?;
        let at = at.child("security");
        Some(
            items
                .iter()
                .enumerate()
                .filter_map(|(index, item)| {
                    let at = at.index(index);
                    let requirement = self.object(item, &at)?;
                    let mut out = SecurityRequirement::new();
                    for (name, scopes) in requirement {
                        let scope_at = at.child(name);
                        if !components.security_schemes.contains_key(name) {
                            self.error(
                                codes::SECURITY_SCHEME_UNDEFINED,
                                &scope_at,
                                format!("security scheme `{name}` is not defined in `components.securitySchemes`"),
                            );
                        }
                        let scopes = match scopes {
                            Value::Array(list) => list
                                .iter()
                                .filter_map(|scope| scope.as_str().map(str::to_owned))
                                .collect(),
                            other => {
                                self.wrong_type(&scope_at, "an array of scope names", other);
                                Vec::new()
                            }
                        };
                        out.insert(name.clone(), scopes);
                    }
                    Some(out)
                })
                .collect(),
        )
    }

    fn components(&mut self, map: &Map<String, Value>, at: &At) -> Components {
        let mut components = Components::default();
        let Some((sections, at)) = self.field_object(map, "components", at) else {
            return components;
        };
        for (section, entries) in sections {
            let section_at = at.child(section);
            let known = matches!(
                section.as_str(),
                "schemas"
                    | "responses"
                    | "parameters"
                    | "requestBodies"
                    | "headers"
                    | "securitySchemes"
            );
            if !known {
                components.other.insert(section.clone(), entries.clone());
                continue;
            }
            let Some(entries) = self.object(entries, &section_at) else {
                continue;
            };
            for (name, entry) in entries {
                let entry_at = section_at.child(name);
                match section.as_str() {
                    "schemas" => {
                        let id = self.schema_id(entry_at.file, entry_at.pointer.clone());
                        components.schemas.insert(name.clone(), id);
                    }
                    "responses" => {
                        if let Some(response) = self.response(entry, &entry_at) {
                            components.responses.insert(name.clone(), response);
                        }
                    }
                    "parameters" => {
                        if let Some(parameter) = self.parameter(entry, &entry_at) {
                            components.parameters.insert(name.clone(), parameter);
                        }
                    }
                    "requestBodies" => {
                        if let Some(body) = self.request_body(entry, &entry_at) {
                            components.request_bodies.insert(name.clone(), body);
                        }
                    }
                    "headers" => {
                        if let Some(header) = self.header(entry, &entry_at) {
                            components.headers.insert(name.clone(), header);
                        }
                    }
                    _ => {
                        if let Some(scheme) = self.security_scheme(entry, &entry_at) {
                            components.security_schemes.insert(name.clone(), scheme);
                        }
                    }
                }
            }
        }
        components
    }

    fn security_scheme(&mut self, value: &Value, at: &At) -> Option<SecurityScheme> {
        self.with_target(value, at, "securitySchemes", |b, value, at, _| {
            let map = b.object(value, at)?;
            let kind = b.string(map, "type", at).or_else(|| {
                b.error(codes::MISSING_FIELD, at, "missing required field `type` in security scheme");
                None
            })?;
            let required = |b: &mut Self, key: &str| {
                b.string(map, key, at).or_else(|| {
                    if !map.contains_key(key) {
                        b.error(codes::MISSING_FIELD, at, format!("missing required field `{key}` for a `{kind}` security scheme"));
                    }
                    None
                })
            };
            Some(match kind.as_str() {
                "apiKey" => {
                    let name = required(b, "name")?;
                    let location_name = required(b, "in")?;
                    let location = ParameterLocation::parse(&location_name)
                        .filter(|l| *l != ParameterLocation::Path)
                        .or_else(|| {
                            b.error(codes::INVALID_VALUE, &at.child("in"), format!("`in: {location_name}` must be query, header or cookie"));
                            None
                        })?;
                    SecurityScheme::ApiKey { name, location }
                }
                "http" => SecurityScheme::Http {
                    scheme: required(b, "scheme")?,
                    bearer_format: b.string(map, "bearerFormat", at),
                },
                "oauth2" => {
                    let mut flows = IndexMap::new();
                    if map.contains_key("flows") {
                        if let Some((entries, flows_at)) = b.field_object(map, "flows", at) {
                            for (name, flow) in entries {
                                let flow_at = flows_at.child(name);
                                let Some(flow) = b.object(flow, &flow_at) else { continue };
                                let scopes = flow
                                    .get("scopes")
                                    .and_then(Value::as_object)
                                    .map(|scopes| {
                                        scopes
                                            .iter()
                                            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                                            .collect()
                                    })
                                    .unwrap_or_default();
                                flows.insert(
                                    name.clone(),
                                    OAuthFlow {
                                        authorization_url: b.string(flow, "authorizationUrl", &flow_at),
                                        token_url: b.string(flow, "tokenUrl", &flow_at),
                                        refresh_url: b.string(flow, "refreshUrl", &flow_at),
                                        scopes,
                                    },
                                );
                            }
                        }
                    } else {
                        b.error(codes::MISSING_FIELD, at, "missing required field `flows` for an `oauth2` security scheme");
                    }
                    SecurityScheme::OAuth2 { flows }
                }
                "openIdConnect" => SecurityScheme::OpenIdConnect {
                    url: required(b, "openIdConnectUrl")?,
                },
                "mutualTLS" => SecurityScheme::MutualTls,
                other => {
                    b.error(
                        codes::INVALID_VALUE,
                        &at.child("type"),
                        format!("unknown security scheme type `{other}` (apiKey, http, oauth2, openIdConnect, mutualTLS)"),
                    );
                    return None;
                }
            })
        })
        .flatten()
    }

    // ---- paths and operations ---------------------------------------------

    fn paths(
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
                        .filter(|key| METHOD_KEYS.contains(key))
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

    fn path_item(
        &mut self,
        path: &str,
        value: &Value,
        at: &At,
        components: &Components,
        operations: &mut Vec<Operation>,
        check_template: bool,
    ) -> Option<Vec<Arc<Parameter>>> {
        // The path item's own parameters.
        self.with_target(value, at, "pathItems", |b, value, at, _| {
            let item = b.object(value, at)?;
            for key in item.keys() {
                if !METHOD_KEYS.contains(&key.as_str())
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
            Some(Value::Object(callbacks)) => callbacks
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
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

    fn check_operation_ids(&mut self, operations: &[Operation]) {
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

    fn parameter(&mut self, value: &Value, at: &At) -> Option<Arc<Parameter>> {
        self.shared(
            value,
            at,
            "parameters",
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

    fn request_body(&mut self, value: &Value, at: &At) -> Option<Arc<RequestBody>> {
        self.shared(
            value,
            at,
            "requestBodies",
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

    fn response(&mut self, value: &Value, at: &At) -> Option<Arc<Response>> {
        self.shared(
            value,
            at,
            "responses",
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

    fn header(&mut self, value: &Value, at: &At) -> Option<Arc<Header>> {
        self.shared(
            value,
            at,
            "headers",
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

    // ---- schemas ------------------------------------------------------------

    fn schema(&mut self, value: &Value, at: &At) -> Schema {
        match value {
            Value::Object(map) => match map.get("$ref") {
                Some(Value::String(reference)) => {
                    let target = self
                        .locate_ref(reference, at)
                        .map(|target| self.schema_id(target.at.file, target.at.pointer));
                    let Some(id) = target else {
                        return Schema::any();
                    };
                    // 3.1 (JSON Schema 2020-12) applies keywords beside `$ref`; 3.0 ignores them.
                    // Of the annotations, `deprecated` is kept: `diff` reports it and
                    // the generators mark it, as they would on the target itself.
                    let siblings = map
                        .keys()
                        .any(|key| key != "$ref" && (!is_annotation(key) || key == "deprecated"));
                    if self.version == Version::V3_0 {
                        self.unknown_3_0_keywords(map, at);
                    }
                    if self.version == Version::V3_1 && siblings {
                        let mut object = self.schema_object(map, at);
                        object.all_of.insert(0, Schema::Ref(id));
                        Schema::Object(Box::new(object))
                    } else {
                        Schema::Ref(id)
                    }
                }
                Some(other) => {
                    self.wrong_type(&at.child("$ref"), "a string", other);
                    Schema::any()
                }
                None => Schema::Object(Box::new(self.schema_object(map, at))),
            },
            Value::Bool(flag) => {
                if self.version == Version::V3_0 {
                    self.warn(
                        codes::BOOLEAN_SCHEMA_IN_3_0,
                        at,
                        format!(
                            "boolean schema `{flag}` is OpenAPI 3.1; read as {}",
                            if *flag { "any value" } else { "no value" }
                        ),
                    );
                }
                Schema::Bool(*flag)
            }
            Value::Null => {
                self.warn(
                    codes::NULL_SCHEMA,
                    at,
                    "schema is `null`; read as `{}` (any value)",
                );
                Schema::any()
            }
            other => {
                self.wrong_type(at, "a schema object", other);
                Schema::any()
            }
        }
    }

    fn schema_list(&mut self, map: &Map<String, Value>, key: &str, at: &At) -> Vec<Schema> {
        let Some(items) = self.array(map, key, at) else {
            return Vec::new();
        };
        let at = at.child(key);
        items
            .iter()
            .enumerate()
            .map(|(index, item)| self.schema(item, &at.index(index)))
            .collect()
    }

    /// Warns about each key of a 3.0 schema object that is no Schema Object
    /// field (nor `$ref`, nor `x-`): 3.0 allows no others.
    fn unknown_3_0_keywords(&mut self, map: &Map<String, Value>, at: &At) {
        for key in map.keys() {
            if SCHEMA_FIELDS_3_0.contains(&key.as_str()) || key.starts_with("x-") {
                continue;
            }
            let beside_ref = map.contains_key("$ref");
            let meaning = if beside_ref {
                "beside `$ref` it is ignored"
            } else if JSON_SCHEMA_KEYWORDS_READ.contains(&key.as_str())
                || SUBSCHEMA_KEYWORDS.contains(&key.as_str())
                || SUBSCHEMA_MAPS.contains(&key.as_str())
            {
                "read as JSON Schema 2020-12 reads it"
            } else {
                "it is ignored"
            };
            self.warn(
                codes::UNKNOWN_SCHEMA_KEYWORD,
                &at.child(key),
                format!("`{key}` is not an OpenAPI 3.0 schema field (extensions start with `x-`); {meaning}"),
            );
        }
    }

    fn schema_object(&mut self, map: &Map<String, Value>, at: &At) -> SchemaObject {
        let mut object = SchemaObject {
            loc: at.loc(),
            ..SchemaObject::default()
        };
        let v3_0 = self.version == Version::V3_0;
        if v3_0 {
            self.unknown_3_0_keywords(map, at);
        }
        for (key, value) in map {
            let key_at = || at.child(key);
            match key.as_str() {
                "type" => self.schema_types(value, &key_at(), &mut object),
                "nullable" => {
                    if let Some(flag) = self.boolean(map, key, at) {
                        if !v3_0 {
                            self.warn(
                                codes::NULLABLE_IN_3_1,
                                &key_at(),
                                "`nullable` is OpenAPI 3.0; in 3.1 add \"null\" to `type`. Read as 3.0",
                            );
                        }
                        object.nullable |= flag;
                    }
                }
                "format" => object.format = self.string(map, key, at),
                "title" => object.title = self.string(map, key, at),
                "description" => object.description = self.string(map, key, at),
                "default" => object.default = Some(Box::new(value.clone())),
                "example" => object.examples.insert(0, value.clone()),
                "examples" => match value {
                    Value::Array(items) => object.examples.extend(items.iter().cloned()),
                    other => self.wrong_type(&key_at(), "an array", other),
                },
                "enum" => object.enum_values = self.array(map, key, at).cloned(),
                "const" => object.const_value = Some(Box::new(value.clone())),
                "deprecated" => object.deprecated = self.boolean(map, key, at).unwrap_or(false),
                "readOnly" => object.read_only = self.boolean(map, key, at).unwrap_or(false),
                "writeOnly" => object.write_only = self.boolean(map, key, at).unwrap_or(false),
                "properties" => {
                    let properties_at = key_at();
                    if let Some(properties) = self.object(value, &properties_at) {
                        for (name, property) in properties {
                            let schema = self.schema(property, &properties_at.child(name));
                            object.properties.insert(name.clone(), schema);
                        }
                    }
                }
                "required" => object.required = self.strings(map, key, at),
                "additionalProperties" => {
                    object.additional_properties = Some(self.schema_or_bool(value, &key_at()))
                }
                "minProperties" => limits(&mut object).min_properties = self.count(map, key, at),
                "maxProperties" => limits(&mut object).max_properties = self.count(map, key, at),
                "items" => match value {
                    // Draft-4 tuple form: the meaning of 2020-12 `prefixItems`.
                    Value::Array(_) => object.prefix_items = self.schema_list(map, key, at),
                    _ => object.items = Some(self.schema_or_bool(value, &key_at())),
                },
                "prefixItems" => object.prefix_items = self.schema_list(map, key, at),
                "minItems" => limits(&mut object).min_items = self.count(map, key, at),
                "maxItems" => limits(&mut object).max_items = self.count(map, key, at),
                "uniqueItems" => {
                    limits(&mut object).unique_items = self.boolean(map, key, at).unwrap_or(false)
                }
                "minLength" => limits(&mut object).min_length = self.count(map, key, at),
                "maxLength" => limits(&mut object).max_length = self.count(map, key, at),
                "pattern" => limits(&mut object).pattern = self.string(map, key, at),
                "contentMediaType" => object.content_media_type = self.string(map, key, at),
                "contentEncoding" => object.content_encoding = self.string(map, key, at),
                "minimum" => limits(&mut object).minimum = self.number(map, key, at),
                "maximum" => limits(&mut object).maximum = self.number(map, key, at),
                "multipleOf" => limits(&mut object).multiple_of = self.number(map, key, at),
                "exclusiveMinimum" | "exclusiveMaximum" => {} // after the loop: they depend on minimum/maximum
                "allOf" => object.all_of = self.schema_list(map, key, at),
                "oneOf" => object.one_of = self.schema_list(map, key, at),
                "anyOf" => object.any_of = self.schema_list(map, key, at),
                "not" => object.not = Some(self.schema_or_bool(value, &key_at())),
                "discriminator" => {
                    object.discriminator = self.discriminator(value, &key_at()).map(Box::new)
                }
                _ if key.starts_with("x-") => {
                    object
                        .extensions
                        .get_or_insert_default()
                        .insert(key.clone(), value.clone());
                }
                _ if SUBSCHEMA_KEYWORDS.contains(&key.as_str()) => {
                    let schema = self.schema_or_bool(value, &key_at());
                    object
                        .subschemas
                        .get_or_insert_default()
                        .insert(key.clone(), schema);
                    object
                        .other
                        .get_or_insert_default()
                        .insert(key.clone(), value.clone());
                }
                _ if SUBSCHEMA_MAPS.contains(&key.as_str()) => {
                    let entries_at = key_at();
                    if let Some(entries) = self.object(value, &entries_at) {
                        for (name, entry) in entries {
                            let schema = self.schema_or_bool(entry, &entries_at.child(name));
                            object
                                .subschemas
                                .get_or_insert_default()
                                .insert(format!("{key}/{name}"), schema);
                        }
                    }
                    object
                        .other
                        .get_or_insert_default()
                        .insert(key.clone(), value.clone());
                }
                _ => {
                    object
                        .other
                        .get_or_insert_default()
                        .insert(key.clone(), value.clone());
                }
            }
        }
        if map.contains_key("exclusiveMinimum") || map.contains_key("exclusiveMaximum") {
            let constraints = limits(&mut object);
            let (mut minimum, mut exclusive_minimum) = (
                constraints.minimum.take(),
                constraints.exclusive_minimum.take(),
            );
            let (mut maximum, mut exclusive_maximum) = (
                constraints.maximum.take(),
                constraints.exclusive_maximum.take(),
            );
            self.exclusive_bound(
                map,
                at,
                "exclusiveMinimum",
                "minimum",
                &mut minimum,
                &mut exclusive_minimum,
            );
            self.exclusive_bound(
                map,
                at,
                "exclusiveMaximum",
                "maximum",
                &mut maximum,
                &mut exclusive_maximum,
            );
            let constraints = limits(&mut object);
            (constraints.minimum, constraints.exclusive_minimum) = (minimum, exclusive_minimum);
            (constraints.maximum, constraints.exclusive_maximum) = (maximum, exclusive_maximum);
        }
        if object.nullable
            && object.types.is_empty()
            && v3_0
            && object.all_of.is_empty()
            && object.one_of.is_empty()
            && object.any_of.is_empty()
        {
            self.warn(
                codes::NULLABLE_WITHOUT_TYPE,
                &at.child("nullable"),
                "`nullable: true` without `type` has no effect in OpenAPI 3.0; read as \"any value or null\"",
            );
        }
        for (index, name) in object.required.iter().enumerate() {
            let declares_properties = object.types == [Type::Object]
                && object.additional_properties == Some(Schema::Bool(false));
            if declares_properties && !object.properties.contains_key(name) {
                let at = at.child("required").index(index);
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::REQUIRED_PROPERTY_UNDEFINED,
                        format!("required property `{name}` is not in `properties` and `additionalProperties` is false"),
                    )
                    .at(self.location(&at)),
                );
            }
        }
        object
    }

    fn schema_or_bool(&mut self, value: &Value, at: &At) -> Schema {
        match value {
            Value::Bool(flag) => Schema::Bool(*flag),
            other => self.schema(other, at),
        }
    }

    fn schema_types(&mut self, value: &Value, at: &At, object: &mut SchemaObject) {
        let names: Vec<(&str, At)> = match value {
            Value::String(name) => vec![(name.as_str(), at.clone())],
            Value::Array(items) => {
                if self.version == Version::V3_0 {
                    self.warn(
                        codes::TYPE_ARRAY_IN_3_0,
                        at,
                        "a `type` array is OpenAPI 3.1; read as 3.1",
                    );
                }
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(index, item)| match item {
                        Value::String(name) => Some((name.as_str(), at.index(index))),
                        other => {
                            self.wrong_type(&at.index(index), "a type name", other);
                            None
                        }
                    })
                    .collect()
            }
            other => {
                self.wrong_type(at, "a type name or an array of them", other);
                return;
            }
        };
        for (name, name_at) in names {
            match Type::parse(name) {
                Some(Type::Null) => {
                    if self.version == Version::V3_0 {
                        self.warn(
                            codes::TYPE_NULL_IN_3_0,
                            &name_at,
                            "`type: 'null'` is OpenAPI 3.1; in 3.0 use `nullable: true`. Read as nullable",
                        );
                    }
                    object.nullable = true;
                }
                Some(ty) if !object.types.contains(&ty) => object.types.push(ty),
                Some(_) => {}
                None => self.error(
                    codes::SCHEMA_INVALID_TYPE,
                    &name_at,
                    format!("`{name}` is not a JSON Schema type (string, number, integer, boolean, object, array, null)"),
                ),
            }
        }
        // Only-null stays a type; otherwise null is the `nullable` flag.
        if object.types.is_empty() && object.nullable {
            object.types.push(Type::Null);
            object.nullable = false;
        }
    }

    /// Normalizes 3.0's boolean exclusive bounds and 3.1's numeric ones to the numeric form.
    fn exclusive_bound(
        &mut self,
        map: &Map<String, Value>,
        at: &At,
        key: &str,
        bound_key: &str,
        bound: &mut Option<Number>,
        exclusive: &mut Option<Number>,
    ) {
        let Some(value) = map.get(key) else { return };
        let key_at = at.child(key);
        match value {
            Value::Bool(flag) => {
                if self.version == Version::V3_1 {
                    self.warn(
                        codes::EXCLUSIVE_BOUND_FORM,
                        &key_at,
                        format!(
                            "boolean `{key}` is OpenAPI 3.0; in 3.1 it holds the bound. Read as 3.0"
                        ),
                    );
                }
                if *flag {
                    match bound.take() {
                        Some(number) => *exclusive = Some(number),
                        None => self.error(
                            codes::MISSING_FIELD,
                            &key_at,
                            format!("`{key}: true` needs a `{bound_key}` to apply to"),
                        ),
                    }
                }
            }
            Value::Number(number) => {
                if self.version == Version::V3_0 {
                    self.warn(
                        codes::EXCLUSIVE_BOUND_FORM,
                        &key_at,
                        format!("numeric `{key}` is OpenAPI 3.1; in 3.0 it is a boolean beside `{bound_key}`. Read as 3.1"),
                    );
                }
                *exclusive = Some(number.clone());
            }
            other => self.wrong_type(&key_at, "a number or a boolean", other),
        }
    }

    fn discriminator(&mut self, value: &Value, at: &At) -> Option<Discriminator> {
        let map = self.object(value, at)?;
        let property_name = self.string(map, "propertyName", at).or_else(|| {
            if !map.contains_key("propertyName") {
                self.error(
                    codes::MISSING_FIELD,
                    at,
                    "missing required field `propertyName` in discriminator",
                );
            }
            None
        })?;
        let mut mapping = IndexMap::new();
        if let Some((entries, mapping_at)) = self.field_object(map, "mapping", at) {
            for (tag, target) in entries {
                let target_at = mapping_at.child(tag);
                let Some(target) = target.as_str() else {
                    self.wrong_type(&target_at, "a schema name or reference", target);
                    continue;
                };
                // The spec allows a bare schema name as well as a reference.
                let reference = if target.contains(['#', '/', '.']) {
                    target.to_owned()
                } else {
                    format!("#/components/schemas/{}", pointer::escape(target))
                };
                let mut from = target_at.clone();
                if !target.contains(['#', '/', '.']) {
                    from.file = self.docs.root();
                }
                // The mapping only names branches the `oneOf`/`anyOf` lists
                // itself, so a target that cannot be found (a missing file,
                // pointer) leaves the tag out, with a warning, and stops nothing.
                let reported = self.diagnostics.len();
                match self.locate_ref(&reference, &from) {
                    Some(found) => {
                        mapping
                            .insert(tag.clone(), self.schema_id(found.at.file, found.at.pointer));
                    }
                    None => {
                        for diagnostic in &mut self.diagnostics[reported..] {
                            diagnostic.severity = Severity::Warning;
                            diagnostic.code = codes::DISCRIMINATOR_MAPPING_UNRESOLVED;
                            diagnostic.message = format!(
                                "discriminator mapping `{tag}` is left out: {}",
                                diagnostic.message
                            );
                        }
                    }
                }
            }
        }
        Some(Discriminator {
            property_name,
            mapping,
        })
    }
}

/// How far the loop search has been through a schema.
#[derive(Clone, Copy, PartialEq)]
enum Visit {
    New,
    OnPath,
    Done,
}

/// What a named schema is made of, for finding loops without content.
enum Makeup {
    /// It says something about values itself: a type, properties, a bound,
    /// an enum, ... or it is `{}`, `true` or `false`.
    Content,
    /// Only `$ref`s, and `allOf`/`anyOf`/`oneOf` of refs (annotations
    /// aside): it stands for these named schemas, by index.
    Only(Vec<usize>),
}

impl Makeup {
    fn of(schema: &Schema) -> Makeup {
        let mut targets = Vec::new();
        // Inline combinators nest as deep as the document: a stack, no recursion.
        let mut parts = vec![schema];
        while let Some(part) = parts.pop() {
            match part {
                Schema::Ref(id) => targets.push(id.0 as usize),
                Schema::Bool(_) => return Makeup::Content,
                Schema::Object(object) => {
                    let members = object
                        .all_of
                        .iter()
                        .chain(&object.one_of)
                        .chain(&object.any_of);
                    if has_content(object) || members.clone().next().is_none() {
                        return Makeup::Content;
                    }
                    parts.extend(members);
                }
            }
        }
        Makeup::Only(targets)
    }
}

/// Whether a schema object constrains values by its own keywords (not by
/// `allOf`/`anyOf`/`oneOf`, and not by annotations like `description`).
fn has_content(object: &SchemaObject) -> bool {
    !object.types.is_empty()
        || object.nullable
        || object.format.is_some()
        || object.enum_values.is_some()
        || object.const_value.is_some()
        || !object.properties.is_empty()
        || !object.required.is_empty()
        || object.additional_properties.is_some()
        || object.items.is_some()
        || !object.prefix_items.is_empty()
        || object.content_media_type.is_some()
        || object.content_encoding.is_some()
        || object.constraints.is_some()
        || object.not.is_some()
        || object.other.is_some()
        || object.subschemas.is_some()
}

/// Which schemas reach content: those with content of their own, and those
/// standing for at least one schema that reaches content.
fn grounded(makeups: &[Makeup]) -> Vec<bool> {
    let mut grounded = vec![false; makeups.len()];
    let mut standing_for: Vec<Vec<usize>> = vec![Vec::new(); makeups.len()];
    let mut reached = Vec::new();
    for (node, makeup) in makeups.iter().enumerate() {
        match makeup {
            Makeup::Content => {
                grounded[node] = true;
                reached.push(node);
            }
            Makeup::Only(targets) => {
                for &target in targets {
                    standing_for[target].push(node);
                }
            }
        }
    }
    while let Some(node) = reached.pop() {
        for &user in &standing_for[node] {
            if !grounded[user] {
                grounded[user] = true;
                reached.push(user);
            }
        }
    }
    grounded
}

fn ref_of(value: &Value) -> Option<&Value> {
    value.as_object()?.get("$ref")
}

/// The fields of an OpenAPI 3.0 Schema Object.
const SCHEMA_FIELDS_3_0: [&str; 36] = [
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
    "$ref",
];
/// Later JSON Schema keywords the model reads in 3.0 too, beside the subschema ones.
const JSON_SCHEMA_KEYWORDS_READ: [&str; 5] = [
    "const",
    "examples",
    "prefixItems",
    "contentMediaType",
    "contentEncoding",
];

/// JSON Schema keywords holding one schema, beside the ones the model names.
const SUBSCHEMA_KEYWORDS: [&str; 9] = [
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
    "additionalItems",
];
/// JSON Schema keywords holding a map of schemas.
const SUBSCHEMA_MAPS: [&str; 4] = [
    "patternProperties",
    "dependentSchemas",
    "$defs",
    "definitions",
];

/// The object's constraints, created on first use.
fn limits(object: &mut SchemaObject) -> &mut Constraints {
    object.constraints.get_or_insert_default()
}

/// Keywords that may sit beside a `$ref` without changing what it accepts.
pub fn is_annotation(key: &str) -> bool {
    matches!(
        key,
        "description" | "summary" | "title" | "$comment" | "example" | "examples" | "deprecated"
    ) || key.starts_with("x-")
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn file_stem(path: &std::path::Path) -> String {
    path.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The names of `{param}` segments in a path template, in order.
pub fn template_names(path: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(length) = rest[start..].find('}') else {
            break;
        };
        names.push(&rest[start + 1..start + length]);
        rest = &rest[start + length + 1..];
    }
    names
}

/// A template with every parameter name blanked, to compare path shapes:
/// `/a/{x}` and `/a/{y}` are the same path.
pub fn template_shape(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    let mut in_parameter = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_parameter = true;
                shape.push('{');
            }
            '}' => {
                in_parameter = false;
                shape.push('}');
            }
            _ if in_parameter => {}
            _ => shape.push(c),
        }
    }
    shape
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_names_in_order() {
        assert_eq!(template_names("/a/{x}/b/{y}.json"), ["x", "y"]);
        assert!(template_names("/plain").is_empty());
    }

    #[test]
    fn shapes_ignore_parameter_names() {
        assert_eq!(template_shape("/u/{id}/x"), template_shape("/u/{userId}/x"));
        assert_ne!(template_shape("/u/{id}"), template_shape("/v/{id}"));
    }
}

#[cfg(test)]
#[path = "build_tests.rs"]
mod normalization_tests;
