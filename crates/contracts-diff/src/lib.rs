//! Breaking-change detection between two contracts.
//!
//! Operations are matched by method and path shape (so a renamed path
//! parameter is a rename, not a removal), then compared direction by
//! direction: what a client sends (parameters, request bodies) may only get
//! looser, what it receives (responses) only tighter. Schemas are compared by
//! meaning: refs are followed, `allOf` parts are merged before comparing, and
//! descriptions, examples and key order never count.
//!
//! Architecture invariant: pure. Two contracts in, a list of changes out;
//! the one outside input, today's date for `x-sunset`, is a parameter of
//! [`diff_with`] ([`diff`] reads the system clock).

mod bodies;
mod branches;
mod code;
mod flat;
mod keywords;
pub mod lifecycle;
mod operations;
mod parameters;
pub mod rules;
mod schema;

use std::collections::{HashMap, HashSet};

use contracts_diagnostics::Location;
use contracts_model::{Contract, Loc};
use serde::Serialize;
use serde_json::Value;

pub use code::code_changes;
pub use lifecycle::{Date, Policy};
pub use rules::{Category, Level};

/// One change between base and revision.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Change {
    pub id: String,
    pub level: Level,
    /// `GET /users/{id}`, when the change concerns an operation.
    pub operation: Option<String>,
    pub message: String,
    pub base: Option<Location>,
    pub revision: Option<Location>,
    /// Why a breaking change is allowed (major version bump, `x-contracts-allow-breaking`).
    pub allowed: Option<String>,
}

/// All changes from `base` to `revision`, in operation order; sunsets are
/// compared with today's date and oasdiff's default policy.
pub fn diff(base: &Contract, revision: &Contract) -> Vec<Change> {
    diff_with(base, revision, &Policy::today())
}

/// [`diff`] with the date and deprecation policy given.
pub fn diff_with(base: &Contract, revision: &Contract, policy: &Policy) -> Vec<Change> {
    let mut engine = Engine::new(base, revision, *policy);
    engine.operations();
    allow_breaking(base, revision, &mut engine.changes);
    // One schema under several media types (JSON and XML) changes once.
    let mut seen = HashSet::new();
    engine.changes.retain(|change| seen.insert(change.clone()));
    engine.changes
}

/// A major version bump, or `x-contracts-allow-breaking: "reason"` on the
/// revision's operation, turns errors into warnings that carry the reason.
fn allow_breaking(base: &Contract, revision: &Contract, changes: &mut [Change]) {
    let major = |version: &str| {
        version
            .trim_start_matches('v')
            .split('.')
            .next()?
            .parse::<u64>()
            .ok()
    };
    let bumped = match (major(&base.info.version), major(&revision.info.version)) {
        (Some(old), Some(new)) if new > old => Some(format!(
            "major version bump {} -> {}",
            base.info.version, revision.info.version
        )),
        _ => None,
    };
    for change in changes
        .iter_mut()
        .filter(|change| change.level == Level::Error)
    {
        let reason = change
            .operation
            .as_deref()
            .and_then(|label| {
                revision
                    .operations
                    .iter()
                    .find(|operation| operation.label() == label)
            })
            .and_then(|operation| operation.extensions.get("x-contracts-allow-breaking"))
            .map(|reason| match reason {
                Value::String(text) => format!("allowed: {text}"),
                other => format!("allowed: {other}"),
            })
            .or_else(|| bumped.clone());
        if let Some(reason) = reason {
            change.level = Level::Warning;
            change.allowed = Some(reason);
        }
    }
}

/// Two schemas by address (see [`Engine::resolved_key`]).
type PairKey = (usize, usize, bool, u32);

struct Engine<'c> {
    base: &'c Contract,
    revision: &'c Contract,
    policy: Policy,
    /// The policy's minimum sunset distance for the operation being compared.
    deprecation_days: u32,
    changes: Vec<Change>,
    /// Pairs of resolved schemas judged to mean the same, to match union
    /// branches (see `branches.rs`).
    same_meaning: HashMap<PairKey, bool>,
    /// Pairs a finished walk compared without finding a change.
    clean: HashSet<PairKey>,
    /// How many of those judgements are running, one inside the other.
    nested_checks: usize,
}

impl<'c> Engine<'c> {
    fn new(base: &'c Contract, revision: &'c Contract, policy: Policy) -> Engine<'c> {
        Engine {
            base,
            revision,
            policy,
            deprecation_days: 0,
            changes: Vec::new(),
            same_meaning: HashMap::new(),
            clean: HashSet::new(),
            nested_checks: 0,
        }
    }

    fn location(contract: &Contract, loc: &Loc) -> Location {
        Location::new(contract.file(loc.file), loc.pointer.clone())
    }

    pub(crate) fn report(
        &mut self,
        id: &str,
        operation: Option<&str>,
        message: String,
        base: Option<&Loc>,
        revision: Option<&Loc>,
    ) {
        let level =
            rules::level_of(id).unwrap_or_else(|| panic!("rule `{id}` is not in the rule table"));
        self.changes.push(Change {
            id: id.to_owned(),
            level,
            operation: operation.map(str::to_owned),
            message,
            base: base.map(|loc| Self::location(self.base, loc)),
            revision: revision.map(|loc| Self::location(self.revision, loc)),
            allowed: None,
        });
    }
}

#[cfg(test)]
mod tests;
