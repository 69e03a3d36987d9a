//! The schema walk: pairs of schemas compared without recursion, in the
//! order a depth-first recursion would report, each resolved pair once, with
//! clean pairs remembered across walks.

use std::collections::HashSet;

use contracts_model::{Schema, SchemaObject};

use crate::flat::Flat;
use crate::{Change, Engine, PairKey, rules};

/// Where in an operation a schema sits, for rule ids and messages.
#[derive(Clone)]
pub(crate) struct Position {
    /// `request-body`, `request-property`, `response-header`, ...
    pub(crate) prefix: &'static str,
    /// The prefix of the properties below: oasdiff names a header parameter's apart.
    pub(crate) property_prefix: &'static str,
    pub(crate) request: bool,
    /// Property path below the position's root (`items/name`), for messages.
    pub(crate) path: String,
    pub(crate) operation: String,
}

impl Position {
    pub(crate) fn property(&self, name: &str) -> Position {
        let path = if self.path.is_empty() {
            name.to_owned()
        } else {
            format!("{}/{name}", self.path)
        };
        Position {
            prefix: self.property_prefix,
            property_prefix: self.property_prefix,
            request: self.request,
            path,
            operation: self.operation.clone(),
        }
    }

    pub(crate) fn describe(&self) -> String {
        if self.path.is_empty() {
            self.prefix.replace('-', " ")
        } else {
            format!("{} `{}`", self.prefix.replace('-', " "), self.path)
        }
    }

    pub(crate) fn clone_with_path(&self, path: &str) -> Position {
        Position {
            path: path.to_owned(),
            ..self.clone()
        }
    }
}

/// A pair of schemas to compare, met while comparing the pair above it.
pub(crate) struct Deferred<'c> {
    /// How many changes had been reported when the pair was met.
    after: usize,
    old: &'c Schema,
    new: &'c Schema,
    position: Position,
}

/// The schema walk's work: a pair to compare, or a change reported by a
/// pair above after it met this step's sub-schemas.
enum Step<'c> {
    Compare(Deferred<'c>),
    Report(Change),
}

impl<'c> Engine<'c> {
    pub(crate) fn schema_change(
        &mut self,
        suffix: &str,
        position: &Position,
        detail: String,
        old: &SchemaObject,
        new: &SchemaObject,
    ) {
        let id = rules::schema_id(position.prefix, suffix);
        let message = format!("{}: {detail}", position.describe());
        self.report(
            &id,
            Some(&position.operation.clone()),
            message,
            Some(&old.loc),
            Some(&new.loc),
        );
    }

    /// Compares two schemas at one position and everything below them,
    /// following refs. Schema graphs can nest thousands of levels deep, so
    /// the walk keeps its own stack instead of recursing; it visits pairs and
    /// orders changes exactly as a depth-first recursion would. Each pair of
    /// schema nodes is compared once, which ends recursive schemas.
    ///
    /// A walk that finds no change marks every pair it compared as clean
    /// (for that direction), and later walks skip clean pairs: a schema
    /// reached from many places, or judged again while matching union
    /// branches, is compared once. A walk judging sameness (inside
    /// [`Self::same_meaning`]) stops at its first change.
    pub(crate) fn schema(&mut self, old: &'c Schema, new: &'c Schema, position: &Position) {
        let mut visited: HashSet<(usize, usize)> = HashSet::new();
        let mut compared = Vec::new();
        let changes_before = self.changes.len();
        let judging = self.nested_checks > 0;
        let mut steps = vec![Step::Compare(Deferred {
            after: 0,
            old,
            new,
            position: position.clone(),
        })];
        while let Some(step) = steps.pop() {
            if judging && self.changes.len() > changes_before {
                return;
            }
            let pair = match step {
                Step::Report(change) => {
                    self.changes.push(change);
                    continue;
                }
                Step::Compare(pair) => pair,
            };
            let key = (
                pair.old as *const Schema as usize,
                pair.new as *const Schema as usize,
            );
            if !visited.insert(key) {
                continue;
            }
            let resolved = self.resolved_key(pair.old, pair.new, &pair.position);
            if self.clean.contains(&resolved) {
                continue;
            }
            compared.push(resolved);
            let mut below = Vec::new();
            self.schema_pair(pair.old, pair.new, &pair.position, &mut below);
            // Changes reported after a sub-schema was met follow that sub-schema's own.
            let first_later = below.first().map_or(self.changes.len(), |sub| sub.after);
            let mut later = self.changes.split_off(first_later).into_iter();
            let mut in_order = Vec::new();
            let mut reported = first_later;
            for sub in below {
                while reported < sub.after {
                    in_order.extend(later.next().map(Step::Report));
                    reported += 1;
                }
                in_order.push(Step::Compare(sub));
            }
            in_order.extend(later.map(Step::Report));
            steps.extend(in_order.into_iter().rev());
        }
        if self.changes.len() == changes_before {
            self.clean.extend(compared);
        }
    }

    /// A pair of schemas by what their refs lead to, with what else decides
    /// whether comparing them finds a change: the direction and the
    /// operation's deprecation policy.
    pub(crate) fn resolved_key(&self, old: &Schema, new: &Schema, position: &Position) -> PairKey {
        (
            self.base.resolve(old) as *const Schema as usize,
            self.revision.resolve(new) as *const Schema as usize,
            position.request,
            self.deprecation_days,
        )
    }

    /// Compares one pair of schemas; the pairs below them go to `below`, to
    /// be compared by [`Self::schema`] after this pair's changes.
    fn schema_pair(
        &mut self,
        old: &'c Schema,
        new: &'c Schema,
        position: &Position,
        below: &mut Vec<Deferred<'c>>,
    ) {
        let old_flat = Flat::of(self.base, old);
        let new_flat = Flat::of(self.revision, new);
        let (Some(a), Some(b)) = (old_flat.object, new_flat.object) else {
            return;
        };
        // `{...}` -> `oneOf: [{...}, ...]`: compare against the branch that holds the old properties.
        if old_flat.one_of.is_empty()
            && !old_flat.properties.is_empty()
            && new_flat.properties.is_empty()
        {
            let wrapped = new_flat.one_of.iter().any(|branch| {
                let branch = Flat::of(self.revision, branch);
                old_flat
                    .properties
                    .keys()
                    .all(|name| branch.properties.contains_key(name))
            });
            if wrapped {
                self.schema_change(
                    "wrapped-in-one-of",
                    position,
                    "was wrapped in a oneOf".into(),
                    a,
                    b,
                );
                return;
            }
        }
        self.types(&old_flat, &new_flat, a, b, position);
        self.enums(&old_flat, &new_flat, a, b, position);
        self.constraints(&old_flat, &new_flat, a, b, position);
        let branch_pairs = self.branches(&old_flat, &new_flat, a, b, position);
        // Refactoring into `allOf` parts is not a change; an `allOf` part that changes the meaning is.
        if old_flat.all_of_count != new_flat.all_of_count && !old_flat.same_shape(&new_flat) {
            let suffix = if new_flat.all_of_count > old_flat.all_of_count {
                "all-of-added"
            } else {
                "all-of-removed"
            };
            self.schema_change(
                suffix,
                position,
                format!(
                    "allOf went from {} to {} parts",
                    old_flat.all_of_count, new_flat.all_of_count
                ),
                a,
                b,
            );
        }
        self.json_schema_keywords(a, b, position);
        self.format_and_discriminator(a, b, position);
        self.properties(&old_flat, &new_flat, a, b, position, below);
        // Sub-schemas: changes inside them are changes of the position's properties.
        for (label, before, after) in [
            (
                "additionalProperties",
                &a.additional_properties,
                &b.additional_properties,
            ),
            ("not", &a.not, &b.not),
        ] {
            if let (Some(x), Some(y)) = (before, after) {
                let sub = position.property(label);
                self.defer(x, y, sub, below);
            }
        }
        if let (Some(before), Some(after)) = (&a.subschemas, &b.subschemas) {
            for (keyword, x) in before.iter() {
                if let Some(y) = after.get(keyword) {
                    let sub = position.property(keyword);
                    self.defer(x, y, sub, below);
                }
            }
        }
        for (index, (x, y)) in a.prefix_items.iter().zip(&b.prefix_items).enumerate() {
            let sub = position.property(&format!("prefixItems/{index}"));
            self.defer(x, y, sub, below);
        }
        for (place, x, y) in branch_pairs {
            self.defer(x, y, position.property(&place), below);
        }
        if let (Some(old_items), Some(new_items)) = (old_flat.items, new_flat.items) {
            let items = position.property("items");
            self.defer(old_items, new_items, items, below);
        }
    }

    /// Puts off comparing a pair below the current one, after the changes reported so far.
    pub(crate) fn defer(
        &self,
        old: &'c Schema,
        new: &'c Schema,
        position: Position,
        below: &mut Vec<Deferred<'c>>,
    ) {
        below.push(Deferred {
            after: self.changes.len(),
            old,
            new,
            position,
        });
    }
}
