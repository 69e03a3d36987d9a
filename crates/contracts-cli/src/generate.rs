//! `contracts gen --ts|--msw|--rust`: TypeScript types, MSW handlers or Rust types, from a spec or from the config.

use std::path::Path;

use contracts_config::Config;
use contracts_diagnostics::Diagnostic;
use contracts_load::{Input, Loaded, Texts, load};
use contracts_model::codes;

use crate::args::{Format, GenArgs};
use crate::output::Plan;
use crate::pipeline::{Contracts, Generator, Output, Package, TsSwitches, Warnings};
use crate::project::find_config;
use crate::project::project_root_for;
use crate::project::{borrowed, load_services};
use crate::report;
use crate::status::{Status, worst};

pub fn run(args: &GenArgs) -> Status {
    let generator = match (args.ts, args.msw, args.rust) {
        (true, false, false) => Generator::Ts(ts_options(Default::default(), args)),
        (false, false, true) => Generator::Rust(
            contracts_gen_rust::Options {
                keep_unknown_fields: !args.drop_unknown_fields,
                ..Default::default()
            },
            Package::default(),
        ),
        (false, true, false) => {
            let defaults = contracts_gen_msw::Options::default();
            Generator::Msw(contracts_gen_msw::Options {
                types_import: args.types_import.clone().unwrap_or(defaults.types_import),
                base_url: args.base_url.clone().unwrap_or(defaults.base_url),
                seed: args.seed.unwrap_or(defaults.seed),
            })
        }
        _ => {
            eprintln!("error: choose one thing to generate: `--ts`, `--msw` or `--rust`");
            return Status::Error;
        }
    };
    let config = match find_config(&args.config, args.spec.is_none()) {
        Ok(config) => config,
        Err(status) => return status,
    };
    match (&args.spec, config) {
        (Some(spec), config) => from_spec(spec, config.as_ref(), args, &generator),
        (None, Some(config)) => from_config(&config, args, &generator),
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
    // The parsed documents are no longer needed: free them before generating.
    let sources = sources.into_texts();
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
    let warnings = Warnings {
        texts: &sources,
        strict: args.strict,
    };
    match &args.output {
        Some(output) => generator.write(&contract, output, args.check, &warnings),
        None => match generator.render(&contract) {
            Ok(rendered) if warnings.report(&rendered.warnings) => {
                print!("{}", rendered.code);
                Status::Success
            }
            Ok(_) => Status::Error,
            Err(message) => {
                eprintln!("error: cannot generate: {message}");
                Status::Error
            }
        },
    }
}

/// Every config entry of the chosen generator (`[[generate.ts]]`, `[generate.msw]`, `[generate.rust]`).
fn from_config(config: &Config, args: &GenArgs, chosen: &Generator) -> Status {
    let section = chosen.section();
    let entries: Vec<Output> = Generator::configured(config)
        .into_iter()
        .filter(|output| output.generator.section() == section)
        .collect();
    if entries.is_empty() {
        eprintln!("error: the config has no `[generate.{section}]` entry; add one or pass a SPEC");
        return Status::Error;
    }
    if args.output.is_some() && entries.len() > 1 {
        eprintln!("error: `--output` is ambiguous with several `[generate.{section}]` entries");
        return Status::Error;
    }
    let loaded = load_services(config);
    // Every output is claimed before anything is written: a refused one leaves all as they were.
    let mut plan = Plan::project(config, loaded.iter().map(|(_, spec)| spec));
    let mut claimed = Vec::new();
    for Output {
        generator,
        source,
        path,
        ..
    } in entries
    {
        let output = args.output.clone().unwrap_or(path);
        if let Err(message) = generator.claim(&mut plan, &output, args.force) {
            eprintln!("error: {message}");
            return Status::Error;
        }
        claimed.push((with_flags(generator, chosen, args), source, output));
    }
    let mut contracts = Contracts::new(config, borrowed(&loaded));
    let mut status = Status::Success;
    let warnings = Warnings {
        texts: &Texts::default(),
        strict: args.strict,
    };
    for (generator, source, output) in claimed {
        let Some(contract) = contracts.contract(&source, &output) else {
            return Status::Error;
        };
        status = worst(
            status,
            generator.write(contract, &output, args.check, &warnings),
        );
    }
    status
}

/// `gen --ts` options: the flags given, over `base` (the defaults or a `[[generate.ts]]` entry).
fn ts_options(base: contracts_gen_ts::Options, args: &GenArgs) -> contracts_gen_ts::Options {
    let switches = TsSwitches {
        default_non_nullable: args.default_non_nullable,
        empty_objects_unknown: args.empty_objects_unknown,
        additional_properties: args.additional_properties,
        properties_required_by_default: args.properties_required_by_default,
        immutable: args.immutable,
        export_type: args.export_type,
        alphabetize: args.alphabetize,
        exclude_deprecated: args.exclude_deprecated,
        array_length: args.array_length,
        path_params_as_types: args.path_params_as_types,
        root_types: args.root_types,
        root_types_no_schema_prefix: args.root_types_no_schema_prefix,
        root_types_keep_casing: args.root_types_keep_casing,
        read_write_markers: args.read_write_markers,
        make_paths_enum: args.make_paths_enum,
        dedupe_enums: args.dedupe_enums,
        enum_values: args.enum_values,
    };
    switches.over(contracts_gen_ts::Options {
        enums: base.enums || args.enums,
        ..base
    })
}

/// A configured generator with the command line's flags added to what the config says.
fn with_flags(configured: Generator, chosen: &Generator, args: &GenArgs) -> Generator {
    match (configured, chosen) {
        (Generator::Ts(options), Generator::Ts(_)) => Generator::Ts(ts_options(options, args)),
        (Generator::Rust(options, package), Generator::Rust(flags, _)) => Generator::Rust(
            contracts_gen_rust::Options {
                keep_unknown_fields: options.keep_unknown_fields && flags.keep_unknown_fields,
                ..options
            },
            package,
        ),
        (Generator::Msw(options), _) => Generator::Msw(contracts_gen_msw::Options {
            types_import: args.types_import.clone().unwrap_or(options.types_import),
            base_url: args.base_url.clone().unwrap_or(options.base_url),
            seed: args.seed.unwrap_or(options.seed),
        }),
        (generator, _) => generator,
    }
}

fn has_fatal(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| codes::is_fatal(d.code))
}
