//! TypeScript types for a contract, in the shape openapi-typescript 7
//! emits (`paths`, `webhooks`, `components`, `$defs`, `operations`), so
//! `openapi-fetch`'s `createClient<paths>()` infers requests and responses.
//!
//! The code is an oxc AST printed by oxc's codegen: no string templates, so
//! names and literals from the spec are always quoted and escaped, and JSDoc
//! text cannot close its comment.
//!
//! Architecture invariant: pure. A contract in, a string out; the CLI writes it.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use contracts_diagnostics::{Diagnostic, Location};
use contracts_model::{
    Contract, Header, Loc, MediaType, Method, Operation, Parameter, ParameterLocation, RequestBody,
    Response, Schema, SchemaId, SchemaObject, Type, codes,
};
use indexmap::IndexMap;
use oxc_allocator::Allocator;
use oxc_ast::ast::{Statement, TSSignature, TSType};
use oxc_span::{GetSpanMut, SPAN, Span};
use serde_json::Value;

use contracts_ts::{Ts, is_identifier};

mod case;
mod order;
use order::locale_compare;

/// The options openapi-typescript also has keep its flag names and meaning,
/// so a project can switch without touching its code.
#[derive(Debug, Clone)]
pub struct Options {
    /// Export TypeScript `enum`s for component schemas that are enums (`--enum`).
    pub enums: bool,
    /// `--default-non-nullable` (on by default, as in openapi-typescript): a
    /// property with a `default` is required, since the server fills it in;
    /// not in parameters and request bodies, which the client may leave out.
    pub default_non_nullable: bool,
    /// `--empty-objects-unknown` (on by default, unlike openapi-typescript,
    /// see docs/compat.md): an object schema that declares no members
    /// accepts any keys; off, it is `Record<string, never>`.
    pub empty_objects_unknown: bool,
    /// `--additional-properties`: objects without an `additionalProperties`
    /// schema accept other keys (`[key: string]: unknown`).
    pub additional_properties: bool,
    /// `--properties-required-by-default`: every property of an object that
    /// has no `required` list is required.
    pub properties_required_by_default: bool,
    /// `--immutable`: every member, index signature and array is `readonly`.
    pub immutable: bool,
    /// `--export-type`: `paths`, `webhooks` and `components` are `export type`s, not interfaces.
    pub export_type: bool,
    /// `--alphabetize`: paths, components, properties, parameters, responses
    /// and media types in openapi-typescript's order (`order.rs`), not the spec's.
    pub alphabetize: bool,
    /// `--exclude-deprecated`: deprecated operations are `never`, deprecated
    /// properties, parameters and response headers are left out (components
    /// stay: refs to them would dangle, see docs/compat.md).
    pub exclude_deprecated: bool,
    /// `--array-length`: `type: array` with `minItems`/`maxItems` is a tuple
    /// (`[T, T, ...T[]]`), or a union of tuples of each length, while that
    /// takes fewer than 30 elements, as openapi-typescript writes it.
    pub array_length: bool,
    /// `--path-params-as-types`: a `paths` key with `{name}`s is an index
    /// signature over a template literal type (`` [path: `/users/${number}`] ``).
    pub path_params_as_types: bool,
    /// `--root-types`: `export type SchemaPet = components["schemas"]["Pet"]`
    /// for every component (`ResponseX`, `ParameterX`, `RequestBodyX`, `HeaderX`).
    pub root_types: bool,
    /// `--root-types-no-schema-prefix`: schemas' root types without `Schema` (`Pet`).
    pub root_types_no_schema_prefix: bool,
    /// `--root-types-keep-casing`: schemas' root types keep the schema's name as written.
    pub root_types_keep_casing: bool,
    /// `--read-write-markers`: `readOnly` properties are `$Read<T>`,
    /// `writeOnly` ones `$Write<T>`, with the helper types openapi-fetch
    /// 0.17 strips them with (`Readable`, `Writable`), as openapi-typescript
    /// 7.13 emits them.
    pub read_write_markers: bool,
    /// `--make-paths-enum`: `export enum ApiPaths { getPet = "/pets/{id}" }`,
    /// a member per operation, named by its operationId (else method and path).
    pub make_paths_enum: bool,
    /// `--dedupe-enums` (with `--enum`): an enum schema with the same values
    /// as an earlier one is that one's TypeScript enum, not one more.
    pub dedupe_enums: bool,
    /// `--enum-values`: `export const statusValues: ReadonlyArray<...> =
    /// ["active", "inactive"]` for every string or number enum schema,
    /// wherever it is, named by its place in the spec as openapi-typescript
    /// 7.13 names them.
    pub enum_values: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            enums: false,
            default_non_nullable: true,
            empty_objects_unknown: true,
            additional_properties: false,
            properties_required_by_default: false,
            immutable: false,
            export_type: false,
            alphabetize: false,
            exclude_deprecated: false,
            array_length: false,
            path_params_as_types: false,
            root_types: false,
            root_types_no_schema_prefix: false,
            root_types_keep_casing: false,
            read_write_markers: false,
            make_paths_enum: false,
            dedupe_enums: false,
            enum_values: false,
        }
    }
}

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

/// The generated module, and where it reads a schema as its authors evidently
/// meant rather than to the letter (warnings).
pub struct Generated {
    pub code: String,
    pub warnings: Vec<Diagnostic>,
}

/// The generated module. Deterministic: the same contract gives the same bytes.
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
    Generated {
        code,
        warnings: generator.warnings,
    }
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

/// `--enum-values`: where a schema is, as openapi-typescript tracks it.
#[derive(Default)]
struct Site {
    /// Its JSON pointer as openapi-typescript builds it (properties by
    /// name, no `items` or `allOf`, `oneOf`/`anyOf` with their index),
    /// decoded: the const's name.
    pointer: Vec<String>,
    /// The same path into our output, for the const's type: differs where
    /// our structure does (a path item's own parameters).
    access: Vec<String>,
    /// Whether the indexed access type along `access` is sound for our
    /// output: no nullable or non-object value on the way, no array in an
    /// array, no `$Read`/`$Write` marker, no readonly array.
    sound: bool,
    /// Reached by a key (a property, a parameter, a media type, an entry),
    /// not as an array's element or a union's branch.
    keyed: bool,
    /// The schema is an `additionalProperties` schema (`[string]` ends the type).
    additional: bool,
    /// Below an `additionalProperties` schema, where openapi-typescript's
    /// pointer goes on without a segment: only the map's own enum is
    /// indexed soundly (`[string]`); a key further down would be read as a
    /// key of the map.
    map: bool,
    /// No consts here: the schema is generated again where its own const is
    /// (a required name that an `allOf` part declares).
    muted: bool,
}

/// A saved [`Site`], to go back to.
struct Mark {
    pointer: usize,
    access: usize,
    sound: bool,
    keyed: bool,
    additional: bool,
    map: bool,
    muted: bool,
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

    // ---- --enum-values' sites ------------------------------------------------------

    /// Starts a site at a root of the spec (`["paths", "/pets", "get"]`).
    fn site_root(&mut self, segments: &[&str]) {
        if !self.options.enum_values {
            return;
        }
        // Under `--path-params-as-types` a path with `{name}`s is keyed by a
        // template, which the path itself does not index.
        let templated = self.options.path_params_as_types
            && segments.first() == Some(&"paths")
            && segments.get(1).is_some_and(|path| path.contains('{'));
        let segments: Vec<String> = segments.iter().map(|s| (*s).to_owned()).collect();
        self.site = Site {
            pointer: segments.clone(),
            access: segments,
            sound: !templated,
            keyed: true,
            additional: false,
            map: false,
            muted: false,
        };
    }

    /// Starts the site of a named schema. One that is not a component of
    /// the spec (a `$ref` into another schema: `#/components/schemas/A/properties/b`)
    /// is named by where it is written, as openapi-typescript would reach it
    /// there; its type is still our component's.
    fn schema_site(&mut self, id: SchemaId, name: &str) {
        self.site_root(&["components", "schemas", name]);
        if !self.options.enum_values {
            return;
        }
        let contract = self.contract;
        let root_file = (contract.components.schemas.values())
            .next()
            .map(|first| contract.schema(*first).loc.file);
        let loc = &contract.schema(id).loc;
        let component = contract.components.schemas.get(name) == Some(&id);
        if !component && root_file == Some(loc.file) && loc.pointer.starts_with('/') {
            self.site.pointer = (loc.pointer[1..].split('/'))
                .map(|token| token.replace("~1", "/").replace("~0", "~"))
                .collect();
        }
    }

    /// Goes into the site by `segments` (in the pointer, and in our output
    /// when `in_output`); `keyed` says how, `sound` whether our output still
    /// indexes that way. Returns where it was.
    fn enter(&mut self, segments: &[&str], in_output: bool, keyed: bool, sound: bool) -> Mark {
        let site = &mut self.site;
        let mark = Mark {
            pointer: site.pointer.len(),
            access: site.access.len(),
            sound: site.sound,
            keyed: site.keyed,
            additional: site.additional,
            map: site.map,
            muted: site.muted,
        };
        if self.options.enum_values {
            site.pointer
                .extend(segments.iter().map(|s| (*s).to_owned()));
            if in_output {
                site.access.extend(segments.iter().map(|s| (*s).to_owned()));
            }
            site.sound &= sound && !site.map;
            site.keyed = keyed;
            site.additional = false;
            site.map = false;
        }
        mark
    }

    fn leave(&mut self, mark: Mark) {
        let site = &mut self.site;
        site.pointer.truncate(mark.pointer);
        site.access.truncate(mark.access);
        site.sound = mark.sound;
        site.keyed = mark.keyed;
        site.additional = mark.additional;
        site.map = mark.map;
        site.muted = mark.muted;
    }

    /// `--enum-values`: `export const <name>Values: ReadonlyArray<T> = [...]`
    /// for an enum at the current site, once per site. `T` is
    /// openapi-typescript's indexed access type when it is sound for our
    /// output, else the union of the values (docs/compat.md).
    fn enum_values_const(&mut self, values: &[Value], additional: bool) {
        if self.site.muted {
            return;
        }
        if !self.site.pointer.is_empty() && !self.value_sites.insert(self.site.pointer.clone()) {
            return;
        }
        let base = values_const_name(&self.site.pointer);
        let mut name = base.clone();
        let mut counter = 2;
        while !self.value_names.insert(name.clone()) {
            name = format!("{base}{counter}");
            counter += 1;
        }
        let sound = self.site.sound && (!self.site.map || additional);
        let element = if sound && !self.site.access.is_empty() {
            let ty = self.values_access_type();
            if additional {
                self.ts.index(ty, self.ts.string())
            } else {
                ty
            }
        } else {
            let literals = values.iter().map(|value| self.literal(value)).collect();
            self.ts.union(literals)
        };
        let ty = self.ts.generic("ReadonlyArray", vec![element]);
        let items = values.iter().map(|value| self.ts.json(value)).collect();
        let array = self.ts.array_expression(items);
        self.values
            .push(self.ts.export_const_typed(SPAN, &name, Some(ty), array));
    }

    /// openapi-typescript's `oapiRef(path, { deep, extractProperties })`:
    /// `FlattenedDeepRequired<root>["a"]["b"]...`, `oneOf`/`anyOf` indices
    /// left out and each property after one narrowed with
    /// `Extract<T, { prop: unknown }>`.
    fn values_access_type(&self) -> TSType<'a> {
        let access = &self.site.access;
        let is_index = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let mut cleaned: Vec<&str> = Vec::new();
        let mut extract: HashSet<&str> = HashSet::new();
        let mut i = 0;
        while i < access.len() {
            let segment = access[i].as_str();
            if (segment == "oneOf" || segment == "anyOf")
                && i + 1 < access.len()
                && is_index(&access[i + 1])
            {
                i += 1;
                for rest in &access[i + 1..] {
                    if rest != "oneOf" && rest != "anyOf" && !is_index(rest) {
                        extract.insert(rest.as_str());
                    }
                }
                i += 1;
                continue;
            }
            cleaned.push(segment);
            i += 1;
        }
        let root = self.ts.generic(cleaned[0], Vec::new());
        let mut ty = self.ts.generic("FlattenedDeepRequired", vec![root]);
        for (index, segment) in cleaned.iter().enumerate().skip(1) {
            if index >= 3 && extract.contains(segment) {
                let member = self
                    .ts
                    .member(SPAN, segment, false, false, self.ts.unknown());
                ty = self
                    .ts
                    .generic("Extract", vec![ty, self.ts.object(vec![member])]);
            }
            ty = self.ts.index(ty, self.ts.literal_string(segment));
        }
        ty
    }

    /// Whether indexing an object schema's members from our output is
    /// sound: it is an object alone (not nullable, no other type, not an
    /// alternative to its `anyOf`, its members not spread into branches).
    fn members_sound(&self, object: &SchemaObject) -> bool {
        let alternative = object.properties.is_empty()
            && matches!(
                object.additional_properties,
                Some(Schema::Ref(_) | Schema::Object(_))
            )
            && object.all_of.is_empty()
            && object.one_of.is_empty()
            && !object.any_of.is_empty();
        // Members beside a map schema are an intersection with an index
        // signature in our output (`{ a: A } & { [key: string]: V }`), where
        // a member's type is `A & V`.
        let map = !object.properties.is_empty()
            && matches!(
                object.additional_properties,
                Some(Schema::Ref(_) | Schema::Object(_))
            );
        let spread =
            implied_type(object) == Some(Type::Object) && self.spreads(object, Type::Object);
        let only_object = object.types.iter().all(|ty| *ty == Type::Object);
        !(object.nullable || !only_object || alternative || map || spread)
    }

    /// Whether `FlattenedDeepRequired` flattens an array schema to its
    /// elements in our output: an array (or null) reached by a key, not readonly.
    fn items_sound(&self, object: &SchemaObject) -> bool {
        self.site.keyed
            && !self.options.immutable
            && object
                .types
                .iter()
                .all(|ty| matches!(ty, Type::Array | Type::Null))
            && !(implied_type(object) == Some(Type::Array) && self.spreads(object, Type::Array))
    }

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

    // ---- paths and operations ------------------------------------------------

    /// One member per path: its parameters, then each method (`get: operations["x"]`, `put?: never`);
    /// `empty` lists path items without operations, as openapi-typescript does.
    /// `urls`: the keys are URL paths (not webhook names), which
    /// `--path-params-as-types` turns into template literal types.
    fn path_members(
        &mut self,
        operations: &[Operation],
        empty: &IndexMap<String, Vec<Arc<Parameter>>>,
        urls: bool,
    ) -> Vec<TSSignature<'a>> {
        // The path item's own parameters, as openapi-typescript mirrors them (every method shares them).
        let mut by_path: IndexMap<&str, (&[Arc<Parameter>], Vec<&Operation>)> = IndexMap::new();
        for operation in operations {
            let item = by_path.entry(&operation.path);
            let (_, operations) = item.or_insert((&operation.path_item_parameters, Vec::new()));
            operations.push(operation);
        }
        for (path, parameters) in empty {
            by_path.entry(path).or_insert((parameters, Vec::new()));
        }
        let by_path = self.ordered(by_path.into_iter().collect(), true, |(path, _)| path);
        let ids = unique_operation_ids(self.contract);
        let mut members = Vec::new();
        // Templates already keyed: `tsc` takes the first of two equal index
        // signatures (`/jobs/{id}`, `/jobs/{name}`), so later ones are left out.
        let mut templates = HashSet::new();
        for (path, (shared, operations)) in by_path {
            let templated = (urls && self.options.path_params_as_types)
                .then(|| self.path_template(path, &operations))
                .flatten();
            if let Some((template, _)) = &templated
                && !templates.insert(template.clone())
            {
                continue;
            }
            let mut item = Vec::new();
            let shared: Vec<&Parameter> = shared.iter().map(AsRef::as_ref).collect();
            let root = if urls { "paths" } else { "webhooks" };
            // openapi-typescript's pointer has `parameters` twice here; our output once.
            self.site_root(&[root, path]);
            let mark = self.enter(&["parameters"], false, true, true);
            let parameters = self.parameters_type(&shared);
            self.leave(mark);
            item.push(self.member(SPAN, "parameters", false, false, parameters));
            for method in Method::ALL {
                let name = method.as_str();
                match operations.iter().find(|operation| {
                    operation.method == method && !self.excluded_operation(operation)
                }) {
                    Some(operation) => {
                        let span = self.ts.doc(&operation_doc(operation));
                        let ty = match operation
                            .operation_id
                            .as_deref()
                            .filter(|id| ids.contains(id))
                        {
                            Some(id) => self.ts.indexed("operations", &[id]),
                            None => {
                                self.site_root(&[root, path, name]);
                                self.operation_type(operation)
                            }
                        };
                        item.push(self.member(span, name, false, false, ty));
                    }
                    None => item.push(self.member(SPAN, name, true, false, self.ts.never())),
                }
            }
            let item = self.ts.object(item);
            members.push(match templated {
                Some((_, key)) => {
                    self.ts
                        .index_signature_of("path", key, self.options.immutable, item)
                }
                None => self.member(SPAN, path, false, false, item),
            });
        }
        members
    }

    /// `` `/users/${number}` `` for `/users/{id}` (`--path-params-as-types`):
    /// each `{name}` by its path parameter's `type` (`number` for numbers and
    /// integers, `boolean`, else `string`); the last method's declaration wins,
    /// as in openapi-typescript. `None` when the path has no `{name}`, or
    /// only boolean ones. With the type, a key that tells templates apart.
    fn path_template(&self, path: &str, operations: &[&Operation]) -> Option<(String, TSType<'a>)> {
        // Like openapi-typescript's `/\{[^}]+\}/g`: from a `{` to the next `}`, not empty.
        let mut texts = Vec::new();
        let mut names = Vec::new();
        let (mut start, mut from) = (0, 0);
        while let Some(open) = path[from..].find('{').map(|at| from + at) {
            match path[open + 1..].find('}').map(|at| open + 1 + at) {
                Some(close) if close > open + 1 => {
                    texts.push(&path[start..open]);
                    names.push(&path[open + 1..close]);
                    start = close + 1;
                    from = start;
                }
                Some(_) => from = open + 1,
                None => break,
            }
        }
        if names.is_empty() {
            return None;
        }
        texts.push(&path[start..]);
        let mut declared: HashMap<&str, &Parameter> = HashMap::new();
        for method in Method::ALL {
            let of_method = operations
                .iter()
                .filter(|operation| operation.method == method);
            for parameter in of_method.flat_map(|operation| &operation.parameters) {
                if parameter.location == ParameterLocation::Path {
                    declared.insert(&parameter.name, parameter);
                }
            }
        }
        let types: Vec<Option<Type>> = names
            .iter()
            .map(|name| {
                let schema = declared.get(name).and_then(|p| p.schema.as_ref());
                match schema
                    .and_then(Schema::as_object)
                    .map(|o| o.types.as_slice())
                {
                    Some([Type::Number | Type::Integer]) => Some(Type::Number),
                    Some([Type::Boolean]) => Some(Type::Boolean),
                    _ => None,
                }
            })
            .collect();
        // Only booleans make a finite set of keys, which an index signature
        // refuses (TS1337, openapi-typescript writes it anyway): keep the key.
        if types.iter().all(|ty| *ty == Some(Type::Boolean)) {
            return None;
        }
        let kinds: Vec<&str> = (types.iter())
            .map(|ty| ty.map_or("string", Type::as_str))
            .collect();
        let text = format!("{texts:?} {kinds:?}");
        let types = (types.into_iter())
            .map(|ty| match ty {
                Some(Type::Number) => self.ts.number(),
                Some(Type::Boolean) => self.ts.boolean(),
                _ => self.ts.string(),
            })
            .collect();
        Some((text, self.ts.template(&texts, types)))
    }

    fn operations(&mut self) -> Vec<TSSignature<'a>> {
        let contract = self.contract;
        let ids = unique_operation_ids(self.contract);
        let mut members = Vec::new();
        let listed = self.listed(&contract.operations);
        let listed = (listed.into_iter().map(|operation| ("paths", operation))).chain(
            (self.listed(&contract.webhooks).into_iter()).map(|operation| ("webhooks", operation)),
        );
        for (root, operation) in listed {
            let Some(id) = operation
                .operation_id
                .as_deref()
                .filter(|id| ids.contains(id))
            else {
                continue;
            };
            let span = self.ts.doc(&operation_doc(operation));
            self.site_root(&[root, &operation.path, operation.method.as_str()]);
            let ty = self.operation_type(operation);
            members.push(self.member(span, id, false, false, ty));
        }
        members
    }

    /// The operations `operations` lists: under `--alphabetize` by path, then
    /// method, as openapi-typescript meets them in its sorted path items.
    fn listed<'o>(&self, operations: &'o [Operation]) -> Vec<&'o Operation> {
        let mut listed: Vec<&Operation> = (operations.iter())
            .filter(|operation| !self.excluded_operation(operation))
            .collect();
        if self.options.alphabetize {
            let rank =
                |operation: &Operation| Method::ALL.iter().position(|m| *m == operation.method);
            listed.sort_by(|a, b| {
                locale_compare(&a.path, &b.path, true).then_with(|| rank(a).cmp(&rank(b)))
            });
        }
        listed
    }

    fn operation_type(&mut self, operation: &Operation) -> TSType<'a> {
        let parameters: Vec<&Parameter> = operation.parameters.iter().map(AsRef::as_ref).collect();
        let parameters = self.parameters_type(&parameters);
        let mut members = vec![self.member(SPAN, "parameters", false, false, parameters)];
        match &operation.request_body {
            Some(body) => {
                let mark = self.enter(&["requestBody"], true, true, true);
                let ty = self.request_body_type(body);
                self.leave(mark);
                members.push(self.member(SPAN, "requestBody", !body.required, false, ty));
            }
            None => members.push(self.member(SPAN, "requestBody", true, false, self.ts.never())),
        }
        let mut responses = Vec::new();
        let statuses = (operation.responses.iter())
            .map(|(status, response)| (status.to_string(), response))
            .collect();
        for (status, response) in self.ordered(statuses, true, |(status, _)| status) {
            let span = self
                .ts
                .doc(&description_doc(response.description.as_deref()));
            let ty = match &response.component {
                Some(name) => self.ts.indexed("components", &["responses", name]),
                None => {
                    let mark = self.enter(&["responses", &status], true, true, true);
                    let ty = self.response_type(response);
                    self.leave(mark);
                    ty
                }
            };
            responses.push(self.member(span, &status, false, false, ty));
        }
        members.push(self.member(SPAN, "responses", false, false, self.ts.object(responses)));
        self.ts.object(members)
    }

    /// `{ query?: {...}; header?: never; path: {...}; cookie?: never }`.
    fn parameters_type(&mut self, parameters: &[&Parameter]) -> TSType<'a> {
        let mut members = Vec::new();
        for location in [
            ParameterLocation::Query,
            ParameterLocation::Header,
            ParameterLocation::Path,
            ParameterLocation::Cookie,
        ] {
            let of_location: Vec<&&Parameter> = parameters
                .iter()
                .filter(|p| p.location == location && !self.excluded_parameter(p))
                .collect();
            // openapi-typescript sorts parameter names without `numeric`.
            let of_location = self.ordered(of_location, false, |p| &p.name);
            if of_location.is_empty() {
                members.push(self.member(SPAN, location.as_str(), true, false, self.ts.never()));
                continue;
            }
            let mut fields = Vec::new();
            for parameter in &of_location {
                let span = self.ts.doc(&parameter_doc(parameter));
                let ty = match &parameter.component {
                    Some(name) => self.ts.indexed("components", &["parameters", name]),
                    None => {
                        let segments = ["parameters", location.as_str(), &parameter.name];
                        let mark = self.enter(&segments, true, true, true);
                        let ty = self.parameter_value_type(parameter);
                        self.leave(mark);
                        ty
                    }
                };
                fields.push(self.member(span, &parameter.name, !parameter.required, false, ty));
            }
            let optional = !of_location.iter().any(|p| p.required);
            members.push(self.member(
                SPAN,
                location.as_str(),
                optional,
                false,
                self.ts.object(fields),
            ));
        }
        self.ts.object(members)
    }

    /// Left out under `--exclude-deprecated`: the parameter or its schema is deprecated.
    fn excluded_parameter(&self, parameter: &Parameter) -> bool {
        let schema = parameter.schema.as_ref().and_then(Schema::as_object);
        self.options.exclude_deprecated
            && (parameter.deprecated || schema.is_some_and(|schema| schema.deprecated))
    }

    /// A parameter's value: its schema, or the schema of its one `content` entry.
    fn parameter_value_type(&mut self, parameter: &Parameter) -> TSType<'a> {
        let schema = parameter.schema.as_ref().or_else(|| {
            parameter
                .content
                .values()
                .find_map(|media| media.schema.as_ref())
        });
        match schema {
            Some(schema) => self.schema_type(schema, Context::Parameter),
            None => self.ts.unknown(),
        }
    }

    fn request_body_type(&mut self, body: &RequestBody) -> TSType<'a> {
        if let Some(name) = &body.component {
            return self.ts.indexed("components", &["requestBodies", name]);
        }
        let content = self.content_type(&body.content, Context::Request);
        self.ts
            .object(vec![self.member(SPAN, "content", false, false, content)])
    }

    /// `{ headers: {...; [name: string]: unknown}; content: {...} }` (`content?: never` without a body).
    fn response_type(&mut self, response: &Response) -> TSType<'a> {
        let mut headers = Vec::new();
        let named = self.ordered(response.headers.iter().collect(), true, |(name, _)| name);
        // openapi-typescript reads `deprecated` on the header as written, not through a `$ref`.
        let named = named.into_iter().filter(|(_, header)| {
            !(self.options.exclude_deprecated && header.deprecated && header.component.is_none())
        });
        for (name, header) in named {
            let span = self.ts.doc(&description_doc(header.description.as_deref()));
            let mark = self.enter(&["headers", name], true, true, true);
            let ty = self.header_type(header);
            self.leave(mark);
            headers.push(self.member(span, name, !header.required, false, ty));
        }
        headers.push(self.index_signature("name", self.ts.unknown()));
        let mut members = vec![self.member(SPAN, "headers", false, false, self.ts.object(headers))];
        if response.content.is_empty() {
            members.push(self.member(SPAN, "content", true, false, self.ts.never()));
        } else {
            let content = self.content_type(&response.content, Context::Other);
            members.push(self.member(SPAN, "content", false, false, content));
        }
        self.ts.object(members)
    }

    fn header_type(&mut self, header: &Header) -> TSType<'a> {
        if let Some(name) = &header.component {
            return self.ts.indexed("components", &["headers", name]);
        }
        if let Some(schema) = &header.schema {
            return self.schema_type(schema, Context::Other);
        }
        // openapi-typescript's pointer adds the media type (not in our output).
        let media = (header.content.iter()).find_map(|(media_type, media)| {
            media.schema.as_ref().map(|schema| (media_type, schema))
        });
        match media {
            Some((media_type, schema)) => {
                let mark = self.enter(&[media_type], false, true, true);
                let ty = self.schema_type(schema, Context::Other);
                self.leave(mark);
                ty
            }
            None => self.ts.unknown(),
        }
    }

    /// `{ "application/json": T; ... }`.
    fn content_type(
        &mut self,
        content: &IndexMap<String, MediaType>,
        context: Context,
    ) -> TSType<'a> {
        let mut members = Vec::new();
        let content = self.ordered(content.iter().collect(), true, |(media_type, _)| media_type);
        for (media_type, media) in content {
            let ty = match &media.schema {
                Some(schema) => {
                    let mark = self.enter(&["content", media_type], true, true, true);
                    let ty = self.schema_type(schema, context);
                    self.leave(mark);
                    ty
                }
                None => self.ts.unknown(),
            };
            members.push(self.member(SPAN, media_type, false, false, ty));
        }
        self.ts.object(members)
    }

    // ---- components -------------------------------------------------------------

    fn components(&mut self) -> Vec<TSSignature<'a>> {
        let contract = self.contract;
        let mut schemas = Vec::new();
        let names: Vec<(SchemaId, String)> = self
            .names
            .iter()
            .map(|(id, name)| (*id, name.clone()))
            .collect();
        for (id, name) in self.ordered(names, true, |(_, name)| name) {
            let schema = &contract.schema(id).schema;
            let span = self
                .ts
                .doc(&schema.as_object().map(schema_doc).unwrap_or_default());
            self.schema_site(id, &name);
            let ty = match schema
                .as_object()
                .filter(|_| self.options.enums)
                .and_then(|object| self.enum_declaration(&name, object))
            {
                Some(enum_type) => enum_type,
                None if element_of_itself(id, schema) => self.recursive_alias(id, &name, schema),
                None => self.schema_type(schema, Context::Other),
            };
            schemas.push(self.member(span, &name, false, false, ty));
        }
        let mut responses = Vec::new();
        let named = self.ordered(
            contract.components.responses.iter().collect(),
            true,
            |(name, _)| name,
        );
        for (name, response) in named {
            let span = self
                .ts
                .doc(&description_doc(response.description.as_deref()));
            self.site_root(&["components", "responses", name]);
            let ty = self.response_type(response);
            responses.push(self.member(span, name, false, false, ty));
        }
        let mut parameters = Vec::new();
        let named = self.ordered(
            contract.components.parameters.iter().collect(),
            true,
            |(name, _)| name,
        );
        for (name, parameter) in named {
            let span = self.ts.doc(&parameter_doc(parameter));
            self.site_root(&["components", "parameters", name]);
            let ty = self.parameter_value_type(parameter);
            parameters.push(self.member(span, name, false, false, ty));
        }
        let mut bodies = Vec::new();
        let named = self.ordered(
            contract.components.request_bodies.iter().collect(),
            true,
            |(name, _)| name,
        );
        for (name, body) in named {
            let span = self.ts.doc(&description_doc(body.description.as_deref()));
            self.site_root(&["components", "requestBodies", name]);
            let content = self.content_type(&body.content, Context::Request);
            let ty = self
                .ts
                .object(vec![self.member(SPAN, "content", false, false, content)]);
            bodies.push(self.member(span, name, false, false, ty));
        }
        let mut headers = Vec::new();
        let named = self.ordered(
            contract.components.headers.iter().collect(),
            true,
            |(name, _)| name,
        );
        for (name, header) in named {
            let span = self.ts.doc(&description_doc(header.description.as_deref()));
            self.site_root(&["components", "headers", name]);
            let ty = self.header_type(header);
            headers.push(self.member(span, name, false, false, ty));
        }
        let mut members = Vec::new();
        for (section, entries) in [
            ("schemas", schemas),
            ("responses", responses),
            ("parameters", parameters),
            ("requestBodies", bodies),
            ("headers", headers),
            ("pathItems", Vec::new()),
        ] {
            let ty = if entries.is_empty() {
                self.ts.never()
            } else {
                self.ts.object(entries)
            };
            members.push(self.member(SPAN, section, false, false, ty));
        }
        members
    }

    /// `--root-types`: an alias per component, named as openapi-typescript
    /// names them (change-case's `pascalCase`, `_2` on a clash; a later
    /// schema whose name without the prefix is taken replaces the earlier
    /// one, as theirs does). Names that are not identifiers, or that the
    /// module already uses, are left out: theirs would not compile.
    fn root_types(&self) -> Vec<Statement<'a>> {
        let contract = self.contract;
        let names: Vec<(SchemaId, String)> = self
            .names
            .iter()
            .map(|(id, name)| (*id, name.clone()))
            .collect();
        let schemas = self.ordered(names, true, |(_, name)| name);
        // With `--enum`, enum schemas are TypeScript enums instead.
        let schemas = schemas.iter().filter(|(id, _)| {
            !(self.options.enums
                && contract
                    .schema(*id)
                    .schema
                    .as_object()
                    .is_some_and(|object| {
                        object.enum_values.is_some()
                            && object.types != [Type::Object]
                            && object.properties.is_empty()
                            && object.additional_properties.is_none()
                    }))
        });
        let keys = |names: Vec<&'c String>| self.ordered(names, true, move |name| name);
        let sections = [
            ("schemas", "Schema", schemas.map(|(_, name)| name).collect()),
            (
                "responses",
                "Response",
                keys(contract.components.responses.keys().collect()),
            ),
            (
                "parameters",
                "Parameter",
                keys(contract.components.parameters.keys().collect()),
            ),
            (
                "requestBodies",
                "RequestBody",
                keys(contract.components.request_bodies.keys().collect()),
            ),
            (
                "headers",
                "Header",
                keys(contract.components.headers.keys().collect()),
            ),
        ];
        let mut aliases: IndexMap<String, (&str, &String)> = IndexMap::new();
        for (section, prefix, names) in sections {
            let schemas = section == "schemas";
            for name in names {
                let base = if schemas && self.options.root_types_keep_casing {
                    name.clone()
                } else {
                    case::pascal_case(name)
                };
                let mut alias = format!("{prefix}{base}");
                let mut counter = 1;
                while aliases.contains_key(&alias) {
                    counter += 1;
                    alias = format!("{prefix}{base}_{counter}");
                }
                if schemas && self.options.root_types_no_schema_prefix {
                    alias = alias.replacen(prefix, "", 1);
                }
                aliases.insert(alias, (section, name));
            }
        }
        let taken = |alias: &str| {
            ["paths", "webhooks", "components", "$defs", "operations"].contains(&alias)
                || self.alias_names.contains(alias)
                || self.enum_names.contains(alias)
        };
        aliases
            .into_iter()
            .filter(|(alias, _)| is_identifier(alias) && !taken(alias))
            .map(|(alias, (section, name))| {
                let ty = self.ts.indexed("components", &[section, name]);
                self.ts.export_type(SPAN, &alias, ty)
            })
            .collect()
    }

    /// `--make-paths-enum`: `export enum ApiPaths`, one member per operation
    /// with its path as the value, named as openapi-typescript names them. A
    /// name taken twice is numbered (theirs declares it twice, which `tsc` refuses).
    fn paths_enum(&self) -> Statement<'a> {
        let mut used = HashSet::new();
        let members = (self.contract.operations.iter())
            .map(|operation| {
                let base = match &operation.operation_id {
                    Some(id) => enum_member_name(id),
                    None => enum_member_name(&operation_path_name(operation)),
                };
                let mut member = base.clone();
                let mut counter = 2;
                while !used.insert(member.clone()) {
                    member = format!("{base}{counter}");
                    counter += 1;
                }
                (member, self.ts.literal_string(&operation.path))
            })
            .collect();
        self.ts.export_enum(SPAN, "ApiPaths", members)
    }

    /// `export type $Tree = string | $Tree[]` for a schema that is an element
    /// of its own arrays, and a reference to it. Written in the interface,
    /// `Tree: string | components["schemas"]["Tree"][]` is a circular type to
    /// `tsc` (TS2502): only an array at the top of a type alias, of an alias,
    /// is resolved lazily.
    fn recursive_alias(&mut self, id: SchemaId, name: &str, schema: &Schema) -> TSType<'a> {
        // `$` keeps them apart from the module's other names (`paths`, enums).
        let base = format!("${}", pascal_case(name));
        let mut alias = base.clone();
        let mut counter = 2;
        while !self.alias_names.insert(alias.clone()) {
            alias = format!("{base}{counter}");
            counter += 1;
        }
        self.alias = Some((id, alias.clone()));
        let ty = self.schema_type(schema, Context::Other);
        self.alias = None;
        self.aliases.push(self.ts.export_type(SPAN, &alias, ty));
        self.ts.generic(&alias, Vec::new())
    }

    /// With `--enum`: `export enum Name {...}` for a string or number enum, and its type.
    fn enum_declaration(&mut self, name: &str, object: &SchemaObject) -> Option<TSType<'a>> {
        let values = object.enum_values.as_ref()?;
        if object.nullable
            || values.is_empty()
            || !values.iter().all(|v| v.is_string() || v.is_number())
        {
            return None;
        }
        let enum_name = pascal_case(name);
        if !is_identifier(&enum_name) {
            return None;
        }
        // openapi-typescript's cache key: the values as strings, sorted (so
        // `"1"` and `1` are one), each followed by `:` and an empty description.
        let key = self.options.dedupe_enums.then(|| {
            let mut texts: Vec<String> = (values.iter())
                .map(|value| match value {
                    Value::String(text) => format!("{text}:"),
                    other => format!("{other}:"),
                })
                .collect();
            texts.sort();
            texts.join(",")
        });
        if let Some(first) = key.as_ref().and_then(|key| self.enums_by_values.get(key)) {
            return Some(self.ts.generic(first, Vec::new()));
        }
        if let Some(key) = key {
            self.enums_by_values.insert(key, enum_name.clone());
        }
        let mut used = HashSet::new();
        let members = values
            .iter()
            .map(|value| {
                let base = match value {
                    Value::String(text) => pascal_case(text),
                    other => format!("Value{}", other.to_string().replace(['-', '.'], "_")),
                };
                let base = if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
                    format!("Value{base}")
                } else {
                    base
                };
                let mut member = base.clone();
                let mut counter = 2;
                while !used.insert(member.clone()) {
                    member = format!("{base}{counter}");
                    counter += 1;
                }
                (member, self.literal(value))
            })
            .collect();
        let span = self.ts.doc(&schema_doc(object));
        self.enums
            .push(self.ts.export_enum(span, &enum_name, members));
        self.enum_names.insert(enum_name.clone());
        Some(self.ts.generic(&enum_name, Vec::new()))
    }

    // ---- schemas ------------------------------------------------------------------

    fn schema_type(&mut self, schema: &Schema, context: Context) -> TSType<'a> {
        let additional = std::mem::take(&mut self.site.additional);
        match schema {
            Schema::Ref(id) => match &self.alias {
                Some((alias_id, alias)) if alias_id == id => self.ts.generic(alias, Vec::new()),
                _ => {
                    let name = self.names.get(id).cloned().unwrap_or_default();
                    self.ts.indexed("components", &["schemas", &name])
                }
            },
            Schema::Bool(true) => self.ts.unknown(),
            Schema::Bool(false) => self.ts.never(),
            Schema::Object(object) => self.object_schema_type(object, context, additional),
        }
    }

    fn object_schema_type(
        &mut self,
        object: &SchemaObject,
        context: Context,
        additional: bool,
    ) -> TSType<'a> {
        let beside = self.beside_composition(object);
        let mut parts = Vec::new();
        let mut spread = None;
        if let Some(value) = &object.const_value {
            parts.push(self.literal(value));
        } else if let Some(values) = &object.enum_values {
            let literals = values.iter().map(|value| self.literal(value)).collect();
            parts.push(self.ts.union(literals));
            // As openapi-typescript: not for objects, nor beside a map unless a string.
            let map = !matches!(
                object.additional_properties,
                None | Some(Schema::Bool(false))
            );
            if self.options.enum_values
                && object.types != [Type::Object]
                && object.properties.is_empty()
                && (!map || object.types == [Type::String])
                && values.iter().all(|v| v.is_string() || v.is_number())
            {
                self.enum_values_const(values, additional);
            }
        } else if beside == Beside::Dropped {
            // The composition alone says what the values are.
        } else if !object.types.is_empty() {
            let types = object
                .types
                .iter()
                .map(|ty| self.typed(*ty, object, context))
                .collect();
            parts.push(self.ts.union(types));
        } else if let Some(implied) = implied_type(object) {
            spread = Some(implied)
                .filter(|_| beside == Beside::Intersect && self.spreads(object, implied));
            if spread.is_none() {
                parts.push(self.implied_shape(object, implied, context));
            }
        }
        for member in &object.all_of {
            parts.push(self.schema_type(member, context));
        }
        if !object.one_of.is_empty() {
            let branches = self.branches("oneOf", &object.one_of, object, context);
            let branches = self.narrowed(branches, &object.one_of, spread, object, context);
            parts.push(self.ts.union(branches));
        }
        if !object.any_of.is_empty() {
            let branches = self.branches("anyOf", &object.any_of, object, context);
            let mut branches = self.narrowed(branches, &object.any_of, spread, object, context);
            if beside == Beside::Alternative {
                branches.splice(0..0, parts.drain(..));
            }
            parts.push(self.ts.union(branches));
        }
        let combined = if parts.is_empty() {
            self.ts.unknown()
        } else {
            self.ts.intersection(parts)
        };
        // `type: 'null'` beside a composition it contradicts: the authors meant "or null".
        if object.nullable || (beside == Beside::Dropped && object.types == [Type::Null]) {
            self.ts.union(vec![combined, self.ts.null()])
        } else {
            combined
        }
    }

    /// The object or array shape that members without a `type` describe.
    fn implied_shape(
        &mut self,
        object: &SchemaObject,
        implied: Type,
        context: Context,
    ) -> TSType<'a> {
        match implied {
            Type::Object => self.object_shape(object, context),
            _ => self.array_shape(object, context),
        }
    }

    /// Whether members without a `type` (`items`, `properties`), which
    /// constrain only values of their type, narrow each `oneOf`/`anyOf` branch
    /// of that type rather than the whole: beside such a composition alone
    /// with a branch of another type (`(unknown[] & string[]) | string`, not
    /// `string[] & (unknown[] | string)`, which refuses strings).
    fn spreads(&self, object: &SchemaObject, implied: Type) -> bool {
        let branches = match (&object.one_of[..], &object.any_of[..]) {
            (branches, []) | ([], branches) if object.all_of.is_empty() => branches,
            _ => return false,
        };
        branches
            .iter()
            .any(|branch| self.is_other_type(branch, implied))
    }

    /// Whether `schema` says its values have types other than `ty`.
    fn is_other_type(&self, schema: &Schema, ty: Type) -> bool {
        self.value_types(schema)
            .is_some_and(|types| !types.contains(&ty))
    }

    /// `branches` with the shape `spread` (see [`Self::spreads`]) intersected
    /// into those of its type.
    fn narrowed(
        &mut self,
        branches: Vec<TSType<'a>>,
        schemas: &[Schema],
        spread: Option<Type>,
        object: &SchemaObject,
        context: Context,
    ) -> Vec<TSType<'a>> {
        let Some(implied) = spread else {
            return branches;
        };
        branches
            .into_iter()
            .zip(schemas)
            .map(|(ty, schema)| {
                if self.is_other_type(schema, implied) {
                    ty
                } else {
                    let shape = self.implied_shape(object, implied, context);
                    self.ts.intersection(vec![ty, shape])
                }
            })
            .collect()
    }

    /// What the schema's own `type` and members become beside its
    /// composition; a reading other than the letter is a warning.
    fn beside_composition(&mut self, object: &SchemaObject) -> Beside {
        let composed = [&object.all_of, &object.one_of, &object.any_of]
            .iter()
            .any(|parts| !parts.is_empty());
        if !composed || object.const_value.is_some() || object.enum_values.is_some() {
            return Beside::Intersect;
        }
        // Without `--empty-objects-unknown` an empty object is `Record<string, never>`,
        // which would refuse every key the parts declare; openapi-typescript leaves it out too.
        if !self.options.empty_objects_unknown
            && object.types == [Type::Object]
            && !object.has_object_shape()
        {
            return Beside::Dropped;
        }
        if object.properties.is_empty() {
            match &object.additional_properties {
                Some(Schema::Bool(false)) => {
                    self.warn(
                        codes::ADDITIONAL_PROPERTIES_BESIDE_COMPOSITION,
                        object,
                        "`additionalProperties: false` beside `allOf`/`oneOf`/`anyOf` refuses the properties the parts declare (it does not look into them), so no object matches; the types follow the parts".to_owned(),
                    );
                    return Beside::Dropped;
                }
                Some(Schema::Ref(_) | Schema::Object(_))
                    if object.all_of.is_empty() && object.one_of.is_empty() =>
                {
                    self.warn(
                        codes::ADDITIONAL_PROPERTIES_BESIDE_COMPOSITION,
                        object,
                        "`additionalProperties` beside `anyOf` also applies to the properties the branches declare; the types accept the map or any branch, as openapi-typescript does".to_owned(),
                    );
                    return Beside::Alternative;
                }
                _ => {}
            }
        }
        if let Some(keyword) = self.contradicting_composition(object) {
            let own: Vec<&str> = object.types.iter().map(|ty| ty.as_str()).collect();
            self.warn(
                codes::TYPE_CONTRADICTS_COMPOSITION,
                object,
                format!(
                    "`type: {}` admits no value of the `{keyword}`, so no value matches; the types follow the `{keyword}`",
                    own.join(" | ")
                ),
            );
            return Beside::Dropped;
        }
        Beside::Intersect
    }

    /// The composition keyword whose members admit no value of the schema's
    /// own `type`: any `allOf` part, or every `oneOf`/`anyOf` branch.
    fn contradicting_composition(&self, object: &SchemaObject) -> Option<&'static str> {
        if object.types.is_empty() {
            return None;
        }
        let mut own: Vec<Type> = object.types.iter().map(|ty| widened(*ty)).collect();
        if object.nullable {
            own.push(Type::Null);
        }
        let disjoint = |schema: &Schema| {
            self.value_types(schema)
                .is_some_and(|types| !types.iter().any(|ty| own.contains(ty)))
        };
        if object.all_of.iter().any(disjoint) {
            Some("allOf")
        } else if !object.one_of.is_empty() && object.one_of.iter().all(disjoint) {
            Some("oneOf")
        } else if !object.any_of.is_empty() && object.any_of.iter().all(disjoint) {
            Some("anyOf")
        } else {
            None
        }
    }

    /// The JSON types a schema's values have, as its `const`, `enum` or
    /// `type` say (integers as numbers); `None` when it does not say.
    fn value_types(&self, schema: &Schema) -> Option<Vec<Type>> {
        let object = self.contract.resolve(schema).as_object()?;
        let mut types: Vec<Type> = if let Some(value) = &object.const_value {
            vec![json_type(value)]
        } else if let Some(values) = &object.enum_values {
            values.iter().map(json_type).collect()
        } else if !object.types.is_empty() {
            object.types.iter().map(|ty| widened(*ty)).collect()
        } else {
            return None;
        };
        if object.nullable {
            types.push(Type::Null);
        }
        Some(types)
    }

    /// A warning at `object`, once per schema.
    fn warn(&mut self, code: &'static str, object: &SchemaObject, message: String) {
        if self.warned.insert(object.loc.clone()) {
            let location = Location::new(self.contract.file(object.loc.file), &object.loc.pointer);
            self.warnings
                .push(Diagnostic::warning(code, message).at(location));
        }
    }

    /// `oneOf`/`anyOf` branches; with a discriminator mapping, each mapped
    /// branch is narrowed to its tag (`Cat & { petType: "cat" }`).
    fn branches(
        &mut self,
        keyword: &str,
        branches: &[Schema],
        object: &SchemaObject,
        context: Context,
    ) -> Vec<TSType<'a>> {
        let tags: HashMap<SchemaId, Vec<&str>> = match &object.discriminator {
            Some(discriminator) => {
                let mut tags: HashMap<SchemaId, Vec<&str>> = HashMap::new();
                for (tag, id) in &discriminator.mapping {
                    tags.entry(*id).or_default().push(tag);
                }
                tags
            }
            None => HashMap::new(),
        };
        branches
            .iter()
            .enumerate()
            .map(|(index, branch)| {
                let mark = self.enter(&[keyword, &index.to_string()], true, false, true);
                let ty = self.schema_type(branch, context);
                self.leave(mark);
                let (Schema::Ref(id), Some(discriminator)) = (branch, &object.discriminator) else {
                    return ty;
                };
                let Some(values) = tags.get(id) else {
                    return ty;
                };
                // Only objects carry a tag property (real specs map tags to arrays too).
                let is_object = self
                    .contract
                    .resolve(branch)
                    .as_object()
                    .is_some_and(SchemaObject::is_object_type);
                if !is_object {
                    return ty;
                }
                let literals = values
                    .iter()
                    .map(|tag| self.ts.literal_string(tag))
                    .collect();
                let tag = self.member(
                    SPAN,
                    &discriminator.property_name,
                    false,
                    false,
                    self.ts.union(literals),
                );
                self.ts.intersection(vec![ty, self.ts.object(vec![tag])])
            })
            .collect()
    }

    fn typed(&mut self, ty: Type, object: &SchemaObject, context: Context) -> TSType<'a> {
        match ty {
            Type::String => {
                let binary = object.format.as_deref() == Some("binary")
                    || object.content_media_type.as_deref() == Some("application/octet-stream");
                if binary && context == Context::Request {
                    self.ts.generic("Blob", Vec::new())
                } else {
                    self.ts.string()
                }
            }
            Type::Number | Type::Integer => self.ts.number(),
            Type::Boolean => self.ts.boolean(),
            Type::Null => self.ts.null(),
            Type::Array => self.array_shape(object, context),
            Type::Object => self.object_shape(object, context),
        }
    }

    /// `T[]` or a tuple (or a union of tuples), each `readonly` under `--immutable`.
    fn array_shape(&mut self, object: &SchemaObject, context: Context) -> TSType<'a> {
        let sound = self.items_sound(object);
        let mark = self.enter(&[], true, false, sound);
        let shape = self.elements_shape(object, context);
        self.leave(mark);
        shape
    }

    fn elements_shape(&mut self, object: &SchemaObject, context: Context) -> TSType<'a> {
        if !object.prefix_items.is_empty() {
            let elements = object
                .prefix_items
                .iter()
                .map(|item| self.schema_type(item, context))
                .collect();
            let rest = match &object.items {
                Some(Schema::Bool(false)) => None,
                Some(items) => Some(self.schema_type(items, context)),
                None => Some(self.ts.unknown()),
            };
            let tuple = self.ts.tuple(elements, rest);
            return self.frozen(tuple);
        }
        if let Some(tuples) = self.length_tuples(object, context) {
            return tuples;
        }
        let element = self.items_type(object, context);
        let array = self.ts.array(element);
        self.frozen(array)
    }

    /// An array or tuple type, `readonly` under `--immutable` (a union of
    /// tuples takes it on each: `readonly` applies to array types only).
    fn frozen(&self, shape: TSType<'a>) -> TSType<'a> {
        if self.options.immutable {
            self.ts.readonly(shape)
        } else {
            shape
        }
    }

    fn items_type(&mut self, object: &SchemaObject, context: Context) -> TSType<'a> {
        match &object.items {
            Some(items) => self.schema_type(items, context),
            None => self.ts.unknown(),
        }
    }

    /// `--array-length`: `type: array` with `minItems`/`maxItems` as a tuple
    /// (`[T, T, ...T[]]`) or a union of tuples of each length, when that
    /// takes fewer than 30 elements, as openapi-typescript writes it.
    fn length_tuples(&mut self, object: &SchemaObject, context: Context) -> Option<TSType<'a>> {
        if !self.options.array_length || !object.types.contains(&Type::Array) {
            return None;
        }
        let constraints = object.constraints();
        let min = constraints.min_items.unwrap_or(0);
        let max = constraints.max_items.filter(|max| min <= *max);
        let size = match max {
            None => u128::from(min),
            Some(max) => {
                let (min, max) = (u128::from(min), u128::from(max));
                (max * (max + 1) - min * min.saturating_sub(1)) / 2
            }
        };
        if (min == 0 && max.is_none()) || size >= 30 {
            return None;
        }
        let mut tuple = |length: u64, rest: bool| {
            let elements = (0..length)
                .map(|_| self.items_type(object, context))
                .collect();
            let rest = rest.then(|| self.items_type(object, context));
            let tuple = self.ts.tuple(elements, rest);
            self.frozen(tuple)
        };
        Some(if Some(min) == max {
            tuple(min, false)
        } else if constraints.max_items.is_some_and(|max| max > 0) {
            // Each length from `min` to `max`; none (`never`) when `maxItems` is below `minItems`.
            let tuples = (min..=max.unwrap_or(0))
                .map(|length| tuple(length, false))
                .collect();
            self.ts.union(tuples)
        } else {
            tuple(min, true)
        })
    }

    /// Properties (optional unless required), plus an index signature for `additionalProperties`.
    fn object_shape(&mut self, object: &SchemaObject, context: Context) -> TSType<'a> {
        let sound = self.members_sound(object);
        let mut members = Vec::new();
        let properties = self.ordered(object.properties.iter().collect(), true, |(name, _)| name);
        for (name, property) in properties {
            let resolved = self.contract.resolve(property).as_object();
            if self.options.exclude_deprecated && resolved.is_some_and(|p| p.deprecated) {
                continue;
            }
            let property_object = property.as_object();
            let span = self
                .ts
                .doc(&property_object.map(schema_doc).unwrap_or_default());
            let read_only = property_object.is_some_and(|p| p.read_only);
            let write_only = property_object.is_some_and(|p| p.write_only);
            let marked = self.options.read_write_markers && read_only != write_only;
            let mark = self.enter(&[name], true, true, sound && !marked);
            let mut ty = self.schema_type(property, context);
            self.leave(mark);
            // With markers, `$Read` says it instead of `readonly`; both flags mark nothing.
            let readonly = read_only && !self.options.read_write_markers;
            if self.options.read_write_markers && read_only != write_only {
                let marker = if read_only { "$Read" } else { "$Write" };
                ty = self.ts.generic(marker, vec![ty]);
            }
            let required = if self.options.default_non_nullable && context == Context::Other {
                object.is_sent(name)
            } else {
                object.is_required(name)
            } || (object.required.is_empty()
                && self.options.properties_required_by_default);
            members.push(self.member(span, name, !required, readonly, ty));
        }
        // A required name an `allOf` part declares has that part's type and
        // cannot be missing (`{ name: T } & Part`, not `T | undefined`); one
        // declared nowhere is `unknown`.
        let contract = self.contract;
        let mut declared = HashMap::new();
        for part in &object.all_of {
            for (name, schema) in contract.declared_properties(part) {
                declared.entry(name).or_insert(schema);
            }
        }
        for name in object
            .required
            .iter()
            .filter(|name| !object.properties.contains_key(*name))
        {
            let ty = match declared.get(name.as_str()) {
                Some(schema) => {
                    let mark = self.enter(&[name], true, true, sound);
                    // openapi-typescript marks it required (`WithRequired`) without a const.
                    self.site.muted = true;
                    let ty = self.schema_type(schema, context);
                    self.leave(mark);
                    ty
                }
                None => self.ts.unknown(),
            };
            members.push(self.member(SPAN, name, false, false, ty));
        }
        let additional = match &object.additional_properties {
            // openapi-typescript's `--additional-properties` opens closed objects too.
            Some(Schema::Bool(false)) if !self.options.additional_properties => None,
            Some(Schema::Bool(_)) => Some(self.ts.unknown()),
            Some(schema) => {
                let mark = self.enter(&[], true, true, sound);
                self.site.additional = self.options.enum_values;
                self.site.map = self.options.enum_values;
                let ty = self.schema_type(schema, context);
                self.leave(mark);
                Some(ty)
            }
            None if self.options.additional_properties => Some(self.ts.unknown()),
            // A free-form object accepts any keys; declared properties alone close it, as openapi-typescript does.
            None if members.is_empty() && self.options.empty_objects_unknown => {
                Some(self.ts.unknown())
            }
            None => None,
        };
        match additional {
            None if members.is_empty() => self.empty_record(),
            None => self.ts.object(members),
            Some(value) if members.is_empty() => {
                self.ts.object(vec![self.index_signature("key", value)])
            }
            // An index signature must admit every property's type; an intersection never conflicts.
            Some(value) => {
                let index = self.ts.object(vec![self.index_signature("key", value)]);
                self.ts.intersection(vec![self.ts.object(members), index])
            }
        }
    }

    fn literal(&self, value: &Value) -> TSType<'a> {
        match value {
            Value::String(text) => self.ts.literal_string(text),
            Value::Number(number) => {
                let float = number.as_f64().unwrap_or_default();
                self.ts.literal_number(float, &number.to_string())
            }
            Value::Bool(flag) => self.ts.literal_bool(*flag),
            Value::Null => self.ts.null(),
            Value::Array(_) | Value::Object(_) => self.ts.unknown(),
        }
    }
}

/// `--enum-values`' name for the enum at `pointer`, as openapi-typescript
/// 7.13 names it: the pointer joined by `/` without its first
/// `components/schemas`, `Values` added, each run of characters other than
/// `[A-Za-z0-9_$]` dropped with the character after it upper-cased
/// (`sanitizeMemberName`), the first letter lower-cased.
fn values_const_name(pointer: &[String]) -> String {
    let name = format!(
        "{}Values",
        pointer.join("/").replacen("components/schemas", "", 1)
    );
    let valid = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let mut out = String::new();
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if valid(c) {
            out.push(c);
            continue;
        }
        while chars.next_if(|c| !valid(*c)).is_some() {}
        if let Some(next) = chars.next() {
            out.push(next.to_ascii_uppercase());
        }
    }
    // JavaScript's `Number(name[0]) >= 0`: a digit or white space.
    if name.starts_with(|c: char| c.is_ascii_digit() || c.is_whitespace()) {
        out = format!("Value{out}");
    }
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => out,
    }
}

/// Whether component `id` is an element of its own arrays outside any object
/// member (`Matrix: {type: array, items: {$ref: Matrix}}`, also through
/// `allOf`/`oneOf`/`anyOf` parts and nested arrays): object members are
/// resolved lazily by `tsc`, arrays are not.
fn element_of_itself(id: SchemaId, schema: &Schema) -> bool {
    let Some(object) = schema.as_object() else {
        return false;
    };
    let elements = object.items.iter().chain(&object.prefix_items);
    let parts = object
        .all_of
        .iter()
        .chain(&object.one_of)
        .chain(&object.any_of);
    elements
        .clone()
        .any(|element| matches!(element, Schema::Ref(target) if *target == id))
        || elements
            .chain(parts)
            .any(|inner| element_of_itself(id, inner))
}

/// openapi-typescript's name for an operation without an operationId:
/// `get/users/{id}:cancel` -> `GetUsers`. Each `/`-part is capitalized and
/// loses its first `{...}`, `:...` or run of other characters than `\w`
/// (`/{.*}|:.*|[^a-zA-Z\d_]+/`, the first match only).
fn operation_path_name(operation: &Operation) -> String {
    let text = format!("{}{}", operation.method.as_str(), operation.path);
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.split('/')
        .map(|part| {
            let mut chars = part.chars();
            let part: String = match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            };
            let Some(start) = part.find(|c: char| !word(c)) else {
                return part;
            };
            let rest = &part[start..];
            let end = match rest.rfind('}') {
                Some(close) if rest.starts_with('{') => start + close + 1,
                _ if rest.starts_with(':') => part.len(),
                _ => rest.find(word).map_or(part.len(), |at| start + at),
            };
            format!("{}{}", &part[..start], &part[end..])
        })
        .collect()
}

/// openapi-typescript's enum member name (`tsEnumMember`): a name that is
/// not an identifier gets `Value` before a leading digit (its first `.` as
/// `_`), `ValueMinus` for a leading `-`, and each run of other characters
/// as `_` (`+` as `Plus`); a name of such characters only stays quoted.
fn enum_member_name(name: &str) -> String {
    let identifier = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let starts = |c: char| c.is_ascii_alphabetic() || c == '_' || c == '$';
    if name.starts_with(starts) && name.chars().all(identifier) {
        return name.to_owned();
    }
    // JavaScript's `Number(name[0]) >= 0`: a digit, or white space (`Number(" ")` is 0).
    let name = if name.starts_with(|c: char| c.is_ascii_digit() || c.is_whitespace()) {
        format!("Value{name}").replacen('.', "_", 1)
    } else if let Some(rest) = name.strip_prefix('-') {
        format!("ValueMinus{rest}")
    } else {
        name.to_owned()
    };
    if name.chars().all(|c| !identifier(c)) {
        return name;
    }
    let mut out = String::new();
    let mut run = String::new();
    for c in name.chars().map(Some).chain([None]) {
        match c {
            Some(c) if !identifier(c) => run.push(c),
            _ => {
                if !run.is_empty() {
                    out.push_str(if run == "+" { "Plus" } else { "_" });
                    run.clear();
                }
                out.extend(c);
            }
        }
    }
    out
}

/// The type that members without a `type` describe: an object's
/// (`properties`, `required`, `additionalProperties`) or an array's (`items`).
fn implied_type(object: &SchemaObject) -> Option<Type> {
    if !object.types.is_empty() {
        None
    } else if object.has_object_shape() {
        Some(Type::Object)
    } else if object.items.is_some() || !object.prefix_items.is_empty() {
        Some(Type::Array)
    } else {
        None
    }
}

/// Integers are numbers to TypeScript.
fn widened(ty: Type) -> Type {
    match ty {
        Type::Integer => Type::Number,
        other => other,
    }
}

fn json_type(value: &Value) -> Type {
    match value {
        Value::Null => Type::Null,
        Value::Bool(_) => Type::Boolean,
        Value::Number(_) => Type::Number,
        Value::String(_) => Type::String,
        Value::Array(_) => Type::Array,
        Value::Object(_) => Type::Object,
    }
}

/// operationIds that name exactly one operation: those go in `operations`.
fn unique_operation_ids(contract: &Contract) -> HashSet<&str> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for operation in contract.operations.iter().chain(&contract.webhooks) {
        if let Some(id) = operation.operation_id.as_deref() {
            *counts.entry(id).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(_, count)| *count == 1)
        .map(|(id, _)| id)
        .collect()
}

/// JSDoc lines for a schema: deprecation, description, format, default, examples.
fn schema_doc(object: &SchemaObject) -> Vec<String> {
    let mut lines = Vec::new();
    if object.deprecated {
        lines.push("@deprecated".to_owned());
    }
    if let Some(description) = &object.description {
        lines.push(format!("@description {description}"));
    }
    // Readers of the types learn which side sends the field; `readOnly` is also a `readonly` modifier.
    if object.read_only {
        lines.push("@readOnly sent by the server only".to_owned());
    }
    if object.write_only {
        lines.push("@writeOnly sent by the client only".to_owned());
    }
    if let Some(format) = &object.format {
        lines.push(format!("Format: {format}"));
    }
    if let Some(default) = &object.default {
        lines.push(format!("@default {default}"));
    }
    for example in &object.examples {
        lines.push(format!("@example {example}"));
    }
    lines
}

fn description_doc(description: Option<&str>) -> Vec<String> {
    description
        .map(|text| vec![format!("@description {text}")])
        .unwrap_or_default()
}

fn parameter_doc(parameter: &Parameter) -> Vec<String> {
    let mut lines = description_doc(parameter.description.as_deref());
    if parameter.deprecated {
        lines.insert(0, "@deprecated".to_owned());
    }
    lines
}

fn operation_doc(operation: &Operation) -> Vec<String> {
    let mut lines = Vec::new();
    if operation.deprecated {
        lines.push("@deprecated".to_owned());
    }
    if let Some(summary) = &operation.summary {
        lines.push(summary.clone());
    }
    if let Some(description) = &operation.description {
        lines.push(format!("@description {description}"));
    }
    lines
}

/// `order-status` / `in_progress` -> `OrderStatus` / `InProgress`.
fn pascal_case(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests;
