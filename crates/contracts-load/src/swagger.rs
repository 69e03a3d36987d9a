//! Swagger 2.0 read as OpenAPI 3.0.3, so every command takes it.
//!
//! The loader converts a 2.0 root, and every file its refs reach, before the
//! model sees them: `definitions` become `components.schemas`, body and
//! `formData` parameters a `requestBody` (one media type per `consumes`),
//! response schemas `content` (per `produces`), `host`/`basePath`/`schemes`
//! `servers`, `securityDefinitions` `securitySchemes`, `x-nullable`
//! `nullable`, `type: file` a binary string and `collectionFormat` a
//! `style`/`explode`. A file another 2.0 document names by ref is converted
//! whole when it is a 2.0 document itself, else only the nodes the refs
//! reach, by the kind of object each ref names there (a schema, parameter,
//! response or path item), so that shared fragment files keep their
//! pointers.
//!
//! Each converted file keeps [`Origins`]: where a node of the 3.0 form was
//! written in the 2.0 source, so diagnostics name the source's pointer and
//! line, not the conversion's.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use contracts_diagnostics::{Diagnostic, Location};
use contracts_model::{FileId, pointer};
use serde_json::{Map, Value, json};

use crate::codes;

/// Whether a document is Swagger 2.0 (`swagger: "2.0"`).
pub(crate) fn is_swagger_2(document: &Value) -> bool {
    document
        .get("swagger")
        .and_then(Value::as_str)
        .is_some_and(|version| version == "2.0")
}

/// Where the nodes of a converted file's 3.0 form were written in its 2.0
/// source: converted pointer prefixes mapped to source pointers. A pointer
/// takes the mapping of its longest mapped prefix; one with none was not
/// moved.
#[derive(Debug, Default)]
pub(crate) struct Origins(HashMap<String, String>);

impl Origins {
    fn record(&mut self, converted: String, source: &str) {
        if converted != source {
            self.0.insert(converted, source.to_owned());
        }
    }

    /// The source pointer of a converted one, when it moved.
    pub(crate) fn source(&self, converted: &str) -> Option<String> {
        let mut end = converted.len();
        loop {
            if let Some(source) = self.0.get(&converted[..end]) {
                return Some(format!("{source}{}", &converted[end..]));
            }
            end = converted[..end].rfind('/')?;
        }
    }
}

/// What the converter needs of the loader: files read on demand.
pub(crate) trait Project {
    /// The file a ref's file part names, read if it was not yet, or `None`
    /// when it cannot be (the model builder reports why when it follows the
    /// ref).
    fn file(&mut self, from: FileId, file_part: &str) -> Option<FileId>;
    fn value(&self, file: FileId) -> Arc<Value>;
    fn value_mut(&mut self, file: FileId) -> &mut Value;
    /// The file part of a ref from `from` to `to` (empty for the same file).
    fn file_part(&self, from: FileId, to: FileId) -> String;
}

/// The kinds of object a ref of a 2.0 document names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Document,
    Schema,
    Parameter,
    Response,
    PathItem,
}

/// The conversion of a root 2.0 document and what it reaches: each file's
/// origins (those that moved nodes) and the warnings for constructs OpenAPI
/// 3.0 cannot say, located at converted pointers like every diagnostic.
pub(crate) struct Converted {
    pub origins: HashMap<FileId, Origins>,
    pub diagnostics: Vec<(FileId, Diagnostic)>,
}

/// Converts the 2.0 document `root` and every file its refs reach.
pub(crate) fn convert(project: &mut dyn Project, root: FileId) -> Converted {
    let fragment_media = match &*project.value(root) {
        Value::Object(document) => Media::default().of(document),
        _ => Media::default(),
    };
    let mut converter = Converter {
        fragment_media,
        project,
        documents: HashMap::new(),
        queued: HashSet::new(),
        jobs: Vec::new(),
        converted: Converted {
            origins: HashMap::new(),
            diagnostics: Vec::new(),
        },
    };
    converter.queue(root, String::new(), Kind::Document);
    while let Some((file, at, kind)) = converter.jobs.pop() {
        converter.run(file, &at, kind);
    }
    converter.converted
}

const JSON: &str = "application/json";
const MULTIPART: &str = "multipart/form-data";
const URLENCODED: &str = "application/x-www-form-urlencoded";
const OPERATIONS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];
/// The fields of a 2.0 Parameter, Items or Header Object that say its
/// value's schema.
const VALUE_FIELDS: [&str; 16] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
];

/// The media types a document (or operation) consumes and produces.
#[derive(Clone, Default)]
struct Media {
    consumes: Vec<String>,
    produces: Vec<String>,
}

impl Media {
    /// An operation's (or document's) own lists replace these; an empty
    /// one means JSON.
    fn of(&self, operation: &Map<String, Value>) -> Media {
        let list = |key: &str, inherited: &[String]| -> Vec<String> {
            match operation.get(key).and_then(Value::as_array) {
                Some(list) => list
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
                None => inherited.to_vec(),
            }
        };
        let mut media = Media {
            consumes: list("consumes", &self.consumes),
            produces: list("produces", &self.produces),
        };
        for list in [&mut media.consumes, &mut media.produces] {
            if list.is_empty() {
                list.push(JSON.to_owned());
            }
        }
        media
    }
}

struct Converter<'p> {
    project: &'p mut dyn Project,
    /// Media of fragments, which have none of their own: the root's.
    fragment_media: Media,
    /// The 2.0 documents met, as written (their converted form replaces
    /// them in the project; refs into them are looked up here).
    documents: HashMap<FileId, Arc<Value>>,
    queued: HashSet<(FileId, String)>,
    jobs: Vec<(FileId, String, Kind)>,
    converted: Converted,
}

/// A parameter of an operation or path item, refs followed.
struct Parameter {
    /// Its position in the source list.
    index: usize,
    /// As written (`$ref` or not; not even an object, for the model to report).
    written: Value,
    /// The object the ref names, or the written one.
    object: Map<String, Value>,
    /// Where `object` is: the file and, for a ref, the ref as written.
    reference: Option<(FileId, String)>,
}

impl Parameter {
    fn location(&self) -> &str {
        self.object
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    fn name(&self) -> &str {
        self.object
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

impl Converter<'_> {
    fn queue(&mut self, file: FileId, at: String, kind: Kind) {
        if self.queued.insert((file, at.clone())) {
            self.jobs.push((file, at, kind));
        }
    }

    fn is_document(&mut self, file: FileId) -> bool {
        if self.documents.contains_key(&file) {
            return true;
        }
        let value = self.project.value(file);
        let document = is_swagger_2(&value);
        if document {
            self.documents.insert(file, value);
        }
        document
    }

    fn origins(&mut self, file: FileId) -> &mut Origins {
        self.converted.origins.entry(file).or_default()
    }

    fn warn(&mut self, file: FileId, at: &str, message: String) {
        let diagnostic =
            Diagnostic::warning(codes::SWAGGER_UNCONVERTED, message).at(Location::new("", at));
        self.converted.diagnostics.push((file, diagnostic));
    }

    fn run(&mut self, file: FileId, at: &str, kind: Kind) {
        if kind == Kind::Document {
            if self.is_document(file) {
                let source = self.documents[&file].clone();
                if let Value::Object(map) = &*source {
                    let converted = self.document(file, map);
                    *self.project.value_mut(file) = Value::Object(converted);
                }
            }
            return;
        }
        // A fragment's node, converted where it is: taken out meanwhile, as
        // converting it may read other files.
        let Some(slot) = self.project.value_mut(file).pointer_mut(at) else {
            return;
        };
        let mut node = std::mem::take(slot);
        let media = self.fragment_media.clone();
        match (kind, &mut node) {
            (Kind::Schema, node) => self.schema(file, node),
            (Kind::Parameter, Value::Object(map))
                if !matches!(
                    map.get("in").and_then(Value::as_str),
                    Some("body" | "formData")
                ) =>
            {
                *map = self.parameter(file, map, at, at);
            }
            (Kind::Response, Value::Object(map)) => {
                *map = self.response(file, map, at, &media.produces);
            }
            (Kind::PathItem, Value::Object(map)) => {
                *map = self.path_item(file, map, at, &media);
            }
            _ => {}
        }
        if let Some(slot) = self.project.value_mut(file).pointer_mut(at) {
            *slot = node;
        }
    }

    /// A ref as the converted files spell it; queues its target's conversion.
    fn reference(&mut self, from: FileId, reference: &str, kind: Kind) -> String {
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let target = if file_part.is_empty() {
            Some(from)
        } else {
            self.project.file(from, file_part)
        };
        let Some(target) = target else {
            return reference.to_owned();
        };
        if self.is_document(target) {
            self.queue(target, String::new(), Kind::Document);
            return format!("{file_part}#{}", moved_fragment(fragment));
        }
        if let Ok(segments) = pointer::fragment_segments(fragment) {
            self.queue(target, pointer::join(&segments), kind);
        }
        reference.to_owned()
    }

    /// The object a ref names, as written, and its file.
    fn target(&mut self, from: FileId, reference: &str) -> Option<(FileId, Map<String, Value>)> {
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if file_part.is_empty() {
            from
        } else {
            self.project.file(from, file_part)?
        };
        let segments = pointer::fragment_segments(fragment).ok()?;
        let document = match self.is_document(file) {
            true => self.documents[&file].clone(),
            false => self.project.value(file),
        };
        match pointer::get(&document, &segments)? {
            Value::Object(map) => Some((file, map.clone())),
            _ => None,
        }
    }

    fn document(&mut self, file: FileId, source: &Map<String, Value>) -> Map<String, Value> {
        let media = Media::default().of(source);
        let mut out = Map::new();
        out.insert("openapi".into(), json!("3.0.3"));
        for key in ["info", "externalDocs"] {
            if let Some(value) = source.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        if let Some(servers) = self.servers(file, source) {
            out.insert("servers".into(), servers);
        }
        for key in ["tags", "security"] {
            if let Some(value) = source.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        match source.get("paths") {
            Some(Value::Object(paths)) => {
                let mut converted = Map::new();
                for (path, item) in paths {
                    let at = pointer::push("/paths", path);
                    let item = match item {
                        Value::Object(item) if !path.starts_with("x-") => {
                            Value::Object(self.path_item(file, item, &at, &media))
                        }
                        other => other.clone(),
                    };
                    converted.insert(path.clone(), item);
                }
                out.insert("paths".into(), Value::Object(converted));
            }
            Some(other) => {
                out.insert("paths".into(), other.clone());
            }
            None => {}
        }
        let components = self.components(file, source, &media);
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        const CONVERTED: [&str; 17] = [
            "swagger",
            "info",
            "externalDocs",
            "host",
            "basePath",
            "schemes",
            "consumes",
            "produces",
            "tags",
            "security",
            "paths",
            "definitions",
            "parameters",
            "responses",
            "securityDefinitions",
            "openapi",
            "servers",
        ];
        for (key, value) in source {
            if !CONVERTED.contains(&key.as_str()) {
                out.insert(key.clone(), value.clone());
            }
        }
        out
    }

    /// `schemes` x `host` + `basePath`; a relative server for a base path alone.
    fn servers(&mut self, file: FileId, source: &Map<String, Value>) -> Option<Value> {
        let host = source.get("host").and_then(Value::as_str);
        let base = source.get("basePath").and_then(Value::as_str).unwrap_or("");
        let base = base.trim_end_matches('/');
        let (urls, written_at): (Vec<String>, &str) = match host {
            Some(host) => {
                let schemes: Vec<&str> = source
                    .get("schemes")
                    .and_then(Value::as_array)
                    .map(|list| list.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let schemes = if schemes.is_empty() {
                    vec!["https"]
                } else {
                    schemes
                };
                let urls = schemes
                    .iter()
                    .map(|scheme| format!("{scheme}://{host}{base}"))
                    .collect();
                (urls, "/host")
            }
            None if !base.is_empty() => (vec![base.to_owned()], "/basePath"),
            None => return None,
        };
        self.origins(file).record("/servers".into(), written_at);
        Some(Value::Array(
            urls.into_iter().map(|url| json!({ "url": url })).collect(),
        ))
    }

    fn components(
        &mut self,
        file: FileId,
        source: &Map<String, Value>,
        media: &Media,
    ) -> Map<String, Value> {
        let mut components = Map::new();
        if let Some(definitions) = source.get("definitions") {
            let mut definitions = definitions.clone();
            if let Value::Object(map) = &mut definitions {
                for schema in map.values_mut() {
                    self.schema(file, schema);
                }
            }
            self.origins(file)
                .record("/components/schemas".into(), "/definitions");
            components.insert("schemas".into(), definitions);
        }
        if let Some(Value::Object(parameters)) = source.get("parameters") {
            let mut converted = Map::new();
            let mut bodies = Map::new();
            for (name, parameter) in parameters {
                let at = pointer::push("/parameters", name);
                let Value::Object(object) = parameter else {
                    converted.insert(name.clone(), parameter.clone());
                    continue;
                };
                match object.get("in").and_then(Value::as_str) {
                    Some("body") => {
                        let converted_at = pointer::push("/components/requestBodies", name);
                        let body =
                            self.inline_body(file, object, &converted_at, &at, &media.consumes);
                        bodies.insert(name.clone(), Value::Object(body));
                    }
                    // No 3.0 counterpart: each operation using one gets it
                    // as a property of its form body.
                    Some("formData") => {}
                    _ => {
                        let converted_at = pointer::push("/components/parameters", name);
                        let parameter = self.parameter(file, object, &converted_at, &at);
                        converted.insert(name.clone(), Value::Object(parameter));
                    }
                }
            }
            self.origins(file)
                .record("/components/parameters".into(), "/parameters");
            components.insert("parameters".into(), Value::Object(converted));
            if !bodies.is_empty() {
                components.insert("requestBodies".into(), Value::Object(bodies));
            }
        }
        if let Some(responses) = source.get("responses") {
            let mut responses = responses.clone();
            if let Value::Object(map) = &mut responses {
                for (name, response) in map.iter_mut() {
                    if let Value::Object(object) = response {
                        let at = pointer::push("/components/responses", name);
                        *object = self.response(file, object, &at, &media.produces);
                    }
                }
            }
            self.origins(file)
                .record("/components/responses".into(), "/responses");
            components.insert("responses".into(), responses);
        }
        if let Some(definitions) = source.get("securityDefinitions") {
            let schemes = match definitions {
                Value::Object(map) => Value::Object(
                    map.iter()
                        .map(|(name, scheme)| (name.clone(), security_scheme(scheme)))
                        .collect(),
                ),
                other => other.clone(),
            };
            self.origins(file)
                .record("/components/securitySchemes".into(), "/securityDefinitions");
            components.insert("securitySchemes".into(), schemes);
        }
        components
    }

    /// A path item at `at` (the same pointer in both forms).
    fn path_item(
        &mut self,
        file: FileId,
        item: &Map<String, Value>,
        at: &str,
        media: &Media,
    ) -> Map<String, Value> {
        let shared = self.parameters(file, item.get("parameters"));
        let mut out = Map::new();
        for (key, value) in item {
            match (key.as_str(), value) {
                ("$ref", Value::String(reference)) => {
                    let reference = self.reference(file, reference, Kind::PathItem);
                    out.insert(key.clone(), Value::String(reference));
                }
                ("parameters", Value::Array(_)) => {
                    let kept: Vec<&Parameter> = shared
                        .iter()
                        .filter(|parameter| !is_in_body(parameter))
                        .collect();
                    let at = pointer::push(at, "parameters");
                    let list = self.parameter_list(file, &kept, &at);
                    if !list.is_empty() {
                        out.insert(key.clone(), Value::Array(list));
                    }
                }
                (method, Value::Object(operation)) if OPERATIONS.contains(&method) => {
                    let at = pointer::push(at, method);
                    let operation = self.operation(file, operation, &at, &shared, media);
                    out.insert(key.clone(), Value::Object(operation));
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        out
    }

    /// A parameter list with refs followed.
    fn parameters(&mut self, file: FileId, list: Option<&Value>) -> Vec<Parameter> {
        let Some(Value::Array(list)) = list else {
            return Vec::new();
        };
        let mut parameters = Vec::with_capacity(list.len());
        for (index, entry) in list.iter().enumerate() {
            let (object, reference) = match (entry.get("$ref").and_then(Value::as_str), entry) {
                (Some(reference), _) => match self.target(file, reference) {
                    Some((target, object)) => (object, Some((target, reference.to_owned()))),
                    None => (Map::new(), None),
                },
                (None, Value::Object(object)) => (object.clone(), None),
                (None, _) => (Map::new(), None),
            };
            parameters.push(Parameter {
                index,
                written: entry.clone(),
                object,
                reference,
            });
        }
        parameters
    }

    /// Converted parameters (no body or form ones), each recording where it
    /// was when its index changed.
    fn parameter_list(&mut self, file: FileId, kept: &[&Parameter], at: &str) -> Vec<Value> {
        let mut list = Vec::with_capacity(kept.len());
        for (index, parameter) in kept.iter().enumerate() {
            let converted_at = pointer::push(at, &index.to_string());
            let source_at = pointer::push(at, &parameter.index.to_string());
            self.origins(file).record(converted_at.clone(), &source_at);
            let converted = match &parameter.written {
                Value::Object(written) => match written.get("$ref").and_then(Value::as_str) {
                    Some(reference) => {
                        let reference = self.reference(file, reference, Kind::Parameter);
                        let mut written = written.clone();
                        written.insert("$ref".into(), Value::String(reference));
                        written
                    }
                    None => self.parameter(file, written, &converted_at, &source_at),
                },
                other => {
                    list.push(other.clone());
                    continue;
                }
            };
            list.push(Value::Object(converted));
        }
        list
    }

    fn operation(
        &mut self,
        file: FileId,
        operation: &Map<String, Value>,
        at: &str,
        shared: &[Parameter],
        media: &Media,
    ) -> Map<String, Value> {
        let media = media.of(operation);
        let own = self.parameters(file, operation.get("parameters"));
        let mut out = Map::new();
        for (key, value) in operation {
            match key.as_str() {
                "consumes" | "produces" | "schemes" => {}
                "parameters" if value.is_array() => {
                    let kept: Vec<&Parameter> = own
                        .iter()
                        .filter(|parameter| !is_in_body(parameter))
                        .collect();
                    let list_at = pointer::push(at, "parameters");
                    let list = self.parameter_list(file, &kept, &list_at);
                    if !list.is_empty() {
                        out.insert(key.clone(), Value::Array(list));
                    }
                    if let Some(body) = self.request_body(file, at, &own, shared, &media) {
                        out.insert("requestBody".into(), body);
                    }
                }
                "responses" => {
                    let responses = match value {
                        Value::Object(responses) => {
                            let responses_at = pointer::push(at, "responses");
                            Value::Object(self.responses(file, responses, &responses_at, &media))
                        }
                        other => other.clone(),
                    };
                    out.insert(key.clone(), responses);
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        // Body parameters of the path item alone.
        if !out.contains_key("requestBody")
            && !operation.contains_key("parameters")
            && let Some(body) = self.request_body(file, at, &own, shared, &media)
        {
            out.insert("requestBody".into(), body);
        }
        out
    }

    /// The operation's request body: its own `in: body` parameter, else the
    /// path item's; or a form of its `formData` parameters and the path
    /// item's (its own win by name).
    fn request_body(
        &mut self,
        file: FileId,
        at: &str,
        own: &[Parameter],
        shared: &[Parameter],
        media: &Media,
    ) -> Option<Value> {
        let body_at = pointer::push(at, "requestBody");
        let parameters_at = |parameter: &Parameter, shared_list: bool| {
            let list = match shared_list {
                true => pointer::push(
                    at.rsplit_once('/').map_or("", |(item, _)| item),
                    "parameters",
                ),
                false => pointer::push(at, "parameters"),
            };
            pointer::push(&list, &parameter.index.to_string())
        };
        let body = own
            .iter()
            .find(|parameter| parameter.location() == "body")
            .map(|parameter| (parameter, false))
            .or_else(|| {
                shared
                    .iter()
                    .find(|parameter| parameter.location() == "body")
                    .map(|parameter| (parameter, true))
            });
        if let Some((parameter, shared_list)) = body {
            let source_at = parameters_at(parameter, shared_list);
            self.origins(file).record(body_at.clone(), &source_at);
            return Some(Value::Object(self.body(
                file,
                parameter,
                &body_at,
                &source_at,
                &media.consumes,
            )));
        }
        let mut fields: Vec<(&Parameter, bool)> = Vec::new();
        for (list, shared_list) in [(own, false), (shared, true)] {
            for parameter in list {
                if parameter.location() == "formData"
                    && !fields
                        .iter()
                        .any(|(field, _)| field.name() == parameter.name())
                {
                    fields.push((parameter, shared_list));
                }
            }
        }
        if fields.is_empty() {
            return None;
        }
        let has_file = fields
            .iter()
            .any(|(field, _)| field.object.get("type").and_then(Value::as_str) == Some("file"));
        let mut types: Vec<String> = media
            .consumes
            .iter()
            .filter(|kind| {
                let essence = kind.split(';').next().unwrap_or_default().trim();
                essence == MULTIPART || essence == URLENCODED
            })
            .cloned()
            .collect();
        if types.is_empty() {
            types.push(if has_file { MULTIPART } else { URLENCODED }.to_owned());
        }
        let property_at = |kind: &str, name: &str| {
            let media_at = pointer::push(&pointer::push(&body_at, "content"), kind);
            pointer::push(
                &pointer::push(&pointer::push(&media_at, "schema"), "properties"),
                name,
            )
        };
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut sources = Vec::new();
        let mut encoding = Map::new();
        for (field, shared_list) in &fields {
            let source_at = parameters_at(field, *shared_list);
            let property_at = property_at(&types[0], field.name());
            if let Some(style) = self.style(file, &field.object, "formData", &property_at) {
                encoding.insert(field.name().to_owned(), Value::Object(style));
            }
            let mut schema = value_schema(&field.object);
            if let Some(description) = field.object.get("description") {
                schema.insert("description".into(), description.clone());
            }
            if field.object.get("required") == Some(&Value::Bool(true)) {
                required.push(json!(field.name()));
            }
            properties.insert(field.name().to_owned(), Value::Object(schema));
            sources.push((field.name().to_owned(), source_at));
        }
        let mut schema = Map::new();
        schema.insert("type".into(), json!("object"));
        schema.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required));
        }
        let mut content = Map::new();
        for kind in &types {
            for (name, source_at) in &sources {
                self.origins(file)
                    .record(property_at(kind, name), source_at);
            }
            let mut media_type = json!({ "schema": schema });
            if !encoding.is_empty() {
                media_type["encoding"] = Value::Object(encoding.clone());
            }
            content.insert(kind.clone(), media_type);
        }
        if let Some((first, shared_list)) = fields.first() {
            let source_at = parameters_at(first, *shared_list);
            self.origins(file).record(body_at, &source_at);
        }
        let mut body = Map::new();
        if fields
            .iter()
            .any(|(field, _)| field.object.get("required") == Some(&Value::Bool(true)))
        {
            body.insert("required".into(), json!(true));
        }
        body.insert("content".into(), Value::Object(content));
        Some(Value::Object(body))
    }

    /// An `in: body` parameter as a request body: a ref to a 2.0 document's
    /// shared body stays a ref (to its `requestBodies` entry); one to a
    /// fragment names its schema where it is.
    fn body(
        &mut self,
        file: FileId,
        parameter: &Parameter,
        converted_at: &str,
        source_at: &str,
        consumes: &[String],
    ) -> Map<String, Value> {
        let Some((target, reference)) = &parameter.reference else {
            return self.inline_body(file, &parameter.object, converted_at, source_at, consumes);
        };
        if self.is_document(*target) {
            let reference = reference.replacen("#/parameters/", "#/components/requestBodies/", 1);
            self.queue(*target, String::new(), Kind::Document);
            let mut out = Map::new();
            out.insert("$ref".into(), Value::String(reference));
            return out;
        }
        // A schema that is a ref is referred to from here, so it keeps its
        // name; another is named where it is.
        let schema_ref = match self.ref_target(*target, parameter.object.get("schema")) {
            Some((schema_file, fragment)) => {
                format!("{}#{fragment}", self.project.file_part(file, schema_file))
            }
            None => {
                let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
                format!("{file_part}#{fragment}/schema")
            }
        };
        let schema_ref = self.reference(file, &schema_ref, Kind::Schema);
        let mut out = Map::new();
        for key in ["description", "required"] {
            if let Some(value) = parameter.object.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        let content: Map<String, Value> = consumes
            .iter()
            .map(|kind| (kind.clone(), json!({ "schema": { "$ref": schema_ref } })))
            .collect();
        out.insert("content".into(), Value::Object(content));
        out
    }

    /// Where a schema that is only a `$ref`, written in `file`, points: the
    /// file and the fragment.
    fn ref_target(&mut self, file: FileId, schema: Option<&Value>) -> Option<(FileId, String)> {
        let schema = schema?.as_object().filter(|schema| schema.len() == 1)?;
        let reference = schema.get("$ref")?.as_str()?;
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let target = match file_part.is_empty() {
            true => file,
            false => self.project.file(file, file_part)?,
        };
        Some((target, fragment.to_owned()))
    }

    fn inline_body(
        &mut self,
        file: FileId,
        parameter: &Map<String, Value>,
        converted_at: &str,
        source_at: &str,
        consumes: &[String],
    ) -> Map<String, Value> {
        let mut out = Map::new();
        for (key, value) in parameter {
            if key == "description" || key == "required" || key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        let mut schema = parameter.get("schema").cloned().unwrap_or(json!({}));
        self.schema(file, &mut schema);
        let mut content = Map::new();
        let source_schema = pointer::push(source_at, "schema");
        for kind in consumes {
            let schema_at = pointer::push(
                &pointer::push(&pointer::push(converted_at, "content"), kind),
                "schema",
            );
            self.origins(file).record(schema_at, &source_schema);
            content.insert(kind.clone(), json!({ "schema": schema }));
        }
        self.origins(file)
            .record(converted_at.to_owned(), source_at);
        out.insert("content".into(), Value::Object(content));
        out
    }

    /// A query, path, header or cookie parameter: its value fields become a
    /// `schema`, its `collectionFormat` a `style` and `explode`.
    fn parameter(
        &mut self,
        file: FileId,
        parameter: &Map<String, Value>,
        converted_at: &str,
        source_at: &str,
    ) -> Map<String, Value> {
        if parameter.contains_key("schema") || parameter.contains_key("$ref") {
            return parameter.clone();
        }
        let mut out = Map::new();
        for (key, value) in parameter {
            if !VALUE_FIELDS.contains(&key.as_str())
                && !matches!(key.as_str(), "collectionFormat" | "x-nullable")
            {
                out.insert(key.clone(), value.clone());
            }
        }
        let location = parameter.get("in").and_then(Value::as_str).unwrap_or("");
        if let Some(style) = self.style(file, parameter, location, converted_at) {
            out.extend(style);
        }
        out.insert("schema".into(), Value::Object(value_schema(parameter)));
        self.origins(file)
            .record(pointer::push(converted_at, "schema"), source_at);
        out
    }

    /// The `style` and `explode` an array's `collectionFormat` says, when
    /// they are not the default of `location` (`formData`: a form body's
    /// encoding); a warning when OpenAPI 3 has none.
    fn style(
        &mut self,
        file: FileId,
        parameter: &Map<String, Value>,
        location: &str,
        converted_at: &str,
    ) -> Option<Map<String, Value>> {
        if parameter.get("type").and_then(Value::as_str) != Some("array") {
            return None;
        }
        let format = (parameter.get("collectionFormat"))
            .and_then(Value::as_str)
            .unwrap_or("csv");
        let (style, explode) = match (format, location) {
            ("csv", "query" | "formData") => ("form", false),
            ("multi", "query" | "formData") => ("form", true),
            ("ssv", "query" | "formData") => ("spaceDelimited", false),
            ("pipes", "query" | "formData") => ("pipeDelimited", false),
            // The default of paths and headers.
            ("csv", _) => return None,
            (format, location) => {
                self.warn(
                    file,
                    converted_at,
                    format!(
                        "`collectionFormat: {format}` has no OpenAPI 3 style for `in: {location}`; the parameter keeps the default style"
                    ),
                );
                return None;
            }
        };
        let mut out = Map::new();
        out.insert("style".into(), json!(style));
        out.insert("explode".into(), json!(explode));
        Some(out)
    }

    fn responses(
        &mut self,
        file: FileId,
        responses: &Map<String, Value>,
        at: &str,
        media: &Media,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        for (status, response) in responses {
            let converted = match response {
                Value::Object(object) => {
                    let response_at = pointer::push(at, status);
                    Value::Object(self.response(file, object, &response_at, &media.produces))
                }
                other => other.clone(),
            };
            out.insert(status.clone(), converted);
        }
        out
    }

    /// A response at `at` (the same pointer in both forms): its schema (and
    /// examples) per produced media type, its headers' value fields as
    /// schemas.
    fn response(
        &mut self,
        file: FileId,
        response: &Map<String, Value>,
        at: &str,
        produces: &[String],
    ) -> Map<String, Value> {
        if let Some(Value::String(reference)) = response.get("$ref") {
            let mut out = response.clone();
            let reference = self.reference(file, reference, Kind::Response);
            out.insert("$ref".into(), Value::String(reference));
            return out;
        }
        if response.contains_key("content") {
            return response.clone();
        }
        let examples = response.get("examples").and_then(Value::as_object);
        let mut out = Map::new();
        for (key, value) in response {
            match (key.as_str(), value) {
                ("schema" | "examples", _) => {}
                ("headers", Value::Object(headers)) => {
                    let headers_at = pointer::push(at, "headers");
                    let converted = headers
                        .iter()
                        .map(|(name, header)| {
                            let header_at = pointer::push(&headers_at, name);
                            (name.clone(), self.header(file, header, &header_at))
                        })
                        .collect();
                    out.insert(key.clone(), Value::Object(converted));
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        let mut content = Map::new();
        if let Some(schema) = response.get("schema") {
            let mut schema = schema.clone();
            self.schema(file, &mut schema);
            let source_schema = pointer::push(at, "schema");
            for kind in produces {
                let media_at = pointer::push(&pointer::push(at, "content"), kind);
                self.origins(file)
                    .record(pointer::push(&media_at, "schema"), &source_schema);
                let mut media_type = Map::new();
                media_type.insert("schema".into(), schema.clone());
                if let Some(example) = examples.and_then(|examples| examples.get(kind)) {
                    media_type.insert("example".into(), example.clone());
                    self.origins(file).record(
                        pointer::push(&media_at, "example"),
                        &pointer::push(&pointer::push(at, "examples"), kind),
                    );
                }
                content.insert(kind.clone(), Value::Object(media_type));
            }
        }
        // Examples of a body with no schema still say there is one.
        if response.get("schema").is_none()
            && let Some(examples) = examples
        {
            for (kind, example) in examples {
                let media_at = pointer::push(&pointer::push(at, "content"), kind);
                self.origins(file).record(
                    pointer::push(&media_at, "example"),
                    &pointer::push(&pointer::push(at, "examples"), kind),
                );
                content.insert(kind.clone(), json!({ "example": example }));
            }
        }
        if !content.is_empty() {
            out.insert("content".into(), Value::Object(content));
        }
        out
    }

    fn header(&mut self, file: FileId, header: &Value, at: &str) -> Value {
        let Value::Object(header) = header else {
            return header.clone();
        };
        if header.contains_key("schema") || header.contains_key("$ref") {
            return Value::Object(header.clone());
        }
        let mut out = Map::new();
        for (key, value) in header {
            if key == "description" || key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        out.insert("schema".into(), Value::Object(value_schema(header)));
        self.origins(file).record(pointer::push(at, "schema"), at);
        Value::Object(out)
    }

    /// Converts a schema and its subschemas where they are (no recursion: a
    /// worklist of nodes).
    fn schema(&mut self, file: FileId, schema: &mut Value) {
        let mut stack: Vec<&mut Value> = vec![schema];
        while let Some(node) = stack.pop() {
            let Value::Object(map) = node else {
                continue;
            };
            if let Some(Value::String(reference)) = map.get("$ref") {
                let reference = self.reference(file, reference, Kind::Schema);
                map.insert("$ref".into(), Value::String(reference));
                // `$ref` siblings are ignored in 3.0: a nullable ref wraps.
                if map.remove("x-nullable") == Some(Value::Bool(true)) {
                    let target = map.remove("$ref").expect("just inserted");
                    map.insert("nullable".into(), json!(true));
                    map.insert("allOf".into(), json!([{ "$ref": target }]));
                }
                continue;
            }
            if let Some(nullable) = map.remove("x-nullable") {
                map.insert("nullable".into(), nullable);
            }
            if map.get("type").and_then(Value::as_str) == Some("file") {
                map.insert("type".into(), json!("string"));
                map.insert("format".into(), json!("binary"));
            }
            if let Some(Value::String(property)) = map.get("discriminator") {
                let discriminator = json!({ "propertyName": property });
                map.insert("discriminator".into(), discriminator);
            }
            for (key, value) in map.iter_mut() {
                match contracts_model::keywords::subschemas(key, value) {
                    Some(contracts_model::keywords::Subschemas::One) => stack.push(value),
                    Some(_) => match value {
                        Value::Array(list) => stack.extend(list.iter_mut()),
                        Value::Object(map) => stack.extend(map.values_mut()),
                        _ => {}
                    },
                    None => {}
                }
            }
        }
    }
}

fn is_in_body(parameter: &Parameter) -> bool {
    matches!(parameter.location(), "body" | "formData")
}

/// The schema a 2.0 Parameter, Items or Header Object's value fields say.
/// Items nest no deeper than the document (the parser caps nesting).
fn value_schema(object: &Map<String, Value>) -> Map<String, Value> {
    let mut schema = Map::new();
    for (key, value) in object {
        let value = match (key.as_str(), value) {
            ("items", Value::Object(items)) => Value::Object(value_schema(items)),
            (key, value) if VALUE_FIELDS.contains(&key) => value.clone(),
            ("x-nullable", nullable) => {
                schema.insert("nullable".into(), nullable.clone());
                continue;
            }
            _ => continue,
        };
        schema.insert(key.clone(), value);
    }
    if schema.get("type").and_then(Value::as_str) == Some("file") {
        schema.insert("type".into(), json!("string"));
        schema.insert("format".into(), json!("binary"));
    }
    schema
}

/// A 2.0 Security Scheme as 3.0 says it: `basic` is HTTP basic, an oauth2
/// `flow` names one of `flows`.
fn security_scheme(scheme: &Value) -> Value {
    let Value::Object(source) = scheme else {
        return scheme.clone();
    };
    let mut out = Map::new();
    let kind = source.get("type").and_then(Value::as_str);
    for (key, value) in source {
        match (kind, key.as_str()) {
            (Some("basic"), "type") => {
                out.insert("type".into(), json!("http"));
                out.insert("scheme".into(), json!("basic"));
            }
            (Some("oauth2"), "flow" | "authorizationUrl" | "tokenUrl" | "scopes") => {}
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if kind == Some("oauth2") {
        let (name, urls): (&str, &[&str]) =
            match source.get("flow").and_then(Value::as_str).unwrap_or("") {
                "implicit" => ("implicit", &["authorizationUrl"]),
                "password" => ("password", &["tokenUrl"]),
                "application" => ("clientCredentials", &["tokenUrl"]),
                _ => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
            };
        let mut flow = Map::new();
        for url in urls {
            if let Some(value) = source.get(*url) {
                flow.insert((*url).into(), value.clone());
            }
        }
        flow.insert(
            "scopes".into(),
            source.get("scopes").cloned().unwrap_or(json!({})),
        );
        out.insert("flows".into(), json!({ name: flow }));
    }
    Value::Object(out)
}

/// A ref's fragment into a 2.0 document, as it reads once the document is
/// converted: its shared sections moved under `components`.
fn moved_fragment(fragment: &str) -> String {
    for (from, to) in [
        ("/definitions/", "/components/schemas/"),
        ("/parameters/", "/components/parameters/"),
        ("/responses/", "/components/responses/"),
        ("/securityDefinitions/", "/components/securitySchemes/"),
    ] {
        if let Some(rest) = fragment.strip_prefix(from) {
            return format!("{to}{rest}");
        }
    }
    fragment.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files by name, all in one folder.
    struct Files(Vec<(&'static str, Arc<Value>)>);

    impl Project for Files {
        fn file(&mut self, _from: FileId, file_part: &str) -> Option<FileId> {
            let name = file_part.trim_start_matches("./");
            let index = self.0.iter().position(|(file, _)| *file == name)?;
            Some(FileId(index as u32))
        }

        fn value(&self, file: FileId) -> Arc<Value> {
            self.0[file.0 as usize].1.clone()
        }

        fn value_mut(&mut self, file: FileId) -> &mut Value {
            Arc::make_mut(&mut self.0[file.0 as usize].1)
        }

        fn file_part(&self, from: FileId, to: FileId) -> String {
            match from == to {
                true => String::new(),
                false => self.0[to.0 as usize].0.to_owned(),
            }
        }
    }

    /// Converts `files` (the first the root); returns them and the conversion.
    fn convert_files(files: Vec<(&'static str, Value)>) -> (Vec<Value>, Converted) {
        let mut files = Files(
            files
                .into_iter()
                .map(|(name, value)| (name, Arc::new(value)))
                .collect(),
        );
        let converted = convert(&mut files, FileId(0));
        let values = files
            .0
            .into_iter()
            .map(|(_, value)| (*value).clone())
            .collect();
        (values, converted)
    }

    fn convert_one(document: Value) -> (Value, Converted) {
        let (mut values, converted) = convert_files(vec![("api.json", document)]);
        (values.remove(0), converted)
    }

    fn swagger(rest: Value) -> Value {
        let mut document = json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}});
        document
            .as_object_mut()
            .unwrap()
            .extend(rest.as_object().unwrap().clone());
        document
    }

    fn source(converted: &Converted, pointer: &str) -> String {
        converted.origins[&FileId(0)]
            .source(pointer)
            .unwrap_or_else(|| pointer.to_owned())
    }

    #[test]
    fn definitions_become_component_schemas_and_refs_follow() {
        let (document, converted) = convert_one(swagger(json!({
            "paths": {},
            "definitions": {
                "Pet": {"type": "object", "properties": {"owner": {"$ref": "#/definitions/Person"}}},
                "Person": {"type": "object"}
            }
        })));
        assert_eq!(document["openapi"], "3.0.3");
        assert!(document.get("swagger").is_none() && document.get("definitions").is_none());
        assert_eq!(
            document["components"]["schemas"]["Pet"]["properties"]["owner"],
            json!({"$ref": "#/components/schemas/Person"})
        );
        assert_eq!(
            source(&converted, "/components/schemas/Pet/properties/owner"),
            "/definitions/Pet/properties/owner"
        );
    }

    #[test]
    fn a_body_parameter_is_a_request_body_per_consumed_type() {
        let (document, converted) = convert_one(swagger(json!({
            "consumes": ["application/json", "application/xml"],
            "paths": {"/pets": {"post": {
                "parameters": [
                    {"name": "dryRun", "in": "query", "type": "boolean"},
                    {"name": "pet", "in": "body", "required": true, "description": "The pet.",
                     "schema": {"$ref": "#/definitions/Pet"}},
                    {"name": "X-Trace", "in": "header", "type": "string"}
                ],
                "responses": {"204": {"description": "Done."}}
            }}},
            "definitions": {"Pet": {"type": "object"}}
        })));
        let operation = &document["paths"]["/pets"]["post"];
        let schema = json!({"schema": {"$ref": "#/components/schemas/Pet"}});
        assert_eq!(
            operation["requestBody"],
            json!({"required": true, "description": "The pet.", "content": {
                "application/json": schema, "application/xml": schema
            }})
        );
        let names: Vec<&Value> = (operation["parameters"].as_array().unwrap().iter())
            .map(|parameter| &parameter["name"])
            .collect();
        assert_eq!(names, [&json!("dryRun"), &json!("X-Trace")]);
        // The header moved up one place; the body's schema is the body parameter's.
        let at = "/paths/~1pets/post";
        assert_eq!(
            source(&converted, &format!("{at}/parameters/1/schema")),
            format!("{at}/parameters/2")
        );
        assert_eq!(
            source(
                &converted,
                &format!("{at}/requestBody/content/application~1xml/schema")
            ),
            format!("{at}/parameters/1/schema")
        );
    }

    #[test]
    fn form_parameters_are_a_form_body_multipart_with_a_file() {
        let form = |consumes: Value, file: bool| {
            let mut photo = json!({"name": "photo", "in": "formData", "type": "string"});
            if file {
                photo["type"] = json!("file");
                photo["required"] = json!(true);
            }
            let (document, _) = convert_one(swagger(json!({
                "parameters": {"note": {"name": "note", "in": "formData", "type": "string", "maxLength": 9}},
                "paths": {"/photos": {"post": {
                    "consumes": consumes,
                    "parameters": [photo, {"$ref": "#/parameters/note"}],
                    "responses": {"204": {"description": "Stored."}}
                }}}
            })));
            // A form parameter has no 3.0 counterpart among shared parameters.
            assert_eq!(document["components"]["parameters"], json!({}));
            document["paths"]["/photos"]["post"]["requestBody"].clone()
        };
        let with_file = form(json!([]), true);
        assert_eq!(
            with_file,
            json!({"required": true, "content": {"multipart/form-data": {"schema": {
                "type": "object",
                "properties": {
                    "photo": {"type": "string", "format": "binary"},
                    "note": {"type": "string", "maxLength": 9}
                },
                "required": ["photo"]
            }}}})
        );
        let fields = form(json!([]), false);
        assert!(
            fields["content"]
                .get("application/x-www-form-urlencoded")
                .is_some()
        );
        assert!(fields.get("required").is_none());
        let consumed = form(json!(["multipart/form-data"]), false);
        assert!(consumed["content"].get("multipart/form-data").is_some());
    }

    #[test]
    fn path_level_body_parameters_reach_each_operation_without_its_own() {
        let (document, converted) = convert_one(swagger(json!({
            "paths": {"/pets/{id}": {
                "parameters": [
                    {"name": "pet", "in": "body", "schema": {"type": "object"}},
                    {"name": "id", "in": "path", "required": true, "type": "string"}
                ],
                "put": {"responses": {"204": {"description": "Done."}}},
                "patch": {
                    "parameters": [{"name": "patch", "in": "body", "schema": {"type": "array"}}],
                    "responses": {"204": {"description": "Done."}}
                }
            }}
        })));
        let item = &document["paths"]["/pets/{id}"];
        assert_eq!(item["parameters"][0]["name"], "id");
        assert_eq!(
            item["put"]["requestBody"]["content"]["application/json"]["schema"]["type"],
            "object"
        );
        assert_eq!(
            item["patch"]["requestBody"]["content"]["application/json"]["schema"]["type"],
            "array"
        );
        assert!(item["patch"].get("parameters").is_none());
        assert_eq!(
            source(&converted, "/paths/~1pets~1{id}/put/requestBody"),
            "/paths/~1pets~1{id}/parameters/0"
        );
        assert_eq!(
            source(&converted, "/paths/~1pets~1{id}/parameters/0"),
            "/paths/~1pets~1{id}/parameters/1"
        );
    }

    #[test]
    fn shared_body_parameters_are_request_bodies() {
        let (document, _) = convert_one(swagger(json!({
            "parameters": {
                "Pet": {"name": "pet", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}},
                "limit": {"name": "limit", "in": "query", "type": "integer"}
            },
            "paths": {"/pets": {"post": {
                "parameters": [{"$ref": "#/parameters/Pet"}, {"$ref": "#/parameters/limit"}],
                "responses": {"204": {"description": "Done."}}
            }}},
            "definitions": {"Pet": {"type": "object"}}
        })));
        let operation = &document["paths"]["/pets"]["post"];
        assert_eq!(
            operation["requestBody"],
            json!({"$ref": "#/components/requestBodies/Pet"})
        );
        assert_eq!(
            operation["parameters"],
            json!([{"$ref": "#/components/parameters/limit"}])
        );
        let components = &document["components"];
        assert_eq!(components["requestBodies"]["Pet"]["required"], true);
        assert_eq!(
            components["parameters"]["limit"],
            json!({"name": "limit", "in": "query", "schema": {"type": "integer"}})
        );
    }

    #[test]
    fn responses_have_content_per_produced_type_with_their_examples_and_headers() {
        let (document, converted) = convert_one(swagger(json!({
            "produces": ["application/json"],
            "paths": {"/pets": {"get": {
                "produces": ["application/json", "text/csv"],
                "responses": {
                    "200": {
                        "description": "Pets.",
                        "headers": {"X-Total": {"type": "integer", "description": "All."}},
                        "schema": {"type": "array", "items": {"type": "string"}},
                        "examples": {"text/csv": "a,b"}
                    },
                    "404": {"description": "None."},
                    "500": {"description": "Down.", "examples": {"text/plain": "down"}}
                }
            }}}
        })));
        let responses = &document["paths"]["/pets"]["get"]["responses"];
        let ok = &responses["200"];
        assert_eq!(
            ok["content"]["application/json"],
            json!({"schema": {"type": "array", "items": {"type": "string"}}})
        );
        assert_eq!(ok["content"]["text/csv"]["example"], "a,b");
        assert_eq!(
            ok["headers"]["X-Total"],
            json!({"description": "All.", "schema": {"type": "integer"}})
        );
        assert_eq!(responses["404"], json!({"description": "None."}));
        assert_eq!(
            responses["500"],
            json!({"description": "Down.", "content": {"text/plain": {"example": "down"}}})
        );
        let at = "/paths/~1pets/get/responses/200";
        assert_eq!(
            source(&converted, &format!("{at}/content/text~1csv/schema/items")),
            format!("{at}/schema/items")
        );
        assert_eq!(
            source(&converted, &format!("{at}/headers/X-Total/schema/type")),
            format!("{at}/headers/X-Total/type")
        );
    }

    #[test]
    fn a_file_response_is_a_binary_string() {
        let (document, _) = convert_one(swagger(json!({
            "paths": {"/photo": {"get": {
                "produces": ["image/png"],
                "responses": {"200": {"description": "Photo.", "schema": {"type": "file"}}}
            }}}
        })));
        assert_eq!(
            document["paths"]["/photo"]["get"]["responses"]["200"]["content"],
            json!({"image/png": {"schema": {"type": "string", "format": "binary"}}})
        );
    }

    #[test]
    fn host_base_path_and_schemes_are_servers() {
        let servers = |rest: Value| convert_one(swagger(rest)).0.get("servers").cloned();
        assert_eq!(
            servers(
                json!({"host": "api.example.com", "basePath": "/v1/", "schemes": ["http", "https"], "paths": {}})
            ),
            Some(
                json!([{"url": "http://api.example.com/v1"}, {"url": "https://api.example.com/v1"}])
            )
        );
        assert_eq!(
            servers(json!({"host": "api.example.com", "paths": {}})),
            Some(json!([{"url": "https://api.example.com"}]))
        );
        assert_eq!(
            servers(json!({"basePath": "/v1", "paths": {}})),
            Some(json!([{"url": "/v1"}]))
        );
        assert_eq!(servers(json!({"paths": {}})), None);
    }

    #[test]
    fn security_definitions_are_security_schemes() {
        let (document, _) = convert_one(swagger(json!({
            "paths": {},
            "securityDefinitions": {
                "basic": {"type": "basic", "description": "Staff."},
                "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
                "implicit": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a/auth", "scopes": {"r": "Read"}},
                "password": {"type": "oauth2", "flow": "password", "tokenUrl": "https://a/token", "scopes": {}},
                "application": {"type": "oauth2", "flow": "application", "tokenUrl": "https://a/token"},
                "accessCode": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a/auth", "tokenUrl": "https://a/token", "scopes": {}}
            }
        })));
        let schemes = &document["components"]["securitySchemes"];
        assert_eq!(
            schemes["basic"],
            json!({"type": "http", "scheme": "basic", "description": "Staff."})
        );
        assert_eq!(
            schemes["key"],
            json!({"type": "apiKey", "name": "X-Key", "in": "header"})
        );
        assert_eq!(
            schemes["implicit"],
            json!({"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "https://a/auth", "scopes": {"r": "Read"}}}})
        );
        assert_eq!(
            schemes["password"]["flows"]["password"],
            json!({"tokenUrl": "https://a/token", "scopes": {}})
        );
        assert_eq!(
            schemes["application"]["flows"]["clientCredentials"],
            json!({"tokenUrl": "https://a/token", "scopes": {}})
        );
        assert_eq!(
            schemes["accessCode"]["flows"]["authorizationCode"],
            json!({"authorizationUrl": "https://a/auth", "tokenUrl": "https://a/token", "scopes": {}})
        );
    }

    #[test]
    fn nullable_file_and_discriminator_keywords_are_the_3_0_ones() {
        let (document, _) = convert_one(swagger(json!({
            "paths": {},
            "definitions": {
                "Pet": {
                    "type": "object",
                    "discriminator": "kind",
                    "properties": {
                        "kind": {"type": "string"},
                        "nick": {"type": "string", "x-nullable": true},
                        "owner": {"$ref": "#/definitions/Person", "x-nullable": true},
                        "photo": {"type": "file"}
                    }
                },
                "Person": {"type": "object"}
            }
        })));
        let pet = &document["components"]["schemas"]["Pet"];
        assert_eq!(pet["discriminator"], json!({"propertyName": "kind"}));
        let properties = &pet["properties"];
        assert_eq!(
            properties["nick"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            properties["owner"],
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/Person"}]})
        );
        assert_eq!(
            properties["photo"],
            json!({"type": "string", "format": "binary"})
        );
    }

    #[test]
    fn collection_formats_are_styles() {
        let parameter = |location: &str, format: Option<&str>| {
            let mut parameter = json!({"name": "ids", "in": location, "type": "array", "items": {"type": "integer"}});
            if location == "path" {
                parameter["required"] = json!(true);
            }
            if let Some(format) = format {
                parameter["collectionFormat"] = json!(format);
            }
            let (document, converted) = convert_one(swagger(json!({
                "paths": {"/a/{ids}": {"get": {"parameters": [parameter], "responses": {"204": {"description": "."}}}}}
            })));
            let converted_parameter = document["paths"]["/a/{ids}"]["get"]["parameters"][0].clone();
            assert_eq!(
                converted_parameter["schema"],
                json!({"type": "array", "items": {"type": "integer"}})
            );
            let style = (
                converted_parameter.get("style").cloned(),
                converted_parameter.get("explode").cloned(),
            );
            (style, converted.diagnostics.len())
        };
        let style = |style: &str, explode: bool| ((Some(json!(style)), Some(json!(explode))), 0);
        assert_eq!(parameter("query", None), style("form", false));
        assert_eq!(parameter("query", Some("csv")), style("form", false));
        assert_eq!(parameter("query", Some("multi")), style("form", true));
        assert_eq!(
            parameter("query", Some("ssv")),
            style("spaceDelimited", false)
        );
        assert_eq!(
            parameter("query", Some("pipes")),
            style("pipeDelimited", false)
        );
        assert_eq!(parameter("path", None), ((None, None), 0));
        // No 3.0 style says these: a warning, and the default style.
        assert_eq!(parameter("query", Some("tsv")), ((None, None), 1));
        assert_eq!(parameter("header", Some("pipes")), ((None, None), 1));
    }

    #[test]
    fn form_array_fields_say_their_collection_format_in_the_encoding() {
        let (document, converted) = convert_one(swagger(json!({
            "paths": {"/tags": {"post": {
                "parameters": [
                    {"name": "csv", "in": "formData", "type": "array", "items": {"type": "string"}},
                    {"name": "multi", "in": "formData", "type": "array", "collectionFormat": "multi", "items": {"type": "string"}},
                    {"name": "one", "in": "formData", "type": "string"}
                ],
                "responses": {"204": {"description": "."}}
            }}}
        })));
        let media = &document["paths"]["/tags"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"];
        assert_eq!(
            media["encoding"],
            json!({"csv": {"style": "form", "explode": false}, "multi": {"style": "form", "explode": true}})
        );
        assert!(converted.diagnostics.is_empty());
    }

    #[test]
    fn fragments_are_converted_where_refs_reach_them_and_documents_whole() {
        let root = swagger(json!({
            "paths": {
                "/pets": {
                    "get": {
                        "parameters": [{"$ref": "params.json#/Limit"}],
                        "responses": {
                            "200": {"description": "Pets.", "schema": {"type": "array", "items": {"$ref": "pets.json#/Pet"}}},
                            "default": {"$ref": "common.json#/responses/Problem"}
                        }
                    },
                    "post": {
                        "parameters": [{"$ref": "params.json#/NewPet"}],
                        "responses": {"422": {"description": "No.", "schema": {"$ref": "common.json#/definitions/Problem"}}}
                    }
                },
                "/owners": {"$ref": "owners.json"},
                "/tags": {"post": {
                    "parameters": [{"$ref": "params.json#/NewTag"}],
                    "responses": {"204": {"description": "Added."}}
                }}
            }
        }));
        let pets = json!({
            "Pet": {"type": "object", "properties": {"nick": {"type": "string", "x-nullable": true}, "tag": {"$ref": "#/Tag"}}},
            "Tag": {"type": "file"},
            "Unused": {"type": "file"}
        });
        let params = json!({
            "Limit": {"name": "limit", "in": "query", "type": "integer"},
            "NewPet": {"name": "pet", "in": "body", "required": true, "schema": {"$ref": "pets.json#/Pet"}},
            "NewTag": {"name": "tag", "in": "body", "schema": {"type": "string", "x-nullable": true}}
        });
        let common = swagger(json!({
            "paths": {},
            "definitions": {"Problem": {"type": "object"}},
            "responses": {"Problem": {"description": "A problem.", "schema": {"$ref": "#/definitions/Problem"}}}
        }));
        let owners = json!({"get": {"responses": {"200": {"description": "Owners.", "schema": {"type": "array"}}}}});
        let (values, converted) = convert_files(vec![
            ("api.json", root),
            ("pets.json", pets),
            ("params.json", params),
            ("common.json", common),
            ("owners.json", owners),
        ]);
        let [api, pets, params, common, owners] = &values[..] else {
            unreachable!()
        };
        let get = &api["paths"]["/pets"]["get"];
        assert_eq!(get["parameters"], json!([{"$ref": "params.json#/Limit"}]));
        assert_eq!(
            get["responses"]["default"],
            json!({"$ref": "common.json#/components/responses/Problem"})
        );
        let post = &api["paths"]["/pets"]["post"];
        assert_eq!(
            post["requestBody"],
            json!({"required": true, "content": {"application/json": {"schema": {"$ref": "pets.json#/Pet"}}}})
        );
        assert_eq!(
            post["responses"]["422"]["content"]["application/json"]["schema"],
            json!({"$ref": "common.json#/components/schemas/Problem"})
        );
        // A body schema written inline in a fragment is referred to there.
        assert_eq!(
            api["paths"]["/tags"]["post"]["requestBody"]["content"]["application/json"]["schema"],
            json!({"$ref": "params.json#/NewTag/schema"})
        );
        assert_eq!(
            params["NewTag"]["schema"],
            json!({"type": "string", "nullable": true})
        );
        // Fragments keep their pointers; only what refs reach is converted.
        assert_eq!(
            pets["Pet"]["properties"]["nick"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(pets["Tag"], json!({"type": "string", "format": "binary"}));
        assert_eq!(pets["Unused"], json!({"type": "file"}));
        assert_eq!(
            params["Limit"],
            json!({"name": "limit", "in": "query", "schema": {"type": "integer"}})
        );
        assert_eq!(
            converted.origins[&FileId(2)].source("/Limit/schema"),
            Some("/Limit".to_owned())
        );
        assert_eq!(
            common["components"]["responses"]["Problem"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/Problem"})
        );
        assert_eq!(
            owners["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"type": "array"})
        );
    }

    #[test]
    fn what_is_no_2_0_object_is_kept_for_the_model_to_report() {
        let (document, _) = convert_one(swagger(json!({
            "paths": {
                "/a": {"get": {
                    "parameters": [5, {"name": "q", "in": "query", "type": "string"}],
                    "responses": []
                }},
                "/b": "nothing"
            },
            "definitions": {"A": {"type": "object", "properties": {"b": 7}}}
        })));
        let get = &document["paths"]["/a"]["get"];
        assert_eq!(get["parameters"][0], 5);
        assert_eq!(get["parameters"][1]["schema"], json!({"type": "string"}));
        assert_eq!(get["responses"], json!([]));
        assert_eq!(document["paths"]["/b"], "nothing");
        assert_eq!(document["components"]["schemas"]["A"]["properties"]["b"], 7);
    }

    #[test]
    fn origins_map_the_longest_moved_prefix() {
        let mut origins = Origins::default();
        origins.record("/a".into(), "/x");
        origins.record("/a/b/c".into(), "/y");
        origins.record("/same".into(), "/same");
        assert_eq!(origins.source("/a/b/c/d"), Some("/y/d".into()));
        assert_eq!(origins.source("/a/b/cd"), Some("/x/b/cd".into()));
        assert_eq!(origins.source("/a"), Some("/x".into()));
        assert_eq!(origins.source("/ab"), None);
        assert_eq!(origins.source("/same/q"), None);
        assert_eq!(origins.source(""), None);
    }
}
