//! The bounds on generation: depth, node and check budgets, size caps, and the
//! smallest value that stands in where a value cannot be made within them.

use crate::codes::MOCK_LIMITED;
use contracts_diagnostics::{Diagnostic, Location};
use contracts_model::{Schema, SchemaObject, Type};
use serde_json::{Value, json};

use super::{MAX_CHECKS, MAX_CUT_NODES, MAX_DEPTH, MAX_LEVELS, MAX_NODES, Mocker};
use crate::heights::{Heights, UNREACHABLE, shape};

impl<'c> Mocker<'c> {
    /// The smallest value of the object's type, where a full one would need
    /// more levels or nodes than a mock may have; a warning says which.
    pub(super) fn cut(&mut self, object: &SchemaObject, height: u32, depth: usize) -> Value {
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
    pub(super) fn warn(&mut self, object: &SchemaObject, limit: &'static str, message: String) {
        self.events += 1;
        if self.warned.insert((object.loc.clone(), limit)) {
            let at = Location::new(self.contract.file(object.loc.file), &object.loc.pointer);
            self.warnings
                .push(Diagnostic::warning(MOCK_LIMITED, message).at(at));
        }
    }

    pub(super) fn heights(&mut self) -> &Heights<'c> {
        let contract = self.contract;
        self.heights
            .get_or_insert_with(|| Heights::new(contract, MAX_LEVELS as u32))
    }

    /// Whether optional parts are left out: deep down, or when strict.
    pub(super) fn frugal(&self, depth: usize) -> bool {
        depth >= MAX_DEPTH || self.strict()
    }

    /// Whether the smallest choices are due: inside a recursion past
    /// [`MAX_DEPTH`], or in a large body.
    pub(super) fn strict(&self) -> bool {
        self.recursions > 0 || self.nodes > MAX_NODES
    }

    /// Whether a value of `schema` at `depth` can be made within [`MAX_LEVELS`].
    pub(super) fn fits_levels(&mut self, schema: &Schema, depth: usize) -> bool {
        self.heights().of(schema) <= levels_left(depth)
    }

    /// A warning at `object` if the checks that told its branches apart ran
    /// out (`checks_left` of them at the start): the value may match several.
    pub(super) fn warn_if_checks_ran_out(&mut self, object: &SchemaObject, checks_left: usize) {
        if checks_left > 0 && self.checks_left.get() == 0 {
            let message = format!(
                "telling this schema's `oneOf` branches apart took more than the {MAX_CHECKS} checks a mock body may spend; the mock may match several branches"
            );
            self.warn(object, "checks", message);
        }
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

    /// `asked` (a size the schema's `keyword` asks for), at most `cap`, with a warning when more.
    pub(super) fn capped(
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
}

/// How many JSON values `value` holds, itself included. Recursion follows
/// the value, which generation keeps within [`MAX_LEVELS`].
pub(super) fn nodes_in(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(nodes_in).sum(),
        Value::Object(map) => map.values().map(nodes_in).sum(),
        _ => 0,
    }
}

/// The levels a value may still nest at `depth`.
pub(super) fn levels_left(depth: usize) -> u32 {
    MAX_LEVELS.saturating_sub(depth) as u32
}
