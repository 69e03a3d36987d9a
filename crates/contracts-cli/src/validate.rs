//! `contracts validate`: load every spec, report every problem.

use std::path::PathBuf;

use contracts_config::Config;
use contracts_diagnostics::{Diagnostic, Severity};
use contracts_load::{Input, Loaded};

use crate::Status;
use crate::args::{ConfigArg, Format, ValidateArgs};
use crate::project::{AllSources, load_all, project_root_for};
use crate::report::{self, TextSource};

pub fn run(args: &ValidateArgs) -> Status {
    let config = match find_config(&args.config, args.specs.is_empty()) {
        Ok(config) => config,
        Err(status) => return status,
    };
    let targets: Vec<(Input, Option<PathBuf>)> = if args.specs.is_empty() {
        let Some(config) = &config else {
            unreachable!("find_config fails when neither specs nor a config are given")
        };
        if config.services.is_empty() {
            eprintln!(
                "error: `{}` defines no [services] to validate",
                config.file.display()
            );
            return Status::Error;
        }
        config
            .services
            .values()
            .map(|service| {
                (
                    Input::File(config.resolve(&service.spec)),
                    Some(config.root()),
                )
            })
            .collect()
    } else {
        args.specs
            .iter()
            .map(|spec| {
                let input = Input::from_arg(spec);
                // A spec inside the configured project uses its root; others their own folder.
                let root = project_root_for(&input, config.as_ref());
                (input, root)
            })
            .collect()
    };

    let mut loaded: Vec<Loaded> = load_all(&targets);
    let mut all: Vec<Diagnostic> = Vec::new();
    for spec in &mut loaded {
        all.append(&mut spec.diagnostics);
    }
    let sources = AllSources(loaded.iter().map(|spec| &spec.sources).collect());
    report::print(&all, &sources, args.format);

    let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = all.len() - errors;
    if args.format == Format::Human {
        let specs = targets.len();
        eprintln!(
            "validated {specs} spec{}: {errors} error{}, {warnings} warning{}",
            plural(specs),
            plural(errors),
            plural(warnings)
        );
    }
    if errors > 0 || (args.strict && warnings > 0) {
        Status::Error
    } else {
        Status::Success
    }
}

/// Loads the explicit config, or discovers one. A config is required only when no specs are given.
pub fn find_config(arg: &ConfigArg, required: bool) -> Result<Option<Config>, Status> {
    let path = match &arg.config {
        Some(path) => Some(path.clone()),
        None => {
            let cwd = std::env::current_dir().unwrap_or_default();
            let found = Config::discover(&cwd);
            if found.is_none() && required {
                eprintln!(
                    "error: no `{}` in `{}` or its parents; pass spec files or `--config FILE`",
                    contracts_config::FILE_NAME,
                    cwd.display()
                );
                return Err(Status::Error);
            }
            found
        }
    };
    let Some(path) = path else { return Ok(None) };
    Config::load(&path).map(Some).map_err(|error| {
        let source = TextSource {
            path: &path,
            text: std::fs::read_to_string(&path).ok(),
        };
        report::print(&[error.0], &source, crate::args::Format::Human);
        Status::Error
    })
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
