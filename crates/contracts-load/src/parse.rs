//! Bytes -> `serde_json::Value`, YAML or JSON decided by content.
//!
//! Both parsers bound their nesting (128 levels) and YAML alias expansion,
//! so hostile input ends in an error, not a crash or an exhausted memory.

use std::collections::HashSet;
use std::path::Path;

use crate::codes;
use contracts_diagnostics::{Diagnostic, Location};
use serde::de::DeserializeSeed;
use serde_json::Value;

use crate::strict::StrictValue;

/// Larger inputs are refused before parsing; real specs are far below (GitHub's is 13 MB).
pub const MAX_FILE_BYTES: usize = 256 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

/// Checks the bytes are UTF-8 (a BOM is dropped) and returns the text.
pub fn decode(bytes: Vec<u8>, display: &Path) -> Result<String, Diagnostic> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            codes::TOO_LARGE,
            format!(
                "file is {} MB; the limit is {} MB",
                bytes.len() >> 20,
                MAX_FILE_BYTES >> 20
            ),
        )
        .at(Location::new(display, "")));
    }
    let mut text = String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let prefix = String::from_utf8_lossy(&bytes[..valid]);
        let (line, column) = line_column(&prefix, prefix.len());
        Diagnostic::error(
            codes::NOT_UTF8,
            format!(
                "invalid UTF-8 byte 0x{:02X}: specs must be UTF-8 text",
                bytes[valid]
            ),
        )
        .at(Location::new(display, "").at(line, column))
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// JSON when the first meaningful character opens an object or array, YAML otherwise.
pub fn detect(text: &str) -> Format {
    match text.trim_start().chars().next() {
        Some('{' | '[') => Format::Json,
        _ => Format::Yaml,
    }
}

pub fn parse(text: &str, display: &Path) -> Result<(Value, Format), Diagnostic> {
    let format = detect(text);
    let result = match format {
        Format::Json => {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            StrictValue
                .deserialize(&mut deserializer)
                .and_then(|value| deserializer.end().map(|()| value))
                .map_err(|error| {
                    let message = without_position(&error);
                    // serde_json counts columns in bytes; diagnostics count characters.
                    let line = error.line();
                    let column = char_column(text, line, error.column());
                    (format!("invalid JSON: {message}"), line as u32, column)
                })
        }
        Format::Yaml => prescan_yaml(text).and_then(|()| {
            StrictValue
                .deserialize(yaml_serde::Deserializer::from_str(text))
                .map_err(|error| {
                    let (line, column) = error.location().map_or((0, 0), |location| {
                        (location.line() as u32, location.column() as u32)
                    });
                    let message = without_position(&error);
                    (format!("invalid YAML: {message}"), line, column)
                })
        }),
    };
    result
        .map(|value| (value, format))
        .map_err(|(message, line, column)| {
            let mut location = Location::new(display, "");
            if line > 0 {
                location = location.at(line, column.max(1));
            }
            Diagnostic::error(codes::SYNTAX, message).at(location)
        })
}

/// A parser's message without its " at line L column C" tail: the
/// diagnostic carries the position itself.
fn without_position(error: &dyn std::fmt::Display) -> String {
    let message = error.to_string();
    match message.split_once(" at line ") {
        Some((head, _)) => head.to_owned(),
        None => message,
    }
}

/// Deepest nesting accepted, as serde_json's own limit.
const MAX_DEPTH: usize = 128;

/// A linear pre-scan of the YAML event stream for what the main parser
/// handles badly: nesting depth (its cost grows with the square of the
/// depth) and duplicate keys (it reports them at the mapping, not the key).
/// Syntax errors are left to the main parser, which words them better.
fn prescan_yaml(text: &str) -> Result<(), (String, u32, u32)> {
    use saphyr_parser::Event;

    enum Frame {
        Map {
            keys: HashSet<String>,
            expect_key: bool,
        },
        Seq,
    }
    /// A node starts inside the innermost frame: in a mapping, keys and values alternate.
    fn advance(stack: &mut [Frame]) -> bool {
        match stack.last_mut() {
            Some(Frame::Map { expect_key, .. }) => {
                let was_key = *expect_key;
                *expect_key = !was_key;
                was_key
            }
            _ => false,
        }
    }

    let mut parser = saphyr_parser::Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let at = |message: String, marker: &saphyr_parser::Marker| {
        Err((message, marker.line() as u32, marker.col() as u32 + 1))
    };
    let too_deep =
        format!("invalid YAML: recursion limit exceeded (nesting deeper than {MAX_DEPTH})");
    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(next) => next,
            // The event parser has a flow-nesting limit of its own.
            Err(error) if error.info().contains("recursion limit") => {
                return at(too_deep, error.marker());
            }
            Err(_) => break,
        };
        match event {
            Event::Scalar(value, ..) => {
                let is_key = advance(&mut stack);
                if let (true, Some(Frame::Map { keys, .. })) = (is_key, stack.last_mut()) {
                    if keys.contains(value.as_ref()) {
                        return at(
                            format!("invalid YAML: duplicate key `{value}`"),
                            &span.start,
                        );
                    }
                    keys.insert(value.into_owned());
                }
            }
            Event::Alias(_) => {
                advance(&mut stack);
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                advance(&mut stack);
                if stack.len() >= MAX_DEPTH {
                    return at(too_deep, &span.start);
                }
                stack.push(match event {
                    Event::MappingStart(..) => Frame::Map {
                        keys: HashSet::new(),
                        expect_key: true,
                    },
                    _ => Frame::Seq,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            _ => {}
        }
    }
    Ok(())
}

/// The character column of a 1-based byte column on a 1-based line.
fn char_column(text: &str, line: usize, byte_column: usize) -> u32 {
    let line_text = text.split('\n').nth(line.saturating_sub(1)).unwrap_or("");
    let mut end = byte_column.saturating_sub(1).min(line_text.len());
    while !line_text.is_char_boundary(end) {
        end -= 1;
    }
    line_text[..end].chars().count() as u32 + 1
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |index| index + 1);
    let column = before[line_start..].chars().count() + 1;
    (line as u32, column as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Value {
        parse(text, Path::new("t")).unwrap().0
    }

    fn parse_err(text: &str) -> Diagnostic {
        parse(text, Path::new("t")).unwrap_err()
    }

    #[test]
    fn format_is_decided_by_content() {
        assert_eq!(detect("  \n{\"a\":1}"), Format::Json);
        assert_eq!(detect("a: 1"), Format::Yaml);
        assert_eq!(parse_ok("openapi: 3.1.0\n")["openapi"], "3.1.0");
    }

    #[test]
    fn yaml_numeric_keys_become_strings() {
        let value = parse_ok("responses:\n  200:\n    description: ok\n");
        assert!(value["responses"]["200"].is_object());
    }

    #[test]
    fn json_syntax_error_has_line_and_column() {
        let error = parse_err("{\n  \"a\": 1,\n  \"b\": }\n");
        assert_eq!(error.code, codes::SYNTAX);
        let location = error.location.unwrap();
        assert_eq!((location.line, location.column), (Some(3), Some(8)));
    }

    #[test]
    fn yaml_syntax_error_has_line() {
        let error = parse_err("a: 1\nb: [1, 2\nc: 3\n");
        assert_eq!(error.code, codes::SYNTAX);
        assert!(error.location.unwrap().line.is_some());
    }

    #[test]
    fn duplicate_keys_are_refused_in_both_formats() {
        let error = parse_err("a: 1\nb: 2\na: 3\n");
        assert!(error.message.contains("duplicate"), "{}", error.message);
        assert_eq!(error.location.unwrap().line, Some(3));
        let error = parse_err("{\"a\": 1,\n \"a\": 2}");
        assert!(
            error.message.contains("duplicate key `a`"),
            "{}",
            error.message
        );
        assert_eq!(error.location.unwrap().line, Some(2));
    }

    #[test]
    fn json_error_columns_count_characters() {
        let error = parse_err("{\"é☕\": 1 2}");
        assert_eq!(error.location.unwrap().column, Some(10));
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..12 {
            let previous = format!("*a{}", level - 1);
            let items = [previous.as_str(); 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{items}]\n"));
        }
        let error = parse_err(&text);
        assert!(
            error.message.contains("repetition limit"),
            "{}",
            error.message
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let depth = 100_000;
        let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(parse_err(&json).message.contains("recursion limit"));
        let yaml = format!("a: {}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(parse_err(&yaml).message.contains("recursion limit"));
    }

    #[test]
    fn non_utf8_is_located() {
        let error = decode(b"a: 1\nb: \xff\n".to_vec(), Path::new("t")).unwrap_err();
        assert_eq!(error.code, codes::NOT_UTF8);
        let location = error.location.unwrap();
        assert_eq!((location.line, location.column), (Some(2), Some(4)));
    }

    #[test]
    fn bom_is_dropped() {
        assert_eq!(
            decode(b"\xef\xbb\xbfa: 1".to_vec(), Path::new("t")).unwrap(),
            "a: 1"
        );
    }

    #[test]
    fn line_column_counts_characters() {
        assert_eq!(line_column("ab\ncé d", 7), (2, 4));
    }
}
