//! Bytes -> `serde_json::Value`, YAML or JSON decided by content.
//!
//! Both parsers bound their nesting (128 levels) and YAML alias expansion,
//! so hostile input ends in an error, not a crash or an exhausted memory.

use std::path::Path;

use contracts_diagnostics::{Diagnostic, Location};
use contracts_model::codes;
use serde_json::Value;

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
        Format::Json => serde_json::from_str(text).map_err(|error| {
            let message = error.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_owned();
            (
                format!("invalid JSON: {message}"),
                error.line() as u32,
                error.column() as u32,
            )
        }),
        Format::Yaml => check_yaml_depth(text).and_then(|()| {
            yaml_serde::from_str(text).map_err(|error| {
                let (line, column) = error.location().map_or((0, 0), |location| {
                    (location.line() as u32, location.column() as u32)
                });
                let message = error.to_string();
                let message = message
                    .split(" at line ")
                    .next()
                    .unwrap_or(&message)
                    .to_owned();
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

/// Deepest nesting accepted, as serde_json's own limit.
const MAX_DEPTH: usize = 128;

/// The YAML parser's cost grows with the square of the nesting depth, so
/// depth is checked first with a linear event scan. Syntax errors are left
/// to the main parser, which words them better.
fn check_yaml_depth(text: &str) -> Result<(), (String, u32, u32)> {
    let mut parser = saphyr_parser::Parser::new_from_str(text);
    let mut depth = 0usize;
    let too_deep = |line: usize, col: usize| {
        let message =
            format!("invalid YAML: recursion limit exceeded (nesting deeper than {MAX_DEPTH})");
        Err((message, line as u32, col as u32 + 1))
    };
    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(next) => next,
            // The event parser has a flow-nesting limit of its own.
            Err(error) if error.info().contains("recursion limit") => {
                return too_deep(error.marker().line(), error.marker().col());
            }
            Err(_) => break,
        };
        match event {
            saphyr_parser::Event::MappingStart(..) | saphyr_parser::Event::SequenceStart(..) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return too_deep(span.start.line(), span.start.col());
                }
            }
            saphyr_parser::Event::MappingEnd | saphyr_parser::Event::SequenceEnd => depth -= 1,
            _ => {}
        }
    }
    Ok(())
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
