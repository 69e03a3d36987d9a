//! Merging loaded services into the gateway, shared by `merge`, `gen`,
//! `build` and `watch`.

use std::path::Path;
use std::sync::Arc;

use contracts_config::{CollisionStrategy, Config, OpenApiVersion};
use contracts_diagnostics::{Diagnostic, Severity};
use contracts_load::{Loaded, Texts, format_for};
use contracts_merge::{
    Bundles, Collisions, Merged, Report, Service, Settings, SourceDocument, merge, merge_cached,
};
use contracts_model::{Contract, InMemory, Version, build};
use serde_json::json;

use crate::args::Format;
use crate::project::AllSources;
use crate::report;

/// A merged gateway: its parts, its text when it is written, its
/// contract once checked, and the merge report.
pub struct Gateway {
    pub merged: contracts_merge::Gateway,
    /// The document in the format of the file it is written to.
    pub text: Option<String>,
    /// The gateway read back as a spec, which checks the merge.
    pub contract: Option<Contract>,
    pub report: Report,
}

/// What a merge is for: written to the file it is named after (its text is
/// emitted too), used in memory (its contract is built), or watched: written,
/// and its contract built only when an output is generated from it, so an
/// edit costs what the changed services weigh.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Use {
    Written,
    InMemory,
    Watched,
}

impl Gateway {
    /// The contract, built and checked on first use; `None` (said on
    /// stderr) when the merged spec is invalid, a bug in merge.
    pub fn contract(&mut self, name: &Path) -> Option<&Contract> {
        if self.contract.is_none() {
            self.contract = Some(check(&self.merged, name)?);
        }
        self.contract.as_ref()
    }
}

/// Merges services already loaded (in config order), printing every
/// diagnostic. `None` when the specs or the merge have errors. With
/// `bundles`, those of services unchanged since a merge with the same
/// `bundles` are reused (and this merge's kept there).
pub fn merge_loaded(
    config: &Config,
    loaded: &[(&str, &Loaded)],
    name: &Path,
    bundles: Option<&mut Bundles>,
    use_: Use,
) -> Option<Gateway> {
    let settings = settings(config);
    let sources = AllSources::of(loaded.iter().map(|(_, spec)| *spec));
    let load_errors: Vec<Diagnostic> = loaded
        .iter()
        .flat_map(|(_, spec)| spec.diagnostics.iter().filter(|d| d.is_error()).cloned())
        .collect();
    if !load_errors.is_empty() {
        report::print(&load_errors, &sources, Format::Human);
        eprintln!("error: the specs have errors (see `contracts validate`)");
        return None;
    }
    let services: Vec<Service> = loaded
        .iter()
        .filter_map(|(service_name, spec)| {
            let contract = spec.contract.as_ref()?;
            let service = &config.services[*service_name];
            Some(Service {
                name: (*service_name).to_owned(),
                prefix: service.prefix.clone().unwrap_or_default(),
                strip_prefix: service.strip_prefix.clone(),
                description: service.description.clone(),
                version: contract.version,
                documents: spec
                    .sources
                    .files()
                    .iter()
                    .map(|file| SourceDocument {
                        path: file.path.clone(),
                        display: file.display.clone(),
                        value: file.value.clone(),
                    })
                    .collect(),
            })
        })
        .collect();

    let Merged {
        gateway,
        report,
        mut diagnostics,
    } = match bundles {
        Some(bundles) => merge_cached(&services, &settings, bundles),
        None => merge(&services, &settings),
    };
    sources.locate(&mut diagnostics);
    report::print(&diagnostics, &sources, Format::Human);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return None;
    }
    let format = format_for(name);
    let (contract, text) = match use_ {
        // The check and the text are independent: one core each.
        Use::Written => match rayon::join(|| check(&gateway, name), || gateway.text(format)) {
            (Some(contract), text) => (Some(contract), Some(text)),
            (None, _) => return None,
        },
        Use::InMemory => (Some(check(&gateway, name)?), None),
        Use::Watched => (None, Some(gateway.text(format))),
    };
    Some(Gateway {
        merged: gateway,
        text,
        contract,
        report,
    })
}

/// The gateway read back as a spec: it must itself be valid, and a failure
/// here is a bug in merge.
fn check(gateway: &contracts_merge::Gateway, name: &Path) -> Option<Contract> {
    let document = Arc::new(gateway.document());
    let (contract, problems) = build(&mut InMemory::new(name, document));
    let problems: Vec<Diagnostic> = problems.into_iter().filter(Diagnostic::is_error).collect();
    if !problems.is_empty() {
        report::print(&problems, &Texts::default(), Format::Human);
        eprintln!("error: internal: the merged spec is invalid");
        return None;
    }
    contract
}

fn settings(config: &Config) -> Settings {
    let gateway = config.gateway.as_ref();
    let openapi = gateway
        .and_then(|g| g.openapi)
        .map(|version| match version {
            OpenApiVersion::V3_0 => Version::V3_0,
            OpenApiVersion::V3_1 => Version::V3_1,
        });
    Settings {
        title: gateway
            .and_then(|g| g.title.clone())
            .or_else(|| config.project.name.clone())
            .unwrap_or_else(|| "Gateway".to_owned()),
        version: gateway
            .and_then(|g| g.version.clone())
            .unwrap_or_else(|| "1.0.0".to_owned()),
        description: gateway.and_then(|g| g.description.clone()),
        openapi,
        servers: gateway
            .map(|g| {
                g.servers
                    .iter()
                    .map(|server| match &server.description {
                        Some(description) => json!({"url": server.url, "description": description}),
                        None => json!({"url": server.url}),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        collisions: match gateway.map(|g| g.collisions).unwrap_or_default() {
            CollisionStrategy::Prefix => Collisions::Prefix,
            CollisionStrategy::Error => Collisions::Error,
        },
        service_tags: gateway.is_some_and(|g| g.service_tags),
    }
}
