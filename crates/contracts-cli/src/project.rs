//! The project as the config describes it: services loaded from their specs.

use std::path::{Path, PathBuf};

use contracts_config::Config;
use contracts_diagnostics::{Diagnostic, SourceLookup};
use contracts_load::{Input, Loaded, Sources, load};

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

/// Loads specs (each with its project root) on all cores, keeping their order:
/// specs are independent of each other.
pub fn load_all(targets: &[(Input, Option<PathBuf>)]) -> Vec<Loaded> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = targets.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = targets
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(input, root)| load(input, root.as_deref()))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("loading a spec does not panic"))
            .collect()
    })
}

/// The sources of several loaded specs, for snippets and for locating diagnostics.
pub struct AllSources<'a>(pub Vec<&'a Sources>);

impl AllSources<'_> {
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
