//! Structural checks of values against schemas (`accepts`, `requires`), and
//! completing examples with the required writeOnly properties responses leave out.

use contracts_model::{Schema, Type};
use serde_json::Value;

use super::{MAX_COMPLETE_DEPTH, MAX_DEPTH, Mocker};

impl Mocker<'_> {
    /// Whether `schema` requires the property `name`, itself or through `allOf`.
    pub(super) fn requires(&self, schema: &Schema, name: &str, depth: usize) -> bool {
        depth <= MAX_DEPTH
            && self.check_step()
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
    /// Beyond [`MAX_DEPTH`], or out of checks, anything is plausible.
    pub(crate) fn accepts(&self, schema: &Schema, value: &Value, depth: usize) -> bool {
        if depth > MAX_DEPTH || !self.check_step() {
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
    /// leaves out, as responses do, and the defaulted ones it leaves out (as
    /// their defaults), since the generated types require them:
    /// through properties, additional properties, items, `allOf` parts, and of `oneOf`/`anyOf` the
    /// first branch that accepts the value once completed. Random draws
    /// depend on the seed and `example` alone (where the example is written).
    pub fn complete(&mut self, schema: &Schema, value: &mut Value, example: &str) {
        self.start_body(example);
        self.complete_at(schema, value, true, 0);
    }

    /// `deep`: also into the properties and items present and the branch
    /// taken; shallow, only the value's own missing properties.
    pub(super) fn complete_at(
        &mut self,
        schema: &Schema,
        value: &mut Value,
        deep: bool,
        depth: usize,
    ) {
        let Schema::Object(object) = self.contract.resolve(schema) else {
            return;
        };
        // `allOf` parts revisit the same value: bounded, as they may loop,
        // and counted, as parts and branches may multiply.
        if depth > MAX_COMPLETE_DEPTH || !self.check_step() {
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
                            let generated = self.schema(property, 0);
                            map.insert(name.clone(), generated);
                        }
                        None => {
                            let default = property.as_object().and_then(|p| p.default.as_deref());
                            if let Some(default) = default {
                                map.insert(name.clone(), default.clone());
                            }
                        }
                        _ => {}
                    }
                }
                if let Some(extra) = (object.additional_properties.as_ref())
                    .filter(|extra| deep && !matches!(extra, Schema::Bool(_)))
                {
                    let undeclared = map
                        .iter_mut()
                        .filter(|(name, _)| !object.properties.contains_key(*name));
                    for (_, inner) in undeclared {
                        self.complete_at(extra, inner, true, depth + 1);
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

    pub(super) fn is_write_only(&self, schema: &Schema) -> bool {
        self.contract
            .resolve(schema)
            .as_object()
            .is_some_and(|object| object.write_only)
    }
}
