//! `contracts roles`: every role with what it owns and consumes, beside the
//! repository's git worktrees.

use std::path::{Path, PathBuf};
use std::process::Command;

use contracts_config::Consumes;
use serde_json::{Value, json};

use crate::args::{ReportFormat, RolesArgs};
use crate::project::find_config;
use crate::selection::{Selection, inbox_path, make_absolute, role_folder};
use crate::status::{Status, outln};

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
            outln!(
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
        outln!("no roles: add `[roles.NAME]` tables to the config");
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
        outln!(
            "{}  {path}{missing}",
            role["name"].as_str().unwrap_or_default()
        );
        outln!("  owns      {}", list(&role["owns"]));
        outln!("  consumes  {}", list(&role["consumes"]));
        if role["generate"].as_array().is_some_and(|g| !g.is_empty()) {
            outln!("  generates {}", list(&role["generate"]));
        }
        outln!("  inbox     {}", role["inbox"].as_str().unwrap_or_default());
        match &role["worktree"] {
            Value::Null => outln!("  worktree  none"),
            tree => outln!(
                "  worktree  {} [{}]",
                tree["path"].as_str().unwrap_or_default(),
                tree["branch"].as_str().unwrap_or("detached")
            ),
        }
    }
    for tree in unmatched {
        outln!(
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
