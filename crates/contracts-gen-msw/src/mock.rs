//! Mock values generated from schemas: deterministic for a seed, valid
//! against the schema as far as JSON Schema can be met by construction
//! (type, format, enum, const, bounds, lengths, items, pattern, required,
//! nullable, `oneOf` with discriminators, `allOf`).
//!
//! Generation ends on any schema graph, in bounded time and memory: past
//! [`MAX_DEPTH`] levels, or [`MAX_NODES`] nodes in a body, the smallest
//! choices are taken (the lowest branch, `null`, no optional properties, as
//! few items as allowed: see [`Heights`]); nothing goes deeper than
//! [`MAX_LEVELS`]; sizes from the spec are capped. Where a value cannot be
//! made within the limits, the smallest value of the type stands in, with a
//! [`MOCK_LIMITED`] warning at the schema.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::ptr;

use contracts_diagnostics::{Diagnostic, Location};
use contracts_model::codes::MOCK_LIMITED;
use contracts_model::{Contract, Loc, Schema, SchemaObject, Type};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use regex_syntax::hir::{Capture, Class, ClassBytes, ClassBytesRange, Hir, HirKind, Repetition};
use serde_json::{Map, Number, Value, json};

use crate::heights::{Heights, UNREACHABLE, shape};

/// Deeper than this, optional properties are left out, arrays kept short and
/// the lowest branches taken, so recursive schemas end.
const MAX_DEPTH: usize = 6;

/// No value is generated deeper than this: what needs more levels is cut short.
const MAX_LEVELS: usize = 64;

/// Past this many generated nodes (tries of `oneOf` branches included), a
/// body takes the smallest choices, as deeper than [`MAX_DEPTH`].
const MAX_NODES: usize = 20_000;

/// Past this many, what still needs nested values is cut short.
const MAX_CUT_NODES: usize = 4 * MAX_NODES;

/// Nodes of the values kept for reuse per body.
const MAX_REUSED_NODES: usize = 100_000;

/// Caps on sizes the spec asks for: beyond them, a warning, not an allocation.
const MAX_ITEMS: u64 = 2_000;
const MAX_PROPERTIES: u64 = 2_000;
const MAX_CHARS: u64 = 4_096;

/// Samples of a pattern tried for one that also has the schema's `format`.
const FORMAT_TRIES: usize = 8;

/// Samples of a pattern without its lookarounds tried for one that the
/// whole pattern matches.
const LOOKAROUND_TRIES: usize = 32;

/// Extra repeats of an unbounded pattern repetition (`a*`, `a{3,}`).
const MAX_REPEAT: u32 = 8;

/// Steps of the structural checks (`accepts`, `requires`, `complete`,
/// `fits`) per body: composition can make them exponential.
const MAX_CHECKS: usize = 200_000;

/// Examples are at most this deep (the loader caps nesting at 128); the
/// bound also ends `allOf` loops while completing one.
pub(crate) const MAX_COMPLETE_DEPTH: usize = 256;

pub struct Mocker<'c> {
    pub(crate) contract: &'c Contract,
    rng: StdRng,
    /// How many `oneOf` values so far could only be told apart from another
    /// branch by a member outside the TypeScript types (see [`Self::outside_types`]).
    pub(crate) outside_types: usize,
    /// How many values so far were cut short, so may not fit their type.
    pub(crate) cut_short: usize,
    /// Limits met, one warning per schema and limit.
    pub(crate) warnings: Vec<Diagnostic>,
    warned: HashSet<(Loc, &'static str)>,
    /// Worked out on first use: most bodies never need them.
    heights: Option<Heights<'c>>,
    /// Nodes generated in the current body.
    nodes: usize,
    /// Structural checks left in the current body.
    checks_left: Cell<usize>,
    /// Counts what makes a value depend on more than its schema and depth
    /// (random draws, limits met), so values made without any are reused.
    events: usize,
    /// Values of named schemas by depth and strictness, made in the current
    /// body, with their node counts.
    reusable: HashMap<(*const SchemaObject, usize, bool), (Value, usize)>,
    reusable_nodes: usize,
    /// Checks of strings against a `pattern` and a `format`, compiled once;
    /// `None` when they do not compile.
    string_checks: HashMap<(Option<String>, Option<String>), Option<jsonschema::Validator>>,
    /// The named schemas being made past [`MAX_DEPTH`], outermost first.
    deep_named: Vec<*const SchemaObject>,
    /// How many of them are being made inside themselves.
    recursions: usize,
}

impl<'c> Mocker<'c> {
    pub fn new(contract: &'c Contract, seed: u64) -> Self {
        Mocker {
            contract,
            rng: StdRng::seed_from_u64(seed),
            outside_types: 0,
            cut_short: 0,
            warnings: Vec::new(),
            warned: HashSet::new(),
            heights: None,
            nodes: 0,
            checks_left: Cell::new(MAX_CHECKS),
            events: 0,
            reusable: HashMap::new(),
            reusable_nodes: 0,
            string_checks: HashMap::new(),
            deep_named: Vec::new(),
            recursions: 0,
        }
    }

    /// A value for `schema`, as a response would carry it (optional writeOnly properties left out).
    pub fn value(&mut self, schema: &Schema) -> Value {
        self.start_body();
        self.schema(schema, 0)
    }

    /// Budgets are per body, so one large body does not starve the others.
    fn start_body(&mut self) {
        self.nodes = 0;
        self.start_checks();
        self.reusable.clear();
        self.reusable_nodes = 0;
    }

    fn schema(&mut self, schema: &Schema, depth: usize) -> Value {
        let Schema::Object(object) = self.contract.resolve(schema) else {
            return Value::Null;
        };
        if !matches!(schema, Schema::Ref(_)) {
            return self.object(object, depth);
        }
        let address = ptr::from_ref(&**object);
        // A named schema entered again past MAX_DEPTH is a recursion the
        // frugal choices did not end: from here on, the smallest choices.
        let deep = depth >= MAX_DEPTH;
        let recursion = deep && self.deep_named.contains(&address);
        if recursion {
            self.recursions += 1;
            self.events += 1;
        }
        if deep {
            self.deep_named.push(address);
        }
        let value = self.reused_or_made(object, depth);
        if deep {
            self.deep_named.pop();
        }
        if recursion {
            self.recursions -= 1;
        }
        value
    }

    /// A named schema's value: made once per depth and mode of a body, as
    /// named schemas recur (`allOf: [A, A]`, a property per level). Only
    /// values that depend on nothing else (no random draws, no limits met)
    /// are kept, so reusing one gives the same as making it again.
    fn reused_or_made(&mut self, object: &SchemaObject, depth: usize) -> Value {
        let key = (ptr::from_ref(object), depth, self.strict());
        if let Some((value, nodes)) = self.reusable.get(&key)
            && self.nodes <= MAX_CUT_NODES
        {
            self.nodes += nodes;
            return value.clone();
        }
        let events = self.events;
        let value = self.object(object, depth);
        if self.events == events && self.strict() == key.2 {
            // What a reuse costs is a copy: the value's size, not the work that made it.
            let size = nodes_in(&value);
            if self.reusable_nodes + size <= MAX_REUSED_NODES {
                self.reusable_nodes += size;
                self.reusable.insert(key, (value.clone(), size));
            }
        }
        value
    }

    fn object(&mut self, object: &SchemaObject, depth: usize) -> Value {
        self.nodes += 1;
        if let Some(value) = &object.const_value {
            return (**value).clone();
        }
        if let Some(values) = object
            .enum_values
            .as_ref()
            .filter(|values| !values.is_empty())
        {
            return values[0].clone();
        }
        let height = self.heights().of_object(object);
        if height > levels_left(depth) || (height > 0 && self.nodes > MAX_CUT_NODES) {
            return self.cut(object, height, depth);
        }
        if !object.all_of.is_empty() {
            return self.all_of(object, depth);
        }
        if let Some(value) = self.branch_value(object, depth) {
            return value;
        }
        let mut ty = shape(object);
        // An object or array that needs nested values, where they cannot or
        // should no longer be made: `null` or another listed type instead.
        if matches!(ty, Some(Type::Array | Type::Object)) {
            let needs = self.heights().of_shape(object);
            if needs > levels_left(depth) || (needs > 0 && self.strict()) {
                let scalar =
                    (object.types.iter()).find(|ty| !matches!(ty, Type::Array | Type::Object));
                if object.nullable {
                    return Value::Null;
                }
                ty = scalar.copied().or(ty);
            }
        }
        match ty {
            Some(Type::String) => Value::String(self.string(object)),
            Some(Type::Integer) => self.number(object, true),
            Some(Type::Number) => self.number(object, false),
            Some(Type::Boolean) => Value::Bool(true),
            Some(Type::Null) => Value::Null,
            Some(Type::Array) => self.array(object, depth),
            Some(Type::Object) => Value::Object(self.properties(object, depth)),
            None if object.nullable => Value::Null,
            None => json!({}),
        }
    }

    /// The smallest value of the object's type, where a full one would need
    /// more levels or nodes than a mock may have; a warning says which.
    fn cut(&mut self, object: &SchemaObject, height: u32, depth: usize) -> Value {
        self.cut_short += 1;
        let left = levels_left(depth);
        let (limit, why) = if height == UNREACHABLE {
            (
                "unreachable",
                format!(
                    "this schema admits no value the mock can make (it requires itself with no way out, or needs more than {MAX_LEVELS} levels of nesting)"
                ),
            )
        } else if height > left {
            (
                "deep",
                format!(
                    "the smallest value of this schema needs {height} levels of nesting; {left} of the mock's {MAX_LEVELS} are left"
                ),
            )
        } else {
            (
                "large",
                format!("a mock body holding this schema grows past {MAX_CUT_NODES} values"),
            )
        };
        self.warn(object, limit, format!("{why}; the mock has the smallest value of its type instead, which does not match it, so the body is not checked with `satisfies`"));
        if object.nullable {
            return Value::Null;
        }
        match shape(object) {
            Some(Type::String) => json!(""),
            Some(Type::Integer | Type::Number) => json!(0),
            Some(Type::Boolean) => json!(false),
            Some(Type::Null) => Value::Null,
            Some(Type::Array) => json!([]),
            Some(Type::Object) | None => json!({}),
        }
    }

    /// A warning at `object`, once per schema and limit.
    fn warn(&mut self, object: &SchemaObject, limit: &'static str, message: String) {
        self.events += 1;
        if self.warned.insert((object.loc.clone(), limit)) {
            let at = Location::new(self.contract.file(object.loc.file), &object.loc.pointer);
            self.warnings
                .push(Diagnostic::warning(MOCK_LIMITED, message).at(at));
        }
    }

    fn heights(&mut self) -> &Heights<'c> {
        let contract = self.contract;
        self.heights
            .get_or_insert_with(|| Heights::new(contract, MAX_LEVELS as u32))
    }

    /// Whether optional parts are left out: deep down, or when strict.
    fn frugal(&self, depth: usize) -> bool {
        depth >= MAX_DEPTH || self.strict()
    }

    /// Whether the smallest choices are due: inside a recursion past
    /// [`MAX_DEPTH`], or in a large body.
    fn strict(&self) -> bool {
        self.recursions > 0 || self.nodes > MAX_NODES
    }

    /// Whether a value of `schema` at `depth` can be made within [`MAX_LEVELS`].
    fn fits_levels(&mut self, schema: &Schema, depth: usize) -> bool {
        self.heights().of(schema) <= levels_left(depth)
    }

    /// The branches worth trying at `depth`: those that fit the levels left,
    /// and when strict only the lowest (the way out of a recursion).
    fn candidates(&mut self, branches: &[Schema], depth: usize) -> Vec<usize> {
        let heights: Vec<u32> = (branches.iter())
            .map(|branch| self.heights().of(branch))
            .collect();
        let lowest = heights.iter().copied().min().unwrap_or(UNREACHABLE);
        let strict = self.strict();
        (heights.iter().enumerate())
            .filter(|(_, height)| {
                **height <= levels_left(depth + 1) && (!strict || **height == lowest)
            })
            .map(|(index, _)| index)
            .collect()
    }

    /// A value of a `oneOf`/`anyOf` branch: for `oneOf`, of the first branch
    /// whose value can be made to match no other branch (a value matching two
    /// fails `oneOf`), else of the first branch. Only branches that fit the
    /// levels left are tried, and when strict only the lowest ones.
    fn branch_value(&mut self, object: &SchemaObject, depth: usize) -> Option<Value> {
        // Properties beside the branches apply to each.
        let beside = if object.properties.is_empty() && object.required.is_empty() {
            Map::new()
        } else {
            self.properties(object, depth)
        };
        if object.one_of.len() < 2 {
            let branches = match object.one_of.first() {
                Some(_) => &object.one_of[..],
                None => &object.any_of[..],
            };
            let index = *self.candidates(branches, depth).first()?;
            return Some(self.branch(object, &branches[index], &beside, depth));
        }
        let others_than = |index: usize| -> Vec<&Schema> {
            (object.one_of.iter().enumerate())
                .filter(|(other, _)| *other != index)
                .map(|(_, schema)| schema)
                .collect()
        };
        let checks_left = self.checks_left.get();
        let mut first = None;
        for index in self.candidates(&object.one_of, depth) {
            let branch = &object.one_of[index];
            let value = self.branch(object, branch, &beside, depth);
            match self.single_out(object, branch, &others_than(index), value) {
                Ok(value) => {
                    self.warn_if_checks_ran_out(object, checks_left);
                    return Some(value);
                }
                Err(value) => {
                    first.get_or_insert((index, value));
                }
            }
        }
        let (index, value) = first?;
        let value = match self.outside_types(&object.one_of[index], &others_than(index), &value) {
            Some(edited) => {
                self.outside_types += 1;
                self.events += 1;
                edited
            }
            None => {
                let message = "no mock value found matches exactly one of this schema's `oneOf` branches (they accept the same values, as far as the mock can tell); the mock matches several, which `oneOf` rejects".to_owned();
                self.warn(object, "one-of", message);
                value
            }
        };
        self.warn_if_checks_ran_out(object, checks_left);
        Some(value)
    }

    /// A warning at `object` if the checks that told its branches apart ran
    /// out (`checks_left` of them at the start): the value may match several.
    fn warn_if_checks_ran_out(&mut self, object: &SchemaObject, checks_left: usize) {
        if checks_left > 0 && self.checks_left.get() == 0 {
            let message = format!(
                "telling this schema's `oneOf` branches apart took more than the {MAX_CHECKS} checks a mock body may spend; the mock may match several branches"
            );
            self.warn(object, "checks", message);
        }
    }

    /// `value`, of the `oneOf` branch `own`, with members that only other
    /// branches declare set to values they reject, so `own` alone accepts
    /// it. Valid against the schema, but not against the TypeScript union of
    /// the branches (TypeScript checks each member of an object literal
    /// against a union member that declares it): the last resort, for
    /// branches that accept the same objects otherwise.
    fn outside_types(&self, own: &Schema, others: &[&Schema], value: &Value) -> Option<Value> {
        let Value::Object(map) = value else {
            return None;
        };
        let own_object = self.contract.resolve(own).as_object()?;
        if own_object.additional_properties == Some(Schema::Bool(false)) {
            return None;
        }
        let mut edited = map.clone();
        for other in others {
            if !self.accepts(other, &Value::Object(edited.clone()), 0) {
                continue;
            }
            let other_object = self.contract.resolve(other).as_object()?;
            let (name, rejected) = (other_object.properties.iter())
                .filter(|(name, _)| !own_object.properties.contains_key(*name))
                .find_map(|(name, property)| {
                    let candidates = [json!(0), json!(""), json!(false), json!([]), json!({})];
                    let rejected = candidates
                        .into_iter()
                        .find(|candidate| !self.accepts(property, candidate, 0))?;
                    Some((name, rejected))
                })?;
            edited.insert(name.clone(), rejected);
        }
        let edited = Value::Object(edited);
        (self.accepts(own, &edited, 0)
            && others.iter().all(|other| !self.accepts(other, &edited, 0)))
        .then_some(edited)
    }

    /// A value of `branch`, with the properties `beside` it and, when the
    /// discriminator maps it, its tag.
    fn branch(
        &mut self,
        object: &SchemaObject,
        branch: &Schema,
        beside: &Map<String, Value>,
        depth: usize,
    ) -> Value {
        let mut value = self.schema(branch, depth + 1);
        if let Value::Object(map) = &mut value {
            for (name, beside_value) in beside {
                map.entry(name).or_insert_with(|| beside_value.clone());
            }
            if let (Some(discriminator), Schema::Ref(id)) = (&object.discriminator, branch)
                && let Some((tag, _)) =
                    (discriminator.mapping.iter()).find(|(_, target)| *target == id)
            {
                map.insert(discriminator.property_name.clone(), json!(tag));
            }
        }
        value
    }

    /// `value`, of the `oneOf` branch `own`, edited where another branch
    /// accepts it too: a property that branch requires left out, or a
    /// property given another of its enum values. `Err(value)` when no edit
    /// makes `own` the only branch that accepts it.
    ///
    /// Edits stay within `own`'s type. A property `own` does not declare,
    /// given a value the other branch rejects, would tell them apart too, but
    /// TypeScript checks each property of an object literal against a union
    /// member that declares it, so the body would not satisfy its type.
    fn single_out(
        &self,
        object: &SchemaObject,
        own: &Schema,
        others: &[&Schema],
        value: Value,
    ) -> Result<Value, Value> {
        let alone = |value: &Value| others.iter().all(|other| !self.accepts(other, value, 0));
        if alone(&value) {
            return Ok(value);
        }
        let mut edited = value.clone();
        for other in others {
            if self.accepts(other, &edited, 0)
                && let Some(rejected) = self.rejected_by(object, own, other, &edited)
            {
                edited = rejected;
            }
        }
        if self.accepts(own, &edited, 0) && alone(&edited) {
            Ok(edited)
        } else {
            Err(value)
        }
    }

    /// `value` (an object of the branch `own`) edited so that the branch
    /// `other` rejects it: without a property that `other` requires and that
    /// neither `own` nor the schema around them does (nor is the
    /// discriminator's), else with a property set to another of the values
    /// `own` enumerates for it.
    fn rejected_by(
        &self,
        object: &SchemaObject,
        own: &Schema,
        other: &Schema,
        value: &Value,
    ) -> Option<Value> {
        let Value::Object(map) = value else {
            return None;
        };
        let tag_property = object.discriminator.as_ref().map(|d| &d.property_name);
        let optional = map.keys().find(|name| {
            self.requires(other, name, 0)
                && !self.requires(own, name, 0)
                && !object.is_required(name)
                && tag_property != Some(name)
        });
        if let Some(name) = optional {
            let mut map = map.clone();
            map.remove(name);
            return Some(Value::Object(map));
        }
        let properties = &self.contract.resolve(own).as_object()?.properties;
        properties
            .iter()
            .filter(|(name, _)| map.contains_key(*name))
            .find_map(|(name, property)| {
                let values = self
                    .contract
                    .resolve(property)
                    .as_object()?
                    .enum_values
                    .as_ref()?;
                values.iter().find_map(|candidate| {
                    let mut map = map.clone();
                    map.insert(name.clone(), candidate.clone());
                    let edited = Value::Object(map);
                    (!self.accepts(other, &edited, 0)).then_some(edited)
                })
            })
    }

    /// Whether `schema` requires the property `name`, itself or through `allOf`.
    fn requires(&self, schema: &Schema, name: &str, depth: usize) -> bool {
        depth <= MAX_DEPTH
            && self.check_step()
            && self
                .contract
                .resolve(schema)
                .as_object()
                .is_some_and(|object| {
                    object.is_required(name)
                        || (object.all_of.iter()).any(|part| self.requires(part, name, depth + 1))
                })
    }

    /// Whether `value` plausibly satisfies `schema`: the structural keywords
    /// (type, const, enum, required, properties, closed objects, items,
    /// composition). Enough to tell `oneOf` branches apart.
    /// Beyond [`MAX_DEPTH`], or out of checks, anything is plausible.
    pub(crate) fn accepts(&self, schema: &Schema, value: &Value, depth: usize) -> bool {
        if depth > MAX_DEPTH || !self.check_step() {
            return true;
        }
        let object = match self.contract.resolve(schema) {
            Schema::Bool(flag) => return *flag,
            Schema::Ref(_) => return true,
            Schema::Object(object) => object,
        };
        if let Some(constant) = &object.const_value {
            return **constant == *value;
        }
        if let Some(values) = &object.enum_values {
            return values.contains(value);
        }
        let type_ok = object.types.is_empty()
            || (value.is_null() && object.nullable)
            || object.types.iter().any(|ty| match ty {
                Type::String => value.is_string(),
                Type::Number => value.is_number(),
                Type::Integer => value.is_i64() || value.is_u64(),
                Type::Boolean => value.is_boolean(),
                Type::Null => value.is_null(),
                Type::Array => value.is_array(),
                Type::Object => value.is_object(),
            });
        if !type_ok {
            return false;
        }
        if let Value::Object(map) = value {
            if !object.required.iter().all(|name| map.contains_key(name)) {
                return false;
            }
            let closed = object.additional_properties == Some(Schema::Bool(false));
            for (key, item) in map {
                match object.properties.get(key) {
                    Some(property) if !self.accepts(property, item, depth + 1) => return false,
                    None if closed => return false,
                    _ => {}
                }
            }
        }
        // `items` applies after the `prefixItems` (a closed tuple has `items: false`).
        if let Value::Array(items) = value
            && !items.iter().enumerate().all(|(index, item)| {
                object
                    .prefix_items
                    .get(index)
                    .or(object.items.as_ref())
                    .is_none_or(|schema| self.accepts(schema, item, depth + 1))
            })
        {
            return false;
        }
        object
            .all_of
            .iter()
            .all(|part| self.accepts(part, value, depth + 1))
            && (object.one_of.is_empty()
                || object
                    .one_of
                    .iter()
                    .any(|part| self.accepts(part, value, depth + 1)))
            && (object.any_of.is_empty()
                || object
                    .any_of
                    .iter()
                    .any(|part| self.accepts(part, value, depth + 1)))
    }

    /// Adds to `value` (an example) the required writeOnly properties it
    /// leaves out, as responses do, and the defaulted ones it leaves out (as
    /// their defaults), since the generated types require them:
    /// through properties, additional properties, items, `allOf` parts, and of `oneOf`/`anyOf` the
    /// first branch that accepts the value once completed.
    pub fn complete(&mut self, schema: &Schema, value: &mut Value) {
        self.start_body();
        self.complete_at(schema, value, true, 0);
    }

    /// Takes one step of the current body's structural checks: `false` once they ran out.
    pub(crate) fn check_step(&self) -> bool {
        let left = self.checks_left.get();
        self.checks_left.set(left.saturating_sub(1));
        left > 0
    }

    /// Starts the checks of one value (an example against the types).
    pub(crate) fn start_checks(&self) {
        self.checks_left.set(MAX_CHECKS);
    }

    /// `deep`: also into the properties and items present and the branch
    /// taken; shallow, only the value's own missing properties.
    fn complete_at(&mut self, schema: &Schema, value: &mut Value, deep: bool, depth: usize) {
        let Schema::Object(object) = self.contract.resolve(schema) else {
            return;
        };
        // `allOf` parts revisit the same value: bounded, as they may loop,
        // and counted, as parts and branches may multiply.
        if depth > MAX_COMPLETE_DEPTH || !self.check_step() {
            return;
        }
        for part in &object.all_of {
            self.complete_at(part, value, deep, depth + 1);
        }
        for branches in [&object.one_of, &object.any_of]
            .into_iter()
            .filter(|_| deep)
        {
            // Tried on a shallow copy each, so nested branches are not searched again per try.
            let taken = branches.iter().find(|branch| {
                let mut copy = value.clone();
                self.complete_at(branch, &mut copy, false, depth + 1);
                self.accepts(branch, &copy, 0)
            });
            if let Some(branch) = taken {
                self.complete_at(branch, value, true, depth + 1);
            }
        }
        match value {
            Value::Object(map) => {
                for (name, property) in &object.properties {
                    match map.get_mut(name) {
                        Some(inner) if deep => self.complete_at(property, inner, true, depth + 1),
                        None if object.is_required(name) && self.is_write_only(property) => {
                            let generated = self.schema(property, 0);
                            map.insert(name.clone(), generated);
                        }
                        None => {
                            let default = property.as_object().and_then(|p| p.default.as_deref());
                            if let Some(default) = default {
                                map.insert(name.clone(), default.clone());
                            }
                        }
                        _ => {}
                    }
                }
                if let Some(extra) = (object.additional_properties.as_ref())
                    .filter(|extra| deep && !matches!(extra, Schema::Bool(_)))
                {
                    let undeclared = map
                        .iter_mut()
                        .filter(|(name, _)| !object.properties.contains_key(*name));
                    for (_, inner) in undeclared {
                        self.complete_at(extra, inner, true, depth + 1);
                    }
                }
            }
            Value::Array(items) if deep => {
                if let Some(schema) = &object.items {
                    for item in items {
                        self.complete_at(schema, item, true, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }

    fn is_write_only(&self, schema: &Schema) -> bool {
        self.contract
            .resolve(schema)
            .as_object()
            .is_some_and(|object| object.write_only)
    }

    /// All parts apply: objects merge, the first non-object part wins otherwise.
    /// A property one part requires and another declares
    /// (`allOf: [$ref Base, {required: [name]}]`) takes its value from the
    /// declaration, not the requiring part's stand-in; an optional property a
    /// part's `additionalProperties` rejects is left out.
    fn all_of(&mut self, object: &SchemaObject, depth: usize) -> Value {
        let contract = self.contract;
        let mut merged = Map::new();
        let mut others = Vec::new();
        // The group's first declaration of each property, and the names whose
        // value came from a part that declares them.
        let mut declarations: HashMap<&str, &Schema> = HashMap::new();
        let mut declared_values = HashSet::new();
        for part in &object.all_of {
            let declared = contract.declared_properties(part);
            match self.schema(part, depth + 1) {
                Value::Object(map) => {
                    self.merge(&mut merged, &mut declared_values, map, &declared);
                }
                value => others.push(value),
            }
            for (name, schema) in declared {
                declarations.entry(name).or_insert(schema);
            }
        }
        let own: HashMap<&str, &Schema> = (object.properties.iter())
            .map(|(name, schema)| (name.as_str(), schema))
            .collect();
        let map = self.properties(object, depth);
        self.merge(&mut merged, &mut declared_values, map, &own);
        for (name, schema) in own {
            declarations.entry(name).or_insert(schema);
        }
        for (name, value) in &mut merged {
            if !declared_values.contains(name)
                && let Some(schema) = declarations.get(name.as_str())
            {
                *value = self.schema(schema, depth + 1);
            }
        }
        // A part's `additionalProperties` applies to what it does not declare,
        // including what other parts declare: optional ones it rejects go.
        let members = (object.all_of.iter())
            .filter_map(|part| contract.resolve(part).as_object())
            .chain([object]);
        let mut unwanted = HashSet::new();
        for member in members {
            let Some(additional) = &member.additional_properties else {
                continue;
            };
            for (name, value) in &merged {
                if !member.properties.contains_key(name) && !self.accepts(additional, value, 0) {
                    unwanted.insert(name.clone());
                }
            }
        }
        let required = |name: &String| {
            object.is_required(name)
                || (object.all_of.iter()).any(|part| self.requires(part, name, 0))
        };
        merged.retain(|name, _| !unwanted.contains(name) || required(name));
        if !merged.is_empty() || others.is_empty() {
            return Value::Object(merged);
        }
        // A value every part accepts (`allOf: [{nullable: true}, {$ref: Url}]`
        // admits no `null`), else the first part's.
        let fits_all = others
            .iter()
            .position(|value| (object.all_of.iter()).all(|part| self.accepts(part, value, 0)));
        others.swap_remove(fits_all.unwrap_or(0))
    }

    /// Merges an `allOf` part's value `map` into `merged`. A value from a
    /// part that declares the property (`declared`) wins over a stand-in
    /// from one that does not; of two declaring parts', the one kept is one
    /// the other part's declaration accepts too (`type: string` beside an
    /// `enum` keeps the enum's value).
    fn merge(
        &self,
        merged: &mut Map<String, Value>,
        declared_values: &mut HashSet<String>,
        map: Map<String, Value>,
        declared: &HashMap<&str, &Schema>,
    ) {
        for (name, value) in map {
            let Some(schema) = declared.get(name.as_str()) else {
                merged.entry(name).or_insert(value);
                continue;
            };
            let earlier_fits = declared_values.contains(&name)
                && merged
                    .get(&name)
                    .is_some_and(|earlier| self.accepts(schema, earlier, 0));
            if !earlier_fits {
                declared_values.insert(name.clone());
                merged.insert(name, value);
            }
        }
    }

    fn properties(&mut self, object: &SchemaObject, depth: usize) -> Map<String, Value> {
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

    /// `asked` (a size the schema's `keyword` asks for), at most `cap`, with a warning when more.
    fn capped(
        &mut self,
        object: &SchemaObject,
        keyword: &'static str,
        asked: u64,
        cap: u64,
    ) -> usize {
        if asked > cap {
            let message = format!(
                "`{keyword}: {asked}` asks for more than a mock makes ({cap}); the mock has {cap}, so it does not match the schema"
            );
            self.warn(object, keyword, message);
        }
        // Within `cap`, so within `usize`.
        asked.min(cap) as usize
    }

    fn array(&mut self, object: &SchemaObject, depth: usize) -> Value {
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
        // One item shows the shape; more only when required. Deep down, as few as allowed.
        let optional_item = match &object.items {
            Some(schema) => !frugal && self.fits_levels(schema, depth + 1),
            None => !frugal,
        };
        let wanted = if optional_item {
            minimum.max(1)
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
                _ => json!("item"),
            };
            // `uniqueItems` with a generated duplicate: stop rather than repeat.
            if constraints.unique_items && items.contains(&item) {
                break;
            }
            items.push(item);
        }
        Value::Array(items)
    }

    fn number(&mut self, object: &SchemaObject, integer: bool) -> Value {
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

    fn string(&mut self, object: &SchemaObject) -> String {
        let constraints = object.constraints();
        let formatted = self.formatted(object.format.as_deref());
        let mut text = match (&constraints.pattern, formatted) {
            (None, formatted) => formatted.unwrap_or_else(|| "string".to_owned()),
            (Some(pattern), Some(formatted))
                if self.string_accepted(Some(pattern), None, &formatted) =>
            {
                formatted
            }
            // The pattern is the narrower promise: it wins over a format
            // whose value fails it.
            (Some(pattern), formatted) => match self.matching_format(object, pattern) {
                Some(sample) => sample,
                None => formatted.unwrap_or_else(|| "string".to_owned()),
            },
        };
        let length = text.chars().count();
        if let Some(asked) = constraints.min_length.filter(|m| (length as u64) < *m) {
            let minimum = self.capped(object, "minLength", asked, MAX_CHARS);
            text.extend(std::iter::repeat_n('x', minimum.saturating_sub(length)));
        }
        if let Some(maximum) = constraints
            .max_length
            .map(|m| m as usize)
            .filter(|m| length > *m)
        {
            text = text.chars().take(maximum).collect();
        }
        text
    }

    /// A value of a string `format` the mock knows.
    fn formatted(&mut self, format: Option<&str>) -> Option<String> {
        let text = match format? {
            "date-time" | "iso-date-time" => "2024-01-01T00:00:00Z".to_owned(),
            "date" => "2024-01-01".to_owned(),
            "time" | "iso-time" => "12:00:00Z".to_owned(),
            "duration" => "P1D".to_owned(),
            "uri-template" => "https://example.com/{id}".to_owned(),
            "json-pointer" => "/id".to_owned(),
            "json-pointer-uri-fragment" => "#/id".to_owned(),
            "relative-json-pointer" => "0/id".to_owned(),
            "regex" => "^.*$".to_owned(),
            "uuid" => {
                self.events += 1;
                format!(
                    "00000000-0000-4000-8000-{:012x}",
                    self.rng.random_range(0..0xffff_ffff_u64)
                )
            }
            "email" => "user@example.com".to_owned(),
            "uri" | "url" | "uri-reference" | "iri" => "https://example.com/".to_owned(),
            "hostname" => "example.com".to_owned(),
            "ipv4" => "192.0.2.1".to_owned(),
            "ipv6" => "2001:db8::1".to_owned(),
            "byte" => "aGVsbG8=".to_owned(),
            _ => return None,
        };
        Some(text)
    }

    /// A string matching `pattern` and, if it can find one in a few samples,
    /// the object's `format`; else one matching the pattern, with a warning.
    fn matching_format(&mut self, object: &SchemaObject, pattern: &str) -> Option<String> {
        let format = object.format.as_deref();
        let first = self.matching(object, pattern)?;
        if self.string_accepted(None, format, &first) {
            return Some(first);
        }
        for _ in 1..FORMAT_TRIES {
            let sample = self.matching(object, pattern)?;
            if self.string_accepted(None, format, &sample) {
                return Some(sample);
            }
        }
        let message = format!(
            "no string the mock made matches both `format: {}` and `pattern`; the mock's string matches the pattern only",
            format.unwrap_or_default()
        );
        self.warn(object, "format", message);
        Some(first)
    }

    /// Whether `text` matches `pattern` and `format`, as the `jsonschema`
    /// crate checks them (as the examples are checked); a check that does not
    /// compile passes.
    fn string_accepted(&mut self, pattern: Option<&str>, format: Option<&str>, text: &str) -> bool {
        let key = (pattern.map(str::to_owned), format.map(str::to_owned));
        let validator = self.string_checks.entry(key).or_insert_with(|| {
            let mut schema = Map::new();
            if let Some(pattern) = pattern {
                schema.insert("pattern".to_owned(), json!(pattern));
            }
            if let Some(format) = format {
                schema.insert("format".to_owned(), json!(format));
            }
            crate::examples::validator_options()
                .build(&Value::Object(schema))
                .ok()
        });
        validator
            .as_ref()
            .is_none_or(|validator| validator.is_valid(&json!(text)))
    }

    /// A string matching an ECMAScript-style pattern, when it can be generated:
    /// anchors are implied by generating the whole string, `\d` means ASCII digits.
    /// Repetitions are bounded so the string stays within [`MAX_CHARS`].
    fn matching(&mut self, object: &SchemaObject, pattern: &str) -> Option<String> {
        // Lookarounds (`^(?!\s*$).+`, `(?=.*\d)`) only narrow what the rest
        // matches: samples of the rest are checked against the whole pattern.
        if let Some(rest) = without_lookarounds(pattern) {
            for _ in 0..LOOKAROUND_TRIES {
                let sample = self.sample_matching(object, &rest)?;
                if self.string_accepted(Some(pattern), None, &sample) {
                    return Some(sample);
                }
            }
            let message = "no string the mock made from `pattern` without its lookarounds matches the whole pattern; the mock's string may not match it".to_owned();
            self.warn(object, "pattern", message);
            return None;
        }
        self.sample_matching(object, pattern)
    }

    /// One sample of `pattern`, see [`Self::matching`].
    fn sample_matching(&mut self, object: &SchemaObject, pattern: &str) -> Option<String> {
        let inner = pattern.strip_prefix('^').unwrap_or(pattern);
        let inner = inner.strip_suffix('$').unwrap_or(inner);
        // Byte classes (`.`, `\S`, `[^,]`) reach past ASCII, which `utf8(true)`
        // refuses; they are narrowed to ASCII below.
        let hir = regex_syntax::ParserBuilder::new()
            .unicode(false)
            .utf8(false)
            .build()
            .parse(inner);
        let Ok(hir) = hir else {
            let message = "`pattern` uses syntax the mock cannot generate from (backreferences, or a flavour other than ECMAScript's); the mock's string may not match it".to_owned();
            self.warn(object, "pattern", message);
            return None;
        };
        let shortest = hir.properties().minimum_len()?;
        if shortest as u64 > MAX_CHARS {
            let message = format!(
                "`pattern` matches only strings of {shortest} bytes or more, longer than a mock makes ({MAX_CHARS}); the mock's string does not match it"
            );
            self.warn(object, "pattern", message);
            return None;
        }
        // As sampled, an unbounded repetition takes at most MAX_REPEAT more
        // than its minimum; a bounded one with a wide range is narrowed so.
        let narrow = longest_sample(&hir).is_none_or(|len| len as u64 > MAX_CHARS);
        let hir = sampleable(&hir, narrow);
        if longest_sample(&hir).is_none_or(|len| len as u64 > MAX_CHARS) {
            let message = format!(
                "`pattern` makes strings longer than a mock makes ({MAX_CHARS} bytes); the mock's string does not match it"
            );
            self.warn(object, "pattern", message);
            return None;
        }
        let Ok(generator) = rand_regex::Regex::with_hir(hir, MAX_REPEAT) else {
            let message = "`pattern` has anchors or word boundaries inside it, which the mock cannot generate from; the mock's string may not match it".to_owned();
            self.warn(object, "pattern", message);
            return None;
        };
        self.events += 1;
        Some(self.rng.sample(&generator))
    }
}

/// `pattern` without its lookaround groups (`(?=`, `(?!`, `(?<=`, `(?<!`),
/// or `None` when it has none (or they do not close). Escapes and
/// character classes are read whole, so `\(?=` and `[(?=]` are not groups.
fn without_lookarounds(pattern: &str) -> Option<String> {
    const OPENINGS: [&str; 4] = ["(?=", "(?!", "(?<=", "(?<!"];
    let mut out = String::with_capacity(pattern.len());
    let mut found = false;
    let mut rest = pattern;
    while !rest.is_empty() {
        if let Some(opening) = OPENINGS.iter().find(|opening| rest.starts_with(**opening)) {
            rest = &rest[group_end(rest, opening.len())?..];
            found = true;
            continue;
        }
        let taken = token_len(rest)?;
        out.push_str(&rest[..taken]);
        rest = &rest[taken..];
    }
    found.then_some(out)
}

/// The byte just past the `)` that closes the group `text` opens, reading
/// its body from byte `from`.
fn group_end(text: &str, from: usize) -> Option<usize> {
    let mut depth = 1;
    let mut at = from;
    while at < text.len() {
        match text.as_bytes()[at] {
            b'(' => depth += 1,
            b')' if depth == 1 => return Some(at + 1),
            b')' => depth -= 1,
            _ => {}
        }
        at += token_len(&text[at..])?;
    }
    None
}

/// The length of the token `text` starts with: an escape, a character
/// class (`[...]`, where a `]` right after `[` or `[^` is a member), or one
/// character. `None` for a class that does not close.
fn token_len(text: &str) -> Option<usize> {
    let char_at = |at: usize| text[at..].chars().next().map_or(0, char::len_utf8);
    match text.as_bytes().first()? {
        b'\\' => Some(1 + char_at(1)),
        b'[' => {
            let mut at = 1;
            if text[at..].starts_with('^') {
                at += 1;
            }
            if text[at..].starts_with(']') {
                at += 1;
            }
            while at < text.len() {
                match text.as_bytes()[at] {
                    b']' => return Some(at + 1),
                    b'\\' => at += 1 + char_at(at + 1),
                    _ => at += char_at(at),
                }
            }
            None
        }
        _ => Some(char_at(0)),
    }
}

/// The longest string `rand_regex` samples for `hir` with [`MAX_REPEAT`], in
/// bytes; `None` past `usize`. Recursion follows the pattern's nesting, which
/// the parser caps.
fn longest_sample(hir: &Hir) -> Option<usize> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(0),
        HirKind::Literal(literal) => Some(literal.0.len()),
        HirKind::Class(class) => Some(class.maximum_len().unwrap_or(0)),
        HirKind::Repetition(repetition) => {
            let upper = match repetition.max {
                Some(max) => max,
                None => repetition.min.checked_add(MAX_REPEAT)?,
            };
            longest_sample(&repetition.sub)?.checked_mul(upper as usize)
        }
        HirKind::Capture(capture) => longest_sample(&capture.sub),
        HirKind::Concat(parts) => parts
            .iter()
            .try_fold(0_usize, |sum, part| sum.checked_add(longest_sample(part)?)),
        HirKind::Alternation(choices) => choices.iter().try_fold(0_usize, |longest, choice| {
            Some(longest.max(longest_sample(choice)?))
        }),
    }
}

/// `hir` with every class narrowed to ASCII (printable where the class has
/// any), so samples are text; and when `narrow`, every repetition taking at
/// most [`MAX_REPEAT`] more than its minimum. It matches a subset of what
/// `hir` matches. Recursion follows the pattern's nesting, which the parser caps.
fn sampleable(hir: &Hir, narrow: bool) -> Hir {
    match hir.kind() {
        HirKind::Class(Class::Bytes(class)) => {
            let within = |low: u8, high: u8| {
                let mut narrowed = class.clone();
                narrowed.intersect(&ClassBytes::new([ClassBytesRange::new(low, high)]));
                narrowed
            };
            let printable = within(b' ', b'~');
            let ascii = if printable.ranges().is_empty() {
                within(0, 0x7f)
            } else {
                printable
            };
            Hir::class(Class::Bytes(ascii))
        }
        HirKind::Repetition(repetition) => {
            let widest = repetition.min.saturating_add(MAX_REPEAT);
            Hir::repetition(Repetition {
                min: repetition.min,
                max: match repetition.max {
                    Some(max) if narrow => Some(max.min(widest)),
                    None if narrow => Some(widest),
                    max => max,
                },
                greedy: repetition.greedy,
                sub: Box::new(sampleable(&repetition.sub, narrow)),
            })
        }
        HirKind::Capture(capture) => Hir::capture(Capture {
            index: capture.index,
            name: capture.name.clone(),
            sub: Box::new(sampleable(&capture.sub, narrow)),
        }),
        HirKind::Concat(parts) => {
            Hir::concat(parts.iter().map(|part| sampleable(part, narrow)).collect())
        }
        HirKind::Alternation(choices) => Hir::alternation(
            choices
                .iter()
                .map(|choice| sampleable(choice, narrow))
                .collect(),
        ),
        _ => hir.clone(),
    }
}

/// How many JSON values `value` holds, itself included. Recursion follows
/// the value, which generation keeps within [`MAX_LEVELS`].
fn nodes_in(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(nodes_in).sum(),
        Value::Object(map) => map.values().map(nodes_in).sum(),
        _ => 0,
    }
}

/// The levels a value may still nest at `depth`.
fn levels_left(depth: usize) -> u32 {
    MAX_LEVELS.saturating_sub(depth) as u32
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use contracts_model::{InMemory, build};

    pub(super) fn contract_of(schemas: Value) -> Contract {
        let document = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": schemas}});
        let (contract, _) = build(&mut InMemory::new("api.yaml", document));
        contract.unwrap()
    }

    fn mock(schemas: Value, name: &str) -> Value {
        let contract = contract_of(schemas);
        let id = contract.components.schemas[name];
        Mocker::new(&contract, 1).value(&contract.schema(id).schema)
    }

    /// What mocking `name` (as a body's `$ref`) gives.
    struct Mocked {
        value: Value,
        /// Whether `value` matches the schema, as the `jsonschema` crate checks it.
        valid: bool,
        cut_short: usize,
        /// The limits met, from the warnings' messages.
        warnings: Vec<String>,
    }

    fn mock_checked(schemas: Value, name: &str) -> Mocked {
        let contract = contract_of(schemas);
        let id = contract.components.schemas[name];
        let mut mocker = Mocker::new(&contract, 1);
        let value = mocker.value(&Schema::Ref(id));
        let mut document = contracts_model::json_schema::draft7_document(&contract);
        document["allOf"] = json!([{"$ref": contracts_model::json_schema::definition_pointer(id)}]);
        // A pattern the validator cannot compile leaves the value unchecked.
        let validator = jsonschema::draft7::options().build(&document).ok();
        for warning in &mocker.warnings {
            assert_eq!(warning.code, MOCK_LIMITED);
        }
        Mocked {
            valid: validator.is_some_and(|validator| validator.is_valid(&value)),
            value,
            cut_short: mocker.cut_short,
            warnings: (mocker.warnings.iter())
                .map(|warning| warning.message.clone())
                .collect(),
        }
    }

    /// How deeply `value` nests.
    fn nesting(value: &Value) -> usize {
        match value {
            Value::Array(items) => 1 + items.iter().map(nesting).max().unwrap_or(0),
            Value::Object(map) => 1 + map.values().map(nesting).max().unwrap_or(0),
            _ => 0,
        }
    }

    #[test]
    fn formats_bounds_and_lengths_are_honoured() {
        let value = mock(
            json!({"S": {"type": "object", "required": ["id", "at", "every", "n", "code", "tag"], "properties": {
                "id": {"type": "string", "format": "uuid"},
                "at": {"type": "string", "format": "date-time"},
                "every": {"type": "string", "format": "duration"},
                "n": {"type": "integer", "minimum": 5, "maximum": 9, "multipleOf": 3},
                "code": {"type": "string", "pattern": "^[A-Z]{3}$"},
                "tag": {"type": "string", "minLength": 8, "maxLength": 10},
                "secret": {"type": "string", "writeOnly": true}
            }}}),
            "S",
        );
        assert_eq!(value["at"], "2024-01-01T00:00:00Z");
        assert_eq!(value["every"], "P1D");
        assert_eq!(value["n"], 6);
        let code = value["code"].as_str().unwrap();
        assert!(
            code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()),
            "{code}"
        );
        assert_eq!(value["tag"].as_str().unwrap().len(), 8);
        assert!(value.get("secret").is_none());
        assert_eq!(value["id"].as_str().unwrap().len(), 36);
    }

    #[test]
    fn optional_properties_stop_at_max_properties() {
        let mocked = mock_checked(
            json!({"S": {"type": "object", "maxProperties": 2, "required": ["c"], "properties": {
                "a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "string"}
            }}}),
            "S",
        );
        assert!(mocked.valid, "{}", mocked.value);
        assert_eq!(mocked.value, json!({"a": "string", "c": "string"}));
    }

    #[test]
    fn enums_consts_nullables_and_arrays() {
        let value = mock(
            json!({"S": {"type": "object", "required": ["e", "c", "n", "a"], "properties": {
                "e": {"enum": ["b", "a"]}, "c": {"const": 7}, "n": {"type": "null"},
                "a": {"type": "array", "minItems": 2, "items": {"type": "boolean"}}
            }}}),
            "S",
        );
        assert_eq!(
            value,
            json!({"e": "b", "c": 7, "n": null, "a": [true, true]})
        );
    }

    #[test]
    fn discriminated_one_of_carries_its_tag_and_all_of_merges() {
        let value = mock(
            json!({
                "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}], "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}}},
                "Cat": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "required": ["lives"], "properties": {"lives": {"type": "integer"}}}]},
                "Base": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}}
            }),
            "Pet",
        );
        assert_eq!(value, json!({"kind": "cat", "lives": 1}));
    }

    #[test]
    fn all_of_of_scalars_takes_a_value_every_part_accepts() {
        let mocked = mock_checked(
            json!({
                "League": {"type": "object", "required": ["image"], "properties": {
                    "image": {"allOf": [{"nullable": true}, {"$ref": "#/components/schemas/Url"}]}
                }},
                "Url": {"type": "string", "format": "uri"}
            }),
            "League",
        );
        assert!(mocked.valid, "{}", mocked.value);
        assert!(mocked.value["image"].is_string(), "{}", mocked.value);
    }

    #[test]
    fn all_of_properties_required_in_one_part_take_the_type_another_part_declares() {
        // `Licensee: allOf: [$ref Editable, {required: [name, tags, id], properties: {id}}]`:
        // `tags` is optional where declared, so left out there, and required beside;
        // `kind` is declared in both parts.
        let mocked = mock_checked(
            json!({
                "Licensee": {"allOf": [
                    {"$ref": "#/components/schemas/Editable"},
                    {"type": "object", "required": ["name", "tags", "id", "level"], "properties": {"id": {"type": "integer"}, "kind": {"type": "string"}}}
                ], "required": ["limit"]},
                "Editable": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string", "pattern": "^[a-z]{3}$"},
                    "tags": {"type": "array", "minItems": 1, "items": {"type": "boolean"}},
                    "level": {"allOf": [{"$ref": "#/components/schemas/Level"}]},
                    "limit": {"type": "number", "minimum": 5},
                    "kind": {"type": "string", "enum": ["auto", "manual"]}
                }},
                "Level": {"type": "integer", "minimum": 3}
            }),
            "Licensee",
        );
        assert!(mocked.valid, "{}", mocked.value);
        let value = &mocked.value;
        assert_eq!(value["name"].as_str().map(str::len), Some(3), "{value}");
        assert_eq!(value["tags"], json!([true]));
        assert_eq!(
            value["kind"], "auto",
            "both declarations accept the enum's value"
        );
        assert_eq!(
            (&value["id"], &value["level"], &value["limit"]),
            (&json!(1), &json!(3), &json!(5))
        );
    }

    #[test]
    fn a_pattern_the_mock_cannot_read_is_a_warning() {
        let mocked = mock_checked(json!({"S": {"type": "string", "pattern": "^(a)\\1$"}}), "S");
        assert_eq!(mocked.value, "string");
        assert_eq!(mocked.warnings.len(), 1, "{:?}", mocked.warnings);
        assert!(
            mocked.warnings[0].contains("backreferences"),
            "{:?}",
            mocked.warnings
        );
    }

    #[test]
    fn patterns_with_lookarounds_are_matched_whole() {
        let mocked = mock_checked(
            json!({"S": {"type": "object", "required": ["blank", "password", "class", "never"], "properties": {
                "blank": {"type": "string", "pattern": "^(?!\\s*$).+"},
                "password": {"type": "string", "pattern": "^(?=.*[A-Z])(?=.*\\d)(?<!x)[A-Za-z0-9]{8,}$"},
                "class": {"type": "string", "pattern": "^[(?=]\\(a$"},
                "never": {"type": "string", "pattern": "^(?=b)a$"}
            }}}),
            "S",
        );
        let value = &mocked.value;
        let password = value["password"].as_str().unwrap();
        assert!(password.len() >= 8, "{value}");
        assert!(password.chars().any(|c| c.is_ascii_uppercase()), "{value}");
        assert!(password.chars().any(|c| c.is_ascii_digit()), "{value}");
        assert!(
            ["((a", "?(a", "=(a"].contains(&value["class"].as_str().unwrap()),
            "{value}"
        );
        assert_eq!(mocked.warnings.len(), 1, "{:?}", mocked.warnings);
        assert!(
            mocked.warnings[0].contains("without its lookarounds"),
            "{:?}",
            mocked.warnings
        );
    }

    #[test]
    fn lookarounds_are_cut_out_whole() {
        assert_eq!(
            without_lookarounds("^a(?=(b|c))d$").as_deref(),
            Some("^ad$")
        );
        assert_eq!(
            without_lookarounds("(?<!x)[)(?=]\\(?!").as_deref(),
            Some("[)(?=]\\(?!")
        );
        assert_eq!(without_lookarounds("a(?=b"), None);
        assert_eq!(
            without_lookarounds("(?<name>a)(?<=a)").as_deref(),
            Some("(?<name>a)")
        );
        assert_eq!(without_lookarounds("[a]b"), None);
    }

    #[test]
    fn a_pattern_wins_over_a_format_whose_value_fails_it() {
        let mocked = mock_checked(
            json!({"S": {"type": "object", "required": ["key", "day", "both"], "properties": {
                "key": {"type": "string", "format": "password", "pattern": "arn:aws[a-z-]*:kms:\\d{12}:key/.+"},
                "day": {"type": "string", "format": "date", "pattern": "^2024-"},
                "both": {"type": "string", "format": "email", "pattern": "^[0-9]+$"}
            }}}),
            "S",
        );
        let value = &mocked.value;
        assert!(
            value["key"].as_str().unwrap().starts_with("arn:aws"),
            "{value}"
        );
        assert_eq!(
            value["day"], "2024-01-01",
            "the format's value fits the pattern"
        );
        assert_eq!(mocked.warnings.len(), 1, "{:?}", mocked.warnings);
        assert!(
            mocked.warnings[0].contains("`format: email`"),
            "{:?}",
            mocked.warnings
        );
    }

    #[test]
    fn all_of_leaves_out_optional_properties_another_parts_additional_properties_rejects() {
        // `etag` is declared in `Base` only, so the wrapper's `additionalProperties` applies to it.
        let mocked = mock_checked(
            json!({
                "Resource": {"allOf": [{"$ref": "#/components/schemas/Base"}], "type": "object",
                    "properties": {"properties": {"type": "object"}}, "additionalProperties": {"type": "object"}},
                "Base": {"type": "object", "properties": {"etag": {"type": "string"}, "tags": {"type": "object"}}}
            }),
            "Resource",
        );
        assert!(mocked.valid, "{}", mocked.value);
        assert_eq!(mocked.value, json!({"tags": {}, "properties": {}}));
    }

    #[test]
    fn one_of_picks_a_branch_no_other_branch_accepts() {
        // The first branch's value (`"string"`) also fits the second (any string up to
        // 100 characters), so the second branch, which the first does not accept, is mocked.
        let value = mock(
            json!({"E": {"oneOf": [
                {"type": "string"},
                {"type": "integer"},
                {"type": ["string", "integer"]}
            ]}}),
            "E",
        );
        assert_eq!(
            value,
            json!("string"),
            "a string fits branches 1 and 3; fallback keeps the first"
        );
        let mocked = mock_checked(
            json!({"E": {"oneOf": [{"type": "string"}, {"type": "string"}]}}),
            "E",
        );
        assert!(!mocked.valid);
        assert!(
            mocked.warnings.iter().any(|w| w.contains("exactly one")),
            "{:?}",
            mocked.warnings
        );
        let value = mock(
            json!({"E": {"oneOf": [
                {"type": ["string", "integer"]},
                {"type": "integer"}
            ]}}),
            "E",
        );
        assert_eq!(
            value,
            json!("string"),
            "the first branch's string fits it alone"
        );
        let value = mock(
            json!({"E": {"oneOf": [
                {"type": "object"},
                {"type": "object", "required": ["b"], "properties": {"b": {"type": "integer"}}, "additionalProperties": false}
            ]}}),
            "E",
        );
        assert_eq!(
            value,
            json!({}),
            "an empty object lacks `b`, so only the first branch accepts it"
        );
    }

    #[test]
    fn one_of_overlapping_open_objects_leave_out_what_another_branch_requires() {
        // Each branch's value fits the other (open objects): the second branch's
        // value without `code`, which only the first requires, fits the second alone.
        let value = mock(
            json!({"E": {"oneOf": [
                {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}, "errors": {"type": "array"}}},
                {"type": "object", "properties": {"code": {"type": "string"}, "status": {"type": "string"}}}
            ]}}),
            "E",
        );
        assert_eq!(value, json!({"status": "string"}));
        // What the schema around the branches requires stays.
        let value = mock(
            json!({"E": {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}, "oneOf": [
                {"type": "object", "properties": {"status": {"type": "string"}}},
                {"type": "object", "required": ["code"]}
            ]}}),
            "E",
        );
        assert_eq!(
            value,
            json!({"code": "string", "status": "string"}),
            "fits both branches; the fallback keeps the first"
        );
    }

    #[test]
    fn one_of_overlapping_enums_take_a_value_only_one_branch_allows() {
        let value = mock(
            json!({"E": {"oneOf": [
                {"type": "object", "required": ["state"], "properties": {"state": {"enum": ["open", "closed"]}}},
                {"type": "object", "properties": {"state": {"const": "open"}}}
            ]}}),
            "E",
        );
        assert_eq!(value, json!({"state": "closed"}));
    }

    #[test]
    fn one_of_open_objects_told_apart_only_by_undeclared_properties_go_outside_the_types() {
        // Only a property one branch leaves undeclared, with a type the other
        // rejects, tells them apart; TypeScript's union refuses such a literal,
        // so the mocker counts it.
        let document = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {"E": {"oneOf": [
            {"type": "object", "properties": {"message": {"type": "string"}, "url": {"type": "string"}}},
            {"type": "object", "properties": {"message": {"type": "string"}, "metadata": {"type": "object"}}}
        ]}}}});
        let (contract, _) = build(&mut InMemory::new("api.yaml", document));
        let contract = contract.unwrap();
        let id = contract.components.schemas["E"];
        let mut mocker = Mocker::new(&contract, 1);
        let value = mocker.value(&contract.schema(id).schema);
        assert_eq!(
            value,
            json!({"message": "string", "url": "string", "metadata": 0})
        );
        assert_eq!(mocker.outside_types, 1);
    }

    #[test]
    fn recursion_is_bounded() {
        let value = mock(
            json!({"Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}, "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}}),
            "Node",
        );
        assert!(value.to_string().len() < 100_000);
    }

    #[test]
    fn a_linked_list_ends_in_null_where_a_next_node_is_required() {
        let list = |required: Value| {
            json!({"List": {"type": "object", "required": required, "properties": {
                "value": {"type": "integer"},
                "next": {"anyOf": [{"$ref": "#/components/schemas/List"}, {"type": "null"}]}
            }}})
        };
        for required in [json!([]), json!(["value", "next"])] {
            let mocked = mock_checked(list(required), "List");
            assert!(mocked.valid, "{}", mocked.value);
            assert!(mocked.warnings.is_empty(), "{:?}", mocked.warnings);
            assert!(nesting(&mocked.value) <= MAX_DEPTH + 2, "{}", mocked.value);
        }
        let required = mock_checked(list(json!(["value", "next"])), "List").value;
        assert!(
            required.to_string().ends_with("\"next\":null}}}}}"),
            "{required}"
        );
    }

    #[test]
    fn a_recursive_one_of_takes_the_branch_that_ends() {
        let mocked = mock_checked(
            json!({
                "Expr": {"oneOf": [{"$ref": "#/components/schemas/Add"}, {"$ref": "#/components/schemas/Lit"}]},
                "Add": {"type": "object", "required": ["left", "right"], "properties": {
                    "left": {"$ref": "#/components/schemas/Expr"},
                    "right": {"$ref": "#/components/schemas/Expr"}
                }},
                "Lit": {"type": "object", "required": ["value"], "properties": {"value": {"type": "integer"}}}
            }),
            "Expr",
        );
        assert!(mocked.valid, "{}", mocked.value);
        assert!(mocked.warnings.is_empty(), "{:?}", mocked.warnings);
        assert!(mocked.value.to_string().len() < 2_000, "{}", mocked.value);
    }

    #[test]
    fn a_required_self_reference_gets_the_smallest_value_with_a_warning() {
        let mocked = mock_checked(
            json!({"Node": {"type": "object", "required": ["child"], "properties": {
                "child": {"allOf": [{"$ref": "#/components/schemas/Node"}, {"$ref": "#/components/schemas/Node"}]}
            }}}),
            "Node",
        );
        assert_eq!(mocked.value, json!({}));
        assert_eq!(mocked.cut_short, 1);
        assert_eq!(mocked.warnings.len(), 1);
        assert!(
            mocked.warnings[0].contains("admits no value"),
            "{:?}",
            mocked.warnings
        );
    }

    #[test]
    fn sizes_beyond_the_caps_are_capped_with_a_warning() {
        let mocked = mock_checked(
            json!({"S": {"type": "object", "required": ["items", "text", "map", "huge"], "properties": {
                "items": {"type": "array", "minItems": 4_294_967_295_u64, "items": {"type": "integer"}},
                "text": {"type": "string", "minLength": 4e9},
                "map": {"type": "object", "minProperties": 4e9},
                "huge": {"type": "string", "minLength": 1e308}
            }}}),
            "S",
        );
        let value = &mocked.value;
        assert_eq!(value["items"].as_array().unwrap().len(), MAX_ITEMS as usize);
        assert_eq!(value["text"].as_str().unwrap().len(), MAX_CHARS as usize);
        assert_eq!(
            value["map"].as_object().unwrap().len(),
            MAX_PROPERTIES as usize
        );
        assert_eq!(value["huge"].as_str().unwrap().len(), MAX_CHARS as usize);
        assert_eq!(mocked.warnings.len(), 4, "{:?}", mocked.warnings);
        for keyword in ["minItems", "minLength", "minProperties"] {
            assert!(
                (mocked.warnings.iter()).any(|w| w.starts_with(&format!("`{keyword}: "))),
                "{keyword}: {:?}",
                mocked.warnings
            );
        }
        assert_eq!(mocked.cut_short, 0, "the types do not count items");
    }

    #[test]
    fn patterns_with_huge_repetitions_are_narrowed_or_left_with_a_warning() {
        let mocked = mock_checked(
            json!({"S": {"type": "object", "required": ["long", "wide", "nested"], "properties": {
                "long": {"type": "string", "pattern": "a{999999999}"},
                "wide": {"type": "string", "pattern": "^b{0,999999999}c$"},
                "nested": {"type": "string", "pattern": "^(d{1,9999}){1,9999}$"}
            }}}),
            "S",
        );
        assert_eq!(mocked.value["long"], "string");
        assert_eq!(mocked.warnings.len(), 1, "{:?}", mocked.warnings);
        assert!(
            mocked.warnings[0].contains("999999999 bytes"),
            "{:?}",
            mocked.warnings
        );
        let wide = mocked.value["wide"].as_str().unwrap();
        assert!(wide.len() <= 9 && wide.ends_with('c'), "{wide}");
        let nested = mocked.value["nested"].as_str().unwrap();
        assert!(
            nested.len() <= 81 && nested.chars().all(|c| c == 'd'),
            "{nested}"
        );
    }

    /// Levels `L1`..`L{levels}`, each with `width` required properties
    /// referring to the next; the last one an integer.
    pub(super) fn levels(levels: usize, width: usize) -> Value {
        let mut schemas = Map::new();
        for level in 1..=levels {
            let next = json!({"$ref": format!("#/components/schemas/L{}", level + 1)});
            let names: Vec<String> = (0..width).map(|n| format!("p{n}")).collect();
            let properties: Map<String, Value> = names
                .iter()
                .map(|name| (name.clone(), next.clone()))
                .collect();
            schemas.insert(
                format!("L{level}"),
                json!({"type": "object", "required": names, "properties": properties}),
            );
        }
        schemas.insert(format!("L{}", levels + 1), json!({"type": "integer"}));
        Value::Object(schemas)
    }

    #[test]
    fn a_body_growing_exponentially_is_cut_to_the_node_budget() {
        let mocked = mock_checked(levels(8, 8), "L1");
        assert!(mocked.cut_short > 0);
        assert!(
            mocked.warnings.iter().any(|w| w.contains("grows past")),
            "{:?}",
            mocked.warnings
        );
        assert!(mocked.value.to_string().len() < 10_000_000);
        // Within the budget, the same shape is whole.
        let mocked = mock_checked(levels(4, 8), "L1");
        assert!(mocked.valid, "{}", mocked.value);
        assert!(mocked.warnings.is_empty(), "{:?}", mocked.warnings);
    }

    /// `L1` to `L30`, each `allOf: [next, next]`, ending in `{v: integer}`
    /// required: 2^30 paths for anything that follows every part.
    pub(crate) fn all_of_chain() -> Value {
        let mut schemas = Map::new();
        for level in 1..=30 {
            let next = json!({"$ref": format!("#/components/schemas/L{}", level + 1)});
            schemas.insert(format!("L{level}"), json!({"allOf": [next, next]}));
        }
        schemas.insert(
            "L31".to_owned(),
            json!({"type": "object", "required": ["v"], "properties": {"v": {"type": "integer"}}}),
        );
        Value::Object(schemas)
    }

    #[test]
    fn all_of_chains_make_each_part_once() {
        // Not checked with `jsonschema`, which takes the 2^30 paths.
        let contract = contract_of(all_of_chain());
        let mut mocker = Mocker::new(&contract, 1);
        let value = mocker.value(&Schema::Ref(contract.components.schemas["L1"]));
        assert_eq!(value, json!({"v": 1}));
        assert!(mocker.warnings.is_empty(), "{:?}", mocker.warnings);
    }

    #[test]
    fn checks_across_compositions_are_bounded() {
        // Each level a `oneOf` of 12 alike branches, and an `allOf` of 12 alike
        // parts, referring to the next: checks that follow every branch and
        // part would take 12^7 steps per value.
        let mut schemas = Map::new();
        for level in 1..=20 {
            let next = json!({"$ref": format!("#/components/schemas/L{}", level + 1)});
            let branches: Vec<Value> = (0..12)
                .map(|n| json!({"allOf": vec![next.clone(); 12], "properties": {format!("p{n}"): {"type": "integer"}}}))
                .collect();
            schemas.insert(format!("L{level}"), json!({"oneOf": branches}));
        }
        schemas.insert("L21".to_owned(), json!({"type": "object"}));
        let contract = contract_of(Value::Object(schemas));
        let schema = Schema::Ref(contract.components.schemas["L1"]);
        let mut mocker = Mocker::new(&contract, 1);
        let value = mocker.value(&schema);
        assert!(value.is_object());
        let mut example = json!({"p0": 1});
        mocker.complete(&schema, &mut example);
        let _ = mocker.fits(&schema, &example);
        assert!(mocker.checks_left.get() < MAX_CHECKS);
    }

    #[test]
    fn the_same_seed_gives_the_same_values() {
        let schemas = json!({"S": {"type": "string", "pattern": "^[a-z]{5,9}$"}});
        assert_eq!(mock(schemas.clone(), "S"), mock(schemas, "S"));
    }
}
