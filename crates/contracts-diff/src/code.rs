//! The `code` category: changes invisible on the wire that break code
//! generated from the spec. Every generator names types after
//! `components.schemas` and operations after their operationId, so renaming
//! either breaks code written against the generated names
//! (`components["schemas"]["Order"]`, `operations["getOrder"]`, Rust's
//! `Order` and `GetOrderParams`) while the JSON stays as it was; and some
//! wire-compatible edits change a generated Rust type (an integer's width,
//! an inline enum that became a `$ref`).

use contracts_model::{Contract, Schema, SchemaObject, Type};
use serde_json::Value;

use crate::operations::match_operations;
use crate::rules;
use crate::schema::Position;
use crate::{Change, Engine, Policy};

/// Renames of `components.schemas` are matched by meaning only when there
/// are at most this many (removed × added) pairs to judge; beyond it, a
/// gone name is reported removed.
const MAX_RENAME_PAIRS: usize = 10_000;

/// Every code-level change from `base` to `revision`.
pub fn code_changes(base: &Contract, revision: &Contract) -> Vec<Change> {
    let mut engine = Engine::new(base, revision, Policy::today());
    engine.schema_names();
    engine.operation_ids();
    let kept = engine.kept_schemas();
    for (place, _, old, new) in kept.iter().filter(|(_, property, ..)| *property) {
        engine.property_type(place, old, new);
    }
    for (place, _, old, new) in &kept {
        engine.enum_order(place, old, new);
    }
    engine.changes
}

/// Both directions: a schema means the same when neither what clients send
/// nor what they receive changes.
fn directions() -> [Position; 2] {
    [true, false].map(|request| Position {
        prefix: if request {
            "request-body"
        } else {
            "response-body"
        },
        property_prefix: if request {
            "request-property"
        } else {
            "response-property"
        },
        request,
        path: String::new(),
        operation: String::new(),
    })
}

impl<'c> Engine<'c> {
    fn means_the_same(&mut self, old: &'c Schema, new: &'c Schema) -> bool {
        directions()
            .iter()
            .all(|position| self.same_meaning(old, new, position))
    }

    /// Component schemas gone from the revision: renamed when a new name
    /// holds the same meaning, else removed.
    fn schema_names(&mut self) {
        let (base, revision) = (self.base, self.revision);
        let (old, new) = (&base.components.schemas, &revision.components.schemas);
        let gone: Vec<_> = old
            .iter()
            .filter(|(name, _)| !new.contains_key(*name))
            .collect();
        let added: Vec<_> = new
            .iter()
            .filter(|(name, _)| !old.contains_key(*name))
            .collect();
        let judge = gone.len() * added.len() <= MAX_RENAME_PAIRS;
        let mut taken = vec![false; added.len()];
        for (name, id) in gone {
            let old_schema = base.schema(*id);
            let renamed = (0..added.len()).filter(|_| judge).find(|&index| {
                !taken[index]
                    && self.means_the_same(
                        &old_schema.schema,
                        &revision.schema(*added[index].1).schema,
                    )
            });
            match renamed {
                Some(index) => {
                    taken[index] = true;
                    let (new_name, new_id) = added[index];
                    self.report(
                        rules::CODE_SCHEMA_RENAMED,
                        None,
                        format!("schema `{name}` became `{new_name}`: code naming `{name}` no longer compiles"),
                        Some(&old_schema.loc),
                        Some(&revision.schema(*new_id).loc),
                    );
                }
                None => self.report(
                    rules::CODE_SCHEMA_REMOVED,
                    None,
                    format!("schema `{name}` is no longer in components: code naming it no longer compiles"),
                    Some(&old_schema.loc),
                    None,
                ),
            }
        }
    }

    /// operationIds of operations kept, paired as the wire rules pair them.
    fn operation_ids(&mut self) {
        let (base, revision) = (self.base, self.revision);
        let partners = match_operations(&base.operations, &revision.operations);
        for (old, partner) in base.operations.iter().zip(partners) {
            let (Some(id), Some(index)) = (&old.operation_id, partner) else {
                continue;
            };
            let new = &revision.operations[index];
            let label = new.label();
            match &new.operation_id {
                Some(new_id) if new_id == id => {}
                Some(new_id) => self.report(
                    rules::CODE_OPERATION_ID_CHANGED,
                    Some(&label),
                    format!("operationId `{id}` became `{new_id}`: code naming `{id}` no longer compiles"),
                    Some(&old.loc),
                    Some(&new.loc),
                ),
                None => self.report(
                    rules::CODE_OPERATION_ID_REMOVED,
                    Some(&label),
                    format!("operationId `{id}` was removed: code naming it no longer compiles"),
                    Some(&old.loc),
                    Some(&new.loc),
                ),
            }
        }
    }

    /// Component schemas kept under their name, each followed by its
    /// properties kept under theirs (`Order.status`, `true` for a property):
    /// where generated names and types can change while the meaning stays.
    fn kept_schemas(&self) -> Vec<(String, bool, &'c Schema, &'c Schema)> {
        let (base, revision) = (self.base, self.revision);
        let mut kept = Vec::new();
        for (name, old_id) in &base.components.schemas {
            let Some(new_id) = revision.components.schemas.get(name) else {
                continue;
            };
            let (old, new) = (
                &base.schema(*old_id).schema,
                &revision.schema(*new_id).schema,
            );
            kept.push((name.clone(), false, old, new));
            let (Some(old), Some(new)) = (old.as_object(), new.as_object()) else {
                continue;
            };
            for (property, old_schema) in &old.properties {
                if let Some(new_schema) = new.properties.get(property) {
                    kept.push((format!("{name}.{property}"), true, old_schema, new_schema));
                }
            }
        }
        kept
    }

    /// A property's integer width, and its schema moving between inline and a `$ref`.
    fn property_type(&mut self, place: &str, old: &'c Schema, new: &'c Schema) {
        let (base, revision) = (self.base, self.revision);
        if let (Some(old_object), Some(new_object)) = (
            base.resolve(old).as_object(),
            revision.resolve(new).as_object(),
        ) {
            let (old_width, new_width) = (integer_width(old_object), integer_width(new_object));
            if old_width.is_some() && new_width.is_some() && old_width != new_width {
                self.report(
                    rules::CODE_INTEGER_WIDTH_CHANGED,
                    None,
                    format!(
                        "`{place}`: integer format `{}` became `{}`: its Rust type changes",
                        old_object.format.as_deref().unwrap_or("(none)"),
                        new_object.format.as_deref().unwrap_or("(none)")
                    ),
                    Some(&old_object.loc),
                    Some(&new_object.loc),
                );
            }
        }
        let named = |schema: &Schema, contract: &Contract| match schema {
            Schema::Ref(id) => Some(contract.schema(*id).name.clone()),
            _ => None,
        };
        let (old_name, new_name) = (named(old, base), named(new, revision));
        let moved = match (&old_name, &new_name) {
            (None, Some(_)) => gets_own_type(old),
            (Some(_), None) => gets_own_type(new),
            _ => false,
        };
        if moved && self.means_the_same(old, new) {
            let shown = |name: &Option<String>| match name {
                Some(name) => format!("`$ref` to `{name}`"),
                None => "inline".to_owned(),
            };
            let at = |schema: &'c Schema, contract: &'c Contract| match schema {
                Schema::Ref(id) => contract.schema(*id).loc.clone(),
                Schema::Object(object) => object.loc.clone(),
                Schema::Bool(_) => Default::default(),
            };
            self.report(
                rules::CODE_PROPERTY_TYPE_RENAMED,
                None,
                format!(
                    "`{place}` moved from {} to {}, meaning the same: its Rust type is renamed",
                    shown(&old_name),
                    shown(&new_name)
                ),
                Some(&at(old, base)),
                Some(&at(new, revision)),
            );
        }
    }

    /// An enum that kept its values in another order, where the order tells
    /// colliding member names apart.
    fn enum_order(&mut self, place: &str, old: &'c Schema, new: &'c Schema) {
        let (Some(old), Some(new)) = (old.as_object(), new.as_object()) else {
            return;
        };
        let (Some(old_values), Some(new_values)) = (&old.enum_values, &new.enum_values) else {
            return;
        };
        let same_set = old_values.len() == new_values.len()
            && old_values.iter().all(|value| new_values.contains(value));
        if !same_set || old_values == new_values {
            return;
        }
        let position = |values: &[Value], value: &Value| values.iter().position(|v| v == value);
        let swapped = old_values.iter().enumerate().find_map(|(index, a)| {
            old_values[index + 1..].iter().find_map(|b| {
                let collide = member_base(a) == member_base(b);
                let reordered = position(new_values, a) > position(new_values, b);
                (collide && reordered).then_some((a, b))
            })
        });
        if let Some((a, b)) = swapped {
            self.report(
                rules::CODE_ENUM_MEMBER_RENAMED,
                None,
                format!("`{place}`: enum values {a} and {b} changed order; their generated member names follow it"),
                Some(&old.loc),
                Some(&new.loc),
            );
        }
    }
}

/// What an enum value's generated member name is made of: its letters and
/// digits, case aside (`in-progress`, `in_progress` and `In Progress` give
/// the same name, `InProgress`).
fn member_base(value: &Value) -> String {
    match value {
        Value::String(text) => (text.chars())
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect(),
        other => other.to_string(),
    }
}

/// The width an integer's `format` asks for (`int32`, `uint64`, ...); `None`
/// for a schema that is not an integer or sets no known width.
fn integer_width(schema: &SchemaObject) -> Option<&str> {
    const WIDTHS: [&str; 10] = [
        "int8", "uint8", "int16", "uint16", "int", "int32", "uint", "uint32", "int64", "uint64",
    ];
    if schema.types != [Type::Integer] {
        return None;
    }
    let format = schema.format.as_deref().unwrap_or("int64");
    WIDTHS.contains(&format).then_some(match format {
        "int" => "int32",
        "uint" => "uint32",
        other => other,
    })
}

/// Whether an inline schema gets a Rust type of its own (named after its
/// parent and property): enums and objects with properties do.
fn gets_own_type(schema: &Schema) -> bool {
    schema
        .as_object()
        .is_some_and(|object| object.enum_values.is_some() || !object.properties.is_empty())
}
