//! A schema's TypeScript type: the entry point, `$ref`s, `--enum` declarations,
//! literals, and what a schema's keywords imply about its type.

use std::collections::HashSet;

use contracts_model::{Schema, SchemaId, SchemaObject, Type};
use contracts_ts::is_identifier;
use oxc_ast::ast::TSType;
use oxc_span::SPAN;
use serde_json::Value;

use crate::roots::pascal_case;
use crate::{Beside, Context, Generator};

impl<'c, 'a> Generator<'c, 'a> {
    /// `export type $Tree = string | $Tree[]` for a schema that is an element
    /// of its own arrays, and a reference to it. Written in the interface,
    /// `Tree: string | components["schemas"]["Tree"][]` is a circular type to
    /// `tsc` (TS2502): only an array at the top of a type alias, of an alias,
    /// is resolved lazily.
    pub(crate) fn recursive_alias(
        &mut self,
        id: SchemaId,
        name: &str,
        schema: &Schema,
    ) -> TSType<'a> {
        // `$` keeps them apart from the module's other names (`paths`, enums).
        let base = format!("${}", pascal_case(name));
        let mut alias = base.clone();
        let mut counter = 2;
        while !self.alias_names.insert(alias.clone()) {
            alias = format!("{base}{counter}");
            counter += 1;
        }
        self.alias = Some((id, alias.clone()));
        let ty = self.schema_type(schema, Context::Other);
        self.alias = None;
        self.aliases.push(self.ts.export_type(SPAN, &alias, ty));
        self.ts.generic(&alias, Vec::new())
    }

    /// With `--enum`: `export enum Name {...}` for a string or number enum, and its type.
    pub(crate) fn enum_declaration(
        &mut self,
        name: &str,
        object: &SchemaObject,
    ) -> Option<TSType<'a>> {
        let values = object.enum_values.as_ref()?;
        if object.nullable
            || values.is_empty()
            || !values.iter().all(|v| v.is_string() || v.is_number())
        {
            return None;
        }
        let enum_name = pascal_case(name);
        if !is_identifier(&enum_name) {
            return None;
        }
        // openapi-typescript's cache key: the values as strings, sorted (so
        // `"1"` and `1` are one), each followed by `:` and an empty description.
        let key = self.options.dedupe_enums.then(|| {
            let mut texts: Vec<String> = (values.iter())
                .map(|value| match value {
                    Value::String(text) => format!("{text}:"),
                    other => format!("{other}:"),
                })
                .collect();
            texts.sort();
            texts.join(",")
        });
        if let Some(first) = key.as_ref().and_then(|key| self.enums_by_values.get(key)) {
            return Some(self.ts.generic(first, Vec::new()));
        }
        if let Some(key) = key {
            self.enums_by_values.insert(key, enum_name.clone());
        }
        let mut used = HashSet::new();
        let members = values
            .iter()
            .map(|value| {
                let base = match value {
                    Value::String(text) => pascal_case(text),
                    other => format!("Value{}", other.to_string().replace(['-', '.'], "_")),
                };
                let base = if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
                    format!("Value{base}")
                } else {
                    base
                };
                let mut member = base.clone();
                let mut counter = 2;
                while !used.insert(member.clone()) {
                    member = format!("{base}{counter}");
                    counter += 1;
                }
                (member, self.literal(value))
            })
            .collect();
        let span = self.ts.doc(&schema_doc(object));
        self.enums
            .push(self.ts.export_enum(span, &enum_name, members));
        self.enum_names.insert(enum_name.clone());
        Some(self.ts.generic(&enum_name, Vec::new()))
    }

    pub(crate) fn schema_type(&mut self, schema: &Schema, context: Context) -> TSType<'a> {
        let additional = std::mem::take(&mut self.site.additional);
        match schema {
            Schema::Ref(id) => match &self.alias {
                Some((alias_id, alias)) if alias_id == id => self.ts.generic(alias, Vec::new()),
                _ => {
                    let name = self.names.get(id).cloned().unwrap_or_default();
                    self.ts.indexed("components", &["schemas", &name])
                }
            },
            Schema::Bool(true) => self.ts.unknown(),
            Schema::Bool(false) => self.ts.never(),
            Schema::Object(object) => self.object_schema_type(object, context, additional),
        }
    }

    pub(crate) fn object_schema_type(
        &mut self,
        object: &SchemaObject,
        context: Context,
        additional: bool,
    ) -> TSType<'a> {
        let beside = self.beside_composition(object);
        let mut parts = Vec::new();
        let mut spread = None;
        if let Some(value) = &object.const_value {
            parts.push(self.literal(value));
        } else if let Some(values) = &object.enum_values {
            let literals = values.iter().map(|value| self.literal(value)).collect();
            parts.push(self.ts.union(literals));
            // As openapi-typescript: not for objects, nor beside a map unless a string.
            let map = !matches!(
                object.additional_properties,
                None | Some(Schema::Bool(false))
            );
            if self.options.enum_values
                && object.types != [Type::Object]
                && object.properties.is_empty()
                && (!map || object.types == [Type::String])
                && values.iter().all(|v| v.is_string() || v.is_number())
            {
                self.enum_values_const(values, additional);
            }
        } else if beside == Beside::Dropped {
            // The composition alone says what the values are.
        } else if !object.types.is_empty() {
            let types = object
                .types
                .iter()
                .map(|ty| self.typed(*ty, object, context))
                .collect();
            parts.push(self.ts.union(types));
        } else if let Some(implied) = implied_type(object) {
            spread = Some(implied)
                .filter(|_| beside == Beside::Intersect && self.spreads(object, implied));
            if spread.is_none() {
                parts.push(self.implied_shape(object, implied, context));
            }
        }
        for member in &object.all_of {
            parts.push(self.schema_type(member, context));
        }
        if !object.one_of.is_empty() {
            let branches = self.branches("oneOf", &object.one_of, object, context);
            let branches = self.narrowed(branches, &object.one_of, spread, object, context);
            parts.push(self.ts.union(branches));
        }
        if !object.any_of.is_empty() {
            let branches = self.branches("anyOf", &object.any_of, object, context);
            let mut branches = self.narrowed(branches, &object.any_of, spread, object, context);
            if beside == Beside::Alternative {
                branches.splice(0..0, parts.drain(..));
            }
            parts.push(self.ts.union(branches));
        }
        let combined = if parts.is_empty() {
            self.ts.unknown()
        } else {
            self.ts.intersection(parts)
        };
        // `type: 'null'` beside a composition it contradicts: the authors meant "or null".
        if object.nullable || (beside == Beside::Dropped && object.types == [Type::Null]) {
            self.ts.union(vec![combined, self.ts.null()])
        } else {
            combined
        }
    }

    /// The object or array shape that members without a `type` describe.
    pub(crate) fn implied_shape(
        &mut self,
        object: &SchemaObject,
        implied: Type,
        context: Context,
    ) -> TSType<'a> {
        match implied {
            Type::Object => self.object_shape(object, context),
            _ => self.array_shape(object, context),
        }
    }

    /// Whether members without a `type` (`items`, `properties`), which
    /// constrain only values of their type, narrow each `oneOf`/`anyOf` branch
    /// of that type rather than the whole: beside such a composition alone
    /// with a branch of another type (`(unknown[] & string[]) | string`, not
    /// `string[] & (unknown[] | string)`, which refuses strings).
    pub(crate) fn spreads(&self, object: &SchemaObject, implied: Type) -> bool {
        let branches = match (&object.one_of[..], &object.any_of[..]) {
            (branches, []) | ([], branches) if object.all_of.is_empty() => branches,
            _ => return false,
        };
        branches
            .iter()
            .any(|branch| self.is_other_type(branch, implied))
    }

    /// Whether `schema` says its values have types other than `ty`.
    pub(crate) fn is_other_type(&self, schema: &Schema, ty: Type) -> bool {
        self.value_types(schema)
            .is_some_and(|types| !types.contains(&ty))
    }

    /// `branches` with the shape `spread` (see [`Self::spreads`]) intersected
    /// into those of its type.
    pub(crate) fn narrowed(
        &mut self,
        branches: Vec<TSType<'a>>,
        schemas: &[Schema],
        spread: Option<Type>,
        object: &SchemaObject,
        context: Context,
    ) -> Vec<TSType<'a>> {
        let Some(implied) = spread else {
            return branches;
        };
        branches
            .into_iter()
            .zip(schemas)
            .map(|(ty, schema)| {
                if self.is_other_type(schema, implied) {
                    ty
                } else {
                    let shape = self.implied_shape(object, implied, context);
                    self.ts.intersection(vec![ty, shape])
                }
            })
            .collect()
    }

    pub(crate) fn typed(
        &mut self,
        ty: Type,
        object: &SchemaObject,
        context: Context,
    ) -> TSType<'a> {
        match ty {
            Type::String => {
                let binary = object.format.as_deref() == Some("binary")
                    || object.content_media_type.as_deref() == Some("application/octet-stream");
                if binary && context == Context::Request {
                    self.ts.generic("Blob", Vec::new())
                } else {
                    self.ts.string()
                }
            }
            Type::Number | Type::Integer => self.ts.number(),
            Type::Boolean => self.ts.boolean(),
            Type::Null => self.ts.null(),
            Type::Array => self.array_shape(object, context),
            Type::Object => self.object_shape(object, context),
        }
    }

    pub(crate) fn literal(&self, value: &Value) -> TSType<'a> {
        match value {
            Value::String(text) => self.ts.literal_string(text),
            Value::Number(number) => {
                let float = number.as_f64().unwrap_or_default();
                self.ts.literal_number(float, &number.to_string())
            }
            Value::Bool(flag) => self.ts.literal_bool(*flag),
            Value::Null => self.ts.null(),
            Value::Array(_) | Value::Object(_) => self.ts.unknown(),
        }
    }
}

/// Whether component `id` is an element of its own arrays outside any object
/// member (`Matrix: {type: array, items: {$ref: Matrix}}`, also through
/// `allOf`/`oneOf`/`anyOf` parts and nested arrays): object members are
/// resolved lazily by `tsc`, arrays are not.
pub(crate) fn element_of_itself(id: SchemaId, schema: &Schema) -> bool {
    let Some(object) = schema.as_object() else {
        return false;
    };
    let elements = object.items.iter().chain(&object.prefix_items);
    let parts = object
        .all_of
        .iter()
        .chain(&object.one_of)
        .chain(&object.any_of);
    elements
        .clone()
        .any(|element| matches!(element, Schema::Ref(target) if *target == id))
        || elements
            .chain(parts)
            .any(|inner| element_of_itself(id, inner))
}

/// The type that members without a `type` describe: an object's
/// (`properties`, `required`, `additionalProperties`) or an array's (`items`).
pub(crate) fn implied_type(object: &SchemaObject) -> Option<Type> {
    if !object.types.is_empty() {
        None
    } else if object.has_object_shape() {
        Some(Type::Object)
    } else if object.items.is_some() || !object.prefix_items.is_empty() {
        Some(Type::Array)
    } else {
        None
    }
}

/// Integers are numbers to TypeScript.
pub(crate) fn widened(ty: Type) -> Type {
    match ty {
        Type::Integer => Type::Number,
        other => other,
    }
}

pub(crate) fn json_type(value: &Value) -> Type {
    match value {
        Value::Null => Type::Null,
        Value::Bool(_) => Type::Boolean,
        Value::Number(_) => Type::Number,
        Value::String(_) => Type::String,
        Value::Array(_) => Type::Array,
        Value::Object(_) => Type::Object,
    }
}

/// JSDoc lines for a schema: deprecation, description, format, default, examples.
pub(crate) fn schema_doc(object: &SchemaObject) -> Vec<String> {
    let mut lines = Vec::new();
    if object.deprecated {
        lines.push("@deprecated".to_owned());
    }
    if let Some(description) = &object.description {
        lines.push(format!("@description {description}"));
    }
    // Readers of the types learn which side sends the field; `readOnly` is also a `readonly` modifier.
    if object.read_only {
        lines.push("@readOnly sent by the server only".to_owned());
    }
    if object.write_only {
        lines.push("@writeOnly sent by the client only".to_owned());
    }
    if let Some(format) = &object.format {
        lines.push(format!("Format: {format}"));
    }
    if let Some(default) = &object.default {
        lines.push(format!("@default {default}"));
    }
    for example in &object.examples {
        lines.push(format!("@example {example}"));
    }
    lines
}
