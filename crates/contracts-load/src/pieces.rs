//! A document written piece by piece, byte for byte as [`emit`] writes it
//! whole: a caller that keeps the text of entries that did not change (the
//! merge's gateway, in `watch`) puts the document together without
//! serializing those entries again.
//!
//! Both formats indent by two spaces per level and never fold lines
//! (`yaml_serde` sets an unlimited width), so an entry's text at one depth is
//! its text at depth zero with every line indented; in YAML, empty lines
//! (inside block scalars) stay empty, as the emitter writes them.

use serde_json::{Map, Value};

use crate::{Format, emit};

/// The text of the mapping entry `key: value` as [`emit`] writes it inside
/// `depth` mappings besides the root: YAML lines ending in a newline; for
/// JSON, the entry with no comma and no newline after it.
pub fn emit_entry(key: &str, value: &Value, depth: usize, format: Format) -> String {
    let mut single = Map::new();
    single.insert(key.to_owned(), value.clone());
    let text = emit(&Value::Object(single), format);
    match format {
        // `{\n  "key": ...\n}\n`: the lines between the braces.
        Format::Json => indented(&text["{\n".len()..text.len() - "\n}\n".len()], depth),
        Format::Yaml => indented(&text, depth),
    }
}

/// `text` with `depth` levels of indentation before each line that is not empty.
fn indented(text: &str, depth: usize) -> String {
    if depth == 0 {
        return text.to_owned();
    }
    let indent = "  ".repeat(depth);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.split_inclusive('\n') {
        if line != "\n" {
            out.push_str(&indent);
        }
        out.push_str(line);
    }
    out
}

/// Writes a document whose root is a mapping, entry by entry.
pub struct Pieces {
    format: Format,
    text: String,
    /// The open mappings, root first: the key of each nested one (its
    /// header is written with its first entry) and whether it has entries.
    open: Vec<(&'static str, bool)>,
}

impl Pieces {
    pub fn new(format: Format) -> Pieces {
        let text = match format {
            Format::Json => "{".to_owned(),
            Format::Yaml => String::new(),
        };
        Pieces {
            format,
            text,
            open: vec![("", false)],
        }
    }

    /// The depth (mappings besides the root) of the innermost open mapping's entries.
    pub fn depth(&self) -> usize {
        self.open.len() - 1
    }

    /// An entry of the innermost open mapping.
    pub fn value(&mut self, key: &str, value: &Value) {
        let entry = emit_entry(key, value, self.depth(), self.format);
        self.text(&entry);
    }

    /// An entry of the innermost open mapping, as [`emit_entry`] wrote it at [`Pieces::depth`].
    pub fn text(&mut self, entry: &str) {
        self.begin_entry(self.depth());
        self.text.push_str(entry);
    }

    /// Opens a mapping under `key`, a plain word such as a section name.
    pub fn open(&mut self, key: &'static str) {
        debug_assert!(key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        self.open.push((key, false));
    }

    /// Closes the innermost mapping; one with no entries is written `{}`.
    pub fn close(&mut self) {
        let (key, has_entries) = self.open.pop().expect("a mapping is open");
        if !has_entries {
            self.value(key, &Value::Object(Map::new()));
        } else if self.format == Format::Json {
            self.text.push('\n');
            self.text.push_str(&"  ".repeat(self.open.len()));
            self.text.push('}');
        }
    }

    pub fn finish(mut self) -> String {
        assert_eq!(self.open.len(), 1, "every mapping opened is closed");
        let (_, has_entries) = self.open[0];
        match (self.format, has_entries) {
            (Format::Json, true) => self.text.push_str("\n}\n"),
            (Format::Json, false) => self.text.push_str("}\n"),
            (Format::Yaml, true) => {}
            (Format::Yaml, false) => self.text.push_str("{}\n"),
        }
        self.text
    }

    /// Writes what comes before an entry of the mapping at `level`: the
    /// separator from the entry before, or, for its first entry, its own
    /// header (an entry of the mapping around it).
    fn begin_entry(&mut self, level: usize) {
        if self.open[level].1 {
            if self.format == Format::Json {
                self.text.push_str(",\n");
            }
            return;
        }
        if level > 0 {
            self.begin_entry(level - 1);
            let key = self.open[level].0;
            match self.format {
                Format::Json => {
                    self.text.push_str(&"  ".repeat(level));
                    self.text.push('"');
                    self.text.push_str(key);
                    self.text.push_str("\": {");
                }
                Format::Yaml => {
                    self.text.push_str(&"  ".repeat(level - 1));
                    self.text.push_str(key);
                    self.text.push_str(":\n");
                }
            }
        }
        if self.format == Format::Json {
            self.text.push('\n');
        }
        self.open[level].1 = true;
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Writes `document` piece by piece: each mapping among `nested` (a
    /// path of keys) opened, every other entry as a value.
    fn in_pieces(document: &Value, format: Format) -> String {
        fn write(pieces: &mut Pieces, map: &Map<String, Value>, nested: &[&'static str]) {
            for (key, value) in map {
                match (nested.iter().find(|n| **n == key), value) {
                    (Some(name), Value::Object(inner)) => {
                        pieces.open(name);
                        write(pieces, inner, nested);
                        pieces.close();
                    }
                    _ => {
                        let depth = pieces.depth();
                        let entry = emit_entry(key, value, depth, pieces.format);
                        pieces.text(&entry);
                    }
                }
            }
        }
        let mut pieces = Pieces::new(format);
        let Value::Object(map) = document else {
            unreachable!("documents here are mappings")
        };
        write(
            &mut pieces,
            map,
            &["paths", "components", "schemas", "empty", "webhooks"],
        );
        pieces.finish()
    }

    #[test]
    fn a_document_written_in_pieces_is_the_document_written_whole() {
        let tricky = json!({
            "multi": "line one\n\n  indented line\nlast\n",
            "leading": "  starts with spaces\nand goes on",
            "trailing": "ends with spaces  \n\n\n",
            "blank lines": "a\n\n\nb",
            "special": ["yes", "no", "null", "~", "1e3", "0x1F", "- dash", ": colon", "# hash", "", " "],
            "key: with colon": {"\"quoted\"": true, "ünïcödé": "✓", "tab\tkey": "tab\tvalue"},
            "numbers": [1, -2.5, 1e300, 0],
            "nested": [[], {}, [{}], [[1, [2, {"a": [3]}]]], {"x": {"y": {"z": []}}}],
            "long key": {"k".repeat(200): "v".repeat(300)},
        });
        let document = json!({
            "openapi": "3.1.0",
            "info": {"title": "T", "version": "1"},
            "paths": {"/a": {"get": tricky.clone()}, "/b/{id}": tricky.clone(), format!("/{}", "long".repeat(50)): {"x": 1}},
            "empty": {},
            "components": {"schemas": {"A": tricky.clone(), "B": {"type": "string"}}, "empty": {}},
            "webhooks": {"w": tricky},
            "x-last": "x",
        });
        for format in [Format::Json, Format::Yaml] {
            assert_eq!(in_pieces(&document, format), emit(&document, format));
        }
        for format in [Format::Json, Format::Yaml] {
            let empty = json!({});
            assert_eq!(in_pieces(&empty, format), emit(&empty, format));
            let only_nested = json!({"paths": {}});
            assert_eq!(in_pieces(&only_nested, format), emit(&only_nested, format));
            let first_nested = json!({"paths": {"/": 1}, "b": 2});
            assert_eq!(
                in_pieces(&first_nested, format),
                emit(&first_nested, format)
            );
        }
    }
}
