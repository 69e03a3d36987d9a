//! Arrays and tuples: `items`, `prefixItems`, `--array-length` tuples, `--immutable`.

use contracts_model::{Schema, SchemaObject, Type};
use oxc_ast::ast::TSType;

use crate::{Context, Generator};

impl<'c, 'a> Generator<'c, 'a> {
    /// `T[]` or a tuple (or a union of tuples), each `readonly` under `--immutable`.
    pub(crate) fn array_shape(&mut self, object: &SchemaObject, context: Context) -> TSType<'a> {
        let sound = self.items_sound(object);
        let mark = self.enter(&[], true, false, sound);
        let shape = self.elements_shape(object, context);
        self.leave(mark);
        shape
    }

    pub(crate) fn elements_shape(&mut self, object: &SchemaObject, context: Context) -> TSType<'a> {
        if !object.prefix_items.is_empty() {
            let elements = object
                .prefix_items
                .iter()
                .map(|item| self.schema_type(item, context))
                .collect();
            let rest = match &object.items {
                Some(Schema::Bool(false)) => None,
                Some(items) => Some(self.schema_type(items, context)),
                None => Some(self.ts.unknown()),
            };
            let tuple = self.ts.tuple(elements, rest);
            return self.frozen(tuple);
        }
        if let Some(tuples) = self.length_tuples(object, context) {
            return tuples;
        }
        let element = self.items_type(object, context);
        let array = self.ts.array(element);
        self.frozen(array)
    }

    /// An array or tuple type, `readonly` under `--immutable` (a union of
    /// tuples takes it on each: `readonly` applies to array types only).
    pub(crate) fn frozen(&self, shape: TSType<'a>) -> TSType<'a> {
        if self.options.immutable {
            self.ts.readonly(shape)
        } else {
            shape
        }
    }

    pub(crate) fn items_type(&mut self, object: &SchemaObject, context: Context) -> TSType<'a> {
        match &object.items {
            Some(items) => self.schema_type(items, context),
            None => self.ts.unknown(),
        }
    }

    /// `--array-length`: `type: array` with `minItems`/`maxItems` as a tuple
    /// (`[T, T, ...T[]]`) or a union of tuples of each length, when that
    /// takes fewer than 30 elements, as openapi-typescript writes it.
    pub(crate) fn length_tuples(
        &mut self,
        object: &SchemaObject,
        context: Context,
    ) -> Option<TSType<'a>> {
        if !self.options.array_length || !object.types.contains(&Type::Array) {
            return None;
        }
        let constraints = object.constraints();
        let min = constraints.min_items.unwrap_or(0);
        let max = constraints.max_items.filter(|max| min <= *max);
        let size = match max {
            None => u128::from(min),
            Some(max) => {
                let (min, max) = (u128::from(min), u128::from(max));
                (max * (max + 1) - min * min.saturating_sub(1)) / 2
            }
        };
        if (min == 0 && max.is_none()) || size >= 30 {
            return None;
        }
        let mut tuple = |length: u64, rest: bool| {
            let elements = (0..length)
                .map(|_| self.items_type(object, context))
                .collect();
            let rest = rest.then(|| self.items_type(object, context));
            let tuple = self.ts.tuple(elements, rest);
            self.frozen(tuple)
        };
        Some(if Some(min) == max {
            tuple(min, false)
        } else if constraints.max_items.is_some_and(|max| max > 0) {
            // Each length from `min` to `max`; none (`never`) when `maxItems` is below `minItems`.
            let tuples = (min..=max.unwrap_or(0))
                .map(|length| tuple(length, false))
                .collect();
            self.ts.union(tuples)
        } else {
            tuple(min, true)
        })
    }
}
