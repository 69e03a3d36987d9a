//! Every rule the engine reports: id, level, what it means. Ids are
//! oasdiff's wherever the meaning is the same, so results compare pair by pair.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

pub struct Rule {
    pub id: &'static str,
    pub level: Level,
    pub description: &'static str,
    /// A change that triggers the rule.
    pub example: &'static str,
}

use Level::{Error as E, Info as I, Warning as W};

/// The fixed rules: each row names a constant for its id, so the engine
/// reports `rules::ENDPOINT_ADDED` and a misspelt id does not compile.
macro_rules! rules {
    ($table:ident $names:ident; $($name:ident $id:literal $level:ident $description:literal $example:literal;)*) => {
        $(pub const $name: &str = $id;)*
        pub const $table: &[Rule] = &[$(Rule { id: $name, level: $level, description: $description, example: $example }),*];
        /// Each constant's name with its id, for the test that they agree.
        #[cfg(test)]
        const $names: &[(&str, &str)] = &[$((stringify!($name), $id)),*];
    };
}

/// What a change breaks: clients on the wire, or code generated from the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Wire,
    Code,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Wire => "wire",
            Category::Code => "code",
        }
    }
}

/// The category of a rule id: `code` for [`CODE_RULES`], `wire` for the rest.
pub fn category_of(id: &str) -> Category {
    if CODE_RULES.iter().any(|rule| rule.id == id) {
        Category::Code
    } else {
        Category::Wire
    }
}

rules! {
    CODE_RULES CODE_NAMES;
    // Names the generators give (TypeScript `components["schemas"]["Order"]`,
    // `operations["getOrder"]`, `--root-types`; Rust `Order`, `GetOrderParams`),
    // and generated types that change while the JSON stays compatible.
    CODE_SCHEMA_REMOVED "code-schema-removed" E "A `components.schemas` entry is gone (and no new one means the same): code naming its generated type no longer compiles." "`components.schemas.Order` removed, its content inlined where it was used";
    CODE_SCHEMA_RENAMED "code-schema-renamed" E "A `components.schemas` entry was renamed, its content the same: invisible on the wire, but code naming the old type (and its `--root-types` alias) no longer compiles." "`Order` became `PurchaseOrder`";
    CODE_OPERATION_ID_CHANGED "code-operation-id-changed" E "An operation's operationId changed: `operations[\"getOrder\"]` and Rust's `GetOrderParams` are renamed." "operationId `getOrder` became `fetchOrder`";
    CODE_OPERATION_ID_REMOVED "code-operation-id-removed" E "An operation lost its operationId: `operations[\"getOrder\"]` is gone." "operationId `getOrder` removed";
    CODE_INTEGER_WIDTH_CHANGED "code-integer-width-changed" E "A property's integer `format` moved to another width: its Rust type changes (`i32` to `i64`) while the JSON stays compatible." "`count`: `format: int32` became `int64`";
    CODE_ENUM_MEMBER_RENAMED "code-enum-member-renamed" E "An enum kept its values but reordered two whose generated member names collide (`in-progress` and `in_progress` are both `InProgress`): the generators tell them apart by order (`InProgress`, `InProgress2`), so the members swap names (`--enum` TypeScript enums, Rust variants)." "`enum: [in-progress, in_progress]` became `[in_progress, in-progress]`";
    CODE_PROPERTY_TYPE_RENAMED "code-property-type-renamed" E "A property's schema moved between inline and a `$ref` with the same meaning: its generated Rust type is renamed (`OrderStatus` to `Status`); TypeScript is unaffected." "`status: {enum: [open, closed]}` became `$ref: '#/components/schemas/Status'`";
}

rules! {
    RULES NAMES;
    // Endpoints.
    API_PATH_REMOVED_WITHOUT_DEPRECATION "api-path-removed-without-deprecation" E "A path was removed without being deprecated first." "`/users/{id}` is gone from the revision";
    API_PATH_REMOVED_WITH_DEPRECATION "api-path-removed-with-deprecation" I "A deprecated path was removed." "deprecated `GET /v1/users` is gone";
    API_REMOVED_WITHOUT_DEPRECATION "api-removed-without-deprecation" E "An operation was removed without being deprecated first." "`DELETE /users/{id}` is gone, `GET /users/{id}` stays";
    API_REMOVED_WITH_DEPRECATION "api-removed-with-deprecation" I "A deprecated operation was removed." "deprecated `DELETE /users/{id}` is gone";
    ENDPOINT_ADDED "endpoint-added" I "An operation was added." "`POST /users` is new";
    ENDPOINT_DEPRECATED "endpoint-deprecated" I "An operation was deprecated." "`deprecated: true` on `GET /users`";
    ENDPOINT_REACTIVATED "endpoint-reactivated" I "A deprecated operation is no longer deprecated." "`deprecated: true` removed from `GET /users`";
    // Lifecycle: `deprecated`, `x-sunset` (the date from which removal is fine), `x-stability-level`.
    API_PATH_REMOVED_BEFORE_SUNSET "api-path-removed-before-sunset" E "A path was removed before the `x-sunset` date of a deprecated operation on it." "deprecated `GET /v1/users` with `x-sunset: 2999-01-01` is gone";
    API_REMOVED_BEFORE_SUNSET "api-removed-before-sunset" E "A deprecated operation was removed before its `x-sunset` date." "deprecated `DELETE /users/{id}` with a future `x-sunset` is gone";
    API_PATH_SUNSET_PARSE "api-path-sunset-parse" E "A deprecated operation's `x-sunset` is not a date (when its path is removed or its sunset changes)." "`x-sunset: soon`";
    API_DEPRECATED_SUNSET_PARSE "api-deprecated-sunset-parse" E "An operation was deprecated, or removed, with an `x-sunset` that is not a date." "`deprecated: true`, `x-sunset: soon`";
    ENDPOINT_DEPRECATED_WITH_SUNSET "endpoint-deprecated-with-sunset" I "An operation was deprecated with an `x-sunset` date." "`deprecated: true`, `x-sunset: 2027-01-01` on `GET /users`";
    API_DEPRECATED_SUNSET_MISSING "api-deprecated-sunset-missing" E "An operation was deprecated without an `x-sunset` date while the policy asks for notice days." "`deprecated: true` alone, with 180 days required";
    API_SUNSET_DATE_TOO_SMALL "api-sunset-date-too-small" E "An operation was deprecated with an `x-sunset` closer than the policy's notice days." "`x-sunset` 10 days away, 180 required";
    SUNSET_DELETED "sunset-deleted" E "A deprecated operation lost its `x-sunset` date." "`x-sunset: 2027-01-01` removed";
    API_SUNSET_DATE_CHANGED_TOO_SMALL "api-sunset-date-changed-too-small" E "A deprecated operation's `x-sunset` moved earlier, closer than the policy's notice days." "`x-sunset` 2027-01-01 -> yesterday";
    API_INVALID_STABILITY_LEVEL "api-invalid-stability-level" E "An operation's `x-stability-level` is not draft, alpha, beta or stable." "`x-stability-level: ga`";
    API_STABILITY_DECREASED "api-stability-decreased" E "An operation's `x-stability-level` went down (stable > beta > alpha > draft) or was removed. Changes to draft and alpha operations are not reported." "`x-stability-level: beta` -> `alpha`";
    API_STABILITY_INCREASED "api-stability-increased" I "An operation's `x-stability-level` went up." "`x-stability-level: alpha` -> `beta`";
    REQUEST_PARAMETER_DEPRECATED "request-parameter-deprecated" I "A parameter was deprecated." "`deprecated: true` on query `page`";
    REQUEST_PARAMETER_REACTIVATED "request-parameter-reactivated" I "A deprecated parameter is no longer deprecated." "`deprecated: true` removed from query `page`";
    REQUEST_PARAMETER_DEPRECATED_SUNSET_MISSING "request-parameter-deprecated-sunset-missing" E "A parameter was deprecated without an `x-sunset` date while the policy asks for notice days." "`deprecated: true` alone on query `page`, 180 days required";
    REQUEST_PARAMETER_SUNSET_DATE_TOO_SMALL "request-parameter-sunset-date-too-small" E "A parameter was deprecated with an `x-sunset` closer than the policy's notice days." "`x-sunset` 10 days away, 180 required";
    REQUEST_PARAMETER_REMOVED_BEFORE_SUNSET "request-parameter-removed-before-sunset" E "A deprecated parameter was removed before its `x-sunset` date." "deprecated query `page` with a future `x-sunset` removed";
    REQUEST_PARAMETER_SUNSET_PARSE "request-parameter-sunset-parse" E "A deprecated parameter's `x-sunset` is not a date." "`x-sunset: soon` on query `page`";
    REQUEST_PARAMETER_SUNSET_DELETED "request-parameter-sunset-deleted" E "A deprecated parameter lost its `x-sunset` date." "`x-sunset` removed from query `page`";
    REQUEST_PARAMETER_SUNSET_DATE_CHANGED_TOO_SMALL "request-parameter-sunset-date-changed-too-small" E "A deprecated parameter's `x-sunset` moved earlier, closer than the policy's notice days." "`x-sunset` 2027-01-01 -> yesterday";
    REQUEST_PROPERTY_DEPRECATED "request-property-deprecated" I "A request property was deprecated." "`deprecated: true` on `nickname`";
    REQUEST_PROPERTY_DEPRECATED_WITH_SUNSET "request-property-deprecated-with-sunset" I "A request property was deprecated with an `x-sunset` date." "`deprecated: true`, `x-sunset: 2027-01-01` on `nickname`";
    REQUEST_PROPERTY_DEPRECATED_SUNSET_MISSING "request-property-deprecated-sunset-missing" E "A request property was deprecated without an `x-sunset` date while the policy asks for notice days." "`deprecated: true` alone, 180 days required";
    REQUEST_PROPERTY_DEPRECATED_SUNSET_INVALID "request-property-deprecated-sunset-invalid" E "A request property was deprecated with an `x-sunset` that is not a date." "`x-sunset: soon` on `nickname`";
    REQUEST_PROPERTY_SUNSET_DATE_TOO_SMALL "request-property-sunset-date-too-small" E "A request property was deprecated with an `x-sunset` closer than the policy's notice days." "`x-sunset` 10 days away, 180 required";
    REQUEST_PROPERTY_REACTIVATED "request-property-reactivated" I "A deprecated request property is no longer deprecated." "`deprecated: true` removed from `nickname`";
    RESPONSE_PROPERTY_DEPRECATED "response-property-deprecated" I "A response property was deprecated." "`deprecated: true` on `avatar`";
    RESPONSE_PROPERTY_DEPRECATED_WITH_SUNSET "response-property-deprecated-with-sunset" I "A response property was deprecated with an `x-sunset` date." "`deprecated: true`, `x-sunset: 2027-01-01` on `avatar`";
    RESPONSE_PROPERTY_DEPRECATED_SUNSET_MISSING "response-property-deprecated-sunset-missing" E "A response property was deprecated without an `x-sunset` date while the policy asks for notice days." "`deprecated: true` alone, 180 days required";
    RESPONSE_PROPERTY_DEPRECATED_SUNSET_INVALID "response-property-deprecated-sunset-invalid" E "A response property was deprecated with an `x-sunset` that is not a date." "`x-sunset: soon` on `avatar`";
    RESPONSE_PROPERTY_SUNSET_DATE_TOO_SMALL "response-property-sunset-date-too-small" E "A response property was deprecated with an `x-sunset` closer than the policy's notice days." "`x-sunset` 10 days away, 180 required";
    RESPONSE_PROPERTY_REACTIVATED "response-property-reactivated" I "A deprecated response property is no longer deprecated." "`deprecated: true` removed from `avatar`";
    API_OPERATION_ID_REMOVED "api-operation-id-removed" I "An operation's operationId was removed or changed." "operationId `getUser` became `fetchUser`";
    API_OPERATION_ID_ADDED "api-operation-id-added" I "An operation got an operationId." "operationId `getUser` was added";
    API_TAG_REMOVED "api-tag-removed" I "An operation lost a tag." "tag `users` removed from `GET /users`";
    API_TAG_ADDED "api-tag-added" I "An operation got a tag." "tag `admin` added to `GET /users`";
    API_SECURITY_REMOVED "api-security-removed" I "An operation's security requirement was removed." "`security: [{bearer: []}]` became `[]`";
    API_SECURITY_ADDED "api-security-added" I "An operation got a security requirement." "`security: [{apiKey: []}]` added";
    REQUEST_PATH_PARAMETER_RENAMED "request-path-parameter-renamed" I "A path parameter was renamed (`/users/{id}` -> `/users/{userId}`): not a change for clients." "`/users/{id}` became `/users/{userId}`";
    // Parameters.
    NEW_REQUIRED_REQUEST_PARAMETER "new-required-request-parameter" E "A required parameter was added." "query `tenant` with `required: true` added";
    NEW_OPTIONAL_REQUEST_PARAMETER "new-optional-request-parameter" I "An optional parameter was added." "query `verbose` added";
    REQUEST_PARAMETER_REMOVED "request-parameter-removed" W "A parameter was removed; clients still sending it may be rejected." "query `sort` removed";
    REQUEST_PARAMETER_REMOVED_WITH_DEPRECATION "request-parameter-removed-with-deprecation" I "A deprecated parameter was removed." "deprecated query `page` removed";
    REQUEST_PARAMETER_BECAME_REQUIRED "request-parameter-became-required" E "An optional parameter became required." "query `limit` got `required: true`";
    REQUEST_PARAMETER_BECAME_OPTIONAL "request-parameter-became-optional" I "A required parameter became optional." "header `X-Tenant` lost `required: true`";
    // Request bodies.
    REQUEST_BODY_ADDED_REQUIRED "request-body-added-required" E "A required request body was added." "`requestBody` with `required: true` added";
    REQUEST_BODY_ADDED_OPTIONAL "request-body-added-optional" I "An optional request body was added." "optional `requestBody` added";
    REQUEST_BODY_REMOVED "request-body-removed" E "The request body was removed." "`requestBody` removed";
    REQUEST_BODY_BECAME_REQUIRED "request-body-became-required" E "The request body became required." "`requestBody.required` false -> true";
    REQUEST_BODY_BECAME_OPTIONAL "request-body-became-optional" I "The request body became optional." "`requestBody.required` true -> false";
    REQUEST_BODY_MEDIA_TYPE_ADDED "request-body-media-type-added" I "The request body accepts a new media type." "`application/xml` accepted too";
    REQUEST_BODY_MEDIA_TYPE_REMOVED "request-body-media-type-removed" E "The request body no longer accepts a media type." "`application/xml` no longer accepted";
    NEW_REQUIRED_REQUEST_PROPERTY "new-required-request-property" E "A required request property was added." "`email` added to the body's `required`";
    NEW_OPTIONAL_REQUEST_PROPERTY "new-optional-request-property" I "An optional request property was added." "optional `nickname` added to the body";
    REQUEST_PROPERTY_REMOVED "request-property-removed" W "A request property was removed." "`nickname` removed from the body schema";
    REQUEST_PROPERTY_BECAME_REQUIRED "request-property-became-required" E "A request property became required." "`email` added to `required`";
    REQUEST_PROPERTY_BECAME_OPTIONAL "request-property-became-optional" I "A request property became optional." "`email` removed from `required`";
    NEW_REQUIRED_REQUEST_PROPERTY_WITH_DEFAULT "new-required-request-property-with-default" E "A required request property with a default was added: old clients do not send it." "`currency` (default `EUR`) added to `required`";
    REQUEST_PROPERTY_BECAME_REQUIRED_WITH_DEFAULT "request-property-became-required-with-default" E "A request property with a default became required." "`currency` (default `EUR`) added to `required`";
    NEW_REQUIRED_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH "new-required-request-default-parameter-to-existing-path" E "A required path-level parameter was added to an existing path: every operation of the path needs it." "path-level header `X-Tenant`, `required: true`, added";
    NEW_OPTIONAL_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH "new-optional-request-default-parameter-to-existing-path" I "An optional path-level parameter was added to an existing path." "path-level query `trace` added";
    // Responses.
    RESPONSE_SUCCESS_STATUS_REMOVED "response-success-status-removed" E "A success status (2XX) was removed." "`200` removed, only `202` left";
    RESPONSE_SUCCESS_STATUS_ADDED "response-success-status-added" I "A success status was added." "`202` added";
    RESPONSE_NON_SUCCESS_STATUS_REMOVED "response-non-success-status-removed" I "A non-success status was removed." "`404` removed";
    RESPONSE_NON_SUCCESS_STATUS_ADDED "response-non-success-status-added" I "A non-success status was added." "`409` added";
    RESPONSE_MEDIA_TYPE_REMOVED "response-media-type-removed" E "A response media type was removed." "`application/xml` no longer returned";
    RESPONSE_MEDIA_TYPE_ADDED "response-media-type-added" I "A response media type was added." "`text/csv` returned too";
    RESPONSE_REQUIRED_PROPERTY_REMOVED "response-required-property-removed" E "A required response property was removed." "required `id` removed from the response";
    RESPONSE_OPTIONAL_PROPERTY_REMOVED "response-optional-property-removed" W "An optional response property was removed." "optional `avatar` removed from the response";
    RESPONSE_REQUIRED_PROPERTY_ADDED "response-required-property-added" I "A required response property was added." "required `createdAt` added";
    RESPONSE_OPTIONAL_PROPERTY_ADDED "response-optional-property-added" I "An optional response property was added." "optional `avatar` added";
    RESPONSE_PROPERTY_BECAME_OPTIONAL "response-property-became-optional" E "A required response property became optional." "`email` removed from the response's `required`";
    RESPONSE_PROPERTY_BECAME_REQUIRED "response-property-became-required" I "An optional response property became required." "`email` added to the response's `required`";
    RESPONSE_HEADER_REMOVED "response-header-removed" E "A required response header was removed." "required header `Location` removed";
    RESPONSE_HEADER_ADDED "response-header-added" I "A response header was added." "header `X-RateLimit-Remaining` added";
    RESPONSE_HEADER_BECAME_OPTIONAL "response-header-became-optional" E "A required response header became optional." "header `Location` lost `required: true`";
    OPTIONAL_RESPONSE_HEADER_REMOVED "optional-response-header-removed" W "An optional response header was removed." "optional header `X-Request-Id` removed";
    RESPONSE_REQUIRED_PROPERTY_BECAME_NOT_WRITE_ONLY "response-required-property-became-not-write-only" W "A required writeOnly response property is no longer writeOnly: responses now carry it." "`writeOnly: true` removed from required `password`";
    RESPONSE_OPTIONAL_PROPERTY_BECAME_NOT_WRITE_ONLY "response-optional-property-became-not-write-only" I "An optional writeOnly response property is no longer writeOnly." "`writeOnly: true` removed from `pin`";
    // Webhooks (3.1).
    WEBHOOK_ADDED "webhook-added" I "A webhook was added." "webhook `orderShipped` added";
    WEBHOOK_REMOVED "webhook-removed" E "A webhook was removed." "webhook `orderShipped` removed";
}

macro_rules! schema_changes {
    ($(#[$attr:meta])* $($suffix:literal $request:ident $response:ident $description:literal $example:literal;)*) => {
        $(#[$attr])*
        pub const SCHEMA_CHANGES: &[(&str, Level, Level, &str, &str)] = &[$(($suffix, $request, $response, $description, $example)),*];
    };
}

schema_changes! {
    /// Schema keyword changes, reported with a position prefix
    /// (`request-parameter`, `request-body`, `request-property`,
    /// `request-header-property`, `response-body`, `response-property`,
    /// `response-header`): suffix, level in requests, level in responses,
    /// meaning, example. What a client sends may only get looser; what it
    /// receives may only get tighter.
    "type-changed" E E "The type changed." "`type: string` -> `type: integer`";
    "type-generalized" I E "The type was widened (integer -> number)." "`type: integer` -> `type: number`";
    "became-nullable" I E "null became a valid value." "`type: string` -> `type: [string, \"null\"]`";
    "became-not-nullable" E I "null is no longer a valid value." "`nullable: true` removed";
    "became-enum" E I "The value became restricted to an enum." "`enum: [a, b]` added";
    "enum-value-added" I W "An enum value was added." "`enum: [a]` -> `[a, b]`";
    "enum-value-removed" E I "An enum value was removed." "`enum: [a, b]` -> `[a]`";
    "const-changed" E E "The const value changed." "`const: v1` -> `const: v2`";
    "max-increased" I E "maximum increased." "`maximum: 10` -> `20`";
    "max-decreased" E I "maximum decreased." "`maximum: 10` -> `5`";
    "max-set" W I "A maximum was set." "`maximum: 10` added";
    "min-increased" E I "minimum increased." "`minimum: 0` -> `1`";
    "min-decreased" I E "minimum decreased." "`minimum: 1` -> `0`";
    "min-set" W I "A minimum was set." "`minimum: 1` added";
    "exclusive-max-increased" I E "exclusiveMaximum increased." "`exclusiveMaximum: 10` -> `20`";
    "exclusive-max-decreased" E I "exclusiveMaximum decreased." "`exclusiveMaximum: 10` -> `5`";
    "exclusive-max-set" W I "An exclusiveMaximum was set." "`exclusiveMaximum: 10` added";
    "exclusive-min-increased" E I "exclusiveMinimum increased." "`exclusiveMinimum: 0` -> `1`";
    "exclusive-min-decreased" I E "exclusiveMinimum decreased." "`exclusiveMinimum: 1` -> `0`";
    "exclusive-min-set" W I "An exclusiveMinimum was set." "`exclusiveMinimum: 0` added";
    "max-length-increased" I E "maxLength increased." "`maxLength: 50` -> `100`";
    "max-length-decreased" E I "maxLength decreased." "`maxLength: 100` -> `50`";
    "max-length-set" W I "A maxLength was set." "`maxLength: 100` added";
    "min-length-increased" E I "minLength increased." "`minLength: 1` -> `3`";
    "min-length-decreased" I E "minLength decreased." "`minLength: 3` -> `1`";
    "min-length-set" W I "A minLength was set." "`minLength: 1` added";
    "max-items-increased" I E "maxItems increased." "`maxItems: 10` -> `20`";
    "max-items-decreased" E I "maxItems decreased." "`maxItems: 20` -> `10`";
    "max-items-set" W I "A maxItems was set." "`maxItems: 10` added";
    "min-items-increased" E I "minItems increased." "`minItems: 0` -> `1`";
    "min-items-decreased" I E "minItems decreased." "`minItems: 1` -> `0`";
    "min-items-set" W I "A minItems was set." "`minItems: 1` added";
    "pattern-added" E I "A pattern was added." "`pattern: ^[a-z]+$` added";
    "pattern-removed" I I "The pattern was removed." "`pattern` removed";
    "pattern-changed" W I "The pattern changed." "`^[a-z]+$` -> `^[a-z0-9]+$`";
    "one-of-added" I E "A oneOf branch was added." "`oneOf: [Cat]` -> `[Cat, Dog]`";
    "one-of-removed" E I "A oneOf branch was removed." "`oneOf: [Cat, Dog]` -> `[Cat]`";
    "any-of-added" I I "An anyOf branch was added." "`anyOf: [A]` -> `[A, B]`";
    "any-of-removed" E I "An anyOf branch was removed." "`anyOf: [A, B]` -> `[A]`";
    "all-of-added" E I "An allOf part that changes the meaning was added." "`allOf: [Base]` -> `[Base, Audited]` (Audited requires `auditor`)";
    "all-of-removed" W I "An allOf part that changes the meaning was removed." "`allOf: [Base, Audited]` -> `[Base]`";
    "default-value-changed" I I "The default value changed." "`default: 20` -> `50`";
    "wrapped-in-one-of" E E "The schema was wrapped in a oneOf." "`{...}` -> `oneOf: [{...}, Other]`";
    "x-extensible-enum-value-removed" E I "A value of the `x-extensible-enum` extension was removed." "`x-extensible-enum: [a, b]` -> `[a]`";
    "prefix-items-added" I E "prefixItems were added." "`prefixItems: [string, number]` added";
    "prefix-items-removed" E I "prefixItems were removed." "`prefixItems` removed";
    "contains-added" E I "A contains constraint was added." "`contains: {type: string}` added";
    "contains-removed" I E "The contains constraint was removed." "`contains` removed";
    "min-contains-increased" E I "minContains increased." "`minContains: 1` -> `2`";
    "min-contains-decreased" I E "minContains decreased." "`minContains: 2` -> `1`";
    "max-contains-increased" I E "maxContains increased." "`maxContains: 2` -> `3`";
    "max-contains-decreased" E I "maxContains decreased." "`maxContains: 3` -> `2`";
    "dependent-required-added" E I "A dependentRequired entry was added." "`dependentRequired: {card: [cvc]}` added";
    "dependent-required-removed" I E "A dependentRequired entry was removed." "`dependentRequired` entry `card` removed";
    "dependent-required-changed" E E "A dependentRequired entry changed." "`card: [cvc]` -> `card: [cvc, zip]`";
    "dependent-schema-added" E I "A dependentSchemas entry was added." "`dependentSchemas: {card: {...}}` added";
    "dependent-schema-removed" I E "A dependentSchemas entry was removed." "`dependentSchemas` entry `card` removed";
    "pattern-property-added" E I "A patternProperties entry was added." "`patternProperties: {^x-: {...}}` added";
    "pattern-property-removed" I E "A patternProperties entry was removed." "`patternProperties` entry `^x-` removed";
    "property-names-added" E I "A propertyNames constraint was added." "`propertyNames: {pattern: ^[a-z]+$}` added";
    "property-names-removed" I E "The propertyNames constraint was removed." "`propertyNames` removed";
    "unevaluated-items-added" E I "unevaluatedItems was added." "`unevaluatedItems: false` added";
    "unevaluated-items-removed" I E "unevaluatedItems was removed." "`unevaluatedItems` removed";
    "unevaluated-properties-added" E I "unevaluatedProperties was added." "`unevaluatedProperties: false` added";
    "unevaluated-properties-removed" I E "unevaluatedProperties was removed." "`unevaluatedProperties` removed";
    "content-schema-added" E I "A contentSchema was added." "`contentSchema` added";
    "content-schema-removed" I E "The contentSchema was removed." "`contentSchema` removed";
    "content-media-type-changed" E E "contentMediaType changed." "`contentMediaType: image/png` -> `image/jpeg`";
    "content-encoding-changed" E E "contentEncoding changed." "`contentEncoding: base64` -> `base32`";
    "format-changed" W W "The format changed." "`format: date` -> `format: date-time`";
    "discriminator-added" I I "A discriminator was added." "`discriminator: {propertyName: kind}` added";
    "discriminator-removed" I I "The discriminator was removed." "`discriminator` removed";
    "discriminator-property-name-changed" I I "The discriminator's property changed." "`propertyName: kind` -> `type`";
    "discriminator-mapping-added" I I "A discriminator mapping entry was added." "`mapping: {dog: Dog}` added";
    "discriminator-mapping-deleted" I I "A discriminator mapping entry was removed." "`mapping` entry `dog` removed";
    "discriminator-mapping-changed" I I "A discriminator mapping entry points elsewhere." "`dog: Dog` -> `dog: Hound`";
}

pub const SCHEMA_PREFIXES: &[(&str, bool)] = &[
    ("request-parameter", true),
    ("request-body", true),
    ("request-property", true),
    ("request-header-property", true),
    ("response-body", false),
    ("response-property", false),
    ("response-header", false),
];

/// Composed schema ids that oasdiff names otherwise, reported under its name.
const RENAMED: &[(&str, &str)] = &[(
    "response-body-enum-value-removed",
    "response-mediatype-enum-value-removed",
)];

/// The id of a schema change at a position: `<prefix>-<suffix>`, or oasdiff's name for it.
pub fn schema_id(prefix: &str, suffix: &str) -> String {
    let id = format!("{prefix}-{suffix}");
    RENAMED
        .iter()
        .find(|(composed, _)| *composed == id)
        .map_or(id, |(_, name)| (*name).to_owned())
}

/// The level of a rule id, whether fixed or composed from a schema change.
pub fn level_of(id: &str) -> Option<Level> {
    if let Some(rule) = RULES.iter().chain(CODE_RULES).find(|rule| rule.id == id) {
        return Some(rule.level);
    }
    let id = RENAMED
        .iter()
        .find(|(_, name)| *name == id)
        .map_or(id, |(composed, _)| composed);
    SCHEMA_PREFIXES.iter().find_map(|(prefix, request)| {
        let suffix = id.strip_prefix(prefix)?.strip_prefix('-')?;
        let (_, request_level, response_level, ..) =
            SCHEMA_CHANGES.iter().find(|(s, ..)| *s == suffix)?;
        Some(if *request {
            *request_level
        } else {
            *response_level
        })
    })
}

/// docs/rules.md: how levels work, then every rule.
pub fn document() -> String {
    format!(
        "# Breaking-change rules\n\n\
         <!-- Auto-generated by `cargo xtask docs` from crates/contracts-diff/src/rules.rs. Do not edit. -->\n\n\
         `contracts diff` and `contracts check` report each change with one of these ids. Ids are oasdiff's \
         wherever the meaning is the same. Levels: `error` breaks clients, `warning` may break them, `info` \
         does not. Schema rules are named `<position>-<change>`: what a client sends (`request-*`) may only \
         get looser, what it receives (`response-*`) only tighter, so the same change has opposite levels on \
         the two sides. Example: `request-property-max-decreased` (error) — a request property's `maximum` \
         went from 10 to 5, so a client sending 7 is now rejected.\n\n{}\n\
         ## Code rules\n\n\
         The `code` category (`diff --category code|all`, `[check] categories`): changes invisible on the \
         wire that break code generated from the spec, which a wire rule never reports. Renaming a \
         component or an operationId is not a change on the wire; it renames what the generators emit.\n\n{}",
        markdown_table(),
        rule_rows(CODE_RULES)
    )
}

/// Rules as Markdown table rows, with the header.
fn rule_rows(rules: &[Rule]) -> String {
    let mut out = String::from("| Rule id | Level | Meaning | Example |\n|---|---|---|---|\n");
    for rule in rules {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            rule.id,
            rule.level.as_str(),
            rule.description,
            rule.example
        ));
    }
    out
}

/// Every rule as a Markdown table.
pub fn markdown_table() -> String {
    let mut out = rule_rows(RULES);
    for (prefix, request) in SCHEMA_PREFIXES {
        for (suffix, request_level, response_level, description, example) in SCHEMA_CHANGES {
            let level = if *request {
                request_level
            } else {
                response_level
            };
            out.push_str(&format!(
                "| `{}` | {} | {description} | {example} |\n",
                schema_id(prefix, suffix),
                level.as_str()
            ));
        }
    }
    out
}

/// oasdiff's ids for removing something that may be deprecated.
pub(crate) struct RemovalIds {
    pub(crate) without_deprecation: &'static str,
    pub(crate) with_deprecation: &'static str,
    pub(crate) before_sunset: &'static str,
    pub(crate) sunset_invalid: &'static str,
}

/// oasdiff's ids for something becoming deprecated (or no longer).
pub(crate) struct DeprecationIds {
    pub(crate) deprecated: &'static str,
    pub(crate) with_sunset: &'static str,
    pub(crate) sunset_missing: &'static str,
    pub(crate) sunset_invalid: &'static str,
    pub(crate) sunset_too_soon: &'static str,
    pub(crate) reactivated: &'static str,
}

/// oasdiff's ids for a deprecated thing's `x-sunset` changing.
pub(crate) struct SunsetChangeIds {
    pub(crate) deleted: &'static str,
    pub(crate) invalid: &'static str,
    pub(crate) moved_too_soon: &'static str,
}

pub(crate) const REQUEST_PROPERTY_DEPRECATION: DeprecationIds = DeprecationIds {
    deprecated: REQUEST_PROPERTY_DEPRECATED,
    with_sunset: REQUEST_PROPERTY_DEPRECATED_WITH_SUNSET,
    sunset_missing: REQUEST_PROPERTY_DEPRECATED_SUNSET_MISSING,
    sunset_invalid: REQUEST_PROPERTY_DEPRECATED_SUNSET_INVALID,
    sunset_too_soon: REQUEST_PROPERTY_SUNSET_DATE_TOO_SMALL,
    reactivated: REQUEST_PROPERTY_REACTIVATED,
};

pub(crate) const RESPONSE_PROPERTY_DEPRECATION: DeprecationIds = DeprecationIds {
    deprecated: RESPONSE_PROPERTY_DEPRECATED,
    with_sunset: RESPONSE_PROPERTY_DEPRECATED_WITH_SUNSET,
    sunset_missing: RESPONSE_PROPERTY_DEPRECATED_SUNSET_MISSING,
    sunset_invalid: RESPONSE_PROPERTY_DEPRECATED_SUNSET_INVALID,
    sunset_too_soon: RESPONSE_PROPERTY_SUNSET_DATE_TOO_SMALL,
    reactivated: RESPONSE_PROPERTY_REACTIVATED,
};

pub(crate) const PATH_REMOVAL: RemovalIds = RemovalIds {
    without_deprecation: API_PATH_REMOVED_WITHOUT_DEPRECATION,
    with_deprecation: API_PATH_REMOVED_WITH_DEPRECATION,
    before_sunset: API_PATH_REMOVED_BEFORE_SUNSET,
    sunset_invalid: API_PATH_SUNSET_PARSE,
};

pub(crate) const OPERATION_REMOVAL: RemovalIds = RemovalIds {
    without_deprecation: API_REMOVED_WITHOUT_DEPRECATION,
    with_deprecation: API_REMOVED_WITH_DEPRECATION,
    before_sunset: API_REMOVED_BEFORE_SUNSET,
    sunset_invalid: API_DEPRECATED_SUNSET_PARSE,
};

pub(crate) const PARAMETER_REMOVAL: RemovalIds = RemovalIds {
    without_deprecation: REQUEST_PARAMETER_REMOVED,
    with_deprecation: REQUEST_PARAMETER_REMOVED_WITH_DEPRECATION,
    before_sunset: REQUEST_PARAMETER_REMOVED_BEFORE_SUNSET,
    sunset_invalid: REQUEST_PARAMETER_SUNSET_PARSE,
};

pub(crate) const OPERATION_DEPRECATION: DeprecationIds = DeprecationIds {
    deprecated: ENDPOINT_DEPRECATED,
    with_sunset: ENDPOINT_DEPRECATED_WITH_SUNSET,
    sunset_missing: API_DEPRECATED_SUNSET_MISSING,
    sunset_invalid: API_DEPRECATED_SUNSET_PARSE,
    sunset_too_soon: API_SUNSET_DATE_TOO_SMALL,
    reactivated: ENDPOINT_REACTIVATED,
};

pub(crate) const PARAMETER_DEPRECATION: DeprecationIds = DeprecationIds {
    deprecated: REQUEST_PARAMETER_DEPRECATED,
    // oasdiff has one id for deprecations with and without a sunset.
    with_sunset: REQUEST_PARAMETER_DEPRECATED,
    sunset_missing: REQUEST_PARAMETER_DEPRECATED_SUNSET_MISSING,
    sunset_invalid: REQUEST_PARAMETER_SUNSET_PARSE,
    sunset_too_soon: REQUEST_PARAMETER_SUNSET_DATE_TOO_SMALL,
    reactivated: REQUEST_PARAMETER_REACTIVATED,
};

pub(crate) const OPERATION_SUNSET_CHANGE: SunsetChangeIds = SunsetChangeIds {
    deleted: SUNSET_DELETED,
    invalid: API_PATH_SUNSET_PARSE,
    moved_too_soon: API_SUNSET_DATE_CHANGED_TOO_SMALL,
};

pub(crate) const PARAMETER_SUNSET_CHANGE: SunsetChangeIds = SunsetChangeIds {
    deleted: REQUEST_PARAMETER_SUNSET_DELETED,
    invalid: REQUEST_PARAMETER_SUNSET_PARSE,
    moved_too_soon: REQUEST_PARAMETER_SUNSET_DATE_CHANGED_TOO_SMALL,
};

#[cfg(test)]
mod tests {
    use super::{CODE_NAMES, NAMES};

    /// A constant is its id in capitals, `-` as `_`: a row cannot name one rule and report another.
    #[test]
    fn constants_spell_their_ids() {
        for (name, id) in NAMES.iter().chain(CODE_NAMES) {
            assert_eq!(*name, id.to_uppercase().replace('-', "_"), "{id}");
        }
    }
}
