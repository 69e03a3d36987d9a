//! `contracts init [DIR]`: a `contracts.toml` for a repository whose specs
//! already exist. Specs are found by content (an `openapi: 3.x` document
//! with paths, webhooks or components), not by file name; folders of
//! dependencies and build output are skipped, and so are files only
//! `$ref`ed by another spec. Each root spec becomes a service, with a gateway
//! and a TypeScript output; what was found, and why, is printed.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use contracts_load::{Input, MAX_FILE_BYTES, load, parse};
use contracts_model::template_shape;
use serde_json::Value;

use crate::args::InitArgs;
use crate::output::write_if_changed;
use crate::status::Status;

/// Folders that hold dependencies, build output or tool state, not a
/// project's own specs.
const SKIPPED_FOLDERS: [&str; 12] = [
    "node_modules",
    "target",
    "dist",
    "build",
    "out",
    "vendor",
    "coverage",
    "bower_components",
    "__pycache__",
    ".venv",
    "venv",
    "generated",
];

/// Bounds of the walk: a repository deeper or larger than this is walked
/// this far, and the rest is reported.
const MAX_DEPTH: usize = 16;
const MAX_FILES: usize = 100_000;

/// Spec files bigger than this are not read while looking: a spec that size
/// is generated, not written in the repository.
const MAX_CANDIDATE_BYTES: u64 = 64 * 1024 * 1024;

/// Folder names that say nothing about the service (`services/users/api/openapi.yaml` is `users`).
const GENERIC_FOLDERS: [&str; 9] = [
    "api", "apis", "spec", "specs", "openapi", "swagger", "docs", "doc", "schema",
];

pub fn run(args: &InitArgs) -> Status {
    let cwd = std::env::current_dir().unwrap_or_default();
    let dir = contracts_load::normalize(&cwd.join(args.dir.as_deref().unwrap_or(Path::new("."))));
    if !dir.is_dir() {
        eprintln!("error: `{}` is not a folder", dir.display());
        return Status::Error;
    }
    let config = dir.join(contracts_config::FILE_NAME);
    if config.exists() && !args.force {
        eprintln!(
            "error: `{}` exists; `--force` replaces it",
            config.display()
        );
        return Status::Error;
    }
    let found = look(&dir);
    for (folder, why) in &found.skipped_folders {
        eprintln!("skipped  {}/ ({why})", shown(&dir, folder));
    }
    for (file, why) in &found.not_roots {
        eprintln!("skipped  {} ({why})", shown(&dir, file));
    }
    if found.roots.is_empty() {
        eprintln!(
            "error: no OpenAPI 3 document under `{}` (looked at {} YAML and JSON files)",
            dir.display(),
            found.looked_at
        );
        return Status::Error;
    }
    let services = services(&dir, &found.roots);
    for service in &services {
        eprintln!(
            "service  {:<14} {} ({}; {})",
            service.name,
            shown(&dir, &service.spec),
            service.named_by,
            service.prefix_why
        );
    }
    for spec in found
        .roots
        .iter()
        .map(|(spec, _)| spec)
        .filter(|spec| found.with_errors.contains(*spec))
    {
        eprintln!(
            "warning: {} has errors: `contracts build` stops there until they are fixed (`contracts validate {}`)",
            shown(&dir, spec),
            shown(&dir, spec)
        );
    }
    let text = config_text(&services);
    if let Err(error) = write_if_changed(&config, &text) {
        eprintln!("error: cannot write `{}`: {error}", config.display());
        return Status::Error;
    }
    eprintln!("wrote    {}", config.display());
    let flag = match args.dir.as_deref() {
        Some(dir) if dir != Path::new(".") => format!(" --config {}", config.display()),
        _ => String::new(),
    };
    eprintln!("next:    contracts build{flag}");
    Status::Success
}

/// What the walk found.
#[derive(Default)]
struct Found {
    /// Root specs: OpenAPI 3 documents no other spec reads, in path order.
    roots: Vec<(PathBuf, Value)>,
    /// Files that are not root specs, and why (only those that looked like one).
    not_roots: Vec<(PathBuf, String)>,
    skipped_folders: Vec<(PathBuf, &'static str)>,
    looked_at: usize,
    /// Specs that do not validate: listed all the same, with a warning.
    with_errors: BTreeSet<PathBuf>,
}

fn look(dir: &Path) -> Found {
    let mut found = Found::default();
    let mut candidates: Vec<(PathBuf, Value)> = Vec::new();
    let mut stack = vec![(dir.to_owned(), 0)];
    let mut files = 0;
    while let Some((folder, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|entry| entry.file_name());
        for entry in entries.into_iter().rev() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            // Symlinks are not followed: they may leave the repository or loop.
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if name.starts_with('.') {
                    continue;
                }
                if SKIPPED_FOLDERS.contains(&name.as_str()) {
                    found
                        .skipped_folders
                        .push((path, "dependencies or build output"));
                } else if depth + 1 >= MAX_DEPTH {
                    found
                        .skipped_folders
                        .push((path, "deeper than the walk goes"));
                } else {
                    stack.push((path, depth + 1));
                }
                continue;
            }
            files += 1;
            if files > MAX_FILES {
                found
                    .skipped_folders
                    .push((folder.clone(), "more files than the walk reads"));
                break;
            }
            let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !kind.is_file() || !["yaml", "yml", "json"].contains(&extension) {
                continue;
            }
            found.looked_at += 1;
            let size = entry.metadata().map_or(0, |metadata| metadata.len());
            if size > MAX_CANDIDATE_BYTES || size > MAX_FILE_BYTES as u64 {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Ok((document, _)) = parse(&text, &path) else {
                continue;
            };
            match kind_of(&document) {
                // A gateway `contracts merge` wrote is an output, not a service.
                Kind::Spec if document.get("x-contracts-services").is_some() => found
                    .not_roots
                    .push((path, "a gateway written by `contracts merge`".to_owned())),
                Kind::Spec => candidates.push((path, document)),
                Kind::OldSwagger(version) => found.not_roots.push((
                    path,
                    format!("Swagger {version}: only 2.0 and OpenAPI 3 are read"),
                )),
                Kind::Other => {}
            }
        }
    }
    candidates.sort_by(|a, b| a.0.cmp(&b.0));
    // A document another spec reads through `$ref` is part of that spec.
    let mut read_by: HashMap<PathBuf, PathBuf> = HashMap::new();
    for (path, _) in &candidates {
        let loaded = load(&Input::File(path.clone()), Some(dir));
        if loaded.has_errors() {
            found.with_errors.insert(path.clone());
        }
        for file in loaded
            .sources
            .files()
            .iter()
            .filter(|file| file.path != *path)
        {
            read_by.insert(file.path.clone(), path.clone());
        }
    }
    for (path, document) in candidates {
        match read_by.get(&path) {
            Some(reader) => found.not_roots.push((
                path,
                format!("read through `$ref` by {}", shown(dir, reader)),
            )),
            None => found.roots.push((path, document)),
        }
    }
    found
}

enum Kind {
    /// OpenAPI 3 or Swagger 2.0 (which the loader reads as 3.0).
    Spec,
    OldSwagger(String),
    Other,
}

fn kind_of(document: &Value) -> Kind {
    let has_content = ["paths", "webhooks", "components", "definitions"]
        .iter()
        .any(|key| document.get(key).is_some());
    match (document.get("openapi"), document.get("swagger")) {
        (Some(Value::String(version)), _) if version.starts_with("3.") && has_content => Kind::Spec,
        (_, Some(Value::String(version))) if version == "2.0" && has_content => Kind::Spec,
        (_, Some(Value::String(version))) if version.starts_with("1.") => {
            Kind::OldSwagger(version.clone())
        }
        _ => Kind::Other,
    }
}

struct Proposed {
    name: String,
    spec: PathBuf,
    /// The spec's path from the config's folder, with `/`.
    relative: String,
    named_by: String,
    prefix: Option<String>,
    prefix_why: String,
}

/// One service per root spec: a name from its folder (or `info.title`),
/// unique; a prefix when its paths do not already start alike, or when two
/// services would serve the same path.
fn services(dir: &Path, roots: &[(PathBuf, Value)]) -> Vec<Proposed> {
    let mut taken = BTreeSet::new();
    let mut proposed: Vec<Proposed> = roots
        .iter()
        .map(|(spec, document)| {
            let folder = (spec.parent().into_iter())
                .flat_map(Path::ancestors)
                .take_while(|folder| folder.starts_with(dir) && *folder != dir)
                .filter_map(|folder| folder.file_name()?.to_str())
                .find(|name| !GENERIC_FOLDERS.contains(&name.to_ascii_lowercase().as_str()));
            let title = document.pointer("/info/title").and_then(Value::as_str);
            let (base, named_by) =
                match (folder.map(slug).filter(|s| !s.is_empty()), title.map(slug)) {
                    (Some(name), _) => (name, "named after its folder".to_owned()),
                    (None, Some(name)) if !name.is_empty() => {
                        (name, "named after `info.title`".to_owned())
                    }
                    _ => (
                        slug(&spec.file_stem().unwrap_or_default().to_string_lossy()),
                        "named after its file".to_owned(),
                    ),
                };
            let base = if base.is_empty() {
                "api".to_owned()
            } else {
                base
            };
            let mut name = base.clone();
            let mut counter = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}-{counter}");
                counter += 1;
            }
            let common = common_prefix(document);
            let (prefix, prefix_why) = match &common {
                Some(common) => (None, format!("its paths all start with `{common}`")),
                None => (
                    Some(format!("/{name}")),
                    "its paths share no first segment".to_owned(),
                ),
            };
            Proposed {
                name,
                spec: spec.clone(),
                relative: shown(dir, spec),
                named_by,
                prefix,
                prefix_why,
            }
        })
        .collect();
    // Services served at the same paths would not merge: each gets its own prefix.
    let mut served: HashMap<(String, String), usize> = HashMap::new();
    let mut clashing = BTreeSet::new();
    for (index, ((_, document), service)) in roots.iter().zip(&proposed).enumerate() {
        for route in routes(document, service.prefix.as_deref().unwrap_or("")) {
            if let Some(other) = served.insert(route, index)
                && other != index
            {
                clashing.extend([other, index]);
            }
        }
    }
    for index in clashing {
        let service = &mut proposed[index];
        service.prefix = Some(format!("/{}", service.name));
        service.prefix_why = "another service serves the same paths".to_owned();
    }
    proposed
}

/// (method, path shape) of every operation, under `prefix`.
fn routes(document: &Value, prefix: &str) -> Vec<(String, String)> {
    let Some(Value::Object(paths)) = document.get("paths") else {
        return Vec::new();
    };
    paths
        .iter()
        .flat_map(|(path, item)| {
            let shape = template_shape(&contracts_merge::prefixed_path(path, prefix, None));
            (item.as_object().into_iter().flat_map(|item| item.keys()))
                .filter(|key| contracts_model::Method::from_key(key).is_some())
                .map(move |method| (method.clone(), shape.clone()))
        })
        .collect()
}

/// The first path segment every path shares (`/users` for `/users` and
/// `/users/{id}`), when it is literal text.
fn common_prefix(document: &Value) -> Option<String> {
    let Some(Value::Object(paths)) = document.get("paths") else {
        return None;
    };
    let mut firsts = paths
        .keys()
        .map(|path| path.trim_start_matches('/').split('/').next().unwrap_or(""));
    let first = firsts.next()?;
    let literal = !first.is_empty() && !first.contains('{');
    (literal && firsts.all(|other| other == first)).then(|| format!("/{first}"))
}

/// A service name: lowercase letters, digits and `-`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// The config's text. Paths are relative to the config's folder, with `/`.
fn config_text(services: &[Proposed]) -> String {
    let mut text =
        String::from("# Written by `contracts init`; see the README's `contracts.toml` section.\n");
    for service in services {
        text.push_str(&format!(
            "\n[services.{}]\nspec = {}\n",
            service.name,
            toml_string(&service.relative)
        ));
        if let Some(prefix) = &service.prefix {
            text.push_str(&format!("prefix = {}\n", toml_string(prefix)));
        }
    }
    text.push_str(
        "\n[gateway]\noutput = \"gateway/openapi.yaml\"\n\n[[generate.ts]]\noutput = \"generated/types.ts\"\nsource = \"gateway\"\n",
    );
    text
}

/// A TOML basic string: JSON's string escapes are a subset of TOML's.
fn toml_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

/// A path as the user sees it: relative to `dir`, with `/`.
fn shown(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}
