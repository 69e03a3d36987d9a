use std::path::PathBuf;
use std::sync::Arc;

use contracts_diagnostics::Diagnostic;
use serde_json::Value;

use crate::{Documents, FileId, codes, paths};

/// Documents held in memory, keyed by relative path: for tests and for
/// callers that already parsed their input. Ref paths are joined lexically.
#[derive(Debug, Default)]
pub struct InMemory {
    files: Vec<(PathBuf, Arc<Value>)>,
}

impl InMemory {
    /// A set whose root document is `root`, at path `path`.
    pub fn new(path: impl Into<PathBuf>, root: impl Into<Arc<Value>>) -> Self {
        InMemory {
            files: vec![(path.into(), root.into())],
        }
    }

    pub fn with(mut self, path: impl Into<PathBuf>, value: Value) -> Self {
        self.files.push((path.into(), Arc::new(value)));
        self
    }
}

impl Documents for InMemory {
    fn root(&self) -> FileId {
        FileId(0)
    }

    fn value(&self, file: FileId) -> Arc<Value> {
        self.files[file.0 as usize].1.clone()
    }

    fn display_path(&self, file: FileId) -> PathBuf {
        self.files[file.0 as usize].0.clone()
    }

    fn resolve_file(&mut self, from: FileId, reference: &str) -> Result<FileId, Box<Diagnostic>> {
        let joined = paths::ref_target_file(&self.files[from.0 as usize].0, reference)
            .map_err(|message| Box::new(Diagnostic::error(codes::REF_INVALID, message)))?;
        self.files
            .iter()
            .position(|(path, _)| *path == joined)
            .map(|index| FileId(index as u32))
            .ok_or_else(|| {
                Box::new(Diagnostic::error(
                    codes::REF_MISSING_FILE,
                    format!(
                        "`{reference}` refers to `{}`, which does not exist",
                        joined.display()
                    ),
                ))
            })
    }

    fn files(&self) -> Vec<PathBuf> {
        self.files.iter().map(|(path, _)| path.clone()).collect()
    }
}
