//! The flattened view of a schema that comparisons look at: refs followed,
//! `allOf` parts merged, a 3.1 nullable union read as nullability.

use std::collections::{BTreeSet, HashSet};

use contracts_model::{Contract, Schema, SchemaObject, Type};
use indexmap::IndexMap;
use serde_json::Value;

/// The `X` of a schema that is only `anyOf` (or `oneOf`) of `X` and a
/// schema that accepts only `null`.
pub(crate) fn nullable_branch<'c>(
    contract: &'c Contract,
    object: &'c SchemaObject,
) -> Option<&'c Schema> {
    let only_null = |schema: &Schema| {
        matches!(contract.resolve(schema), Schema::Object(branch)
            if branch.types == [Type::Null]
                && branch.properties.is_empty()
                && branch.all_of.is_empty()
                && branch.one_of.is_empty()
                && branch.any_of.is_empty()
                && branch.enum_values.is_none())
    };
    let branches = match (object.any_of.as_slice(), object.one_of.as_slice()) {
        (branches @ [_, _], []) | ([], branches @ [_, _]) => branches,
        _ => return None,
    };
    let unconstrained = object.types.is_empty()
        && object.properties.is_empty()
        && object.all_of.is_empty()
        && object.items.is_none()
        && object.enum_values.is_none()
        && object.const_value.is_none()
        && object.not.is_none();
    match branches {
        [branch, null] | [null, branch]
            if unconstrained && only_null(null) && !only_null(branch) =>
        {
            Some(branch)
        }
        _ => None,
    }
}

/// A schema's meaning with refs followed and `allOf` parts merged: what the
/// comparison looks at, so that moving a schema into `components` or
/// splitting it into `allOf` parts is not a change.
pub(crate) struct Flat<'c> {
    /// The schema object that holds the position's own keywords (for locations).
    pub(crate) object: Option<&'c SchemaObject>,
    pub(crate) types: Vec<Type>,
    pub(crate) nullable: bool,
    pub(crate) enum_values: Option<Vec<Value>>,
    pub(crate) const_value: Option<Value>,
    pub(crate) default: Option<Value>,
    pub(crate) properties: IndexMap<&'c String, &'c Schema>,
    pub(crate) required: BTreeSet<&'c str>,
    pub(crate) items: Option<&'c Schema>,
    pub(crate) one_of: Vec<&'c Schema>,
    pub(crate) any_of: Vec<&'c Schema>,
    pub(crate) all_of_count: usize,
    pub(crate) maximum: Option<f64>,
    pub(crate) minimum: Option<f64>,
    pub(crate) exclusive_maximum: Option<f64>,
    pub(crate) exclusive_minimum: Option<f64>,
    pub(crate) max_length: Option<u64>,
    pub(crate) min_length: Option<u64>,
    pub(crate) max_items: Option<u64>,
    pub(crate) min_items: Option<u64>,
    pub(crate) pattern: Option<String>,
}

impl<'c> Flat<'c> {
    pub(crate) fn of(contract: &'c Contract, schema: &'c Schema) -> Flat<'c> {
        let mut flat = Flat {
            object: None,
            types: Vec::new(),
            nullable: false,
            enum_values: None,
            const_value: None,
            default: None,
            properties: IndexMap::new(),
            required: BTreeSet::new(),
            items: None,
            one_of: Vec::new(),
            any_of: Vec::new(),
            all_of_count: 0,
            maximum: None,
            minimum: None,
            exclusive_maximum: None,
            exclusive_minimum: None,
            max_length: None,
            min_length: None,
            max_items: None,
            min_items: None,
            pattern: None,
        };
        flat.merge(contract, schema);
        flat
    }

    /// Whether two merged views accept the same values, as far as the
    /// comparison looks (properties, required, types, enums, bounds).
    pub(crate) fn same_shape(&self, other: &Flat) -> bool {
        self.properties.keys().eq(other.properties.keys())
            && self.required == other.required
            && self.types == other.types
            && self.nullable == other.nullable
            && self.enum_values == other.enum_values
            && self.const_value == other.const_value
            && (
                self.maximum,
                self.minimum,
                self.exclusive_maximum,
                self.exclusive_minimum,
            ) == (
                other.maximum,
                other.minimum,
                other.exclusive_maximum,
                other.exclusive_minimum,
            )
            && (
                self.max_length,
                self.min_length,
                self.max_items,
                self.min_items,
            ) == (
                other.max_length,
                other.min_length,
                other.max_items,
                other.min_items,
            )
            && self.pattern == other.pattern
    }

    /// Merges `schema` and, depth first in document order, its `allOf`
    /// parts (the first value of a keyword wins). Parts nest arbitrarily
    /// deep through refs, so they wait on a stack instead of recursing; each
    /// schema object is merged once, which ends `allOf` loops.
    fn merge(&mut self, contract: &'c Contract, schema: &'c Schema) {
        let mut parts = vec![schema];
        let mut seen = HashSet::new();
        let mut top = true;
        while let Some(part) = parts.pop() {
            let is_top = std::mem::take(&mut top);
            let Schema::Object(object) = contract.resolve(part) else {
                continue;
            };
            if !seen.insert(&**object as *const SchemaObject as usize) {
                continue;
            }
            if is_top {
                self.object = Some(object);
                self.all_of_count = object.all_of.len();
            }
            // `anyOf: [X, {type: 'null'}]` is how 3.1 writes a nullable X
            // (and what merge makes of a 3.0 `nullable` schema without a type).
            if let Some(branch) = nullable_branch(contract, object) {
                self.nullable = true;
                if self.default.is_none() {
                    self.default = object.default.as_deref().cloned();
                }
                parts.push(branch);
                continue;
            }
            self.merge_object(object);
            parts.extend(object.all_of.iter().rev());
        }
    }

    fn merge_object(&mut self, object: &'c SchemaObject) {
        if self.types.is_empty() {
            self.types = object.types.clone();
        }
        self.nullable |= object.nullable;
        if self.enum_values.is_none() {
            self.enum_values = object.enum_values.clone();
        }
        if self.const_value.is_none() {
            self.const_value = object.const_value.as_deref().cloned();
        }
        if self.default.is_none() {
            self.default = object.default.as_deref().cloned();
        }
        for (name, property) in &object.properties {
            self.properties.entry(name).or_insert(property);
        }
        self.required
            .extend(object.required.iter().map(String::as_str));
        if self.items.is_none() {
            self.items = object.items.as_ref();
        }
        self.one_of.extend(&object.one_of);
        self.any_of.extend(&object.any_of);
        let constraints = object.constraints();
        let number =
            |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
        // Merged allOf parts all apply: keep the tightest bound.
        self.maximum = tightest(self.maximum, number(&constraints.maximum), f64::min);
        self.minimum = tightest(self.minimum, number(&constraints.minimum), f64::max);
        self.exclusive_maximum = tightest(
            self.exclusive_maximum,
            number(&constraints.exclusive_maximum),
            f64::min,
        );
        self.exclusive_minimum = tightest(
            self.exclusive_minimum,
            number(&constraints.exclusive_minimum),
            f64::max,
        );
        self.max_length = tightest(self.max_length, constraints.max_length, u64::min);
        self.min_length = tightest(self.min_length, constraints.min_length, u64::max);
        self.max_items = tightest(self.max_items, constraints.max_items, u64::min);
        self.min_items = tightest(self.min_items, constraints.min_items, u64::max);
        if self.pattern.is_none() {
            self.pattern = constraints.pattern.clone();
        }
    }
}

fn tightest<T: Copy>(a: Option<T>, b: Option<T>, pick: fn(T, T) -> T) -> Option<T> {
    match (a, b) {
        (Some(x), Some(y)) => Some(pick(x, y)),
        (x, None) => x,
        (None, y) => y,
    }
}
