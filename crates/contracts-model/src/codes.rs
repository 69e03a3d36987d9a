//! The diagnostic codes the model builder (and any [`Documents`](crate::Documents)
//! source) raises. Tools match on these; never rename one.

contracts_diagnostics::codes! {
    // Document structure.
    /// The document is not an OpenAPI document (no `openapi` field, or not an object).
    NOT_OPENAPI = "not-openapi";
    /// The `openapi` version is not 3.0.x or 3.1.x.
    UNSUPPORTED_VERSION = "unsupported-version";
    /// A required field is missing.
    MISSING_FIELD = "missing-field";
    /// A field has the wrong JSON type (a string where an object belongs, ...).
    WRONG_TYPE = "wrong-type";
    /// A field's value is not one the specification allows.
    INVALID_VALUE = "invalid-value";
    /// A field the OpenAPI object does not define (and not `x-`).
    UNKNOWN_FIELD = "unknown-field";

    // References.
    /// A `$ref` that is not a valid reference (no URI, a bad JSON pointer).
    REF_INVALID = "ref-invalid";
    /// A `$ref` whose target pointer is not in its file.
    REF_UNRESOLVED = "ref-unresolved";
    /// A `$ref` to a file that does not exist.
    REF_MISSING_FILE = "ref-missing-file";
    /// A loop of `$ref`s with no content (`A -> B -> A`, or through
    /// compositions that reach no content).
    REF_CYCLE = "ref-cycle";

    // Operations and paths.
    /// A path key that does not start with `/`.
    PATH_NOT_ABSOLUTE = "path-not-absolute";
    /// Two path templates that match the same URLs (`/a/{x}` and `/a/{y}`).
    PATH_AMBIGUOUS = "path-ambiguous";
    /// A `{name}` of the path template with no path parameter declared.
    PATH_PARAM_UNDECLARED = "path-param-undeclared";
    /// A path parameter whose name is not in the path template.
    PATH_PARAM_NOT_IN_TEMPLATE = "path-param-not-in-template";
    /// A path parameter without `required: true`.
    PATH_PARAM_NOT_REQUIRED = "path-param-not-required";
    /// Two operations with the same `operationId`.
    DUPLICATE_OPERATION_ID = "duplicate-operation-id";
    /// Two parameters of one operation with the same name and location.
    DUPLICATE_PARAMETER = "duplicate-parameter";
    /// A response key that is no status code, range (`2XX`) or `default`.
    INVALID_STATUS_CODE = "invalid-status-code";
    /// An operation without any response.
    NO_RESPONSES = "no-responses";
    /// A security requirement naming a scheme `components.securitySchemes` does not define.
    SECURITY_SCHEME_UNDEFINED = "security-scheme-undefined";

    // Schemas.
    /// A schema `type` that is not a JSON Schema type.
    SCHEMA_INVALID_TYPE = "schema-invalid-type";
    /// A name in `required` that no property (of the schema or its `allOf`) declares.
    REQUIRED_PROPERTY_UNDEFINED = "required-property-undefined";

    // Recoverable faults: warnings, the meaning is clear.
    /// A schema that is `null`; read as `{}`.
    NULL_SCHEMA = "null-schema";
    /// `type: 'null'` in a 3.0 document; read as `nullable: true`.
    TYPE_NULL_IN_3_0 = "type-null-in-3.0";
    /// A list of types in a 3.0 document; read as in 3.1.
    TYPE_ARRAY_IN_3_0 = "type-array-in-3.0";
    /// `nullable` in a 3.1 document; read as `type: [..., 'null']`.
    NULLABLE_IN_3_1 = "nullable-in-3.1";
    /// `nullable: true` with no `type` beside it; has no effect in 3.0.
    NULLABLE_WITHOUT_TYPE = "nullable-without-type";
    /// `exclusiveMinimum`/`exclusiveMaximum` in the other version's form; read as meant.
    EXCLUSIVE_BOUND_FORM = "exclusive-bound-form";
    /// A boolean schema (`true`/`false`) in a 3.0 document; read as in 3.1.
    BOOLEAN_SCHEMA_IN_3_0 = "boolean-schema-in-3.0";
    /// A 3.0 schema object key that is no Schema Object field and not `x-`:
    /// a JSON Schema keyword the model reads anyway, or ignored.
    UNKNOWN_SCHEMA_KEYWORD = "unknown-schema-keyword";
    /// A discriminator `mapping` entry whose target cannot be found (a missing
    /// file or pointer): the tag is left out, the branches still apply.
    DISCRIMINATOR_MAPPING_UNRESOLVED = "discriminator-mapping-unresolved";
}

/// The model's faults that leave no usable contract behind: generators stop
/// on these and go on, with a warning, past every other.
pub fn is_fatal(code: &str) -> bool {
    matches!(
        code,
        NOT_OPENAPI
            | UNSUPPORTED_VERSION
            | REF_INVALID
            | REF_UNRESOLVED
            | REF_MISSING_FILE
            | REF_CYCLE
    )
}
