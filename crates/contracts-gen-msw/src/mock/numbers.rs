//! Numbers and integers within their bounds; by meaning (a price, a
//! quantity) when the name says and the bounds allow.

use contracts_model::{Schema, SchemaObject};
use rand::RngExt;
use serde_json::{Number, Value, json};

use super::Mocker;
use super::meaning::Quantity;

impl Mocker<'_> {
    pub(super) fn number(&mut self, object: &SchemaObject, integer: bool) -> Value {
        if let Some(value) = self.meant_number(object, integer) {
            return value;
        }
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

    /// A value of what the name says (money with two decimals, a count), if
    /// one in its usual range meets the schema's bounds.
    fn meant_number(&mut self, object: &SchemaObject, integer: bool) -> Option<Value> {
        let quantity = Quantity::of(self.names().0?)?;
        let (low, high) = quantity.range();
        self.events += 1;
        let drawn = self.rng.random_range(low..=high);
        let value = match (quantity, integer) {
            (_, true) => drawn.round(),
            (Quantity::Money, false) => (drawn * 100.0).round() / 100.0,
            (_, false) => drawn.round(),
        };
        if !in_bounds(object, value) {
            return None;
        }
        Some(match value.fract() == 0.0 {
            true => json!(value as i64),
            false => Value::Number(Number::from_f64(value)?),
        })
    }

    /// Whether `schema` is a plain number schema that takes `value`.
    pub(super) fn takes_number(&self, schema: &Schema, value: f64) -> bool {
        let Schema::Object(object) = self.contract.resolve(schema) else {
            return false;
        };
        object.const_value.is_none()
            && object.enum_values.is_none()
            && (object
                .all_of
                .iter()
                .chain(&object.one_of)
                .chain(&object.any_of))
            .next()
            .is_none()
            && object.not.is_none()
            && (object.types.iter()).any(|ty| {
                matches!(
                    ty,
                    contracts_model::Type::Integer | contracts_model::Type::Number
                )
            })
            && in_bounds(object, value)
    }
}

/// Whether `value` meets `object`'s bounds and `multipleOf`.
fn in_bounds(object: &SchemaObject, value: f64) -> bool {
    let constraints = object.constraints();
    let float = |n: &Option<Number>| n.as_ref().and_then(Number::as_f64);
    let step = float(&constraints.multiple_of);
    float(&constraints.minimum).is_none_or(|m| value >= m)
        && float(&constraints.maximum).is_none_or(|m| value <= m)
        && float(&constraints.exclusive_minimum).is_none_or(|m| value > m)
        && float(&constraints.exclusive_maximum).is_none_or(|m| value < m)
        && step.is_none_or(|step| step > 0.0 && (value / step).fract().abs() < 1e-9)
}
