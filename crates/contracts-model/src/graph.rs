//! The OpenAPI object graph: the kinds of object a `$ref` can name, where
//! each sits (`#/components/<section>/<name>`), the name a ref target is
//! known by, and a walk over raw documents that knows what each node is, so
//! refs are told apart by kind (a schema ref vs a response ref) and a
//! property named `responses` is never mistaken for an operation's. The
//! builder resolves refs by these kinds and names; merge's bundling and
//! renaming walk with [`Walker`].

use std::path::PathBuf;

use serde_json::{Map, Value};

use crate::contract::Method;
use crate::keywords::{self, Subschemas};
use crate::pointer;

/// The kinds of object a `$ref` can point at: the sections of `components`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Schema,
    Response,
    Parameter,
    Example,
    RequestBody,
    Header,
    SecurityScheme,
    Link,
    Callback,
    PathItem,
}

impl Kind {
    /// In the order `components` lists them in the output.
    pub const ALL: [Kind; 10] = [
        Kind::Schema,
        Kind::Response,
        Kind::Parameter,
        Kind::Example,
        Kind::RequestBody,
        Kind::Header,
        Kind::SecurityScheme,
        Kind::Link,
        Kind::Callback,
        Kind::PathItem,
    ];

    /// The `components` section name.
    pub fn section(self) -> &'static str {
        match self {
            Kind::Schema => "schemas",
            Kind::Response => "responses",
            Kind::Parameter => "parameters",
            Kind::Example => "examples",
            Kind::RequestBody => "requestBodies",
            Kind::Header => "headers",
            Kind::SecurityScheme => "securitySchemes",
            Kind::Link => "links",
            Kind::Callback => "callbacks",
            Kind::PathItem => "pathItems",
        }
    }

    pub fn from_section(section: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.section() == section)
    }

    /// `#/components/<section>/<name>`.
    pub fn component_ref(self, name: &str) -> String {
        format!("#/components/{}/{}", self.section(), pointer::escape(name))
    }

    /// Singular, for reports (`schema Address`).
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Schema => "schema",
            Kind::Response => "response",
            Kind::Parameter => "parameter",
            Kind::Example => "example",
            Kind::RequestBody => "request body",
            Kind::Header => "header",
            Kind::SecurityScheme => "security scheme",
            Kind::Link => "link",
            Kind::Callback => "callback",
            Kind::PathItem => "path item",
        }
    }
}

/// The component a pointer names, when it is `/components/<section>/<name>`
/// (`#/components/...` for a ref).
pub fn component_at(pointer_text: &str) -> Option<(Kind, String)> {
    let pointer_text = pointer_text.strip_prefix('#').unwrap_or(pointer_text);
    let segments = pointer::segments(pointer_text).ok()?;
    match <[String; 3]>::try_from(segments) {
        Ok([components, section, name]) if components == "components" => {
            Some((Kind::from_section(&section)?, name))
        }
        _ => None,
    }
}

/// The name a ref target is known by: the last token of its pointer, or
/// the file's stem when the ref names a whole file.
pub fn target_name(pointer_text: &str, file: impl FnOnce() -> PathBuf) -> String {
    match pointer_text.rsplit('/').next() {
        Some(last) if !pointer_text.is_empty() => pointer::unescape(last).unwrap_or_default(),
        _ => file()
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default(),
    }
}

/// A `discriminator.mapping` target: the spec allows a bare schema name
/// (`Cat` for the root document's `#/components/schemas/Cat`) as well as a
/// reference.
pub enum MappingTarget<'t> {
    Ref(&'t str),
    Name(&'t str),
}

impl<'t> MappingTarget<'t> {
    pub fn of(target: &'t str) -> Self {
        if target.contains(['#', '/', '.']) {
            MappingTarget::Ref(target)
        } else {
            MappingTarget::Name(target)
        }
    }
}

/// What the walk reports. `pointer` is the JSON pointer of the node in the
/// walked value, for messages.
pub trait Visitor {
    /// A `$ref` string of an object of `kind`; may be rewritten in place.
    fn reference(&mut self, kind: Kind, reference: &mut String, pointer: &str);
    /// A `discriminator.mapping` reference; `false` drops the entry.
    fn mapping_ref(&mut self, reference: &mut String, pointer: &str) -> bool {
        self.reference(Kind::Schema, reference, pointer);
        true
    }
    /// A bare schema name in `discriminator.mapping` (`Cat` for
    /// `#/components/schemas/Cat`); `false` drops the entry.
    fn mapping_name(&mut self, name: &mut String, pointer: &str) -> bool {
        let _ = (name, pointer);
        true
    }
    /// A schema object (not a boolean schema), before its subschemas are walked.
    fn schema(&mut self, schema: &mut Map<String, Value>, pointer: &str) {
        let _ = (schema, pointer);
    }
    /// A boolean schema (`true` / `false`).
    fn boolean_schema(&mut self, pointer: &str) {
        let _ = pointer;
    }
}

/// What a node is: a component kind, or one of the objects that hold them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    Component(Kind),
    Operation,
    MediaType,
    Encoding,
}

pub struct Walker<'v, V: Visitor> {
    visitor: &'v mut V,
    pointer: String,
}

impl<'v, V: Visitor> Walker<'v, V> {
    pub fn new(visitor: &'v mut V, pointer: &str) -> Self {
        Walker {
            visitor,
            pointer: pointer.to_owned(),
        }
    }

    /// Walks one object of a known kind.
    pub fn component(&mut self, kind: Kind, value: &mut Value) {
        self.walk(Node::Component(kind), value);
    }

    fn within(&mut self, segment: &str, f: impl FnOnce(&mut Self)) {
        let length = self.pointer.len();
        self.pointer.push('/');
        self.pointer.push_str(&pointer::escape(segment));
        f(self);
        self.pointer.truncate(length);
    }

    fn child(&mut self, segment: &str, value: &mut Value, node: Node) {
        self.within(segment, |walker| walker.walk(node, value));
    }

    fn map_of(&mut self, segment: &str, value: &mut Value, node: Node) {
        self.within(segment, |walker| {
            if let Some(map) = value.as_object_mut() {
                for (key, entry) in map.iter_mut() {
                    if !key.starts_with("x-") {
                        walker.child(key, entry, node);
                    }
                }
            }
        });
    }

    fn list_of(&mut self, segment: &str, value: &mut Value, node: Node) {
        self.within(segment, |walker| {
            if let Some(items) = value.as_array_mut() {
                for (index, item) in items.iter_mut().enumerate() {
                    walker.child(&index.to_string(), item, node);
                }
            }
        });
    }

    /// Walks one node of a known kind.
    pub fn walk(&mut self, node: Node, value: &mut Value) {
        if let Node::Component(Kind::Schema) = node {
            return self.schema(value);
        }
        let Some(map) = value.as_object_mut() else {
            return;
        };
        if let (Node::Component(kind), Some(Value::String(reference))) = (node, map.get_mut("$ref"))
        {
            let pointer = format!("{}/$ref", self.pointer);
            self.visitor.reference(kind, reference, &pointer);
            return;
        }
        for (key, value) in map.iter_mut() {
            let next = match (node, key.as_str()) {
                (Node::Component(Kind::PathItem), method) if Method::from_key(method).is_some() => {
                    Some(Node::Operation)
                }
                (Node::Component(Kind::PathItem) | Node::Operation, "parameters") => {
                    self.list_of(key, value, Node::Component(Kind::Parameter));
                    None
                }
                (Node::Operation, "requestBody") => Some(Node::Component(Kind::RequestBody)),
                (Node::Operation, "responses") => {
                    self.map_of(key, value, Node::Component(Kind::Response));
                    None
                }
                (Node::Operation, "callbacks") => {
                    self.map_of(key, value, Node::Component(Kind::Callback));
                    None
                }
                (Node::Component(Kind::Callback), _) => Some(Node::Component(Kind::PathItem)),
                (Node::Component(Kind::Parameter | Kind::Header) | Node::MediaType, "schema") => {
                    Some(Node::Component(Kind::Schema))
                }
                (
                    Node::Component(
                        Kind::Parameter | Kind::Header | Kind::RequestBody | Kind::Response,
                    ),
                    "content",
                ) => {
                    self.map_of(key, value, Node::MediaType);
                    None
                }
                (Node::Component(Kind::Parameter | Kind::Header) | Node::MediaType, "examples") => {
                    self.map_of(key, value, Node::Component(Kind::Example));
                    None
                }
                (Node::Component(Kind::Response) | Node::Encoding, "headers") => {
                    self.map_of(key, value, Node::Component(Kind::Header));
                    None
                }
                (Node::Component(Kind::Response), "links") => {
                    self.map_of(key, value, Node::Component(Kind::Link));
                    None
                }
                (Node::MediaType, "encoding") => {
                    self.map_of(key, value, Node::Encoding);
                    None
                }
                _ => None,
            };
            if let Some(next) = next {
                self.child(key, value, next);
            }
        }
    }

    fn schema(&mut self, value: &mut Value) {
        let map = match value {
            Value::Object(map) => map,
            Value::Bool(_) => return self.visitor.boolean_schema(&self.pointer),
            _ => return,
        };
        // The visitor may reshape the schema first (a nullable `$ref`
        // becomes `anyOf: [$ref, null]`), so a `$ref` it moves into a
        // subschema is visited there, once.
        self.visitor.schema(map, &self.pointer);
        if let Some(Value::String(reference)) = map.get_mut("$ref") {
            let pointer = format!("{}/$ref", self.pointer);
            self.visitor.reference(Kind::Schema, reference, &pointer);
        }
        for (key, value) in map.iter_mut() {
            let key = key.as_str();
            match keywords::subschemas(key, value) {
                Some(Subschemas::One) => self.child(key, value, Node::Component(Kind::Schema)),
                Some(Subschemas::List) => self.list_of(key, value, Node::Component(Kind::Schema)),
                Some(Subschemas::Map) => self.within(key, |walker| {
                    if let Some(entries) = value.as_object_mut() {
                        for (name, entry) in entries.iter_mut() {
                            walker.child(name, entry, Node::Component(Kind::Schema));
                        }
                    }
                }),
                None if key == "discriminator" => self.discriminator(value),
                None => {}
            }
        }
    }

    fn discriminator(&mut self, value: &mut Value) {
        self.within("discriminator", |walker| {
            let Some(Value::Object(mapping)) = value.get_mut("mapping") else {
                return;
            };
            walker.within("mapping", |walker| {
                mapping.retain(|tag, target| {
                    let Value::String(target) = target else {
                        return true;
                    };
                    let pointer = format!("{}/{}", walker.pointer, pointer::escape(tag));
                    match MappingTarget::of(target) {
                        MappingTarget::Ref(_) => walker.visitor.mapping_ref(target, &pointer),
                        MappingTarget::Name(_) => walker.visitor.mapping_name(target, &pointer),
                    }
                });
            });
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Default)]
    struct Collect(Vec<(Kind, String, String)>);

    impl Visitor for Collect {
        fn reference(&mut self, kind: Kind, reference: &mut String, pointer: &str) {
            self.0.push((kind, reference.clone(), pointer.to_owned()));
            reference.insert_str(0, "seen:");
        }
        fn mapping_name(&mut self, name: &mut String, pointer: &str) -> bool {
            self.0
                .push((Kind::Schema, name.clone(), pointer.to_owned()));
            true
        }
    }

    #[test]
    fn refs_are_classified_by_position_not_by_name() {
        let mut document = json!({
            "paths": {"/a": {
                "parameters": [{"$ref": "#/p"}],
                "get": {
                    "requestBody": {"$ref": "#/rb"},
                    "responses": {"200": {"$ref": "#/r"}, "201": {
                        "headers": {"X": {"$ref": "#/h"}},
                        "links": {"l": {"$ref": "#/l"}},
                        "content": {"application/json": {
                            "schema": {"type": "object", "properties": {
                                "responses": {"$ref": "#/s1"},
                                "items": {"type": "array", "items": {"$ref": "#/s2"}}
                            }, "discriminator": {"propertyName": "k", "mapping": {"a": "A", "b": "#/s3"}}},
                            "examples": {"e": {"$ref": "#/e"}}
                        }}
                    }},
                    "callbacks": {"cb": {"$ref": "#/cb"}}
                }
            }},
            "components": {"securitySchemes": {"k": {"$ref": "#/ss"}}}
        });
        let mut collect = Collect::default();
        Walker::new(&mut collect, "/paths/~1a")
            .component(Kind::PathItem, &mut document["paths"]["/a"]);
        let scheme = &mut document["components"]["securitySchemes"]["k"];
        Walker::new(&mut collect, "/components/securitySchemes/k")
            .component(Kind::SecurityScheme, scheme);
        let found: Vec<(Kind, &str)> = collect.0.iter().map(|(k, r, _)| (*k, r.as_str())).collect();
        assert_eq!(
            found,
            [
                (Kind::Parameter, "#/p"),
                (Kind::RequestBody, "#/rb"),
                (Kind::Response, "#/r"),
                (Kind::Header, "#/h"),
                (Kind::Link, "#/l"),
                (Kind::Schema, "#/s1"),
                (Kind::Schema, "#/s2"),
                (Kind::Schema, "A"),
                (Kind::Schema, "#/s3"),
                (Kind::Example, "#/e"),
                (Kind::Callback, "#/cb"),
                (Kind::SecurityScheme, "#/ss"),
            ]
        );
        assert_eq!(
            collect.0[5].2,
            "/paths/~1a/get/responses/201/content/application~1json/schema/properties/responses/$ref"
        );
        assert_eq!(
            document["paths"]["/a"]["get"]["requestBody"]["$ref"],
            "seen:#/rb"
        );
    }

    #[test]
    fn component_pointers_round_trip_and_only_name_components() {
        let reference = Kind::RequestBody.component_ref("a/b~c");
        assert_eq!(reference, "#/components/requestBodies/a~1b~0c");
        assert_eq!(
            component_at(&reference),
            Some((Kind::RequestBody, "a/b~c".to_owned()))
        );
        assert_eq!(
            component_at("/components/schemas/S"),
            Some((Kind::Schema, "S".to_owned()))
        );
        assert_eq!(component_at("#/components/schemas/S/properties/x"), None);
        assert_eq!(component_at("#/components/widgets/S"), None);
        assert_eq!(component_at("#/definitions/S"), None);
    }

    #[test]
    fn targets_are_named_by_their_last_token_or_their_file() {
        let file = || PathBuf::from("common/money.yaml");
        assert_eq!(target_name("/Money/properties/a~1b", file), "a/b");
        assert_eq!(target_name("", file), "money");
        assert!(matches!(
            MappingTarget::of("Cat"),
            MappingTarget::Name("Cat")
        ));
        assert!(matches!(
            MappingTarget::of("cat.yaml"),
            MappingTarget::Ref(_)
        ));
    }
}
