//! Finds the line and column of JSON pointers in YAML or JSON text.
//!
//! The fast parsers keep no positions, so positions are looked up only for
//! nodes that a diagnostic names: one pass of a YAML 1.2 event parser (JSON is
//! YAML 1.2) over the file, matching the event path against a trie of the
//! wanted pointers. A pointer that does not exist resolves to its deepest
//! existing ancestor (a missing field points at its parent). Aliases are not
//! expanded: a pointer through one resolves to the alias.

use std::collections::HashMap;

use indexmap::IndexMap;
use saphyr_parser::{Event, Parser};
use serde_json::value::RawValue;

use contracts_model::pointer;

#[derive(Default)]
struct Trie {
    children: HashMap<(usize, String), usize>,
    positions: Vec<Option<(u32, u32)>>,
}

impl Trie {
    /// A trie of the pointers, and each pointer's path of nodes (root first).
    fn of(pointers: &[&str]) -> (Trie, Vec<Vec<usize>>) {
        let mut trie = Trie {
            positions: vec![None],
            ..Trie::default()
        };
        let paths = pointers
            .iter()
            .map(|p| trie.insert(&pointer::segments(p).unwrap_or_default()))
            .collect();
        (trie, paths)
    }

    /// Each pointer's position, or its deepest ancestor's that was found.
    fn found(&self, paths: &[Vec<usize>]) -> Vec<Option<(u32, u32)>> {
        paths
            .iter()
            .map(|path| path.iter().rev().find_map(|&node| self.positions[node]))
            .collect()
    }

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
    match crate::parse::detect(text) {
        crate::parse::Format::Json => locate_json(text, pointers),
        crate::parse::Format::Yaml => locate_yaml(text, pointers),
    }
}

/// JSON: walk down only the wanted branches, each level parsed shallowly
/// (`RawValue` skips subtrees without building them).
fn locate_json(text: &str, pointers: &[&str]) -> Vec<Option<(u32, u32)>> {
    let (mut trie, paths) = Trie::of(pointers);
    let mut by_parent: HashMap<usize, Vec<(&str, usize)>> = HashMap::new();
    for ((parent, segment), child) in &trie.children {
        by_parent
            .entry(*parent)
            .or_default()
            .push((segment.as_str(), *child));
    }
    let lines = LineIndex::new(text);
    let mut queue: Vec<(usize, &str)> = vec![(0, text)];
    trie.positions[0] = Some(lines.position(text.len() - text.trim_start().len()));
    while let Some((node, raw)) = queue.pop() {
        let Some(children) = by_parent.get(&node) else {
            continue;
        };
        let trimmed = raw.trim_start();
        let members: Vec<(String, &RawValue)> = if trimmed.starts_with('{') {
            match serde_json::from_str::<IndexMap<String, &RawValue>>(trimmed) {
                Ok(map) => map.into_iter().collect(),
                Err(_) => continue,
            }
        } else if trimmed.starts_with('[') {
            match serde_json::from_str::<Vec<&RawValue>>(trimmed) {
                Ok(items) => items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| (i.to_string(), item))
                    .collect(),
                Err(_) => continue,
            }
        } else {
            continue;
        };
        for (key, value) in members {
            if let Some(&(_, child)) = children.iter().find(|(segment, _)| *segment == key) {
                let offset = value.get().as_ptr() as usize - text.as_ptr() as usize;
                trie.positions[child] = Some(lines.position(key_start(text, offset)));
                queue.push((child, value.get()));
            }
        }
    }
    trie.found(&paths)
}

/// The opening quote of the key whose value starts at `value_offset`, so
/// that a member is reported where its key is (as in YAML). Array items
/// have no key: their own offset is kept.
fn key_start(text: &str, value_offset: usize) -> usize {
    let before = text[..value_offset].trim_end();
    let Some(before_colon) = before.strip_suffix(':') else {
        return value_offset;
    };
    let key_end = before_colon.trim_end();
    if !key_end.ends_with('"') {
        return value_offset;
    }
    // Walk back to the unescaped opening quote.
    let bytes = key_end.as_bytes();
    let mut index = key_end.len() - 1;
    while index > 0 {
        index -= 1;
        if bytes[index] == b'"' {
            let backslashes = bytes[..index]
                .iter()
                .rev()
                .take_while(|&&b| b == b'\\')
                .count();
            if backslashes % 2 == 0 {
                return index;
            }
        }
    }
    value_offset
}

/// Byte offset -> 1-based line and character column.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(
                text.bytes()
                    .enumerate()
                    .filter(|(_, b)| *b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        LineIndex { text, starts }
    }

    fn position(&self, offset: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let column = self.text[self.starts[line]..offset].chars().count() + 1;
        (line as u32 + 1, column as u32)
    }
}

fn locate_yaml(text: &str, pointers: &[&str]) -> Vec<Option<(u32, u32)>> {
    let (mut trie, paths) = Trie::of(pointers);
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
    trie.found(&paths)
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
    fn json_keys_are_found_with_escapes() {
        let json = "{\"a\\\"b\": {\"c\": 1}, \"x\": [true, {\"y\": null}]}";
        assert_eq!(
            locate(json, &["/a\"b/c", "/x/1/y", "/x/0", "/nope"]),
            [Some((1, 11)), Some((1, 33)), Some((1, 26)), Some((1, 1))]
        );
    }

    #[test]
    fn aliases_are_not_expanded() {
        let yaml = "x: &anchor\n  y: 1\nz: *anchor\n";
        assert_eq!(locate(yaml, &["/z/y"]), [Some((3, 1))]);
    }
}
