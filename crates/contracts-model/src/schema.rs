//! JSON Schema as OpenAPI 3.0 and 3.1 use it, normalized to one form.
//!
//! The normal form follows 3.1 (JSON Schema 2020-12); ARCHITECTURE.md has the
//! full 3.0 -> model table. In short: `nullable: true` becomes
//! `nullable = true`, a type array `[T, "null"]` becomes `types = {T}` with
//! `nullable = true`, boolean `exclusiveMinimum` moves the bound into
//! `exclusive_minimum`, `example` joins `examples`.

use indexmap::IndexMap;
use serde_json::{Number, Value};

use crate::{Loc, SchemaId};

/// A schema position: a reference to a named schema, a boolean schema
/// (`true` accepts anything, `false` nothing) or an inline schema.
#[derive(Debug, Clone, PartialEq)]
pub enum Schema {
    Ref(SchemaId),
    Bool(bool),
    Object(Box<SchemaObject>),
}

impl Schema {
    /// The schema that accepts anything (`{}` or `true`).
    pub fn any() -> Self {
        Schema::Bool(true)
    }

    pub fn as_object(&self) -> Option<&SchemaObject> {
        match self {
            Schema::Object(object) => Some(object),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Type {
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
    Null,
}

impl Type {
    pub fn parse(name: &str) -> Option<Type> {
        Some(match name {
            "string" => Type::String,
            "number" => Type::Number,
            "integer" => Type::Integer,
            "boolean" => Type::Boolean,
            "object" => Type::Object,
            "array" => Type::Array,
            "null" => Type::Null,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Type::String => "string",
            Type::Number => "number",
            Type::Integer => "integer",
            Type::Boolean => "boolean",
            Type::Object => "object",
            Type::Array => "array",
            Type::Null => "null",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Discriminator {
    pub property_name: String,
    /// Tag value -> schema; bare schema names are resolved to components.
    pub mapping: IndexMap<String, SchemaId>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SchemaObject {
    pub loc: Loc,
    /// Allowed types, in document order; empty means unconstrained.
    /// `Null` appears here only when it is the sole type.
    pub types: Vec<Type>,
    /// `null` is accepted besides `types` (3.0 `nullable`, 3.1 `"null"` in a type array).
    pub nullable: bool,
    pub format: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// Boxed, like the other rarely-set keywords: real specs hold tens of
    /// thousands of schema objects, so their size is the model's size.
    pub default: Option<Box<Value>>,
    /// 3.0 `example` and 3.1 `examples`, in that order.
    pub examples: Vec<Value>,
    pub enum_values: Option<Vec<Value>>,
    pub const_value: Option<Box<Value>>,
    pub deprecated: bool,
    pub read_only: bool,
    pub write_only: bool,

    pub properties: IndexMap<String, Schema>,
    pub required: Vec<String>,
    /// `None` when absent (anything allowed), `Some(Bool(false))` for a closed object.
    pub additional_properties: Option<Schema>,

    pub items: Option<Schema>,
    pub prefix_items: Vec<Schema>,

    pub content_media_type: Option<String>,
    pub content_encoding: Option<String>,

    /// Value constraints (bounds, lengths, pattern); `None` when the schema sets none.
    pub constraints: Option<Box<Constraints>>,

    pub all_of: Vec<Schema>,
    pub one_of: Vec<Schema>,
    pub any_of: Vec<Schema>,
    pub not: Option<Schema>,
    pub discriminator: Option<Box<Discriminator>>,

    /// `x-` keys, in document order (`None` when there are none).
    pub extensions: Option<Box<IndexMap<String, Value>>>,
    /// Other JSON Schema keywords (`$defs`, `if`, `patternProperties`, `xml`, ...), kept verbatim.
    pub other: Option<Box<IndexMap<String, Value>>>,
    /// The schemas inside other JSON Schema keywords, by keyword (`if`,
    /// `contains`, ...) or keyword and entry (`patternProperties/^x-`,
    /// `$defs/Name`): built like any schema, so their refs resolve and their
    /// faults are reported. Their raw JSON stays in `other`.
    pub subschemas: Option<Box<IndexMap<String, Schema>>>,
}

/// The validation keywords, kept apart because most schemas set none of them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Constraints {
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<String>,
    pub minimum: Option<Number>,
    pub maximum: Option<Number>,
    pub exclusive_minimum: Option<Number>,
    pub exclusive_maximum: Option<Number>,
    pub multiple_of: Option<Number>,
}

impl SchemaObject {
    /// The constraints, or none set.
    pub fn constraints(&self) -> &Constraints {
        static NONE: Constraints = Constraints {
            min_properties: None,
            max_properties: None,
            min_items: None,
            max_items: None,
            unique_items: false,
            min_length: None,
            max_length: None,
            pattern: None,
            minimum: None,
            maximum: None,
            exclusive_minimum: None,
            exclusive_maximum: None,
            multiple_of: None,
        };
        self.constraints.as_deref().unwrap_or(&NONE)
    }

    pub fn is_required(&self, property: &str) -> bool {
        self.required.iter().any(|name| name == property)
    }

    /// Whether a response always carries the property: it is required, or
    /// has a `default` the server fills in (openapi-typescript's reading,
    /// which `gen --ts` follows and MSW mocks must fit).
    pub fn is_sent(&self, property: &str) -> bool {
        self.is_required(property)
            || (self.properties.get(property))
                .and_then(Schema::as_object)
                .is_some_and(|object| object.default.is_some())
    }

    pub fn has_type(&self, ty: Type) -> bool {
        self.types.contains(&ty)
    }

    /// Whether the schema describes an object's members: properties,
    /// `additionalProperties` or required names.
    pub fn has_object_shape(&self) -> bool {
        !self.properties.is_empty()
            || self.additional_properties.is_some()
            || !self.required.is_empty()
    }

    /// Whether its values are objects as the generated types see it:
    /// `type: object`, or no `type` and an object shape.
    pub fn is_object_type(&self) -> bool {
        self.has_type(Type::Object) || (self.types.is_empty() && self.has_object_shape())
    }
}
