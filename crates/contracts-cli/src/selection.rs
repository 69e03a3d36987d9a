//! Which contract changes concern a role: its `consumes` selections
//! (services, operation globs, tags), operation lookups by path on the
//! gateway, and where a role's folder and inbox are.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use contracts_config::{Config, Consumes, OperationSelection, Role, Source};
use contracts_diff::Change;
use contracts_diff::rules::{self, Category};
use contracts_model::Contract;
use globset::GlobMatcher;
use indexmap::IndexMap;

/// Makes the config's paths absolute, so that role folders (often `../web`)
/// print and compare the same from any working folder.
pub fn make_absolute(config: &mut Config) {
    for path in [&mut config.file, &mut config.dir] {
        if let Ok(absolute) = std::path::absolute(&*path) {
            *path = contracts_load::normalize(&absolute);
        }
    }
}

/// A role's folder, absolute and without `..` (after [`make_absolute`]).
pub fn role_folder(config: &Config, role: &Role) -> PathBuf {
    contracts_load::normalize(&config.role_folder(role))
}

/// Where a role is notified: its inbox and optional context file, in its folder.
pub fn inbox_path(config: &Config, role: &Role) -> PathBuf {
    let folder = role_folder(config, role);
    folder.join(
        role.notify
            .inbox
            .as_deref()
            .unwrap_or(Path::new(".contracts/inbox.md")),
    )
}

/// One consumed selection, compiled: a service, and the operations of it
/// that count (all when no pattern and no tag is given).
pub struct Selection {
    service: String,
    operations: Vec<(Option<String>, GlobMatcher)>,
    tags: Vec<String>,
}

impl Selection {
    /// Compiles a role's `consumes` entries. A bad glob is an error naming it.
    pub fn compile(consumes: &[Consumes]) -> Result<Vec<Selection>, String> {
        consumes
            .iter()
            .map(|entry| match entry {
                Consumes::Service(service) => Ok(Selection {
                    service: service.clone(),
                    operations: Vec::new(),
                    tags: Vec::new(),
                }),
                Consumes::Operations(OperationSelection {
                    service,
                    operations,
                    tags,
                }) => Ok(Selection {
                    service: service.clone(),
                    operations: operations
                        .iter()
                        .map(|pattern| operation_pattern(pattern))
                        .collect::<Result<_, _>>()?,
                    tags: tags.clone(),
                }),
            })
            .collect()
    }
}

/// `GET /orders/*` or `/orders/**`: an optional method, then a path glob in
/// which `*` stays within one segment and `**` spans several.
fn operation_pattern(pattern: &str) -> Result<(Option<String>, GlobMatcher), String> {
    let (method, path) = match pattern.trim().split_once(char::is_whitespace) {
        Some((method, path)) => (Some(method.to_ascii_uppercase()), path.trim()),
        None => (None, pattern.trim()),
    };
    let glob = globset::GlobBuilder::new(path)
        .literal_separator(true)
        .build()
        .map_err(|error| format!("operation pattern `{pattern}`: {error}"))?;
    Ok((method.filter(|m| m != "*"), glob.compile_matcher()))
}

/// What a change belongs to: the service, and the operation (method, its
/// path in the service and on the gateway, its tags) when it names one.
pub struct Concerned<'a> {
    pub service: &'a str,
    pub operation: Option<&'a OperationInfo>,
}

pub struct OperationInfo {
    pub method: String,
    pub paths: Vec<String>,
    pub tags: Vec<String>,
}

/// Whether a role consuming `selections` is concerned by a change.
pub fn concerns(selections: &[Selection], change: &Concerned) -> bool {
    selections
        .iter()
        .filter(|selection| selection.service == change.service)
        .any(|selection| {
            if selection.operations.is_empty() && selection.tags.is_empty() {
                return true;
            }
            // A change to the service as a whole (no operation) concerns every consumer.
            let Some(operation) = change.operation else {
                return true;
            };
            let by_pattern = selection.operations.iter().any(|(method, glob)| {
                method.as_ref().is_none_or(|m| *m == operation.method)
                    && operation.paths.iter().any(|path| glob.is_match(path))
            });
            by_pattern
                || operation
                    .tags
                    .iter()
                    .any(|tag| selection.tags.contains(tag))
        })
}

/// Every role's compiled selections, in config order: who consumes what,
/// for `check`, `diff`, `impact` and `watch` alike.
pub struct Consumers {
    selections: IndexMap<String, Vec<Selection>>,
}

impl Consumers {
    /// A bad selection is an error naming its role.
    pub fn new(config: &Config) -> Result<Consumers, String> {
        let selections = (config.roles.iter())
            .map(|(name, role)| {
                Selection::compile(&role.consumes)
                    .map(|selections| (name.clone(), selections))
                    .map_err(|message| format!("role `{name}`: {message}"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Consumers { selections })
    }

    /// Whether `change` reaches `role`, the role not owning the service (an
    /// owner is not its own consumer): a wire change when its selections
    /// concern it (`concerned`), a code change when the role generates code
    /// from the service.
    pub fn reaches(
        &self,
        role_name: &str,
        role: &Role,
        change: &Change,
        concerned: &Concerned,
    ) -> bool {
        if role.owns.iter().any(|owned| owned == concerned.service) {
            return false;
        }
        match rules::category_of(&change.id) {
            Category::Wire => concerns(&self.selections[role_name], concerned),
            Category::Code => generates_from(role, concerned.service),
        }
    }

    /// The roles each of one service's changes reaches, in config order.
    /// Change labels are the service's own; `contracts` (base and revision)
    /// are where their operations are found.
    pub fn of_changes(
        &self,
        config: &Config,
        service: &str,
        contracts: &[&Contract],
        changes: &[Change],
    ) -> Vec<Vec<String>> {
        let on_gateway = gateway_paths(config, service);
        let index = OperationIndex::new(contracts, &on_gateway);
        (changes.iter())
            .map(|change| {
                let label = (change.operation.as_deref()).map(|l| gateway_label(l, &on_gateway));
                let concerned = index.concerned(service, label.as_deref());
                (config.roles.iter())
                    .filter(|(name, role)| self.reaches(name, role, change, &concerned))
                    .map(|(name, _)| name.clone())
                    .collect()
            })
            .collect()
    }
}

/// Whether one of the role's `generate` outputs reads `service` (alone, in a
/// list, or through the gateway).
fn generates_from(role: &Role, service: &str) -> bool {
    let generate = &role.generate;
    (generate.ts.iter().map(|output| &output.source))
        .chain(generate.msw.iter().map(|output| &output.source))
        .chain(generate.rust.iter().map(|output| &output.source))
        .any(|source| match source {
            Source::Gateway => true,
            Source::Services(names) => names.iter().any(|name| name == service),
        })
}

/// Maps a path of `service` to the path the gateway serves it under.
pub fn gateway_paths(config: &Config, service: &str) -> impl Fn(&str) -> String + use<> {
    let service = &config.services[service];
    let prefix = service.prefix.clone().unwrap_or_default();
    let strip = service.strip_prefix.clone();
    move |path: &str| contracts_merge::prefixed_path(path, &prefix, strip.as_deref())
}

/// `GET /{id}` of a service as the gateway serves it (`GET /orders/{id}`);
/// labels that name no path (webhooks) stay as they are.
pub fn gateway_label(label: &str, gateway_path: &dyn Fn(&str) -> String) -> String {
    match label.split_once(' ') {
        Some((method, path)) if path.starts_with('/') => {
            format!("{method} {}", gateway_path(path))
        }
        _ => label.to_owned(),
    }
}

/// Operation facts by gateway label (`GET /orders/{id}`), from both sides of
/// a diff: a removed operation is found in the base, an added one in the revision.
pub struct OperationIndex {
    by_label: HashMap<String, OperationInfo>,
}

impl OperationIndex {
    /// `gateway_path` maps a service path to the path the gateway serves it under.
    pub fn new(contracts: &[&Contract], gateway_path: &dyn Fn(&str) -> String) -> OperationIndex {
        let mut by_label = HashMap::new();
        for contract in contracts {
            for operation in &contract.operations {
                let label = gateway_label(&operation.label(), gateway_path);
                by_label.entry(label).or_insert_with(|| OperationInfo {
                    method: operation.method.as_str().to_ascii_uppercase(),
                    paths: vec![operation.path.clone(), gateway_path(&operation.path)],
                    tags: operation.tags.clone(),
                });
            }
        }
        OperationIndex { by_label }
    }

    /// What a change to the operation at gateway label `label` of `service` belongs to.
    pub fn concerned<'a>(&'a self, service: &'a str, label: Option<&str>) -> Concerned<'a> {
        let operation = label.and_then(|label| self.by_label.get(label));
        Concerned { service, operation }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selections(toml: &str) -> Vec<Selection> {
        let config = Config::parse(
            &format!("[services.order]\nspec = \"o.yaml\"\n[services.user]\nspec = \"u.yaml\"\n[roles.r]\n{toml}"),
            Path::new("contracts.toml"),
        )
        .unwrap();
        Selection::compile(&config.roles["r"].consumes).unwrap()
    }

    fn operation(method: &str, path: &str, tags: &[&str]) -> OperationInfo {
        OperationInfo {
            method: method.to_owned(),
            paths: vec![path.to_owned(), format!("/gw{path}")],
            tags: tags.iter().map(|tag| (*tag).to_owned()).collect(),
        }
    }

    /// Whether a change of `service` to the operation concerns the role.
    fn concerns_change(
        selections: &[Selection],
        service: &str,
        method: &str,
        path: &str,
        tags: &[&str],
    ) -> bool {
        let operation = operation(method, path, tags);
        concerns(
            selections,
            &Concerned {
                service,
                operation: Some(&operation),
            },
        )
    }

    #[test]
    fn whole_services_concern_every_change_of_theirs() {
        let consumes = selections("consumes = [\"order\"]");
        assert!(concerns_change(&consumes, "order", "GET", "/orders", &[]));
        assert!(!concerns_change(&consumes, "user", "GET", "/users", &[]));
    }

    #[test]
    fn operation_globs_match_method_and_path() {
        let consumes = selections(
            "consumes = [{ service = \"order\", operations = [\"GET /orders/*\", \"/carts/**\"] }]",
        );
        assert!(concerns_change(
            &consumes,
            "order",
            "GET",
            "/orders/{id}",
            &[]
        ));
        assert!(!concerns_change(
            &consumes,
            "order",
            "DELETE",
            "/orders/{id}",
            &[]
        ));
        assert!(
            !concerns_change(&consumes, "order", "GET", "/orders/{id}/items", &[]),
            "`*` stays within one segment"
        );
        assert!(concerns_change(
            &consumes,
            "order",
            "POST",
            "/carts/a/b",
            &[]
        ));
        assert!(
            !concerns_change(&consumes, "order", "GET", "/x", &[]),
            "unmatched path"
        );
    }

    #[test]
    fn gateway_paths_match_too_and_tags_select() {
        let consumes = selections(
            "consumes = [{ service = \"order\", operations = [\"GET /gw/orders\"], tags = [\"billing\"] }]",
        );
        assert!(concerns_change(&consumes, "order", "GET", "/orders", &[]));
        assert!(concerns_change(
            &consumes,
            "order",
            "PUT",
            "/refunds",
            &["billing"]
        ));
        assert!(!concerns_change(
            &consumes,
            "order",
            "PUT",
            "/refunds",
            &["other"]
        ));
        let service_wide = Concerned {
            service: "order",
            operation: None,
        };
        assert!(concerns(&consumes, &service_wide));
    }

    #[test]
    fn bad_globs_are_errors() {
        let config = Config::parse(
            "[services.order]\nspec = \"o.yaml\"\n[roles.r]\nconsumes = [{ service = \"order\", operations = [\"GET /a/[\"] }]\n",
            Path::new("contracts.toml"),
        )
        .unwrap();
        let error = Selection::compile(&config.roles["r"].consumes)
            .err()
            .unwrap();
        assert!(error.contains("GET /a/["), "{error}");
    }
}
