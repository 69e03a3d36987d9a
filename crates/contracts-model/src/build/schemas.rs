//! Schema objects: keywords into [`SchemaObject`] fields, subschemas,
//! 3.0/3.1 differences (`nullable`, `type` arrays, exclusive bounds, unknown
//! 3.0 keywords) and discriminators.

use contracts_diagnostics::{Diagnostic, Severity};
use indexmap::IndexMap;
use serde_json::{Map, Number, Value};

use super::{At, Builder};
use crate::codes;
use crate::contract::*;
use crate::graph::{Kind, MappingTarget};
use crate::keywords::{self, Subschemas, is_annotation};
use crate::schema::{Constraints, Discriminator, Schema, SchemaObject, Type};

impl Builder<'_> {
    pub(super) fn schema(&mut self, value: &Value, at: &At) -> Schema {
        match value {
            Value::Object(map) => match map.get("$ref") {
                Some(Value::String(reference)) => {
                    let target = self
                        .locate_ref(reference, at)
                        .map(|target| self.schema_id(target.at.file, target.at.pointer));
                    let Some(id) = target else {
                        return Schema::any();
                    };
                    // 3.1 (JSON Schema 2020-12) applies keywords beside `$ref`; 3.0 ignores them.
                    // Of the annotations, `deprecated` is kept: `diff` reports it and
                    // the generators mark it, as they would on the target itself.
                    let siblings = map
                        .keys()
                        .any(|key| key != "$ref" && (!is_annotation(key) || key == "deprecated"));
                    if self.version == Version::V3_0 {
                        self.unknown_3_0_keywords(map, at);
                    }
                    if self.version == Version::V3_1 && siblings {
                        let mut object = self.schema_object(map, at);
                        object.all_of.insert(0, Schema::Ref(id));
                        Schema::Object(Box::new(object))
                    } else {
                        Schema::Ref(id)
                    }
                }
                Some(other) => {
                    self.wrong_type(&at.child("$ref"), "a string", other);
                    Schema::any()
                }
                None => Schema::Object(Box::new(self.schema_object(map, at))),
            },
            Value::Bool(flag) => {
                if self.version == Version::V3_0 {
                    self.warn(
                        codes::BOOLEAN_SCHEMA_IN_3_0,
                        at,
                        format!(
                            "boolean schema `{flag}` is OpenAPI 3.1; read as {}",
                            if *flag { "any value" } else { "no value" }
                        ),
                    );
                }
                Schema::Bool(*flag)
            }
            Value::Null => {
                self.warn(
                    codes::NULL_SCHEMA,
                    at,
                    "schema is `null`; read as `{}` (any value)",
                );
                Schema::any()
            }
            other => {
                self.wrong_type(at, "a schema object", other);
                Schema::any()
            }
        }
    }

    fn schema_list(&mut self, map: &Map<String, Value>, key: &str, at: &At) -> Vec<Schema> {
        let Some(items) = self.array(map, key, at) else {
            return Vec::new();
        };
        let at = at.child(key);
        items
            .iter()
            .enumerate()
            .map(|(index, item)| self.schema(item, &at.index(index)))
            .collect()
    }

    /// Warns about each key of a 3.0 schema object that is no Schema Object
    /// field (nor `$ref`, nor `x-`): 3.0 allows no others.
    fn unknown_3_0_keywords(&mut self, map: &Map<String, Value>, at: &At) {
        for (key, value) in map {
            if keywords::SCHEMA_FIELDS_3_0.contains(&key.as_str()) || key.starts_with("x-") {
                continue;
            }
            let beside_ref = map.contains_key("$ref");
            let meaning = if beside_ref {
                "beside `$ref` it is ignored"
            } else if keywords::JSON_SCHEMA_KEYWORDS_READ.contains(&key.as_str())
                || keywords::subschemas(key, value).is_some()
            {
                "read as JSON Schema 2020-12 reads it"
            } else {
                "it is ignored"
            };
            self.warn(
                codes::UNKNOWN_SCHEMA_KEYWORD,
                &at.child(key),
                format!("`{key}` is not an OpenAPI 3.0 schema field (extensions start with `x-`); {meaning}"),
            );
        }
    }

    fn schema_object(&mut self, map: &Map<String, Value>, at: &At) -> SchemaObject {
        let mut object = SchemaObject {
            loc: at.loc(),
            ..SchemaObject::default()
        };
        if self.version == Version::V3_0 {
            self.unknown_3_0_keywords(map, at);
        }
        for (key, value) in map {
            self.keyword(map, key, value, at, &mut object);
        }
        if map.contains_key("exclusiveMinimum") || map.contains_key("exclusiveMaximum") {
            self.exclusive_bounds(map, at, &mut object);
        }
        self.check_nullable_without_type(&object, at);
        self.check_required_declared(&object, at);
        object
    }

    /// Reads one keyword of a schema object into `object`.
    fn keyword(
        &mut self,
        map: &Map<String, Value>,
        key: &str,
        value: &Value,
        at: &At,
        object: &mut SchemaObject,
    ) {
        let v3_0 = self.version == Version::V3_0;
        let key_at = || at.child(key);
        match key {
            "type" => self.schema_types(value, &key_at(), object),
            "nullable" => {
                if let Some(flag) = self.boolean(map, key, at) {
                    if !v3_0 {
                        self.warn(
                            codes::NULLABLE_IN_3_1,
                            &key_at(),
                            "`nullable` is OpenAPI 3.0; in 3.1 add \"null\" to `type`. Read as 3.0",
                        );
                    }
                    object.nullable |= flag;
                }
            }
            "format" => object.format = self.string(map, key, at),
            "title" => object.title = self.string(map, key, at),
            "description" => object.description = self.string(map, key, at),
            "default" => object.default = Some(Box::new(value.clone())),
            "example" => object.examples.insert(0, value.clone()),
            "examples" => match value {
                Value::Array(items) => object.examples.extend(items.iter().cloned()),
                other => self.wrong_type(&key_at(), "an array", other),
            },
            "enum" => object.enum_values = self.array(map, key, at).cloned(),
            "const" => object.const_value = Some(Box::new(value.clone())),
            "deprecated" => object.deprecated = self.boolean(map, key, at).unwrap_or(false),
            "readOnly" => object.read_only = self.boolean(map, key, at).unwrap_or(false),
            "writeOnly" => object.write_only = self.boolean(map, key, at).unwrap_or(false),
            "properties" => {
                let properties_at = key_at();
                if let Some(properties) = self.object(value, &properties_at) {
                    for (name, property) in properties {
                        let schema = self.schema(property, &properties_at.child(name));
                        object.properties.insert(name.clone(), schema);
                    }
                }
            }
            "required" => object.required = self.strings(map, key, at),
            "additionalProperties" => {
                object.additional_properties = Some(self.schema_or_bool(value, &key_at()))
            }
            "minProperties" => limits(object).min_properties = self.count(map, key, at),
            "maxProperties" => limits(object).max_properties = self.count(map, key, at),
            "items" => match value {
                // Draft-4 tuple form: the meaning of 2020-12 `prefixItems`.
                Value::Array(_) => object.prefix_items = self.schema_list(map, key, at),
                _ => object.items = Some(self.schema_or_bool(value, &key_at())),
            },
            "prefixItems" => object.prefix_items = self.schema_list(map, key, at),
            "minItems" => limits(object).min_items = self.count(map, key, at),
            "maxItems" => limits(object).max_items = self.count(map, key, at),
            "uniqueItems" => {
                limits(object).unique_items = self.boolean(map, key, at).unwrap_or(false)
            }
            "minLength" => limits(object).min_length = self.count(map, key, at),
            "maxLength" => limits(object).max_length = self.count(map, key, at),
            "pattern" => limits(object).pattern = self.string(map, key, at),
            "contentMediaType" => object.content_media_type = self.string(map, key, at),
            "contentEncoding" => object.content_encoding = self.string(map, key, at),
            "minimum" => limits(object).minimum = self.number(map, key, at),
            "maximum" => limits(object).maximum = self.number(map, key, at),
            "multipleOf" => limits(object).multiple_of = self.number(map, key, at),
            "exclusiveMinimum" | "exclusiveMaximum" => {} // after the loop: they depend on minimum/maximum
            "allOf" => object.all_of = self.schema_list(map, key, at),
            "oneOf" => object.one_of = self.schema_list(map, key, at),
            "anyOf" => object.any_of = self.schema_list(map, key, at),
            "not" => object.not = Some(self.schema_or_bool(value, &key_at())),
            "discriminator" => {
                object.discriminator = self.discriminator(value, &key_at()).map(Box::new)
            }
            _ => self.unnamed_keyword(key, value, at, object),
        }
    }

    /// A keyword the model has no field for: an extension, a JSON Schema
    /// subschema keyword (read as schemas and kept as written), or another
    /// keyword kept as written.
    fn unnamed_keyword(&mut self, key: &str, value: &Value, at: &At, object: &mut SchemaObject) {
        if key.starts_with("x-") {
            object
                .extensions
                .get_or_insert_default()
                .insert(key.to_owned(), value.clone());
            return;
        }
        match keywords::subschemas(key, value) {
            Some(Subschemas::One) => {
                let schema = self.schema_or_bool(value, &at.child(key));
                object
                    .subschemas
                    .get_or_insert_default()
                    .insert(key.to_owned(), schema);
            }
            Some(Subschemas::Map) => {
                let entries_at = at.child(key);
                if let Some(entries) = self.object(value, &entries_at) {
                    for (name, entry) in entries {
                        let schema = self.schema_or_bool(entry, &entries_at.child(name));
                        object
                            .subschemas
                            .get_or_insert_default()
                            .insert(format!("{key}/{name}"), schema);
                    }
                }
            }
            // Every list of subschemas is a field of its own (`allOf`, ...,
            // `items` as a tuple), read before this.
            Some(Subschemas::List) | None => {}
        }
        object
            .other
            .get_or_insert_default()
            .insert(key.to_owned(), value.clone());
    }

    /// Normalizes `exclusiveMinimum`/`exclusiveMaximum` once `minimum` and
    /// `maximum` are read: 3.0's booleans move the bound, 3.1's numbers are it.
    fn exclusive_bounds(&mut self, map: &Map<String, Value>, at: &At, object: &mut SchemaObject) {
        let constraints = limits(object);
        let (mut minimum, mut exclusive_minimum) = (
            constraints.minimum.take(),
            constraints.exclusive_minimum.take(),
        );
        let (mut maximum, mut exclusive_maximum) = (
            constraints.maximum.take(),
            constraints.exclusive_maximum.take(),
        );
        self.exclusive_bound(
            map,
            at,
            "exclusiveMinimum",
            "minimum",
            &mut minimum,
            &mut exclusive_minimum,
        );
        self.exclusive_bound(
            map,
            at,
            "exclusiveMaximum",
            "maximum",
            &mut maximum,
            &mut exclusive_maximum,
        );
        let constraints = limits(object);
        (constraints.minimum, constraints.exclusive_minimum) = (minimum, exclusive_minimum);
        (constraints.maximum, constraints.exclusive_maximum) = (maximum, exclusive_maximum);
    }

    fn check_nullable_without_type(&mut self, object: &SchemaObject, at: &At) {
        let v3_0 = self.version == Version::V3_0;
        if object.nullable
            && object.types.is_empty()
            && v3_0
            && object.all_of.is_empty()
            && object.one_of.is_empty()
            && object.any_of.is_empty()
        {
            self.warn(
                codes::NULLABLE_WITHOUT_TYPE,
                &at.child("nullable"),
                "`nullable: true` without `type` has no effect in OpenAPI 3.0; read as \"any value or null\"",
            );
        }
    }

    fn check_required_declared(&mut self, object: &SchemaObject, at: &At) {
        for (index, name) in object.required.iter().enumerate() {
            let declares_properties = object.types == [Type::Object]
                && object.additional_properties == Some(Schema::Bool(false));
            if declares_properties && !object.properties.contains_key(name) {
                let at = at.child("required").index(index);
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::REQUIRED_PROPERTY_UNDEFINED,
                        format!("required property `{name}` is not in `properties` and `additionalProperties` is false"),
                    )
                    .at(self.location(&at)),
                );
            }
        }
    }

    fn schema_or_bool(&mut self, value: &Value, at: &At) -> Schema {
        match value {
            Value::Bool(flag) => Schema::Bool(*flag),
            other => self.schema(other, at),
        }
    }

    fn schema_types(&mut self, value: &Value, at: &At, object: &mut SchemaObject) {
        let names: Vec<(&str, At)> = match value {
            Value::String(name) => vec![(name.as_str(), at.clone())],
            Value::Array(items) => {
                if self.version == Version::V3_0 {
                    self.warn(
                        codes::TYPE_ARRAY_IN_3_0,
                        at,
                        "a `type` array is OpenAPI 3.1; read as 3.1",
                    );
                }
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(index, item)| match item {
                        Value::String(name) => Some((name.as_str(), at.index(index))),
                        other => {
                            self.wrong_type(&at.index(index), "a type name", other);
                            None
                        }
                    })
                    .collect()
            }
            other => {
                self.wrong_type(at, "a type name or an array of them", other);
                return;
            }
        };
        for (name, name_at) in names {
            match Type::parse(name) {
                Some(Type::Null) => {
                    if self.version == Version::V3_0 {
                        self.warn(
                            codes::TYPE_NULL_IN_3_0,
                            &name_at,
                            "`type: 'null'` is OpenAPI 3.1; in 3.0 use `nullable: true`. Read as nullable",
                        );
                    }
                    object.nullable = true;
                }
                Some(ty) if !object.types.contains(&ty) => object.types.push(ty),
                Some(_) => {}
                None => self.error(
                    codes::SCHEMA_INVALID_TYPE,
                    &name_at,
                    format!("`{name}` is not a JSON Schema type (string, number, integer, boolean, object, array, null)"),
                ),
            }
        }
        // Only-null stays a type; otherwise null is the `nullable` flag.
        if object.types.is_empty() && object.nullable {
            object.types.push(Type::Null);
            object.nullable = false;
        }
    }

    /// Normalizes 3.0's boolean exclusive bounds and 3.1's numeric ones to the numeric form.
    fn exclusive_bound(
        &mut self,
        map: &Map<String, Value>,
        at: &At,
        key: &str,
        bound_key: &str,
        bound: &mut Option<Number>,
        exclusive: &mut Option<Number>,
    ) {
        let Some(value) = map.get(key) else { return };
        let key_at = at.child(key);
        match value {
            Value::Bool(flag) => {
                if self.version == Version::V3_1 {
                    self.warn(
                        codes::EXCLUSIVE_BOUND_FORM,
                        &key_at,
                        format!(
                            "boolean `{key}` is OpenAPI 3.0; in 3.1 it holds the bound. Read as 3.0"
                        ),
                    );
                }
                if *flag {
                    match bound.take() {
                        Some(number) => *exclusive = Some(number),
                        None => self.error(
                            codes::MISSING_FIELD,
                            &key_at,
                            format!("`{key}: true` needs a `{bound_key}` to apply to"),
                        ),
                    }
                }
            }
            Value::Number(number) => {
                if self.version == Version::V3_0 {
                    self.warn(
                        codes::EXCLUSIVE_BOUND_FORM,
                        &key_at,
                        format!("numeric `{key}` is OpenAPI 3.1; in 3.0 it is a boolean beside `{bound_key}`. Read as 3.1"),
                    );
                }
                *exclusive = Some(number.clone());
            }
            other => self.wrong_type(&key_at, "a number or a boolean", other),
        }
    }

    fn discriminator(&mut self, value: &Value, at: &At) -> Option<Discriminator> {
        let map = self.object(value, at)?;
        let property_name = self.string(map, "propertyName", at).or_else(|| {
            if !map.contains_key("propertyName") {
                self.error(
                    codes::MISSING_FIELD,
                    at,
                    "missing required field `propertyName` in discriminator",
                );
            }
            None
        })?;
        let mut mapping = IndexMap::new();
        if let Some((entries, mapping_at)) = self.field_object(map, "mapping", at) {
            for (tag, target) in entries {
                let target_at = mapping_at.child(tag);
                let Some(target) = target.as_str() else {
                    self.wrong_type(&target_at, "a schema name or reference", target);
                    continue;
                };
                let (reference, from) = match MappingTarget::of(target) {
                    MappingTarget::Ref(reference) => (reference.to_owned(), target_at.clone()),
                    MappingTarget::Name(name) => (
                        Kind::Schema.component_ref(name),
                        At {
                            file: self.docs.root(),
                            ..target_at.clone()
                        },
                    ),
                };
                // The mapping only names branches the `oneOf`/`anyOf` lists
                // itself, so a target that cannot be found (a missing file,
                // pointer) leaves the tag out, with a warning, and stops nothing.
                let reported = self.diagnostics.len();
                match self.locate_ref(&reference, &from) {
                    Some(found) => {
                        mapping
                            .insert(tag.clone(), self.schema_id(found.at.file, found.at.pointer));
                    }
                    None => {
                        for diagnostic in &mut self.diagnostics[reported..] {
                            diagnostic.severity = Severity::Warning;
                            diagnostic.code = codes::DISCRIMINATOR_MAPPING_UNRESOLVED;
                            diagnostic.message = format!(
                                "discriminator mapping `{tag}` is left out: {}",
                                diagnostic.message
                            );
                        }
                    }
                }
            }
        }
        Some(Discriminator {
            property_name,
            mapping,
        })
    }
}

/// The object's constraints, created on first use.
fn limits(object: &mut SchemaObject) -> &mut Constraints {
    object.constraints.get_or_insert_default()
}
