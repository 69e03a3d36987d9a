//! `contracts gen --ts|--msw|--rust`: TypeScript types, MSW handlers or Rust types, from a spec or from the config.

use std::path::Path;

use contracts_config::Config;
use contracts_diagnostics::Diagnostic;
use contracts_load::{Input, Loaded, codes, load};

use crate::args::{Format, GenArgs};
use crate::output::{Plan, write_output};
use crate::pipeline::{Contracts, Generator, Output, Warnings, render_all};
use crate::project::find_config;
use crate::project::project_root_for;
use crate::project::{AllSources, borrowed, load_services};
use crate::report;
use crate::status::{Status, keep_until_exit, out, worst};

pub fn run(args: &GenArgs) -> Status {
    let Some(generator) = Generator::chosen(args) else {
        eprintln!("error: choose one thing to generate: `--ts`, `--msw` or `--rust`");
        return Status::Error;
    };
    let config = match find_config(&args.config, args.spec.is_none()) {
        Ok(config) => config,
        Err(status) => return status,
    };
    match (&args.spec, config) {
        (Some(spec), config) => from_spec(spec, config.as_ref(), args, &generator),
        (None, Some(config)) => from_config(&config, args, generator.section()),
        (None, None) => unreachable!("find_config fails without a config when no spec is given"),
    }
}

/// One spec on the command line; the output goes to `--output` or stdout.
fn from_spec(
    spec: &Path,
    config: Option<&Config>,
    args: &GenArgs,
    generator: &Generator,
) -> Status {
    let input = Input::from_arg(spec);
    let root = project_root_for(&input, config);
    let Loaded {
        contract,
        diagnostics,
        sources,
    } = load(&input, root.as_deref());
    report::print(&diagnostics, &sources, Format::Human);
    if let Some(output) = &args.output {
        let mut plan = Plan::default();
        if let Some(config) = config {
            plan.input(&config.file, "the config");
        }
        plan.spec(&sources);
        if let Err(message) = generator.claim(&mut plan, output, args.force) {
            eprintln!("error: {message}");
            return Status::Error;
        }
    }
    // The parsed documents are no longer needed: freed while generating.
    let (sources, documents) = sources.into_texts();
    rayon::spawn(move || drop(documents));
    let Some(contract) = contract.filter(|_| !has_fatal(&diagnostics)) else {
        eprintln!("error: cannot generate from `{}`", spec.display());
        return Status::Error;
    };
    if args.strict && !diagnostics.is_empty() {
        eprintln!(
            "error: --strict: the spec has {} problem(s)",
            diagnostics.len()
        );
        return Status::Error;
    }
    let warnings = Warnings::Shown {
        sources: &sources,
        strict: args.strict,
    };
    let output = args.output.as_deref();
    let generated = generator.render(&contract, output);
    keep_until_exit(contract);
    if !warnings.report(&generated, output.unwrap_or(Path::new("-"))) {
        return Status::Error;
    }
    match output {
        Some(output) => (generated.files.iter()).fold(Status::Success, |status, file| {
            worst(
                status,
                write_output(&file.at(output), &file.contents, args.check),
            )
        }),
        None => {
            for file in &generated.files {
                out!("{}", file.contents);
            }
            Status::Success
        }
    }
}

/// Every config entry of the chosen generator (`[[generate.ts]]`, `[generate.msw]`, `[generate.rust]`).
fn from_config(config: &Config, args: &GenArgs, section: &str) -> Status {
    let mut outputs: Vec<Output> = Generator::configured(config, Some(args))
        .into_iter()
        .filter(|output| output.generator.section() == section)
        .collect();
    if outputs.is_empty() {
        eprintln!("error: the config has no `[generate.{section}]` entry; add one or pass a SPEC");
        return Status::Error;
    }
    if let Some(path) = &args.output {
        let [output] = outputs.as_mut_slice() else {
            eprintln!("error: `--output` is ambiguous with several `[generate.{section}]` entries");
            return Status::Error;
        };
        output.path = path.clone();
    }
    let loaded = load_services(config);
    // Every output is claimed before anything is written: a refused one leaves all as they were.
    let mut plan = Plan::project(config, loaded.iter().map(|(_, spec)| spec));
    for output in &outputs {
        if let Err(message) = output.generator.claim(&mut plan, &output.path, args.force) {
            eprintln!("error: {message}");
            return Status::Error;
        }
    }
    let mut contracts = Contracts::new(config, borrowed(&loaded));
    let warnings = Warnings::Shown {
        sources: &AllSources::of(loaded.iter().map(|(_, spec)| spec)),
        strict: args.strict,
    };
    let Some(files) = render_all(&outputs, &mut contracts, &warnings) else {
        eprintln!("error: nothing was written");
        return Status::Error;
    };
    let status = (files.iter()).fold(Status::Success, |status, file| {
        worst(status, write_output(&file.path, &file.contents, args.check))
    });
    keep_until_exit((contracts, files));
    keep_until_exit(loaded);
    status
}

fn has_fatal(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| codes::is_fatal(d.code))
}
