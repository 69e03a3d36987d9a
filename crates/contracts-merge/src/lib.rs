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
mod parts;
mod paths;

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use contracts_diagnostics::{Diagnostic, Location};
use contracts_model::Version;
use indexmap::IndexMap;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value, json};

pub use bundle::{SchemaMode, SourceDocument};
pub use contracts_model::graph::Kind;
pub use parts::{Gateway, Origins};
pub use paths::prefixed_path;

use crate::bundle::{Bundle, bundle};
use crate::equal::Verdicts;
use crate::parts::{Layout, Part, Signature};

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

pub struct Merged {
    pub gateway: Gateway,
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

/// Each service's bundled form and its part of the gateway, kept between
/// merges (`watch`): a service whose documents are the same `Arc`s as last
/// time, read in the same schema mode, is not bundled again, and its part
/// is reused while its signature (the names the merge gives its
/// components and operations, its prefix) stays the same. One bundle per
/// service and mode, one part per service, mode and set of services merged
/// (the gateway, each subset), so the cache is bounded by the config.
/// Verdicts on same-named components of two services are kept while
/// neither service is bundled again.
#[derive(Default)]
pub struct Bundles {
    by_service: HashMap<(String, SchemaMode), CachedBundle>,
    parts: HashMap<(String, SchemaMode, u64), Arc<Part>>,
    /// Bundles made so far: each fresh bundle's generation.
    made: u64,
    verdicts: Verdicts,
}

struct CachedBundle {
    documents: Vec<Arc<Value>>,
    bundle: Arc<Bundle>,
    generation: u64,
}

impl Bundles {
    /// Each service's bundle, from the cache when its input is unchanged,
    /// else bundled (on all cores) and kept, with its generation.
    fn of(&mut self, services: &[Service], modes: &[SchemaMode]) -> Vec<(Arc<Bundle>, u64)> {
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
                        bundle: Arc::new(bundle),
                        generation,
                    },
                );
            }
        }
        let bundles = (services.iter().zip(modes))
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
    let gateway = merger.run();
    Merged {
        gateway,
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

/// Gateway operationIds: (service, bundled id) -> id.
type OperationIds = HashMap<(usize, String), String>;

/// A gateway component: kind, gateway name, and the service and bundled name it comes from.
type Placed = (Kind, String, usize, String);

impl Merger<'_> {
    fn run(&mut self) -> Gateway {
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
        let (bundles, generations): (Vec<Arc<Bundle>>, Option<Vec<u64>>) =
            match self.cache.as_deref_mut() {
                Some(cache) => {
                    let (bundles, generations) =
                        cache.of(self.services, &modes).into_iter().unzip();
                    (bundles, Some(generations))
                }
                None => {
                    let bundles = (self.services.par_iter().zip(&modes))
                        .map(|(service, mode)| Arc::new(bundle(&service.documents, *mode)))
                        .collect();
                    (bundles, None)
                }
            };
        for (index, bundle) in bundles.iter().enumerate() {
            self.diagnostics.extend(bundle.diagnostics.iter().cloned());
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
        let operation_ids = self.operation_ids(&bundles);
        let parts = self.parts(
            bundles,
            &modes,
            generations.as_deref(),
            &names,
            &placed,
            &operation_ids,
        );
        let head = self.head();
        let provenance = self.provenance();
        self.assemble(parts, &placed, head, provenance)
    }

    /// Each service's part: kept from an earlier merge when its signature
    /// is the same, else made (on all cores) and, with a cache, kept.
    fn parts(
        &mut self,
        bundles: Vec<Arc<Bundle>>,
        modes: &[SchemaMode],
        generations: Option<&[u64]>,
        names: &NameMap,
        placed: &[Placed],
        operation_ids: &OperationIds,
    ) -> Vec<Arc<Part>> {
        let services = self.services;
        let mut placed_by_service: Vec<Vec<(Kind, String, String)>> =
            vec![Vec::new(); services.len()];
        for (kind, gateway_name, service, local) in placed {
            placed_by_service[*service].push((*kind, local.clone(), gateway_name.clone()));
        }
        let layouts: Vec<Layout> = (services.iter().enumerate())
            .map(|(index, service)| Layout {
                index,
                service,
                service_tags: self.settings.service_tags,
                names,
                operation_ids,
            })
            .collect();
        let (Some(generations), Some(cache)) = (generations, self.cache.as_deref_mut()) else {
            return (bundles
                .into_par_iter()
                .zip(&layouts)
                .zip(&placed_by_service))
            .map(|((bundle, layout), placed)| Arc::new(Part::new(layout, bundle, placed, None)))
            .collect();
        };
        // Parts are kept per set of services merged: the gateway's and a subset's differ.
        let merge_id = {
            let mut hasher = DefaultHasher::new();
            for service in services {
                service.name.hash(&mut hasher);
            }
            hasher.finish()
        };
        let keys: Vec<(String, SchemaMode, u64)> = (services.iter().zip(modes))
            .map(|(service, mode)| (service.name.clone(), *mode, merge_id))
            .collect();
        let kept = &cache.parts;
        let parts: Vec<Arc<Part>> = (bundles.into_par_iter().enumerate())
            .map(|(index, bundle)| {
                let (layout, placed) = (&layouts[index], &placed_by_service[index]);
                let generation = generations[index];
                match kept.get(&keys[index]) {
                    Some(part)
                        if (part.signature.as_ref()).is_some_and(|kept| {
                            kept.holds(layout, &bundle, generation, placed)
                        }) =>
                    {
                        part.clone()
                    }
                    _ => {
                        let signature = Signature::of(layout, &bundle, generation, placed);
                        Arc::new(Part::new(layout, bundle, placed, Some(signature)))
                    }
                }
            })
            .collect();
        for (key, part) in keys.into_iter().zip(&parts) {
            cache.parts.insert(key, part.clone());
        }
        parts
    }

    /// `openapi`, `info`, `servers` and `tags` of the gateway.
    fn head(&mut self) -> Vec<(&'static str, Value)> {
        let mut head = vec![("openapi", json!(openapi_string(self.output_version)))];
        let mut info = Map::new();
        info.insert("title".into(), json!(self.settings.title));
        info.insert("version".into(), json!(self.settings.version));
        if let Some(description) = &self.settings.description {
            info.insert("description".into(), json!(description));
        }
        head.push(("info", Value::Object(info)));
        if !self.settings.servers.is_empty() {
            head.push(("servers", Value::Array(self.settings.servers.clone())));
        }
        let tags = self.tags();
        if !tags.is_empty() {
            head.push(("tags", Value::Array(tags)));
        }
        head
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
