//! The generators and their outputs as the config names them, and the
//! contracts they are generated from (a service, a subset, the gateway):
//! shared by `gen`, `build` and `watch`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use contracts_config::{Config, GenerateMsw, GenerateRust, GenerateTs, Source, UnknownFields};
use contracts_diagnostics::{Diagnostic, SourceLookup};
use contracts_gen::Generated;
use contracts_load::{Loaded, Texts};
use contracts_merge::Bundles;
use contracts_model::Contract;
use rayon::prelude::*;

use crate::args::{Format, GenArgs};
use crate::gateway::{Gateway, Use, merge_loaded};
use crate::output::{Plan, generated_by_us};
use crate::project::AllSources;
use crate::report;

/// One generator with its settings, resolved once: defaults, then the
/// config entry, then the command line's flags.
pub enum Generator {
    Ts(contracts_gen_ts::Options),
    Msw(contracts_gen_msw::Options),
    /// The package settings apply when the output is a crate folder.
    Rust(contracts_gen_rust::Options, Package),
}

/// The manifest settings of a Rust output that is a crate folder.
#[derive(Default)]
pub struct Package {
    /// Default: the folder's name.
    pub name: Option<String>,
    /// Extra `[dependencies]`: name and TOML value.
    pub dependencies: Vec<(String, String)>,
}

/// How generator diagnostics are reported. `Shown`: in full, located in
/// the specs' text, and under `--strict`, warnings fail the run as spec
/// warnings do. `Counted`: warnings as one line per output (watch, where
/// details every rebuild would drown the status lines), errors in full.
pub enum Warnings<'a> {
    Shown {
        sources: &'a dyn Locating,
        strict: bool,
    },
    Counted,
}

/// The text of specs: diagnostics' lines are found and shown in it.
pub trait Locating: SourceLookup {
    /// Fills in the line and column of locations in these files.
    fn locate(&self, diagnostics: &mut [Diagnostic]);
}

impl Locating for Texts {
    fn locate(&self, diagnostics: &mut [Diagnostic]) {
        Texts::locate(self, diagnostics);
    }
}

impl Locating for AllSources<'_> {
    fn locate(&self, diagnostics: &mut [Diagnostic]) {
        AllSources::locate(self, diagnostics);
    }
}

impl Warnings<'_> {
    /// Prints what `generated` says about the output at `output`; false when
    /// the output could not be made or its warnings fail the run.
    pub fn report(&self, generated: &Generated, output: &Path) -> bool {
        let failed = generated.has_errors();
        if generated.diagnostics.is_empty() {
            return true;
        }
        match self {
            Warnings::Shown { sources, strict } => {
                let mut diagnostics = generated.diagnostics.clone();
                sources.locate(&mut diagnostics);
                contracts_diagnostics::sort(&mut diagnostics);
                report::print(&diagnostics, *sources, Format::Human);
                if failed {
                    eprintln!("error: cannot generate `{}`", output.display());
                } else if *strict {
                    eprintln!(
                        "error: --strict: generating found {} problem(s) in the spec",
                        diagnostics.len()
                    );
                }
                !failed && !strict
            }
            Warnings::Counted if failed => {
                report::print(&generated.diagnostics, &Texts::default(), Format::Human);
                eprintln!("error: cannot generate `{}`", output.display());
                false
            }
            Warnings::Counted => {
                eprintln!(
                    "warning: `{}`: {} generator warning(s); `contracts build` shows them",
                    output.display(),
                    generated.diagnostics.len()
                );
                true
            }
        }
    }
}

/// A generated file to write, and the role whose output it is.
pub struct File {
    pub path: PathBuf,
    pub contents: String,
    pub role: Option<String>,
}

/// Renders every output before anything is written; `None` (said on
/// stderr) when a contract or an output cannot be made, so a failed run
/// leaves every previous output as it was. Each contract is merged once,
/// then the outputs render on all cores; diagnostics are reported in order,
/// at the services' files.
pub fn render_all(
    outputs: &[Output],
    contracts: &mut Contracts,
    warnings: &Warnings,
) -> Option<Vec<File>> {
    for output in outputs {
        contracts.contract(&output.source, &output.path)?;
    }
    let contracts = &*contracts;
    let generated: Vec<Generated> = (outputs.par_iter())
        .map(|output| {
            let contract = contracts.merged(&output.source)?;
            Some(output.generator.render(contract, Some(&output.path)))
        })
        .collect::<Option<_>>()?;
    let mut files = Vec::new();
    for (output, mut generated) in outputs.iter().zip(generated) {
        contracts.trace(&output.source, &mut generated.diagnostics);
        if !warnings.report(&generated, &output.path) {
            return None;
        }
        files.extend(generated.files.into_iter().map(|file| File {
            path: file.at(&output.path),
            contents: file.contents,
            role: output.role.clone(),
        }));
    }
    Some(files)
}

impl Generator {
    /// What the generator makes of `contract`: for an output at `output`,
    /// or with none (stdout), one file.
    pub fn render(&self, contract: &Contract, output: Option<&Path>) -> Generated {
        match self {
            Generator::Ts(options) => contracts_gen_ts::generate(contract, options),
            Generator::Msw(options) => contracts_gen_msw::generate(contract, options),
            Generator::Rust(options, package) => {
                let in_folder = output.filter(|output| GenerateRust::is_crate(output));
                let package = in_folder.map(|folder| {
                    let name = package.name.clone().unwrap_or_else(|| {
                        let folder = folder.file_name().unwrap_or_default();
                        folder.to_string_lossy().to_lowercase()
                    });
                    contracts_gen_rust::Package::new(&name, package.dependencies.clone())
                });
                let options = contracts_gen_rust::Options {
                    package,
                    ..options.clone()
                };
                contracts_gen_rust::generate(contract, &options)
            }
        }
    }

    /// The config section it is set up in (`[generate.ts]`, ...).
    pub fn section(&self) -> &'static str {
        match self {
            Generator::Ts(_) => "ts",
            Generator::Msw(_) => "msw",
            Generator::Rust(..) => "rust",
        }
    }

    /// The paths an output at `output` writes.
    fn paths(&self, output: &Path) -> Vec<PathBuf> {
        match self {
            Generator::Rust(..) if GenerateRust::is_crate(output) => {
                (contracts_gen_rust::CRATE_FILES.iter())
                    .map(|file| output.join(file))
                    .collect()
            }
            _ => vec![output.to_owned()],
        }
    }

    /// Claims the files of an output at `output` in `plan`. The files of a
    /// crate folder are the generator's only when they carry its mark (or
    /// with `force`): a folder may hold a hand-written crate.
    pub fn claim(&self, plan: &mut Plan, output: &Path, force: bool) -> Result<(), String> {
        let paths = self.paths(output);
        let in_folder = paths.len() > 1;
        for path in paths {
            plan.output(&path)?;
            if in_folder && !force && !generated_by_us(&path, contracts_gen_rust::MARK) {
                return Err(format!(
                    "refusing to overwrite `{}`: contracts did not generate it (`--force` takes it over)",
                    path.display()
                ));
            }
        }
        Ok(())
    }

    /// The generator `gen` chose, for a SPEC on the command line: the
    /// defaults with the flags over them.
    pub fn chosen(flags: &GenArgs) -> Option<Generator> {
        match (flags.ts, flags.msw, flags.rust) {
            (true, false, false) => Some(Generator::Ts(ts_options(None, Some(flags)))),
            (false, true, false) => Some(Generator::Msw(msw_options(None, Some(flags)))),
            (false, false, true) => Some(Generator::Rust(
                rust_options(None, Some(flags)),
                Package::default(),
            )),
            _ => None,
        }
    }

    /// Every generator the config asks for, the project's and each role's,
    /// with `flags` (`gen`'s command line) over the config's settings.
    pub fn configured(config: &Config, flags: Option<&GenArgs>) -> Vec<Output> {
        let mut outputs = Vec::new();
        for (role, folder, generate) in config.generate_sections() {
            let mut push = |generator, source: &Source, output: &Path| {
                outputs.push(Output {
                    generator,
                    source: source.clone(),
                    path: folder.join(output),
                    role: role.map(str::to_owned),
                });
            };
            for entry in &generate.ts {
                let generator = Generator::Ts(ts_options(Some(entry), flags));
                push(generator, &entry.source, &entry.output);
            }
            for entry in &generate.msw {
                let generator = Generator::Msw(msw_options(Some(entry), flags));
                push(generator, &entry.source, &entry.output);
            }
            for entry in &generate.rust {
                let package = Package {
                    name: entry.crate_name.clone(),
                    dependencies: (entry.dependencies.iter())
                        .map(|(name, value)| (name.clone(), value.to_string()))
                        .collect(),
                };
                let generator = Generator::Rust(rust_options(Some(entry), flags), package);
                push(generator, &entry.source, &entry.output);
            }
        }
        outputs
    }
}

/// openapi-typescript's switches: each is the flag's value, else the config
/// entry's, else the default. One list of names for every layer.
macro_rules! ts_switches {
    ($entry:expr, $flags:expr, $($switch:ident),* $(,)?) => {{
        let defaults = contracts_gen_ts::Options::default();
        contracts_gen_ts::Options {
            enums: $flags.is_some_and(|flags| flags.enums)
                || $entry.is_some_and(|entry| entry.enums),
            $($switch: ($flags.and_then(|flags| flags.$switch))
                .or($entry.and_then(|entry| entry.$switch))
                .unwrap_or(defaults.$switch),)*
        }
    }};
}

fn ts_options(entry: Option<&GenerateTs>, flags: Option<&GenArgs>) -> contracts_gen_ts::Options {
    ts_switches!(
        entry,
        flags,
        default_non_nullable,
        empty_objects_unknown,
        additional_properties,
        properties_required_by_default,
        immutable,
        export_type,
        alphabetize,
        exclude_deprecated,
        array_length,
        path_params_as_types,
        root_types,
        root_types_no_schema_prefix,
        root_types_keep_casing,
        read_write_markers,
        make_paths_enum,
        dedupe_enums,
        enum_values,
    )
}

fn msw_options(entry: Option<&GenerateMsw>, flags: Option<&GenArgs>) -> contracts_gen_msw::Options {
    let defaults = contracts_gen_msw::Options::default();
    let flag = |get: fn(&GenArgs) -> Option<String>| flags.and_then(get);
    contracts_gen_msw::Options {
        types_import: (flag(|flags| flags.types_import.clone()))
            .or_else(|| entry.and_then(|entry| entry.types_import.clone()))
            .unwrap_or(defaults.types_import),
        base_url: (flag(|flags| flags.base_url.clone()))
            .or_else(|| entry.and_then(|entry| entry.base_url.clone()))
            .unwrap_or(defaults.base_url),
        seed: (flags.and_then(|flags| flags.seed))
            .or_else(|| entry.and_then(|entry| entry.seed))
            .unwrap_or(defaults.seed),
        // Both layers' names are checked where they are read (clap, `find_config`).
        locale: (flag(|flags| flags.locale.clone()))
            .or_else(|| entry.and_then(|entry| entry.locale.clone()))
            .and_then(|name| contracts_gen_msw::Locale::named(&name))
            .unwrap_or(defaults.locale),
        stateful: flags.is_some_and(|flags| flags.stateful)
            || entry.is_some_and(|entry| entry.stateful),
    }
}

fn rust_options(
    entry: Option<&GenerateRust>,
    flags: Option<&GenArgs>,
) -> contracts_gen_rust::Options {
    let defaults = contracts_gen_rust::Options::default();
    let dropped = flags.is_some_and(|flags| flags.drop_unknown_fields)
        || entry.is_some_and(|entry| entry.unknown_fields == UnknownFields::Drop);
    contracts_gen_rust::Options {
        derives: entry.map_or(defaults.derives, |entry| entry.derives.clone()),
        keep_unknown_fields: !dropped,
        package: None,
    }
}

/// One configured output: what generates it, from what, where, for which role.
pub struct Output {
    pub generator: Generator,
    pub source: Source,
    pub path: PathBuf,
    pub role: Option<String>,
}

/// The contracts the configured generators read, from services loaded once:
/// the gateway and each list of services merged once, however many outputs
/// read them.
pub struct Contracts<'l> {
    config: &'l Config,
    loaded: Vec<(&'l str, &'l Loaded)>,
    gateway: Option<Gateway>,
    subsets: HashMap<Vec<String>, Gateway>,
    /// Services' bundles kept between watch's runs; one-shot runs keep none
    /// (a copy of each would cost more than it saves).
    bundles: Option<Bundles>,
}

impl<'l> Contracts<'l> {
    /// Over `loaded` services, in config order.
    pub fn new(config: &'l Config, loaded: Vec<(&'l str, &'l Loaded)>) -> Self {
        Contracts {
            config,
            loaded,
            gateway: None,
            subsets: HashMap::new(),
            bundles: None,
        }
    }

    /// Reuses `bundles` kept from an earlier run (watch).
    pub fn with_bundles(self, bundles: Bundles) -> Self {
        Contracts {
            bundles: Some(bundles),
            ..self
        }
    }

    /// The bundles, for the next run. The merged documents and contracts
    /// are freed on another thread: `watch` need not wait for that.
    pub fn into_bundles(mut self) -> Bundles {
        let merged = (self.gateway.take(), std::mem::take(&mut self.subsets));
        rayon::spawn(move || drop(merged));
        self.bundles.take().unwrap_or_default()
    }

    /// The merge of every service; `None` (with the errors printed) when it fails.
    pub fn gateway(&mut self) -> Option<&Gateway> {
        if self.gateway.is_none() {
            // Without a `[gateway]` the merge is only used in memory; watch
            // (the one to keep bundles) compares its text with the last.
            let use_ = match (&self.bundles, &self.config.gateway) {
                (Some(_), _) => Use::Watched,
                (None, Some(_)) => Use::Written,
                (None, None) => Use::InMemory,
            };
            let merged = merge_loaded(
                self.config,
                &self.loaded,
                &gateway_output(self.config),
                self.bundles.as_mut(),
                use_,
            )?;
            self.gateway = Some(merged);
        }
        self.gateway.as_ref()
    }

    /// The contract `source` names if it is merged already.
    fn merged(&self, source: &Source) -> Option<&Contract> {
        self.merge_of(source)?.contract.as_ref()
    }

    fn merge_of(&self, source: &Source) -> Option<&Gateway> {
        match source {
            Source::Gateway => self.gateway.as_ref(),
            Source::Services(names) => self.subsets.get(names),
        }
    }

    /// Points `diagnostics` about the merge of `source` at where its
    /// services wrote what they are about.
    fn trace(&self, source: &Source, diagnostics: &mut [Diagnostic]) {
        let Some(merge) = self.merge_of(source).filter(|_| !diagnostics.is_empty()) else {
            return;
        };
        let origins = merge.merged.origins();
        for location in diagnostics.iter_mut().flat_map(Diagnostic::locations_mut) {
            if let Some(origin) = origins.of(&location.pointer) {
                *location = origin;
            }
        }
    }

    /// The contract `source` names; `output` is how a merge of services is
    /// called in messages.
    pub fn contract(&mut self, source: &Source, output: &Path) -> Option<&Contract> {
        let names = match source {
            Source::Gateway => {
                self.gateway()?;
                let gateway = self.gateway.as_mut()?;
                return gateway.contract(&gateway_output(self.config));
            }
            Source::Services(names) => names,
        };
        if !self.subsets.contains_key(names) {
            let subset: Vec<(&str, &Loaded)> = (self.loaded.iter())
                .filter(|(service, _)| names.iter().any(|name| name == service))
                .copied()
                .collect();
            let merged = merge_loaded(
                self.config,
                &subset,
                output,
                self.bundles.as_mut(),
                Use::InMemory,
            )?;
            self.subsets.insert(names.clone(), merged);
        }
        self.subsets.get(names)?.contract.as_ref()
    }
}

/// Where the gateway is written, and how it is called in messages without one.
pub fn gateway_output(config: &Config) -> PathBuf {
    (config.gateway.as_ref())
        .map_or_else(|| PathBuf::from("gateway"), |g| config.resolve(&g.output))
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use contracts_model::{InMemory, build};
    use serde_json::json;

    use super::*;
    use crate::args::{Cli, Command};

    fn configured(section: &str, flags: Option<&GenArgs>) -> Output {
        let text = format!("[services.a]\nspec = \"a.yaml\"\n\n{section}");
        let config = Config::parse(&text, Path::new("/p/contracts.toml")).unwrap();
        Generator::configured(&config, flags).pop().unwrap()
    }

    fn flags(args: &[&str]) -> GenArgs {
        let cli = Cli::try_parse_from(["contracts", "gen"].iter().chain(args)).unwrap();
        let Command::Gen(args) = cli.command else {
            panic!("gen parses as gen")
        };
        args
    }

    #[test]
    fn a_rust_output_without_rs_is_a_crate_folder_with_its_manifest() {
        let output = configured(
            "[generate.rust]\noutput = \"crates/Shop Types\"\ndependencies = { schemars = { version = \"0.8\", features = [\"uuid1\"] } }\n",
            None,
        );
        let document = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"A": {"type": "string", "format": "uuid"}}}});
        let contract = build(&mut InMemory::new("a.yaml", document)).0.unwrap();
        let generated = output.generator.render(&contract, Some(&output.path));
        let paths: Vec<PathBuf> = (generated.files.iter())
            .map(|file| file.at(&output.path))
            .collect();
        assert_eq!(
            paths,
            [
                Path::new("crates/Shop Types/Cargo.toml"),
                Path::new("crates/Shop Types/src/lib.rs")
            ]
        );
        let manifest = &generated.files[0].contents;
        assert!(manifest.contains("name = \"shop-types\""), "{manifest}");
        assert!(
            manifest.contains("schemars = { version = \"0.8\", features = [\"uuid1\"] }\n"),
            "{manifest}"
        );
        assert!(manifest.contains("uuid = "), "{manifest}");

        let output = configured(
            "[generate.rust]\noutput = \"src/types.rs\"\ncrate_name = \"unused\"\n",
            None,
        );
        let generated = output.generator.render(&contract, Some(&output.path));
        assert_eq!(generated.files.len(), 1);
        assert_eq!(
            generated.files[0].at(&output.path),
            Path::new("src/types.rs")
        );
    }

    #[test]
    fn flags_over_the_config_over_the_defaults() {
        let section = "[generate.msw]\noutput = \"m.ts\"\nseed = 5\nbase_url = \"/api\"\n";
        let Generator::Msw(options) = configured(section, None).generator else {
            panic!("an msw entry")
        };
        assert_eq!((options.seed, options.base_url.as_str()), (5, "/api"));
        assert_eq!(options.types_import, "./types");
        let Generator::Msw(options) =
            configured(section, Some(&flags(&["--msw", "--seed", "9"]))).generator
        else {
            panic!("an msw entry")
        };
        assert_eq!((options.seed, options.base_url.as_str()), (9, "/api"));

        let section = "[[generate.ts]]\noutput = \"t.ts\"\nalphabetize = true\nimmutable = true\n";
        let Generator::Ts(options) = configured(
            section,
            Some(&flags(&["--ts", "--immutable=false", "--enum"])),
        )
        .generator
        else {
            panic!("a ts entry")
        };
        assert!(options.alphabetize && !options.immutable && options.enums);
        assert!(options.default_non_nullable, "the default");

        let section = "[generate.rust]\noutput = \"r.rs\"\n";
        let Generator::Rust(options, _) =
            configured(section, Some(&flags(&["--rust", "--drop-unknown-fields"]))).generator
        else {
            panic!("a rust entry")
        };
        assert!(!options.keep_unknown_fields);
    }
}
