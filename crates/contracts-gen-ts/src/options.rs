//! The generator's options: openapi-typescript's type options under their names.

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
