//! Object types: properties, required members, `additionalProperties`.

use std::collections::HashMap;

use contracts_model::{Schema, SchemaObject};
use oxc_ast::ast::TSType;
use oxc_span::SPAN;

use crate::schema::schema_doc;
use crate::{Context, Generator};

impl<'c, 'a> Generator<'c, 'a> {
    /// Properties (optional unless required), plus an index signature for `additionalProperties`.
    pub(crate) fn object_shape(&mut self, object: &SchemaObject, context: Context) -> TSType<'a> {
        let sound = self.members_sound(object);
        let mut members = Vec::new();
        let properties = self.ordered(object.properties.iter().collect(), true, |(name, _)| name);
        for (name, property) in properties {
            let resolved = self.contract.resolve(property).as_object();
            if self.options.exclude_deprecated && resolved.is_some_and(|p| p.deprecated) {
                continue;
            }
            let property_object = property.as_object();
            let span = self
                .ts
                .doc(&property_object.map(schema_doc).unwrap_or_default());
            let read_only = property_object.is_some_and(|p| p.read_only);
            let write_only = property_object.is_some_and(|p| p.write_only);
            let marked = self.options.read_write_markers && read_only != write_only;
            let mark = self.enter(&[name], true, true, sound && !marked);
            let mut ty = self.schema_type(property, context);
            self.leave(mark);
            // With markers, `$Read` says it instead of `readonly`; both flags mark nothing.
            let readonly = read_only && !self.options.read_write_markers;
            if self.options.read_write_markers && read_only != write_only {
                let marker = if read_only { "$Read" } else { "$Write" };
                ty = self.ts.generic(marker, vec![ty]);
            }
            let required = if self.options.default_non_nullable && context == Context::Other {
                object.is_sent(name)
            } else {
                object.is_required(name)
            } || (object.required.is_empty()
                && self.options.properties_required_by_default);
            members.push(self.member(span, name, !required, readonly, ty));
        }
        // A required name an `allOf` part declares has that part's type and
        // cannot be missing (`{ name: T } & Part`, not `T | undefined`); one
        // declared nowhere is `unknown`.
        let contract = self.contract;
        let mut declared = HashMap::new();
        for part in &object.all_of {
            for (name, schema) in contract.declared_properties(part) {
                declared.entry(name).or_insert(schema);
            }
        }
        for name in object
            .required
            .iter()
            .filter(|name| !object.properties.contains_key(*name))
        {
            let ty = match declared.get(name.as_str()) {
                Some(schema) => {
                    let mark = self.enter(&[name], true, true, sound);
                    // openapi-typescript marks it required (`WithRequired`) without a const.
                    self.site.muted = true;
                    let ty = self.schema_type(schema, context);
                    self.leave(mark);
                    ty
                }
                None => self.ts.unknown(),
            };
            members.push(self.member(SPAN, name, false, false, ty));
        }
        let additional = match &object.additional_properties {
            // openapi-typescript's `--additional-properties` opens closed objects too.
            Some(Schema::Bool(false)) if !self.options.additional_properties => None,
            Some(Schema::Bool(_)) => Some(self.ts.unknown()),
            Some(schema) => {
                let mark = self.enter(&[], true, true, sound);
                self.site.additional = self.options.enum_values;
                self.site.map = self.options.enum_values;
                let ty = self.schema_type(schema, context);
                self.leave(mark);
                Some(ty)
            }
            None if self.options.additional_properties => Some(self.ts.unknown()),
            // A free-form object accepts any keys; declared properties alone close it, as openapi-typescript does.
            None if members.is_empty() && self.options.empty_objects_unknown => {
                Some(self.ts.unknown())
            }
            None => None,
        };
        match additional {
            None if members.is_empty() => self.empty_record(),
            None => self.ts.object(members),
            Some(value) if members.is_empty() => {
                self.ts.object(vec![self.index_signature("key", value)])
            }
            // An index signature must admit every property's type; an intersection never conflicts.
            Some(value) => {
                let index = self.ts.object(vec![self.index_signature("key", value)]);
                self.ts.intersection(vec![self.ts.object(members), index])
            }
        }
    }
}
