//! Matching `oneOf`/`anyOf` branches by meaning, so that moving a branch
//! into `components`, inlining it or reordering the list is not a change,
//! and a change inside a branch is reported there rather than as a branch
//! removed and another added.
//!
//! Branches pair up in rounds, each among those still unpaired: the same
//! meaning (comparing them finds no change), the same component name, the
//! same discriminator value, the same `title`, then the closest structure.
//! Only what stays unpaired is added or removed.

use contracts_model::{Contract, Discriminator, Schema, SchemaObject, Type};
use serde_json::Value;

use crate::Engine;
use crate::flat::Flat;
use crate::schema::Position;

/// Sameness checks nest (a branch holds a `oneOf` whose branches are
/// judged in turn): each level runs a comparison, so the depth is bounded.
/// Deeper, branches pair by the cheaper rounds only.
const MAX_NESTED_CHECKS: usize = 16;

/// Above this many (old, new) candidates, only the branch with the same
/// label or position is checked for sameness: big unions stay linear.
const MAX_CANDIDATES: usize = 256;

/// The least share of property names two object branches must have in
/// common to be taken as one branch that changed.
const MIN_SHARED_PROPERTIES: f64 = 0.5;

/// The branches of one keyword after matching.
pub(crate) struct Matching {
    /// (old index, new index), in old order.
    pub pairs: Vec<(usize, usize)>,
    pub removed: Vec<usize>,
    pub added: Vec<usize>,
}

/// One side of the union being matched.
pub(crate) struct Side<'c, 'a> {
    pub contract: &'c Contract,
    pub branches: &'a [&'c Schema],
    pub discriminator: Option<&'c Discriminator>,
}

impl Side<'_, '_> {
    /// What names a branch in messages: its component, its title or its position.
    pub fn label(&self, index: usize) -> String {
        self.component(index)
            .or_else(|| self.title(index))
            .map_or_else(|| format!("#{index}"), str::to_owned)
    }

    fn component(&self, index: usize) -> Option<&str> {
        match self.branches[index] {
            Schema::Ref(id) => Some(&self.contract.schema(*id).name),
            _ => None,
        }
    }

    fn title(&self, index: usize) -> Option<&str> {
        match self.contract.resolve(self.branches[index]) {
            Schema::Object(object) => object.title.as_deref(),
            _ => None,
        }
    }

    /// The discriminator value that selects the branch: its `mapping`
    /// key, the single value its tag property allows, or (implicit
    /// mapping) its component name.
    fn tag(&self, index: usize) -> Option<String> {
        let discriminator = self.discriminator?;
        let branch = self.branches[index];
        let target = self.contract.resolve_named(branch);
        if let Some(target) = target {
            let mapped = discriminator.mapping.iter().find(|(_, id)| {
                self.contract
                    .resolve_named(&Schema::Ref(**id))
                    .is_some_and(|named| std::ptr::eq(named, target))
            });
            if let Some((value, _)) = mapped {
                return Some(value.clone());
            }
        }
        let flat = Flat::of(self.contract, branch);
        let single = flat
            .properties
            .get(&discriminator.property_name)
            .and_then(|property| match self.contract.resolve(property) {
                Schema::Object(object) => match (&object.const_value, &object.enum_values) {
                    (Some(value), _) => Some((**value).clone()),
                    (None, Some(values)) if values.len() == 1 => Some(values[0].clone()),
                    _ => None,
                },
                _ => None,
            });
        match single {
            Some(Value::String(text)) => Some(text),
            Some(other) => Some(other.to_string()),
            None => target.map(|named| named.name.clone()),
        }
    }
}

impl<'c> Engine<'c> {
    /// `oneOf`/`anyOf` branches, matched by meaning: those
    /// left over are reported removed or added; the matched pairs are
    /// returned with their place (`oneOf[User]`), to be compared.
    pub(crate) fn branches(
        &mut self,
        old: &Flat<'c>,
        new: &Flat<'c>,
        a: &'c SchemaObject,
        b: &'c SchemaObject,
        position: &Position,
    ) -> Vec<(String, &'c Schema, &'c Schema)> {
        let mut pairs = Vec::new();
        for (keyword, id, before, after) in [
            ("oneOf", "one-of", &old.one_of, &new.one_of),
            ("anyOf", "any-of", &old.any_of, &new.any_of),
        ] {
            let before = Side {
                contract: self.base,
                branches: before,
                discriminator: a.discriminator.as_deref(),
            };
            let after = Side {
                contract: self.revision,
                branches: after,
                discriminator: b.discriminator.as_deref(),
            };
            let matching = self.match_branches(&before, &after, position);
            for index in matching.removed {
                self.schema_change(
                    &format!("{id}-removed"),
                    position,
                    format!("branch `{}` was removed", before.label(index)),
                    a,
                    b,
                );
            }
            for index in matching.added {
                self.schema_change(
                    &format!("{id}-added"),
                    position,
                    format!("branch `{}` was added", after.label(index)),
                    a,
                    b,
                );
            }
            for (i, j) in matching.pairs {
                // The revision's name, unless only the base's has one.
                let (old_label, new_label) = (before.label(i), after.label(j));
                let label = if new_label.starts_with('#') && !old_label.starts_with('#') {
                    old_label
                } else {
                    new_label
                };
                pairs.push((
                    format!("{keyword}[{label}]"),
                    before.branches[i],
                    after.branches[j],
                ));
            }
        }
        pairs
    }

    /// Pairs the branches of `old` with those of `new` (see the module docs).
    pub(crate) fn match_branches(
        &mut self,
        old: &Side<'c, '_>,
        new: &Side<'c, '_>,
        position: &Position,
    ) -> Matching {
        let mut old_free: Vec<usize> = (0..old.branches.len()).collect();
        let mut new_free: Vec<usize> = (0..new.branches.len()).collect();
        let mut pairs = Vec::new();
        let every_candidate = old.branches.len() * new.branches.len() <= MAX_CANDIDATES;
        let old_labels: Vec<String> = (0..old.branches.len()).map(|i| old.label(i)).collect();
        let new_labels: Vec<String> = (0..new.branches.len()).map(|i| new.label(i)).collect();
        pair_up(&mut pairs, &mut old_free, &mut new_free, &mut |i, j| {
            (every_candidate || i == j || old_labels[i] == new_labels[j])
                && self.same_meaning(old.branches[i], new.branches[j], position)
        });
        pair_up(&mut pairs, &mut old_free, &mut new_free, &mut |i, j| {
            old.component(i).is_some() && old.component(i) == new.component(j)
        });
        let old_tags: Vec<Option<String>> = (0..old.branches.len()).map(|i| old.tag(i)).collect();
        let new_tags: Vec<Option<String>> = (0..new.branches.len()).map(|j| new.tag(j)).collect();
        pair_up(&mut pairs, &mut old_free, &mut new_free, &mut |i, j| {
            old_tags[i].is_some() && old_tags[i] == new_tags[j]
        });
        pair_up(&mut pairs, &mut old_free, &mut new_free, &mut |i, j| {
            old.title(i).is_some() && old.title(i) == new.title(j)
        });

        // Closest structure: the best-scoring pairs first, ties in document order.
        let mut scored = Vec::new();
        let new_flats: Vec<(usize, Flat)> = new_free
            .iter()
            .map(|&j| (j, Flat::of(new.contract, new.branches[j])))
            .collect();
        for &i in &old_free {
            let before = Flat::of(old.contract, old.branches[i]);
            for (j, after) in &new_flats {
                let j = *j;
                if let Some(score) = likeness(&before, after) {
                    scored.push((score, i, j));
                }
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
        for (_, i, j) in scored {
            if old_free.contains(&i) && new_free.contains(&j) {
                old_free.retain(|&k| k != i);
                new_free.retain(|&k| k != j);
                pairs.push((i, j));
            }
        }

        pairs.sort_unstable();
        Matching {
            pairs,
            removed: old_free,
            added: new_free,
        }
    }

    /// Whether comparing `old` with `new` at `position` finds no change.
    /// Judged once per pair of schema objects and direction; a pair being
    /// judged counts as the same, which ends cycles. A pair counted the
    /// same under an assumption that later fails only pairs two branches
    /// that are then compared like any other: no change is ever hidden.
    pub(crate) fn same_meaning(
        &mut self,
        old: &'c Schema,
        new: &'c Schema,
        position: &Position,
    ) -> bool {
        let key = self.resolved_key(old, new, position);
        if let Some(&same) = self.same_meaning.get(&key) {
            return same;
        }
        if self.nested_checks >= MAX_NESTED_CHECKS {
            return false;
        }
        self.same_meaning.insert(key, true);
        self.nested_checks += 1;
        let outer = std::mem::take(&mut self.changes);
        self.schema(old, new, position);
        let same = self.changes.is_empty();
        self.changes = outer;
        self.nested_checks -= 1;
        self.same_meaning.insert(key, same);
        same
    }
}

/// One round: each unpaired old branch takes the first unpaired new one that `matches` it.
fn pair_up(
    pairs: &mut Vec<(usize, usize)>,
    old_free: &mut Vec<usize>,
    new_free: &mut Vec<usize>,
    matches: &mut dyn FnMut(usize, usize) -> bool,
) {
    old_free.retain(|&i| {
        let found = new_free.iter().position(|&j| matches(i, j));
        if let Some(at) = found {
            pairs.push((i, new_free.remove(at)));
        }
        found.is_none()
    });
}

/// How alike two branches are, from 0 to 1; `None` when they cannot be
/// one branch that changed (disjoint types, or too few properties shared).
fn likeness(old: &Flat, new: &Flat) -> Option<f64> {
    let overlapping = old.types.is_empty()
        || new.types.is_empty()
        || old.types.iter().any(|a| {
            new.types.iter().any(|b| {
                a == b
                    || matches!(
                        (a, b),
                        (Type::Integer, Type::Number) | (Type::Number, Type::Integer)
                    )
            })
        });
    if !overlapping {
        return None;
    }
    match (old.properties.is_empty(), new.properties.is_empty()) {
        (true, true) => Some(if old.types == new.types { 1.0 } else { 0.5 }),
        (false, false) => {
            let shared = old
                .properties
                .keys()
                .filter(|name| new.properties.contains_key(*name))
                .count();
            let all = old.properties.len() + new.properties.len() - shared;
            let share = shared as f64 / all as f64;
            (share >= MIN_SHARED_PROPERTIES).then_some(share)
        }
        _ => None,
    }
}
