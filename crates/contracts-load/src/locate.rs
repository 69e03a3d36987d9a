//! Finds the line and column of JSON pointers in YAML or JSON text.
//!
//! The fast parsers keep no positions, so positions are looked up only for
//! nodes that a diagnostic names: one pass of a YAML 1.2 event parser (JSON is
//! YAML 1.2) over the file, matching the event path against a trie of the
//! wanted pointers. A pointer that does not exist resolves to its deepest
//! existing ancestor (a missing field points at its parent). Aliases are not
//! expanded: a pointer through one resolves to the alias.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser};

use contracts_model::pointer;

#[derive(Default)]
struct Trie {
    children: HashMap<(usize, String), usize>,
    positions: Vec<Option<(u32, u32)>>,
}

impl Trie {
    fn insert(&mut self, segments: &[String]) -> Vec<usize> {
        let mut path = vec![0];
        let mut node = 0;
        for segment in segments {
            let next = self.positions.len();
            node = *self.children.entry((node, segment.clone())).or_insert(next);
            if node == next {
                self.positions.push(None);
            }
            path.push(node);
        }
        path
    }

    fn child(&self, node: Option<usize>, segment: &str) -> Option<usize> {
        node.and_then(|node| self.children.get(&(node, segment.to_owned())).copied())
    }
}

enum Frame {
    Map {
        node: Option<usize>,
        /// `Some` once a key was read and its value is awaited.
        key: Option<Option<usize>>,
    },
    Seq {
        node: Option<usize>,
        index: usize,
    },
}

/// 1-based (line, column) for each pointer; `None` only if the text does not parse.
pub fn locate(text: &str, pointers: &[&str]) -> Vec<Option<(u32, u32)>> {
    let mut trie = Trie {
        positions: vec![None],
        ..Trie::default()
    };
    let paths: Vec<Vec<usize>> = pointers
        .iter()
        .map(|p| trie.insert(&pointer::segments(p).unwrap_or_default()))
        .collect();
    let mut wanted: Vec<usize> = paths
        .iter()
        .filter_map(|path| path.last().copied())
        .collect();
    wanted.sort_unstable();
    wanted.dedup();

    let mut stack: Vec<Frame> = Vec::new();
    let mut parser = Parser::new_from_str(text);
    let record = |trie: &mut Trie, node: Option<usize>, line: usize, col: usize| {
        if let Some(node) = node {
            trie.positions[node].get_or_insert((line as u32, col as u32 + 1));
        }
    };
    while let Some(Ok((event, span))) = parser.next_event() {
        let (line, col) = (span.start.line(), span.start.col());
        // A scalar or alias in key position names the next child.
        if let (
            Event::Scalar(..) | Event::Alias(_),
            Some(Frame::Map {
                node,
                key: key @ None,
            }),
        ) = (&event, stack.last_mut())
        {
            let name = match &event {
                Event::Scalar(text, ..) => text.as_ref(),
                _ => "",
            };
            let child = trie.child(*node, name);
            *key = Some(child);
            record(&mut trie, child, line, col);
            continue;
        }
        match event {
            Event::Scalar(..) | Event::Alias(_) => {
                let node = value_node(&mut stack, &trie);
                record(&mut trie, node, line, col);
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let node = match stack.last_mut() {
                    // A complex key: nothing to match, but keep the structure.
                    Some(Frame::Map {
                        key: key @ None, ..
                    }) => {
                        *key = Some(None);
                        None
                    }
                    _ => value_node(&mut stack, &trie),
                };
                record(&mut trie, node, line, col);
                stack.push(match event {
                    Event::MappingStart(..) => Frame::Map { node, key: None },
                    _ => Frame::Seq { node, index: 0 },
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            Event::DocumentEnd | Event::StreamEnd => break,
            _ => {}
        }
        if wanted.iter().all(|&node| trie.positions[node].is_some()) {
            break;
        }
    }
    paths
        .iter()
        .map(|path| path.iter().rev().find_map(|&node| trie.positions[node]))
        .collect()
}

/// The trie node of the value about to start, advancing the parent frame.
fn value_node(stack: &mut [Frame], trie: &Trie) -> Option<usize> {
    match stack.last_mut() {
        None => Some(0),
        Some(Frame::Map { key, .. }) => key.take().flatten(),
        Some(Frame::Seq { node, index }) => {
            let child = trie.child(*node, &index.to_string());
            *index += 1;
            child
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "openapi: 3.1.0\npaths:\n  /users/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n        - name: q\n";

    #[test]
    fn finds_keys_and_array_items_in_yaml() {
        let found = locate(
            YAML,
            &[
                "/paths/~1users~1{id}/get",
                "/paths/~1users~1{id}/get/parameters/1/name",
                "",
            ],
        );
        assert_eq!(found, [Some((4, 5)), Some((8, 11)), Some((1, 1))]);
    }

    #[test]
    fn missing_pointer_falls_back_to_deepest_ancestor() {
        let found = locate(YAML, &["/paths/~1users~1{id}/get/responses"]);
        assert_eq!(found, [Some((4, 5))]);
    }

    #[test]
    fn works_on_json() {
        let json = "{\n  \"a\": {\n    \"b/c\": [1, {\"d\": true}]\n  }\n}\n";
        let found = locate(json, &["/a/b~1c/1/d", "/a"]);
        assert_eq!(found, [Some((3, 17)), Some((2, 3))]);
    }

    #[test]
    fn aliases_are_not_expanded() {
        let yaml = "x: &anchor\n  y: 1\nz: *anchor\n";
        assert_eq!(locate(yaml, &["/z/y"]), [Some((3, 1))]);
    }
}
