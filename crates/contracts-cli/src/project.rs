//! The project as the config describes it: the config found, services loaded from their specs.

use std::path::{Path, PathBuf};

use contracts_config::Config;
use contracts_diagnostics::{Diagnostic, SourceLookup};
use contracts_load::{Input, Loaded, Sources, load};
use rayon::prelude::*;

use crate::args::ConfigArg;
use crate::report::{self, TextSource};
use crate::status::Status;

/// Every service of the config, loaded, in config order.
pub fn load_services(config: &Config) -> Vec<(String, Loaded)> {
    let root = config.root();
    let targets: Vec<(Input, Option<PathBuf>)> = config
        .services
        .values()
        .map(|service| {
            (
                Input::File(config.resolve(&service.spec)),
                Some(root.clone()),
            )
        })
        .collect();
    config
        .services
        .keys()
        .cloned()
        .zip(load_all(&targets))
        .collect()
}

/// Loaded services borrowed the way the merge takes them.
pub fn borrowed(loaded: &[(String, Loaded)]) -> Vec<(&str, &Loaded)> {
    (loaded.iter())
        .map(|(service, spec)| (service.as_str(), spec))
        .collect()
}

/// Loads specs (each with its project root) on all cores, keeping their order:
/// specs are independent of each other.
pub fn load_all(targets: &[(Input, Option<PathBuf>)]) -> Vec<Loaded> {
    (targets.par_iter())
        .map(|(input, root)| load(input, root.as_deref()))
        .collect()
}

/// The project root a spec on the command line belongs to: the given
/// config's when the spec is inside it, else that of the `contracts.toml`
/// nearest above the spec. `None` means the spec's own folder.
pub fn project_root_for(input: &Input, config: Option<&Config>) -> Option<PathBuf> {
    let Input::File(spec) = input else {
        return config.map(Config::root);
    };
    let cwd = std::env::current_dir().unwrap_or_default();
    let absolute = |path: &Path| contracts_load::normalize(&cwd.join(path));
    let spec = absolute(spec);
    let contains = |root: &Path| spec.starts_with(absolute(root));
    if let Some(root) = config.map(Config::root).filter(|root| contains(root)) {
        return Some(root);
    }
    let found = Config::discover(spec.parent()?)?;
    let root = Config::load(&found).map_or_else(
        |_| found.parent().map(Path::to_owned),
        |config| Some(config.root()),
    )?;
    contains(&root).then_some(root)
}

/// The sources of several loaded specs, for snippets and for locating diagnostics.
pub struct AllSources<'a>(pub Vec<&'a Sources>);

impl<'a> AllSources<'a> {
    pub fn of(specs: impl IntoIterator<Item = &'a Loaded>) -> Self {
        AllSources(specs.into_iter().map(|spec| &spec.sources).collect())
    }

    pub fn locate(&self, diagnostics: &mut [Diagnostic]) {
        for sources in &self.0 {
            sources.locate(diagnostics);
        }
    }
}

impl SourceLookup for AllSources<'_> {
    fn source(&self, file: &Path) -> Option<&str> {
        self.0.iter().find_map(|sources| sources.source(file))
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
    let config = Config::load(&path).map_err(|error| {
        let source = TextSource {
            path: &path,
            text: std::fs::read_to_string(&path).ok(),
        };
        report::print(&[error.0], &source, crate::args::Format::Human);
        Status::Error
    })?;
    check_locales(&config)?;
    Ok(Some(config))
}

/// Every `[generate.msw] locale` names a locale the mocks have.
fn check_locales(config: &Config) -> Result<(), Status> {
    let sections = config.generate_sections();
    let named = (sections.iter()).flat_map(|(_, _, generate)| &generate.msw);
    for locale in named.filter_map(|entry| entry.locale.as_deref()) {
        if contracts_gen_msw::Locale::named(locale).is_none() {
            let known: Vec<&str> = contracts_gen_msw::Locale::ALL
                .map(|(name, _)| name)
                .to_vec();
            eprintln!(
                "error: {}: `[generate.msw] locale = {locale:?}` is no locale the mocks have; use one of {}",
                config.file.display(),
                known.join(", ")
            );
            return Err(Status::Error);
        }
    }
    Ok(())
}
