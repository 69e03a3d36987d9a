//! TypeScript types for a contract, in the shape openapi-typescript 7
//! emits (`paths`, `webhooks`, `components`, `$defs`, `operations`), so
//! `openapi-fetch`'s `createClient<paths>()` infers requests and responses.
//!
//! The code is an oxc AST printed by oxc's codegen: no string templates, so
//! names and literals from the spec are always quoted and escaped, and JSDoc
//! text cannot close its comment.
//!
//! Architecture invariant: pure. A contract in, one file out; the CLI writes it.

use std::collections::{HashMap, HashSet};

use contracts_diagnostics::{Diagnostic, Location};
use contracts_gen::Generated;
use contracts_model::{Contract, Loc, Operation, SchemaId, SchemaObject};
use indexmap::IndexMap;
use oxc_allocator::Allocator;
use oxc_ast::ast::{Statement, TSSignature, TSType};
use oxc_span::{GetSpanMut, SPAN, Span};

use contracts_ts::Ts;

mod arrays;
mod case;
pub mod codes;
mod composition;
mod document;
mod objects;
mod options;
mod order;
mod roots;
mod schema;
mod values;

pub use options::Options;
use order::locale_compare;
use values::Site;

/// `--read-write-markers`' helpers, as openapi-typescript 7.13 writes them.
const READ_WRITE_HELPERS: &str = r#"
export type $Read<T> = { readonly $read: T };
export type $Write<T> = { readonly $write: T };
export type Readable<T> = T extends $Write<any> ? never : T extends $Read<infer U> ? Readable<U> : T extends (infer E)[] ? Readable<E>[] : T extends object ? { [K in keyof T as NonNullable<T[K]> extends $Write<any> ? never : K]: Readable<T[K]> } : T;
export type Writable<T> = T extends $Read<any> ? never : T extends $Write<infer U> ? Writable<U> : T extends (infer E)[] ? Writable<E>[] : T extends object ? { [K in keyof T as NonNullable<T[K]> extends $Read<any> ? never : K]: Writable<T[K]> } & { [K in keyof T as NonNullable<T[K]> extends $Read<any> ? K : never]?: never } : T;
"#;

/// `--enum-values`' helpers, as openapi-typescript 7.13 writes them.
const ENUM_VALUES_HELPERS: &str = r#"
type FlattenedDeepRequired<T> = { [K in keyof T]-?: FlattenedDeepRequired<T[K] extends unknown[] | undefined | null ? Extract<T[K], unknown[]>[number] : T[K]>; };
type ReadonlyArray<T> = [Exclude<T, undefined>] extends [unknown[]] ? Readonly<Exclude<T, undefined>> : Readonly<Exclude<T, undefined>[]>;
"#;

/// The generated module, with warnings where it reads a schema as its
/// authors evidently meant rather than to the letter. Deterministic: the
/// same contract gives the same bytes.
pub fn generate(contract: &Contract, options: &Options) -> Generated {
    let allocator = Allocator::default();
    let mut generator = Generator {
        contract,
        options,
        ts: Ts::new(&allocator),
        names: schema_names(contract),
        enums: Vec::new(),
        enum_names: HashSet::new(),
        enums_by_values: HashMap::new(),
        aliases: Vec::new(),
        alias_names: HashSet::new(),
        alias: None,
        warnings: Vec::new(),
        warned: HashSet::new(),
        site: Site::default(),
        values: Vec::new(),
        value_helpers: Vec::new(),
        value_names: HashSet::new(),
        value_sites: HashSet::new(),
    };
    let statements = generator.module();
    let code = generator.ts.print(statements);
    Generated::file(code, generator.warnings)
}

/// What a schema's own `type` and members become beside its `allOf`/`oneOf`/`anyOf`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Beside {
    /// Intersected with the composition, as JSON Schema reads it.
    Intersect,
    /// Left out: the composition says what the values are.
    Dropped,
    /// One more alternative of the `anyOf` (a map beside it, as openapi-typescript reads it).
    Alternative,
}

/// Where a schema is used: `format: binary` is a `Blob` only in request
/// bodies; a `default` makes a property required only outside requests.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Request,
    Parameter,
    Other,
}

struct Generator<'c, 'a> {
    contract: &'c Contract,
    options: &'c Options,
    ts: Ts<'a>,
    /// The name under `components["schemas"]` of every named schema.
    names: IndexMap<SchemaId, String>,
    /// `export enum`s, emitted after the interfaces.
    enums: Vec<Statement<'a>>,
    /// Their names.
    enum_names: HashSet<String>,
    /// Under `--dedupe-enums`: each enum's name by its values' key.
    enums_by_values: HashMap<String, String>,
    /// Type aliases of schemas that are elements of their own arrays, emitted last.
    aliases: Vec<Statement<'a>>,
    /// Their names, each once (and `--read-write-markers`' helpers').
    alias_names: HashSet<String>,
    /// While such a schema's alias is generated: its id and the alias's name.
    alias: Option<(SchemaId, String)>,
    warnings: Vec<Diagnostic>,
    /// Schemas warned about: path items' parameters are generated twice.
    warned: HashSet<Loc>,
    /// `--enum-values`: where the schema being generated is.
    site: Site,
    /// `--enum-values`' consts, emitted last.
    values: Vec<Statement<'a>>,
    /// Their helper types, emitted once before them.
    value_helpers: Vec<Statement<'a>>,
    /// Their names.
    value_names: HashSet<String>,
    /// The places already given a const (a schema can be generated twice there).
    value_sites: HashSet<Vec<String>>,
}

/// Component schemas keep their names; schemas reached only through file refs
/// join them under their own name (numbered when taken).
fn schema_names(contract: &Contract) -> IndexMap<SchemaId, String> {
    let mut names = IndexMap::new();
    let mut used = HashSet::new();
    for (name, id) in &contract.components.schemas {
        if !names.contains_key(id) {
            used.insert(name.clone());
            names.insert(*id, name.clone());
        }
    }
    for (index, schema) in contract.schemas.iter().enumerate() {
        let id = SchemaId(index as u32);
        if names.contains_key(&id) {
            continue;
        }
        let mut name = schema.name.clone();
        let mut counter = 2;
        while !used.insert(name.clone()) {
            name = format!("{}{counter}", schema.name);
            counter += 1;
        }
        names.insert(id, name);
    }
    names
}

impl<'c, 'a> Generator<'c, 'a> {
    fn module(&mut self) -> Vec<Statement<'a>> {
        // Parsed before any JSDoc is written (see `Ts::parse`).
        let mut statements = if self.options.read_write_markers {
            self.alias_names
                .extend(["$Read", "$Write", "Readable", "Writable"].map(str::to_owned));
            self.ts.parse(READ_WRITE_HELPERS)
        } else {
            Vec::new()
        };
        if self.options.enum_values {
            self.alias_names
                .extend(["FlattenedDeepRequired", "ReadonlyArray"].map(str::to_owned));
            self.value_helpers = self.ts.parse(ENUM_VALUES_HELPERS);
        }
        let mut header = self.ts.doc(&[
            "This file was auto-generated by contracts (`contracts gen --ts`).".to_owned(),
            "Do not make direct changes to the file.".to_owned(),
        ]);
        // The header goes on the first statement, the helpers' when there are.
        if let Some(first) = statements.first_mut() {
            *first.span_mut() = header;
            header = SPAN;
        }

        let paths = self.path_members(
            &self.contract.operations,
            &self.contract.empty_path_items,
            true,
        );
        let (templates, literals): (Vec<_>, Vec<_>) = (paths.into_iter())
            .partition(|member| matches!(member, TSSignature::TSIndexSignature(_)));
        if templates.is_empty() {
            statements.push(self.export_root(header, "paths", literals));
        } else {
            // `--path-params-as-types`: in one object type, `tsc` requires a
            // path's type to fit every template its key matches (TS2411,
            // TS2413: `/a/${string}/b` matches `/a/${string}`); apart,
            // a lookup gets what each template it matches gives, as it would.
            let mut parts = Vec::new();
            if !literals.is_empty() {
                parts.push(self.ts.object(literals));
            }
            parts.extend(
                templates
                    .into_iter()
                    .map(|template| self.ts.object(vec![template])),
            );
            let paths = self.ts.intersection(parts);
            statements.push(self.ts.export_type(header, "paths", paths));
        }

        if self.contract.webhooks.is_empty() {
            statements.push(self.ts.export_type(SPAN, "webhooks", self.empty_record()));
        } else {
            let webhooks = self.path_members(&self.contract.webhooks, &IndexMap::new(), false);
            statements.push(self.export_root(SPAN, "webhooks", webhooks));
        }

        let components = self.components();
        statements.push(self.export_root(SPAN, "components", components));
        if self.options.root_types {
            statements.extend(self.root_types());
        }
        statements.push(self.ts.export_type(SPAN, "$defs", self.empty_record()));

        let operations = self.operations();
        if operations.is_empty() {
            statements.push(self.ts.export_type(SPAN, "operations", self.empty_record()));
        } else {
            statements.push(self.ts.export_interface(SPAN, "operations", operations));
        }
        statements.append(&mut self.enums);
        statements.append(&mut self.aliases);
        if self.options.make_paths_enum {
            statements.push(self.paths_enum());
        }
        if !self.values.is_empty() {
            statements.append(&mut self.value_helpers);
            statements.append(&mut self.values);
        }
        statements
    }
}

/// Helpers every part of the generator builds with.
impl<'c, 'a> Generator<'c, 'a> {
    /// `export interface paths {...}`, or `export type paths = {...}` under
    /// `--export-type` (as openapi-typescript, `operations` stays an interface).
    fn export_root(&self, span: Span, name: &str, members: Vec<TSSignature<'a>>) -> Statement<'a> {
        if self.options.export_type {
            self.ts.export_type(span, name, self.ts.object(members))
        } else {
            self.ts.export_interface(span, name, members)
        }
    }

    /// A member, `readonly` under `--immutable`.
    fn member(
        &self,
        span: Span,
        key: &str,
        optional: bool,
        readonly: bool,
        ty: TSType<'a>,
    ) -> TSSignature<'a> {
        let readonly = readonly || self.options.immutable;
        self.ts.member(span, key, optional, readonly, ty)
    }

    fn index_signature(&self, name: &str, ty: TSType<'a>) -> TSSignature<'a> {
        self.ts.index_signature(name, self.options.immutable, ty)
    }

    /// `items` in `--alphabetize` order of `key` (stable), else as they are.
    fn ordered<T>(&self, mut items: Vec<T>, numeric: bool, key: impl Fn(&T) -> &str) -> Vec<T> {
        if self.options.alphabetize {
            items.sort_by(|a, b| locale_compare(key(a), key(b), numeric));
        }
        items
    }

    /// Left out under `--exclude-deprecated`.
    fn excluded_operation(&self, operation: &Operation) -> bool {
        self.options.exclude_deprecated && operation.deprecated
    }

    /// `Record<string, never>`.
    fn empty_record(&self) -> TSType<'a> {
        self.ts
            .generic("Record", vec![self.ts.string(), self.ts.never()])
    }

    /// A warning at `object`, once per schema.
    fn warn(&mut self, code: &'static str, object: &SchemaObject, message: String) {
        if self.warned.insert(object.loc.clone()) {
            let location = Location::new(self.contract.file(object.loc.file), &object.loc.pointer);
            self.warnings
                .push(Diagnostic::warning(code, message).at(location));
        }
    }
}

#[cfg(test)]
mod tests;
