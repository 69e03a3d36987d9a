//! Mock values generated from schemas: deterministic for a seed, valid
//! against the schema as far as JSON Schema can be met by construction
//! (type, format, enum, const, bounds, lengths, items, pattern, required,
//! nullable, `oneOf` with discriminators, `allOf`), recursion bounded.

use contracts_model::{Contract, Schema, SchemaObject, Type};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::{Map, Number, Value, json};

/// Deeper than this, optional properties are left out and arrays kept short,
/// so recursive schemas end.
const MAX_DEPTH: usize = 6;

/// Examples are at most this deep (the loader caps nesting at 128); the
/// bound also ends `allOf` loops while completing one.
pub(crate) const MAX_COMPLETE_DEPTH: usize = 256;

pub struct Mocker<'c> {
    pub(crate) contract: &'c Contract,
    rng: StdRng,
    /// How many `oneOf` values so far could only be told apart from another
    /// branch by a member outside the TypeScript types (see [`Self::outside_types`]).
    pub(crate) outside_types: usize,
}

impl<'c> Mocker<'c> {
    pub fn new(contract: &'c Contract, seed: u64) -> Self {
        Mocker {
            contract,
            rng: StdRng::seed_from_u64(seed),
            outside_types: 0,
        }
    }

    /// A value for `schema`, as a response would carry it (optional writeOnly properties left out).
    pub fn value(&mut self, schema: &Schema) -> Value {
        self.schema(schema, 0)
    }

    fn schema(&mut self, schema: &Schema, depth: usize) -> Value {
        match self.contract.resolve(schema) {
            Schema::Object(object) => self.object(object, depth),
            _ => Value::Null,
        }
    }

    fn object(&mut self, object: &SchemaObject, depth: usize) -> Value {
        if let Some(value) = &object.const_value {
            return (**value).clone();
        }
        if let Some(values) = object
            .enum_values
            .as_ref()
            .filter(|values| !values.is_empty())
        {
            return values[0].clone();
        }
        if !object.all_of.is_empty() {
            return self.all_of(object, depth);
        }
        if let Some(value) = self.branch_value(object, depth) {
            return value;
        }
        let ty = object.types.first().copied().or_else(|| {
            if !object.properties.is_empty() || object.additional_properties.is_some() {
                Some(Type::Object)
            } else if object.items.is_some() || !object.prefix_items.is_empty() {
                Some(Type::Array)
            } else {
                None
            }
        });
        match ty {
            Some(Type::String) => Value::String(self.string(object)),
            Some(Type::Integer) => self.number(object, true),
            Some(Type::Number) => self.number(object, false),
            Some(Type::Boolean) => Value::Bool(true),
            Some(Type::Null) => Value::Null,
            Some(Type::Array) => self.array(object, depth),
            Some(Type::Object) => Value::Object(self.properties(object, depth)),
            None if object.nullable => Value::Null,
            None => json!({}),
        }
    }

    /// A value of a `oneOf`/`anyOf` branch: for `oneOf`, of the first branch
    /// whose value can be made to match no other branch (a value matching two
    /// fails `oneOf`), else of the first branch.
    fn branch_value(&mut self, object: &SchemaObject, depth: usize) -> Option<Value> {
        // Properties beside the branches apply to each.
        let beside = if object.properties.is_empty() && object.required.is_empty() {
            Map::new()
        } else {
            self.properties(object, depth)
        };
        if object.one_of.len() < 2 {
            let branch = object.one_of.first().or_else(|| object.any_of.first())?;
            return Some(self.branch(object, branch, &beside, depth));
        }
        let others_than = |index: usize| -> Vec<&Schema> {
            (object.one_of.iter().enumerate())
                .filter(|(other, _)| *other != index)
                .map(|(_, schema)| schema)
                .collect()
        };
        let mut first = None;
        for (index, branch) in object.one_of.iter().enumerate() {
            let value = self.branch(object, branch, &beside, depth);
            match self.single_out(object, branch, &others_than(index), value) {
                Ok(value) => return Some(value),
                Err(value) => {
                    first.get_or_insert((index, value));
                }
            }
        }
        let (index, value) = first?;
        match self.outside_types(&object.one_of[index], &others_than(index), &value) {
            Some(edited) => {
                self.outside_types += 1;
                Some(edited)
            }
            None => Some(value),
        }
    }

    /// `value`, of the `oneOf` branch `own`, with members that only other
    /// branches declare set to values they reject, so `own` alone accepts
    /// it. Valid against the schema, but not against the TypeScript union of
    /// the branches (TypeScript checks each member of an object literal
    /// against a union member that declares it): the last resort, for
    /// branches that accept the same objects otherwise.
    fn outside_types(&self, own: &Schema, others: &[&Schema], value: &Value) -> Option<Value> {
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
    fn branch(
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
    fn single_out(
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
    fn rejected_by(
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

    /// Whether `schema` requires the property `name`, itself or through `allOf`.
    fn requires(&self, schema: &Schema, name: &str, depth: usize) -> bool {
        depth <= MAX_DEPTH
            && self
                .contract
                .resolve(schema)
                .as_object()
                .is_some_and(|object| {
                    object.is_required(name)
                        || (object.all_of.iter()).any(|part| self.requires(part, name, depth + 1))
                })
    }

    /// Whether `value` plausibly satisfies `schema`: the structural keywords
    /// (type, const, enum, required, properties, closed objects, items,
    /// composition). Enough to tell `oneOf` branches apart.
    pub(crate) fn accepts(&self, schema: &Schema, value: &Value, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return true;
        }
        let object = match self.contract.resolve(schema) {
            Schema::Bool(flag) => return *flag,
            Schema::Ref(_) => return true,
            Schema::Object(object) => object,
        };
        if let Some(constant) = &object.const_value {
            return **constant == *value;
        }
        if let Some(values) = &object.enum_values {
            return values.contains(value);
        }
        let type_ok = object.types.is_empty()
            || (value.is_null() && object.nullable)
            || object.types.iter().any(|ty| match ty {
                Type::String => value.is_string(),
                Type::Number => value.is_number(),
                Type::Integer => value.is_i64() || value.is_u64(),
                Type::Boolean => value.is_boolean(),
                Type::Null => value.is_null(),
                Type::Array => value.is_array(),
                Type::Object => value.is_object(),
            });
        if !type_ok {
            return false;
        }
        if let Value::Object(map) = value {
            if !object.required.iter().all(|name| map.contains_key(name)) {
                return false;
            }
            let closed = object.additional_properties == Some(Schema::Bool(false));
            for (key, item) in map {
                match object.properties.get(key) {
                    Some(property) if !self.accepts(property, item, depth + 1) => return false,
                    None if closed => return false,
                    _ => {}
                }
            }
        }
        // `items` applies after the `prefixItems` (a closed tuple has `items: false`).
        if let Value::Array(items) = value
            && !items.iter().enumerate().all(|(index, item)| {
                object
                    .prefix_items
                    .get(index)
                    .or(object.items.as_ref())
                    .is_none_or(|schema| self.accepts(schema, item, depth + 1))
            })
        {
            return false;
        }
        object
            .all_of
            .iter()
            .all(|part| self.accepts(part, value, depth + 1))
            && (object.one_of.is_empty()
                || object
                    .one_of
                    .iter()
                    .any(|part| self.accepts(part, value, depth + 1)))
            && (object.any_of.is_empty()
                || object
                    .any_of
                    .iter()
                    .any(|part| self.accepts(part, value, depth + 1)))
    }

    /// Adds to `value` (an example) the required writeOnly properties it
    /// leaves out, as responses do, since the generated types require them:
    /// through properties, items, `allOf` parts, and of `oneOf`/`anyOf` the
    /// first branch that accepts the value once completed.
    pub fn complete(&mut self, schema: &Schema, value: &mut Value) {
        self.complete_at(schema, value, true, 0);
    }

    /// `deep`: also into the properties and items present and the branch
    /// taken; shallow, only the value's own missing properties.
    fn complete_at(&mut self, schema: &Schema, value: &mut Value, deep: bool, depth: usize) {
        let Schema::Object(object) = self.contract.resolve(schema) else {
            return;
        };
        // `allOf` parts revisit the same value: bounded, as they may loop.
        if depth > MAX_COMPLETE_DEPTH {
            return;
        }
        for part in &object.all_of {
            self.complete_at(part, value, deep, depth + 1);
        }
        for branches in [&object.one_of, &object.any_of]
            .into_iter()
            .filter(|_| deep)
        {
            // Tried on a shallow copy each, so nested branches are not searched again per try.
            let taken = branches.iter().find(|branch| {
                let mut copy = value.clone();
                self.complete_at(branch, &mut copy, false, depth + 1);
                self.accepts(branch, &copy, 0)
            });
            if let Some(branch) = taken {
                self.complete_at(branch, value, true, depth + 1);
            }
        }
        match value {
            Value::Object(map) => {
                for (name, property) in &object.properties {
                    match map.get_mut(name) {
                        Some(inner) if deep => self.complete_at(property, inner, true, depth + 1),
                        None if object.is_required(name) && self.is_write_only(property) => {
                            let generated = self.value(property);
                            map.insert(name.clone(), generated);
                        }
                        _ => {}
                    }
                }
            }
            Value::Array(items) if deep => {
                if let Some(schema) = &object.items {
                    for item in items {
                        self.complete_at(schema, item, true, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }

    fn is_write_only(&self, schema: &Schema) -> bool {
        self.contract
            .resolve(schema)
            .as_object()
            .is_some_and(|object| object.write_only)
    }

    /// All parts apply: objects merge, the first non-object part wins otherwise.
    fn all_of(&mut self, object: &SchemaObject, depth: usize) -> Value {
        let mut merged = Map::new();
        let mut other = None;
        for part in &object.all_of {
            match self.schema(part, depth + 1) {
                Value::Object(map) => merged.extend(map),
                value => other = other.or(Some(value)),
            }
        }
        merged.extend(self.properties(object, depth));
        match other {
            Some(value) if merged.is_empty() => value,
            _ => Value::Object(merged),
        }
    }

    fn properties(&mut self, object: &SchemaObject, depth: usize) -> Map<String, Value> {
        let mut map = Map::new();
        for (name, property) in &object.properties {
            let required = object.is_required(name);
            // Responses leave writeOnly properties out, unless the schema requires them
            // (the generated types do: they do not tell requests from responses).
            if !required && (self.is_write_only(property) || depth >= MAX_DEPTH) {
                continue;
            }
            map.insert(name.clone(), self.schema(property, depth + 1));
        }
        // Required names the schema does not describe: any value will do.
        for name in &object.required {
            map.entry(name.clone()).or_insert_with(|| json!("value"));
        }
        let minimum = object.constraints().min_properties.unwrap_or(0) as usize;
        let mut extra = 0;
        while map.len() < minimum {
            extra += 1;
            let value = match &object.additional_properties {
                Some(schema @ (Schema::Object(_) | Schema::Ref(_))) => {
                    self.schema(schema, depth + 1)
                }
                _ => json!("value"),
            };
            map.insert(format!("key{extra}"), value);
        }
        map
    }

    fn array(&mut self, object: &SchemaObject, depth: usize) -> Value {
        let constraints = object.constraints();
        let minimum = constraints.min_items.unwrap_or(0) as usize;
        let maximum = constraints.max_items.map_or(usize::MAX, |m| m as usize);
        let mut items: Vec<Value> = object
            .prefix_items
            .iter()
            .map(|item| self.schema(item, depth + 1))
            .collect();
        // One item shows the shape; more only when required. Deep down, as few as allowed.
        let wanted = if depth >= MAX_DEPTH {
            minimum
        } else {
            minimum.max(1)
        }
        .min(maximum);
        while items.len() < wanted {
            let item = match &object.items {
                Some(schema @ (Schema::Object(_) | Schema::Ref(_))) => {
                    self.schema(schema, depth + 1)
                }
                Some(Schema::Bool(false)) => break,
                _ => json!("item"),
            };
            // `uniqueItems` with a generated duplicate: stop rather than repeat.
            if constraints.unique_items && items.contains(&item) {
                break;
            }
            items.push(item);
        }
        Value::Array(items)
    }

    fn number(&mut self, object: &SchemaObject, integer: bool) -> Value {
        let constraints = object.constraints();
        let float = |n: &Option<Number>| n.as_ref().and_then(Number::as_f64);
        let mut low = float(&constraints.minimum)
            .or(float(&constraints.exclusive_minimum)
                .map(|m| if integer { m.floor() + 1.0 } else { m + 0.5 }))
            .unwrap_or(1.0);
        let high = float(&constraints.maximum).or(float(&constraints.exclusive_maximum)
            .map(|m| if integer { m.ceil() - 1.0 } else { m - 0.5 }));
        if let Some(high) = high
            && low > high
        {
            low = high;
        }
        let mut value = if integer { low.ceil() } else { low };
        if let Some(step) = float(&constraints.multiple_of).filter(|step| *step > 0.0) {
            value = (value / step).ceil() * step;
        }
        if integer || value.fract() == 0.0 {
            json!(value as i64)
        } else {
            Number::from_f64(value).map_or(Value::Null, Value::Number)
        }
    }

    fn string(&mut self, object: &SchemaObject) -> String {
        let constraints = object.constraints();
        let mut text = match object.format.as_deref() {
            Some("date-time") => "2024-01-01T00:00:00Z".to_owned(),
            Some("date") => "2024-01-01".to_owned(),
            Some("time") => "12:00:00Z".to_owned(),
            Some("uuid") => format!(
                "00000000-0000-4000-8000-{:012x}",
                self.rng.random_range(0..0xffff_ffff_u64)
            ),
            Some("email") => "user@example.com".to_owned(),
            Some("uri" | "url" | "uri-reference" | "iri") => "https://example.com/".to_owned(),
            Some("hostname") => "example.com".to_owned(),
            Some("ipv4") => "192.0.2.1".to_owned(),
            Some("ipv6") => "2001:db8::1".to_owned(),
            Some("byte") => "aGVsbG8=".to_owned(),
            _ => match &constraints.pattern {
                Some(pattern) => self
                    .matching(pattern)
                    .unwrap_or_else(|| "string".to_owned()),
                None => "string".to_owned(),
            },
        };
        let length = text.chars().count();
        if let Some(minimum) = constraints
            .min_length
            .map(|m| m as usize)
            .filter(|m| length < *m)
        {
            text.extend(std::iter::repeat_n('x', minimum - length));
        }
        if let Some(maximum) = constraints
            .max_length
            .map(|m| m as usize)
            .filter(|m| length > *m)
        {
            text = text.chars().take(maximum).collect();
        }
        text
    }

    /// A string matching an ECMAScript-style pattern, when it can be generated:
    /// anchors are implied by generating the whole string, `\d` means ASCII digits.
    fn matching(&mut self, pattern: &str) -> Option<String> {
        let inner = pattern.strip_prefix('^').unwrap_or(pattern);
        let inner = inner.strip_suffix('$').unwrap_or(inner);
        let hir = regex_syntax::ParserBuilder::new()
            .unicode(false)
            .utf8(true)
            .build()
            .parse(inner)
            .ok()?;
        let generator = rand_regex::Regex::with_hir(hir, 8).ok()?;
        Some(self.rng.sample(&generator))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use contracts_model::{InMemory, build};

    fn mock(schemas: Value, name: &str) -> Value {
        let document = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": schemas}});
        let (contract, _) = build(&mut InMemory::new("api.yaml", document));
        let contract = contract.unwrap();
        let id = contract.components.schemas[name];
        Mocker::new(&contract, 1).value(&contract.schema(id).schema)
    }

    #[test]
    fn formats_bounds_and_lengths_are_honoured() {
        let value = mock(
            json!({"S": {"type": "object", "required": ["id", "at", "n", "code", "tag"], "properties": {
                "id": {"type": "string", "format": "uuid"},
                "at": {"type": "string", "format": "date-time"},
                "n": {"type": "integer", "minimum": 5, "maximum": 9, "multipleOf": 3},
                "code": {"type": "string", "pattern": "^[A-Z]{3}$"},
                "tag": {"type": "string", "minLength": 8, "maxLength": 10},
                "secret": {"type": "string", "writeOnly": true}
            }}}),
            "S",
        );
        assert_eq!(value["at"], "2024-01-01T00:00:00Z");
        assert_eq!(value["n"], 6);
        let code = value["code"].as_str().unwrap();
        assert!(
            code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()),
            "{code}"
        );
        assert_eq!(value["tag"].as_str().unwrap().len(), 8);
        assert!(value.get("secret").is_none());
        assert_eq!(value["id"].as_str().unwrap().len(), 36);
    }

    #[test]
    fn enums_consts_nullables_and_arrays() {
        let value = mock(
            json!({"S": {"type": "object", "required": ["e", "c", "n", "a"], "properties": {
                "e": {"enum": ["b", "a"]}, "c": {"const": 7}, "n": {"type": "null"},
                "a": {"type": "array", "minItems": 2, "items": {"type": "boolean"}}
            }}}),
            "S",
        );
        assert_eq!(
            value,
            json!({"e": "b", "c": 7, "n": null, "a": [true, true]})
        );
    }

    #[test]
    fn discriminated_one_of_carries_its_tag_and_all_of_merges() {
        let value = mock(
            json!({
                "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}], "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}}},
                "Cat": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "required": ["lives"], "properties": {"lives": {"type": "integer"}}}]},
                "Base": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}}
            }),
            "Pet",
        );
        assert_eq!(value, json!({"kind": "cat", "lives": 1}));
    }

    #[test]
    fn one_of_picks_a_branch_no_other_branch_accepts() {
        // The first branch's value (`"string"`) also fits the second (any string up to
        // 100 characters), so the second branch, which the first does not accept, is mocked.
        let value = mock(
            json!({"E": {"oneOf": [
                {"type": "string"},
                {"type": "integer"},
                {"type": ["string", "integer"]}
            ]}}),
            "E",
        );
        assert_eq!(
            value,
            json!("string"),
            "a string fits branches 1 and 3; fallback keeps the first"
        );
        let value = mock(
            json!({"E": {"oneOf": [
                {"type": ["string", "integer"]},
                {"type": "integer"}
            ]}}),
            "E",
        );
        assert_eq!(
            value,
            json!("string"),
            "the first branch's string fits it alone"
        );
        let value = mock(
            json!({"E": {"oneOf": [
                {"type": "object"},
                {"type": "object", "required": ["b"], "properties": {"b": {"type": "integer"}}, "additionalProperties": false}
            ]}}),
            "E",
        );
        assert_eq!(
            value,
            json!({}),
            "an empty object lacks `b`, so only the first branch accepts it"
        );
    }

    #[test]
    fn one_of_overlapping_open_objects_leave_out_what_another_branch_requires() {
        // Each branch's value fits the other (open objects): the second branch's
        // value without `code`, which only the first requires, fits the second alone.
        let value = mock(
            json!({"E": {"oneOf": [
                {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}, "errors": {"type": "array"}}},
                {"type": "object", "properties": {"code": {"type": "string"}, "status": {"type": "string"}}}
            ]}}),
            "E",
        );
        assert_eq!(value, json!({"status": "string"}));
        // What the schema around the branches requires stays.
        let value = mock(
            json!({"E": {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}, "oneOf": [
                {"type": "object", "properties": {"status": {"type": "string"}}},
                {"type": "object", "required": ["code"]}
            ]}}),
            "E",
        );
        assert_eq!(
            value,
            json!({"code": "string", "status": "string"}),
            "fits both branches; the fallback keeps the first"
        );
    }

    #[test]
    fn one_of_overlapping_enums_take_a_value_only_one_branch_allows() {
        let value = mock(
            json!({"E": {"oneOf": [
                {"type": "object", "required": ["state"], "properties": {"state": {"enum": ["open", "closed"]}}},
                {"type": "object", "properties": {"state": {"const": "open"}}}
            ]}}),
            "E",
        );
        assert_eq!(value, json!({"state": "closed"}));
    }

    #[test]
    fn one_of_open_objects_told_apart_only_by_undeclared_properties_go_outside_the_types() {
        // Only a property one branch leaves undeclared, with a type the other
        // rejects, tells them apart; TypeScript's union refuses such a literal,
        // so the mocker counts it.
        let document = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {"E": {"oneOf": [
            {"type": "object", "properties": {"message": {"type": "string"}, "url": {"type": "string"}}},
            {"type": "object", "properties": {"message": {"type": "string"}, "metadata": {"type": "object"}}}
        ]}}}});
        let (contract, _) = build(&mut InMemory::new("api.yaml", document));
        let contract = contract.unwrap();
        let id = contract.components.schemas["E"];
        let mut mocker = Mocker::new(&contract, 1);
        let value = mocker.value(&contract.schema(id).schema);
        assert_eq!(
            value,
            json!({"message": "string", "url": "string", "metadata": 0})
        );
        assert_eq!(mocker.outside_types, 1);
    }

    #[test]
    fn recursion_is_bounded() {
        let value = mock(
            json!({"Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}, "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}}),
            "Node",
        );
        assert!(value.to_string().len() < 100_000);
    }

    #[test]
    fn the_same_seed_gives_the_same_values() {
        let schemas = json!({"S": {"type": "string", "pattern": "^[a-z]{5,9}$"}});
        assert_eq!(mock(schemas.clone(), "S"), mock(schemas, "S"));
    }
}
