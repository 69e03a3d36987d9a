//! Builds a [`Contract`] from parsed documents, collecting every fault as a
//! diagnostic instead of stopping at the first.
//!
//! Schema `$ref`s stay references ([`Schema::Ref`]) to an arena of named
//! schemas, so recursive schemas cost nothing and identity is kept. Targets
//! are built from a worklist, never by recursion, so long ref chains cannot
//! overflow the stack. Other `$ref`s (parameters, responses, ...) are followed
//! and their content copied into the operation, remembering the component name.

mod access;
mod cycles;
mod document;
mod operations;
mod refs;
mod schemas;
#[cfg(test)]
mod tests;
mod verbatim;

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::Arc;

use contracts_diagnostics::{Diagnostic, Location};
use serde_json::Value;

use crate::contract::*;
use crate::graph::Node;
use crate::pointer;

/// The parsed files a contract is built from. The loader implements it; the
/// builder asks for referenced files as it meets them.
pub trait Documents {
    /// The document the build starts from.
    fn root(&self) -> FileId;
    fn value(&self, file: FileId) -> Arc<Value>;
    /// The path shown to users (relative to the project root where possible).
    fn display_path(&self, file: FileId) -> PathBuf;
    /// Resolves the file part of a `$ref` written in `from`, reading it on
    /// first use. Refusals (remote, outside the root, missing) come back as a
    /// diagnostic without a location; the builder adds the ref's location.
    fn resolve_file(&mut self, from: FileId, reference: &str) -> Result<FileId, Box<Diagnostic>>;
    /// Every file read so far, by [`FileId`].
    fn files(&self) -> Vec<PathBuf>;
}

/// Builds the contract of `documents.root()`. Returns `None` only when the
/// root is not an OpenAPI 3.x document at all; the diagnostics say why.
pub fn build(documents: &mut dyn Documents) -> (Option<Contract>, Vec<Diagnostic>) {
    let root = documents.root();
    let mut builder = Builder {
        docs: documents,
        version: Version::V3_0,
        diagnostics: Vec::new(),
        schemas: Vec::new(),
        schema_index: HashMap::new(),
        pending: Vec::new(),
        shared_parameters: HashMap::new(),
        shared_responses: HashMap::new(),
        shared_bodies: HashMap::new(),
        shared_headers: HashMap::new(),
        verbatim: VecDeque::new(),
    };
    let contract = builder.contract(root);
    (contract, builder.diagnostics)
}

#[derive(Clone)]
struct At {
    file: FileId,
    pointer: String,
}

impl At {
    fn child(&self, segment: &str) -> At {
        At {
            file: self.file,
            pointer: pointer::push(&self.pointer, segment),
        }
    }

    fn index(&self, index: usize) -> At {
        self.child(&index.to_string())
    }

    fn loc(&self) -> Loc {
        Loc {
            file: self.file,
            pointer: self.pointer.clone(),
        }
    }
}

/// Objects built from a `$ref` target, by target location.
type SharedCache<T> = HashMap<(FileId, String), Arc<T>>;

struct Builder<'d> {
    docs: &'d mut dyn Documents,
    version: Version,
    diagnostics: Vec<Diagnostic>,
    schemas: Vec<NamedSchema>,
    schema_index: HashMap<(FileId, String), SchemaId>,
    pending: Vec<SchemaId>,
    shared_parameters: SharedCache<Parameter>,
    shared_responses: SharedCache<Response>,
    shared_bodies: SharedCache<RequestBody>,
    shared_headers: SharedCache<Header>,
    /// Parts kept as written whose refs are still to check.
    verbatim: VecDeque<(Node, At)>,
}

impl Builder<'_> {
    fn location(&self, at: &At) -> Location {
        Location::new(self.docs.display_path(at.file), at.pointer.clone())
    }

    fn error(&mut self, code: &'static str, at: &At, message: impl Into<String>) {
        let diagnostic = Diagnostic::error(code, message).at(self.location(at));
        self.diagnostics.push(diagnostic);
    }

    fn warn(&mut self, code: &'static str, at: &At, message: impl Into<String>) {
        let diagnostic = Diagnostic::warning(code, message).at(self.location(at));
        self.diagnostics.push(diagnostic);
    }
}
