//! Reads specs from disk or stdin, serves `$ref`ed files to the model
//! builder, and gives diagnostics their line and column.
//!
//! Architecture invariant: this is the only crate that reads spec files or
//! parses YAML. Every `$ref` file is checked against the project root before
//! it is opened, and remote references are refused, never fetched.

pub mod codes;
mod locate;
mod parse;
mod pieces;
mod strict;
mod swagger;

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use contracts_diagnostics::{Diagnostic, Location, SourceLookup};
use contracts_model::codes as model_codes;
pub use contracts_model::paths::normalize;
use contracts_model::{Contract, Documents, FileId, paths};
use serde_json::Value;

pub use locate::locate;
pub use parse::{Format, MAX_FILE_BYTES, detect, parse};
pub use pieces::{Pieces, emit_entry};

/// The display name of standard input.
pub const STDIN: &str = "<stdin>";

/// One file read for a spec.
#[derive(Debug)]
pub struct SourceFile {
    /// Absolute, normalized path (for stdin: the working folder + `<stdin>`).
    pub path: PathBuf,
    /// What users see: relative to the project root when inside it.
    pub display: PathBuf,
    pub text: String,
    pub value: Arc<Value>,
    pub format: Format,
}

/// The result of loading one spec: the contract (when the root is an OpenAPI
/// document at all), every diagnostic (sorted, located), and the source text.
#[derive(Debug)]
pub struct Loaded {
    pub contract: Option<Contract>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The files read for a spec, for rendering snippets.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
    /// Text of files that failed to parse, so their syntax errors get a snippet too.
    unparsed: HashMap<PathBuf, String>,
    /// Files the spec needs that are missing, unreadable or unparsable.
    failed: Vec<PathBuf>,
    /// Where the nodes of files read as Swagger 2.0 were written, by display path.
    origins: Origins,
}

/// How a 2.0 document's names read in the 3.0 form diagnostics speak of.
const SWAGGER_2_NAMES: &str = "this Swagger 2.0 file is read as OpenAPI 3.0: `#/definitions/X` is `#/components/schemas/X`, `#/parameters/X` `#/components/parameters/X` (or `requestBodies` for a body), `#/responses/X` `#/components/responses/X`";

/// Display paths of files converted from Swagger 2.0, with their origins.
type Origins = HashMap<PathBuf, swagger::Origins>;

impl Sources {
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// Files the spec needs that could not be read or parsed (absolute,
    /// normalized), so a watcher can wait for them to appear or be fixed.
    pub fn failed(&self) -> &[PathBuf] {
        &self.failed
    }

    /// Fills in line and column of locations in these files (for diagnostics
    /// raised later, by merge or diff).
    pub fn locate(&self, diagnostics: &mut [Diagnostic]) {
        locate_all(diagnostics, self, &self.origins);
    }

    /// The text alone, and the parsed documents apart (for the caller to free).
    pub fn into_texts(self) -> (Texts, Vec<Arc<Value>>) {
        let mut files = self.unparsed;
        let mut documents = Vec::with_capacity(self.files.len());
        for file in self.files {
            files.insert(file.display, file.text);
            documents.push(file.value);
        }
        let origins = self.origins;
        (Texts { files, origins }, documents)
    }
}

/// The text of a spec's files without their parsed documents: enough to
/// locate and show diagnostics raised after the contract is built (by a
/// generator), in a fraction of the memory.
#[derive(Debug, Default)]
pub struct Texts {
    /// By display path.
    files: HashMap<PathBuf, String>,
    origins: Origins,
}

impl Texts {
    /// Fills in line and column of locations in these files.
    pub fn locate(&self, diagnostics: &mut [Diagnostic]) {
        locate_all(diagnostics, self, &self.origins);
    }
}

impl SourceLookup for Texts {
    fn source(&self, file: &Path) -> Option<&str> {
        self.files.get(file).map(String::as_str)
    }
}

/// A document as text: JSON (pretty, two spaces) or YAML, ending in a newline.
pub fn emit(value: &Value, format: Format) -> String {
    match format {
        Format::Json => {
            let mut text = serde_json::to_string_pretty(value).expect("a JSON value serializes");
            text.push('\n');
            text
        }
        Format::Yaml => yaml_serde::to_string(value).expect("a JSON value serializes as YAML"),
    }
}

/// The format a file name asks for: `.json` is JSON, anything else YAML.
pub fn format_for(path: &Path) -> Format {
    match path.extension().and_then(|ext| ext.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("json") => Format::Json,
        _ => Format::Yaml,
    }
}

impl SourceLookup for Sources {
    fn source(&self, file: &Path) -> Option<&str> {
        self.files
            .iter()
            .find(|source| source.display == file)
            .map(|source| source.text.as_str())
            .or_else(|| self.unparsed.get(file).map(String::as_str))
    }
}

/// Where a spec comes from.
#[derive(Debug, Clone)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

impl Input {
    /// `-` is standard input, anything else a path.
    pub fn from_arg(arg: &Path) -> Input {
        if arg == Path::new("-") {
            Input::Stdin
        } else {
            Input::File(arg.to_owned())
        }
    }
}

/// Loads a spec and everything it references. `root` is the project root
/// that refs may not leave; without one, the spec's own folder.
pub fn load(input: &Input, root: Option<&Path>) -> Loaded {
    let cwd = std::env::current_dir().unwrap_or_default();
    let (path, bytes) = match input {
        Input::File(path) => {
            let path = normalize(&cwd.join(path));
            let bytes = std::fs::read(&path);
            (path, bytes)
        }
        Input::Stdin => {
            let mut bytes = Vec::new();
            let result = std::io::stdin().read_to_end(&mut bytes).map(|_| bytes);
            (cwd.join(STDIN), result)
        }
    };
    let root = match root {
        Some(root) => normalize(&cwd.join(root)),
        None => path.parent().map(Path::to_owned).unwrap_or(cwd),
    };
    let mut loader = Loader::new(root);
    let display = match input {
        Input::Stdin => PathBuf::from(STDIN),
        Input::File(_) => loader.display(&path),
    };
    match bytes {
        Ok(bytes) => loader.load_root(path, display, bytes),
        Err(error) => {
            loader.diagnostics.push(
                Diagnostic::error(
                    codes::IO,
                    format!("cannot read `{}`: {error}", display.display()),
                )
                .at(Location::new(&display, "")),
            );
            loader.finish(None)
        }
    }
}

/// Loads a spec from text already in memory; refs resolve against `path`'s folder.
pub fn load_text(path: &Path, text: String, root: &Path) -> Loaded {
    let loader = Loader::new(normalize(root));
    let path = normalize(path);
    let display = loader.display(&path);
    loader.load_root(path, display, text.into_bytes())
}

struct Loader {
    root: PathBuf,
    canonical_root: Option<PathBuf>,
    sources: Sources,
    by_path: HashMap<PathBuf, FileId>,
    failed: HashSet<PathBuf>,
    diagnostics: Vec<Diagnostic>,
}

impl Loader {
    fn new(root: PathBuf) -> Self {
        Loader {
            canonical_root: root.canonicalize().ok(),
            root,
            sources: Sources::default(),
            by_path: HashMap::new(),
            failed: HashSet::new(),
            diagnostics: Vec::new(),
        }
    }

    fn display(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root)
            .map(Path::to_owned)
            .unwrap_or_else(|_| path.to_owned())
    }

    fn load_root(mut self, path: PathBuf, display: PathBuf, bytes: Vec<u8>) -> Loaded {
        let Some(root) = self.read(path, display, bytes) else {
            return self.finish(None);
        };
        if swagger::is_swagger_2(&self.sources.files[root.0 as usize].value) {
            self.convert_swagger_2(root);
        }
        let (contract, diagnostics) = contracts_model::build(&mut self);
        self.diagnostics.extend(diagnostics);
        self.finish(contract)
    }

    /// Decodes and parses one file; failures are reported and remembered.
    fn read(&mut self, path: PathBuf, display: PathBuf, bytes: Vec<u8>) -> Option<FileId> {
        let parsed =
            parse::decode(bytes, &display).and_then(|text| match parse::parse(&text, &display) {
                Ok((value, format)) => Ok((text, value, format)),
                Err(error) => {
                    self.sources.unparsed.insert(display.clone(), text);
                    Err(error)
                }
            });
        match parsed {
            Ok((text, value, format)) => {
                let id = FileId(self.sources.files.len() as u32);
                self.by_path.insert(path.clone(), id);
                self.sources.files.push(SourceFile {
                    path,
                    display,
                    text,
                    value: Arc::new(value),
                    format,
                });
                Some(id)
            }
            Err(diagnostic) => {
                self.failed.insert(path);
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    /// Reads the 2.0 document `root`, and what it reaches, as OpenAPI 3.0.
    fn convert_swagger_2(&mut self, root: FileId) {
        let converted = swagger::convert(self, root);
        for (file, mut diagnostic) in converted.diagnostics {
            if let Some(location) = &mut diagnostic.location {
                location.file = self.sources.files[file.0 as usize].display.clone();
            }
            self.diagnostics.push(diagnostic);
        }
        for (file, origins) in converted.origins {
            let display = self.sources.files[file.0 as usize].display.clone();
            self.sources.origins.insert(display, origins);
        }
    }

    fn finish(mut self, contract: Option<Contract>) -> Loaded {
        for diagnostic in &mut self.diagnostics {
            let converted = (diagnostic.location.as_ref())
                .is_some_and(|location| self.sources.origins.contains_key(&location.file));
            if converted && diagnostic.help.is_none() && diagnostic.message.contains("/components/")
            {
                diagnostic.help = Some(SWAGGER_2_NAMES.to_owned());
            }
        }
        self.sources.failed = self.failed.into_iter().collect();
        self.sources.failed.sort();
        locate_all(&mut self.diagnostics, &self.sources, &self.sources.origins);
        contracts_diagnostics::sort(&mut self.diagnostics);
        self.diagnostics.dedup();
        Loaded {
            contract,
            diagnostics: self.diagnostics,
            sources: self.sources,
        }
    }

    /// The file a ref's file part names from `from`, if refs may reach it.
    fn target_path(&self, from: FileId, reference: &str) -> Result<PathBuf, Box<Diagnostic>> {
        if paths::is_remote(reference) {
            return Err(Box::new(
                Diagnostic::error(
                    codes::REF_REMOTE,
                    format!("remote reference `{reference}` refused: contracts never fetches over the network"),
                )
                .with_help("download the document into the project and refer to it by relative path"),
            ));
        }
        let from_path = &self.sources.files[from.0 as usize].path;
        let path = paths::ref_target_file(from_path, reference)
            .map_err(|message| Box::new(Diagnostic::error(model_codes::REF_INVALID, message)))?;
        // Files already read were vetted when first met.
        if self.by_path.contains_key(&path) {
            return Ok(path);
        }
        if let Some(outside) = self.outside_root(&path) {
            let target = match outside {
                Outside::Lexically => format!("`{}`", path.display()),
                Outside::Linked(real) => format!(
                    "`{}`, which links to `{}`",
                    self.display(&path).display(),
                    real.display()
                ),
            };
            return Err(Box::new(Diagnostic::error(
                codes::REF_OUTSIDE_ROOT,
                format!(
                    "`{reference}` resolves to {target}, outside the project root `{}`",
                    self.root.display()
                ),
            )
            .with_help(
                "refs may only reach files inside the project root: the folder of contracts.toml, or the spec's own folder without one",
            )));
        }
        Ok(path)
    }

    /// Why `path` is outside the project root, or `None` when it is inside.
    /// Symlinks may point elsewhere: when the file exists, its real path
    /// (every link resolved) must be inside the real root too.
    fn outside_root(&self, path: &Path) -> Option<Outside> {
        if !path.starts_with(&self.root) {
            return Some(Outside::Lexically);
        }
        match (path.canonicalize(), &self.canonical_root) {
            (Ok(real), Some(root)) if !real.starts_with(root) => Some(Outside::Linked(real)),
            _ => None,
        }
    }
}

/// How a ref's file leaves the project root.
enum Outside {
    /// Its path, read as written, leads out (`../..`).
    Lexically,
    /// Its path is inside, but a symlink on the way leads to this real path.
    Linked(PathBuf),
}

impl Documents for Loader {
    fn root(&self) -> FileId {
        FileId(0)
    }

    fn value(&self, file: FileId) -> Arc<Value> {
        self.sources.files[file.0 as usize].value.clone()
    }

    fn display_path(&self, file: FileId) -> PathBuf {
        self.sources.files[file.0 as usize].display.clone()
    }

    fn resolve_file(&mut self, from: FileId, reference: &str) -> Result<FileId, Box<Diagnostic>> {
        let path = self.target_path(from, reference)?;
        // Files already read were vetted when first met.
        if let Some(id) = self.by_path.get(&path) {
            return Ok(*id);
        }
        let display = self.display(&path);
        if self.failed.contains(&path) {
            return Err(unreadable(reference, &display));
        }
        match std::fs::read(&path) {
            Ok(bytes) => self
                .read(path, display.clone(), bytes)
                .ok_or_else(|| unreadable(reference, &display)),
            Err(error) => {
                self.failed.insert(path);
                Err(Box::new(Diagnostic::error(
                    model_codes::REF_MISSING_FILE,
                    format!("`{reference}` refers to `{}`: {error}", display.display()),
                )))
            }
        }
    }

    fn files(&self) -> Vec<PathBuf> {
        self.sources
            .files
            .iter()
            .map(|file| file.display.clone())
            .collect()
    }
}

impl swagger::Project for Loader {
    fn file(&mut self, from: FileId, file_part: &str) -> Option<FileId> {
        let path = self.target_path(from, file_part).ok()?;
        if let Some(id) = self.by_path.get(&path) {
            return Some(*id);
        }
        // A missing file is left for the builder, which reports it.
        if !path.is_file() {
            return None;
        }
        self.resolve_file(from, file_part).ok()
    }

    fn value(&self, file: FileId) -> Arc<Value> {
        self.sources.files[file.0 as usize].value.clone()
    }

    fn value_mut(&mut self, file: FileId) -> &mut Value {
        Arc::make_mut(&mut self.sources.files[file.0 as usize].value)
    }

    fn file_part(&self, from: FileId, to: FileId) -> String {
        let path = |file: FileId| &self.sources.files[file.0 as usize].path;
        match from == to {
            true => String::new(),
            false => paths::relative_ref(path(from), path(to)),
        }
    }
}

fn unreadable(reference: &str, display: &Path) -> Box<Diagnostic> {
    Box::new(Diagnostic::error(
        codes::REF_UNREADABLE,
        format!(
            "`{reference}` refers to `{}`, which could not be parsed (see its own error)",
            display.display()
        ),
    ))
}

/// Fills in line and column of every location that names a loaded file,
/// with one locator pass per file.
fn locate_all(diagnostics: &mut [Diagnostic], sources: &dyn SourceLookup, origins: &Origins) {
    let mut wanted: HashMap<&Path, Vec<String>> = HashMap::new();
    for diagnostic in diagnostics.iter_mut() {
        for location in diagnostic.locations_mut() {
            // Files read as Swagger 2.0: the pointer where the source wrote it.
            if location.line.is_none()
                && let Some(source) = (origins.get(&location.file))
                    .and_then(|origins| origins.source(&location.pointer))
            {
                location.pointer = source;
            }
            if location.line.is_none() {
                wanted
                    .entry(&location.file)
                    .or_default()
                    .push(location.pointer.clone());
            }
        }
    }
    let mut found: HashMap<(PathBuf, String), (u32, u32)> = HashMap::new();
    for (file, pointers) in wanted {
        let Some(text) = sources.source(file) else {
            continue;
        };
        let pointer_refs: Vec<&str> = pointers.iter().map(String::as_str).collect();
        for (pointer, position) in pointers.iter().zip(locate(text, &pointer_refs)) {
            if let Some(position) = position {
                found.insert((file.to_owned(), pointer.clone()), position);
            }
        }
    }
    for diagnostic in diagnostics.iter_mut() {
        for location in diagnostic.locations_mut() {
            // An empty document has no nodes; its whole-document faults sit at its start.
            let known_file = sources.source(&location.file).is_some();
            if location.line.is_none() && location.pointer.is_empty() && known_file {
                location.line = Some(1);
                location.column = Some(1);
            }
            if location.line.is_none()
                && let Some(&(line, column)) =
                    found.get(&(location.file.clone(), location.pointer.clone()))
            {
                location.line = Some(line);
                location.column = Some(column);
            }
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    const SPEC: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Book: {$ref: 'book.yaml'}\n";

    #[test]
    fn a_symlink_out_of_the_root_is_named_with_its_target() {
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("real-book.yaml");
        std::fs::write(&target, "type: object\n").unwrap();
        let project = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(&target, project.path().join("book.yaml")).unwrap();
        let spec = project.path().join("openapi.yaml");
        std::fs::write(&spec, SPEC).unwrap();

        let loaded = load(&Input::File(spec), None);
        let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].code, codes::REF_OUTSIDE_ROOT);
        let real = target.canonicalize().unwrap();
        let message = &errors[0].message;
        assert!(message.contains("`book.yaml`, which links to"), "{message}");
        assert!(message.contains(&real.display().to_string()), "{message}");
    }

    #[test]
    fn a_symlink_inside_the_root_is_followed() {
        let project = tempfile::tempdir().unwrap();
        std::fs::write(project.path().join("real-book.yaml"), "type: object\n").unwrap();
        std::os::unix::fs::symlink("real-book.yaml", project.path().join("book.yaml")).unwrap();
        let spec = project.path().join("openapi.yaml");
        std::fs::write(&spec, SPEC).unwrap();
        assert!(!load(&Input::File(spec), None).has_errors());
    }
}
