//! References: locating `$ref` targets across files, following ref chains,
//! sharing objects built from one target, and the schema arena's ids.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::Value;

use super::{At, Builder, SharedCache};
use crate::codes;
use crate::contract::*;
use crate::graph::{self, Kind};
use crate::pointer;
use crate::schema::Schema;

/// A `$ref` target after following a chain of refs to content.
pub(super) struct Target {
    doc: Arc<Value>,
    pub(super) at: At,
}

impl Target {
    pub(super) fn value(&self) -> &Value {
        let segments = pointer::segments(&self.at.pointer).unwrap_or_default();
        pointer::get(&self.doc, &segments).unwrap_or(&Value::Null)
    }

    /// `Name` when the target is `#/components/<section of kind>/Name`.
    fn component_name(&self, kind: Kind) -> Option<String> {
        graph::component_at(&self.at.pointer)
            .filter(|(at_kind, _)| *at_kind == kind)
            .map(|(_, name)| name)
    }
}

impl Builder<'_> {
    /// Resolves one `$ref` string to the node it names, without following further refs.
    pub(super) fn locate_ref(&mut self, reference: &str, at: &At) -> Option<Target> {
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if file_part.is_empty() {
            at.file
        } else {
            match self.docs.resolve_file(at.file, file_part) {
                Ok(file) => file,
                Err(diagnostic) => {
                    let diagnostic = (*diagnostic).at(self.location(at));
                    self.diagnostics.push(diagnostic);
                    return None;
                }
            }
        };
        let segments = match pointer::fragment_segments(fragment) {
            Ok(segments) => segments,
            Err(message) => {
                self.error(
                    codes::REF_INVALID,
                    at,
                    format!(
                        "`$ref: {reference}`: {message}; only JSON-pointer fragments are supported"
                    ),
                );
                return None;
            }
        };
        let doc = self.docs.value(file);
        if pointer::get(&doc, &segments).is_none() {
            let found = pointer::existing_prefix(&doc, &segments);
            let path = self.docs.display_path(file);
            self.error(
                codes::REF_UNRESOLVED,
                at,
                format!(
                    "`$ref: {reference}` points to nothing: `{}` has no `{}`",
                    path.display(),
                    pointer::join(&segments[..=found.min(segments.len() - 1)])
                ),
            );
            return None;
        }
        Some(Target {
            doc,
            at: At {
                file,
                pointer: pointer::join(&segments),
            },
        })
    }

    /// Follows a chain of `$ref`s starting at `value` to a node with content.
    /// `Ok(None)` means `value` is not a ref; `Err(())` that the chain is broken (reported).
    pub(super) fn follow(&mut self, value: &Value, at: &At) -> Result<Option<Target>, ()> {
        let Some(first) = ref_of(value) else {
            return Ok(None);
        };
        let mut reference = first.clone();
        let mut from = at.clone();
        let mut seen = HashSet::new();
        loop {
            let reference_text = match &reference {
                Value::String(text) => text.clone(),
                other => {
                    self.wrong_type(&from.child("$ref"), "a string", other);
                    return Err(());
                }
            };
            let target = self.locate_ref(&reference_text, &from).ok_or(())?;
            if !seen.insert((target.at.file, target.at.pointer.clone())) {
                self.error(
                    codes::REF_CYCLE,
                    at,
                    format!("`$ref` chain through `{reference_text}` loops back without reaching any content"),
                );
                return Err(());
            }
            match ref_of(target.value()) {
                Some(next) => {
                    reference = next.clone();
                    from = target.at.clone();
                }
                None => return Ok(Some(target)),
            }
        }
    }

    /// Calls `build` with the content `value` names, following any `$ref`s,
    /// and passes the component name when the content is a `components.<kind>` entry.
    pub(super) fn with_target<T>(
        &mut self,
        value: &Value,
        at: &At,
        kind: Kind,
        build: impl FnOnce(&mut Self, &Value, &At, Option<String>) -> T,
    ) -> Option<T> {
        match self.follow(value, at) {
            Ok(None) => Some(build(self, value, at, None)),
            Ok(Some(target)) => {
                let name = target.component_name(kind);
                let node = target.value();
                Some(build(self, node, &target.at, name))
            }
            Err(()) => None,
        }
    }

    /// Like [`Self::with_target`] for objects behind a `$ref`: each target is
    /// built once and shared, however many operations use it.
    pub(super) fn shared<T>(
        &mut self,
        value: &Value,
        at: &At,
        kind: Kind,
        cache: fn(&mut Self) -> &mut SharedCache<T>,
        build: impl FnOnce(&mut Self, &Value, &At, Option<String>) -> Option<T>,
    ) -> Option<Arc<T>> {
        match self.follow(value, at) {
            Ok(None) => build(self, value, at, None).map(Arc::new),
            Ok(Some(target)) => {
                let key = (target.at.file, target.at.pointer.clone());
                if let Some(found) = cache(self).get(&key) {
                    return Some(found.clone());
                }
                let name = target.component_name(kind);
                let built = Arc::new(build(self, target.value(), &target.at, name)?);
                cache(self).insert(key, built.clone());
                Some(built)
            }
            Err(()) => None,
        }
    }

    /// The arena id for the schema at `target`, queueing it for building on first sight.
    pub(super) fn schema_id(&mut self, file: FileId, pointer_text: String) -> SchemaId {
        if let Some(id) = self.schema_index.get(&(file, pointer_text.clone())) {
            return *id;
        }
        let id = SchemaId(self.schemas.len() as u32);
        let name = graph::target_name(&pointer_text, || self.docs.display_path(file));
        self.schemas.push(NamedSchema {
            name,
            loc: Loc {
                file,
                pointer: pointer_text.clone(),
            },
            schema: Schema::any(),
        });
        self.schema_index.insert((file, pointer_text), id);
        self.pending.push(id);
        id
    }

    pub(super) fn build_pending_schemas(&mut self) {
        while let Some(id) = self.pending.pop() {
            let loc = self.schemas[id.0 as usize].loc.clone();
            let doc = self.docs.value(loc.file);
            let segments = pointer::segments(&loc.pointer).unwrap_or_default();
            let at = At {
                file: loc.file,
                pointer: loc.pointer,
            };
            let schema = match pointer::get(&doc, &segments) {
                Some(node) => self.schema(node, &at),
                None => Schema::any(),
            };
            self.schemas[id.0 as usize].schema = schema;
        }
    }
}

fn ref_of(value: &Value) -> Option<&Value> {
    value.as_object()?.get("$ref")
}
