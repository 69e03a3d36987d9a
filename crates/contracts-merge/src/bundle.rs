//! Stage one: one service's documents -> one self-contained document.
//!
//! Every `$ref` target becomes a component of its kind (root components keep
//! their names; external ones are named after their last pointer token or
//! file), and every ref is rewritten to `#/components/<section>/<name>`.
//! Path items referenced from `paths` are inlined. Targets are processed
//! from a queue, never by recursion, so ref chains of any length are safe.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::Arc;

use contracts_diagnostics::{Diagnostic, Location};
use contracts_model::graph::{self, Kind, Visitor, Walker};
use contracts_model::{paths, pointer};
use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::convert;

/// One file of a service's spec: the path refs resolve against, the path
/// shown to users, and its content. The root document comes first.
#[derive(Debug, Clone)]
pub struct SourceDocument {
    pub path: PathBuf,
    pub display: PathBuf,
    pub value: Arc<Value>,
}

/// What the output's schemas must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaMode {
    /// Keep schemas as they are (same version in and out).
    Keep,
    /// Rewrite 3.0 schemas in the 3.1 form.
    Upgrade,
    /// Rewrite the 3.0 keywords a 3.1 input tolerates (`nullable`, ...) in the 3.1 form.
    Normalize,
    /// 3.1 input for a 3.0 output: report what 3.0 cannot express.
    CheckFor3_0,
}

#[derive(Debug, Default, Clone)]
pub struct Bundle {
    pub paths: IndexMap<String, Value>,
    pub webhooks: IndexMap<String, Value>,
    pub components: IndexMap<Kind, IndexMap<String, Value>>,
    /// Where each component came from: file and pointer.
    pub origins: HashMap<(Kind, String), Location>,
    /// Where each path item and webhook came from, by section (`paths`,
    /// `webhooks`) and name: the end of its `$ref` chain, if it has one.
    pub item_origins: HashMap<(&'static str, String), Location>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn bundle(files: &[SourceDocument], mode: SchemaMode) -> Bundle {
    let mut bundler = Bundler {
        files,
        mode,
        current: 0,
        names: HashMap::new(),
        used: HashMap::new(),
        queue: VecDeque::new(),
        bundle: Bundle::default(),
    };
    bundler.run();
    bundler.bundle
}

/// A ref target: kind, file index, canonical pointer.
type Target = (Kind, usize, String);

struct Bundler<'f> {
    files: &'f [SourceDocument],
    mode: SchemaMode,
    /// The file whose content is being walked; relative refs resolve against it.
    current: usize,
    names: HashMap<Target, String>,
    used: HashMap<Kind, HashSet<String>>,
    queue: VecDeque<(Target, String)>,
    bundle: Bundle,
}

impl Bundler<'_> {
    fn run(&mut self) {
        let root = self.files[0].value.clone();
        if let Some(Value::Object(sections)) = root.get("components") {
            for (section, entries) in sections {
                let (Some(kind), Value::Object(entries)) = (Kind::from_section(section), entries)
                else {
                    continue;
                };
                for name in entries.keys() {
                    let target = (kind, 0, pointer::join(&["components", section, name]));
                    self.register(target, name.clone());
                }
            }
        }
        for section in ["paths", "webhooks"] {
            let Some(Value::Object(items)) = root.get(section) else {
                continue;
            };
            for (path, item) in items {
                if path.starts_with("x-") {
                    continue;
                }
                let at = pointer::join(&[section, path]);
                if let Some((item, origin)) = self.path_item(item, at) {
                    let out = if section == "paths" {
                        &mut self.bundle.paths
                    } else {
                        &mut self.bundle.webhooks
                    };
                    out.insert(path.clone(), item);
                    (self.bundle.item_origins).insert((section, path.clone()), origin);
                }
            }
        }
        while let Some(((kind, file, target_pointer), name)) = self.queue.pop_front() {
            let document = self.files[file].value.clone();
            let segments = pointer::segments(&target_pointer).unwrap_or_default();
            let Some(value) = pointer::get(&document, &segments) else {
                self.error(
                    file,
                    &target_pointer,
                    format!("`{target_pointer}` does not exist"),
                );
                continue;
            };
            let mut value = value.clone();
            self.current = file;
            Walker::new(self, &target_pointer).component(kind, &mut value);
            self.bundle.origins.insert(
                (kind, name.clone()),
                Location::new(&self.files[file].display, target_pointer),
            );
            self.bundle
                .components
                .entry(kind)
                .or_default()
                .insert(name, value);
        }
    }

    /// A path item of `paths`: a `$ref`ed one is inlined (following chains),
    /// with where its content was written.
    fn path_item(&mut self, item: &Value, mut at: String) -> Option<(Value, Location)> {
        let mut file = 0;
        let mut item = item.clone();
        let mut seen = HashSet::new();
        while let Some(reference) = item.get("$ref").and_then(Value::as_str).map(str::to_owned) {
            let (target_file, target_pointer) = self.resolve(file, &reference, &at)?;
            if !seen.insert((target_file, target_pointer.clone())) {
                self.error(
                    file,
                    &at,
                    format!("path item `$ref` loop through `{reference}`"),
                );
                return None;
            }
            let segments = pointer::segments(&target_pointer).unwrap_or_default();
            item = pointer::get(&self.files[target_file].value, &segments)?.clone();
            (file, at) = (target_file, target_pointer);
        }
        self.current = file;
        Walker::new(self, &at).component(Kind::PathItem, &mut item);
        Some((item, Location::new(&self.files[file].display, at)))
    }

    /// Resolves a `$ref` written in `file` to (file index, canonical pointer),
    /// reporting a ref that cannot be.
    fn resolve(&mut self, file: usize, reference: &str, at: &str) -> Option<(usize, String)> {
        self.locate(file, reference)
            .map_err(|message| self.error(file, at, format!("`$ref: {reference}`: {message}")))
            .ok()
    }

    /// Where a `$ref` written in `file` points, or why it points nowhere
    /// (the target's existence is not checked).
    fn locate(&self, file: usize, reference: &str) -> Result<(usize, String), String> {
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let target_file = if file_part.is_empty() {
            file
        } else {
            let path = paths::ref_target_file(&self.files[file].path, file_part)?;
            self.files
                .iter()
                .position(|candidate| candidate.path == path)
                .ok_or_else(|| format!("`{}` was not loaded", path.display()))?
        };
        let segments = pointer::fragment_segments(fragment)?;
        Ok((target_file, pointer::join(&segments)))
    }

    /// Whether a discriminator mapping's target exists: the model leaves out
    /// (with a warning) a mapping whose target does not, and so does the gateway.
    fn mapped_schema_exists(&self, file: usize, reference: &str) -> bool {
        self.locate(file, reference).is_ok_and(|(file, target)| {
            let segments = pointer::segments(&target).unwrap_or_default();
            pointer::get(&self.files[file].value, &segments).is_some()
        })
    }

    fn register(&mut self, target: Target, preferred: String) -> String {
        if let Some(name) = self.names.get(&target) {
            return name.clone();
        }
        let used = self.used.entry(target.0).or_default();
        let name = crate::names::unique_name(used, sanitize(&preferred));
        self.names.insert(target.clone(), name.clone());
        self.queue.push_back((target, name.clone()));
        name
    }

    fn error(&mut self, file: usize, at: &str, message: String) {
        let location = Location::new(&self.files[file].display, at);
        self.bundle
            .diagnostics
            .push(Diagnostic::error(crate::codes::MERGE_REF, message).at(location));
    }
}

impl Visitor for Bundler<'_> {
    fn reference(&mut self, kind: Kind, reference: &mut String, at: &str) {
        let Some((file, target_pointer)) = self.resolve(self.current, reference, at) else {
            return;
        };
        let preferred = graph::target_name(&target_pointer, || self.files[file].path.clone());
        let name = self.register((kind, file, target_pointer), preferred);
        *reference = kind.component_ref(&name);
    }

    fn mapping_ref(&mut self, reference: &mut String, at: &str) -> bool {
        if !self.mapped_schema_exists(self.current, reference) {
            return false;
        }
        self.reference(Kind::Schema, reference, at);
        true
    }

    /// Bare names mean `#/components/schemas/<name>` of the root document.
    fn mapping_name(&mut self, name: &mut String, _at: &str) -> bool {
        if !self.mapped_schema_exists(0, &Kind::Schema.component_ref(name)) {
            return false;
        }
        let target_pointer = pointer::join(&["components", "schemas", name.as_str()]);
        let local = self.register((Kind::Schema, 0, target_pointer), name.clone());
        *name = Kind::Schema.component_ref(&local);
        true
    }

    fn schema(&mut self, schema: &mut Map<String, Value>, at: &str) {
        match self.mode {
            SchemaMode::Keep => {}
            SchemaMode::Upgrade => convert::upgrade_schema(schema),
            SchemaMode::Normalize => convert::normalize_schema(schema),
            SchemaMode::CheckFor3_0 => {
                if let Some(construct) = convert::only_in_3_1(schema) {
                    let file = self.current;
                    self.error_3_0(file, at, &construct);
                }
            }
        }
    }

    fn boolean_schema(&mut self, at: &str) {
        if self.mode == SchemaMode::CheckFor3_0 {
            self.error_3_0(self.current, at, "a boolean schema");
        }
    }
}

impl Bundler<'_> {
    fn error_3_0(&mut self, file: usize, at: &str, construct: &str) {
        let location = Location::new(&self.files[file].display, at);
        self.bundle.diagnostics.push(
            Diagnostic::error(
                crate::codes::MERGE_VERSION,
                format!("the gateway is pinned to OpenAPI 3.0, which cannot express {construct}"),
            )
            .at(location)
            .with_help("set `[gateway] openapi = \"3.1\"` or remove the 3.1 construct"),
        );
    }
}

/// Component names must match `^[a-zA-Z0-9._-]+$`.
fn sanitize(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean.is_empty() {
        "Component".to_owned()
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(path: &str, value: Value) -> SourceDocument {
        SourceDocument {
            path: PathBuf::from(path),
            display: PathBuf::from(path),
            value: Arc::new(value),
        }
    }

    #[test]
    fn external_refs_become_components_and_refs_are_rewritten() {
        let root = doc(
            "svc/api.yaml",
            json!({
                "openapi": "3.0.3",
                "paths": {
                    "/a": {"$ref": "paths.yaml#/A"}
                },
                "components": {"schemas": {"User": {"type": "object", "properties": {"m": {"$ref": "../common/money.yaml#/Money"}}}}}
            }),
        );
        let paths = doc(
            "svc/paths.yaml",
            json!({"A": {"get": {"responses": {"200": {"$ref": "#/Ok"}}}}, "Ok": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "api.yaml#/components/schemas/User"}}}}}),
        );
        let money = doc(
            "common/money.yaml",
            json!({"Money": {"type": "object", "properties": {"c": {"$ref": "#/Currency"}}}, "Currency": {"type": "string"}}),
        );
        let bundle = bundle(&[root, paths, money], SchemaMode::Keep);
        assert!(bundle.diagnostics.is_empty(), "{:?}", bundle.diagnostics);
        assert_eq!(
            bundle.paths["/a"]["get"]["responses"]["200"]["$ref"],
            "#/components/responses/Ok"
        );
        let schemas = &bundle.components[&Kind::Schema];
        assert_eq!(
            schemas.keys().collect::<Vec<_>>(),
            ["User", "Money", "Currency"]
        );
        assert_eq!(
            schemas["User"]["properties"]["m"]["$ref"],
            "#/components/schemas/Money"
        );
        assert_eq!(
            schemas["Money"]["properties"]["c"]["$ref"],
            "#/components/schemas/Currency"
        );
        let response = &bundle.components[&Kind::Response]["Ok"];
        assert_eq!(
            response["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/User"
        );
        assert_eq!(
            bundle.origins[&(Kind::Schema, "Money".to_owned())].file,
            PathBuf::from("common/money.yaml")
        );
    }

    #[test]
    fn same_names_from_different_files_are_numbered() {
        let root = doc(
            "api.yaml",
            json!({"components": {"schemas": {
                "A": {"$ref": "a.yaml#/Item"}, "B": {"$ref": "b.yaml#/Item"}, "C": {"$ref": "a.yaml#/Item"}
            }}}),
        );
        let a = doc("a.yaml", json!({"Item": {"type": "string"}}));
        let b = doc("b.yaml", json!({"Item": {"type": "integer"}}));
        let bundle = bundle(&[root, a, b], SchemaMode::Keep);
        let schemas = &bundle.components[&Kind::Schema];
        assert_eq!(schemas["A"]["$ref"], "#/components/schemas/Item");
        assert_eq!(schemas["B"]["$ref"], "#/components/schemas/Item2");
        assert_eq!(schemas["C"]["$ref"], "#/components/schemas/Item");
    }

    #[test]
    fn discriminator_mappings_become_refs_or_are_left_out() {
        let root = doc(
            "api.yaml",
            json!({"components": {"schemas": {
                "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}], "discriminator": {"propertyName": "k", "mapping": {
                    "cat": "Cat", "dog": "Dog", "fish": "#/components/schemas/Fish", "bird": "birds.yaml#/Bird"
                }}},
                "Cat": {"type": "object"}
            }}}),
        );
        let bundle = bundle(&[root], SchemaMode::Keep);
        // Mappings to nothing are left out, as the model leaves them out (with a warning).
        assert!(bundle.diagnostics.is_empty(), "{:?}", bundle.diagnostics);
        assert_eq!(
            bundle.components[&Kind::Schema]["Pet"]["discriminator"]["mapping"],
            json!({"cat": "#/components/schemas/Cat"})
        );
    }

    #[test]
    fn a_nullable_ref_upgraded_to_any_of_is_rewritten_once() {
        let root = doc(
            "api.yaml",
            json!({"components": {"schemas": {"Push": {
                "definitions": {"Info": {"type": "string"}},
                "properties": {"info": {"allOf": [{"$ref": "#/components/schemas/Push/definitions/Info"}], "nullable": true}}
            }}}}),
        );
        let bundle = bundle(&[root], SchemaMode::Upgrade);
        assert!(bundle.diagnostics.is_empty(), "{:?}", bundle.diagnostics);
        let schemas = &bundle.components[&Kind::Schema];
        assert_eq!(
            schemas["Push"]["properties"]["info"],
            json!({"anyOf": [{"allOf": [{"$ref": "#/components/schemas/Info"}]}, {"type": "null"}]})
        );
        assert_eq!(schemas["Info"], json!({"type": "string"}));
    }

    #[test]
    fn pinned_3_0_reports_3_1_constructs_with_their_location() {
        let root = doc(
            "api.yaml",
            json!({"components": {"schemas": {"S": {"type": "object", "properties": {"k": {"const": "x"}}}}}}),
        );
        let bundle = bundle(&[root], SchemaMode::CheckFor3_0);
        assert_eq!(bundle.diagnostics.len(), 1);
        let location = bundle.diagnostics[0].location.as_ref().unwrap();
        assert_eq!(location.pointer, "/components/schemas/S/properties/k");
        assert!(bundle.diagnostics[0].message.contains("`const`"));
    }
}
