//! The generators and their outputs as the config names them, and the
//! contracts they are generated from (a service, a subset, the gateway):
//! shared by `gen`, `build` and `watch`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use contracts_config::{Config, GenerateRust, Source, UnknownFields};
use contracts_diagnostics::Diagnostic;
use contracts_load::{Loaded, Texts};
use contracts_model::{Contract, codes};

use crate::args::Format;
use crate::gateway::{Gateway, merge_loaded};
use crate::output::{Plan, generated_by_us, write_output};
use crate::report;
use crate::status::{Status, worst};

/// One generator with its options.
pub enum Generator {
    Ts(contracts_gen_ts::Options),
    Msw(contracts_gen_msw::Options),
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

/// A generated file and what the generator had to warn about in the spec.
pub struct Rendered {
    pub code: String,
    pub warnings: Vec<Diagnostic>,
}

/// How generator warnings are reported: located in the spec's text (none
/// for a gateway merged in memory, whose warnings keep their pointers only),
/// and under `--strict`, failing the run as spec warnings do.
pub struct Warnings<'a> {
    pub texts: &'a Texts,
    pub strict: bool,
}

impl Warnings<'_> {
    /// Prints `warnings`; false when they fail the run.
    pub fn report(&self, warnings: &[Diagnostic]) -> bool {
        if warnings.is_empty() {
            return true;
        }
        let mut warnings = warnings.to_vec();
        self.texts.locate(&mut warnings);
        contracts_diagnostics::sort(&mut warnings);
        report::print(&warnings, self.texts, Format::Human);
        if self.strict {
            eprintln!(
                "error: --strict: generating found {} problem(s) in the spec",
                warnings.len()
            );
        }
        !self.strict
    }
}

impl Generator {
    /// The generated file, or why it could not be generated.
    pub fn render(&self, contract: &Contract) -> Result<Rendered, String> {
        Ok(match self {
            Generator::Ts(options) => {
                let generated = contracts_gen_ts::generate(contract, options);
                Rendered {
                    code: generated.code,
                    warnings: generated.warnings,
                }
            }
            Generator::Msw(options) => {
                let generated = contracts_gen_msw::generate(contract, options);
                Rendered {
                    code: generated.code,
                    warnings: generated.diagnostics,
                }
            }
            Generator::Rust(options, _) => {
                let generated = contracts_gen_rust::generate(contract, options)?;
                Rendered {
                    code: generated.code,
                    warnings: (generated.warnings.into_iter())
                        .map(|message| Diagnostic::warning(codes::RUST_TYPE_DEGRADED, message))
                        .collect(),
                }
            }
        })
    }

    /// The config section it is set up in (`[generate.ts]`, ...).
    pub fn section(&self) -> &'static str {
        match self {
            Generator::Ts(_) => "ts",
            Generator::Msw(_) => "msw",
            Generator::Rust(..) => "rust",
        }
    }

    /// Renders, reports its warnings, and writes (or checks) one output.
    pub fn write(
        &self,
        contract: &Contract,
        output: &Path,
        check: bool,
        warnings: &Warnings,
    ) -> Status {
        match self.render_files(contract, output, warnings) {
            Some(files) => files
                .iter()
                .fold(Status::Success, |status, (path, content)| {
                    worst(status, write_output(path, content, check))
                }),
            None => Status::Error,
        }
    }

    /// The files of the output at `output`, rendered, with its warnings
    /// reported; `None` (said on stderr) when it cannot be generated or
    /// `warnings` are fatal.
    pub fn render_files(
        &self,
        contract: &Contract,
        output: &Path,
        warnings: &Warnings,
    ) -> Option<Vec<(PathBuf, String)>> {
        match self.render(contract) {
            Ok(rendered) if warnings.report(&rendered.warnings) => {
                Some(self.files(output, rendered.code))
            }
            Ok(_) => None,
            Err(message) => {
                eprintln!("error: cannot generate `{}`: {message}", output.display());
                None
            }
        }
    }

    /// The files of an output at `output` whose generated code is `code`:
    /// itself, or for Rust output to a crate folder, the folder's
    /// `Cargo.toml` and `src/lib.rs`.
    pub fn files(&self, output: &Path, code: String) -> Vec<(PathBuf, String)> {
        let paths = self.paths(output);
        match self {
            Generator::Rust(_, package) if paths.len() == 2 => {
                let name = match &package.name {
                    Some(name) => package_name(name),
                    None => {
                        let folder = output.file_name().unwrap_or_default();
                        package_name(&folder.to_string_lossy().to_lowercase())
                    }
                };
                let manifest = contracts_gen_rust::manifest(&name, &code, &package.dependencies);
                paths.into_iter().zip([manifest, code]).collect()
            }
            _ => paths.into_iter().zip([code]).collect(),
        }
    }

    /// The paths [`Self::files`] writes.
    fn paths(&self, output: &Path) -> Vec<PathBuf> {
        match self {
            Generator::Rust(..) if GenerateRust::is_crate(output) => {
                vec![output.join("Cargo.toml"), output.join("src/lib.rs")]
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

    /// Every generator the config asks for, the project's and each role's.
    pub fn configured(config: &Config) -> Vec<Output> {
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
                let base = contracts_gen_ts::Options {
                    enums: entry.enums,
                    ..Default::default()
                };
                let switches = TsSwitches {
                    default_non_nullable: entry.default_non_nullable,
                    empty_objects_unknown: entry.empty_objects_unknown,
                    additional_properties: entry.additional_properties,
                    properties_required_by_default: entry.properties_required_by_default,
                    immutable: entry.immutable,
                    export_type: entry.export_type,
                    alphabetize: entry.alphabetize,
                    exclude_deprecated: entry.exclude_deprecated,
                    array_length: entry.array_length,
                    path_params_as_types: entry.path_params_as_types,
                    root_types: entry.root_types,
                    root_types_no_schema_prefix: entry.root_types_no_schema_prefix,
                    root_types_keep_casing: entry.root_types_keep_casing,
                    read_write_markers: entry.read_write_markers,
                    make_paths_enum: entry.make_paths_enum,
                    dedupe_enums: entry.dedupe_enums,
                    enum_values: entry.enum_values,
                };
                push(
                    Generator::Ts(switches.over(base)),
                    &entry.source,
                    &entry.output,
                );
            }
            for entry in &generate.msw {
                let defaults = contracts_gen_msw::Options::default();
                let options = contracts_gen_msw::Options {
                    types_import: entry.types_import.clone().unwrap_or(defaults.types_import),
                    base_url: entry.base_url.clone().unwrap_or(defaults.base_url),
                    seed: entry.seed.unwrap_or(defaults.seed),
                };
                push(Generator::Msw(options), &entry.source, &entry.output);
            }
            for entry in &generate.rust {
                let options = contracts_gen_rust::Options {
                    derives: entry.derives.clone(),
                    keep_unknown_fields: entry.unknown_fields == UnknownFields::Keep,
                };
                let package = Package {
                    name: entry.crate_name.clone(),
                    dependencies: (entry.dependencies.iter())
                        .map(|(name, value)| (name.clone(), value.to_string()))
                        .collect(),
                };
                push(
                    Generator::Rust(options, package),
                    &entry.source,
                    &entry.output,
                );
            }
        }
        outputs
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
}

impl<'l> Contracts<'l> {
    /// Over `loaded` services, in config order.
    pub fn new(config: &'l Config, loaded: Vec<(&'l str, &'l Loaded)>) -> Self {
        Contracts {
            config,
            loaded,
            gateway: None,
            subsets: HashMap::new(),
        }
    }

    /// The merge of every service; `None` (with the errors printed) when it fails.
    pub fn gateway(&mut self) -> Option<&Gateway> {
        if self.gateway.is_none() {
            let merged = merge_loaded(self.config, &self.loaded, &gateway_path(self.config))?;
            self.gateway = Some(merged);
        }
        self.gateway.as_ref()
    }

    /// The contract `source` names; `output` is how a merge of services is
    /// called in messages.
    pub fn contract(&mut self, source: &Source, output: &Path) -> Option<&Contract> {
        let names = match source {
            Source::Gateway => return self.gateway().map(|gateway| &gateway.contract),
            Source::Services(names) => names,
        };
        if !self.subsets.contains_key(names) {
            let subset: Vec<(&str, &Loaded)> = (self.loaded.iter())
                .filter(|(service, _)| names.iter().any(|name| name == service))
                .copied()
                .collect();
            let merged = merge_loaded(self.config, &subset, output)?;
            self.subsets.insert(names.clone(), merged);
        }
        self.subsets.get(names).map(|merged| &merged.contract)
    }
}

/// Where the gateway is written, and how it is called in messages without one.
pub fn gateway_path(config: &Config) -> PathBuf {
    (config.gateway.as_ref())
        .map_or_else(|| PathBuf::from("gateway"), |g| config.resolve(&g.output))
}

/// A Cargo package name from `raw` (a crate folder's name, or the
/// configured `crate_name`): characters Cargo refuses become `-`, so the
/// manifest stays valid TOML whatever the config says.
fn package_name(raw: &str) -> String {
    let name: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_matches('-');
    match name.chars().next() {
        Some(first) if first.is_ascii_alphabetic() => name.to_owned(),
        Some(_) => format!("types-{name}"),
        None => "generated-types".to_owned(),
    }
}

/// openapi-typescript's switches as one source gives them (flags or a
/// `[[generate.ts]]` entry); unset ones leave the layer below as it is.
pub struct TsSwitches {
    pub default_non_nullable: Option<bool>,
    pub empty_objects_unknown: Option<bool>,
    pub additional_properties: Option<bool>,
    pub properties_required_by_default: Option<bool>,
    pub immutable: Option<bool>,
    pub export_type: Option<bool>,
    pub alphabetize: Option<bool>,
    pub exclude_deprecated: Option<bool>,
    pub array_length: Option<bool>,
    pub path_params_as_types: Option<bool>,
    pub root_types: Option<bool>,
    pub root_types_no_schema_prefix: Option<bool>,
    pub root_types_keep_casing: Option<bool>,
    pub read_write_markers: Option<bool>,
    pub make_paths_enum: Option<bool>,
    pub dedupe_enums: Option<bool>,
    pub enum_values: Option<bool>,
}

impl TsSwitches {
    pub fn over(&self, base: contracts_gen_ts::Options) -> contracts_gen_ts::Options {
        contracts_gen_ts::Options {
            enums: base.enums,
            default_non_nullable: (self.default_non_nullable).unwrap_or(base.default_non_nullable),
            empty_objects_unknown: (self.empty_objects_unknown)
                .unwrap_or(base.empty_objects_unknown),
            additional_properties: (self.additional_properties)
                .unwrap_or(base.additional_properties),
            properties_required_by_default: (self.properties_required_by_default)
                .unwrap_or(base.properties_required_by_default),
            immutable: self.immutable.unwrap_or(base.immutable),
            export_type: self.export_type.unwrap_or(base.export_type),
            alphabetize: self.alphabetize.unwrap_or(base.alphabetize),
            exclude_deprecated: self.exclude_deprecated.unwrap_or(base.exclude_deprecated),
            array_length: self.array_length.unwrap_or(base.array_length),
            path_params_as_types: self
                .path_params_as_types
                .unwrap_or(base.path_params_as_types),
            root_types: self.root_types.unwrap_or(base.root_types),
            root_types_no_schema_prefix: self
                .root_types_no_schema_prefix
                .unwrap_or(base.root_types_no_schema_prefix),
            root_types_keep_casing: self
                .root_types_keep_casing
                .unwrap_or(base.root_types_keep_casing),
            read_write_markers: self.read_write_markers.unwrap_or(base.read_write_markers),
            make_paths_enum: self.make_paths_enum.unwrap_or(base.make_paths_enum),
            dedupe_enums: self.dedupe_enums.unwrap_or(base.dedupe_enums),
            enum_values: self.enum_values.unwrap_or(base.enum_values),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rust_output(section: &str) -> Output {
        let text = format!("[services.a]\nspec = \"a.yaml\"\n\n[generate.rust]\n{section}");
        let config = Config::parse(&text, Path::new("/p/contracts.toml")).unwrap();
        Generator::configured(&config).pop().unwrap()
    }

    #[test]
    fn a_rust_output_without_rs_is_a_crate_folder_with_its_manifest() {
        let output = rust_output(
            "output = \"crates/Shop Types\"\ndependencies = { schemars = { version = \"0.8\", features = [\"uuid1\"] } }\n",
        );
        let code = "pub struct A(pub ::uuid::Uuid);\n".to_owned();
        let files = output.generator.files(&output.path, code.clone());
        let paths: Vec<&Path> = files.iter().map(|(path, _)| path.as_path()).collect();
        assert_eq!(
            paths,
            [
                Path::new("crates/Shop Types/Cargo.toml"),
                Path::new("crates/Shop Types/src/lib.rs")
            ]
        );
        let manifest = &files[0].1;
        assert!(manifest.contains("name = \"shop-types\""), "{manifest}");
        assert!(
            manifest.contains("schemars = { version = \"0.8\", features = [\"uuid1\"] }\n"),
            "{manifest}"
        );
        assert!(manifest.contains("uuid = "), "{manifest}");
        assert_eq!(files[1].1, code);

        let output = rust_output("output = \"src/types.rs\"\ncrate_name = \"unused\"\n");
        let files = output.generator.files(&output.path, code.clone());
        assert_eq!(files, [(PathBuf::from("src/types.rs"), code)]);
    }

    #[test]
    fn package_names_are_what_cargo_accepts() {
        assert_eq!(package_name("shop types"), "shop-types");
        assert_eq!(package_name("2024_api"), "types-2024_api");
        assert_eq!(package_name("--"), "generated-types");
        assert_eq!(package_name("a\"\n[x]"), "a---x");
    }
}
