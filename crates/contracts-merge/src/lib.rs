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
pub mod codes;
mod convert;
mod equal;
mod names;
mod paths;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use contracts_diagnostics::{Diagnostic, Location};
use contracts_model::Version;
use indexmap::IndexMap;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value, json};

pub use bundle::{SchemaMode, SourceDocument};
pub use contracts_model::graph::Kind;
pub use paths::prefixed_path;

use crate::bundle::{Bundle, bundle};
use crate::equal::Verdicts;
use crate::names::rename_refs;

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

/// Merges `services` into one gateway document.
pub fn merge(services: &[Service], settings: &Settings) -> Merged {
    merge_with(services, settings, None)
}

/// [`merge`], reusing the bundles in `cache` and keeping this merge's there.
pub fn merge_cached(services: &[Service], settings: &Settings, cache: &mut Bundles) -> Merged {
    merge_with(services, settings, Some(cache))
}

/// Each service's bundled form, kept between merges (`watch`, and the
/// gateway and subsets of one run): a service whose documents are the same
/// `Arc`s as last time, read in the same schema mode, is not bundled again.
/// One entry per service and mode, so the cache is bounded by the config.
/// Verdicts on same-named components of two services are kept while
/// neither service is bundled again.
#[derive(Default)]
pub struct Bundles {
    by_service: HashMap<(String, SchemaMode), CachedBundle>,
    /// Bundles made so far: each fresh bundle's generation.
    made: u64,
    verdicts: Verdicts,
}

struct CachedBundle {
    documents: Vec<Arc<Value>>,
    bundle: Bundle,
    generation: u64,
}

impl Bundles {
    /// Each service's bundle, from the cache when its input is unchanged,
    /// else bundled (on all cores) and kept, with its generation.
    fn of(&mut self, services: &[Service], modes: &[SchemaMode]) -> Vec<(Bundle, u64)> {
        let fresh: Vec<Option<Bundle>> = (services.par_iter().zip(modes))
            .map(|(service, mode)| {
                let key = (service.name.clone(), *mode);
                let unchanged = self.by_service.get(&key).is_some_and(|cached| {
                    cached.documents.len() == service.documents.len()
                        && (cached.documents.iter().zip(&service.documents))
                            .all(|(kept, now)| Arc::ptr_eq(kept, &now.value))
                });
                (!unchanged).then(|| bundle(&service.documents, *mode))
            })
            .collect();
        for ((service, mode), fresh) in services.iter().zip(modes).zip(fresh) {
            let key = (service.name.clone(), *mode);
            if let Some(bundle) = fresh {
                let documents = service.documents.iter().map(|d| d.value.clone()).collect();
                self.made += 1;
                let generation = self.made;
                self.by_service.insert(
                    key.clone(),
                    CachedBundle {
                        documents,
                        bundle,
                        generation,
                    },
                );
            }
        }
        // The merge edits its bundles (refs renamed, components moved out): copies, on all cores.
        let bundles = (services.par_iter().zip(modes))
            .map(|(service, mode)| {
                let cached = &self.by_service[&(service.name.clone(), *mode)];
                (cached.bundle.clone(), cached.generation)
            })
            .collect();
        let current: HashSet<u64> = self.by_service.values().map(|c| c.generation).collect();
        self.verdicts.forget_all_but(&current);
        bundles
    }
}

fn merge_with(services: &[Service], settings: &Settings, cache: Option<&mut Bundles>) -> Merged {
    let output_version = settings
        .openapi
        .or_else(|| services.iter().map(|s| s.version).max())
        .unwrap_or(Version::V3_1);
    let mut merger = Merger {
        services,
        settings,
        cache,
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
    /// Without one, every service is bundled afresh and nothing is copied.
    cache: Option<&'a mut Bundles>,
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
        // A 3.1 gateway gets every schema in the 3.1 form, 3.1 inputs included:
        // their deprecated `example` and tolerated 3.0 keywords are normalized too.
        let modes: Vec<SchemaMode> = (self.services.iter())
            .map(|service| match (service.version, self.output_version) {
                (Version::V3_0, Version::V3_1) => SchemaMode::Upgrade,
                (Version::V3_1, Version::V3_1) => SchemaMode::Normalize,
                (Version::V3_1, Version::V3_0) => SchemaMode::CheckFor3_0,
                (Version::V3_0, Version::V3_0) => SchemaMode::Keep,
            })
            .collect();
        let (mut bundles, generations): (Vec<Bundle>, Option<Vec<u64>>) =
            match self.cache.as_deref_mut() {
                Some(cache) => {
                    let (bundles, generations) =
                        cache.of(self.services, &modes).into_iter().unzip();
                    (bundles, Some(generations))
                }
                None => {
                    let bundles = (self.services.par_iter().zip(&modes))
                        .map(|(service, mode)| bundle(&service.documents, *mode))
                        .collect();
                    (bundles, None)
                }
            };
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

        let mut verdicts =
            (self.cache.as_deref_mut()).map(|cache| std::mem::take(&mut cache.verdicts));
        let remembered = generations.as_deref().zip(verdicts.as_mut());
        let (names, placed) = self.name_components(&bundles, remembered);
        if let (Some(cache), Some(verdicts)) = (self.cache.as_deref_mut(), verdicts) {
            cache.verdicts = verdicts;
        }
        (bundles.par_iter_mut().enumerate())
            .for_each(|(index, bundle)| rename_refs(index, bundle, &names));
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

#[cfg(test)]
mod tests;
