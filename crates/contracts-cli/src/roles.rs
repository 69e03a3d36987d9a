//! Roles: who owns and consumes which services, which contract changes
//! concern each of them, and `contracts roles`, which lists them beside the
//! repository's git worktrees.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use contracts_config::{Config, Consumes, OperationSelection, Role};
use contracts_diff::Change;
use contracts_model::Contract;
use globset::GlobMatcher;
use serde_json::{Value, json};

use crate::Status;
use crate::args::{ReportFormat, RolesArgs};
use crate::validate::find_config;

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

    pub fn concerned<'a>(&'a self, service: &'a str, change: &Change) -> Concerned<'a> {
        let operation = (change.operation.as_deref()).and_then(|label| self.by_label.get(label));
        Concerned { service, operation }
    }
}

/// `contracts roles`: every role with what it owns, consumes, generates and
/// where it is notified, and which git worktree is its folder.
pub fn run(args: &RolesArgs) -> Status {
    let mut config = match find_config(&args.config, true) {
        Ok(Some(config)) => config,
        Ok(None) => unreachable!("a config is required"),
        Err(status) => return status,
    };
    make_absolute(&mut config);
    for (name, role) in &config.roles {
        if let Err(message) = Selection::compile(&role.consumes) {
            eprintln!("error: role `{name}`: {message}");
            return Status::Error;
        }
    }
    let worktrees = git_worktrees(&config.dir);
    let canonical = |path: &Path| std::fs::canonicalize(path).ok();
    let mut matched = vec![false; worktrees.len()];
    let roles: Vec<Value> = config
        .roles
        .iter()
        .map(|(name, role)| {
            let folder = role_folder(&config, role);
            let worktree = canonical(&folder).and_then(|folder| {
                let index = worktrees.iter().position(|tree| tree.path == folder)?;
                matched[index] = true;
                Some(&worktrees[index])
            });
            let outputs: Vec<PathBuf> = (role.generate.entries())
                .map(|(output, _)| contracts_load::normalize(&folder.join(output)))
                .collect();
            json!({
                "name": name,
                "path": folder,
                "exists": folder.is_dir(),
                "owns": role.owns,
                "consumes": role.consumes.iter().map(describe_consumes).collect::<Vec<_>>(),
                "generate": outputs,
                "inbox": inbox_path(&config, role),
                "context_file": role.notify.context_file.as_ref().map(|file| folder.join(file)),
                "command": role.notify.command,
                "worktree": worktree.map(|tree| json!({"path": tree.path, "branch": tree.branch})),
            })
        })
        .collect();
    let unmatched: Vec<&Worktree> = worktrees
        .iter()
        .zip(&matched)
        .filter(|(_, matched)| !**matched)
        .map(|(tree, _)| tree)
        .collect();
    match args.format {
        ReportFormat::Json => {
            let value = json!({
                "roles": roles,
                "worktrees_without_role": unmatched
                    .iter()
                    .map(|tree| json!({"path": tree.path, "branch": tree.branch}))
                    .collect::<Vec<_>>(),
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&value).expect("JSON serializes")
            );
        }
        ReportFormat::Text => print_text(&roles, &unmatched),
    }
    Status::Success
}

fn print_text(roles: &[Value], unmatched: &[&Worktree]) {
    if roles.is_empty() {
        println!("no roles: add `[roles.NAME]` tables to the config");
    }
    let list = |value: &Value| {
        let items: Vec<&str> = value
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if items.is_empty() {
            "-".to_owned()
        } else {
            items.join(", ")
        }
    };
    for role in roles {
        let path = role["path"].as_str().unwrap_or_default();
        let missing = if role["exists"] == true {
            ""
        } else {
            " (missing)"
        };
        println!(
            "{}  {path}{missing}",
            role["name"].as_str().unwrap_or_default()
        );
        println!("  owns      {}", list(&role["owns"]));
        println!("  consumes  {}", list(&role["consumes"]));
        if role["generate"].as_array().is_some_and(|g| !g.is_empty()) {
            println!("  generates {}", list(&role["generate"]));
        }
        println!("  inbox     {}", role["inbox"].as_str().unwrap_or_default());
        match &role["worktree"] {
            Value::Null => println!("  worktree  none"),
            tree => println!(
                "  worktree  {} [{}]",
                tree["path"].as_str().unwrap_or_default(),
                tree["branch"].as_str().unwrap_or("detached")
            ),
        }
    }
    for tree in unmatched {
        println!(
            "worktree without a role: {} [{}]",
            tree.path.display(),
            tree.branch.as_deref().unwrap_or("detached")
        );
    }
}

fn describe_consumes(consumes: &Consumes) -> String {
    match consumes {
        Consumes::Service(service) => service.clone(),
        Consumes::Operations(selection) => {
            let mut parts: Vec<String> = selection.operations.clone();
            parts.extend(selection.tags.iter().map(|tag| format!("tag:{tag}")));
            format!("{} ({})", selection.service, parts.join(", "))
        }
    }
}

struct Worktree {
    path: PathBuf,
    branch: Option<String>,
}

/// `git worktree list --porcelain` of the repository holding `dir`; empty
/// outside a repository or without git.
fn git_worktrees(dir: &Path) -> Vec<Worktree> {
    let Ok(output) = Command::new("git")
        .args(["worktree", "list", "--porcelain"])
        .current_dir(dir)
        .output()
    else {
        return Vec::new();
    };
    if !output.status.success() {
        return Vec::new();
    }
    parse_worktrees(&String::from_utf8_lossy(&output.stdout))
}

fn parse_worktrees(porcelain: &str) -> Vec<Worktree> {
    porcelain
        .split("\n\n")
        .filter_map(|record| {
            let mut path = None;
            let mut branch = None;
            for line in record.lines() {
                if let Some(rest) = line.strip_prefix("worktree ") {
                    path = Some(PathBuf::from(rest));
                } else if let Some(rest) = line.strip_prefix("branch ") {
                    branch = Some(rest.trim_start_matches("refs/heads/").to_owned());
                }
            }
            let path = path?;
            Some(Worktree {
                path: std::fs::canonicalize(&path).unwrap_or(path),
                branch,
            })
        })
        .collect()
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

    #[test]
    fn porcelain_worktrees_are_parsed() {
        let trees = parse_worktrees(
            "worktree /nonexistent/main\nHEAD abc\nbranch refs/heads/main\n\nworktree /nonexistent/web\nHEAD def\ndetached\n",
        );
        assert_eq!(trees.len(), 2);
        assert_eq!(trees[0].branch.as_deref(), Some("main"));
        assert_eq!(trees[1].path, PathBuf::from("/nonexistent/web"));
        assert_eq!(trees[1].branch, None);
    }
}
