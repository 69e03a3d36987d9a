//! The parts the model keeps as written (callbacks, links, encodings, the
//! `components` sections it does not model) are not built, so the graph
//! walker finds their `$ref`s: each must resolve, as merge needs it to, and
//! the files they name are read like any other. Targets are walked in turn
//! from a worklist; schemas the builder already built are not walked again.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::{At, Builder};
use crate::contract::FileId;
use crate::graph::{Kind, Node, Visitor, Walker};
use crate::pointer;

/// The refs found in one walked node of `file`: kind, reference, and where
/// it resolves from.
struct Found {
    file: FileId,
    root: FileId,
    refs: Vec<(Kind, String, At)>,
}

impl Visitor for Found {
    fn reference(&mut self, kind: Kind, reference: &mut String, pointer: &str) {
        let from = At {
            file: self.file,
            pointer: pointer.to_owned(),
        };
        self.refs.push((kind, reference.clone(), from));
    }

    /// A bare name means the root document's `#/components/schemas/<name>`.
    fn mapping_name(&mut self, name: &mut String, pointer: &str) -> bool {
        let from = At {
            file: self.root,
            pointer: pointer.to_owned(),
        };
        self.refs
            .push((Kind::Schema, Kind::Schema.component_ref(name), from));
        true
    }
}

impl Builder<'_> {
    /// Records a part kept as written, for [`Self::check_verbatim_refs`].
    pub(super) fn keep_verbatim(&mut self, node: Node, at: At) {
        self.verbatim.push_back((node, at));
    }

    /// Records each entry of a map kept as written (`callbacks`, `links`, ...).
    pub(super) fn keep_verbatim_entries(
        &mut self,
        node: Node,
        entries: &Map<String, Value>,
        at: &At,
    ) {
        for name in entries.keys() {
            self.keep_verbatim(node, at.child(name));
        }
    }

    pub(super) fn check_verbatim_refs(&mut self) {
        let mut walked: HashSet<(FileId, String)> = HashSet::new();
        while let Some((node, at)) = self.verbatim.pop_front() {
            let doc = self.docs.value(at.file);
            let segments = pointer::segments(&at.pointer).unwrap_or_default();
            let Some(mut value) = pointer::get(&doc, &segments).map(|value| graph_of(node, value))
            else {
                continue;
            };
            let mut found = Found {
                file: at.file,
                root: self.docs.root(),
                refs: Vec::new(),
            };
            Walker::new(&mut found, &at.pointer).walk(node, &mut value);
            for (kind, reference, from) in found.refs {
                let Some(target) = self.locate_ref(&reference, &from) else {
                    continue;
                };
                let key = (target.at.file, target.at.pointer.clone());
                let built = kind == Kind::Schema && self.schema_index.contains_key(&key);
                if !built && walked.insert(key) {
                    self.verbatim.push_back((Node::Component(kind), target.at));
                }
            }
        }
    }
}

/// The part of `value` the walk reads: an example's only ref is its own (its
/// `value` is data, and may be large), every other node is walked whole.
fn graph_of(node: Node, value: &Value) -> Value {
    match (node, value.get("$ref")) {
        (Node::Component(Kind::Example), Some(reference)) => {
            serde_json::json!({ "$ref": reference })
        }
        (Node::Component(Kind::Example), None) => Value::Null,
        _ => value.clone(),
    }
}
