//! Each service's part of the gateway, and the gateway put together from
//! the parts. A part is a service's bundle with refs renamed to gateway
//! names, its path items under gateway paths with operations decorated, and
//! the components placed from it. Besides its bundle, a part depends only on
//! what its `Signature` holds; `watch` keeps parts between merges (in
//! `Bundles`), so an edit renames, lays out and emits again only the
//! services whose part changed, and the gateway's text is the parts' texts
//! put together.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use contracts_diagnostics::{Diagnostic, Location};
use contracts_load::{Format, Pieces, emit_entry};
use contracts_model::{pointer, template_shape};
use indexmap::IndexMap;
use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::bundle::Bundle;
use crate::names::rename_refs;
use crate::paths::{operations, push_down_parameters};
use crate::{Kind, Merger, NameMap, OperationIds, Placed, Service, ServiceSummary, codes};

/// What one service's part is laid out with.
pub(crate) struct Layout<'a> {
    pub index: usize,
    pub service: &'a Service,
    pub service_tags: bool,
    pub names: &'a NameMap,
    pub operation_ids: &'a OperationIds,
}

/// Everything a part depends on besides its bundle: equal signatures over
/// the same bundle make equal parts.
#[derive(PartialEq, Eq)]
pub(crate) struct Signature {
    /// The bundle's generation in `Bundles`.
    generation: u64,
    /// The gateway name of each bundled component, in bundle order.
    names: Vec<Option<String>>,
    /// The components placed from this service: kind, bundled and gateway name.
    placed: Vec<(Kind, String, String)>,
    /// The gateway operationId of each operation, in bundle order.
    operation_ids: Vec<Option<String>>,
    service: (String, String, Option<String>),
    service_tags: bool,
}

impl Signature {
    pub fn of(
        layout: &Layout,
        bundle: &Bundle,
        generation: u64,
        placed: &[(Kind, String, String)],
    ) -> Signature {
        let service = layout.service;
        Signature {
            generation,
            names: Self::names(layout, bundle)
                .map(|name| name.cloned())
                .collect(),
            placed: placed.to_vec(),
            operation_ids: (Self::operation_ids(layout, bundle).map(|id| id.cloned())).collect(),
            service: (
                service.name.clone(),
                service.prefix.clone(),
                service.strip_prefix.clone(),
            ),
            service_tags: layout.service_tags,
        }
    }

    /// Whether [`Signature::of`] the same would be equal to this one (without making it).
    pub fn holds(
        &self,
        layout: &Layout,
        bundle: &Bundle,
        generation: u64,
        placed: &[(Kind, String, String)],
    ) -> bool {
        let (name, prefix, strip_prefix) = &self.service;
        let service = layout.service;
        self.generation == generation
            && self.service_tags == layout.service_tags
            && (name, prefix, strip_prefix)
                == (&service.name, &service.prefix, &service.strip_prefix)
            && self.placed == placed
            && (self.names.iter().map(Option::as_ref)).eq(Self::names(layout, bundle))
            && (self.operation_ids.iter().map(Option::as_ref))
                .eq(Self::operation_ids(layout, bundle))
    }

    fn names<'l>(
        layout: &'l Layout,
        bundle: &'l Bundle,
    ) -> impl Iterator<Item = Option<&'l String>> {
        (bundle.components.iter())
            .flat_map(|(kind, entries)| entries.keys().map(move |name| (*kind, name)))
            .map(|(kind, name)| layout.names.get(&(layout.index, kind, name.clone())))
    }

    fn operation_ids<'l>(
        layout: &'l Layout,
        bundle: &'l Bundle,
    ) -> impl Iterator<Item = Option<&'l String>> {
        (bundle.paths.values().chain(bundle.webhooks.values()))
            .filter_map(Value::as_object)
            .flat_map(operations)
            .filter_map(|(_, operation)| operation.get("operationId")?.as_str())
            .map(|id| layout.operation_ids.get(&(layout.index, id.to_owned())))
    }
}

/// One path item of a service on the gateway.
pub(crate) struct PathEntry {
    /// Where the service wrote the item.
    origin: Location,
    gateway_path: String,
    item: Map<String, Value>,
    /// (template shape, method) of each operation: what two services may not both serve.
    routes: Vec<(String, String)>,
}

pub(crate) struct Part {
    /// `None` for parts not kept between merges.
    pub signature: Option<Signature>,
    paths: Vec<PathEntry>,
    /// Name, item, and where the service wrote it.
    webhooks: Vec<(String, Value, Location)>,
    /// The components placed from this service, by kind and bundled name:
    /// gateway name, value, and where the service wrote it.
    components: IndexMap<(Kind, String), (String, Value, Location)>,
    /// All the service's bundled components, placed or not.
    component_count: usize,
    /// The entries' texts in the format they were first asked for.
    texts: OnceLock<(Format, Texts)>,
}

/// A part's entries as the gateway's text holds them.
#[derive(Clone)]
struct Texts {
    paths: Vec<String>,
    webhooks: Vec<String>,
    components: Vec<String>,
}

impl Part {
    /// Renames the bundle's refs and lays out its paths, webhooks and placed components.
    pub fn new(
        layout: &Layout,
        bundle: Arc<Bundle>,
        placed: &[(Kind, String, String)],
        signature: Option<Signature>,
    ) -> Part {
        let mut bundle = Arc::unwrap_or_clone(bundle);
        rename_refs(layout.index, &mut bundle, layout.names);
        let service = layout.service;
        let components = (placed.iter())
            .filter_map(|(kind, local, gateway_name)| {
                let value = bundle.components.get_mut(kind)?.get_mut(local)?;
                let value = std::mem::take(value);
                let origin = bundle.origins[&(*kind, local.clone())].clone();
                Some((
                    (*kind, local.clone()),
                    (gateway_name.clone(), value, origin),
                ))
            })
            .collect();
        // Bundling records an origin with every item it keeps.
        let mut origin_of = |section: &'static str, name: &str| {
            (bundle.item_origins.remove(&(section, name.to_owned())))
                .expect("a bundled item has its origin")
        };
        let paths = (std::mem::take(&mut bundle.paths).into_iter())
            .filter_map(|(path, item)| {
                let origin = origin_of("paths", &path);
                let Value::Object(mut item) = item else {
                    return None;
                };
                let gateway_path =
                    crate::prefixed_path(&path, &service.prefix, service.strip_prefix.as_deref());
                let path_servers = item.remove("servers");
                layout.decorate(&mut item, path_servers.as_ref());
                let shape = template_shape(&gateway_path);
                let routes = operations(&item)
                    .map(|(method, _)| (shape.clone(), method.to_owned()))
                    .collect();
                Some(PathEntry {
                    origin,
                    gateway_path,
                    item,
                    routes,
                })
            })
            .collect();
        let webhooks = (std::mem::take(&mut bundle.webhooks).into_iter())
            .map(|(name, mut item)| {
                if let Value::Object(map) = &mut item {
                    layout.decorate(map, None);
                }
                let origin = origin_of("webhooks", &name);
                (name, item, origin)
            })
            .collect();
        Part {
            signature,
            paths,
            webhooks,
            components,
            component_count: bundle.components.values().map(IndexMap::len).sum(),
            texts: OnceLock::new(),
        }
    }

    /// The entries' texts in `format`: kept from the first time they were asked for in it.
    fn texts(&self, format: Format) -> Cow<'_, Texts> {
        let (kept, texts) = self.texts.get_or_init(|| (format, self.emit(format)));
        if *kept == format {
            Cow::Borrowed(texts)
        } else {
            Cow::Owned(self.emit(format))
        }
    }

    /// Paths and webhooks sit one mapping below the root, components two.
    fn emit(&self, format: Format) -> Texts {
        Texts {
            paths: (self.paths.iter())
                .map(|entry| {
                    let item = Value::Object(entry.item.clone());
                    emit_entry(&entry.gateway_path, &item, 1, format)
                })
                .collect(),
            webhooks: (self.webhooks.iter())
                .map(|(name, item, _)| emit_entry(name, item, 1, format))
                .collect(),
            components: (self.components.values())
                .map(|(name, value, _)| emit_entry(name, value, 2, format))
                .collect(),
        }
    }
}

/// An entry of the gateway: one of a part's (by part and entry index), or
/// one made of several services' (a path two services share).
enum Slot {
    Part(usize, usize),
    /// The item, and the (part, path entry) of each service sharing it.
    Made(Value, Vec<(usize, usize)>),
}

/// The merged gateway: its top-level fields and its entries, held by the
/// parts they come from.
pub struct Gateway {
    /// `openapi`, `info`, `servers`, `tags`.
    head: Vec<(&'static str, Value)>,
    paths: IndexMap<String, Slot>,
    /// By name: (part, webhook index).
    webhooks: IndexMap<String, (usize, usize)>,
    /// Placed components by kind: (part, component index).
    components: Vec<(Kind, Vec<(usize, usize)>)>,
    /// `x-contracts-services`.
    provenance: Value,
    parts: Vec<Arc<Part>>,
}

impl Gateway {
    /// The gateway as one document.
    pub fn document(&self) -> Value {
        let mut document: Map<String, Value> = (self.head.iter())
            .map(|(key, value)| ((*key).to_owned(), value.clone()))
            .collect();
        let paths = (self.paths.iter())
            .map(|(path, slot)| {
                let item = match slot {
                    Slot::Part(part, entry) => {
                        Value::Object(self.parts[*part].paths[*entry].item.clone())
                    }
                    Slot::Made(item, _) => item.clone(),
                };
                (path.clone(), item)
            })
            .collect();
        document.insert("paths".into(), Value::Object(paths));
        if !self.webhooks.is_empty() {
            let webhooks = (self.webhooks.iter())
                .map(|(name, &(part, index))| {
                    (name.clone(), self.parts[part].webhooks[index].1.clone())
                })
                .collect();
            document.insert("webhooks".into(), Value::Object(webhooks));
        }
        if !self.components.is_empty() {
            let sections = (self.components.iter())
                .map(|(kind, entries)| {
                    let entries = (entries.iter())
                        .map(|&(part, index)| {
                            let (_, (name, value, _)) = self.parts[part]
                                .components
                                .get_index(index)
                                .expect("a placed component is its part's");
                            (name.clone(), value.clone())
                        })
                        .collect();
                    (kind.section().to_owned(), Value::Object(entries))
                })
                .collect();
            document.insert("components".into(), Value::Object(sections));
        }
        document.insert("x-contracts-services".into(), self.provenance.clone());
        Value::Object(document)
    }

    /// The gateway as text, byte for byte `contracts_load::emit` of
    /// [`Gateway::document`]: each part's entries emitted once per format
    /// (on all cores), kept with the part, and put together.
    pub fn text(&self, format: Format) -> String {
        let texts: Vec<Cow<Texts>> = (self.parts.par_iter())
            .map(|part| part.texts(format))
            .collect();
        let mut pieces = Pieces::new(format);
        for (key, value) in &self.head {
            pieces.value(key, value);
        }
        pieces.open("paths");
        for (path, slot) in &self.paths {
            match slot {
                Slot::Part(part, entry) => pieces.text(&texts[*part].paths[*entry]),
                Slot::Made(item, _) => pieces.value(path, item),
            }
        }
        pieces.close();
        if !self.webhooks.is_empty() {
            pieces.open("webhooks");
            for &(part, index) in self.webhooks.values() {
                pieces.text(&texts[part].webhooks[index]);
            }
            pieces.close();
        }
        if !self.components.is_empty() {
            pieces.open("components");
            for (kind, entries) in &self.components {
                pieces.open(kind.section());
                for &(part, index) in entries {
                    pieces.text(&texts[part].components[index]);
                }
                pieces.close();
            }
            pieces.close();
        }
        pieces.value("x-contracts-services", &self.provenance);
        pieces.finish()
    }
}

/// Where the services wrote what the gateway holds: diagnostics about the
/// merged document point at the services' files through it.
pub struct Origins<'g> {
    gateway: &'g Gateway,
    /// Placed components by kind and gateway name: (part, component index).
    components: HashMap<(Kind, &'g str), (usize, usize)>,
}

impl Gateway {
    pub fn origins(&self) -> Origins<'_> {
        let components = (self.components.iter())
            .flat_map(|(kind, entries)| entries.iter().map(move |&placed| (*kind, placed)))
            .filter_map(|(kind, (part, index))| {
                let (_, (name, ..)) = self.parts[part].components.get_index(index)?;
                Some(((kind, name.as_str()), (part, index)))
            })
            .collect();
        Origins {
            gateway: self,
            components,
        }
    }
}

impl Origins<'_> {
    /// The file and pointer a service wrote `pointer` (into the gateway)
    /// at, when it is inside a path item, webhook or component. In a path
    /// item two services share, the operation's own `parameters` are not
    /// the service's (the path's were moved onto them): a pointer into them
    /// stops at the operation.
    pub fn of(&self, pointer: &str) -> Option<Location> {
        let gateway = self.gateway;
        let segments = pointer::segments(pointer).ok()?;
        let (origin, rest) = match segments.as_slice() {
            [section, path, rest @ ..] if section == "paths" => match gateway.paths.get(path)? {
                Slot::Part(part, entry) => (&gateway.parts[*part].paths[*entry].origin, rest),
                Slot::Made(_, sharing) => {
                    let entry = |&(part, entry): &(usize, usize)| &gateway.parts[part].paths[entry];
                    // The first service to have a key is the one whose value the item holds.
                    let holder = (sharing.iter().map(entry))
                        .find(|entry| rest.first().is_some_and(|key| entry.item.contains_key(key)));
                    let holder = holder.or_else(|| sharing.first().map(entry))?;
                    let rest = match rest {
                        [_, parameters, ..] if parameters == "parameters" => &rest[..1],
                        _ => rest,
                    };
                    (&holder.origin, rest)
                }
            },
            [section, name, rest @ ..] if section == "webhooks" => {
                let &(part, index) = gateway.webhooks.get(name)?;
                (&gateway.parts[part].webhooks[index].2, rest)
            }
            [section, kind, name, rest @ ..] if section == "components" => {
                let kind = Kind::from_section(kind)?;
                let &(part, index) = self.components.get(&(kind, name.as_str()))?;
                let (_, (_, _, origin)) = gateway.parts[part].components.get_index(index)?;
                (origin, rest)
            }
            _ => return None,
        };
        let pointer = format!("{}{}", origin.pointer, pointer::join(rest));
        Some(Location::new(&origin.file, pointer))
    }
}

impl Merger<'_> {
    /// Puts the parts together: each service's paths in service order (two
    /// services serving the same method and path is an error; a path two
    /// services share gets both's operations), webhooks (the first of a
    /// name kept), and the components in `placed` order.
    pub(crate) fn assemble(
        &mut self,
        parts: Vec<Arc<Part>>,
        placed: &[Placed],
        head: Vec<(&'static str, Value)>,
        provenance: Value,
    ) -> Gateway {
        let mut paths: IndexMap<String, Slot> = IndexMap::new();
        let mut webhooks: IndexMap<String, (usize, usize)> = IndexMap::new();
        // Each route's first server: part and path entry.
        let mut seen: HashMap<&(String, String), (usize, usize)> = HashMap::new();
        for (index, part) in parts.iter().enumerate() {
            let mut operation_count = 0;
            for (entry_index, entry) in part.paths.iter().enumerate() {
                let mut conflict = false;
                for route in &entry.routes {
                    match seen.get(route) {
                        Some(&(other, other_entry)) => {
                            let other_origin = &parts[other].paths[other_entry].origin;
                            self.path_conflict(index, entry, route, other, other_origin);
                            conflict = true;
                        }
                        None => {
                            seen.insert(route, (index, entry_index));
                        }
                    }
                }
                if conflict {
                    continue;
                }
                operation_count += entry.routes.len();
                match paths.get_mut(&entry.gateway_path) {
                    None => {
                        paths.insert(entry.gateway_path.clone(), Slot::Part(index, entry_index));
                    }
                    Some(existing) => {
                        // Two services share the path: path-level parameters move onto
                        // each one's operations so neither applies to the other's.
                        let empty = Slot::Made(Value::Null, Vec::new());
                        let (mut shared, mut sharing) = match std::mem::replace(existing, empty) {
                            Slot::Part(part, entry) => {
                                (parts[part].paths[entry].item.clone(), vec![(part, entry)])
                            }
                            Slot::Made(Value::Object(item), sharing) => (item, sharing),
                            Slot::Made(..) => unreachable!("a shared path item is an object"),
                        };
                        push_down_parameters(&mut shared);
                        let mut item = entry.item.clone();
                        push_down_parameters(&mut item);
                        for (key, value) in item {
                            shared.entry(key).or_insert(value);
                        }
                        sharing.push((index, entry_index));
                        *existing = Slot::Made(Value::Object(shared), sharing);
                    }
                }
            }
            for (webhook_index, (name, ..)) in part.webhooks.iter().enumerate() {
                if webhooks.contains_key(name) {
                    self.report.conflicts.push(format!(
                        "webhook `{name}` is defined by more than one service; the first is kept"
                    ));
                    continue;
                }
                webhooks.insert(name.clone(), (index, webhook_index));
            }
            self.report.services.push(ServiceSummary {
                name: self.services[index].name.clone(),
                prefix: self.services[index].prefix.clone(),
                operations: operation_count,
                components: part.component_count,
            });
        }
        let mut components: IndexMap<Kind, Vec<(usize, usize)>> = IndexMap::new();
        for (kind, _, service, local) in placed {
            let Some(index) = parts[*service]
                .components
                .get_index_of(&(*kind, local.clone()))
            else {
                continue;
            };
            components.entry(*kind).or_default().push((*service, index));
        }
        Gateway {
            head,
            paths,
            webhooks,
            components: components.into_iter().collect(),
            provenance,
            parts,
        }
    }

    fn path_conflict(
        &mut self,
        index: usize,
        entry: &PathEntry,
        (_, method): &(String, String),
        other: usize,
        other_origin: &Location,
    ) {
        let service = &self.services[index];
        let other_service = &self.services[other];
        self.diagnostics.push(
            Diagnostic::error(
                codes::PATH_CONFLICT,
                format!(
                    "`{} {}` is produced by services {} and {}",
                    method.to_ascii_uppercase(),
                    entry.gateway_path,
                    other_service.name,
                    service.name
                ),
            )
            .at(entry.origin.clone())
            .with_related(
                other_origin.clone(),
                format!("service {} defines it here", other_service.name),
            ),
        );
    }
}
