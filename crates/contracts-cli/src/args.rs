use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Keep OpenAPI contracts between services, gateway and frontends in sync.
#[derive(Debug, Parser)]
#[command(name = "contracts", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check specs for structural errors, broken refs and inconsistencies.
    Validate(ValidateArgs),
    /// Merge every service's spec into one gateway spec.
    Merge(MergeArgs),
    /// Generate code from a spec or from the config's `[generate.*]` entries.
    Gen(GenArgs),
    /// Validate, merge, then run every configured generator.
    Build(BuildArgs),
    /// Compare two versions of a spec and report every change, breaking ones first.
    Diff(DiffArgs),
    /// Compare every service of the config with a git revision (the pre-commit and CI gate).
    Check(CheckArgs),
    /// For one service's edits since a git revision: which roles are hit, by
    /// which operations, and which generated files would change.
    Impact(ImpactArgs),
    /// Manage the git pre-commit hook that runs `contracts check --staged`.
    Hook(HookArgs),
    /// List the config's roles, what they own and consume, and their git worktrees.
    Roles(RolesArgs),
    /// Rebuild on every spec edit and notify the roles a contract change concerns.
    Watch(WatchArgs),
    /// Print the shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
    /// Write a contracts.toml for the OpenAPI documents found under a folder.
    Init(InitArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The repository to look in and write `contracts.toml` to (default: the working folder).
    pub dir: Option<PathBuf>,
    /// Replace an existing `contracts.toml`.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ImpactArgs {
    /// The service whose edits to weigh.
    pub service: String,
    #[command(flatten)]
    pub config: ConfigArg,
    /// The git revision the edits are measured from.
    #[arg(long, default_value = "HEAD", value_name = "REF")]
    pub base: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(Debug, Args)]
pub struct RolesArgs {
    #[command(flatten)]
    pub config: ConfigArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub config: ConfigArg,
    /// Output format: a status line per change, or one JSON event per line.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Quiet period after a file event before rebuilding; default `[watch] debounce_ms` (100).
    #[arg(long, value_name = "MS")]
    pub debounce_ms: Option<u64>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub config: ConfigArg,
    /// The git revision to compare against.
    #[arg(long, default_value = "HEAD", value_name = "REF")]
    pub base: String,
    /// Check the staged files (the index) instead of the working tree.
    #[arg(long)]
    pub staged: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    #[command(flatten)]
    pub fail: FailArgs,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// Which changes a comparison reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CategoryArg {
    /// What breaks clients on the wire.
    Wire,
    /// What breaks code generated from the spec: renamed schemas and
    /// operationIds, generated types that change.
    Code,
    /// Both.
    All,
}

/// When found changes fail the run (exit 1).
#[derive(Debug, Args)]
pub struct FailArgs {
    /// Exit 1 when a change at or above this level is found (default:
    /// `[check] fail_on` of the config, else `error`).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Count only changes that reach a role consuming them (the config's
    /// `[roles]`), so a service may change what no other role uses yet.
    #[arg(long)]
    pub fail_on_consumed: bool,
    /// The categories of changes to report (default: `[check] categories`
    /// of the config, else `wire`).
    #[arg(long, value_enum)]
    pub category: Option<CategoryArg>,
}

#[derive(Debug, Args)]
pub struct HookArgs {
    #[command(subcommand)]
    pub action: HookAction,
}

#[derive(Debug, Subcommand)]
pub enum HookAction {
    /// Write `.git/hooks/pre-commit` running `contracts check --staged`.
    Install {
        /// Replace a hook that contracts did not write (it is kept and run first).
        #[arg(long)]
        force: bool,
    },
}

/// oasdiff's deprecation policy: how many days ahead a newly deprecated
/// operation, parameter or property must set its `x-sunset`.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// Minimum days from today to the `x-sunset` of something deprecated in a beta operation.
    #[arg(long, default_value_t = 0, value_name = "DAYS")]
    pub deprecation_days_beta: u32,
    /// The same for stable operations (and those without `x-stability-level`).
    #[arg(long, default_value_t = 0, value_name = "DAYS")]
    pub deprecation_days_stable: u32,
}

impl PolicyArgs {
    /// The policy, as of today.
    pub fn policy(&self) -> contracts_diff::Policy {
        contracts_diff::Policy {
            beta_deprecation_days: self.deprecation_days_beta,
            stable_deprecation_days: self.deprecation_days_stable,
            ..contracts_diff::Policy::today()
        }
    }
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old spec: a file, or `REF:PATH` read from git (`HEAD:services/user/openapi.yaml`).
    pub base: String,
    /// The new spec: a file, or `REF:PATH`.
    pub revision: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    #[command(flatten)]
    pub fail: FailArgs,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// With a config: the service the spec is (default: the service whose
    /// spec is the revision's file), whose consumers each change names.
    #[arg(long, value_name = "NAME")]
    pub service: Option<String>,
    #[command(flatten)]
    pub config: ConfigArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// One line per change, grouped by operation.
    Text,
    /// A JSON array of changes.
    Json,
    /// A Markdown table, for pull-request comments.
    Markdown,
    /// GitHub Actions annotations (`::error file=...`).
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

/// The names `--locale` takes.
fn locale_names() -> clap::builder::PossibleValuesParser {
    let names = contracts_gen_msw::Locale::ALL.map(|(name, _)| name);
    clap::builder::PossibleValuesParser::new(names)
}

#[derive(Debug, Args)]
pub struct GenArgs {
    /// TypeScript types in the openapi-typescript shape (`paths`, `components`, `operations`).
    #[arg(long)]
    pub ts: bool,
    /// MSW request handlers with mock bodies (msw 2 and 3), typed with the `--ts` output.
    #[arg(long)]
    pub msw: bool,
    /// Rust serde types for every schema (through typify).
    #[arg(long)]
    pub rust: bool,
    /// With `--msw`: the module the handlers import `paths` from.
    #[arg(long, value_name = "MODULE", requires = "msw")]
    pub types_import: Option<String>,
    /// With `--msw`: prefix of every handler URL; `*` (the default) matches any origin.
    #[arg(long, value_name = "URL", requires = "msw")]
    pub base_url: Option<String>,
    /// With `--msw`: seed of the generated mock data (default 1); the same seed gives the same file.
    #[arg(long, value_name = "N", requires = "msw")]
    pub seed: Option<u64>,
    /// With `--msw`: language of mock names, addresses and words [default: en].
    #[arg(long, value_name = "LOCALE", requires = "msw", value_parser = locale_names())]
    pub locale: Option<String>,
    /// With `--msw`: collections keep what `POST`, `PUT`, `PATCH` and `DELETE`
    /// do in memory, and `resetMockState()` is exported.
    #[arg(long, requires = "msw")]
    pub stateful: bool,
    /// A spec to generate from (`-` reads stdin); without, the config's `[[generate.ts]]` entries.
    pub spec: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArg,
    /// Where to write; with a SPEC and no output, stdout. For `--rust`, a
    /// path not ending in `.rs` is a crate folder (`Cargo.toml`, `src/lib.rs`).
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Write nothing; exit 1 with a diff when a generated file is stale.
    #[arg(long)]
    pub check: bool,
    /// Fail (exit 2) on warnings about the spec too.
    #[arg(long)]
    pub strict: bool,
    /// Export TypeScript enums for enum schemas instead of literal unions.
    #[arg(long = "enum", requires = "ts")]
    pub enums: bool,
    // openapi-typescript's options, with its names and meaning (`--flag` is `--flag=true`).
    /// With `--ts`: a property with a `default` is required, except in parameters and request bodies [default: true].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true", requires = "ts")]
    pub default_non_nullable: Option<bool>,
    /// With `--ts`: an object schema without members is `{ [key: string]: unknown }`, else `Record<string, never>` [default: true].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true", requires = "ts")]
    pub empty_objects_unknown: Option<bool>,
    /// With `--ts`: objects without an `additionalProperties` schema accept other keys [default: false].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true", requires = "ts")]
    pub additional_properties: Option<bool>,
    /// With `--ts`: the properties of an object without `required` are all required [default: false].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true", requires = "ts")]
    pub properties_required_by_default: Option<bool>,
    /// With `--ts`: every member, index signature and array is `readonly` [default: false].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true", requires = "ts")]
    pub immutable: Option<bool>,
    /// With `--ts`: `paths`, `webhooks` and `components` are `export type`s, not interfaces [default: false].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true", requires = "ts")]
    pub export_type: Option<bool>,
    /// With `--ts`: paths, components, properties, parameters, responses and media types sorted by name [default: false].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true", requires = "ts")]
    pub alphabetize: Option<bool>,
    /// With `--ts`: deprecated operations are `never`; deprecated properties, parameters and response headers are left out [default: false].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true", requires = "ts")]
    pub exclude_deprecated: Option<bool>,
    /// With `--ts`: an array with `minItems`/`maxItems` is a tuple, or a union of tuples (up to 30 elements) [default: false].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true", requires = "ts")]
    pub array_length: Option<bool>,
    /// With `--ts`: `paths` keys with parameters are template literal types (`/users/${number}`) [default: false].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true", requires = "ts")]
    pub path_params_as_types: Option<bool>,
    /// With `--ts`: an exported alias per component (`SchemaPet`, `ResponseNotFound`, ...) [default: false].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true", requires = "ts")]
    pub root_types: Option<bool>,
    /// With `--ts`: with `--root-types`, schemas' aliases have no `Schema` prefix [default: false].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true", requires = "ts")]
    pub root_types_no_schema_prefix: Option<bool>,
    /// With `--ts`: with `--root-types`, schemas' aliases keep the schema's name as written [default: false].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true", requires = "ts")]
    pub root_types_keep_casing: Option<bool>,
    /// With `--ts`: `readOnly`/`writeOnly` properties are `$Read<T>`/`$Write<T>` (openapi-fetch 0.17's `Readable`/`Writable`) [default: false].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true", requires = "ts")]
    pub read_write_markers: Option<bool>,
    /// With `--ts`: `export enum ApiPaths` with every operation's path [default: false].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true", requires = "ts")]
    pub make_paths_enum: Option<bool>,
    /// With `--ts`: with `--enum`, enum schemas with the same values share one TypeScript enum [default: false].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true", requires = "ts")]
    pub dedupe_enums: Option<bool>,
    /// With `--ts`: `export const statusValues: ReadonlyArray<...> = [...]` for every string or number enum, wherever it is [default: false].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true", requires = "ts")]
    pub enum_values: Option<bool>,
    /// Overwrite files of a crate folder that contracts did not generate.
    #[arg(long)]
    pub force: bool,
    /// With `--rust`: structs ignore members their schema does not declare,
    /// instead of keeping them in a flattened `extra` map.
    #[arg(long)]
    pub drop_unknown_fields: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub config: ConfigArg,
    /// Write nothing; exit 1 with a diff when any output is stale.
    #[arg(long)]
    pub check: bool,
    /// Overwrite files of a crate folder that contracts did not generate.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    #[command(flatten)]
    pub config: ConfigArg,
    /// Where to write the gateway spec (YAML, or JSON for `.json`); default: `[gateway] output`.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write nothing; exit 1 with a diff when the file on disk is stale.
    #[arg(long)]
    pub check: bool,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Lines for people (`merge`: a summary per service; `watch`: a status line per change).
    Text,
    /// JSON on stdout (`watch`: one event per line).
    Json,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Spec files to validate (`-` reads stdin). Without any, every service in the config.
    pub specs: Vec<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail (exit 2) on warnings too.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct ConfigArg {
    /// The project config; default: `contracts.toml` in the working folder or its nearest parent.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with source snippets.
    Human,
    /// One JSON array: file, line, column, pointer, severity, code, message.
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn validate_takes_specs_config_format_strict() {
        let cli = Cli::try_parse_from([
            "contracts",
            "validate",
            "--config",
            "c.toml",
            "--format",
            "json",
            "--strict",
            "a.yaml",
            "-",
        ])
        .unwrap();
        let Command::Validate(args) = cli.command else {
            panic!("validate parses as validate")
        };
        assert_eq!(args.specs, [PathBuf::from("a.yaml"), PathBuf::from("-")]);
        assert_eq!(args.config.config, Some(PathBuf::from("c.toml")));
        assert_eq!(args.format, Format::Json);
        assert!(args.strict);
    }

    #[test]
    fn gen_takes_a_generator_a_spec_and_options() {
        let cli = Cli::try_parse_from([
            "contracts",
            "gen",
            "--ts",
            "api.yaml",
            "-o",
            "types.ts",
            "--enum",
            "--strict",
        ])
        .unwrap();
        let Command::Gen(args) = cli.command else {
            panic!("gen parses as gen")
        };
        assert!(args.ts && args.enums && args.strict && !args.check);
        assert_eq!(args.spec, Some(PathBuf::from("api.yaml")));
        assert_eq!(args.output, Some(PathBuf::from("types.ts")));
    }

    #[test]
    fn merge_takes_output_check_and_format() {
        let cli = Cli::try_parse_from([
            "contracts",
            "merge",
            "-o",
            "gw.json",
            "--check",
            "--format",
            "json",
        ])
        .unwrap();
        let Command::Merge(args) = cli.command else {
            panic!("merge parses as merge")
        };
        assert_eq!(args.output, Some(PathBuf::from("gw.json")));
        assert!(args.check);
        assert_eq!(args.format, ReportFormat::Json);
    }

    #[test]
    fn gen_refuses_options_of_another_generator() {
        let parse = |args: &[&str]| {
            Cli::try_parse_from(["contracts", "gen"].iter().chain(args))
                .map(|_| ())
                .map_err(|error| error.kind())
        };
        let missing = Err(clap::error::ErrorKind::MissingRequiredArgument);
        assert_eq!(parse(&["--ts", "--seed", "3", "api.yaml"]), missing);
        assert_eq!(
            parse(&["--rust", "--base-url", "/api", "api.yaml"]),
            missing
        );
        assert_eq!(parse(&["--msw", "--enum", "api.yaml"]), missing);
        assert_eq!(parse(&["--msw", "--immutable", "api.yaml"]), missing);
        assert_eq!(
            parse(&["--msw", "--seed", "3", "--types-import", "./t", "api.yaml"]),
            Ok(())
        );
        assert_eq!(
            parse(&["--ts", "--immutable", "--enum-values=false", "api.yaml"]),
            Ok(())
        );
    }
}
