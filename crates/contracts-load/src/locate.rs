//! Finds the line and column of JSON pointers in YAML or JSON text.
//!
//! The fast parsers keep no positions, so positions are looked up only for
//! nodes that a diagnostic names: one pass over the file (a YAML 1.2 event
//! parser for YAML, a token scanner for JSON that passes over objects and
//! arrays holding nothing wanted), matching the path of each node against a
//! trie of the wanted pointers, stopping once all are found. A pointer that
//! does not exist resolves to its deepest existing ancestor (a missing field
//! points at its parent). Aliases are not expanded: a pointer through one
//! resolves to the alias.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser};

use contracts_model::pointer;

#[derive(Default)]
struct Trie {
    children: HashMap<(usize, String), usize>,
    positions: Vec<Option<(u32, u32)>>,
    /// Nodes that end a wanted pointer...
    wanted: Vec<bool>,
    /// ...and how many of them have no position yet, so a pass can stop early.
    unfound: usize,
}

impl Trie {
    /// A trie of the pointers, and each pointer's path of nodes (root first).
    fn of(pointers: &[&str]) -> (Trie, Vec<Vec<usize>>) {
        let mut trie = Trie {
            positions: vec![None],
            ..Trie::default()
        };
        let paths: Vec<Vec<usize>> = pointers
            .iter()
            .map(|p| trie.insert(&pointer::segments(p).unwrap_or_default()))
            .collect();
        trie.wanted = vec![false; trie.positions.len()];
        for &node in paths.iter().filter_map(|path| path.last()) {
            if !std::mem::replace(&mut trie.wanted[node], true) {
                trie.unfound += 1;
            }
        }
        (trie, paths)
    }

    /// Keeps the first position seen for `node`.
    fn record(&mut self, node: Option<usize>, position: (u32, u32)) {
        if let Some(node) = node
            && self.positions[node].is_none()
        {
            self.positions[node] = Some(position);
            if self.wanted[node] {
                self.unfound -= 1;
            }
        }
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

/// JSON: one forward scan of the tokens, stopping once every wanted node
/// is found. A member is found where its key starts (as in YAML), an item
/// where it starts. Text that is not valid JSON ends the scan, never panics.
fn locate_json(text: &str, pointers: &[&str]) -> Vec<Option<(u32, u32)>> {
    let (mut trie, paths) = Trie::of(pointers);
    let bytes = text.as_bytes();
    let mut positions = Positions::new(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut offset = 0;
    while offset < bytes.len() && trie.unfound > 0 {
        let start = offset;
        match bytes[offset] {
            b' ' | b'\t' | b'\n' | b'\r' | b':' | b',' => {
                offset += 1;
                continue;
            }
            b'}' | b']' => {
                stack.pop();
                offset += 1;
                continue;
            }
            b'"' => {
                let Some(end) = string_end(bytes, offset) else {
                    break;
                };
                offset = end;
                if let Some(Frame::Map {
                    node,
                    key: key @ None,
                }) = stack.last_mut()
                {
                    let name = json_string(&text[start..end]);
                    let child = name.and_then(|name| trie.child(*node, &name));
                    *key = Some(child);
                    if child.is_some() {
                        trie.record(child, positions.at(start));
                    }
                    continue;
                }
            }
            b'{' | b'[' => offset += 1,
            // Numbers, `true`, `false`, `null` (and anything invalid) end at a delimiter.
            _ => {
                offset += bytes[offset..]
                    .iter()
                    .position(|b| b",}] \t\r\n".contains(b))
                    .unwrap_or(bytes.len() - offset);
            }
        }
        let node = value_node(&mut stack, &trie);
        if node.is_some() {
            trie.record(node, positions.at(start));
        }
        match (bytes[start], node) {
            // Nothing wanted lies inside: passed over without reading its tokens.
            (b'{' | b'[', None) => match container_end(bytes, start) {
                Some(end) => offset = end,
                None => break,
            },
            (b'{', _) => stack.push(Frame::Map { node, key: None }),
            (b'[', _) => stack.push(Frame::Seq { node, index: 0 }),
            _ => {}
        }
    }
    trie.found(&paths)
}

/// The offset just past the `}` or `]` that closes the object or array
/// opening at `start`. JSON's objects and arrays nest, so only brackets of
/// the same kind (outside strings) need counting.
fn container_end(bytes: &[u8], start: usize) -> Option<usize> {
    let (open, close) = match bytes[start] {
        b'{' => (b'{', b'}'),
        _ => (b'[', b']'),
    };
    let mut depth = 0usize;
    let mut offset = start;
    loop {
        offset += memchr::memchr3(b'"', open, close, &bytes[offset..])?;
        match bytes[offset] {
            b'"' => {
                offset = string_end(bytes, offset)?;
                continue;
            }
            byte if byte == open => depth += 1,
            _ => {
                depth -= 1;
                if depth == 0 {
                    return Some(offset + 1);
                }
            }
        }
        offset += 1;
    }
}

/// The offset just past the closing quote of the string opening at `start`.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut offset = start + 1;
    while offset < bytes.len() {
        offset += memchr::memchr2(b'\\', b'"', &bytes[offset..])?;
        match bytes[offset] {
            b'\\' => offset += 2,
            _ => return Some(offset + 1),
        }
    }
    None
}

/// A JSON string literal's text (`None` if its escapes are invalid).
fn json_string(literal: &str) -> Option<std::borrow::Cow<'_, str>> {
    if literal.contains('\\') {
        serde_json::from_str::<String>(literal).ok().map(Into::into)
    } else {
        literal.get(1..literal.len() - 1).map(Into::into)
    }
}

/// Byte offsets -> 1-based line and character column, for offsets asked in
/// increasing order: each character is counted once, however long the
/// line (minified specs are one line).
struct Positions<'a> {
    text: &'a str,
    offset: usize,
    line: u32,
    column: u32,
}

impl<'a> Positions<'a> {
    fn new(text: &'a str) -> Self {
        Positions {
            text,
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    fn at(&mut self, offset: usize) -> (u32, u32) {
        let passed = &self.text[self.offset..offset];
        let last_line = match memchr::memrchr(b'\n', passed.as_bytes()) {
            Some(newline) => {
                self.line += memchr::memchr_iter(b'\n', passed.as_bytes()).count() as u32;
                self.column = 1;
                &passed[newline + 1..]
            }
            None => passed,
        };
        self.column += last_line.chars().count() as u32;
        self.offset = offset;
        (self.line, self.column)
    }
}

fn locate_yaml(text: &str, pointers: &[&str]) -> Vec<Option<(u32, u32)>> {
    let (mut trie, paths) = Trie::of(pointers);
    let mut stack: Vec<Frame> = Vec::new();
    let mut parser = Parser::new_from_str(text);
    let record = |trie: &mut Trie, node: Option<usize>, line: usize, col: usize| {
        trie.record(node, (line as u32, col as u32 + 1));
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
        if trie.unfound == 0 {
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
            let child = node.and_then(|_| trie.child(*node, &index.to_string()));
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
    fn json_containers_with_nothing_wanted_are_passed_over_whole() {
        // Brackets and quotes inside strings of the passed-over `/a` and
        // `/c/0` must not end them early.
        let json = "{\"a\": {\"x\": \"}]\\\"{[\", \"y\": [[], {}, \"]\"]},\n\"b\": {\"c\": 1},\n\"c\": [[\"]]\"], {\"d\": \"é\"}]}";
        assert_eq!(
            locate(json, &["/b/c", "/c/1/d", "/b/z"]),
            [Some((2, 7)), Some((3, 16)), Some((2, 1))]
        );
    }

    #[test]
    fn json_on_one_line_counts_characters() {
        let json = r#"{"é☕": "ü", "b": {"c": [true, -1.5e3, null, "x"]}}"#;
        assert_eq!(
            locate(json, &["/é☕", "/b/c/3", "/b/c/1", "/b/c/9"]),
            [Some((1, 2)), Some((1, 45)), Some((1, 31)), Some((1, 19))]
        );
    }

    #[test]
    fn broken_json_ends_the_scan_without_panicking() {
        for text in ["{\"a\": [1, {\"b", "{\"a\\", "}]]{", "{\"a\": tru"] {
            let found = locate(text, &["/a/1/b", "/x"]);
            assert_eq!(found.len(), 2, "{text}");
        }
    }

    #[test]
    fn many_pointers_into_a_long_json_line_are_found_in_one_pass() {
        let members: Vec<String> = (0..20_000)
            .map(|i| format!("\"p{i}\": {{\"type\": \"string\"}}"))
            .collect();
        let json = format!("{{\"properties\": {{{}}}}}", members.join(", "));
        let pointers: Vec<String> = (0..20_000)
            .map(|i| format!("/properties/p{i}/type"))
            .collect();
        let pointer_refs: Vec<&str> = pointers.iter().map(String::as_str).collect();
        let found = locate(&json, &pointer_refs);
        let last_column = json.find("\"p19999\"").unwrap() + 1 + "\"p19999\": {".len();
        assert_eq!(found[19_999], Some((1, last_column as u32)));
        assert!(found.iter().all(Option::is_some));
    }

    #[test]
    fn aliases_are_not_expanded() {
        let yaml = "x: &anchor\n  y: 1\nz: *anchor\n";
        assert_eq!(locate(yaml, &["/z/y"]), [Some((3, 1))]);
    }
}
