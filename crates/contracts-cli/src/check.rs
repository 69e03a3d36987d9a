//! `contracts check`: every service of the config against a git revision
//! (default `HEAD`), from the working tree or, with `--staged`, the index;
//! and `contracts hook install`, which makes it the pre-commit hook.

use std::path::{Path, PathBuf};

use contracts_config::{Config, Service};
use contracts_diff::Change;
use contracts_load::{Input, load};
use rayon::prelude::*;

use crate::args::{CheckArgs, HookAction, HookArgs};
use crate::changes::{Categories, Failing, Side, color_stdout, compare, render};
use crate::git::{Revision, export_tree, git, project_in_repository};
use crate::project::find_config;
use crate::selection::Consumers;
use crate::status::{Status, out};

pub fn run(args: &CheckArgs) -> Status {
    let config = match find_config(&args.config, true) {
        Ok(Some(config)) => config,
        Ok(None) => unreachable!("a config is required"),
        Err(status) => return status,
    };
    let policy = args.policy.policy();
    let dir = absolute(&config.dir);
    let project = match project_in_repository(&dir) {
        Ok(project) => project,
        Err(message) => {
            eprintln!("error: `contracts check` needs a git repository: {message}");
            return Status::Error;
        }
    };
    let base_tree = match export_tree(&dir, Revision::Named(&args.base)) {
        Ok(tree) => tree,
        Err(message) => {
            eprintln!("error: cannot read revision `{}`: {message}", args.base);
            return Status::Error;
        }
    };
    let staged_tree = if args.staged {
        match export_tree(&dir, Revision::Index) {
            Ok(tree) => Some(tree),
            Err(message) => {
                eprintln!("error: cannot read the staged files: {message}");
                return Status::Error;
            }
        }
    } else {
        None
    };
    let failing = Failing::new(&args.fail, Some(&config));
    let categories = Categories::new(args.fail.category, Some(&config));
    let consumers = match (config.roles.is_empty(), Consumers::new(&config)) {
        (false, Ok(consumers)) => Some(consumers),
        (true, _) if failing.consumed_only => {
            eprintln!("error: --fail-on-consumed needs `[roles]` in the config");
            return Status::Error;
        }
        (true, _) => None,
        (false, Err(message)) => {
            eprintln!("error: {message}");
            return Status::Error;
        }
    };
    let revision_label = if args.staged {
        "staged"
    } else {
        "working tree"
    };
    let mut status = Status::Success;

    // A service the base revision had and the config no longer names is a removal.
    if let Ok(base_config) = Config::load(
        &base_tree
            .path()
            .join(&project)
            .join(contracts_config::FILE_NAME),
    ) {
        for name in base_config
            .services
            .keys()
            .filter(|name| !config.services.contains_key(*name))
        {
            eprintln!(
                "error: service `{name}` was removed (it is in the config at {})",
                args.base
            );
            status = Status::Failure;
        }
    }

    // Services are independent: each is loaded and compared on its own core,
    // then reported in config order.
    let base_root = base_tree.path().join(&project);
    let revision_root = match &staged_tree {
        Some(tree) => tree.path().join(&project),
        None => config.root(),
    };
    let services: Vec<(&String, &Service)> = config.services.iter().collect();
    type Compared = Option<(Vec<Change>, Option<Vec<Vec<String>>>)>;
    let compared: Vec<(&String, Option<Compared>)> = (services.into_par_iter())
        .map(|(name, service)| {
            let base_spec = base_root.join(&service.spec);
            if !base_spec.exists() {
                return (name, None);
            }
            let base = Side::from_tree(load(&Input::File(base_spec), Some(&base_root)), &args.base);
            let revision_loaded = load(
                &Input::File(revision_root.join(&service.spec)),
                Some(&revision_root),
            );
            let revision = match &staged_tree {
                Some(_) => Side::from_tree(revision_loaded, "staged"),
                None => Side::from_files(revision_loaded, absolute(&revision_root)),
            };
            let compared = compare(&base, &revision, &policy, categories).map(|changes| {
                let reach = consumers.as_ref().map(|consumers| {
                    let contracts: Vec<_> = [&revision, &base]
                        .iter()
                        .filter_map(|side| side.loaded.contract.as_ref())
                        .collect();
                    consumers.of_changes(&config, name, &contracts, &changes)
                });
                (changes, reach)
            });
            (name, Some(compared))
        })
        .collect();
    for (name, compared) in compared {
        let Some(compared) = compared else {
            eprintln!("{name}: new since {}; nothing to compare", args.base);
            continue;
        };
        let Some((changes, reach)) = compared else {
            eprintln!("error: {name}: the spec does not load (see `contracts validate`)");
            return Status::Error;
        };
        let base_label = format!("{name} @ {}", args.base);
        let revision_label = format!("{name} @ {revision_label}");
        out!(
            "{}",
            render(
                &changes,
                reach.as_deref(),
                args.format,
                &base_label,
                &revision_label,
                color_stdout()
            )
        );
        if failing.fails(&changes, reach.as_deref()) {
            status = Status::Failure;
        }
    }
    status
}

pub fn absolute(path: &Path) -> PathBuf {
    contracts_load::normalize(&std::env::current_dir().unwrap_or_default().join(path))
}

/// The line that marks a hook as written by contracts.
const MARKER: &str = "# Installed by `contracts hook install`.";
/// Where a foreign hook is kept when `--force` replaces it.
const CHAINED: &str = "pre-commit.contracts-chained";

pub fn hook(args: &HookArgs) -> Status {
    let HookAction::Install { force } = args.action;
    let cwd = std::env::current_dir().unwrap_or_default();
    let hooks = match git(&cwd, &["rev-parse", "--git-path", "hooks"]) {
        Ok(path) => cwd.join(path.trim()),
        Err(message) => {
            eprintln!("error: not in a git repository: {message}");
            return Status::Error;
        }
    };
    let hook = hooks.join("pre-commit");
    let existing = std::fs::read_to_string(&hook).ok();
    let chained = match &existing {
        Some(text) if !text.contains(MARKER) => {
            if !force {
                eprintln!(
                    "error: `{}` exists and was not written by contracts; rerun with --force to keep it and run it first",
                    hook.display()
                );
                return Status::Error;
            }
            if let Err(error) = std::fs::rename(&hook, hooks.join(CHAINED)) {
                eprintln!("error: cannot keep the existing hook: {error}");
                return Status::Error;
            }
            true
        }
        _ => hooks.join(CHAINED).exists(),
    };
    let binary = std::env::current_exe().map_or_else(
        |_| "contracts".to_owned(),
        |path| path.display().to_string(),
    );
    let mut script = format!(
        "#!/bin/sh\n{MARKER}\n# Refuses commits that break an API contract; `git commit --no-verify` skips it.\n"
    );
    if chained {
        script.push_str(&format!(
            "\"$(dirname \"$0\")/{CHAINED}\" \"$@\" || exit $?\n"
        ));
    }
    script.push_str(&format!(
        "exec '{}' check --staged\n",
        binary.replace('\'', "'\\''")
    ));
    if let Err(error) = std::fs::create_dir_all(&hooks).and_then(|()| std::fs::write(&hook, script))
    {
        eprintln!("error: cannot write `{}`: {error}", hook.display());
        return Status::Error;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755));
    }
    eprintln!(
        "installed {}{}",
        hook.display(),
        if chained {
            " (the previous hook runs first)"
        } else {
            ""
        }
    );
    Status::Success
}
