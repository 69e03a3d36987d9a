//! Printing diagnostics in the format the user asked for.

use std::io::{IsTerminal, Write};

use contracts_diagnostics::{Diagnostic, SourceLookup, render_human, render_json};

use crate::args::Format;

/// Prints diagnostics: human text on stderr, JSON on stdout.
pub fn print(diagnostics: &[Diagnostic], sources: &dyn SourceLookup, format: Format) {
    match format {
        Format::Human => {
            let stderr = std::io::stderr();
            let color = stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let _ = stderr
                .lock()
                .write_all(render_human(diagnostics, sources, color).as_bytes());
        }
        Format::Json => {
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = std::io::stdout()
                .lock()
                .write_all(render_json(diagnostics).as_bytes());
        }
    }
}

/// Text of files that are not specs (the config), for snippets of config errors.
pub struct TextSource<'a> {
    pub path: &'a std::path::Path,
    pub text: Option<String>,
}

impl SourceLookup for TextSource<'_> {
    fn source(&self, file: &std::path::Path) -> Option<&str> {
        (file == self.path)
            .then_some(self.text.as_deref())
            .flatten()
    }
}
