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
//! [`MOCK_LIMITED`](crate::codes::MOCK_LIMITED) warning at the schema.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::ptr;

use contracts_diagnostics::Diagnostic;
use contracts_model::{Contract, Loc, Schema, SchemaObject, Type};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::{Value, json};

use crate::heights::{Heights, shape};
use budget::{levels_left, nodes_in};

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
    seed: u64,
    /// Seeded anew for each body (see [`Self::value`]).
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
    /// The names above the value being made, outermost first: properties
    /// and named schemas (`Order`, `shippingAddress`, `Address`, `city`),
    /// which say what a value means (see `meaning`).
    context: Vec<String>,
    /// The language of values chosen by meaning.
    locale: Locale,
}

impl<'c> Mocker<'c> {
    pub fn new(contract: &'c Contract, seed: u64) -> Self {
        Mocker {
            contract,
            seed,
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
            context: Vec::new(),
            locale: Locale::En,
        }
    }

    /// Values chosen by meaning in `locale` (names, cities, words).
    pub fn in_locale(self, locale: Locale) -> Self {
        Mocker { locale, ..self }
    }

    /// A value for `schema`, as a response would carry it (optional
    /// writeOnly properties left out). Its random draws depend on the seed
    /// and `body` alone (where the body is written): a body stays the same
    /// when others are added or removed, and bodies can be made in any order.
    pub fn value(&mut self, schema: &Schema, body: &str) -> Value {
        self.start_body(body);
        self.schema(schema, 0)
    }

    /// Budgets are per body, so one large body does not starve the others.
    fn start_body(&mut self, body: &str) {
        // FNV-1a: the same on every platform and toolchain, unlike std's hashers.
        let key = (self.seed.to_le_bytes().iter().chain(body.as_bytes()))
            .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
                (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
            });
        self.rng = StdRng::seed_from_u64(key);
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
        if let Schema::Ref(id) = schema {
            self.context.push(self.contract.schema(*id).name.clone());
        }
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
        if matches!(schema, Schema::Ref(_)) {
            self.context.pop();
        }
        value
    }

    /// The value's own name and its parent's, innermost first.
    fn names(&self) -> (Option<&str>, Option<&str>) {
        let mut names = self.context.iter().rev().map(String::as_str);
        (names.next(), names.next())
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
}

mod all_of;
mod arrays;
mod budget;
mod checks;
mod meaning;

pub use meaning::Locale;
mod numbers;
mod objects;
mod one_of;
mod patterns;
mod strings;
#[cfg(test)]
pub(crate) mod tests;
