//! The project as the config describes it: services loaded from their specs.

use std::path::Path;

use contracts_config::Config;
use contracts_diagnostics::{Diagnostic, SourceLookup};
use contracts_load::{Input, Loaded, Sources, load};

/// Every service of the config, loaded, in config order.
pub fn load_services(config: &Config) -> Vec<(String, Loaded)> {
    let root = config.root();
    config
        .services
        .iter()
        .map(|(name, service)| {
            (
                name.clone(),
                load(&Input::File(config.resolve(&service.spec)), Some(&root)),
            )
        })
        .collect()
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
