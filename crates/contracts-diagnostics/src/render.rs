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
            group = group.element(located(location, sources, &mut lines));
            if !location.pointer.is_empty() {
                group = group.element(Level::NOTE.message(format!("at #{}", location.pointer)));
            }
        }
        if let Some(help) = &diagnostic.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let mut report = vec![group];
        for related in &diagnostic.related {
            report.push(
                Group::with_title(Level::NOTE.secondary_title(related.message.as_str()))
                    .element(located(&related.location, sources, &mut lines)),
            );
        }
        out.push_str(&renderer.render(&report));
        out.push('\n');
    }
    out
}

/// A one-line snippet when the source and line are known, else just the origin.
fn located<'a>(
    location: &'a Location,
    sources: &'a dyn SourceLookup,
    lines: &mut LineCache,
) -> annotate_snippets::Element<'a> {
    let path = location.file.display().to_string();
    let line_text = location.line.and_then(|line| {
        let source = sources.source(&location.file)?;
        lines.line(&location.file, source, line as usize)
    });
    match (line_text, location.line, location.column) {
        (Some(text), Some(line), Some(column)) => {
            let span = token_span(text, column as usize);
            let annotation = AnnotationKind::Primary.span(span);
            Snippet::source(text)
                .line_start(line as usize)
                .path(Cow::Owned(path))
                .annotation(annotation)
                .into()
        }
        (_, Some(line), column) => Origin::path(path)
            .line(line as usize)
            .char_column(column.unwrap_or(1) as usize)
            .into(),
        _ => Origin::path(path).into(),
    }
}

/// Line start offsets per file, computed once per render: specs can be
/// hundreds of thousands of lines long.
#[derive(Default)]
struct LineCache {
    starts: std::collections::HashMap<std::path::PathBuf, Vec<usize>>,
}

impl LineCache {
    /// The text of 1-based `line`, without its line break.
    fn line<'s>(&mut self, file: &Path, source: &'s str, line: usize) -> Option<&'s str> {
        let starts = self.starts.entry(file.to_owned()).or_insert_with(|| {
            std::iter::once(0)
                .chain(source.match_indices('\n').map(|(index, _)| index + 1))
                .collect()
        });
        let start = *starts.get(line.checked_sub(1)?)?;
        let end = starts.get(line).map_or(source.len(), |next| next - 1);
        Some(source[start..end].trim_end_matches('\r'))
    }
}

/// The byte range of the token starting at a 1-based character column.
fn token_span(line: &str, column: usize) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(offset, _)| offset);
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
        assert_eq!(token_span("  key: 1", 3), 2..6);
        assert_eq!(token_span("é x", 3), 3..4);
    }
}
