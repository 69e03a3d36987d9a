//! What one pair of schemas is compared on: types and nullability, enums,
//! const and default, numeric and length bounds, patterns, formats and
//! discriminators, JSON Schema 2020-12 keywords, and properties.

use contracts_model::{Contract, SchemaObject, Type};
use serde_json::Value;

use crate::flat::Flat;
use crate::schema::{Deferred, Position};
use crate::{Engine, rules};

impl<'c> Engine<'c> {
    pub(crate) fn types(
        &mut self,
        old: &Flat,
        new: &Flat,
        a: &SchemaObject,
        b: &SchemaObject,
        position: &Position,
    ) {
        if !old.types.is_empty() && !new.types.is_empty() && old.types != new.types {
            let widened = old.types.iter().all(|ty| {
                new.types.contains(ty)
                    || (*ty == Type::Integer && new.types.contains(&Type::Number))
            });
            let suffix = if widened {
                "type-generalized"
            } else {
                "type-changed"
            };
            self.schema_change(
                suffix,
                position,
                format!(
                    "type {} became {}",
                    type_list(&old.types),
                    type_list(&new.types)
                ),
                a,
                b,
            );
        }
        match (old.nullable, new.nullable) {
            (false, true) => {
                self.schema_change("became-nullable", position, "became nullable".into(), a, b)
            }
            (true, false) => self.schema_change(
                "became-not-nullable",
                position,
                "is no longer nullable".into(),
                a,
                b,
            ),
            _ => {}
        }
    }

    pub(crate) fn enums(
        &mut self,
        old: &Flat,
        new: &Flat,
        a: &SchemaObject,
        b: &SchemaObject,
        position: &Position,
    ) {
        match (&old.enum_values, &new.enum_values) {
            (None, Some(_)) => {
                self.schema_change("became-enum", position, "became an enum".into(), a, b)
            }
            (Some(before), Some(after)) => {
                // Whether `null` is accepted is nullability, which the
                // nullable rules report: 3.0 writes it as `nullable` beside
                // an enum without null, 3.1 as a null in the enum and type.
                let missing_from = |values: &'_ [Value], value: &Value| {
                    !value.is_null() && !values.contains(value)
                };
                for value in before.iter().filter(|value| missing_from(after, value)) {
                    self.schema_change(
                        "enum-value-removed",
                        position,
                        format!("enum value {value} was removed"),
                        a,
                        b,
                    );
                }
                for value in after.iter().filter(|value| missing_from(before, value)) {
                    self.schema_change(
                        "enum-value-added",
                        position,
                        format!("enum value {value} was added"),
                        a,
                        b,
                    );
                }
            }
            _ => {}
        }
        let extensible = |object: &SchemaObject| {
            object
                .extensions
                .as_ref()
                .and_then(|e| e.get("x-extensible-enum"))
                .and_then(Value::as_array)
                .cloned()
        };
        if let (Some(before), Some(after)) = (extensible(a), extensible(b)) {
            for value in before.iter().filter(|value| !after.contains(value)) {
                self.schema_change(
                    "x-extensible-enum-value-removed",
                    position,
                    format!("x-extensible-enum value {value} was removed"),
                    a,
                    b,
                );
            }
        }
        if let (Some(before), Some(after)) = (&old.const_value, &new.const_value)
            && before != after
        {
            self.schema_change(
                "const-changed",
                position,
                format!("const {before} became {after}"),
                a,
                b,
            );
        }
        if let (Some(before), Some(after)) = (&old.default, &new.default)
            && before != after
        {
            self.schema_change(
                "default-value-changed",
                position,
                format!("default {before} became {after}"),
                a,
                b,
            );
        }
    }

    pub(crate) fn constraints(
        &mut self,
        old: &Flat,
        new: &Flat,
        a: &SchemaObject,
        b: &SchemaObject,
        position: &Position,
    ) {
        // Lengths and item counts compare as the bounds do.
        let count = |n: Option<u64>| n.map(|n| n as f64);
        let numbers = [
            ("max", old.maximum, new.maximum, true),
            ("min", old.minimum, new.minimum, false),
            (
                "exclusive-max",
                old.exclusive_maximum,
                new.exclusive_maximum,
                true,
            ),
            (
                "exclusive-min",
                old.exclusive_minimum,
                new.exclusive_minimum,
                false,
            ),
            (
                "max-length",
                count(old.max_length),
                count(new.max_length),
                true,
            ),
            (
                "min-length",
                count(old.min_length),
                count(new.min_length),
                false,
            ),
            (
                "max-items",
                count(old.max_items),
                count(new.max_items),
                true,
            ),
            (
                "min-items",
                count(old.min_items),
                count(new.min_items),
                false,
            ),
        ];
        for (name, before, after, _) in numbers {
            match (before, after) {
                (None, Some(value)) => self.schema_change(
                    &format!("{name}-set"),
                    position,
                    format!("{name} {value} was set"),
                    a,
                    b,
                ),
                (Some(x), Some(y)) if y > x => self.schema_change(
                    &format!("{name}-increased"),
                    position,
                    format!("{name} {x} -> {y}"),
                    a,
                    b,
                ),
                (Some(x), Some(y)) if y < x => self.schema_change(
                    &format!("{name}-decreased"),
                    position,
                    format!("{name} {x} -> {y}"),
                    a,
                    b,
                ),
                _ => {}
            }
        }
        match (&old.pattern, &new.pattern) {
            (None, Some(p)) => self.schema_change(
                "pattern-added",
                position,
                format!("pattern `{p}` was added"),
                a,
                b,
            ),
            (Some(p), None) => self.schema_change(
                "pattern-removed",
                position,
                format!("pattern `{p}` was removed"),
                a,
                b,
            ),
            (Some(x), Some(y)) if x != y => self.schema_change(
                "pattern-changed",
                position,
                format!("pattern `{x}` became `{y}`"),
                a,
                b,
            ),
            _ => {}
        }
    }

    pub(crate) fn format_and_discriminator(
        &mut self,
        a: &SchemaObject,
        b: &SchemaObject,
        position: &Position,
    ) {
        if let (Some(x), Some(y)) = (&a.format, &b.format)
            && x != y
        {
            self.schema_change(
                "format-changed",
                position,
                format!("format `{x}` became `{y}`"),
                a,
                b,
            );
        }
        match (&a.discriminator, &b.discriminator) {
            (None, Some(d)) => {
                let message = format!("discriminator on `{}` was added", d.property_name);
                self.schema_change("discriminator-added", position, message, a, b);
            }
            (Some(d), None) => {
                let message = format!("discriminator on `{}` was removed", d.property_name);
                self.schema_change("discriminator-removed", position, message, a, b);
            }
            (Some(x), Some(y)) => {
                if x.property_name != y.property_name {
                    let message = format!(
                        "discriminator `{}` became `{}`",
                        x.property_name, y.property_name
                    );
                    self.schema_change(
                        "discriminator-property-name-changed",
                        position,
                        message,
                        a,
                        b,
                    );
                }
                let target = |contract: &Contract, id: &contracts_model::SchemaId| {
                    contract.schema(*id).name.clone()
                };
                for (tag, id) in &x.mapping {
                    match y.mapping.get(tag) {
                        None => self.schema_change(
                            "discriminator-mapping-deleted",
                            position,
                            format!("mapping `{tag}` was removed"),
                            a,
                            b,
                        ),
                        Some(other) if target(self.base, id) != target(self.revision, other) => {
                            let message = format!(
                                "mapping `{tag}` now points to `{}`",
                                target(self.revision, other)
                            );
                            self.schema_change(
                                "discriminator-mapping-changed",
                                position,
                                message,
                                a,
                                b,
                            );
                        }
                        Some(_) => {}
                    }
                }
                for tag in y.mapping.keys().filter(|tag| !x.mapping.contains_key(*tag)) {
                    self.schema_change(
                        "discriminator-mapping-added",
                        position,
                        format!("mapping `{tag}` was added"),
                        a,
                        b,
                    );
                }
            }
            (None, None) => {}
        }
    }

    /// JSON Schema 2020-12 keywords (3.1): presence of `contains`,
    /// `propertyNames`, `unevaluated*`, `contentSchema`, `prefixItems`;
    /// entries of `dependentRequired`, `dependentSchemas`, `patternProperties`;
    /// `minContains`/`maxContains` bounds; `contentMediaType`/`contentEncoding`.
    pub(crate) fn json_schema_keywords(
        &mut self,
        a: &SchemaObject,
        b: &SchemaObject,
        position: &Position,
    ) {
        let old_other = |key: &str| a.other.as_ref().and_then(|other| other.get(key)).cloned();
        let new_other = |key: &str| b.other.as_ref().and_then(|other| other.get(key)).cloned();
        for (keyword, suffix) in [
            ("contains", "contains"),
            ("propertyNames", "property-names"),
            ("unevaluatedItems", "unevaluated-items"),
            ("unevaluatedProperties", "unevaluated-properties"),
            ("contentSchema", "content-schema"),
        ] {
            match (old_other(keyword), new_other(keyword)) {
                (None, Some(_)) => self.schema_change(
                    &format!("{suffix}-added"),
                    position,
                    format!("`{keyword}` was added"),
                    a,
                    b,
                ),
                (Some(_), None) => self.schema_change(
                    &format!("{suffix}-removed"),
                    position,
                    format!("`{keyword}` was removed"),
                    a,
                    b,
                ),
                _ => {}
            }
        }
        match (a.prefix_items.is_empty(), b.prefix_items.is_empty()) {
            (true, false) => self.schema_change(
                "prefix-items-added",
                position,
                "`prefixItems` were added".into(),
                a,
                b,
            ),
            (false, true) => self.schema_change(
                "prefix-items-removed",
                position,
                "`prefixItems` were removed".into(),
                a,
                b,
            ),
            _ => {}
        }
        for (keyword, suffix) in [
            ("minContains", "min-contains"),
            ("maxContains", "max-contains"),
        ] {
            let (before, after) = (
                old_other(keyword).and_then(|v| v.as_f64()),
                new_other(keyword).and_then(|v| v.as_f64()),
            );
            if let (Some(x), Some(y)) = (before, after) {
                if y > x {
                    self.schema_change(
                        &format!("{suffix}-increased"),
                        position,
                        format!("`{keyword}` {x} -> {y}"),
                        a,
                        b,
                    );
                } else if y < x {
                    self.schema_change(
                        &format!("{suffix}-decreased"),
                        position,
                        format!("`{keyword}` {x} -> {y}"),
                        a,
                        b,
                    );
                }
            }
        }
        for (keyword, suffix, changed) in [
            ("dependentRequired", "dependent-required", true),
            ("dependentSchemas", "dependent-schema", false),
            ("patternProperties", "pattern-property", false),
        ] {
            let entries = |value: Option<Value>| {
                value
                    .and_then(|v| v.as_object().cloned())
                    .unwrap_or_default()
            };
            let (before, after) = (entries(old_other(keyword)), entries(new_other(keyword)));
            for (name, value) in &before {
                match after.get(name) {
                    None => self.schema_change(
                        &format!("{suffix}-removed"),
                        position,
                        format!("`{keyword}` entry `{name}` was removed"),
                        a,
                        b,
                    ),
                    Some(other) if changed && other != value => self.schema_change(
                        &format!("{suffix}-changed"),
                        position,
                        format!("`{keyword}` entry `{name}` changed"),
                        a,
                        b,
                    ),
                    Some(_) => {}
                }
            }
            for name in after.keys().filter(|name| !before.contains_key(*name)) {
                self.schema_change(
                    &format!("{suffix}-added"),
                    position,
                    format!("`{keyword}` entry `{name}` was added"),
                    a,
                    b,
                );
            }
        }
        for (keyword, suffix, before, after) in [
            (
                "contentMediaType",
                "content-media-type",
                &a.content_media_type,
                &b.content_media_type,
            ),
            (
                "contentEncoding",
                "content-encoding",
                &a.content_encoding,
                &b.content_encoding,
            ),
        ] {
            if before.is_some() && after.is_some() && before != after {
                self.schema_change(
                    &format!("{suffix}-changed"),
                    position,
                    format!("`{keyword}` changed"),
                    a,
                    b,
                );
            }
        }
    }

    pub(crate) fn properties(
        &mut self,
        old: &Flat<'c>,
        new: &Flat<'c>,
        a: &SchemaObject,
        b: &SchemaObject,
        position: &Position,
        below: &mut Vec<Deferred<'c>>,
    ) {
        let op = position.operation.clone();
        for (name, old_property) in &old.properties {
            let property = position.property(name);
            let required_before = old.required.contains(name.as_str());
            let read_only = Flat::of(self.base, old_property)
                .object
                .is_some_and(|p| p.read_only);
            let write_only = Flat::of(self.base, old_property)
                .object
                .is_some_and(|p| p.write_only);
            // A readOnly property is not part of a request, a writeOnly one not of a response.
            if (position.request && read_only) || (!position.request && write_only) {
                // ...until it stops being writeOnly: then responses carry it.
                let still_write_only = new.properties.get(name).map(|p| {
                    Flat::of(self.revision, p)
                        .object
                        .is_some_and(|p| p.write_only)
                });
                if !position.request && still_write_only == Some(false) {
                    let id = if new.required.contains(name.as_str()) {
                        rules::RESPONSE_REQUIRED_PROPERTY_BECAME_NOT_WRITE_ONLY
                    } else {
                        rules::RESPONSE_OPTIONAL_PROPERTY_BECAME_NOT_WRITE_ONLY
                    };
                    let message = format!("{} is no longer writeOnly", property.describe());
                    self.report(id, Some(&op), message, Some(&a.loc), Some(&b.loc));
                }
                continue;
            }
            match new.properties.get(name) {
                None => {
                    let id = match (position.request, required_before) {
                        (true, _) => rules::REQUEST_PROPERTY_REMOVED,
                        (false, true) => rules::RESPONSE_REQUIRED_PROPERTY_REMOVED,
                        (false, false) => rules::RESPONSE_OPTIONAL_PROPERTY_REMOVED,
                    };
                    self.report(
                        id,
                        Some(&op),
                        format!("{} was removed", property.describe()),
                        Some(&a.loc),
                        Some(&b.loc),
                    );
                }
                Some(new_property) => {
                    let required_after = new.required.contains(name.as_str());
                    let has_default = Flat::of(self.revision, new_property).default.is_some();
                    let id = match (position.request, required_before, required_after) {
                        (true, false, true) if has_default => {
                            Some(rules::REQUEST_PROPERTY_BECAME_REQUIRED_WITH_DEFAULT)
                        }
                        (true, false, true) => Some(rules::REQUEST_PROPERTY_BECAME_REQUIRED),
                        (true, true, false) => Some(rules::REQUEST_PROPERTY_BECAME_OPTIONAL),
                        (false, true, false) => Some(rules::RESPONSE_PROPERTY_BECAME_OPTIONAL),
                        (false, false, true) => Some(rules::RESPONSE_PROPERTY_BECAME_REQUIRED),
                        _ => None,
                    };
                    if let Some(id) = id {
                        let verb = if required_after {
                            "became required"
                        } else {
                            "became optional"
                        };
                        self.report(
                            id,
                            Some(&op),
                            format!("{} {verb}", property.describe()),
                            Some(&a.loc),
                            Some(&b.loc),
                        );
                    }
                    let deprecation = |contract, schema| {
                        Flat::of(contract, schema)
                            .object
                            .map(|object| (object.deprecated, object.extensions.as_deref()))
                    };
                    if let (Some((before, _)), Some((after, extensions))) = (
                        deprecation(self.base, old_property),
                        deprecation(self.revision, new_property),
                    ) {
                        let ids = if position.request {
                            &rules::REQUEST_PROPERTY_DEPRECATION
                        } else {
                            &rules::RESPONSE_PROPERTY_DEPRECATION
                        };
                        self.deprecation(
                            (before, after),
                            extensions,
                            ids,
                            (&op, &property.describe()),
                            (Some(&a.loc), Some(&b.loc)),
                        );
                    }
                    self.defer(old_property, new_property, property, below);
                }
            }
        }
        for (name, new_property) in &new.properties {
            if old.properties.contains_key(name) {
                continue;
            }
            let property = position.property(name);
            let required = new.required.contains(name.as_str());
            let flat = Flat::of(self.revision, new_property);
            if (position.request && flat.object.is_some_and(|p| p.read_only))
                || (!position.request && flat.object.is_some_and(|p| p.write_only))
            {
                continue;
            }
            let id = match (position.request, required) {
                (true, true) if flat.default.is_some() => {
                    rules::NEW_REQUIRED_REQUEST_PROPERTY_WITH_DEFAULT
                }
                (true, true) => rules::NEW_REQUIRED_REQUEST_PROPERTY,
                (true, false) => rules::NEW_OPTIONAL_REQUEST_PROPERTY,
                (false, true) => rules::RESPONSE_REQUIRED_PROPERTY_ADDED,
                (false, false) => rules::RESPONSE_OPTIONAL_PROPERTY_ADDED,
            };
            self.report(
                id,
                Some(&op),
                format!("{} was added", property.describe()),
                Some(&a.loc),
                Some(&b.loc),
            );
        }
    }
}

fn type_list(types: &[Type]) -> String {
    types
        .iter()
        .map(|ty| ty.as_str())
        .collect::<Vec<_>>()
        .join("|")
}
