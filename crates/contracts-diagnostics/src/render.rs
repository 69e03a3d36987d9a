use std::borrow::Cow;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use crate::{Diagnostic, Location, Severity};

/// Gives the renderer the text of a file, for the source snippet.
pub trait SourceLookup {
    fn source(&self, file: &Path) -> Option<&str>;
}

/// Renders rustc-style reports: title, `--> file:line:col`, the source line
/// with the node underlined, the JSON pointer and any help.
pub fn render_human(diagnostics: &[Diagnostic], sources: &dyn SourceLookup, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut lines = LineCache::default();
    let mut out = String::new();
    for diagnostic in diagnostics {
        let level = match diagnostic.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level
            .primary_title(diagnostic.message.as_str())
            .id(diagnostic.code);
        let mut group = Group::with_title(title);
        if let Some(location) = &diagnostic.location {
            for element in located(location, sources, &mut lines) {
                group = group.element(element);
            }
            if !location.pointer.is_empty() {
                group = group.element(Level::NOTE.message(format!("at #{}", location.pointer)));
            }
        }
        if let Some(help) = &diagnostic.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let mut report = vec![group];
        for related in &diagnostic.related {
            let mut group =
                Group::with_title(Level::NOTE.secondary_title(related.message.as_str()));
            for element in located(&related.location, sources, &mut lines) {
                group = group.element(element);
            }
            report.push(group);
        }
        out.push_str(&renderer.render(&report));
        out.push('\n');
    }
    out
}

/// Lines longer than this many bytes are shown as a window around the
/// column: a minified spec is one line of megabytes.
const LONG_LINE_BYTES: usize = 200;
/// Bytes shown on each side of the column in such a window.
const WINDOW_BYTES: usize = 60;

/// A one-line snippet when the source and line are known, else just the origin.
fn located<'a>(
    location: &'a Location,
    sources: &'a dyn SourceLookup,
    lines: &mut LineCache,
) -> Vec<annotate_snippets::Element<'a>> {
    let path = location.file.display().to_string();
    let line_text = location.line.and_then(|line| {
        let source = sources.source(&location.file)?;
        lines.line(&location.file, source, line as usize)
    });
    match (line_text, location.line, location.column) {
        (Some(line_text), Some(line), Some(column)) => {
            let start = line_text.byte_offset(column as usize);
            let text = line_text.text;
            if text.len() <= LONG_LINE_BYTES {
                let annotation = AnnotationKind::Primary.span(token_span(text, start));
                return vec![
                    Snippet::source(text)
                        .line_start(line as usize)
                        .path(Cow::Owned(path))
                        .annotation(annotation)
                        .into(),
                ];
            }
            // The origin carries the real column; the window's own would be wrong.
            let (window, start) = window(text, start);
            let annotation = AnnotationKind::Primary.span(token_span(&window, start));
            vec![
                Origin::path(path)
                    .line(line as usize)
                    .char_column(column as usize)
                    .into(),
                Snippet::source(window)
                    .line_start(line as usize)
                    .annotation(annotation)
                    .into(),
            ]
        }
        (_, Some(line), column) => vec![
            Origin::path(path)
                .line(line as usize)
                .char_column(column.unwrap_or(1) as usize)
                .into(),
        ],
        _ => vec![Origin::path(path).into()],
    }
}

/// The part of a long line around byte `start`, marked `...` where cut, and
/// `start` within it.
fn window(text: &str, start: usize) -> (String, usize) {
    let mut from = start.saturating_sub(WINDOW_BYTES);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (start + WINDOW_BYTES).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let (before, after) = (
        if from > 0 { "..." } else { "" },
        if to < text.len() { "..." } else { "" },
    );
    (
        format!("{before}{}{after}", &text[from..to]),
        start - from + before.len(),
    )
}

/// Line start offsets per file, computed once per render: specs can be
/// hundreds of thousands of lines long, or one line of megabytes.
#[derive(Default)]
struct LineCache {
    files: std::collections::HashMap<std::path::PathBuf, LineStarts>,
}

struct LineStarts {
    starts: Vec<usize>,
    /// An ASCII file's character columns are byte columns: no line is rescanned.
    ascii: bool,
}

/// One line of a file, without its line break.
struct Line<'s> {
    text: &'s str,
    ascii: bool,
}

impl Line<'_> {
    /// The byte offset of a 1-based character column (the line's end past it).
    fn byte_offset(&self, column: usize) -> usize {
        let index = column.saturating_sub(1);
        if self.ascii {
            return index.min(self.text.len());
        }
        self.text
            .char_indices()
            .nth(index)
            .map_or(self.text.len(), |(offset, _)| offset)
    }
}

impl LineCache {
    /// The text of 1-based `line`.
    fn line<'s>(&mut self, file: &Path, source: &'s str, line: usize) -> Option<Line<'s>> {
        let file = self
            .files
            .entry(file.to_owned())
            .or_insert_with(|| LineStarts {
                starts: std::iter::once(0)
                    .chain(memchr::memchr_iter(b'\n', source.as_bytes()).map(|index| index + 1))
                    .collect(),
                ascii: source.is_ascii(),
            });
        let start = *file.starts.get(line.checked_sub(1)?)?;
        let end = file.starts.get(line).map_or(source.len(), |next| next - 1);
        Some(Line {
            text: source.get(start..end)?.trim_end_matches('\r'),
            ascii: file.ascii,
        })
    }
}

/// The byte range of the token starting at byte `start`.
fn token_span(line: &str, start: usize) -> std::ops::Range<usize> {
    let start = start.min(line.len());
    let rest = &line[start..];
    let length = rest
        .find(|c: char| c.is_whitespace() || c == ',')
        .unwrap_or(rest.len())
        .max(1);
    start..(start + length).min(line.len()).max(start)
}

/// One JSON array of diagnostics, each with file, line, column, pointer,
/// severity, code, message (and help, related places when present).
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let items: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|diagnostic| {
            let location = diagnostic.location.as_ref();
            let mut item = serde_json::json!({
                "file": location.map(|l| l.file.display().to_string()),
                "line": location.and_then(|l| l.line),
                "column": location.and_then(|l| l.column),
                "pointer": location.map(|l| l.pointer.as_str()),
                "severity": diagnostic.severity,
                "code": diagnostic.code,
                "message": diagnostic.message,
            });
            if let Some(help) = &diagnostic.help {
                item["help"] = help.as_str().into();
            }
            if !diagnostic.related.is_empty() {
                item["related"] =
                    serde_json::to_value(&diagnostic.related).expect("related locations serialize");
            }
            item
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&items).expect("diagnostics serialize");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::path::PathBuf;

    struct Sources(HashMap<PathBuf, String>);

    impl SourceLookup for Sources {
        fn source(&self, file: &Path) -> Option<&str> {
            self.0.get(file).map(String::as_str)
        }
    }

    #[test]
    fn human_report_shows_snippet_pointer_and_help() {
        let sources = Sources(HashMap::from([(
            PathBuf::from("api.yaml"),
            "openapi: 3.0.3\npaths:\n  users: {}\n".to_owned(),
        )]));
        let diagnostic = Diagnostic::error("path-not-absolute", "path `users` must start with `/`")
            .at(Location::new("api.yaml", "/paths/users").at(3, 3))
            .with_help("write `/users`");
        let text = render_human(&[diagnostic], &sources, false);
        assert!(
            text.contains("error[path-not-absolute]: path `users` must start with `/`"),
            "{text}"
        );
        assert!(text.contains("--> api.yaml:3:3"), "{text}");
        assert!(text.contains("3 |   users: {}"), "{text}");
        assert!(text.contains("^^^^^^"), "{text}");
        assert!(text.contains("at #/paths/users"), "{text}");
        assert!(text.contains("help: write `/users`"), "{text}");
    }

    #[test]
    fn json_report_has_machine_fields() {
        let diagnostic =
            Diagnostic::warning("null-schema", "null").at(Location::new("a.json", "/x").at(2, 4));
        let value: serde_json::Value = serde_json::from_str(&render_json(&[diagnostic])).unwrap();
        assert_eq!(value[0]["line"], 2);
        assert_eq!(value[0]["column"], 4);
        assert_eq!(value[0]["pointer"], "/x");
        assert_eq!(value[0]["severity"], "warning");
        assert_eq!(value[0]["code"], "null-schema");
    }

    #[test]
    fn token_span_never_leaves_the_line() {
        assert_eq!(token_span("ab", 9), 2..2);
        assert_eq!(token_span("  key: 1", 2), 2..6);
        let line = Line {
            text: "é x",
            ascii: false,
        };
        assert_eq!(token_span(line.text, line.byte_offset(3)), 3..4);
    }

    #[test]
    fn a_long_line_shows_a_window_around_the_column() {
        let line = format!(
            "{{\"a\": \"{}\", \"é\": {{\"bad\": 1}}, \"z\": \"{}\"}}",
            "x".repeat(5000),
            "y".repeat(5000)
        );
        let column = line.chars().take_while(|&c| c != 'b').count() as u32;
        let sources = Sources(HashMap::from([(PathBuf::from("min.json"), line)]));
        let diagnostic =
            Diagnostic::warning("bad", "bad").at(Location::new("min.json", "/é/bad").at(1, column));
        let text = render_human(&[diagnostic], &sources, false);
        assert!(text.contains(&format!("--> min.json:1:{column}")), "{text}");
        assert!(text.contains("...xxx"), "{text}");
        assert!(text.contains("\"bad\": 1"), "{text}");
        assert!(text.contains("^^^^^"), "{text}");
        assert!(text.len() < 1000, "{text}");
    }
}
