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
}

use Level::{Error as E, Info as I, Warning as W};

macro_rules! rules {
    ($($id:literal $level:ident $description:literal;)*) => {
        pub const RULES: &[Rule] = &[$(Rule { id: $id, level: $level, description: $description }),*];
    };
}

rules! {
    // Endpoints.
    "api-path-removed-without-deprecation" E "A path was removed without being deprecated first.";
    "api-path-removed-with-deprecation" I "A deprecated path was removed.";
    "api-removed-without-deprecation" E "An operation was removed without being deprecated first.";
    "api-removed-with-deprecation" I "A deprecated operation was removed.";
    "endpoint-added" I "An operation was added.";
    "endpoint-deprecated" I "An operation was deprecated.";
    "endpoint-reactivated" I "A deprecated operation is no longer deprecated.";
    "api-operation-id-removed" I "An operation's operationId was removed or changed.";
    "api-operation-id-added" I "An operation got an operationId.";
    "api-tag-removed" I "An operation lost a tag.";
    "api-tag-added" I "An operation got a tag.";
    "api-security-removed" I "An operation's security requirement was removed.";
    "api-security-added" I "An operation got a security requirement.";
    "request-path-parameter-renamed" I "A path parameter was renamed (`/users/{id}` -> `/users/{userId}`): not a change for clients.";
    // Parameters.
    "new-required-request-parameter" E "A required parameter was added.";
    "new-optional-request-parameter" I "An optional parameter was added.";
    "request-parameter-removed" W "A parameter was removed; clients still sending it may be rejected.";
    "request-parameter-removed-with-deprecation" I "A deprecated parameter was removed.";
    "request-parameter-became-required" E "An optional parameter became required.";
    "request-parameter-became-optional" I "A required parameter became optional.";
    // Request bodies.
    "request-body-added-required" E "A required request body was added.";
    "request-body-added-optional" I "An optional request body was added.";
    "request-body-removed" E "The request body was removed.";
    "request-body-became-required" E "The request body became required.";
    "request-body-became-optional" I "The request body became optional.";
    "request-body-media-type-added" I "The request body accepts a new media type.";
    "request-body-media-type-removed" E "The request body no longer accepts a media type.";
    "new-required-request-property" E "A required request property was added.";
    "new-optional-request-property" I "An optional request property was added.";
    "request-property-removed" W "A request property was removed.";
    "request-property-became-required" E "A request property became required.";
    "request-property-became-optional" I "A request property became optional.";
    // Responses.
    "response-success-status-removed" E "A success status (2XX) was removed.";
    "response-success-status-added" I "A success status was added.";
    "response-non-success-status-removed" I "A non-success status was removed.";
    "response-non-success-status-added" I "A non-success status was added.";
    "response-media-type-removed" E "A response media type was removed.";
    "response-media-type-added" I "A response media type was added.";
    "response-required-property-removed" E "A required response property was removed.";
    "response-optional-property-removed" W "An optional response property was removed.";
    "response-required-property-added" I "A required response property was added.";
    "response-optional-property-added" I "An optional response property was added.";
    "response-property-became-optional" E "A required response property became optional.";
    "response-property-became-required" I "An optional response property became required.";
    "response-header-removed" E "A required response header was removed.";
    "response-header-added" I "A response header was added.";
    "response-header-became-optional" E "A required response header became optional.";
    // Webhooks (3.1).
    "webhook-added" I "A webhook was added.";
    "webhook-removed" E "A webhook was removed.";
}

/// Schema keyword changes, reported with a position prefix
/// (`request-parameter`, `request-body`, `request-property`, `response-body`,
/// `response-property`, `response-header`): suffix, level in requests, level
/// in responses, meaning. What a client sends may only get looser; what it
/// receives may only get tighter.
pub const SCHEMA_CHANGES: &[(&str, Level, Level, &str)] = &[
    ("type-changed", E, E, "The type changed."),
    (
        "type-generalized",
        I,
        E,
        "The type was widened (integer -> number).",
    ),
    ("became-nullable", I, E, "null became a valid value."),
    (
        "became-not-nullable",
        E,
        I,
        "null is no longer a valid value.",
    ),
    (
        "became-enum",
        E,
        I,
        "The value became restricted to an enum.",
    ),
    ("enum-value-added", I, W, "An enum value was added."),
    ("enum-value-removed", E, I, "An enum value was removed."),
    ("const-changed", E, E, "The const value changed."),
    ("max-increased", I, E, "maximum increased."),
    ("max-decreased", E, I, "maximum decreased."),
    ("max-set", W, I, "A maximum was set."),
    ("min-increased", E, I, "minimum increased."),
    ("min-decreased", I, E, "minimum decreased."),
    ("min-set", W, I, "A minimum was set."),
    (
        "exclusive-max-increased",
        I,
        E,
        "exclusiveMaximum increased.",
    ),
    (
        "exclusive-max-decreased",
        E,
        I,
        "exclusiveMaximum decreased.",
    ),
    ("exclusive-max-set", W, I, "An exclusiveMaximum was set."),
    (
        "exclusive-min-increased",
        E,
        I,
        "exclusiveMinimum increased.",
    ),
    (
        "exclusive-min-decreased",
        I,
        E,
        "exclusiveMinimum decreased.",
    ),
    ("exclusive-min-set", W, I, "An exclusiveMinimum was set."),
    ("max-length-increased", I, E, "maxLength increased."),
    ("max-length-decreased", E, I, "maxLength decreased."),
    ("max-length-set", W, I, "A maxLength was set."),
    ("min-length-increased", E, I, "minLength increased."),
    ("min-length-decreased", I, E, "minLength decreased."),
    ("min-length-set", W, I, "A minLength was set."),
    ("max-items-increased", I, E, "maxItems increased."),
    ("max-items-decreased", E, I, "maxItems decreased."),
    ("max-items-set", W, I, "A maxItems was set."),
    ("min-items-increased", E, I, "minItems increased."),
    ("min-items-decreased", I, E, "minItems decreased."),
    ("min-items-set", W, I, "A minItems was set."),
    ("pattern-added", E, I, "A pattern was added."),
    ("pattern-removed", I, I, "The pattern was removed."),
    ("pattern-changed", W, I, "The pattern changed."),
    ("one-of-added", I, E, "A oneOf branch was added."),
    ("one-of-removed", E, I, "A oneOf branch was removed."),
    ("any-of-added", I, I, "An anyOf branch was added."),
    ("any-of-removed", E, I, "An anyOf branch was removed."),
    (
        "all-of-added",
        E,
        I,
        "An allOf part that changes the meaning was added.",
    ),
    (
        "all-of-removed",
        W,
        I,
        "An allOf part that changes the meaning was removed.",
    ),
    ("default-value-changed", I, I, "The default value changed."),
    (
        "wrapped-in-one-of",
        E,
        E,
        "The schema was wrapped in a oneOf.",
    ),
    (
        "x-extensible-enum-value-removed",
        E,
        I,
        "A value of the `x-extensible-enum` extension was removed.",
    ),
    ("prefix-items-added", I, E, "prefixItems were added."),
    ("prefix-items-removed", E, I, "prefixItems were removed."),
    ("contains-added", E, I, "A contains constraint was added."),
    (
        "contains-removed",
        I,
        E,
        "The contains constraint was removed.",
    ),
    ("min-contains-increased", E, I, "minContains increased."),
    ("min-contains-decreased", I, E, "minContains decreased."),
    ("max-contains-increased", I, E, "maxContains increased."),
    ("max-contains-decreased", E, I, "maxContains decreased."),
    (
        "dependent-required-added",
        E,
        I,
        "A dependentRequired entry was added.",
    ),
    (
        "dependent-required-removed",
        I,
        E,
        "A dependentRequired entry was removed.",
    ),
    (
        "dependent-required-changed",
        E,
        E,
        "A dependentRequired entry changed.",
    ),
    (
        "dependent-schema-added",
        E,
        I,
        "A dependentSchemas entry was added.",
    ),
    (
        "dependent-schema-removed",
        I,
        E,
        "A dependentSchemas entry was removed.",
    ),
    (
        "pattern-property-added",
        E,
        I,
        "A patternProperties entry was added.",
    ),
    (
        "pattern-property-removed",
        I,
        E,
        "A patternProperties entry was removed.",
    ),
    (
        "property-names-added",
        E,
        I,
        "A propertyNames constraint was added.",
    ),
    (
        "property-names-removed",
        I,
        E,
        "The propertyNames constraint was removed.",
    ),
    (
        "unevaluated-items-added",
        E,
        I,
        "unevaluatedItems was added.",
    ),
    (
        "unevaluated-items-removed",
        I,
        E,
        "unevaluatedItems was removed.",
    ),
    (
        "unevaluated-properties-added",
        E,
        I,
        "unevaluatedProperties was added.",
    ),
    (
        "unevaluated-properties-removed",
        I,
        E,
        "unevaluatedProperties was removed.",
    ),
    ("content-schema-added", E, I, "A contentSchema was added."),
    (
        "content-schema-removed",
        I,
        E,
        "The contentSchema was removed.",
    ),
    (
        "content-media-type-changed",
        E,
        E,
        "contentMediaType changed.",
    ),
    ("content-encoding-changed", E, E, "contentEncoding changed."),
];

pub const SCHEMA_PREFIXES: &[(&str, bool)] = &[
    ("request-parameter", true),
    ("request-body", true),
    ("request-property", true),
    ("response-body", false),
    ("response-property", false),
    ("response-header", false),
];

/// The level of a rule id, whether fixed or composed from a schema change.
pub fn level_of(id: &str) -> Option<Level> {
    if let Some(rule) = RULES.iter().find(|rule| rule.id == id) {
        return Some(rule.level);
    }
    SCHEMA_PREFIXES.iter().find_map(|(prefix, request)| {
        let suffix = id.strip_prefix(prefix)?.strip_prefix('-')?;
        let (_, request_level, response_level, _) =
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
         <!-- Auto-generated by `cargo xtask rules` from crates/contracts-diff/src/rules.rs. Do not edit. -->\n\n\
         `contracts diff` and `contracts check` report each change with one of these ids. Ids are oasdiff's \
         wherever the meaning is the same. Levels: `error` breaks clients, `warning` may break them, `info` \
         does not. Schema rules are named `<position>-<change>`: what a client sends (`request-*`) may only \
         get looser, what it receives (`response-*`) only tighter, so the same change has opposite levels on \
         the two sides. Example: `request-property-max-decreased` (error) — a request property's `maximum` \
         went from 10 to 5, so a client sending 7 is now rejected.\n\n{}",
        markdown_table()
    )
}

/// Every rule as a Markdown table.
pub fn markdown_table() -> String {
    let mut out = String::from("| Rule id | Level | Meaning |\n|---|---|---|\n");
    for rule in RULES {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            rule.id,
            rule.level.as_str(),
            rule.description
        ));
    }
    for (prefix, request) in SCHEMA_PREFIXES {
        for (suffix, request_level, response_level, description) in SCHEMA_CHANGES {
            let level = if *request {
                request_level
            } else {
                response_level
            };
            out.push_str(&format!(
                "| `{prefix}-{suffix}` | {} | {description} |\n",
                level.as_str()
            ));
        }
    }
    out
}
