//! Numbers and integers within their bounds.

use contracts_model::SchemaObject;
use serde_json::{Number, Value, json};

use super::Mocker;

impl Mocker<'_> {
    pub(super) fn number(&mut self, object: &SchemaObject, integer: bool) -> Value {
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
}
