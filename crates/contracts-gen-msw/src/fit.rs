//! Whether a value (an example that matches its schema) also fits the
//! generated TypeScript types where they are stricter than JSON Schema, as
//! the handlers check every JSON body with `satisfies`: an object type that
//! lists its properties admits no others (TypeScript's excess property check
//! on literals; the types close such objects as openapi-typescript does), and
//! a branch a discriminator maps needs its tag, and a schema with properties
//! and no `type` takes objects only, and an `additionalProperties` schema
//! (an index signature) holds for declared properties too. `oneOf`/`anyOf` are checked
//! against the first branch that accepts the value, which is stricter than
//! TypeScript's unions, so a value that passes here passes there.

use std::ptr;

use contracts_model::pointer;
use contracts_model::{Schema, SchemaObject};
use serde_json::Value;

use crate::mock::{MAX_COMPLETE_DEPTH, Mocker};

/// Why a value is refused when checking it took more steps than a body may spend.
const TOO_COMPLEX: &str =
    "checking it against the types takes more steps than a mock body may spend";

impl Mocker<'_> {
    /// `Err` says where and why `value` does not fit.
    pub fn fits(&self, schema: &Schema, value: &Value) -> Result<(), String> {
        self.start_checks();
        self.fits_at(schema, value, "", 0)
    }

    fn fits_at(
        &self,
        schema: &Schema,
        value: &Value,
        path: &str,
        depth: usize,
    ) -> Result<(), String> {
        if depth > MAX_COMPLETE_DEPTH {
            return Ok(());
        }
        if !self.check_step() {
            return Err(TOO_COMPLEX.to_owned());
        }
        // The schemas whose types intersect for this value.
        let mut parts = Vec::new();
        self.parts(schema, value, path, &mut parts, depth)?;
        // JSON Schema applies `properties`/`required` to objects only, but the
        // types make an object of a schema that has them and no `type`.
        if !value.is_object()
            && parts
                .iter()
                .any(|part| part.types.is_empty() && part.is_object_type())
        {
            return Err(format!(
                "{} is not an object, which the types require of a schema with properties and no `type`",
                place(path)
            ));
        }
        match value {
            Value::Object(map) => {
                let shaped: Vec<&SchemaObject> = parts
                    .iter()
                    .copied()
                    .filter(|part| part.is_object_type())
                    .collect();
                let open = shaped.is_empty() || shaped.iter().any(|part| open(part));
                for (key, item) in map {
                    let at = pointer::push(path, key);
                    let declared = || shaped.iter().filter_map(|part| part.properties.get(key));
                    if declared().next().is_none() {
                        if !open && !shaped.iter().any(|part| part.is_required(key)) {
                            return Err(format!(
                                "{} is not a property the schema declares",
                                place(&at)
                            ));
                        }
                        // Undeclared keys take the additionalProperties schemas.
                        for schema in index_signatures(&shaped) {
                            self.fits_at(schema, item, &at, depth + 1)?;
                        }
                        continue;
                    }
                    for schema in declared() {
                        self.fits_at(schema, item, &at, depth + 1)?;
                    }
                    // An index signature holds for declared properties too in
                    // TypeScript, not in JSON Schema.
                    for schema in index_signatures(&shaped) {
                        if !self.accepts(schema, item, 0) {
                            return Err(format!(
                                "{} is a declared property whose value `additionalProperties` rejects, and the types' index signature holds for every property",
                                place(&at)
                            ));
                        }
                    }
                }
            }
            Value::Array(items) => {
                for part in parts {
                    for (index, item) in items.iter().enumerate() {
                        let schema = part.prefix_items.get(index).or(part.items.as_ref());
                        if let Some(schema) = schema {
                            self.fits_at(schema, item, &format!("{path}/{index}"), depth + 1)?;
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// `schema`, its `allOf` parts and the `oneOf`/`anyOf` branch taken for
    /// `value`, recursively. Literal types (`enum`, `const`) add nothing.
    fn parts<'s>(
        &'s self,
        schema: &'s Schema,
        value: &Value,
        path: &str,
        out: &mut Vec<&'s SchemaObject>,
        depth: usize,
    ) -> Result<(), String> {
        let Schema::Object(object) = self.contract.resolve(schema) else {
            return Ok(());
        };
        // `allOf` parts revisit the same value: bounded, as they may loop;
        // a part met before adds nothing (`allOf: [A, A]` stays linear).
        if depth > MAX_COMPLETE_DEPTH
            || object.const_value.is_some()
            || object.enum_values.is_some()
            || out.iter().any(|seen| ptr::eq(*seen, &**object))
        {
            return Ok(());
        }
        if !self.check_step() {
            return Err(TOO_COMPLEX.to_owned());
        }
        out.push(object);
        for part in &object.all_of {
            self.parts(part, value, path, out, depth + 1)?;
        }
        for branches in [&object.one_of, &object.any_of] {
            if branches.is_empty() {
                continue;
            }
            let branch = branches.iter().find(|branch| {
                self.accepts(branch, value, 0) && self.tagged(object, branch, value)
            });
            match branch {
                Some(branch) => self.parts(branch, value, path, out, depth + 1)?,
                None => {
                    let tag = object.discriminator.as_ref().map_or(String::new(), |d| {
                        format!(" with its `{}` tag", d.property_name)
                    });
                    return Err(format!("{} fits no branch{tag} of the union", place(path)));
                }
            }
        }
        Ok(())
    }

    /// Whether `value` carries the tag the types give `branch`: a branch the
    /// discriminator maps, when it is an object, is narrowed to its tags.
    fn tagged(&self, object: &SchemaObject, branch: &Schema, value: &Value) -> bool {
        let (Some(discriminator), Schema::Ref(id)) = (&object.discriminator, branch) else {
            return true;
        };
        let mut tags = (discriminator.mapping.iter())
            .filter(|(_, target)| *target == id)
            .map(|(tag, _)| tag)
            .peekable();
        let is_object = self
            .contract
            .resolve(branch)
            .as_object()
            .is_some_and(SchemaObject::is_object_type);
        if tags.peek().is_none() || !is_object {
            return true;
        }
        let tag = value
            .get(&discriminator.property_name)
            .and_then(Value::as_str);
        tags.any(|expected| Some(expected.as_str()) == tag)
    }
}

/// A value's place in a message.
fn place(path: &str) -> String {
    match path {
        "" => "the value".to_owned(),
        path => format!("`{path}`"),
    }
}

/// The `additionalProperties` schemas of the object types: their index signatures.
fn index_signatures<'s>(shaped: &[&'s SchemaObject]) -> impl Iterator<Item = &'s Schema> {
    shaped
        .iter()
        .filter_map(|part| match &part.additional_properties {
            Some(schema @ (Schema::Object(_) | Schema::Ref(_))) => Some(schema),
            _ => None,
        })
}

/// Whether the object type takes any key: an index signature, or no listed properties.
fn open(object: &SchemaObject) -> bool {
    match &object.additional_properties {
        Some(Schema::Bool(false)) => false,
        Some(_) => true,
        None => object.properties.is_empty() && object.required.is_empty(),
    }
}
