//! `oneOf`: a branch whose value no other branch accepts.

use contracts_model::{Schema, SchemaObject};
use serde_json::{Map, Value, json};

use super::Mocker;
use super::budget::levels_left;
use crate::heights::UNREACHABLE;

impl Mocker<'_> {
    /// The branches worth trying at `depth`: those that fit the levels left,
    /// and when strict only the lowest (the way out of a recursion).
    pub(super) fn candidates(&mut self, branches: &[Schema], depth: usize) -> Vec<usize> {
        let heights: Vec<u32> = (branches.iter())
            .map(|branch| self.heights().of(branch))
            .collect();
        let lowest = heights.iter().copied().min().unwrap_or(UNREACHABLE);
        let strict = self.strict();
        (heights.iter().enumerate())
            .filter(|(_, height)| {
                **height <= levels_left(depth + 1) && (!strict || **height == lowest)
            })
            .map(|(index, _)| index)
            .collect()
    }

    /// A value of a `oneOf`/`anyOf` branch: for `oneOf`, of the first branch
    /// whose value can be made to match no other branch (a value matching two
    /// fails `oneOf`), else of the first branch. Only branches that fit the
    /// levels left are tried, and when strict only the lowest ones.
    pub(super) fn branch_value(&mut self, object: &SchemaObject, depth: usize) -> Option<Value> {
        // Properties beside the branches apply to each.
        let beside = if object.properties.is_empty() && object.required.is_empty() {
            Map::new()
        } else {
            self.properties(object, depth)
        };
        if object.one_of.len() < 2 {
            let branches = match object.one_of.first() {
                Some(_) => &object.one_of[..],
                None => &object.any_of[..],
            };
            let index = *self.candidates(branches, depth).first()?;
            return Some(self.branch(object, &branches[index], &beside, depth));
        }
        let others_than = |index: usize| -> Vec<&Schema> {
            (object.one_of.iter().enumerate())
                .filter(|(other, _)| *other != index)
                .map(|(_, schema)| schema)
                .collect()
        };
        let checks_left = self.checks_left.get();
        let mut first = None;
        for index in self.candidates(&object.one_of, depth) {
            let branch = &object.one_of[index];
            let value = self.branch(object, branch, &beside, depth);
            match self.single_out(object, branch, &others_than(index), value) {
                Ok(value) => {
                    self.warn_if_checks_ran_out(object, checks_left);
                    return Some(value);
                }
                Err(value) => {
                    first.get_or_insert((index, value));
                }
            }
        }
        let (index, value) = first?;
        let value = match self.outside_types(&object.one_of[index], &others_than(index), &value) {
            Some(edited) => {
                self.outside_types += 1;
                self.events += 1;
                edited
            }
            None => {
                let message = "no mock value found matches exactly one of this schema's `oneOf` branches (they accept the same values, as far as the mock can tell); the mock matches several, which `oneOf` rejects".to_owned();
                self.warn(object, "one-of", message);
                value
            }
        };
        self.warn_if_checks_ran_out(object, checks_left);
        Some(value)
    }

    /// `value`, of the `oneOf` branch `own`, with members that only other
    /// branches declare set to values they reject, so `own` alone accepts
    /// it. Valid against the schema, but not against the TypeScript union of
    /// the branches (TypeScript checks each member of an object literal
    /// against a union member that declares it): the last resort, for
    /// branches that accept the same objects otherwise.
    pub(super) fn outside_types(
        &self,
        own: &Schema,
        others: &[&Schema],
        value: &Value,
    ) -> Option<Value> {
        let Value::Object(map) = value else {
            return None;
        };
        let own_object = self.contract.resolve(own).as_object()?;
        if own_object.additional_properties == Some(Schema::Bool(false)) {
            return None;
        }
        let mut edited = map.clone();
        for other in others {
            if !self.accepts(other, &Value::Object(edited.clone()), 0) {
                continue;
            }
            let other_object = self.contract.resolve(other).as_object()?;
            let (name, rejected) = (other_object.properties.iter())
                .filter(|(name, _)| !own_object.properties.contains_key(*name))
                .find_map(|(name, property)| {
                    let candidates = [json!(0), json!(""), json!(false), json!([]), json!({})];
                    let rejected = candidates
                        .into_iter()
                        .find(|candidate| !self.accepts(property, candidate, 0))?;
                    Some((name, rejected))
                })?;
            edited.insert(name.clone(), rejected);
        }
        let edited = Value::Object(edited);
        (self.accepts(own, &edited, 0)
            && others.iter().all(|other| !self.accepts(other, &edited, 0)))
        .then_some(edited)
    }

    /// A value of `branch`, with the properties `beside` it and, when the
    /// discriminator maps it, its tag.
    pub(super) fn branch(
        &mut self,
        object: &SchemaObject,
        branch: &Schema,
        beside: &Map<String, Value>,
        depth: usize,
    ) -> Value {
        let mut value = self.schema(branch, depth + 1);
        if let Value::Object(map) = &mut value {
            for (name, beside_value) in beside {
                map.entry(name).or_insert_with(|| beside_value.clone());
            }
            if let (Some(discriminator), Schema::Ref(id)) = (&object.discriminator, branch)
                && let Some((tag, _)) =
                    (discriminator.mapping.iter()).find(|(_, target)| *target == id)
            {
                map.insert(discriminator.property_name.clone(), json!(tag));
            }
        }
        value
    }

    /// `value`, of the `oneOf` branch `own`, edited where another branch
    /// accepts it too: a property that branch requires left out, or a
    /// property given another of its enum values. `Err(value)` when no edit
    /// makes `own` the only branch that accepts it.
    ///
    /// Edits stay within `own`'s type. A property `own` does not declare,
    /// given a value the other branch rejects, would tell them apart too, but
    /// TypeScript checks each property of an object literal against a union
    /// member that declares it, so the body would not satisfy its type.
    pub(super) fn single_out(
        &self,
        object: &SchemaObject,
        own: &Schema,
        others: &[&Schema],
        value: Value,
    ) -> Result<Value, Value> {
        let alone = |value: &Value| others.iter().all(|other| !self.accepts(other, value, 0));
        if alone(&value) {
            return Ok(value);
        }
        let mut edited = value.clone();
        for other in others {
            if self.accepts(other, &edited, 0)
                && let Some(rejected) = self.rejected_by(object, own, other, &edited)
            {
                edited = rejected;
            }
        }
        if self.accepts(own, &edited, 0) && alone(&edited) {
            Ok(edited)
        } else {
            Err(value)
        }
    }

    /// `value` (an object of the branch `own`) edited so that the branch
    /// `other` rejects it: without a property that `other` requires and that
    /// neither `own` nor the schema around them does (nor is the
    /// discriminator's), else with a property set to another of the values
    /// `own` enumerates for it.
    pub(super) fn rejected_by(
        &self,
        object: &SchemaObject,
        own: &Schema,
        other: &Schema,
        value: &Value,
    ) -> Option<Value> {
        let Value::Object(map) = value else {
            return None;
        };
        let tag_property = object.discriminator.as_ref().map(|d| &d.property_name);
        let optional = map.keys().find(|name| {
            self.requires(other, name, 0)
                && !self.requires(own, name, 0)
                && !object.is_required(name)
                && tag_property != Some(name)
        });
        if let Some(name) = optional {
            let mut map = map.clone();
            map.remove(name);
            return Some(Value::Object(map));
        }
        let properties = &self.contract.resolve(own).as_object()?.properties;
        properties
            .iter()
            .filter(|(name, _)| map.contains_key(*name))
            .find_map(|(name, property)| {
                let values = self
                    .contract
                    .resolve(property)
                    .as_object()?
                    .enum_values
                    .as_ref()?;
                values.iter().find_map(|candidate| {
                    let mut map = map.clone();
                    map.insert(name.clone(), candidate.clone());
                    let edited = Value::Object(map);
                    (!self.accepts(other, &edited, 0)).then_some(edited)
                })
            })
    }
}
