//! The one result type of every generator (`contracts-gen-ts`, `-msw`,
//! `-rust`): the files of an output and what the generator had to say
//! about the spec. A generator is `(&Contract, &Options) -> Generated`;
//! it fails by reporting an error diagnostic, so callers handle every
//! generator alike (report, then write everything or nothing).
//!
//! Architecture invariant: knows no generator and no model; paths are
//! relative to the output the caller chose, so generators do no IO.

use std::path::{Path, PathBuf};

use contracts_diagnostics::{Diagnostic, Severity};

/// What one generator made of one contract.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    /// Empty when the generator failed (an error in `diagnostics`).
    pub files: Vec<GeneratedFile>,
    /// Warnings about the spec (the output is made all the same) and errors
    /// (it could not be made).
    pub diagnostics: Vec<Diagnostic>,
}

/// One file of an output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative to the output; empty for an output that is a single file.
    pub path: PathBuf,
    pub contents: String,
}

impl Generated {
    /// An output that is one file.
    pub fn file(contents: String, diagnostics: Vec<Diagnostic>) -> Self {
        Generated {
            files: vec![GeneratedFile {
                path: PathBuf::new(),
                contents,
            }],
            diagnostics,
        }
    }

    /// A run that made nothing, with why.
    pub fn failed(error: Diagnostic) -> Self {
        Generated {
            files: Vec::new(),
            diagnostics: vec![error],
        }
    }

    /// Whether the output could not be made.
    pub fn has_errors(&self) -> bool {
        (self.diagnostics.iter()).any(|diagnostic| diagnostic.severity == Severity::Error)
    }

    /// The contents of the single file at the output itself (tests and
    /// stdout), if that is what was generated.
    pub fn code(&self) -> Option<&str> {
        match self.files.as_slice() {
            [file] if file.path.as_os_str().is_empty() => Some(&file.contents),
            _ => None,
        }
    }
}

impl GeneratedFile {
    /// Where the file goes when the output is at `output`.
    pub fn at(&self, output: &Path) -> PathBuf {
        if self.path.as_os_str().is_empty() {
            output.to_owned()
        } else {
            output.join(&self.path)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_file_is_the_output_and_a_folders_files_are_below_it() {
        let single = Generated::file("x".to_owned(), Vec::new());
        assert_eq!(
            single.files[0].at(Path::new("a/types.ts")),
            Path::new("a/types.ts")
        );
        assert_eq!(single.code(), Some("x"));
        let folder = GeneratedFile {
            path: PathBuf::from("src/lib.rs"),
            contents: String::new(),
        };
        assert_eq!(folder.at(Path::new("types")), Path::new("types/src/lib.rs"));
    }

    #[test]
    fn an_error_fails_the_run_and_a_warning_does_not() {
        let warned = Generated::file(String::new(), vec![Diagnostic::warning("w", "careful")]);
        assert!(!warned.has_errors());
        let failed = Generated::failed(Diagnostic::error("e", "cannot"));
        assert!(failed.has_errors());
        assert_eq!(failed.code(), None);
    }
}
