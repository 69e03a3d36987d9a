//! `contracts gen --ts`: TypeScript types from a spec or from the config.

use std::path::{Path, PathBuf};

use contracts_config::{Config, Source};
use contracts_diagnostics::Diagnostic;
use contracts_gen_ts::{Options, generate};
use contracts_load::{Input, Loaded, load};
use contracts_model::{Contract, codes};

use crate::Status;
use crate::args::{Format, GenArgs};
use crate::merge::{Gateway, merge_project};
use crate::output::{Written, stale_diff, write_if_changed};
use crate::project::project_root_for;
use crate::report;
use crate::validate::find_config;

pub fn run(args: &GenArgs) -> Status {
    if !args.ts {
        eprintln!("error: choose what to generate: `--ts`");
        return Status::Error;
    }
    let config = match find_config(&args.config, args.spec.is_none()) {
        Ok(config) => config,
        Err(status) => return status,
    };
    let options = Options { enums: args.enums };
    match (&args.spec, config) {
        (Some(spec), config) => from_spec(spec, config.as_ref(), args, &options),
        (None, Some(config)) => from_config(&config, args),
        (None, None) => unreachable!("find_config fails without a config when no spec is given"),
    }
}

/// One spec on the command line; the output goes to `--output` or stdout.
fn from_spec(spec: &Path, config: Option<&Config>, args: &GenArgs, options: &Options) -> Status {
    let input = Input::from_arg(spec);
    let root = project_root_for(&input, config);
    let Loaded {
        contract,
        diagnostics,
        sources,
    } = load(&input, root.as_deref());
    report::print(&diagnostics, &sources, Format::Human);
    // The parsed documents are no longer needed: free them before generating.
    drop(sources);
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
    let code = generate(&contract, options);
    match &args.output {
        Some(output) => write_output(output, &code, args.check),
        None => {
            print!("{code}");
            Status::Success
        }
    }
}

/// Every `[[generate.ts]]` entry of the config.
fn from_config(config: &Config, args: &GenArgs) -> Status {
    if config.generate.ts.is_empty() {
        eprintln!("error: the config has no `[[generate.ts]]` entry; add one or pass a SPEC");
        return Status::Error;
    }
    if args.output.is_some() && config.generate.ts.len() > 1 {
        eprintln!("error: `--output` is ambiguous with several `[[generate.ts]]` entries");
        return Status::Error;
    }
    let mut gateway: Option<Gateway> = None;
    let mut status = Status::Success;
    for entry in &config.generate.ts {
        let output = args
            .output
            .clone()
            .unwrap_or_else(|| config.resolve(&entry.output));
        let options = Options {
            enums: entry.enums || args.enums,
        };
        let contract = match contract_for(config, &entry.source, &output, &mut gateway) {
            Some(contract) => contract,
            None => return Status::Error,
        };
        status = worst(
            status,
            write_output(&output, &generate(&contract, &options), args.check),
        );
    }
    status
}

/// The contract a generator reads: the merged gateway (merged once and
/// shared), or a merge of the listed services.
pub fn contract_for(
    config: &Config,
    source: &Source,
    output: &Path,
    gateway: &mut Option<Gateway>,
) -> Option<Contract> {
    match source {
        Source::Gateway => {
            if gateway.is_none() {
                let name = config
                    .gateway
                    .as_ref()
                    .map_or_else(|| PathBuf::from("gateway"), |g| config.resolve(&g.output));
                *gateway = Some(merge_project(config, None, &name)?);
            }
            gateway.as_ref().map(|gateway| gateway.contract.clone())
        }
        Source::Services(names) => {
            merge_project(config, Some(names), output).map(|merged| merged.contract)
        }
    }
}

/// Writes (or with `check`, compares) one generated file and says what happened.
pub fn write_output(output: &Path, content: &str, check: bool) -> Status {
    if check {
        return match stale_diff(output, content) {
            None => {
                eprintln!("{}: up to date", output.display());
                Status::Success
            }
            Some(diff) => {
                print!("{diff}");
                eprintln!("{}: stale", output.display());
                Status::Failure
            }
        };
    }
    match write_if_changed(output, content) {
        Ok(Written::Written) => {
            eprintln!("{}: written", output.display());
            Status::Success
        }
        Ok(Written::Unchanged) => {
            eprintln!("{}: unchanged", output.display());
            Status::Success
        }
        Err(error) => {
            eprintln!("error: cannot write `{}`: {error}", output.display());
            Status::Error
        }
    }
}

fn has_fatal(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| codes::is_fatal(d.code))
}

/// The more severe of two outcomes (error over failure over success).
pub fn worst(a: Status, b: Status) -> Status {
    match (a, b) {
        (Status::Error, _) | (_, Status::Error) => Status::Error,
        (Status::Failure, _) | (_, Status::Failure) => Status::Failure,
        _ => Status::Success,
    }
}
