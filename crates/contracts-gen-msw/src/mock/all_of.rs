//! `allOf`: the parts' values merged.

use std::collections::{HashMap, HashSet};

use contracts_model::{Schema, SchemaObject};
use serde_json::{Map, Value};

use super::Mocker;

impl Mocker<'_> {
    /// All parts apply: objects merge, the first non-object part wins otherwise.
    /// A property one part requires and another declares
    /// (`allOf: [$ref Base, {required: [name]}]`) takes its value from the
    /// declaration, not the requiring part's stand-in; an optional property a
    /// part's `additionalProperties` rejects is left out.
    pub(super) fn all_of(&mut self, object: &SchemaObject, depth: usize) -> Value {
        let contract = self.contract;
        let mut merged = Map::new();
        let mut others = Vec::new();
        // The group's first declaration of each property, and the names whose
        // value came from a part that declares them.
        let mut declarations: HashMap<&str, &Schema> = HashMap::new();
        let mut declared_values = HashSet::new();
        for part in &object.all_of {
            let declared = contract.declared_properties(part);
            match self.schema(part, depth + 1) {
                Value::Object(map) => {
                    self.merge(&mut merged, &mut declared_values, map, &declared);
                }
                value => others.push(value),
            }
            for (name, schema) in declared {
                declarations.entry(name).or_insert(schema);
            }
        }
        let own: HashMap<&str, &Schema> = (object.properties.iter())
            .map(|(name, schema)| (name.as_str(), schema))
            .collect();
        let map = self.properties(object, depth);
        self.merge(&mut merged, &mut declared_values, map, &own);
        for (name, schema) in own {
            declarations.entry(name).or_insert(schema);
        }
        for (name, value) in &mut merged {
            if !declared_values.contains(name)
                && let Some(schema) = declarations.get(name.as_str())
            {
                *value = self.schema(schema, depth + 1);
            }
        }
        // A part's `additionalProperties` applies to what it does not declare,
        // including what other parts declare: optional ones it rejects go.
        let members = (object.all_of.iter())
            .filter_map(|part| contract.resolve(part).as_object())
            .chain([object]);
        let mut unwanted = HashSet::new();
        for member in members {
            let Some(additional) = &member.additional_properties else {
                continue;
            };
            for (name, value) in &merged {
                if !member.properties.contains_key(name) && !self.accepts(additional, value, 0) {
                    unwanted.insert(name.clone());
                }
            }
        }
        let required = |name: &String| {
            object.is_required(name)
                || (object.all_of.iter()).any(|part| self.requires(part, name, 0))
        };
        merged.retain(|name, _| !unwanted.contains(name) || required(name));
        if !merged.is_empty() || others.is_empty() {
            return Value::Object(merged);
        }
        // A value every part accepts (`allOf: [{nullable: true}, {$ref: Url}]`
        // admits no `null`), else the first part's.
        let fits_all = others
            .iter()
            .position(|value| (object.all_of.iter()).all(|part| self.accepts(part, value, 0)));
        others.swap_remove(fits_all.unwrap_or(0))
    }

    /// Merges an `allOf` part's value `map` into `merged`. A value from a
    /// part that declares the property (`declared`) wins over a stand-in
    /// from one that does not; of two declaring parts', the one kept is one
    /// the other part's declaration accepts too (`type: string` beside an
    /// `enum` keeps the enum's value).
    pub(super) fn merge(
        &self,
        merged: &mut Map<String, Value>,
        declared_values: &mut HashSet<String>,
        map: Map<String, Value>,
        declared: &HashMap<&str, &Schema>,
    ) {
        for (name, value) in map {
            let Some(schema) = declared.get(name.as_str()) else {
                merged.entry(name).or_insert(value);
                continue;
            };
            let earlier_fits = declared_values.contains(&name)
                && merged
                    .get(&name)
                    .is_some_and(|earlier| self.accepts(schema, earlier, 0));
            if !earlier_fits {
                declared_values.insert(name.clone());
                merged.insert(name, value);
            }
        }
    }
}
