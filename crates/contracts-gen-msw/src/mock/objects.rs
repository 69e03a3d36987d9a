//! Objects: properties, required and optional.

use contracts_model::{Schema, SchemaObject};
use serde_json::{Map, Value, json};

use super::{MAX_PROPERTIES, Mocker};

impl Mocker<'_> {
    pub(super) fn properties(&mut self, object: &SchemaObject, depth: usize) -> Map<String, Value> {
        let mut map = Map::new();
        // Optional properties fill what `maxProperties` leaves beside the required ones.
        let maximum = object
            .constraints()
            .max_properties
            .map_or(usize::MAX, |m| m as usize);
        let mut optional_left = maximum.saturating_sub(object.required.len());
        for (name, property) in &object.properties {
            let required = object.is_sent(name);
            // Responses leave writeOnly properties out, unless the schema requires them
            // (the generated types do: they do not tell requests from responses).
            if !required
                && (optional_left == 0
                    || self.is_write_only(property)
                    || self.frugal(depth)
                    || !self.fits_levels(property, depth + 1))
            {
                continue;
            }
            if !required {
                optional_left -= 1;
            }
            self.nodes += 1;
            self.context.push(name.clone());
            let value = self.schema(property, depth + 1);
            self.context.pop();
            map.insert(name.clone(), value);
        }
        // Required names the schema does not describe: any value will do,
        // one their name suggests.
        for name in &object.required {
            if !map.contains_key(name) {
                self.context.push(name.clone());
                let value = json!(self.text_by_name());
                self.context.pop();
                map.insert(name.clone(), value);
            }
        }
        self.count_items(object, &mut map);
        let asked = object.constraints().min_properties.unwrap_or(0);
        let minimum = self.capped(object, "minProperties", asked, MAX_PROPERTIES);
        let mut extra = 0;
        while map.len() < minimum {
            extra += 1;
            self.nodes += 1;
            let value = match &object.additional_properties {
                Some(schema @ (Schema::Object(_) | Schema::Ref(_))) => {
                    self.schema(schema, depth + 1)
                }
                _ => json!(self.text_by_name()),
            };
            map.insert(format!("key{extra}"), value);
        }
        map
    }

    /// A page object's `total`/`count` agrees with its one list of items,
    /// when the count's schema takes that number.
    fn count_items(&self, object: &SchemaObject, map: &mut Map<String, Value>) {
        let mut lists = map.values().filter_map(Value::as_array);
        let (Some(items), None) = (lists.next(), lists.next()) else {
            return;
        };
        let length = items.len();
        for name in COUNTS {
            let Some(schema) = object.properties.get(name) else {
                continue;
            };
            if map.get(name).is_some_and(Value::is_number)
                && self.takes_number(schema, length as f64)
            {
                map.insert(name.to_owned(), json!(length));
            }
        }
    }
}

/// Names of a page object's count of its items.
const COUNTS: [&str; 6] = [
    "total",
    "count",
    "totalCount",
    "total_count",
    "totalItems",
    "total_items",
];
