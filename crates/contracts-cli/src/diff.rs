//! `contracts diff BASE REVISION`: every change between two versions of a
//! spec, from files or from git (`REF:PATH`, multi-file specs included).
//! With a config whose roles consume the spec's service, each change names
//! the roles it reaches.

use std::path::{Path, PathBuf};

use contracts_config::Config;

use crate::args::DiffArgs;
use crate::changes::{Categories, Failing, color_stdout, compare, git_spec, load_side, render};
use crate::git::git;
use crate::project::find_config;
use crate::selection::Consumers;
use crate::status::{Status, keep_until_exit, out};

pub fn run(args: &DiffArgs) -> Status {
    let config = match find_config(&args.config, false) {
        Ok(config) => config,
        Err(status) if args.config.config.is_some() => return status,
        // A project's config found around the specs only adds consumers.
        Err(_) => {
            eprintln!(
                "warning: the config above is not used; changes are listed without consumers"
            );
            None
        }
    };
    let failing = Failing::new(&args.fail, config.as_ref());
    let consumed_by = match consumed_by(args, config.as_ref(), failing.consumed_only) {
        Ok(consumed_by) => consumed_by,
        Err(message) => {
            eprintln!("error: {message}");
            return Status::Error;
        }
    };
    // The sides are independent: two cores load them, unless one reads stdin.
    let (base, revision) = if args.base == "-" || args.revision == "-" {
        (load_side(&args.base), load_side(&args.revision))
    } else {
        rayon::join(|| load_side(&args.base), || load_side(&args.revision))
    };
    let (base, revision) = match (base, revision) {
        (Ok(base), Ok(revision)) => (base, revision),
        (Err(refused), _) | (_, Err(refused)) => return refused.report(),
    };
    let Some(changes) = compare(
        &base,
        &revision,
        &args.policy.policy(),
        Categories::new(args.fail.category, config.as_ref()),
    ) else {
        return Status::Error;
    };
    let consumers = consumed_by.map(|(config, consumers, service)| {
        let contracts: Vec<_> = [&revision, &base]
            .iter()
            .filter_map(|side| side.loaded.contract.as_ref())
            .collect();
        consumers.of_changes(config, &service, &contracts, &changes)
    });
    out!(
        "{}",
        render(
            &changes,
            consumers.as_deref(),
            args.format,
            &args.base,
            &args.revision,
            color_stdout()
        )
    );
    // Only the parsed specs are left to the exit: a side's exported git
    // tree is a folder on disk, removed when the side drops here.
    keep_until_exit((base.loaded, revision.loaded));
    if failing.fails(&changes, consumers.as_deref()) {
        Status::Failure
    } else {
        Status::Success
    }
}

/// The config, its consumers and the spec's service, when the config has
/// roles and names the service (by `--service`, else by the revision's
/// file); an error when the flags ask for consumers that cannot be known.
fn consumed_by<'c>(
    args: &DiffArgs,
    config: Option<&'c Config>,
    consumed_only: bool,
) -> Result<Option<(&'c Config, Consumers, String)>, String> {
    let Some(config) = config else {
        return match (&args.service, consumed_only) {
            (Some(_), _) => Err("`--service` needs a config (`--config FILE`)".to_owned()),
            (None, true) => Err("--fail-on-consumed needs a config with `[roles]`".to_owned()),
            (None, false) => Ok(None),
        };
    };
    let service = match &args.service {
        Some(name) if config.services.contains_key(name) => Some(name.clone()),
        Some(name) => return Err(format!("the config has no service `{name}`")),
        None => {
            let spec = if args.revision == "-" {
                &args.base
            } else {
                &args.revision
            };
            service_of(config, spec)
        }
    };
    match service {
        Some(service) if !config.roles.is_empty() => {
            Ok(Some((config, Consumers::new(config)?, service)))
        }
        _ if consumed_only => Err(
            "--fail-on-consumed needs the spec's service (`--service NAME`) and `[roles]` in the config"
                .to_owned(),
        ),
        _ => Ok(None),
    }
}

/// The service whose spec is the file `spec` names (a path, or `REF:PATH`
/// for the same path in the working tree).
fn service_of(config: &Config, spec: &str) -> Option<String> {
    let path = match git_spec(spec) {
        Some((_, in_repository)) => {
            let top = git(Path::new("."), &["rev-parse", "--show-toplevel"]).ok()?;
            PathBuf::from(top.trim()).join(in_repository)
        }
        None => std::env::current_dir().ok()?.join(spec),
    };
    let same = |path: &Path| {
        std::fs::canonicalize(path).unwrap_or_else(|_| contracts_load::normalize(path))
    };
    let wanted = same(&path);
    (config.services.iter())
        .find(|(_, service)| same(&config.resolve(&service.spec)) == wanted)
        .map(|(name, _)| name.clone())
}
