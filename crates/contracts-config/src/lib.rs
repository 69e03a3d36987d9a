//! `contracts.toml`: the one project file naming services, the gateway,
//! generated outputs and roles.
//!
//! Unknown keys are errors with a "did you mean" suggestion, so a typo never
//! silently disables a setting. Paths stay as written; [`Config::resolve`]
//! joins them to the project root.

use std::fmt;
use std::path::{Path, PathBuf};

use contracts_diagnostics::{Diagnostic, Location};
use indexmap::IndexMap;
use schemars::JsonSchema;
use schemars::r#gen::{SchemaGenerator, SchemaSettings};
use schemars::schema::{InstanceType, Schema, SchemaObject};
use serde::Deserialize;

/// The file name searched for in the working folder and its parents.
pub const FILE_NAME: &str = "contracts.toml";

/// The diagnostic codes of `contracts.toml`. Tools match on these; never rename one.
pub mod codes {
    contracts_diagnostics::codes! {
        /// No `contracts.toml` in the working folder or its parents, or it cannot be read.
        CONFIG_NOT_FOUND = "config-not-found";
        /// The config is not valid TOML, or a value has the wrong type or is not allowed.
        CONFIG_INVALID = "config-invalid";
        /// A key the config does not know (with the closest known one, if any).
        CONFIG_UNKNOWN_KEY = "config-unknown-key";
        /// A generator, role or selection names a service not under `[services]`.
        CONFIG_UNKNOWN_SERVICE = "config-unknown-service";
    }
}

#[derive(Debug, Clone, Deserialize, Default, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub project: Project,
    #[serde(default)]
    pub services: IndexMap<String, Service>,
    pub gateway: Option<Gateway>,
    #[serde(default)]
    pub generate: Generate,
    #[serde(default)]
    pub roles: IndexMap<String, Role>,
    #[serde(default)]
    pub watch: Watch,
    #[serde(default)]
    pub check: Check,
    /// The folder of the config file, where relative paths start. Set by [`Config::load`].
    #[serde(skip)]
    pub dir: PathBuf,
    /// The config file itself. Set by [`Config::load`].
    #[serde(skip)]
    pub file: PathBuf,
}

#[derive(Debug, Clone, Deserialize, Default, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub name: Option<String>,
    /// The project root that `$ref`s may not leave; defaults to the config's folder.
    pub root: Option<PathBuf>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub spec: PathBuf,
    /// Path prefix on the gateway (`/users`).
    pub prefix: Option<String>,
    /// Removed from the service's own paths before `prefix` is added.
    pub strip_prefix: Option<String>,
    pub description: Option<String>,
}

/// `[gateway] openapi`: `"3.0"` or `"3.1"` (a patch version such as
/// `"3.1.0"` too). Anything else is an error at the key when the config
/// loads, not when the gateway is merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenApiVersion {
    V3_0,
    V3_1,
}

impl<'de> Deserialize<'de> for OpenApiVersion {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let minor = |minor: &str| text == minor || text.starts_with(&format!("{minor}."));
        if minor("3.0") {
            Ok(OpenApiVersion::V3_0)
        } else if minor("3.1") {
            Ok(OpenApiVersion::V3_1)
        } else {
            Err(serde::de::Error::custom(format!(
                "`openapi = \"{text}\"`: use \"3.0\" or \"3.1\""
            )))
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gateway {
    pub output: PathBuf,
    pub title: Option<String>,
    pub version: Option<String>,
    pub description: Option<String>,
    /// Output OpenAPI version (`3.0` or `3.1`); default: the highest input version.
    pub openapi: Option<OpenApiVersion>,
    #[serde(default)]
    pub servers: Vec<ServerConfig>,
    /// How same-named, different components and operationIds are resolved.
    #[serde(default)]
    pub collisions: CollisionStrategy,
    #[serde(default)]
    pub service_tags: bool,
}

#[derive(Debug, Clone, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    pub url: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CollisionStrategy {
    /// Rename with the service name as prefix (`UserAddress`, `user_getById`).
    #[default]
    Prefix,
    /// Fail the merge.
    Error,
}

#[derive(Debug, Clone, Deserialize, Default, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Generate {
    #[serde(default, deserialize_with = "one_or_many")]
    #[schemars(with = "OneOrMany<GenerateTs>")]
    pub ts: Vec<GenerateTs>,
    #[serde(default, deserialize_with = "one_or_many")]
    #[schemars(with = "OneOrMany<GenerateRust>")]
    pub rust: Vec<GenerateRust>,
    #[serde(default, deserialize_with = "one_or_many")]
    #[schemars(with = "OneOrMany<GenerateMsw>")]
    pub msw: Vec<GenerateMsw>,
}

impl Generate {
    /// Every entry's output and source, of all generators.
    pub fn entries(&self) -> impl Iterator<Item = (&PathBuf, &Source)> {
        (self.ts.iter().map(|g| (&g.output, &g.source)))
            .chain(self.msw.iter().map(|g| (&g.output, &g.source)))
            .chain(self.rust.iter().map(|g| (&g.output, &g.source)))
    }
}

/// What a generator reads: the merged gateway, or a list of services.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(untagged)]
pub enum Source {
    #[default]
    #[serde(deserialize_with = "gateway_keyword")]
    Gateway,
    Services(Vec<String>),
}

#[derive(Debug, Clone, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GenerateTs {
    pub output: PathBuf,
    #[serde(default)]
    pub source: Source,
    /// Emit TypeScript `enum`s instead of literal unions.
    #[serde(default)]
    pub enums: bool,
    /// openapi-typescript's options of the same names (`gen --ts --help`); unset, the defaults.
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

#[derive(Debug, Clone, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GenerateRust {
    pub output: PathBuf,
    #[serde(default)]
    pub source: Source,
    /// Extra derives on every generated type.
    #[serde(default)]
    pub derives: Vec<String>,
    #[serde(default)]
    pub unknown_fields: UnknownFields,
    /// The package name when `output` is a crate folder (default: the folder's name).
    pub crate_name: Option<String>,
    /// More `[dependencies]` of the crate folder's manifest, e.g. for `derives`
    /// from other crates: `{ schemars = "0.8" }`.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, AnyValue>")]
    pub dependencies: IndexMap<String, toml::Value>,
}

impl GenerateRust {
    /// Whether `output` names a crate folder (`Cargo.toml` + `src/lib.rs`)
    /// rather than one `.rs` file.
    pub fn is_crate(output: &Path) -> bool {
        output.extension().is_none_or(|extension| extension != "rs")
    }
}

/// What generated Rust structs do with members their schema allows but does not declare.
#[derive(Debug, Clone, Copy, Deserialize, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum UnknownFields {
    /// Kept in a flattened `extra` map, so values round-trip whole.
    #[default]
    Keep,
    /// Ignored, as serde does by default.
    Drop,
}

#[derive(Debug, Clone, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GenerateMsw {
    pub output: PathBuf,
    #[serde(default)]
    pub source: Source,
    pub base_url: Option<String>,
    /// Module the handlers import their types from; default `./types`.
    pub types_import: Option<String>,
    /// Seed of the generated mock data; the same seed gives the same file.
    pub seed: Option<u64>,
    /// Language of mock names, addresses and words (`en`, `fr_fr`, `de_de`, ...); default `en`.
    pub locale: Option<String>,
    /// Collections keep what requests do in memory (`resetMockState()` empties them).
    #[serde(default)]
    pub stateful: bool,
}

#[derive(Debug, Clone, Deserialize, Default, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// The role's folder, typically a git worktree.
    pub path: Option<PathBuf>,
    #[serde(default)]
    pub owns: Vec<String>,
    #[serde(default)]
    pub consumes: Vec<Consumes>,
    /// Generator outputs written inside the role's folder.
    #[serde(default)]
    pub generate: Generate,
    #[serde(default)]
    pub notify: Notify,
}

/// A whole service by name, or a selection of its operations.
#[derive(Debug, Clone, Deserialize, PartialEq, JsonSchema)]
#[serde(untagged)]
pub enum Consumes {
    Service(String),
    Operations(OperationSelection),
}

impl Consumes {
    pub fn service(&self) -> &str {
        match self {
            Consumes::Service(name) => name,
            Consumes::Operations(selection) => &selection.service,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OperationSelection {
    pub service: String,
    /// `METHOD /path/glob` patterns (`GET /orders/*`); empty means all.
    #[serde(default)]
    pub operations: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Notify {
    /// Inbox file inside the role's folder; default `.contracts/inbox.md`.
    pub inbox: Option<PathBuf>,
    /// Command run with the change set as JSON on stdin.
    pub command: Option<String>,
    /// A context file (`AGENTS.md`, `CLAUDE.md`) that gets a managed block of recent changes.
    pub context_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Watch {
    #[serde(default = "default_debounce_ms")]
    pub debounce_ms: u64,
}

impl Default for Watch {
    fn default() -> Self {
        Watch {
            debounce_ms: default_debounce_ms(),
        }
    }
}

fn default_debounce_ms() -> u64 {
    100
}

/// `[check]`: defaults of `contracts check` and `contracts diff`; flags win.
#[derive(Debug, Clone, Deserialize, Default, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub fail_on: Option<FailOn>,
    /// The categories of changes reported; default: `["wire"]`.
    pub categories: Option<Vec<Category>>,
}

/// What a change breaks.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Clients on the wire.
    Wire,
    /// Code generated from the spec (names of types and operations, generated types).
    Code,
}

/// Which changes fail a check.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Info,
    /// Breaking changes that reach a role consuming them (not only their owner).
    Consumed,
}

/// The JSON Schema of `contracts.toml` (for editors: Taplo, Even Better
/// TOML), from the config types and their doc comments.
pub fn json_schema() -> String {
    // TOML has no null: an absent key is what `Option` reads.
    let settings = SchemaSettings::draft07().with(|settings| settings.option_add_null_type = false);
    let mut schema = settings.into_generator().into_root_schema_for::<Config>();
    let metadata = schema.schema.metadata();
    metadata.title = Some("contracts.toml".to_owned());
    metadata.description = Some(
        "The config of `contracts`: services, the gateway, generated outputs, roles, watch and check."
            .to_owned(),
    );
    serde_json::to_string_pretty(&schema).expect("a schema serializes") + "\n"
}

/// What `one_or_many` accepts, for the schema: one table or an array of them.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

/// Any TOML value (a dependency's version string or table), for the schema.
struct AnyValue;

impl JsonSchema for AnyValue {
    fn schema_name() -> String {
        "AnyValue".to_owned()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        Schema::Bool(true)
    }
}

impl JsonSchema for OpenApiVersion {
    fn schema_name() -> String {
        "OpenApiVersion".to_owned()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let mut schema = SchemaObject {
            instance_type: Some(InstanceType::String.into()),
            ..SchemaObject::default()
        };
        schema.string().pattern = Some(r"^3\.[01](\..*)?$".to_owned());
        schema.metadata().description =
            Some("The gateway's OpenAPI version: \"3.0\" or \"3.1\".".to_owned());
        Schema::Object(schema)
    }
}

impl JsonSchema for Source {
    fn schema_name() -> String {
        "Source".to_owned()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let gateway = SchemaObject {
            const_value: Some("gateway".into()),
            ..SchemaObject::default()
        };
        let mut schema = SchemaObject::default();
        schema.subschemas().any_of = Some(vec![
            Schema::Object(gateway),
            generator.subschema_for::<Vec<String>>(),
        ]);
        schema.metadata().description =
            Some("What an output is generated from: \"gateway\" or a list of services.".to_owned());
        Schema::Object(schema)
    }
}

/// Accepts `[generate.ts]` (one table) and `[[generate.ts]]` (several).
fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    // Not an untagged enum: that would swallow the inner error (an unknown key).
    match toml::Value::deserialize(deserializer)? {
        value @ toml::Value::Array(_) => Vec::<T>::deserialize(value),
        value => T::deserialize(value).map(|one| vec![one]),
    }
    .map_err(serde::de::Error::custom)
}

fn gateway_keyword<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
    let keyword = String::deserialize(deserializer)?;
    if keyword == "gateway" {
        Ok(())
    } else {
        Err(serde::de::Error::custom(format!(
            "source must be \"gateway\" or a list of service names, found \"{keyword}\""
        )))
    }
}

/// A config that could not be found, read or understood.
#[derive(Debug)]
pub struct ConfigError(pub Diagnostic);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Finds `contracts.toml` in `start` or its nearest parent.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|dir| dir.join(FILE_NAME))
            .find(|candidate| candidate.is_file())
    }

    /// Reads and checks a config file. Returns the config and the file's text
    /// (for rendering the error snippet, the text is in the diagnostic's file).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|error| {
            ConfigError(
                Diagnostic::error(
                    codes::CONFIG_NOT_FOUND,
                    format!("cannot read `{}`: {error}", path.display()),
                )
                .at(Location::new(path, "")),
            )
        })?;
        let mut config = Config::parse(&text, path)?;
        config.dir = path
            .parent()
            .map(Path::to_owned)
            .filter(|dir| !dir.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));
        config.file = path.to_owned();
        Ok(config)
    }

    /// Parses config text; `path` only names the file in diagnostics.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text)
            .map_err(|error| ConfigError(toml_diagnostic(&error, text, path)))?;
        config.check(text, path)?;
        Ok(config)
    }

    /// Cross-references: every service named by a generator or role exists.
    fn check(&self, text: &str, path: &Path) -> Result<(), ConfigError> {
        let known: Vec<&str> = self.services.keys().map(String::as_str).collect();
        let mut named: Vec<(&str, &str)> = Vec::new();
        let generators =
            std::iter::once(&self.generate).chain(self.roles.values().map(|role| &role.generate));
        for generate in generators {
            let sources = generate.entries().map(|(_, source)| source);
            for source in sources {
                if let Source::Services(names) = source {
                    named.extend(names.iter().map(|name| ("source", name.as_str())));
                }
            }
        }
        for role in self.roles.values() {
            named.extend(role.owns.iter().map(|name| ("owns", name.as_str())));
            named.extend(role.consumes.iter().map(|c| ("consumes", c.service())));
        }
        for (key, name) in named {
            if !known.contains(&name) {
                let mut diagnostic = Diagnostic::error(
                    codes::CONFIG_UNKNOWN_SERVICE,
                    format!(
                        "`{key}` names service `{name}`, which is not defined under [services]"
                    ),
                )
                .at(position_of(text, path, &format!("\"{name}\"")));
                if let Some(suggestion) = closest(name, &known) {
                    diagnostic = diagnostic.with_help(format!("did you mean `{suggestion}`?"));
                }
                return Err(ConfigError(diagnostic));
            }
        }
        Ok(())
    }

    /// The project root: `[project] root`, else the config's folder.
    pub fn root(&self) -> PathBuf {
        match &self.project.root {
            Some(root) => self.dir.join(root),
            None => self.dir.clone(),
        }
    }

    /// A role's folder: its `path`, else the project folder.
    pub fn role_folder(&self, role: &Role) -> PathBuf {
        self.resolve(role.path.as_deref().unwrap_or(Path::new(".")))
    }

    /// Every `[generate.*]` table with the folder its outputs are relative
    /// to and the role it belongs to (`None` for the project's own).
    pub fn generate_sections(&self) -> Vec<(Option<&str>, PathBuf, &Generate)> {
        std::iter::once((None, self.dir.clone(), &self.generate))
            .chain(
                self.roles.iter().map(|(name, role)| {
                    (Some(name.as_str()), self.role_folder(role), &role.generate)
                }),
            )
            .collect()
    }

    /// A path from the config, relative to the config's folder.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        self.dir.join(path)
    }
}

fn position_of(text: &str, path: &Path, needle: &str) -> Location {
    let location = Location::new(path, "");
    match text.find(needle) {
        Some(offset) => {
            let (line, column) = line_column(text, offset);
            location.at(line, column)
        }
        None => location,
    }
}

fn toml_diagnostic(error: &toml::de::Error, text: &str, path: &Path) -> Diagnostic {
    let message = error.message().trim().to_owned();
    let mut location = Location::new(path, "");
    if let Some(span) = error.span() {
        let (line, column) = line_column(text, span.start);
        location = location.at(line, column);
    }
    // serde's wording: "unknown field `prefx`, expected one of `spec`, `prefix`".
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let unknown = rest.split('`').next().unwrap_or_default();
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        let mut diagnostic = Diagnostic::error(
            codes::CONFIG_UNKNOWN_KEY,
            format!("unknown key `{unknown}`"),
        )
        .at(location);
        diagnostic = match closest(unknown, &expected) {
            Some(suggestion) => diagnostic.with_help(format!("did you mean `{suggestion}`?")),
            None if !expected.is_empty() => {
                diagnostic.with_help(format!("expected one of: {}", expected.join(", ")))
            }
            None => diagnostic,
        };
        return diagnostic;
    }
    Diagnostic::error(codes::CONFIG_INVALID, message).at(location)
}

/// The candidate closest to `word`, if close enough to be a likely typo.
fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|candidate| (strsim::jaro_winkler(word, candidate), *candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |index| index + 1);
    (line as u32, before[line_start..].chars().count() as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostic> {
        Config::parse(text, Path::new("contracts.toml")).map_err(|error| error.0)
    }

    const FULL: &str = r#"
[project]
name = "shop"

[services.user]
spec = "services/user/openapi.yaml"
prefix = "/users"

[services.order]
spec = "services/order/openapi.yaml"
prefix = "/orders"
strip_prefix = "/v1"

[gateway]
output = "gateway/openapi.yaml"
title = "Shop API"
servers = [{ url = "https://api.shop.example" }]
collisions = "error"

[[generate.ts]]
output = "web/types.ts"
source = "gateway"

[[generate.ts]]
output = "admin/types.ts"
source = ["user"]

[generate.rust]
output = "crates/order-types"
source = ["order"]
unknown_fields = "drop"
dependencies = { schemars = { version = "0.8" } }

[roles.web]
path = "../web"
consumes = ["user", { service = "order", operations = ["GET /orders/*"] }]
notify = { context_file = "AGENTS.md" }

[watch]
debounce_ms = 250

[check]
fail_on = "consumed"
categories = ["wire", "code"]
"#;

    #[test]
    fn a_config_with_every_section_is_valid_against_the_schema() {
        let schema: serde_json::Value = serde_json::from_str(&json_schema()).unwrap();
        let config: serde_json::Value = toml::from_str(FULL).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&config)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn parses_every_section() {
        let config = parse(FULL).unwrap();
        assert_eq!(
            config.services.keys().collect::<Vec<_>>(),
            ["user", "order"]
        );
        assert_eq!(
            config.services["order"].strip_prefix.as_deref(),
            Some("/v1")
        );
        let gateway = config.gateway.unwrap();
        assert_eq!(gateway.collisions, CollisionStrategy::Error);
        assert_eq!(gateway.servers[0].url, "https://api.shop.example");
        assert_eq!(config.generate.ts.len(), 2);
        assert_eq!(config.generate.ts[0].source, Source::Gateway);
        assert_eq!(
            config.generate.ts[1].source,
            Source::Services(vec!["user".into()])
        );
        let rust = &config.generate.rust[0];
        assert!(GenerateRust::is_crate(&rust.output));
        assert!(!GenerateRust::is_crate(Path::new("src/types.rs")));
        assert_eq!(rust.unknown_fields, UnknownFields::Drop);
        assert_eq!(
            rust.dependencies["schemars"]["version"].as_str(),
            Some("0.8")
        );
        let web = &config.roles["web"];
        assert_eq!(web.consumes[1].service(), "order");
        assert_eq!(
            web.notify.context_file.as_deref(),
            Some(Path::new("AGENTS.md"))
        );
        assert_eq!(config.watch.debounce_ms, 250);
        assert_eq!(config.check.fail_on, Some(FailOn::Consumed));
        assert_eq!(
            config.check.categories,
            Some(vec![Category::Wire, Category::Code])
        );
    }

    #[test]
    fn unknown_key_suggests_the_closest() {
        let error = parse("[services.user]\nspec = \"a.yaml\"\nprefx = \"/u\"\n").unwrap_err();
        assert_eq!(error.code, codes::CONFIG_UNKNOWN_KEY);
        assert_eq!(error.message, "unknown key `prefx`");
        assert_eq!(error.help.as_deref(), Some("did you mean `prefix`?"));
        assert_eq!(error.location.unwrap().line, Some(3));
    }

    #[test]
    fn unknown_section_suggests_too() {
        let error = parse("[gatway]\noutput = \"x\"\n").unwrap_err();
        assert_eq!(error.help.as_deref(), Some("did you mean `gateway`?"));
    }

    #[test]
    fn unknown_service_in_role_is_an_error() {
        let error = parse("[services.user]\nspec = \"a\"\n[roles.web]\nconsumes = [\"usr\"]\n")
            .unwrap_err();
        assert_eq!(error.code, codes::CONFIG_UNKNOWN_SERVICE);
        assert_eq!(error.help.as_deref(), Some("did you mean `user`?"));
        assert_eq!(error.location.unwrap().line, Some(4));
    }

    #[test]
    fn bad_source_keyword_is_explained() {
        let error =
            parse("[[generate.ts]]\noutput = \"a.ts\"\nsource = \"gateways\"\n").unwrap_err();
        assert_eq!(error.code, codes::CONFIG_INVALID);
    }

    #[test]
    fn missing_spec_is_an_error() {
        let error = parse("[services.user]\nprefix = \"/u\"\n").unwrap_err();
        assert!(
            error.message.contains("missing field `spec`"),
            "{}",
            error.message
        );
    }

    #[test]
    fn a_gateway_version_other_than_3_0_or_3_1_is_an_error_at_the_key() {
        let text = "[services.a]\nspec = \"a.yaml\"\n\n[gateway]\noutput = \"g.yaml\"\nopenapi = \"3.2\"\n";
        let error = Config::parse(text, Path::new("contracts.toml")).unwrap_err();
        assert!(
            error.0.message.contains("use \"3.0\" or \"3.1\""),
            "{}",
            error.0.message
        );
        assert_eq!(error.0.location.as_ref().and_then(|l| l.line), Some(6));
        let text = text.replace("3.2", "3.1.0");
        let config = Config::parse(&text, Path::new("contracts.toml")).unwrap();
        assert_eq!(config.gateway.unwrap().openapi, Some(OpenApiVersion::V3_1));
    }
}

#[cfg(test)]
mod schema_tests {
    use super::*;

    fn validator() -> jsonschema::Validator {
        let schema: serde_json::Value = serde_json::from_str(&json_schema()).unwrap();
        jsonschema::validator_for(&schema).unwrap()
    }

    fn as_json(toml_text: &str) -> serde_json::Value {
        toml::from_str(toml_text).unwrap()
    }

    #[test]
    fn the_committed_schema_is_current() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/contracts.schema.json");
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == json_schema(),
            "docs/contracts.schema.json is stale: run `cargo xtask docs`"
        );
    }

    /// Every config of the repository that loads is valid against the
    /// schema, and the schema refuses what the loader refuses.
    #[test]
    fn the_schema_accepts_the_configs_the_loader_accepts() {
        let validator = validator();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut checked = 0;
        for folder in ["fixtures/shop", "fixtures/diff", "fixtures"] {
            let path = root.join(folder).join(FILE_NAME);
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let errors: Vec<String> = validator
                .iter_errors(&as_json(&text))
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", path.display());
            checked += 1;
        }
        assert!(checked >= 1, "no config found to check");
        for (text, why) in [
            (
                "[services.a]\nspec = \"a.yaml\"\nprefx = \"/a\"\n",
                "unknown key",
            ),
            (
                "[gateway]\noutput = \"g.yaml\"\nopenapi = \"2.0\"\n",
                "version",
            ),
            (
                "[[generate.ts]]\noutput = \"t.ts\"\nsource = \"everything\"\n",
                "source",
            ),
            ("[check]\nfail_on = \"sometimes\"\n", "fail_on"),
        ] {
            assert!(!validator.is_valid(&as_json(text)), "{why}: {text}");
        }
        for text in [
            "[generate.ts]\noutput = \"t.ts\"\n",
            "[[generate.ts]]\noutput = \"t.ts\"\nsource = [\"a\"]\n[[generate.ts]]\noutput = \"u.ts\"\n",
            "[generate.rust]\noutput = \"crate\"\ndependencies = { uuid = \"1\", chrono = { version = \"0.4\" } }\n",
            "[gateway]\noutput = \"g.yaml\"\nopenapi = \"3.1\"\n",
        ] {
            assert!(validator.is_valid(&as_json(text)), "{text}");
        }
    }
}
