//! One diagnostic type for every crate, so a run can collect all problems
//! and render them once (rustc-style text or JSON).
//!
//! Analyses never stop at the first fault: they return their result together
//! with a `Vec<Diagnostic>`. Positions are filled in late (`Location::line`),
//! by the loader, which is the only crate that holds source text.

mod codes;
mod render;

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

pub use codes::Code;
pub use render::{SourceLookup, render_human, render_json};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// Where a diagnostic points: a file, the JSON pointer of the node and,
/// once located, its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    pub file: PathBuf,
    pub pointer: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl Location {
    pub fn new(file: impl Into<PathBuf>, pointer: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            pointer: pointer.into(),
            line: None,
            column: None,
        }
    }

    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        if !self.pointer.is_empty() {
            write!(f, " (#{})", self.pointer)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable, kebab-case identifier (`ref-unresolved`); see `codes` in the model crate.
    pub code: &'static str,
    pub message: String,
    /// Boxed to keep `Result<_, Diagnostic>` small.
    pub location: Option<Box<Location>>,
    /// Other places that explain the problem (the first definition of a duplicate).
    pub related: Vec<Related>,
    pub help: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            location: None,
            related: Vec::new(),
            help: None,
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(Box::new(location));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, location: Location, message: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Every location this diagnostic names, so a locator can fill in lines.
    pub fn locations_mut(&mut self) -> impl Iterator<Item = &mut Location> {
        self.location
            .iter_mut()
            .map(|location| &mut **location)
            .chain(self.related.iter_mut().map(|related| &mut related.location))
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)?;
        if let Some(location) = &self.location {
            write!(f, " at {location}")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics by file, then position, then code: output order must not
/// depend on the order in which an analysis happened to find things.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            d.location
                .as_ref()
                .map(|l| (l.file.clone(), l.line, l.column, l.pointer.clone()))
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| a.code.cmp(b.code))
            .then_with(|| a.message.cmp(&b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_and_pointer() {
        let diagnostic = Diagnostic::error("ref-unresolved", "no such node").at(Location::new(
            "api.yaml",
            "/paths/~1users",
        )
        .at(3, 5));
        assert_eq!(
            diagnostic.to_string(),
            "error[ref-unresolved]: no such node at api.yaml:3:5 (#/paths/~1users)"
        );
    }

    #[test]
    fn sort_orders_by_file_then_line() {
        let mut diagnostics = vec![
            Diagnostic::error("b", "x").at(Location::new("b.yaml", "").at(1, 1)),
            Diagnostic::error("a", "x").at(Location::new("a.yaml", "").at(9, 1)),
            Diagnostic::error("a", "x").at(Location::new("a.yaml", "").at(2, 1)),
        ];
        sort(&mut diagnostics);
        let lines: Vec<_> = diagnostics
            .iter()
            .map(|d| d.location.as_ref().unwrap().line.unwrap())
            .collect();
        assert_eq!(lines, [2, 9, 1]);
    }
}
