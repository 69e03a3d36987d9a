//! How many levels of generation the smallest value of a schema needs: what
//! lets the mocker leave a recursive schema through a branch, a `null` or an
//! empty array before its depth budget is spent, and tell a schema that
//! admits no finite value (a required self-reference with no way out).
//!
//! A level is one step of the mocker's `depth`: a property, an item, an
//! `allOf` part or a `oneOf`/`anyOf` branch. Heights mirror the smallest
//! choices the mocker makes: only required properties, `minItems` items,
//! the lowest branch, `null` or a scalar type when allowed.

use std::collections::HashMap;
use std::ptr;

use contracts_model::{Contract, Schema, SchemaObject, Type};

/// No finite value within the cap (or none at all).
pub(crate) const UNREACHABLE: u32 = u32::MAX;

pub(crate) struct Heights<'c> {
    contract: &'c Contract,
    /// Heights beyond this are [`UNREACHABLE`]: the mocker never goes deeper.
    cap: u32,
    /// The height of each named schema with content, by its address.
    named: HashMap<*const SchemaObject, u32>,
}

impl<'c> Heights<'c> {
    /// The least fixed point over the named schemas, found by rounds from
    /// "unreachable" down. A schema of height `h` only refers to schemas of
    /// lower height, so after round `h` its height is exact: rounds stop at
    /// the cap, or earlier when nothing changes.
    pub(crate) fn new(contract: &'c Contract, cap: u32) -> Self {
        let contents: Vec<&SchemaObject> = (contract.schemas.iter())
            .filter_map(|named| named.schema.as_object())
            .collect();
        let mut heights = Heights {
            contract,
            cap,
            named: (contents.iter())
                .map(|object| (ptr::from_ref(*object), UNREACHABLE))
                .collect(),
        };
        for _ in 0..=cap {
            let mut changed = false;
            for object in &contents {
                let height = heights.object(object, cap);
                let known = heights.named.entry(ptr::from_ref(*object)).or_default();
                if height < *known {
                    *known = height;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        heights
    }

    /// The height of `schema`: a named schema's from the table, an inline one's worked out.
    pub(crate) fn of(&self, schema: &Schema) -> u32 {
        self.within(schema, self.cap)
    }

    /// The height of an object the mocker is at, named or inline.
    pub(crate) fn of_object(&self, object: &SchemaObject) -> u32 {
        match self.named.get(&ptr::from_ref(object)) {
            Some(height) => *height,
            None => self.object(object, self.cap),
        }
    }

    /// The height of `schema` when at most `left` levels are left.
    fn within(&self, schema: &Schema, left: u32) -> u32 {
        match (schema, self.contract.resolve(schema)) {
            (Schema::Ref(_), Schema::Object(object)) => {
                let height = self.named.get(&ptr::from_ref(&**object));
                height.copied().unwrap_or(UNREACHABLE)
            }
            (_, Schema::Object(object)) => self.object(object, left),
            _ => 0,
        }
    }

    /// One level more than `schema`'s height, or unreachable if that is more than `left`.
    fn below(&self, schema: &Schema, left: u32) -> u32 {
        if left == 0 {
            return UNREACHABLE;
        }
        let height = self.within(schema, left - 1);
        if height < left {
            height + 1
        } else {
            UNREACHABLE
        }
    }

    fn object(&self, object: &SchemaObject, left: u32) -> u32 {
        if object.const_value.is_some()
            || object.enum_values.as_ref().is_some_and(|v| !v.is_empty())
        {
            return 0;
        }
        let below = |schema: &Schema| self.below(schema, left);
        let required = || self.required_properties(object, left);
        if !object.all_of.is_empty() {
            return (object.all_of.iter().map(below)).fold(required(), u32::max);
        }
        let branches = match object.one_of.len() {
            0 => &object.any_of[..],
            1 => &object.one_of[..1],
            _ => &object.one_of[..],
        };
        if !branches.is_empty() {
            let lowest = branches.iter().map(below).min().unwrap_or(UNREACHABLE);
            return lowest.max(required());
        }
        if object.nullable || object.types.iter().any(|ty| is_scalar(*ty)) {
            return 0;
        }
        self.shape(object, left)
    }

    /// The height of the value of the object's own type (the [`shape`]),
    /// leaving `null` and other types aside.
    pub(crate) fn of_shape(&self, object: &SchemaObject) -> u32 {
        self.shape(object, self.cap)
    }

    fn shape(&self, object: &SchemaObject, left: u32) -> u32 {
        match shape(object) {
            Some(Type::Array) => self.required_items(object, left),
            Some(Type::Object) => self.required_properties(object, left),
            _ => 0,
        }
    }

    /// The levels an object's smallest value needs: its required properties,
    /// and `additionalProperties` values when `minProperties` asks for more.
    fn required_properties(&self, object: &SchemaObject, left: u32) -> u32 {
        let below = |schema: &Schema| self.below(schema, left);
        let declared = (object.required.iter()).filter_map(|name| object.properties.get(name));
        let mut height = declared.map(below).max().unwrap_or(0);
        let minimum = object.constraints().min_properties.unwrap_or(0);
        if minimum > object.required.len() as u64
            && let Some(additional @ (Schema::Object(_) | Schema::Ref(_))) =
                &object.additional_properties
        {
            height = height.max(below(additional));
        }
        height
    }

    /// The levels an array's smallest value needs: its first `minItems` items.
    fn required_items(&self, object: &SchemaObject, left: u32) -> u32 {
        let below = |schema: &Schema| self.below(schema, left);
        let minimum = object.constraints().min_items.unwrap_or(0);
        let prefix =
            (object.prefix_items.iter()).take(usize::try_from(minimum).unwrap_or(usize::MAX));
        let mut height = prefix.map(below).max().unwrap_or(0);
        if minimum > object.prefix_items.len() as u64
            && let Some(items @ (Schema::Object(_) | Schema::Ref(_))) = &object.items
        {
            height = height.max(below(items));
        }
        height
    }
}

fn is_scalar(ty: Type) -> bool {
    !matches!(ty, Type::Array | Type::Object)
}

/// The type the mocker makes a value of: the first listed, else the one the
/// keywords imply (properties: an object, items: an array).
pub(crate) fn shape(object: &SchemaObject) -> Option<Type> {
    object.types.first().copied().or_else(|| {
        if !object.properties.is_empty() || object.additional_properties.is_some() {
            Some(Type::Object)
        } else if object.items.is_some() || !object.prefix_items.is_empty() {
            Some(Type::Array)
        } else {
            None
        }
    })
}
