//! `contracts validate`: load every spec, report every problem.

use std::path::PathBuf;

use contracts_diagnostics::{Diagnostic, Severity};
use contracts_load::{Input, Loaded};

use crate::args::{Format, ValidateArgs};
use crate::project::{AllSources, find_config, load_all, project_root_for};
use crate::report;
use crate::status::{Status, keep_until_exit};

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
    let sources = AllSources::of(&loaded);
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
    keep_until_exit(sources);
    keep_until_exit(loaded);
    if errors > 0 || (args.strict && warnings > 0) {
        Status::Error
    } else {
        Status::Success
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
