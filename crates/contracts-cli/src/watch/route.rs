//! Who is told what: a pure function of the changes and the roles, so the
//! routing is tested without a watcher, files or a clock.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::SystemTime;

use contracts_config::Role;
use contracts_diff::{Change, Level};
use indexmap::IndexMap;

use super::notice::{Notice, ServiceChanges};
use crate::selection::{Consumers, OperationIndex};

/// The notice each role gets for `services`' changes, in role order. A
/// role hears of the changes its selections concern, never of its own
/// services; an owner hears only of its changes that break a consumer
/// (errors that reached a notice), with whom they break. `indexes` finds
/// each service's operations (by their gateway labels); `regenerated` lists
/// a role's outputs that were rewritten.
pub fn route<'a>(
    roles: &'a IndexMap<String, Role>,
    consumers: &Consumers,
    services: &'a [ServiceChanges],
    indexes: &HashMap<&str, OperationIndex>,
    time: SystemTime,
    regenerated: &dyn Fn(&str) -> Vec<PathBuf>,
) -> IndexMap<&'a str, Notice<'a>> {
    let mut notices: IndexMap<&str, Notice> = IndexMap::new();
    for (role_name, role) in roles {
        let concerning: Vec<(&ServiceChanges, Vec<&Change>)> = services
            .iter()
            .map(|changes| {
                let index = &indexes[changes.service.as_str()];
                let relevant = changes
                    .changes
                    .iter()
                    .filter(|change| {
                        let concerned =
                            index.concerned(&changes.service, change.operation.as_deref());
                        consumers.reaches(role_name, role, change, &concerned)
                    })
                    .collect::<Vec<_>>();
                (changes, relevant)
            })
            .filter(|(_, relevant)| !relevant.is_empty())
            .collect();
        if concerning.is_empty() {
            continue;
        }
        notices.insert(
            role_name,
            Notice {
                role: role_name,
                time,
                changes: concerning,
                breaks: Vec::new(),
                regenerated: regenerated(role_name),
            },
        );
    }
    for (owner_name, owner) in roles {
        let breaks: Vec<(&str, Vec<&Change>)> = notices
            .values()
            .map(|notice| {
                let broken = notice
                    .changes
                    .iter()
                    .filter(|(changes, _)| owner.owns.contains(&changes.service))
                    .flat_map(|(_, relevant)| relevant.iter().copied())
                    .filter(|change| change.level == Level::Error)
                    .collect::<Vec<_>>();
                (notice.role, broken)
            })
            .filter(|(_, broken)| !broken.is_empty())
            .collect();
        if breaks.is_empty() {
            continue;
        }
        // Only the services' headings: the changes are listed with whom they break.
        let own = services
            .iter()
            .filter(|changes| owner.owns.contains(&changes.service))
            .map(|changes| (changes, Vec::new()));
        // An owner that also consumes other services keeps that notice and gains the breaks.
        let notice = notices.entry(owner_name).or_insert_with(|| Notice {
            role: owner_name,
            time,
            changes: Vec::new(),
            breaks: Vec::new(),
            regenerated: regenerated(owner_name),
        });
        notice.changes.extend(own);
        notice.breaks = breaks;
    }
    notices
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use contracts_config::Config;
    use contracts_model::{Contract, InMemory, build};
    use serde_json::json;

    use super::*;

    /// Roles of a project with services `order` and `user`.
    fn config(roles: &str) -> Config {
        let text = format!(
            "[services.order]\nspec = \"o.yaml\"\n[services.user]\nspec = \"u.yaml\"\n{roles}"
        );
        Config::parse(&text, Path::new("contracts.toml")).unwrap()
    }

    /// A service with `GET /<service>s` (tag `list`) and `DELETE /<service>s/{id}`.
    fn contract(service: &str) -> Contract {
        let id =
            json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]);
        let document = json!({
            "openapi": "3.1.0",
            "info": {"title": service, "version": "1"},
            "paths": {
                format!("/{service}s"): {"get": {"tags": ["list"], "responses": {"200": {"description": "ok"}}}},
                format!("/{service}s/{{id}}"): {"delete": {"parameters": id, "responses": {"204": {"description": "gone"}}}}
            }
        });
        let (contract, diagnostics) = build(&mut InMemory::new("api.yaml", document));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        contract.unwrap()
    }

    fn change(operation: &str, level: Level) -> Change {
        Change {
            id: "some-rule".to_owned(),
            level,
            operation: Some(operation.to_owned()),
            message: operation.to_owned(),
            base: None,
            revision: None,
            allowed: None,
        }
    }

    fn service(name: &str, changes: Vec<Change>) -> ServiceChanges {
        ServiceChanges {
            service: name.to_owned(),
            base_version: "1".to_owned(),
            version: "2".to_owned(),
            changes,
        }
    }

    /// Who hears what: per notified role, its services' changes (by
    /// message) and the roles its changes break.
    fn routed(roles: &str, services: &[ServiceChanges]) -> Vec<(String, Vec<String>, Vec<String>)> {
        let config = config(roles);
        let consumers = Consumers::new(&config).unwrap();
        let contracts: HashMap<&str, Contract> =
            [("order", contract("order")), ("user", contract("user"))].into();
        let indexes: HashMap<&str, OperationIndex> = contracts
            .iter()
            .map(|(name, contract)| {
                (
                    *name,
                    OperationIndex::new(&[contract], &|path| path.to_owned()),
                )
            })
            .collect();
        let notices = route(
            &config.roles,
            &consumers,
            services,
            &indexes,
            SystemTime::UNIX_EPOCH,
            &|_| Vec::new(),
        );
        notices
            .values()
            .map(|notice| {
                let heard = notice
                    .changes
                    .iter()
                    .flat_map(|(changes, relevant)| {
                        let service = &changes.service;
                        relevant
                            .iter()
                            .map(move |change| format!("{service}: {}", change.message))
                    })
                    .collect();
                let breaks = notice
                    .breaks
                    .iter()
                    .map(|(role, _)| (*role).to_owned())
                    .collect();
                (notice.role.to_owned(), heard, breaks)
            })
            .collect()
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|item| (*item).to_owned()).collect()
    }

    #[test]
    fn consumers_hear_the_changes_of_the_services_they_consume() {
        let roles = "[roles.web]\nconsumes = [\"order\"]\n[roles.admin]\nconsumes = [\"user\"]\n";
        let found = routed(
            roles,
            &[service("order", vec![change("GET /orders", Level::Info)])],
        );
        assert_eq!(
            found,
            [("web".to_owned(), strings(&["order: GET /orders"]), vec![])]
        );
    }

    #[test]
    fn code_changes_reach_the_roles_generating_from_the_service() {
        let roles = "[roles.web]\nconsumes = [\"order\"]\n[roles.web.generate.ts]\noutput = \"t.ts\"\nsource = [\"order\"]\n[roles.mobile]\nconsumes = [\"order\"]\n[roles.gateway-ui]\n[roles.gateway-ui.generate.ts]\noutput = \"g.ts\"\nsource = \"gateway\"\n";
        let renamed = Change {
            id: contracts_diff::rules::CODE_SCHEMA_RENAMED.to_owned(),
            operation: None,
            message: "Order became PurchaseOrder".to_owned(),
            ..change("GET /orders", Level::Error)
        };
        let found = routed(roles, &[service("order", vec![renamed])]);
        let heard: Vec<&str> = found.iter().map(|(role, ..)| role.as_str()).collect();
        assert_eq!(heard, ["web", "gateway-ui"], "mobile generates nothing");
    }

    #[test]
    fn owners_hear_only_of_what_breaks_a_consumer_and_whom() {
        let roles = "[roles.backend]\nowns = [\"order\"]\nconsumes = [\"order\"]\n[roles.web]\nconsumes = [\"order\"]\n";
        // Not breaking: the consumer hears, the owner does not (not even of its own service).
        let found = routed(
            roles,
            &[service("order", vec![change("GET /orders", Level::Info)])],
        );
        assert_eq!(
            found,
            [("web".to_owned(), strings(&["order: GET /orders"]), vec![])]
        );
        // Breaking: the owner learns whom it breaks.
        let found = routed(
            roles,
            &[service("order", vec![change("GET /orders", Level::Error)])],
        );
        assert_eq!(
            found,
            [
                ("web".to_owned(), strings(&["order: GET /orders"]), vec![]),
                ("backend".to_owned(), vec![], strings(&["web"])),
            ]
        );
    }

    #[test]
    fn selections_narrow_by_operation_glob_and_tag() {
        let roles = "[roles.lists]\nconsumes = [{ service = \"order\", tags = [\"list\"] }]\n[roles.deletes]\nconsumes = [{ service = \"order\", operations = [\"DELETE /orders/*\"] }]\n";
        let changes = vec![
            change("GET /orders", Level::Info),
            change("DELETE /orders/{id}", Level::Info),
        ];
        let found = routed(roles, &[service("order", changes)]);
        assert_eq!(
            found,
            [
                ("lists".to_owned(), strings(&["order: GET /orders"]), vec![]),
                (
                    "deletes".to_owned(),
                    strings(&["order: DELETE /orders/{id}"]),
                    vec![]
                ),
            ]
        );
    }

    /// A schema file `$ref`ed by two services changes both: each consumer
    /// hears of the services it consumes, and only of those.
    #[test]
    fn a_shared_schema_file_reaches_the_consumers_of_every_service_using_it() {
        let roles = "[roles.web]\nconsumes = [\"order\"]\n[roles.admin]\nconsumes = [\"user\"]\n[roles.both]\nconsumes = [\"order\", \"user\"]\n";
        let found = routed(
            roles,
            &[
                service("order", vec![change("GET /orders", Level::Warning)]),
                service("user", vec![change("GET /users", Level::Warning)]),
            ],
        );
        assert_eq!(
            found,
            [
                ("web".to_owned(), strings(&["order: GET /orders"]), vec![]),
                ("admin".to_owned(), strings(&["user: GET /users"]), vec![]),
                (
                    "both".to_owned(),
                    strings(&["order: GET /orders", "user: GET /users"]),
                    vec![]
                ),
            ]
        );
    }
}
