//! `contracts merge`: every service's spec into one gateway spec.

use contracts_load::{Format as FileFormat, format_for};
use serde_json::json;

use crate::args::{MergeArgs, ReportFormat};
use crate::gateway::{Use, merge_loaded};
use crate::output::{Plan, settle};
use crate::project::{borrowed, find_config, load_services};
use crate::status::{Status, keep_until_exit, outln};

pub fn run(args: &MergeArgs) -> Status {
    let config = match find_config(&args.config, true) {
        Ok(Some(config)) => config,
        Ok(None) => unreachable!("a config is required"),
        Err(status) => return status,
    };
    let output = match (&args.output, &config.gateway) {
        (Some(path), _) => path.clone(),
        (None, Some(gateway)) => config.resolve(&gateway.output),
        (None, None) => {
            eprintln!(
                "error: no gateway output: add `[gateway] output = \"...\"` to the config or pass `--output FILE`"
            );
            return Status::Error;
        }
    };
    let loaded = load_services(&config);
    let mut plan = Plan::project(&config, loaded.iter().map(|(_, spec)| spec));
    if let Err(message) = plan.output(&output) {
        eprintln!("error: {message}");
        return Status::Error;
    }
    let Some(gateway) = merge_loaded(&config, &borrowed(&loaded), &output, None, Use::Written)
    else {
        eprintln!(
            "error: merge failed; `{}` was left as it was",
            output.display()
        );
        return Status::Error;
    };
    let text = (gateway.text).expect("a written merge is emitted");
    let merge_report = gateway.report;
    keep_until_exit((loaded, gateway.merged, gateway.contract));
    let (status, outcome) = match settle(&output, &text, args.check) {
        Ok(settled) => settled,
        Err(error) => {
            eprintln!("error: cannot write `{}`: {error}", output.display());
            return Status::Error;
        }
    };
    match args.format {
        ReportFormat::Json => {
            let value = json!({"output": output, "outcome": outcome, "report": merge_report});
            outln!(
                "{}",
                serde_json::to_string_pretty(&value).expect("the report serializes")
            );
        }
        ReportFormat::Text => print_text(&merge_report, &output, outcome, format_for(&output)),
    }
    status
}

fn print_text(
    report: &contracts_merge::Report,
    output: &std::path::Path,
    outcome: &str,
    format: FileFormat,
) {
    for service in &report.services {
        let prefix = if service.prefix.is_empty() {
            "/".to_owned()
        } else {
            service.prefix.clone()
        };
        eprintln!(
            "{:<12} {:>4} operations under {prefix}, {} components",
            service.name, service.operations, service.components
        );
    }
    for rename in &report.renames {
        eprintln!(
            "renamed  {} `{}` of {} to `{}`",
            rename.kind, rename.from, rename.service, rename.to
        );
    }
    for dedupe in &report.dedupes {
        eprintln!(
            "shared   {} `{}`: equal in {}, stored once",
            dedupe.kind,
            dedupe.name,
            dedupe.services.join(", ")
        );
    }
    for conflict in &report.conflicts {
        eprintln!("conflict {conflict}");
    }
    let kind = match format {
        FileFormat::Json => "JSON",
        FileFormat::Yaml => "YAML",
    };
    eprintln!(
        "{} (OpenAPI {}, {kind}): {outcome}",
        output.display(),
        report.openapi
    );
}
