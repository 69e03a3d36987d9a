//! Equality in meaning between bundled components of different services:
//! refs are followed (whatever the target is called), key order is ignored,
//! and recursive schemas compare by assuming equality on a revisit.

use std::collections::HashSet;

use contracts_model::pointer;
use indexmap::IndexMap;
use serde_json::Value;

use crate::walk::Kind;

/// The bundled components of each service, by service index.
pub type ServiceComponents<'a> = [&'a IndexMap<Kind, IndexMap<String, Value>>];

/// A bundled ref: `#/components/<section>/<name>`.
pub fn parse_component_ref(reference: &str) -> Option<(Kind, String)> {
    let rest = reference.strip_prefix("#/components/")?;
    let (section, name) = rest.split_once('/')?;
    let name = pointer::segments(&format!("/{name}")).ok()?.pop()?;
    Some((Kind::from_section(section)?, name))
}

pub struct Comparer<'a> {
    services: &'a ServiceComponents<'a>,
    /// Pairs of components assumed equal while comparing them (for recursion).
    assumed: HashSet<(usize, Kind, String, usize, String)>,
}

impl<'a> Comparer<'a> {
    pub fn new(services: &'a ServiceComponents<'a>) -> Self {
        Comparer {
            services,
            assumed: HashSet::new(),
        }
    }

    /// Are component `name` of kind `kind` in services `a` and `b` the same in meaning?
    pub fn same_component(&mut self, kind: Kind, a: (usize, &str), b: (usize, &str)) -> bool {
        let key = (a.0, kind, a.1.to_owned(), b.0, b.1.to_owned());
        if self.assumed.contains(&key) {
            return true;
        }
        let (Some(left), Some(right)) = (self.lookup(a.0, kind, a.1), self.lookup(b.0, kind, b.1))
        else {
            return false;
        };
        self.assumed.insert(key.clone());
        let same = self.same(a.0, left, b.0, right);
        if !same {
            self.assumed.remove(&key);
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
                match (parse_component_ref(left), parse_component_ref(right)) {
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
    parse_component_ref(map.get("$ref")?.as_str()?)
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
        let mut comparer = Comparer::new(&services);
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
        assert!(!Comparer::new(&services).same_component(
            Kind::Schema,
            (0, "Address"),
            (1, "Address")
        ));
    }

    #[test]
    fn recursive_schemas_compare_without_looping() {
        let node = json!({"Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}}});
        let (a, b) = (components(node.clone()), components(node));
        let services = [&a, &b];
        assert!(Comparer::new(&services).same_component(Kind::Schema, (0, "Node"), (1, "Node")));
    }
}
