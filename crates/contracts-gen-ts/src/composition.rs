//! `allOf`/`oneOf`/`anyOf`: their branches, and what a schema's own `type` and
//! members become beside them.

use std::collections::HashMap;

use contracts_model::{Schema, SchemaId, SchemaObject, Type};

use crate::codes;
use oxc_ast::ast::TSType;
use oxc_span::SPAN;

use crate::schema::{json_type, widened};
use crate::{Beside, Context, Generator};

impl<'c, 'a> Generator<'c, 'a> {
    /// What the schema's own `type` and members become beside its
    /// composition; a reading other than the letter is a warning.
    pub(crate) fn beside_composition(&mut self, object: &SchemaObject) -> Beside {
        let composed = [&object.all_of, &object.one_of, &object.any_of]
            .iter()
            .any(|parts| !parts.is_empty());
        if !composed || object.const_value.is_some() || object.enum_values.is_some() {
            return Beside::Intersect;
        }
        // Without `--empty-objects-unknown` an empty object is `Record<string, never>`,
        // which would refuse every key the parts declare; openapi-typescript leaves it out too.
        if !self.options.empty_objects_unknown
            && object.types == [Type::Object]
            && !object.has_object_shape()
        {
            return Beside::Dropped;
        }
        if object.properties.is_empty() {
            match &object.additional_properties {
                Some(Schema::Bool(false)) => {
                    self.warn(
                        codes::ADDITIONAL_PROPERTIES_BESIDE_COMPOSITION,
                        object,
                        "`additionalProperties: false` beside `allOf`/`oneOf`/`anyOf` refuses the properties the parts declare (it does not look into them), so no object matches; the types follow the parts".to_owned(),
                    );
                    return Beside::Dropped;
                }
                Some(Schema::Ref(_) | Schema::Object(_))
                    if object.all_of.is_empty() && object.one_of.is_empty() =>
                {
                    self.warn(
                        codes::ADDITIONAL_PROPERTIES_BESIDE_COMPOSITION,
                        object,
                        "`additionalProperties` beside `anyOf` also applies to the properties the branches declare; the types accept the map or any branch, as openapi-typescript does".to_owned(),
                    );
                    return Beside::Alternative;
                }
                _ => {}
            }
        }
        if let Some(keyword) = self.contradicting_composition(object) {
            let own: Vec<&str> = object.types.iter().map(|ty| ty.as_str()).collect();
            self.warn(
                codes::TYPE_CONTRADICTS_COMPOSITION,
                object,
                format!(
                    "`type: {}` admits no value of the `{keyword}`, so no value matches; the types follow the `{keyword}`",
                    own.join(" | ")
                ),
            );
            return Beside::Dropped;
        }
        Beside::Intersect
    }

    /// The composition keyword whose members admit no value of the schema's
    /// own `type`: any `allOf` part, or every `oneOf`/`anyOf` branch.
    pub(crate) fn contradicting_composition(&self, object: &SchemaObject) -> Option<&'static str> {
        if object.types.is_empty() {
            return None;
        }
        let mut own: Vec<Type> = object.types.iter().map(|ty| widened(*ty)).collect();
        if object.nullable {
            own.push(Type::Null);
        }
        let disjoint = |schema: &Schema| {
            self.value_types(schema)
                .is_some_and(|types| !types.iter().any(|ty| own.contains(ty)))
        };
        if object.all_of.iter().any(disjoint) {
            Some("allOf")
        } else if !object.one_of.is_empty() && object.one_of.iter().all(disjoint) {
            Some("oneOf")
        } else if !object.any_of.is_empty() && object.any_of.iter().all(disjoint) {
            Some("anyOf")
        } else {
            None
        }
    }

    /// The JSON types a schema's values have, as its `const`, `enum` or
    /// `type` say (integers as numbers); `None` when it does not say.
    pub(crate) fn value_types(&self, schema: &Schema) -> Option<Vec<Type>> {
        let object = self.contract.resolve(schema).as_object()?;
        let mut types: Vec<Type> = if let Some(value) = &object.const_value {
            vec![json_type(value)]
        } else if let Some(values) = &object.enum_values {
            values.iter().map(json_type).collect()
        } else if !object.types.is_empty() {
            object.types.iter().map(|ty| widened(*ty)).collect()
        } else {
            return None;
        };
        if object.nullable {
            types.push(Type::Null);
        }
        Some(types)
    }

    /// `oneOf`/`anyOf` branches; with a discriminator mapping, each mapped
    /// branch is narrowed to its tag (`Cat & { petType: "cat" }`).
    pub(crate) fn branches(
        &mut self,
        keyword: &str,
        branches: &[Schema],
        object: &SchemaObject,
        context: Context,
    ) -> Vec<TSType<'a>> {
        let tags: HashMap<SchemaId, Vec<&str>> = match &object.discriminator {
            Some(discriminator) => {
                let mut tags: HashMap<SchemaId, Vec<&str>> = HashMap::new();
                for (tag, id) in &discriminator.mapping {
                    tags.entry(*id).or_default().push(tag);
                }
                tags
            }
            None => HashMap::new(),
        };
        branches
            .iter()
            .enumerate()
            .map(|(index, branch)| {
                let mark = self.enter(&[keyword, &index.to_string()], true, false, true);
                let ty = self.schema_type(branch, context);
                self.leave(mark);
                let (Schema::Ref(id), Some(discriminator)) = (branch, &object.discriminator) else {
                    return ty;
                };
                let Some(values) = tags.get(id) else {
                    return ty;
                };
                // Only objects carry a tag property (real specs map tags to arrays too).
                let is_object = self
                    .contract
                    .resolve(branch)
                    .as_object()
                    .is_some_and(SchemaObject::is_object_type);
                if !is_object {
                    return ty;
                }
                let literals = values
                    .iter()
                    .map(|tag| self.ts.literal_string(tag))
                    .collect();
                let tag = self.member(
                    SPAN,
                    &discriminator.property_name,
                    false,
                    false,
                    self.ts.union(literals),
                );
                self.ts.intersection(vec![ty, self.ts.object(vec![tag])])
            })
            .collect()
    }
}
