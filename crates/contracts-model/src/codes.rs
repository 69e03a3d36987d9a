//! Stable diagnostic codes. Tools match on these; never rename one.

// Input that cannot be read at all (raised by the loader).
pub const IO: &str = "io";
pub const NOT_UTF8: &str = "not-utf8";
pub const SYNTAX: &str = "syntax";
pub const TOO_LARGE: &str = "too-large";
pub const REF_UNREADABLE: &str = "ref-unreadable";

// Document structure.
pub const NOT_OPENAPI: &str = "not-openapi";
pub const UNSUPPORTED_VERSION: &str = "unsupported-version";
pub const MISSING_FIELD: &str = "missing-field";
pub const WRONG_TYPE: &str = "wrong-type";
pub const INVALID_VALUE: &str = "invalid-value";
pub const UNKNOWN_FIELD: &str = "unknown-field";

// References.
pub const REF_INVALID: &str = "ref-invalid";
pub const REF_UNRESOLVED: &str = "ref-unresolved";
pub const REF_MISSING_FILE: &str = "ref-missing-file";
pub const REF_REMOTE: &str = "ref-remote";
pub const REF_OUTSIDE_ROOT: &str = "ref-outside-root";
pub const REF_CYCLE: &str = "ref-cycle";

// Operations and paths.
pub const PATH_NOT_ABSOLUTE: &str = "path-not-absolute";
pub const PATH_AMBIGUOUS: &str = "path-ambiguous";
pub const PATH_PARAM_UNDECLARED: &str = "path-param-undeclared";
pub const PATH_PARAM_NOT_IN_TEMPLATE: &str = "path-param-not-in-template";
pub const PATH_PARAM_NOT_REQUIRED: &str = "path-param-not-required";
pub const DUPLICATE_OPERATION_ID: &str = "duplicate-operation-id";
pub const DUPLICATE_PARAMETER: &str = "duplicate-parameter";
pub const INVALID_STATUS_CODE: &str = "invalid-status-code";
pub const NO_RESPONSES: &str = "no-responses";
pub const SECURITY_SCHEME_UNDEFINED: &str = "security-scheme-undefined";

// Schemas.
pub const SCHEMA_INVALID_TYPE: &str = "schema-invalid-type";
pub const REQUIRED_PROPERTY_UNDEFINED: &str = "required-property-undefined";

// Recoverable faults: warnings, the meaning is clear.
pub const NULL_SCHEMA: &str = "null-schema";
pub const TYPE_NULL_IN_3_0: &str = "type-null-in-3.0";
pub const TYPE_ARRAY_IN_3_0: &str = "type-array-in-3.0";
pub const NULLABLE_IN_3_1: &str = "nullable-in-3.1";
pub const NULLABLE_WITHOUT_TYPE: &str = "nullable-without-type";
pub const EXCLUSIVE_BOUND_FORM: &str = "exclusive-bound-form";
pub const BOOLEAN_SCHEMA_IN_3_0: &str = "boolean-schema-in-3.0";
/// A 3.0 schema object key that is no Schema Object field and not `x-`:
/// a JSON Schema keyword the model reads anyway, or ignored.
pub const UNKNOWN_SCHEMA_KEYWORD: &str = "unknown-schema-keyword";
/// A discriminator `mapping` entry whose target cannot be found (a missing
/// file or pointer): the tag is left out, the branches still apply.
pub const DISCRIMINATOR_MAPPING_UNRESOLVED: &str = "discriminator-mapping-unresolved";

// Raised by generators (warnings: the output is made all the same).
/// An example does not match its schema, so `gen --msw` mocks generated data instead.
pub const INVALID_EXAMPLE: &str = "invalid-example";
/// The schemas could not be compiled for checking examples, so `gen --msw` uses none.
pub const EXAMPLES_UNCHECKED: &str = "examples-unchecked";
/// gen --msw: only a member outside the TypeScript types makes a mock body
/// match exactly one `oneOf` branch, so that body is not `satisfies`-checked.
pub const MOCK_OUTSIDE_TYPES: &str = "mock-outside-types";
/// gen --msw: a mock hit one of the generator's limits (depth, size, a
/// schema with no finite value), so it may not match its schema or type.
pub const MOCK_LIMITED: &str = "mock-limited";
/// gen --ts: `additionalProperties` beside `allOf`/`oneOf`/`anyOf` does not
/// see the parts' properties, so taken literally no object (`false`) or not
/// every declared property (a schema) fits; the types follow the parts.
pub const ADDITIONAL_PROPERTIES_BESIDE_COMPOSITION: &str =
    "additional-properties-beside-composition";
/// gen --ts: a schema's `type` admits no value of its `allOf`/`oneOf`/`anyOf`
/// (`type: 'null'` beside a `oneOf` of string and number), so taken literally
/// it is `never`; the types follow the composition.
pub const TYPE_CONTRADICTS_COMPOSITION: &str = "type-contradicts-composition";
/// gen --rust: a schema typify cannot represent became `serde_json::Value`.
pub const RUST_TYPE_DEGRADED: &str = "rust-type-degraded";

/// Faults that leave no usable contract behind: generators stop on these and
/// go on, with a warning, past every other.
pub fn is_fatal(code: &str) -> bool {
    matches!(
        code,
        IO | NOT_UTF8
            | SYNTAX
            | TOO_LARGE
            | NOT_OPENAPI
            | UNSUPPORTED_VERSION
            | REF_INVALID
            | REF_UNRESOLVED
            | REF_MISSING_FILE
            | REF_REMOTE
            | REF_OUTSIDE_ROOT
            | REF_CYCLE
            | REF_UNREADABLE
    )
}
