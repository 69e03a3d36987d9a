//! Typed field access: reads a field as an object, string, bool, number or
//! array, reporting a `wrong-type` error where the document has another type.

use indexmap::IndexMap;
use serde_json::{Map, Number, Value};

use super::{At, Builder};
use crate::codes;

impl Builder<'_> {
    pub(super) fn wrong_type(&mut self, at: &At, expected: &str, found: &Value) {
        let name = at.pointer.rsplit('/').next().unwrap_or("");
        self.error(
            codes::WRONG_TYPE,
            at,
            format!("`{name}` must be {expected}, found {}", kind_of(found)),
        );
    }

    pub(super) fn object<'v>(
        &mut self,
        value: &'v Value,
        at: &At,
    ) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(map) => Some(map),
            other => {
                self.wrong_type(at, "an object", other);
                None
            }
        }
    }

    /// The object at field `key` (absent: `None`; not an object: reported) and its location.
    pub(super) fn field_object<'v>(
        &mut self,
        map: &'v Map<String, Value>,
        key: &str,
        at: &At,
    ) -> Option<(&'v Map<String, Value>, At)> {
        let value = map.get(key)?;
        let at = at.child(key);
        let object = self.object(value, &at)?;
        Some((object, at))
    }

    /// The field `key` as a `T`, reporting any other JSON type at the field.
    fn typed<T>(
        &mut self,
        map: &Map<String, Value>,
        key: &str,
        at: &At,
        expected: &str,
        extract: impl FnOnce(&Value) -> Option<T>,
    ) -> Option<T> {
        let value = map.get(key)?;
        let typed = extract(value);
        if typed.is_none() {
            self.wrong_type(&at.child(key), expected, value);
        }
        typed
    }

    pub(super) fn string(
        &mut self,
        map: &Map<String, Value>,
        key: &str,
        at: &At,
    ) -> Option<String> {
        self.typed(map, key, at, "a string", |value| {
            value.as_str().map(str::to_owned)
        })
    }

    pub(super) fn boolean(&mut self, map: &Map<String, Value>, key: &str, at: &At) -> Option<bool> {
        self.typed(map, key, at, "a boolean", Value::as_bool)
    }

    pub(super) fn count(&mut self, map: &Map<String, Value>, key: &str, at: &At) -> Option<u64> {
        self.typed(map, key, at, "a non-negative integer", |value| {
            // `2.0` is an integer in JSON Schema.
            value.as_u64().or_else(|| {
                value
                    .as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                    .map(|f| f as u64)
            })
        })
    }

    pub(super) fn number(
        &mut self,
        map: &Map<String, Value>,
        key: &str,
        at: &At,
    ) -> Option<Number> {
        self.typed(map, key, at, "a number", |value| match value {
            Value::Number(number) => Some(number.clone()),
            _ => None,
        })
    }

    pub(super) fn array<'v>(
        &mut self,
        map: &'v Map<String, Value>,
        key: &str,
        at: &At,
    ) -> Option<&'v Vec<Value>> {
        match map.get(key)? {
            Value::Array(items) => Some(items),
            other => {
                self.wrong_type(&at.child(key), "an array", other);
                None
            }
        }
    }

    pub(super) fn strings(&mut self, map: &Map<String, Value>, key: &str, at: &At) -> Vec<String> {
        let Some(items) = self.array(map, key, at) else {
            return Vec::new();
        };
        let at = at.child(key);
        items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| match item {
                Value::String(text) => Some(text.clone()),
                other => {
                    self.wrong_type(&at.index(index), "a string", other);
                    None
                }
            })
            .collect()
    }

    pub(super) fn extensions(map: &Map<String, Value>) -> IndexMap<String, Value> {
        entries_where(map, |key| key.starts_with("x-"))
    }

    pub(super) fn keep(map: &Map<String, Value>, known: &[&str]) -> IndexMap<String, Value> {
        entries_where(map, |key| !known.contains(&key))
    }

    /// The items of an array of objects at `key`, each built by `build`.
    pub(super) fn objects<T>(
        &mut self,
        map: &Map<String, Value>,
        key: &str,
        at: &At,
        mut build: impl FnMut(&mut Self, &Map<String, Value>, &At) -> Option<T>,
    ) -> Vec<T> {
        let Some(items) = self.array(map, key, at) else {
            return Vec::new();
        };
        let at = at.child(key);
        items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| {
                let at = at.index(index);
                let object = self.object(item, &at)?;
                build(self, object, &at)
            })
            .collect()
    }

    /// A string field the spec requires; its absence is a `missing-field` error.
    pub(super) fn required_string(
        &mut self,
        map: &Map<String, Value>,
        key: &str,
        at: &At,
        what: &str,
    ) -> Option<String> {
        let value = self.string(map, key, at);
        if value.is_none() && !map.contains_key(key) {
            self.error(
                codes::MISSING_FIELD,
                at,
                format!("missing required field `{key}` in {what}"),
            );
        }
        value
    }
}

pub(super) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The entries of `map` whose keys `wanted` takes, copied in order.
fn entries_where(
    map: &Map<String, Value>,
    wanted: impl Fn(&str) -> bool,
) -> IndexMap<String, Value> {
    (map.iter())
        .filter(|(key, _)| wanted(key))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect()
}
