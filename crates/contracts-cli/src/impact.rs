//! `contracts impact SERVICE [--base REF]`: what one service's edits since a
//! git revision do to the others: the roles its changes reach, by which
//! operations (as the gateway serves them), and which generated files
//! (the project's and each role's) would come out different.

use std::path::{Path, PathBuf};

use contracts_config::{Config, Source};
use contracts_diff::{Change, Level};
use contracts_load::{Input, Loaded, load};
use serde_json::json;

use crate::args::{ImpactArgs, ReportFormat};
use crate::changes::{Categories, Side, compare};
use crate::check::absolute;
use crate::git::{Revision, export_tree, project_in_repository};
use crate::pipeline::{Contracts, Generator, Output};
use crate::project::{borrowed, find_config, load_services};
use crate::selection::{Consumers, gateway_label, gateway_paths};
use crate::status::{Status, outln};

pub fn run(args: &ImpactArgs) -> Status {
    let config = match find_config(&args.config, true) {
        Ok(Some(config)) => config,
        Ok(None) => unreachable!("a config is required"),
        Err(status) => return status,
    };
    let Some(service) = config.services.get(&args.service) else {
        eprintln!("error: the config has no service `{}`", args.service);
        return Status::Error;
    };
    let consumers = match Consumers::new(&config) {
        Ok(consumers) => consumers,
        Err(message) => {
            eprintln!("error: {message}");
            return Status::Error;
        }
    };
    let dir = absolute(&config.dir);
    let tree = project_in_repository(&dir)
        .and_then(|project| Ok((export_tree(&dir, Revision::Named(&args.base))?, project)));
    let (tree, project) = match tree {
        Ok(found) => found,
        Err(message) => {
            eprintln!("error: cannot read revision `{}`: {message}", args.base);
            return Status::Error;
        }
    };
    // The config as it would read the base revision's files.
    let mut base_config = config.clone();
    base_config.dir = tree.path().join(&project);
    let base_root = base_config.root();
    let base_spec = base_config.resolve(&service.spec);
    if !base_spec.exists() {
        eprintln!(
            "{}: new since {}; nothing to compare",
            args.service, args.base
        );
        return Status::Success;
    }
    let base = Side::from_tree(load(&Input::File(base_spec), Some(&base_root)), &args.base);
    let revision = Side::from_files(
        load(
            &Input::File(config.resolve(&service.spec)),
            Some(&config.root()),
        ),
        absolute(&config.root()),
    );
    let Some(changes) = compare(
        &base,
        &revision,
        &args.policy.policy(),
        Categories {
            wire: true,
            code: true,
        },
    ) else {
        eprintln!(
            "error: {}: the spec does not load (see `contracts validate`)",
            args.service
        );
        return Status::Error;
    };
    let contracts: Vec<_> = [&revision, &base]
        .iter()
        .filter_map(|side| side.loaded.contract.as_ref())
        .collect();
    let reach = consumers.of_changes(&config, &args.service, &contracts, &changes);
    let outputs = changed_outputs(&config, &base_config, &args.service, !changes.is_empty());
    let on_gateway = gateway_paths(&config, &args.service);
    let label = |change: &Change| {
        (change.operation.as_deref()).map(|label| gateway_label(label, &on_gateway))
    };
    let hit: Vec<(&str, Vec<&Change>)> = (config.roles.keys())
        .map(|role| {
            let changes = (changes.iter().zip(&reach))
                .filter(|(_, roles)| roles.contains(role))
                .map(|(change, _)| change)
                .collect();
            (role.as_str(), changes)
        })
        .filter(|(_, changes): &(_, Vec<_>)| !changes.is_empty())
        .collect();
    let outputs_of = |role: Option<&str>| -> Vec<String> {
        (outputs.iter())
            .filter(|output| output.role.as_deref() == role)
            .map(|output| shown(&output.path))
            .collect()
    };
    match args.format {
        ReportFormat::Json => {
            let roles: Vec<_> = (hit.iter())
                .map(|(role, changes)| {
                    let changes: Vec<_> = (changes.iter())
                        .map(|change| {
                            json!({
                                "id": change.id,
                                "level": change.level,
                                "operation": label(change),
                                "message": change.message,
                            })
                        })
                        .collect();
                    json!({"role": role, "changes": changes, "regenerated": outputs_of(Some(role))})
                })
                .collect();
            let all_outputs: Vec<_> = (outputs.iter())
                .map(|output| json!({"path": shown(&output.path), "role": output.role}))
                .collect();
            let report = json!({
                "service": args.service,
                "base": args.base,
                "changes": changes.len(),
                "breaking": changes.iter().filter(|c| c.level == Level::Error).count(),
                "roles": roles,
                "regenerated": all_outputs,
            });
            outln!(
                "{}",
                serde_json::to_string_pretty(&report).expect("the report serializes")
            );
        }
        ReportFormat::Text => {
            let breaking = changes.iter().filter(|c| c.level == Level::Error).count();
            outln!(
                "{} since {}: {} change(s), {breaking} breaking",
                args.service,
                args.base,
                changes.len()
            );
            if hit.is_empty() {
                outln!("no role consumes what changed");
            }
            for (role, changes) in &hit {
                outln!("\n{role}");
                for change in changes {
                    outln!(
                        "  {:<7} {}  [{}] {}",
                        change.level.as_str(),
                        label(change).unwrap_or_else(|| "(document)".to_owned()),
                        change.id,
                        change.message
                    );
                }
                for path in outputs_of(Some(role)) {
                    outln!("  regenerates {path}");
                }
            }
            let project_outputs = outputs_of(None);
            if !project_outputs.is_empty() {
                outln!("\nproject outputs that change:");
                for path in project_outputs {
                    outln!("  {path}");
                }
            }
        }
    }
    Status::Success
}

/// The configured outputs reading `service` whose content differs between
/// the base revision's specs and the working tree's. None when the
/// service's contract did not change at all (`changed` false): nothing
/// generated from it can differ then.
fn changed_outputs(
    config: &Config,
    base_config: &Config,
    service: &str,
    changed: bool,
) -> Vec<Output> {
    let reads_service = |output: &Output| match &output.source {
        Source::Gateway => true,
        Source::Services(names) => names.iter().any(|name| name == service),
    };
    let outputs: Vec<Output> = (Generator::configured(config, None).into_iter())
        .filter(reads_service)
        .collect();
    if outputs.is_empty() || !changed {
        return Vec::new();
    }
    let (base, now) = rayon::join(|| load_services(base_config), || load_services(config));
    let (base, now) = (
        rendered(config, &base, &outputs),
        rendered(config, &now, &outputs),
    );
    (outputs.into_iter().zip(base.into_iter().zip(now)))
        .filter(|(_, (base, now))| base != now)
        .map(|(output, _)| output)
        .collect()
}

/// Each output's files as text, `None` where it cannot be made (said on stderr).
fn rendered(
    config: &Config,
    loaded: &[(String, Loaded)],
    outputs: &[Output],
) -> Vec<Option<Vec<String>>> {
    let mut contracts = Contracts::new(config, borrowed(loaded));
    (outputs.iter())
        .map(|output| {
            let contract = contracts.contract(&output.source, &output.path)?;
            let generated = output.generator.render(contract, Some(&output.path));
            Some(
                generated
                    .files
                    .into_iter()
                    .map(|file| file.contents)
                    .collect(),
            )
        })
        .collect()
}

/// A path as users see it: relative to the working folder when inside it.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let absolute: PathBuf = contracts_load::normalize(&cwd.join(path));
    absolute
        .strip_prefix(&cwd)
        .map_or(absolute.clone(), Path::to_owned)
        .display()
        .to_string()
}
