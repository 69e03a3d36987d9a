//! Arrays: items and lengths.

use contracts_model::{Schema, SchemaObject, Type};
use serde_json::{Value, json};

use rand::RngExt;

use super::{MAX_ITEMS, Mocker};

impl Mocker<'_> {
    pub(super) fn array(&mut self, object: &SchemaObject, depth: usize) -> Value {
        let constraints = object.constraints();
        let asked = constraints.min_items.unwrap_or(0);
        let minimum = self.capped(object, "minItems", asked, MAX_ITEMS);
        let maximum = constraints.max_items.map_or(usize::MAX, |m| m as usize);
        let frugal = self.frugal(depth);
        let mut items = Vec::new();
        for (index, item) in object.prefix_items.iter().enumerate() {
            if index >= minimum && (self.strict() || !self.fits_levels(item, depth + 1)) {
                break;
            }
            items.push(self.schema(item, depth + 1));
        }
        // A list looks like one: three to five items in a body that is a
        // list, two or three below; deep down (frugal), as few as allowed.
        let optional_item = match &object.items {
            Some(schema) => !frugal && self.fits_levels(schema, depth + 1),
            None => !frugal,
        };
        let shown = match depth {
            0 => self.draw_count(3..=5),
            _ => self.draw_count(2..=3),
        };
        let wanted = if optional_item {
            minimum.max(shown)
        } else {
            minimum
        }
        .min(maximum);
        while items.len() < wanted {
            self.nodes += 1;
            let item = match &object.items {
                Some(schema @ (Schema::Object(_) | Schema::Ref(_))) => {
                    self.schema(schema, depth + 1)
                }
                Some(Schema::Bool(false)) => break,
                _ => json!(self.text_by_name()),
            };
            // A repeated item becomes another value of its enum or boolean;
            // under `uniqueItems` a repeat that has none stops the list.
            let item = match items.contains(&item) {
                true => (object.items.as_ref())
                    .and_then(|schema| self.unused_value(schema, &items))
                    .unwrap_or(item),
                false => item,
            };
            if constraints.unique_items && items.contains(&item) {
                break;
            }
            items.push(item);
        }
        Value::Array(items)
    }

    /// A value of a plain enum or boolean schema that `items` do not hold yet.
    fn unused_value(&self, schema: &Schema, items: &[Value]) -> Option<Value> {
        let Schema::Object(object) = self.contract.resolve(schema) else {
            return None;
        };
        let composed = !object.all_of.is_empty()
            || !object.one_of.is_empty()
            || !object.any_of.is_empty()
            || object.not.is_some();
        if composed || object.const_value.is_some() {
            return None;
        }
        let booleans = [json!(true), json!(false)];
        let values = match &object.enum_values {
            Some(values) => values.as_slice(),
            None if object.types == [Type::Boolean] => &booleans,
            None => return None,
        };
        values.iter().find(|value| !items.contains(value)).cloned()
    }

    fn draw_count(&mut self, range: std::ops::RangeInclusive<usize>) -> usize {
        self.events += 1;
        self.rng.random_range(range)
    }
}
