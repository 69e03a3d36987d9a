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
            map.insert(name.clone(), self.schema(property, depth + 1));
        }
        // Required names the schema does not describe: any value will do.
        for name in &object.required {
            map.entry(name.clone()).or_insert_with(|| json!("value"));
        }
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
                _ => json!("value"),
            };
            map.insert(format!("key{extra}"), value);
        }
        map
    }
}
