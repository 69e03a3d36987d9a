//! Gateway names: components (equal ones stored once, colliding ones
//! prefixed or refused), operationIds, and the refs and security
//! requirements rewritten to them.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use contracts_diagnostics::Diagnostic;
use contracts_model::graph::{Kind, Visitor, Walker, component_at};
use indexmap::IndexMap;
use serde_json::Value;

use crate::bundle::Bundle;
use crate::equal::{Comparer, Remembered};
use crate::paths::operations;
use crate::{Collisions, Dedupe, Merger, NameMap, OperationIds, Placed, Rename, codes};

impl Merger<'_> {
    /// Decides every component's gateway name. Returns the names and, in
    /// output order, which service's component each gateway component is.
    pub(crate) fn name_components(
        &mut self,
        bundles: &[Arc<Bundle>],
        remembered: Option<Remembered<'_>>,
    ) -> (NameMap, Vec<Placed>) {
        let all: Vec<&IndexMap<Kind, IndexMap<String, Value>>> =
            bundles.iter().map(|b| &b.components).collect();
        let mut comparer = Comparer::new(&all, remembered);
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
                // Neighbours, not each against the first: equality is
                // transitive, and an edit of one service leaves the
                // verdicts on the other pairs remembered.
                let all_same = services
                    .windows(2)
                    .all(|pair| comparer.same_named(kind, name, pair[0], pair[1]));
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
                // Services whose components are equal share one copy, named
                // after the first of them. Each is compared with a class's
                // latest member: equality is transitive, and an edit of the
                // first leaves the verdicts on the other pairs remembered.
                let mut classes: Vec<Vec<usize>> = Vec::new();
                for &service in services {
                    match (classes.iter_mut()).find(|class| {
                        let latest = *class.last().expect("a class has a member");
                        comparer.same_named(kind, name, latest, service)
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

    fn collision_error(
        &mut self,
        kind: Kind,
        name: &str,
        services: &[usize],
        bundles: &[Arc<Bundle>],
    ) {
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
    pub(crate) fn operation_ids(&mut self, bundles: &[Arc<Bundle>]) -> OperationIds {
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
}

/// Rewrites the bundled refs of one service to gateway names.
pub(crate) fn rename_refs(service: usize, bundle: &mut Bundle, names: &NameMap) {
    struct Renamer<'n> {
        service: usize,
        names: &'n NameMap,
    }
    impl Visitor for Renamer<'_> {
        fn reference(&mut self, _kind: Kind, reference: &mut String, _pointer: &str) {
            if let Some((kind, name)) = component_at(reference)
                && let Some(renamed) = self.names.get(&(self.service, kind, name))
            {
                *reference = kind.component_ref(renamed);
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
pub(crate) fn rename_security(service: usize, security: &Value, names: &NameMap) -> Value {
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

/// `base`, or `base2`, `base3`, ... : the first not yet taken (and now taken).
pub(crate) fn unique_name(taken: &mut HashSet<String>, base: String) -> String {
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
