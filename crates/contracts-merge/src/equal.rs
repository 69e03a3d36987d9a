//! Equality in meaning between bundled components of different services:
//! refs are followed (whatever the target is called), key order is ignored,
//! and recursive schemas compare by assuming equality on a revisit.

use std::collections::{HashMap, HashSet};

use contracts_model::graph::{Kind, component_at};
use indexmap::IndexMap;
use serde_json::Value;

/// The bundled components of each service, by service index.
pub type ServiceComponents<'a> = [&'a IndexMap<Kind, IndexMap<String, Value>>];

/// Components nested deeper than this (a chain of refs) count as different:
/// they are then kept apart under service-prefixed names, a safe outcome,
/// and the comparison's recursion stays bounded.
const MAX_DEPTH: usize = 256;

/// Two components: (service, kind, name) of each, the kind shared.
type Pair = (usize, Kind, String, usize, String);

/// Verdicts of earlier merges on same-named components of two services, by
/// the generations of the two bundles (see `Bundles`): valid while neither
/// service is bundled again.
#[derive(Default)]
pub struct Verdicts {
    pub(crate) by_pair: HashMap<(u64, u64, Kind, String), bool>,
}

impl Verdicts {
    /// Forgets the verdicts on bundles no longer current.
    pub fn forget_all_but(&mut self, current: &HashSet<u64>) {
        (self.by_pair).retain(|(a, b, _, _), _| current.contains(a) && current.contains(b));
    }
}

/// Each service's bundle generation, and the verdicts kept under them.
pub type Remembered<'r> = (&'r [u64], &'r mut Verdicts);

pub struct Comparer<'a> {
    services: &'a ServiceComponents<'a>,
    remembered: Option<Remembered<'a>>,
    /// Pairs of components assumed equal while comparing them (for
    /// recursion), and those found equal.
    assumed: HashSet<Pair>,
    /// The order `assumed` grew in, so a failed comparison can take back
    /// everything assumed inside it.
    trail: Vec<Pair>,
    /// Pairs found different: assuming equality elsewhere cannot make them
    /// equal, so each is compared once.
    different: HashSet<Pair>,
    depth: usize,
}

impl<'a> Comparer<'a> {
    pub fn new(services: &'a ServiceComponents<'a>, remembered: Option<Remembered<'a>>) -> Self {
        Comparer {
            services,
            remembered,
            assumed: HashSet::new(),
            trail: Vec::new(),
            different: HashSet::new(),
            depth: 0,
        }
    }

    /// Is component `name` of kind `kind` the same in meaning in services `a`
    /// and `b`? Remembered across merges when the bundles' generations are known.
    pub fn same_named(&mut self, kind: Kind, name: &str, a: usize, b: usize) -> bool {
        let Some((generations, verdicts)) = &self.remembered else {
            return self.same_component(kind, (a, name), (b, name));
        };
        let key = (generations[a], generations[b], kind, name.to_owned());
        if let Some(&same) = verdicts.by_pair.get(&key) {
            return same;
        }
        let same = self.same_component(kind, (a, name), (b, name));
        if let Some((_, verdicts)) = &mut self.remembered {
            verdicts.by_pair.insert(key, same);
        }
        same
    }

    /// Are component `name` of kind `kind` in services `a` and `b` the same in meaning?
    pub fn same_component(&mut self, kind: Kind, a: (usize, &str), b: (usize, &str)) -> bool {
        let key = (a.0, kind, a.1.to_owned(), b.0, b.1.to_owned());
        if self.assumed.contains(&key) {
            return true;
        }
        if self.different.contains(&key) || self.depth >= MAX_DEPTH {
            return false;
        }
        let (Some(left), Some(right)) = (self.lookup(a.0, kind, a.1), self.lookup(b.0, kind, b.1))
        else {
            return false;
        };
        let mark = self.trail.len();
        self.assumed.insert(key.clone());
        self.trail.push(key.clone());
        self.depth += 1;
        let same = self.same(a.0, left, b.0, right);
        self.depth -= 1;
        if !same {
            // What was found equal inside may have leant on this pair being equal.
            for taken_back in self.trail.drain(mark..) {
                self.assumed.remove(&taken_back);
            }
            self.different.insert(key);
        }
        same
    }

    fn lookup(&self, service: usize, kind: Kind, name: &str) -> Option<&'a Value> {
        self.services[service].get(&kind)?.get(name)
    }

    fn same(&mut self, a_service: usize, a: &Value, b_service: usize, b: &Value) -> bool {
        let a_ref = component_ref_of(a);
        let b_ref = component_ref_of(b);
        match (a_ref, b_ref) {
            (Some((kind, a_name)), Some((b_kind, b_name))) if kind == b_kind => {
                return self.same_component(kind, (a_service, &a_name), (b_service, &b_name));
            }
            (Some((kind, name)), None) => {
                return match self.lookup(a_service, kind, &name) {
                    Some(target) => self.same(a_service, target, b_service, b),
                    None => false,
                };
            }
            (None, Some((kind, name))) => {
                return match self.lookup(b_service, kind, &name) {
                    Some(target) => self.same(a_service, a, b_service, target),
                    None => false,
                };
            }
            _ => {}
        }
        match (a, b) {
            (Value::Object(left), Value::Object(right)) => {
                left.len() == right.len()
                    && left.iter().all(|(key, value)| {
                        right
                            .get(key)
                            .is_some_and(|other| self.same(a_service, value, b_service, other))
                    })
            }
            (Value::Array(left), Value::Array(right)) => {
                left.len() == right.len()
                    && left
                        .iter()
                        .zip(right)
                        .all(|(value, other)| self.same(a_service, value, b_service, other))
            }
            (Value::String(left), Value::String(right)) => {
                match (component_at(left), component_at(right)) {
                    // Discriminator mappings hold refs as plain strings.
                    (Some((kind, a_name)), Some((b_kind, b_name))) if kind == b_kind => {
                        self.same_component(kind, (a_service, &a_name), (b_service, &b_name))
                    }
                    _ => left == right,
                }
            }
            _ => a == b,
        }
    }
}

/// The component a `{"$ref": ...}` object (with nothing else) points at.
fn component_ref_of(value: &Value) -> Option<(Kind, String)> {
    let map = value.as_object()?;
    if map.len() != 1 {
        return None;
    }
    component_at(map.get("$ref")?.as_str()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn components(schemas: Value) -> IndexMap<Kind, IndexMap<String, Value>> {
        let schemas = schemas
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        IndexMap::from([(Kind::Schema, schemas)])
    }

    #[test]
    fn equal_through_differently_named_refs_and_key_order() {
        let user = components(json!({
            "Address": {"type": "object", "properties": {"zip": {"$ref": "#/components/schemas/Zip"}, "city": {"type": "string"}}},
            "Zip": {"type": "string", "pattern": "^[0-9]{5}$"}
        }));
        let order = components(json!({
            "Address": {"properties": {"city": {"type": "string"}, "zip": {"$ref": "#/components/schemas/PostalCode"}}, "type": "object"},
            "PostalCode": {"pattern": "^[0-9]{5}$", "type": "string"}
        }));
        let services = [&user, &order];
        let mut comparer = Comparer::new(&services, None);
        assert!(comparer.same_component(Kind::Schema, (0, "Address"), (1, "Address")));
    }

    #[test]
    fn different_content_differs() {
        let user = components(
            json!({"Address": {"type": "object", "properties": {"zip": {"type": "string"}}}}),
        );
        let order = components(
            json!({"Address": {"type": "object", "properties": {"zip": {"type": "integer"}}}}),
        );
        let services = [&user, &order];
        assert!(!Comparer::new(&services, None).same_component(
            Kind::Schema,
            (0, "Address"),
            (1, "Address")
        ));
    }

    /// `S1 -> S2 -> ... -> Sn`, with the last one's type given.
    fn chain(length: usize, last: &str) -> IndexMap<Kind, IndexMap<String, Value>> {
        let mut schemas = serde_json::Map::new();
        for index in 1..length {
            let next = format!("#/components/schemas/S{}", index + 1);
            schemas.insert(
                format!("S{index}"),
                json!({"properties": {"n": {"$ref": next}}}),
            );
        }
        schemas.insert(format!("S{length}"), json!({"type": last}));
        components(Value::Object(schemas))
    }

    #[test]
    fn long_chains_that_differ_at_the_end_are_compared_once_and_without_deep_recursion() {
        let (a, b) = (chain(3_000, "string"), chain(3_000, "integer"));
        let services = [&a, &b];
        let mut comparer = Comparer::new(&services, None);
        for index in (1..=3_000).rev() {
            let name = format!("S{index}");
            assert!(!comparer.same_component(Kind::Schema, (0, &name), (1, &name)));
        }
        // Beyond the depth budget the answer is "different", never a stack overflow.
        let (a, b) = (chain(100_000, "string"), chain(100_000, "string"));
        let services = [&a, &b];
        assert!(!Comparer::new(&services, None).same_component(Kind::Schema, (0, "S1"), (1, "S1")));
    }

    #[test]
    fn a_failed_comparison_takes_back_what_it_assumed() {
        // Q is equal to Q' only if P is equal to P'; P differs in `z`.
        let side = |z: &str| {
            components(json!({
                "P": {"properties": {"q": {"$ref": "#/components/schemas/Q"}, "z": {"type": z}}},
                "Q": {"properties": {"p": {"$ref": "#/components/schemas/P"}}}
            }))
        };
        let (a, b) = (side("string"), side("integer"));
        let services = [&a, &b];
        let mut comparer = Comparer::new(&services, None);
        assert!(!comparer.same_component(Kind::Schema, (0, "P"), (1, "P")));
        assert!(!comparer.same_component(Kind::Schema, (0, "Q"), (1, "Q")));
    }

    #[test]
    fn recursive_schemas_compare_without_looping() {
        let node = json!({"Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}}});
        let (a, b) = (components(node.clone()), components(node));
        let services = [&a, &b];
        assert!(Comparer::new(&services, None).same_component(
            Kind::Schema,
            (0, "Node"),
            (1, "Node")
        ));
    }
}
