//! Merges per-service specs into one self-contained gateway spec.
//!
//! Stage one bundles each service on its own (`bundle`): every `$ref`
//! target becomes a component, 3.0 schemas are rewritten for a 3.1 output.
//! Stage two names components across services: equal in meaning (`equal`)
//! means stored once; same name with different content is renamed with the
//! service's prefix (or an error). Stage three lays out paths under their
//! prefixes, pushes service-level security and servers onto operations, and
//! makes operationIds unique.
//!
//! Architecture invariant: pure. Documents in, a `serde_json::Value` and a
//! report out; the CLI reads and writes files.

mod bundle;
mod convert;
mod equal;
mod walk;

use std::collections::{HashMap, HashSet};

use contracts_diagnostics::{Diagnostic, Location};
use contracts_model::{Version, pointer, template_shape};
use indexmap::IndexMap;
use serde::Serialize;
use serde_json::{Map, Value, json};

pub use bundle::{SchemaMode, SourceDocument};
pub use walk::Kind;

use crate::bundle::{Bundle, bundle, component_ref};
use crate::equal::{Comparer, parse_component_ref};
use crate::walk::{Visitor, Walker};

pub mod codes {
    pub const MERGE_REF: &str = "merge-ref";
    pub const MERGE_VERSION: &str = "merge-version";
    pub const PATH_CONFLICT: &str = "merge-path-conflict";
    pub const COMPONENT_COLLISION: &str = "merge-component-collision";
    pub const OPERATION_ID_COLLISION: &str = "merge-operation-id-collision";
    pub const TAG_CONFLICT: &str = "merge-tag-conflict";
}

/// One service to merge.
#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    /// Added in front of every path (`/users`); empty for none.
    pub prefix: String,
    /// Removed from the front of every path before `prefix` is added.
    pub strip_prefix: Option<String>,
    pub description: Option<String>,
    pub version: Version,
    /// The spec's files, root first.
    pub documents: Vec<SourceDocument>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Collisions {
    /// Rename with the service as prefix (`UserAddress`, `user_getById`).
    #[default]
    Prefix,
    /// Report an error.
    Error,
}

#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// Pins the output version; default: the highest input version.
    pub openapi: Option<Version>,
    /// Gateway servers, as OpenAPI server objects.
    pub servers: Vec<Value>,
    pub collisions: Collisions,
    /// Tag every operation with its service's name.
    pub service_tags: bool,
}

#[derive(Debug)]
pub struct Merged {
    pub document: Value,
    pub report: Report,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Default, Serialize, PartialEq)]
pub struct Report {
    pub openapi: String,
    pub services: Vec<ServiceSummary>,
    pub renames: Vec<Rename>,
    pub dedupes: Vec<Dedupe>,
    pub conflicts: Vec<String>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct ServiceSummary {
    pub name: String,
    pub prefix: String,
    pub operations: usize,
    pub components: usize,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct Rename {
    pub service: String,
    /// `schema`, `operationId`, ...
    pub kind: String,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct Dedupe {
    pub kind: String,
    pub name: String,
    pub services: Vec<String>,
}

pub fn merge(services: &[Service], settings: &Settings) -> Merged {
    let output_version = settings
        .openapi
        .or_else(|| services.iter().map(|s| s.version).max())
        .unwrap_or(Version::V3_1);
    let mut merger = Merger {
        services,
        settings,
        output_version,
        diagnostics: Vec::new(),
        report: Report {
            openapi: openapi_string(output_version).to_owned(),
            ..Report::default()
        },
    };
    let document = merger.run();
    Merged {
        document,
        report: merger.report,
        diagnostics: merger.diagnostics,
    }
}

fn openapi_string(version: Version) -> &'static str {
    match version {
        Version::V3_0 => "3.0.3",
        Version::V3_1 => "3.1.0",
    }
}

struct Merger<'a> {
    services: &'a [Service],
    settings: &'a Settings,
    output_version: Version,
    diagnostics: Vec<Diagnostic>,
    report: Report,
}

/// Final names: (service, kind, bundled name) -> gateway name.
type NameMap = HashMap<(usize, Kind, String), String>;

/// A gateway component: kind, gateway name, and the service and bundled name it comes from.
type Placed = (Kind, String, usize, String);

impl Merger<'_> {
    fn run(&mut self) -> Value {
        let mut bundles: Vec<Bundle> = self
            .services
            .iter()
            .map(|service| {
                // A 3.1 gateway gets every schema in the 3.1 form, 3.1 inputs included:
                // their deprecated `example` and tolerated 3.0 keywords are normalized too.
                let mode = match (service.version, self.output_version) {
                    (Version::V3_0, Version::V3_1) => SchemaMode::Upgrade,
                    (Version::V3_1, Version::V3_1) => SchemaMode::Normalize,
                    (Version::V3_1, Version::V3_0) => SchemaMode::CheckFor3_0,
                    (Version::V3_0, Version::V3_0) => SchemaMode::Keep,
                };
                bundle(&service.documents, mode)
            })
            .collect();
        for (index, bundle) in bundles.iter_mut().enumerate() {
            self.diagnostics.append(&mut bundle.diagnostics);
            if self.output_version == Version::V3_0 && !bundle.webhooks.is_empty() {
                let location =
                    Location::new(&self.services[index].documents[0].display, "/webhooks");
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::MERGE_VERSION,
                        "the gateway is pinned to OpenAPI 3.0, which has no `webhooks`",
                    )
                    .at(location),
                );
            }
        }

        let (names, placed) = self.name_components(&bundles);
        for (index, bundle) in bundles.iter_mut().enumerate() {
            rename_refs(index, bundle, &names);
        }
        let mut components: IndexMap<Kind, IndexMap<String, Value>> = IndexMap::new();
        for (kind, final_name, service, local) in placed {
            // Each bundled component is placed at most once: move it, don't copy it.
            let value = bundles[service]
                .components
                .get_mut(&kind)
                .and_then(|entries| entries.get_mut(&local))
                .map(std::mem::take)
                .unwrap_or_default();
            components
                .entry(kind)
                .or_default()
                .insert(final_name, value);
        }
        let operation_ids = self.operation_ids(&bundles);

        let mut paths: IndexMap<String, Map<String, Value>> = IndexMap::new();
        let mut webhooks: IndexMap<String, Value> = IndexMap::new();
        let mut seen: HashMap<(String, String), (usize, Location)> = HashMap::new();
        for (index, bundle) in bundles.iter_mut().enumerate() {
            let operations =
                self.lay_out_paths(index, bundle, &names, &operation_ids, &mut paths, &mut seen);
            for (name, mut item) in std::mem::take(&mut bundle.webhooks) {
                if webhooks.contains_key(&name) {
                    self.report.conflicts.push(format!(
                        "webhook `{name}` is defined by more than one service; the first is kept"
                    ));
                    continue;
                }
                if let Value::Object(map) = &mut item {
                    self.decorate_operations(index, map, &names, &operation_ids, None);
                }
                webhooks.insert(name, item);
            }
            let component_count = bundle.components.values().map(IndexMap::len).sum();
            self.report.services.push(ServiceSummary {
                name: self.services[index].name.clone(),
                prefix: self.services[index].prefix.clone(),
                operations,
                components: component_count,
            });
        }

        let mut document = Map::new();
        document.insert("openapi".into(), json!(openapi_string(self.output_version)));
        let mut info = Map::new();
        info.insert("title".into(), json!(self.settings.title));
        info.insert("version".into(), json!(self.settings.version));
        if let Some(description) = &self.settings.description {
            info.insert("description".into(), json!(description));
        }
        document.insert("info".into(), Value::Object(info));
        if !self.settings.servers.is_empty() {
            document.insert(
                "servers".into(),
                Value::Array(self.settings.servers.clone()),
            );
        }
        let tags = self.tags();
        if !tags.is_empty() {
            document.insert("tags".into(), Value::Array(tags));
        }
        document.insert(
            "paths".into(),
            Value::Object(
                paths
                    .into_iter()
                    .map(|(path, item)| (path, Value::Object(item)))
                    .collect(),
            ),
        );
        if !webhooks.is_empty() {
            document.insert(
                "webhooks".into(),
                Value::Object(webhooks.into_iter().collect()),
            );
        }
        if !components.is_empty() {
            let sections = components
                .into_iter()
                .map(|(kind, entries)| {
                    (
                        kind.section().to_owned(),
                        Value::Object(entries.into_iter().collect()),
                    )
                })
                .collect();
            document.insert("components".into(), Value::Object(sections));
        }
        document.insert("x-contracts-services".into(), self.provenance());
        Value::Object(document)
    }

    /// Decides every component's gateway name. Returns the names and, in
    /// output order, which service's component each gateway component is.
    fn name_components(&mut self, bundles: &[Bundle]) -> (NameMap, Vec<Placed>) {
        let all: Vec<&IndexMap<Kind, IndexMap<String, Value>>> =
            bundles.iter().map(|b| &b.components).collect();
        let mut comparer = Comparer::new(&all);
        let mut names = NameMap::new();
        let mut output: Vec<Placed> = Vec::new();
        for kind in Kind::ALL {
            // Owners of each name, in service order.
            let mut owners: IndexMap<&str, Vec<usize>> = IndexMap::new();
            for (index, bundle) in bundles.iter().enumerate() {
                for name in bundle
                    .components
                    .get(&kind)
                    .into_iter()
                    .flat_map(IndexMap::keys)
                {
                    owners.entry(name).or_default().push(index);
                }
            }
            let mut taken: HashSet<String> = owners.keys().map(|name| (*name).to_owned()).collect();
            let mut placed: Vec<(String, usize, &str)> = Vec::new();
            for (name, services) in &owners {
                let first = services[0];
                let all_same = services[1..]
                    .iter()
                    .all(|&other| comparer.same_component(kind, (first, name), (other, name)));
                if all_same {
                    for &service in services {
                        names.insert((service, kind, (*name).to_owned()), (*name).to_owned());
                    }
                    placed.push(((*name).to_owned(), first, name));
                    if services.len() > 1 {
                        self.report.dedupes.push(Dedupe {
                            kind: kind.noun().to_owned(),
                            name: (*name).to_owned(),
                            services: services
                                .iter()
                                .map(|&s| self.services[s].name.clone())
                                .collect(),
                        });
                    }
                    continue;
                }
                if self.settings.collisions == Collisions::Error {
                    self.collision_error(kind, name, services, bundles);
                    for &service in services {
                        names.insert((service, kind, (*name).to_owned()), (*name).to_owned());
                    }
                    placed.push(((*name).to_owned(), first, name));
                    continue;
                }
                taken.remove(*name);
                // Services whose components are equal share one copy, named after the first of them.
                let mut classes: Vec<Vec<usize>> = Vec::new();
                for &service in services {
                    match classes.iter_mut().find(|class| {
                        comparer.same_component(kind, (class[0], name), (service, name))
                    }) {
                        Some(class) => class.push(service),
                        None => classes.push(vec![service]),
                    }
                }
                for class in classes {
                    let base = format!(
                        "{}{}",
                        pascal_case(&self.services[class[0]].name),
                        upper_first(name)
                    );
                    let renamed = unique_name(&mut taken, base);
                    for &service in &class {
                        self.report.renames.push(Rename {
                            service: self.services[service].name.clone(),
                            kind: kind.noun().to_owned(),
                            from: (*name).to_owned(),
                            to: renamed.clone(),
                        });
                        names.insert((service, kind, (*name).to_owned()), renamed.clone());
                    }
                    if class.len() > 1 {
                        self.report.dedupes.push(Dedupe {
                            kind: kind.noun().to_owned(),
                            name: renamed.clone(),
                            services: class
                                .iter()
                                .map(|&s| self.services[s].name.clone())
                                .collect(),
                        });
                    }
                    placed.push((renamed, class[0], name));
                }
            }
            output.extend(
                placed.into_iter().map(|(final_name, service, local)| {
                    (kind, final_name, service, local.to_owned())
                }),
            );
        }
        (names, output)
    }

    fn collision_error(&mut self, kind: Kind, name: &str, services: &[usize], bundles: &[Bundle]) {
        let names: Vec<&str> = services
            .iter()
            .map(|&s| self.services[s].name.as_str())
            .collect();
        let mut diagnostic = Diagnostic::error(
            codes::COMPONENT_COLLISION,
            format!(
                "{} `{name}` differs between services {}",
                kind.noun(),
                names.join(", ")
            ),
        )
        .with_help("make them equal, rename one, or set `[gateway] collisions = \"prefix\"`");
        for &service in services {
            if let Some(origin) = bundles[service].origins.get(&(kind, name.to_owned())) {
                if diagnostic.location.is_none() {
                    diagnostic = diagnostic.at(origin.clone());
                } else {
                    let message = format!("`{name}` of service {}", self.services[service].name);
                    diagnostic = diagnostic.with_related(origin.clone(), message);
                }
            }
        }
        self.diagnostics.push(diagnostic);
    }

    /// Gateway operationIds: (service, bundled id) -> id, renaming collisions.
    fn operation_ids(&mut self, bundles: &[Bundle]) -> HashMap<(usize, String), String> {
        let mut owners: IndexMap<String, Vec<usize>> = IndexMap::new();
        for (index, bundle) in bundles.iter().enumerate() {
            for item in bundle.paths.values().chain(bundle.webhooks.values()) {
                let Some(item) = item.as_object() else {
                    continue;
                };
                for (_, operation) in operations(item) {
                    if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                        let services = owners.entry(id.to_owned()).or_default();
                        if !services.contains(&index) {
                            services.push(index);
                        }
                    }
                }
            }
        }
        let mut taken: HashSet<String> = owners.keys().cloned().collect();
        let mut ids = HashMap::new();
        for (id, services) in owners {
            if services.len() == 1 {
                ids.insert((services[0], id.clone()), id);
                continue;
            }
            let names: Vec<&str> = services
                .iter()
                .map(|&s| self.services[s].name.as_str())
                .collect();
            if self.settings.collisions == Collisions::Error {
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::OPERATION_ID_COLLISION,
                        format!(
                            "operationId `{id}` is used by services {}",
                            names.join(", ")
                        ),
                    )
                    .with_help("rename one, or set `[gateway] collisions = \"prefix\"`"),
                );
                continue;
            }
            taken.remove(&id);
            for service in services {
                let base = format!("{}_{id}", self.services[service].name);
                let renamed = unique_name(&mut taken, base);
                self.report.renames.push(Rename {
                    service: self.services[service].name.clone(),
                    kind: "operationId".to_owned(),
                    from: id.clone(),
                    to: renamed.clone(),
                });
                ids.insert((service, id.clone()), renamed);
            }
        }
        ids
    }

    /// Adds one service's paths under its prefix; returns its operation count.
    fn lay_out_paths(
        &mut self,
        index: usize,
        bundle: &mut Bundle,
        names: &NameMap,
        operation_ids: &HashMap<(usize, String), String>,
        paths: &mut IndexMap<String, Map<String, Value>>,
        seen: &mut HashMap<(String, String), (usize, Location)>,
    ) -> usize {
        let service = &self.services[index];
        let mut count = 0;
        for (path, item) in std::mem::take(&mut bundle.paths) {
            let gateway_path =
                gateway_path(&path, &service.prefix, service.strip_prefix.as_deref());
            let Value::Object(mut item) = item else {
                continue;
            };
            let path_servers = item.remove("servers");
            self.decorate_operations(
                index,
                &mut item,
                names,
                operation_ids,
                path_servers.as_ref(),
            );

            let shape = template_shape(&gateway_path);
            let location = Location::new(
                &service.documents[0].display,
                pointer::join(&["paths", &path]),
            );
            let mut conflict = false;
            for (method, _) in operations(&item) {
                let key = (shape.clone(), method.to_owned());
                if let Some((other, other_location)) = seen.get(&key) {
                    let other_name = self.services[*other].name.clone();
                    self.diagnostics.push(
                        Diagnostic::error(
                            codes::PATH_CONFLICT,
                            format!(
                                "`{} {gateway_path}` is produced by services {other_name} and {}",
                                method.to_ascii_uppercase(),
                                service.name
                            ),
                        )
                        .at(location.clone())
                        .with_related(
                            other_location.clone(),
                            format!("service {other_name} defines it here"),
                        ),
                    );
                    conflict = true;
                } else {
                    seen.insert(key, (index, location.clone()));
                }
            }
            if conflict {
                continue;
            }
            count += operations(&item).count();
            match paths.get_mut(&gateway_path) {
                None => {
                    paths.insert(gateway_path, item);
                }
                Some(existing) => {
                    // Two services share the path: path-level parameters move onto
                    // each one's operations so neither applies to the other's.
                    push_down_parameters(existing);
                    push_down_parameters(&mut item);
                    for (key, value) in item {
                        existing.entry(key).or_insert(value);
                    }
                }
            }
        }
        count
    }

    /// Provenance, upstream servers, pushed-down security, gateway operationIds, service tags.
    fn decorate_operations(
        &self,
        index: usize,
        item: &mut Map<String, Value>,
        names: &NameMap,
        operation_ids: &HashMap<(usize, String), String>,
        path_servers: Option<&Value>,
    ) {
        let service = &self.services[index];
        let root = &service.documents[0].value;
        let root_security = root
            .get("security")
            .map(|security| rename_security(index, security, names));
        let root_servers = root.get("servers");
        for (key, operation) in item.iter_mut() {
            if !is_method(key) {
                continue;
            }
            let Some(operation) = operation.as_object_mut() else {
                continue;
            };
            operation.insert("x-contracts-service".into(), json!(service.name));
            let upstream = operation
                .remove("servers")
                .or_else(|| path_servers.cloned())
                .or_else(|| root_servers.cloned());
            if let Some(upstream) =
                upstream.filter(|servers| servers.as_array().is_some_and(|list| !list.is_empty()))
            {
                operation.insert("x-contracts-upstream".into(), upstream);
            }
            match operation.get("security") {
                Some(security) => {
                    let renamed = rename_security(index, security, names);
                    operation.insert("security".into(), renamed);
                }
                None => {
                    if let Some(security) = &root_security {
                        operation.insert("security".into(), security.clone());
                    }
                }
            }
            if let Some(id) = operation.get("operationId").and_then(Value::as_str)
                && let Some(gateway_id) = operation_ids.get(&(index, id.to_owned()))
            {
                operation.insert("operationId".into(), json!(gateway_id));
            }
            if self.settings.service_tags {
                let tags = operation.entry("tags").or_insert_with(|| json!([]));
                if let Value::Array(tags) = tags
                    && !tags.contains(&json!(service.name))
                {
                    tags.insert(0, json!(service.name));
                }
            }
        }
    }

    /// Tags of all services, first description winning; conflicts reported.
    fn tags(&mut self) -> Vec<Value> {
        let mut tags: IndexMap<String, (usize, Value)> = IndexMap::new();
        for (index, service) in self.services.iter().enumerate() {
            let mut candidates = Vec::new();
            if self.settings.service_tags {
                let description = service.description.clone().or_else(|| {
                    service.documents[0]
                        .value
                        .pointer("/info/title")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                });
                let mut tag = json!({"name": service.name});
                if let Some(description) = description {
                    tag["description"] = json!(description);
                }
                candidates.push(tag);
            }
            if let Some(Value::Array(own)) = service.documents[0].value.get("tags") {
                candidates.extend(own.iter().cloned());
            }
            for tag in candidates {
                let Some(name) = tag.get("name").and_then(Value::as_str).map(str::to_owned) else {
                    continue;
                };
                match tags.get(&name) {
                    None => {
                        tags.insert(name, (index, tag));
                    }
                    Some((first, kept)) => {
                        let description = |tag: &Value| tag.get("description").cloned();
                        if description(kept).is_some()
                            && description(&tag).is_some()
                            && description(kept) != description(&tag)
                        {
                            let message = format!(
                                "tag `{name}` has different descriptions in services {} and {}; the first is kept",
                                self.services[*first].name, service.name
                            );
                            self.diagnostics.push(
                                Diagnostic::warning(codes::TAG_CONFLICT, message.clone())
                                    .at(Location::new(&service.documents[0].display, "/tags")),
                            );
                            self.report.conflicts.push(message);
                        } else if description(kept).is_none() && description(&tag).is_some() {
                            tags.insert(name, (*first, tag));
                        }
                    }
                }
            }
        }
        tags.into_values().map(|(_, tag)| tag).collect()
    }

    /// `x-contracts-services`: where each part of the gateway came from.
    fn provenance(&self) -> Value {
        let services = self
            .services
            .iter()
            .map(|service| {
                let root = &service.documents[0];
                let mut entry = json!({
                    "spec": root.display.to_string_lossy().replace('\\', "/"),
                    "openapi": root.value.get("openapi").cloned().unwrap_or(Value::Null),
                    "version": root.value.pointer("/info/version").cloned().unwrap_or(Value::Null),
                });
                if !service.prefix.is_empty() {
                    entry["prefix"] = json!(service.prefix);
                }
                // A service's root extensions and external docs have no place in a
                // gateway's root; they are kept here rather than lost.
                if let Value::Object(map) = &*root.value {
                    for (key, value) in map
                        .iter()
                        .filter(|(key, _)| key.starts_with("x-") || *key == "externalDocs")
                    {
                        entry[key] = value.clone();
                    }
                }
                (service.name.clone(), entry)
            })
            .collect();
        Value::Object(services)
    }
}

/// Rewrites the bundled refs of one service to gateway names.
fn rename_refs(service: usize, bundle: &mut Bundle, names: &NameMap) {
    struct Renamer<'n> {
        service: usize,
        names: &'n NameMap,
    }
    impl Visitor for Renamer<'_> {
        fn reference(&mut self, _kind: Kind, reference: &mut String, _pointer: &str) {
            if let Some((kind, name)) = parse_component_ref(reference)
                && let Some(renamed) = self.names.get(&(self.service, kind, name))
            {
                *reference = component_ref(kind, renamed);
            }
        }
    }
    let mut renamer = Renamer { service, names };
    for (kind, entries) in bundle.components.iter_mut() {
        for value in entries.values_mut() {
            Walker::new(&mut renamer, "").component(*kind, value);
        }
    }
    for item in bundle
        .paths
        .values_mut()
        .chain(bundle.webhooks.values_mut())
    {
        Walker::new(&mut renamer, "").component(Kind::PathItem, item);
    }
}

/// Security requirements name schemes by key, not by `$ref`: rename the keys.
fn rename_security(service: usize, security: &Value, names: &NameMap) -> Value {
    let Value::Array(requirements) = security else {
        return security.clone();
    };
    Value::Array(
        requirements
            .iter()
            .map(|requirement| match requirement {
                Value::Object(schemes) => Value::Object(
                    schemes
                        .iter()
                        .map(|(scheme, scopes)| {
                            let key = (service, Kind::SecurityScheme, scheme.clone());
                            (
                                names.get(&key).cloned().unwrap_or_else(|| scheme.clone()),
                                scopes.clone(),
                            )
                        })
                        .collect(),
                ),
                other => other.clone(),
            })
            .collect(),
    )
}

fn is_method(key: &str) -> bool {
    matches!(
        key,
        "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
    )
}

/// The operations of a path item, with their methods.
fn operations(item: &Map<String, Value>) -> impl Iterator<Item = (&str, &Map<String, Value>)> {
    item.iter()
        .filter(|(key, _)| is_method(key))
        .filter_map(|(key, value)| Some((key.as_str(), value.as_object()?)))
}

/// Moves path-level `parameters` into each operation (an operation's own win).
fn push_down_parameters(item: &mut Map<String, Value>) {
    let Some(Value::Array(shared)) = item.remove("parameters") else {
        return;
    };
    for (key, operation) in item.iter_mut() {
        if !is_method(key) {
            continue;
        }
        let Some(operation) = operation.as_object_mut() else {
            continue;
        };
        let own = operation.entry("parameters").or_insert_with(|| json!([]));
        let Value::Array(own) = own else { continue };
        let identity = |parameter: &Value| {
            (
                parameter.get("name").cloned(),
                parameter.get("in").cloned(),
                parameter.get("$ref").cloned(),
            )
        };
        let mut merged: Vec<Value> = shared
            .iter()
            .filter(|parameter| !own.iter().any(|mine| identity(mine) == identity(parameter)))
            .cloned()
            .collect();
        merged.append(own);
        *own = merged;
    }
}

/// `prefix` + the path without `strip_prefix` (`/users` + `/{id}` = `/users/{id}`).
pub fn gateway_path(path: &str, prefix: &str, strip_prefix: Option<&str>) -> String {
    let stripped = match strip_prefix {
        Some(strip) if !strip.is_empty() => match path.strip_prefix(strip.trim_end_matches('/')) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
            _ => path,
        },
        _ => path,
    };
    let prefix = prefix.trim_end_matches('/');
    match (prefix.is_empty(), stripped) {
        (true, "") => "/".to_owned(),
        (true, rest) => rest.to_owned(),
        (false, "" | "/") => prefix.to_owned(),
        (false, rest) if rest.starts_with('/') => format!("{prefix}{rest}"),
        (false, rest) => format!("{prefix}/{rest}"),
    }
}

/// `base`, or `base2`, `base3`, ... : the first not yet taken (and now taken).
fn unique_name(taken: &mut HashSet<String>, base: String) -> String {
    let mut name = base.clone();
    let mut counter = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}{counter}");
        counter += 1;
    }
    name
}

/// `order-backend` -> `OrderBackend`.
fn pascal_case(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .map(upper_first)
        .collect()
}

/// `auth` -> `Auth`, so a prefixed name reads as one word (`UserAuth`).
fn upper_first(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
