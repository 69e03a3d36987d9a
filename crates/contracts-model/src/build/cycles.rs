//! Named schemas whose `$ref`s loop without content (`ref-cycle`).

use super::{At, Builder};
use crate::codes;
use crate::schema::{Schema, SchemaObject};

impl Builder<'_> {
    /// Reports named schemas that loop back to themselves without content:
    /// made of nothing but `$ref`s (`A -> B -> A`) or `allOf`/`anyOf`/`oneOf`
    /// of refs (`Node: {oneOf: [Node]}`), so evaluating them never reaches a
    /// type, property or item. A loop from which some branch reaches content
    /// (`T: {anyOf: [T, {type: string}]}`) means that content, and recursion
    /// through properties or items moves to another value: neither is
    /// reported. Each reported loop's schemas become `{}`.
    pub(super) fn check_alias_cycles(&mut self) {
        let makeups: Vec<Makeup> = self
            .schemas
            .iter()
            .map(|named| Makeup::of(&named.schema))
            .collect();
        let grounded = grounded(&makeups);
        let edges = |node: usize| match &makeups[node] {
            Makeup::Content => &[][..],
            Makeup::Only(targets) => targets.as_slice(),
        };
        let mut state = vec![Visit::New; self.schemas.len()];
        let mut in_reported_loop = vec![false; self.schemas.len()];
        let mut loops = Vec::new();
        for start in (0..self.schemas.len()).filter(|&node| !grounded[node]) {
            if state[start] != Visit::New {
                continue;
            }
            // Depth first, with its own stack: the path, each node with its next edge.
            state[start] = Visit::OnPath;
            let mut path = vec![(start, 0)];
            while let Some((node, next_edge)) = path.last_mut() {
                let Some(&next) = edges(*node).get(*next_edge) else {
                    state[*node] = Visit::Done;
                    path.pop();
                    continue;
                };
                *next_edge += 1;
                match state[next] {
                    Visit::New => {
                        state[next] = Visit::OnPath;
                        path.push((next, 0));
                    }
                    // One report per tangle: a loop through a reported one breaks with it.
                    Visit::OnPath => {
                        let from = path.iter().position(|&(node, _)| node == next).unwrap_or(0);
                        let members: Vec<usize> =
                            path[from..].iter().map(|&(node, _)| node).collect();
                        if members.iter().all(|&node| !in_reported_loop[node]) {
                            for &node in &members {
                                in_reported_loop[node] = true;
                            }
                            loops.push(members);
                        }
                    }
                    Visit::Done => {}
                }
            }
        }
        for members in loops {
            self.report_alias_cycle(&members);
        }
    }

    /// One `ref-cycle` error at the loop's first schema, naming its way round.
    fn report_alias_cycle(&mut self, members: &[usize]) {
        let names: Vec<_> = members
            .iter()
            .chain(&members[..1])
            .map(|&node| {
                let schema = &self.schemas[node];
                // Name the file too when the loop leaves the root document.
                if schema.loc.file == self.docs.root() {
                    schema.name.clone()
                } else {
                    let file = self.docs.display_path(schema.loc.file);
                    format!(
                        "{} ({}#{})",
                        schema.name,
                        file.display(),
                        schema.loc.pointer
                    )
                }
            })
            .collect();
        let loc = self.schemas[members[0]].loc.clone();
        let at = At {
            file: loc.file,
            pointer: loc.pointer,
        };
        self.error(
            codes::REF_CYCLE,
            &at,
            format!("schema refs loop without content: {}", names.join(" -> ")),
        );
        for &node in members {
            self.schemas[node].schema = Schema::any();
        }
    }
}

/// How far the loop search has been through a schema.
#[derive(Clone, Copy, PartialEq)]
enum Visit {
    New,
    OnPath,
    Done,
}

/// What a named schema is made of, for finding loops without content.
enum Makeup {
    /// It says something about values itself: a type, properties, a bound,
    /// an enum, ... or it is `{}`, `true` or `false`.
    Content,
    /// Only `$ref`s, and `allOf`/`anyOf`/`oneOf` of refs (annotations
    /// aside): it stands for these named schemas, by index.
    Only(Vec<usize>),
}

impl Makeup {
    fn of(schema: &Schema) -> Makeup {
        let mut targets = Vec::new();
        // Inline combinators nest as deep as the document: a stack, no recursion.
        let mut parts = vec![schema];
        while let Some(part) = parts.pop() {
            match part {
                Schema::Ref(id) => targets.push(id.0 as usize),
                Schema::Bool(_) => return Makeup::Content,
                Schema::Object(object) => {
                    let members = object
                        .all_of
                        .iter()
                        .chain(&object.one_of)
                        .chain(&object.any_of);
                    if has_content(object) || members.clone().next().is_none() {
                        return Makeup::Content;
                    }
                    parts.extend(members);
                }
            }
        }
        Makeup::Only(targets)
    }
}

/// Whether a schema object constrains values by its own keywords (not by
/// `allOf`/`anyOf`/`oneOf`, and not by annotations like `description`).
fn has_content(object: &SchemaObject) -> bool {
    !object.types.is_empty()
        || object.nullable
        || object.format.is_some()
        || object.enum_values.is_some()
        || object.const_value.is_some()
        || !object.properties.is_empty()
        || !object.required.is_empty()
        || object.additional_properties.is_some()
        || object.items.is_some()
        || !object.prefix_items.is_empty()
        || object.content_media_type.is_some()
        || object.content_encoding.is_some()
        || object.constraints.is_some()
        || object.not.is_some()
        || object.other.is_some()
        || object.subschemas.is_some()
}

/// Which schemas reach content: those with content of their own, and those
/// standing for at least one schema that reaches content.
fn grounded(makeups: &[Makeup]) -> Vec<bool> {
    let mut grounded = vec![false; makeups.len()];
    let mut standing_for: Vec<Vec<usize>> = vec![Vec::new(); makeups.len()];
    let mut reached = Vec::new();
    for (node, makeup) in makeups.iter().enumerate() {
        match makeup {
            Makeup::Content => {
                grounded[node] = true;
                reached.push(node);
            }
            Makeup::Only(targets) => {
                for &target in targets {
                    standing_for[target].push(node);
                }
            }
        }
    }
    while let Some(node) = reached.pop() {
        for &user in &standing_for[node] {
            if !grounded[user] {
                grounded[user] = true;
                reached.push(user);
            }
        }
    }
    grounded
}
