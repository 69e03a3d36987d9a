//! Breaking-change detection between two contracts.
//!
//! Operations are matched by method and path shape (so a renamed path
//! parameter is a rename, not a removal), then compared direction by
//! direction: what a client sends (parameters, request bodies) may only get
//! looser, what it receives (responses) only tighter. Schemas are compared by
//! meaning: refs are followed, `allOf` parts are merged before comparing, and
//! descriptions, examples and key order never count.
//!
//! Architecture invariant: pure. Two contracts in, a list of changes out;
//! the one outside input, today's date for `x-sunset`, is a parameter of
//! [`diff_with`] ([`diff`] reads the system clock).

mod branches;
pub mod lifecycle;
pub mod rules;

use std::collections::{BTreeSet, HashMap, HashSet};

use contracts_diagnostics::Location;
use contracts_model::{
    Contract, Loc, MediaType, Method, Operation, Parameter, ParameterLocation, Response, Schema,
    SchemaObject, StatusCode, Type, template_names, template_shape,
};
use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;

pub use lifecycle::{Date, Policy};
pub use rules::Level;

use lifecycle::{Stability, Sunset};

/// One change between base and revision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub id: String,
    pub level: Level,
    /// `GET /users/{id}`, when the change concerns an operation.
    pub operation: Option<String>,
    pub message: String,
    pub base: Option<Location>,
    pub revision: Option<Location>,
    /// Why a breaking change is allowed (major version bump, `x-contracts-allow-breaking`).
    pub allowed: Option<String>,
}

/// All changes from `base` to `revision`, in operation order; sunsets are
/// compared with today's date and oasdiff's default policy.
pub fn diff(base: &Contract, revision: &Contract) -> Vec<Change> {
    diff_with(base, revision, &Policy::today())
}

/// [`diff`] with the date and deprecation policy given.
pub fn diff_with(base: &Contract, revision: &Contract, policy: &Policy) -> Vec<Change> {
    let mut engine = Engine {
        base,
        revision,
        policy: *policy,
        deprecation_days: 0,
        changes: Vec::new(),
        same_meaning: HashMap::new(),
        clean: HashSet::new(),
        nested_checks: 0,
    };
    engine.operations();
    allow_breaking(base, revision, &mut engine.changes);
    engine.changes
}

/// A major version bump, or `x-contracts-allow-breaking: "reason"` on the
/// revision's operation, turns errors into warnings that carry the reason.
fn allow_breaking(base: &Contract, revision: &Contract, changes: &mut [Change]) {
    let major = |version: &str| {
        version
            .trim_start_matches('v')
            .split('.')
            .next()?
            .parse::<u64>()
            .ok()
    };
    let bumped = match (major(&base.info.version), major(&revision.info.version)) {
        (Some(old), Some(new)) if new > old => Some(format!(
            "major version bump {} -> {}",
            base.info.version, revision.info.version
        )),
        _ => None,
    };
    for change in changes
        .iter_mut()
        .filter(|change| change.level == Level::Error)
    {
        let reason = change
            .operation
            .as_deref()
            .and_then(|label| {
                revision
                    .operations
                    .iter()
                    .find(|operation| operation.label() == label)
            })
            .and_then(|operation| operation.extensions.get("x-contracts-allow-breaking"))
            .map(|reason| match reason {
                Value::String(text) => format!("allowed: {text}"),
                other => format!("allowed: {other}"),
            })
            .or_else(|| bumped.clone());
        if let Some(reason) = reason {
            change.level = Level::Warning;
            change.allowed = Some(reason);
        }
    }
}

/// Two schemas by address (see [`Engine::resolved_key`]).
type PairKey = (usize, usize, bool, u32);

struct Engine<'c> {
    base: &'c Contract,
    revision: &'c Contract,
    policy: Policy,
    /// The policy's minimum sunset distance for the operation being compared.
    deprecation_days: u32,
    changes: Vec<Change>,
    /// Pairs of resolved schemas judged to mean the same, to match union
    /// branches (see `branches.rs`).
    same_meaning: HashMap<PairKey, bool>,
    /// Pairs a finished walk compared without finding a change.
    clean: HashSet<PairKey>,
    /// How many of those judgements are running, one inside the other.
    nested_checks: usize,
}

/// oasdiff's ids for removing something that may be deprecated.
struct RemovalIds {
    without_deprecation: &'static str,
    with_deprecation: &'static str,
    before_sunset: &'static str,
    sunset_invalid: &'static str,
}

/// oasdiff's ids for something becoming deprecated (or no longer).
struct DeprecationIds {
    deprecated: &'static str,
    with_sunset: &'static str,
    sunset_missing: &'static str,
    sunset_invalid: &'static str,
    sunset_too_soon: &'static str,
    reactivated: &'static str,
}

/// oasdiff's ids for a deprecated thing's `x-sunset` changing.
struct SunsetChangeIds {
    deleted: &'static str,
    invalid: &'static str,
    moved_too_soon: &'static str,
}

const REQUEST_PROPERTY_DEPRECATION: DeprecationIds = DeprecationIds {
    deprecated: "request-property-deprecated",
    with_sunset: "request-property-deprecated-with-sunset",
    sunset_missing: "request-property-deprecated-sunset-missing",
    sunset_invalid: "request-property-deprecated-sunset-invalid",
    sunset_too_soon: "request-property-sunset-date-too-small",
    reactivated: "request-property-reactivated",
};

const RESPONSE_PROPERTY_DEPRECATION: DeprecationIds = DeprecationIds {
    deprecated: "response-property-deprecated",
    with_sunset: "response-property-deprecated-with-sunset",
    sunset_missing: "response-property-deprecated-sunset-missing",
    sunset_invalid: "response-property-deprecated-sunset-invalid",
    sunset_too_soon: "response-property-sunset-date-too-small",
    reactivated: "response-property-reactivated",
};

/// Where in an operation a schema sits, for rule ids and messages.
#[derive(Clone)]
struct Position {
    /// `request-body`, `request-property`, `response-header`, ...
    prefix: &'static str,
    /// The prefix of the properties below: oasdiff names a header parameter's apart.
    property_prefix: &'static str,
    request: bool,
    /// Property path below the position's root (`items/name`), for messages.
    path: String,
    operation: String,
}

impl Position {
    fn property(&self, name: &str) -> Position {
        let path = if self.path.is_empty() {
            name.to_owned()
        } else {
            format!("{}/{name}", self.path)
        };
        Position {
            prefix: self.property_prefix,
            property_prefix: self.property_prefix,
            request: self.request,
            path,
            operation: self.operation.clone(),
        }
    }

    fn describe(&self) -> String {
        if self.path.is_empty() {
            self.prefix.replace('-', " ")
        } else {
            format!("{} `{}`", self.prefix.replace('-', " "), self.path)
        }
    }
}

/// A pair of schemas to compare, met while comparing the pair above it.
struct Deferred<'c> {
    /// How many changes had been reported when the pair was met.
    after: usize,
    old: &'c Schema,
    new: &'c Schema,
    position: Position,
}

/// The schema walk's work: a pair to compare, or a change reported by a
/// pair above after it met this step's sub-schemas.
enum Step<'c> {
    Compare(Deferred<'c>),
    Report(Change),
}

impl<'c> Engine<'c> {
    fn location(contract: &Contract, loc: &Loc) -> Location {
        Location::new(contract.file(loc.file), loc.pointer.clone())
    }

    fn report(
        &mut self,
        id: &str,
        operation: Option<&str>,
        message: String,
        base: Option<&Loc>,
        revision: Option<&Loc>,
    ) {
        let level =
            rules::level_of(id).unwrap_or_else(|| panic!("rule `{id}` is not in the rule table"));
        self.changes.push(Change {
            id: id.to_owned(),
            level,
            operation: operation.map(str::to_owned),
            message,
            base: base.map(|loc| Self::location(self.base, loc)),
            revision: revision.map(|loc| Self::location(self.revision, loc)),
            allowed: None,
        });
    }

    // ---- lifecycle: x-stability-level, deprecated, x-sunset -----------------------

    /// A matched operation's `x-stability-level`: invalid levels and
    /// changes are reported. `None` when the revision is draft or alpha, whose
    /// other changes are not reported; otherwise the revision's level.
    fn stability(
        &mut self,
        old: &Operation,
        new: &Operation,
        label: &str,
    ) -> Option<Option<Stability>> {
        let locs = (Some(&old.loc), Some(&new.loc));
        let (before, after) = (
            Stability::of(&old.extensions),
            Stability::of(&new.extensions),
        );
        let unchanged =
            old.extensions.get("x-stability-level") == new.extensions.get("x-stability-level");
        // An invalid level is reported where it changes: a spec never differs from itself.
        if let Some(raw) = before.as_ref().err().or(after.as_ref().err())
            && !unchanged
        {
            self.report(
                "api-invalid-stability-level",
                Some(label),
                format!("x-stability-level `{raw}` is not draft, alpha, beta or stable"),
                locs.0,
                locs.1,
            );
        } else if let (Ok(before), Ok(after)) = (before, &after) {
            let name = |level: Option<Stability>| level.map_or("none", Stability::as_str);
            let message = format!("x-stability-level {} became {}", name(before), name(*after));
            // Dropping the level drops its promise too, as oasdiff counts it.
            let id = match (before, *after) {
                (Some(_), None) => Some("api-stability-decreased"),
                (Some(b), Some(a)) if a < b => Some("api-stability-decreased"),
                (Some(b), Some(a)) if a > b => Some("api-stability-increased"),
                _ => None,
            };
            if let Some(id) = id {
                self.report(id, Some(label), message, locs.0, locs.1);
            }
        }
        let after = after.unwrap_or(None);
        (!Stability::may_change_freely(after)).then_some(after)
    }

    /// The id for removing something: removing a deprecated thing is fine
    /// once its `x-sunset` has passed (or when it has none), breaking before.
    /// Also a note for the message.
    fn removal(
        &self,
        deprecated: bool,
        extensions: Option<&IndexMap<String, Value>>,
        ids: &RemovalIds,
    ) -> (&'static str, String) {
        if !deprecated {
            return (ids.without_deprecation, String::new());
        }
        match Sunset::of(extensions) {
            Sunset::Missing => (ids.with_deprecation, String::new()),
            Sunset::Invalid(raw) => (
                ids.sunset_invalid,
                format!(", and its x-sunset `{raw}` is not a date"),
            ),
            Sunset::Date(date) if date > self.policy.today => {
                (ids.before_sunset, " before its x-sunset date".into())
            }
            Sunset::Date(_) => (ids.with_deprecation, " after its x-sunset date".into()),
        }
    }

    /// `deprecated` turned on (checked against the policy's sunset distance) or off.
    fn deprecation(
        &mut self,
        (before, after): (bool, bool),
        extensions: Option<&IndexMap<String, Value>>,
        ids: &DeprecationIds,
        (operation, what): (&str, &str),
        (old_loc, new_loc): (Option<&Loc>, Option<&Loc>),
    ) {
        let days = self.deprecation_days;
        let (id, message) = match (before, after) {
            (true, false) => (ids.reactivated, format!("{what} is no longer deprecated")),
            (false, true) => match Sunset::of(extensions) {
                Sunset::Missing if days > 0 => (
                    ids.sunset_missing,
                    format!(
                        "{what} was deprecated without an x-sunset date ({days} days' notice required)"
                    ),
                ),
                Sunset::Missing => (ids.deprecated, format!("{what} was deprecated")),
                Sunset::Invalid(raw) => (
                    ids.sunset_invalid,
                    format!("{what} was deprecated with x-sunset `{raw}`, which is not a date"),
                ),
                Sunset::Date(date)
                    if lifecycle::days_between(self.policy.today, date) < i64::from(days) =>
                {
                    (
                        ids.sunset_too_soon,
                        format!(
                            "{what} was deprecated with its x-sunset date {} days away ({days} required)",
                            lifecycle::days_between(self.policy.today, date)
                        ),
                    )
                }
                Sunset::Date(_) => (
                    ids.with_sunset,
                    format!("{what} was deprecated with an x-sunset date"),
                ),
            },
            _ => return,
        };
        self.report(id, Some(operation), message, old_loc, new_loc);
    }

    /// A deprecated thing's `x-sunset` was deleted, made unreadable, or
    /// moved earlier than the policy allows.
    fn sunset_change(
        &mut self,
        (old, new): (&IndexMap<String, Value>, &IndexMap<String, Value>),
        ids: &SunsetChangeIds,
        (operation, what): (&str, &str),
        (old_loc, new_loc): (Option<&Loc>, Option<&Loc>),
    ) {
        if old.get("x-sunset") == new.get("x-sunset") {
            return;
        }
        let days = i64::from(self.deprecation_days);
        let (id, message) = match (Sunset::of(Some(old)), Sunset::of(Some(new))) {
            (Sunset::Missing, _) => return,
            (_, Sunset::Missing) => (ids.deleted, format!("{what} lost its x-sunset date")),
            (Sunset::Invalid(raw), _) | (_, Sunset::Invalid(raw)) => (
                ids.invalid,
                format!("{what}: x-sunset `{raw}` is not a date"),
            ),
            (Sunset::Date(before), Sunset::Date(after))
                if after < before && lifecycle::days_between(self.policy.today, after) < days =>
            {
                (
                    ids.moved_too_soon,
                    format!("{what}: x-sunset moved earlier, to fewer than {days} days away"),
                )
            }
            _ => return,
        };
        self.report(id, Some(operation), message, old_loc, new_loc);
    }

    // ---- operations -----------------------------------------------------------

    fn operations(&mut self) {
        let partners = match_operations(&self.base.operations, &self.revision.operations);
        let revision_shapes: HashSet<String> = self
            .revision
            .operations
            .iter()
            .map(|o| template_shape(&o.path))
            .collect();
        for (old, partner) in self.base.operations.iter().zip(&partners) {
            let label = old.label();
            match partner {
                Some(new) => self.operation(old, &self.revision.operations[*new]),
                None => {
                    let path_gone = !revision_shapes.contains(&template_shape(&old.path));
                    let ids = if path_gone {
                        RemovalIds {
                            without_deprecation: "api-path-removed-without-deprecation",
                            with_deprecation: "api-path-removed-with-deprecation",
                            before_sunset: "api-path-removed-before-sunset",
                            sunset_invalid: "api-path-sunset-parse",
                        }
                    } else {
                        RemovalIds {
                            without_deprecation: "api-removed-without-deprecation",
                            with_deprecation: "api-removed-with-deprecation",
                            before_sunset: "api-removed-before-sunset",
                            sunset_invalid: "api-deprecated-sunset-parse",
                        }
                    };
                    let (id, why) = self.removal(old.deprecated, Some(&old.extensions), &ids);
                    self.report(
                        id,
                        Some(&label),
                        format!("{label} was removed{why}"),
                        Some(&old.loc),
                        None,
                    );
                }
            }
        }
        let matched: HashSet<usize> = partners.iter().flatten().copied().collect();
        for (index, new) in self.revision.operations.iter().enumerate() {
            if !matched.contains(&index) {
                let label = new.label();
                self.report(
                    "endpoint-added",
                    Some(&label),
                    format!("{label} was added"),
                    None,
                    Some(&new.loc),
                );
            }
        }
        self.webhooks();
    }

    /// Webhooks (3.1) by name and method: what the API sends, compared like operations.
    fn webhooks(&mut self) {
        let key = |operation: &Operation| (operation.method, operation.path.clone());
        let revision: IndexMap<(Method, String), &'c Operation> =
            self.revision.webhooks.iter().map(|o| (key(o), o)).collect();
        for old in &self.base.webhooks {
            let label = format!("webhook {}", old.path);
            match revision.get(&key(old)) {
                Some(new) => self.operation(old, new),
                None => self.report(
                    "webhook-removed",
                    Some(&label),
                    format!("{label} was removed"),
                    Some(&old.loc),
                    None,
                ),
            }
        }
        for new in &self.revision.webhooks {
            if !self.base.webhooks.iter().any(|old| key(old) == key(new)) {
                let label = format!("webhook {}", new.path);
                self.report(
                    "webhook-added",
                    Some(&label),
                    format!("{label} was added"),
                    None,
                    Some(&new.loc),
                );
            }
        }
    }

    fn operation(&mut self, old: &'c Operation, new: &'c Operation) {
        let label = new.label();
        let op = Some(label.as_str());
        let Some(stability) = self.stability(old, new, &label) else {
            return;
        };
        self.deprecation_days = self.policy.deprecation_days(stability);
        if old.path != new.path {
            self.report(
                "request-path-parameter-renamed",
                op,
                format!(
                    "path `{}` became `{}`: only parameter names changed",
                    old.path, new.path
                ),
                Some(&old.loc),
                Some(&new.loc),
            );
        }
        let locs = (Some(&old.loc), Some(&new.loc));
        self.deprecation(
            (old.deprecated, new.deprecated),
            Some(&new.extensions),
            &DeprecationIds {
                deprecated: "endpoint-deprecated",
                with_sunset: "endpoint-deprecated-with-sunset",
                sunset_missing: "api-deprecated-sunset-missing",
                sunset_invalid: "api-deprecated-sunset-parse",
                sunset_too_soon: "api-sunset-date-too-small",
                reactivated: "endpoint-reactivated",
            },
            (&label, &label),
            locs,
        );
        if new.deprecated {
            self.sunset_change(
                (&old.extensions, &new.extensions),
                &SunsetChangeIds {
                    deleted: "sunset-deleted",
                    invalid: "api-path-sunset-parse",
                    moved_too_soon: "api-sunset-date-changed-too-small",
                },
                (&label, &label),
                locs,
            );
        }
        match (&old.operation_id, &new.operation_id) {
            (Some(a), Some(b)) if a != b => self.report(
                "api-operation-id-removed",
                op,
                format!("operationId `{a}` became `{b}`"),
                Some(&old.loc),
                Some(&new.loc),
            ),
            (Some(a), None) => self.report(
                "api-operation-id-removed",
                op,
                format!("operationId `{a}` was removed"),
                Some(&old.loc),
                Some(&new.loc),
            ),
            (None, Some(b)) => self.report(
                "api-operation-id-added",
                op,
                format!("operationId `{b}` was added"),
                Some(&old.loc),
                Some(&new.loc),
            ),
            _ => {}
        }
        for tag in old.tags.iter().filter(|tag| !new.tags.contains(tag)) {
            self.report(
                "api-tag-removed",
                op,
                format!("tag `{tag}` was removed"),
                Some(&old.loc),
                Some(&new.loc),
            );
        }
        for tag in new.tags.iter().filter(|tag| !old.tags.contains(tag)) {
            self.report(
                "api-tag-added",
                op,
                format!("tag `{tag}` was added"),
                Some(&old.loc),
                Some(&new.loc),
            );
        }
        let security = |contract: &Contract, operation: &Operation| {
            operation
                .security
                .clone()
                .or_else(|| contract.security.clone())
                .unwrap_or_default()
        };
        let (old_security, new_security) = (security(self.base, old), security(self.revision, new));
        for requirement in old_security.iter().filter(|r| !new_security.contains(r)) {
            let names: Vec<&String> = requirement.keys().collect();
            self.report(
                "api-security-removed",
                op,
                format!("security requirement {names:?} was removed"),
                Some(&old.loc),
                Some(&new.loc),
            );
        }
        for requirement in new_security.iter().filter(|r| !old_security.contains(r)) {
            let names: Vec<&String> = requirement.keys().collect();
            self.report(
                "api-security-added",
                op,
                format!("security requirement {names:?} was added"),
                Some(&old.loc),
                Some(&new.loc),
            );
        }
        self.parameters(old, new, &label);
        self.request_body(old, new, &label);
        self.responses(old, new, &label);
    }

    // ---- parameters -------------------------------------------------------------

    fn parameters(&mut self, old: &'c Operation, new: &'c Operation, label: &str) {
        // Path parameters match by position in the template, so renames are not removals.
        let old_names = template_names(&old.path);
        let new_names = template_names(&new.path);
        let identity = |parameter: &Parameter, names: &[&str]| -> (ParameterLocation, String) {
            match parameter.location {
                ParameterLocation::Path => {
                    match names.iter().position(|name| *name == parameter.name) {
                        Some(index) => (ParameterLocation::Path, format!("#{index}")),
                        None => (ParameterLocation::Path, parameter.name.clone()),
                    }
                }
                ParameterLocation::Header => (
                    ParameterLocation::Header,
                    parameter.name.to_ascii_lowercase(),
                ),
                location => (location, parameter.name.clone()),
            }
        };
        let new_by_identity: IndexMap<_, &Parameter> = new
            .parameters
            .iter()
            .map(|p| (identity(p, &new_names), &**p))
            .collect();
        let old_identities: HashSet<_> = old
            .parameters
            .iter()
            .map(|p| identity(p, &old_names))
            .collect();
        for parameter in &old.parameters {
            let what = format!(
                "{} parameter `{}`",
                parameter.location.as_str(),
                parameter.name
            );
            match new_by_identity.get(&identity(parameter, &old_names)) {
                None => {
                    let (id, why) = self.removal(
                        parameter.deprecated,
                        Some(&parameter.extensions),
                        &RemovalIds {
                            without_deprecation: "request-parameter-removed",
                            with_deprecation: "request-parameter-removed-with-deprecation",
                            before_sunset: "request-parameter-removed-before-sunset",
                            sunset_invalid: "request-parameter-sunset-parse",
                        },
                    );
                    self.report(
                        id,
                        Some(label),
                        format!("{what} was removed{why}"),
                        Some(&parameter.loc),
                        Some(&new.loc),
                    );
                }
                Some(other) => {
                    let locs = (Some(&parameter.loc), Some(&other.loc));
                    self.deprecation(
                        (parameter.deprecated, other.deprecated),
                        Some(&other.extensions),
                        &DeprecationIds {
                            deprecated: "request-parameter-deprecated",
                            // oasdiff has one id for deprecations with and without a sunset.
                            with_sunset: "request-parameter-deprecated",
                            sunset_missing: "request-parameter-deprecated-sunset-missing",
                            sunset_invalid: "request-parameter-sunset-parse",
                            sunset_too_soon: "request-parameter-sunset-date-too-small",
                            reactivated: "request-parameter-reactivated",
                        },
                        (label, &what),
                        locs,
                    );
                    if other.deprecated {
                        self.sunset_change(
                            (&parameter.extensions, &other.extensions),
                            &SunsetChangeIds {
                                deleted: "request-parameter-sunset-deleted",
                                invalid: "request-parameter-sunset-parse",
                                moved_too_soon: "request-parameter-sunset-date-changed-too-small",
                            },
                            (label, &what),
                            locs,
                        );
                    }
                    match (parameter.required, other.required) {
                        (false, true) => self.report(
                            "request-parameter-became-required",
                            Some(label),
                            format!("{what} became required"),
                            Some(&parameter.loc),
                            Some(&other.loc),
                        ),
                        (true, false) => self.report(
                            "request-parameter-became-optional",
                            Some(label),
                            format!("{what} became optional"),
                            Some(&parameter.loc),
                            Some(&other.loc),
                        ),
                        _ => {}
                    }
                    let position = Position {
                        prefix: "request-parameter",
                        property_prefix: match parameter.location {
                            ParameterLocation::Header => "request-header-property",
                            _ => "request-property",
                        },
                        request: true,
                        path: String::new(),
                        operation: label.to_owned(),
                    };
                    if let (Some(a), Some(b)) =
                        (parameter_schema(parameter), parameter_schema(other))
                    {
                        self.schema(a, b, &position.clone_with_path(&parameter.name));
                    }
                }
            }
        }
        for parameter in &new.parameters {
            if old_identities.contains(&identity(parameter, &new_names)) {
                continue;
            }
            let what = format!(
                "{} parameter `{}`",
                parameter.location.as_str(),
                parameter.name
            );
            // Declared on the path item: it applies to every operation of an existing path.
            let path_level = parameter.loc.pointer.starts_with("/paths/")
                && parameter.loc.pointer.split('/').nth(3) == Some("parameters");
            let id = if path_level {
                if parameter.required {
                    "new-required-request-default-parameter-to-existing-path"
                } else {
                    "new-optional-request-default-parameter-to-existing-path"
                }
            } else if parameter.required {
                "new-required-request-parameter"
            } else {
                "new-optional-request-parameter"
            };
            self.report(
                id,
                Some(label),
                format!("{what} was added"),
                Some(&old.loc),
                Some(&parameter.loc),
            );
        }
    }

    // ---- request bodies -----------------------------------------------------------

    fn request_body(&mut self, old: &'c Operation, new: &'c Operation, label: &str) {
        let op = Some(label);
        match (&old.request_body, &new.request_body) {
            (None, None) => {}
            (None, Some(body)) => {
                let id = if body.required {
                    "request-body-added-required"
                } else {
                    "request-body-added-optional"
                };
                self.report(
                    id,
                    op,
                    "a request body was added".into(),
                    Some(&old.loc),
                    Some(&body.loc),
                );
            }
            (Some(body), None) => self.report(
                "request-body-removed",
                op,
                "the request body was removed".into(),
                Some(&body.loc),
                Some(&new.loc),
            ),
            (Some(a), Some(b)) => {
                match (a.required, b.required) {
                    (false, true) => self.report(
                        "request-body-became-required",
                        op,
                        "the request body became required".into(),
                        Some(&a.loc),
                        Some(&b.loc),
                    ),
                    (true, false) => self.report(
                        "request-body-became-optional",
                        op,
                        "the request body became optional".into(),
                        Some(&a.loc),
                        Some(&b.loc),
                    ),
                    _ => {}
                }
                let position = Position {
                    prefix: "request-body",
                    property_prefix: "request-property",
                    request: true,
                    path: String::new(),
                    operation: label.to_owned(),
                };
                self.content(
                    &a.content,
                    &b.content,
                    &position,
                    (
                        "request-body-media-type-removed",
                        "request-body-media-type-added",
                    ),
                );
            }
        }
    }

    fn content(
        &mut self,
        old: &'c IndexMap<String, MediaType>,
        new: &'c IndexMap<String, MediaType>,
        position: &Position,
        (removed, added): (&str, &str),
    ) {
        let op = Some(position.operation.as_str());
        for (media_type, a) in old {
            match new.get(media_type) {
                None => self.report(
                    removed,
                    op,
                    format!("media type `{media_type}` was removed"),
                    Some(&a.loc),
                    None,
                ),
                Some(b) => {
                    if let (Some(sa), Some(sb)) = (&a.schema, &b.schema) {
                        self.schema(sa, sb, position);
                    }
                }
            }
        }
        for (media_type, b) in new {
            if !old.contains_key(media_type) {
                self.report(
                    added,
                    op,
                    format!("media type `{media_type}` was added"),
                    None,
                    Some(&b.loc),
                );
            }
        }
    }

    // ---- responses -------------------------------------------------------------------

    fn responses(&mut self, old: &'c Operation, new: &'c Operation, label: &str) {
        let op = Some(label);
        for (status, a) in &old.responses {
            match new.responses.get(status) {
                None => {
                    let id = if status.is_success() {
                        "response-success-status-removed"
                    } else {
                        "response-non-success-status-removed"
                    };
                    self.report(
                        id,
                        op,
                        format!("response {status} was removed"),
                        Some(&a.loc),
                        Some(&new.loc),
                    );
                }
                Some(b) => self.response(*status, a, b, label),
            }
        }
        for (status, b) in &new.responses {
            if !old.responses.contains_key(status) {
                let id = if status.is_success() {
                    "response-success-status-added"
                } else {
                    "response-non-success-status-added"
                };
                self.report(
                    id,
                    op,
                    format!("response {status} was added"),
                    Some(&old.loc),
                    Some(&b.loc),
                );
            }
        }
    }

    fn response(&mut self, status: StatusCode, old: &'c Response, new: &'c Response, label: &str) {
        let op = Some(label);
        for (name, a) in &old.headers {
            match new
                .headers
                .iter()
                .find(|(other, _)| other.eq_ignore_ascii_case(name))
            {
                None if a.required => self.report(
                    "response-header-removed",
                    op,
                    format!("response {status} header `{name}` was removed"),
                    Some(&a.loc),
                    Some(&new.loc),
                ),
                None => self.report(
                    "optional-response-header-removed",
                    op,
                    format!("response {status} optional header `{name}` was removed"),
                    Some(&a.loc),
                    Some(&new.loc),
                ),
                Some((_, b)) => {
                    if a.required && !b.required {
                        self.report(
                            "response-header-became-optional",
                            op,
                            format!("response {status} header `{name}` became optional"),
                            Some(&a.loc),
                            Some(&b.loc),
                        );
                    }
                    if let (Some(sa), Some(sb)) = (&a.schema, &b.schema) {
                        let position = Position {
                            prefix: "response-header",
                            property_prefix: "response-property",
                            request: false,
                            path: name.clone(),
                            operation: label.to_owned(),
                        };
                        self.schema(sa, sb, &position);
                    }
                }
            }
        }
        for (name, b) in &new.headers {
            if !old
                .headers
                .keys()
                .any(|other| other.eq_ignore_ascii_case(name))
            {
                self.report(
                    "response-header-added",
                    op,
                    format!("response {status} header `{name}` was added"),
                    Some(&old.loc),
                    Some(&b.loc),
                );
            }
        }
        let position = Position {
            prefix: "response-body",
            property_prefix: "response-property",
            request: false,
            path: String::new(),
            operation: label.to_owned(),
        };
        self.content(
            &old.content,
            &new.content,
            &position,
            ("response-media-type-removed", "response-media-type-added"),
        );
    }

    // ---- schemas ------------------------------------------------------------------------

    fn schema_change(
        &mut self,
        suffix: &str,
        position: &Position,
        detail: String,
        old: &SchemaObject,
        new: &SchemaObject,
    ) {
        let id = rules::schema_id(position.prefix, suffix);
        let message = format!("{}: {detail}", position.describe());
        self.report(
            &id,
            Some(&position.operation.clone()),
            message,
            Some(&old.loc),
            Some(&new.loc),
        );
    }

    /// Compares two schemas at one position and everything below them,
    /// following refs. Schema graphs can nest thousands of levels deep, so
    /// the walk keeps its own stack instead of recursing; it visits pairs and
    /// orders changes exactly as a depth-first recursion would. Each pair of
    /// schema nodes is compared once, which ends recursive schemas.
    ///
    /// A walk that finds no change marks every pair it compared as clean
    /// (for that direction), and later walks skip clean pairs: a schema
    /// reached from many places, or judged again while matching union
    /// branches, is compared once. A walk judging sameness (inside
    /// [`Self::same_meaning`]) stops at its first change.
    fn schema(&mut self, old: &'c Schema, new: &'c Schema, position: &Position) {
        let mut visited: HashSet<(usize, usize)> = HashSet::new();
        let mut compared = Vec::new();
        let changes_before = self.changes.len();
        let judging = self.nested_checks > 0;
        let mut steps = vec![Step::Compare(Deferred {
            after: 0,
            old,
            new,
            position: position.clone(),
        })];
        while let Some(step) = steps.pop() {
            if judging && self.changes.len() > changes_before {
                return;
            }
            let pair = match step {
                Step::Report(change) => {
                    self.changes.push(change);
                    continue;
                }
                Step::Compare(pair) => pair,
            };
            let key = (
                pair.old as *const Schema as usize,
                pair.new as *const Schema as usize,
            );
            if !visited.insert(key) {
                continue;
            }
            let resolved = self.resolved_key(pair.old, pair.new, &pair.position);
            if self.clean.contains(&resolved) {
                continue;
            }
            compared.push(resolved);
            let mut below = Vec::new();
            self.schema_pair(pair.old, pair.new, &pair.position, &mut below);
            // Changes reported after a sub-schema was met follow that sub-schema's own.
            let first_later = below.first().map_or(self.changes.len(), |sub| sub.after);
            let mut later = self.changes.split_off(first_later).into_iter();
            let mut in_order = Vec::new();
            let mut reported = first_later;
            for sub in below {
                while reported < sub.after {
                    in_order.extend(later.next().map(Step::Report));
                    reported += 1;
                }
                in_order.push(Step::Compare(sub));
            }
            in_order.extend(later.map(Step::Report));
            steps.extend(in_order.into_iter().rev());
        }
        if self.changes.len() == changes_before {
            self.clean.extend(compared);
        }
    }

    /// A pair of schemas by what their refs lead to, with what else decides
    /// whether comparing them finds a change: the direction and the
    /// operation's deprecation policy.
    fn resolved_key(&self, old: &Schema, new: &Schema, position: &Position) -> PairKey {
        (
            self.base.resolve(old) as *const Schema as usize,
            self.revision.resolve(new) as *const Schema as usize,
            position.request,
            self.deprecation_days,
        )
    }

    /// Compares one pair of schemas; the pairs below them go to `below`, to
    /// be compared by [`Self::schema`] after this pair's changes.
    fn schema_pair(
        &mut self,
        old: &'c Schema,
        new: &'c Schema,
        position: &Position,
        below: &mut Vec<Deferred<'c>>,
    ) {
        let old_flat = Flat::of(self.base, old);
        let new_flat = Flat::of(self.revision, new);
        let (Some(a), Some(b)) = (old_flat.object, new_flat.object) else {
            return;
        };
        // `{...}` -> `oneOf: [{...}, ...]`: compare against the branch that holds the old properties.
        if old_flat.one_of.is_empty()
            && !old_flat.properties.is_empty()
            && new_flat.properties.is_empty()
        {
            let wrapped = new_flat.one_of.iter().any(|branch| {
                let branch = Flat::of(self.revision, branch);
                old_flat
                    .properties
                    .keys()
                    .all(|name| branch.properties.contains_key(name))
            });
            if wrapped {
                self.schema_change(
                    "wrapped-in-one-of",
                    position,
                    "was wrapped in a oneOf".into(),
                    a,
                    b,
                );
                return;
            }
        }
        self.types(&old_flat, &new_flat, a, b, position);
        self.enums(&old_flat, &new_flat, a, b, position);
        self.constraints(&old_flat, &new_flat, a, b, position);
        let branch_pairs = self.branches(&old_flat, &new_flat, a, b, position);
        // Refactoring into `allOf` parts is not a change; an `allOf` part that changes the meaning is.
        if old_flat.all_of_count != new_flat.all_of_count && !old_flat.same_shape(&new_flat) {
            let suffix = if new_flat.all_of_count > old_flat.all_of_count {
                "all-of-added"
            } else {
                "all-of-removed"
            };
            self.schema_change(
                suffix,
                position,
                format!(
                    "allOf went from {} to {} parts",
                    old_flat.all_of_count, new_flat.all_of_count
                ),
                a,
                b,
            );
        }
        self.json_schema_keywords(a, b, position);
        self.format_and_discriminator(a, b, position);
        self.properties(&old_flat, &new_flat, a, b, position, below);
        // Sub-schemas: changes inside them are changes of the position's properties.
        for (label, before, after) in [
            (
                "additionalProperties",
                &a.additional_properties,
                &b.additional_properties,
            ),
            ("not", &a.not, &b.not),
        ] {
            if let (Some(x), Some(y)) = (before, after) {
                let sub = position.property(label);
                self.defer(x, y, sub, below);
            }
        }
        if let (Some(before), Some(after)) = (&a.subschemas, &b.subschemas) {
            for (keyword, x) in before.iter() {
                if let Some(y) = after.get(keyword) {
                    let sub = position.property(keyword);
                    self.defer(x, y, sub, below);
                }
            }
        }
        for (index, (x, y)) in a.prefix_items.iter().zip(&b.prefix_items).enumerate() {
            let sub = position.property(&format!("prefixItems/{index}"));
            self.defer(x, y, sub, below);
        }
        for (place, x, y) in branch_pairs {
            self.defer(x, y, position.property(&place), below);
        }
        if let (Some(old_items), Some(new_items)) = (old_flat.items, new_flat.items) {
            let items = position.property("items");
            self.defer(old_items, new_items, items, below);
        }
    }

    /// Puts off comparing a pair below the current one, after the changes reported so far.
    fn defer(
        &self,
        old: &'c Schema,
        new: &'c Schema,
        position: Position,
        below: &mut Vec<Deferred<'c>>,
    ) {
        below.push(Deferred {
            after: self.changes.len(),
            old,
            new,
            position,
        });
    }

    fn types(
        &mut self,
        old: &Flat,
        new: &Flat,
        a: &SchemaObject,
        b: &SchemaObject,
        position: &Position,
    ) {
        if !old.types.is_empty() && !new.types.is_empty() && old.types != new.types {
            let widened = old.types.iter().all(|ty| {
                new.types.contains(ty)
                    || (*ty == Type::Integer && new.types.contains(&Type::Number))
            });
            let suffix = if widened {
                "type-generalized"
            } else {
                "type-changed"
            };
            self.schema_change(
                suffix,
                position,
                format!(
                    "type {} became {}",
                    type_list(&old.types),
                    type_list(&new.types)
                ),
                a,
                b,
            );
        }
        match (old.nullable, new.nullable) {
            (false, true) => {
                self.schema_change("became-nullable", position, "became nullable".into(), a, b)
            }
            (true, false) => self.schema_change(
                "became-not-nullable",
                position,
                "is no longer nullable".into(),
                a,
                b,
            ),
            _ => {}
        }
    }

    fn enums(
        &mut self,
        old: &Flat,
        new: &Flat,
        a: &SchemaObject,
        b: &SchemaObject,
        position: &Position,
    ) {
        match (&old.enum_values, &new.enum_values) {
            (None, Some(_)) => {
                self.schema_change("became-enum", position, "became an enum".into(), a, b)
            }
            (Some(before), Some(after)) => {
                // Whether `null` is accepted is nullability, which the
                // nullable rules report: 3.0 writes it as `nullable` beside
                // an enum without null, 3.1 as a null in the enum and type.
                let missing_from = |values: &'_ [Value], value: &Value| {
                    !value.is_null() && !values.contains(value)
                };
                for value in before.iter().filter(|value| missing_from(after, value)) {
                    self.schema_change(
                        "enum-value-removed",
                        position,
                        format!("enum value {value} was removed"),
                        a,
                        b,
                    );
                }
                for value in after.iter().filter(|value| missing_from(before, value)) {
                    self.schema_change(
                        "enum-value-added",
                        position,
                        format!("enum value {value} was added"),
                        a,
                        b,
                    );
                }
            }
            _ => {}
        }
        let extensible = |object: &SchemaObject| {
            object
                .extensions
                .as_ref()
                .and_then(|e| e.get("x-extensible-enum"))
                .and_then(Value::as_array)
                .cloned()
        };
        if let (Some(before), Some(after)) = (extensible(a), extensible(b)) {
            for value in before.iter().filter(|value| !after.contains(value)) {
                self.schema_change(
                    "x-extensible-enum-value-removed",
                    position,
                    format!("x-extensible-enum value {value} was removed"),
                    a,
                    b,
                );
            }
        }
        if let (Some(before), Some(after)) = (&old.const_value, &new.const_value)
            && before != after
        {
            self.schema_change(
                "const-changed",
                position,
                format!("const {before} became {after}"),
                a,
                b,
            );
        }
        if let (Some(before), Some(after)) = (&old.default, &new.default)
            && before != after
        {
            self.schema_change(
                "default-value-changed",
                position,
                format!("default {before} became {after}"),
                a,
                b,
            );
        }
    }

    fn constraints(
        &mut self,
        old: &Flat,
        new: &Flat,
        a: &SchemaObject,
        b: &SchemaObject,
        position: &Position,
    ) {
        let numbers = [
            ("max", old.maximum, new.maximum, true),
            ("min", old.minimum, new.minimum, false),
            (
                "exclusive-max",
                old.exclusive_maximum,
                new.exclusive_maximum,
                true,
            ),
            (
                "exclusive-min",
                old.exclusive_minimum,
                new.exclusive_minimum,
                false,
            ),
            (
                "max-length",
                old.max_length.map(|n| n as f64),
                new.max_length.map(|n| n as f64),
                true,
            ),
            (
                "min-length",
                old.min_length.map(|n| n as f64),
                new.min_length.map(|n| n as f64),
                false,
            ),
            (
                "max-items",
                old.max_items.map(|n| n as f64),
                new.max_items.map(|n| n as f64),
                true,
            ),
            (
                "min-items",
                old.min_items.map(|n| n as f64),
                new.min_items.map(|n| n as f64),
                false,
            ),
        ];
        for (name, before, after, _) in numbers {
            match (before, after) {
                (None, Some(value)) => self.schema_change(
                    &format!("{name}-set"),
                    position,
                    format!("{name} {value} was set"),
                    a,
                    b,
                ),
                (Some(x), Some(y)) if y > x => self.schema_change(
                    &format!("{name}-increased"),
                    position,
                    format!("{name} {x} -> {y}"),
                    a,
                    b,
                ),
                (Some(x), Some(y)) if y < x => self.schema_change(
                    &format!("{name}-decreased"),
                    position,
                    format!("{name} {x} -> {y}"),
                    a,
                    b,
                ),
                _ => {}
            }
        }
        match (&old.pattern, &new.pattern) {
            (None, Some(p)) => self.schema_change(
                "pattern-added",
                position,
                format!("pattern `{p}` was added"),
                a,
                b,
            ),
            (Some(p), None) => self.schema_change(
                "pattern-removed",
                position,
                format!("pattern `{p}` was removed"),
                a,
                b,
            ),
            (Some(x), Some(y)) if x != y => self.schema_change(
                "pattern-changed",
                position,
                format!("pattern `{x}` became `{y}`"),
                a,
                b,
            ),
            _ => {}
        }
    }

    fn format_and_discriminator(
        &mut self,
        a: &SchemaObject,
        b: &SchemaObject,
        position: &Position,
    ) {
        if let (Some(x), Some(y)) = (&a.format, &b.format)
            && x != y
        {
            self.schema_change(
                "format-changed",
                position,
                format!("format `{x}` became `{y}`"),
                a,
                b,
            );
        }
        match (&a.discriminator, &b.discriminator) {
            (None, Some(d)) => {
                let message = format!("discriminator on `{}` was added", d.property_name);
                self.schema_change("discriminator-added", position, message, a, b);
            }
            (Some(d), None) => {
                let message = format!("discriminator on `{}` was removed", d.property_name);
                self.schema_change("discriminator-removed", position, message, a, b);
            }
            (Some(x), Some(y)) => {
                if x.property_name != y.property_name {
                    let message = format!(
                        "discriminator `{}` became `{}`",
                        x.property_name, y.property_name
                    );
                    self.schema_change(
                        "discriminator-property-name-changed",
                        position,
                        message,
                        a,
                        b,
                    );
                }
                let target = |contract: &Contract, id: &contracts_model::SchemaId| {
                    contract.schema(*id).name.clone()
                };
                for (tag, id) in &x.mapping {
                    match y.mapping.get(tag) {
                        None => self.schema_change(
                            "discriminator-mapping-deleted",
                            position,
                            format!("mapping `{tag}` was removed"),
                            a,
                            b,
                        ),
                        Some(other) if target(self.base, id) != target(self.revision, other) => {
                            let message = format!(
                                "mapping `{tag}` now points to `{}`",
                                target(self.revision, other)
                            );
                            self.schema_change(
                                "discriminator-mapping-changed",
                                position,
                                message,
                                a,
                                b,
                            );
                        }
                        Some(_) => {}
                    }
                }
                for tag in y.mapping.keys().filter(|tag| !x.mapping.contains_key(*tag)) {
                    self.schema_change(
                        "discriminator-mapping-added",
                        position,
                        format!("mapping `{tag}` was added"),
                        a,
                        b,
                    );
                }
            }
            (None, None) => {}
        }
    }

    /// JSON Schema 2020-12 keywords (3.1): presence of `contains`,
    /// `propertyNames`, `unevaluated*`, `contentSchema`, `prefixItems`;
    /// entries of `dependentRequired`, `dependentSchemas`, `patternProperties`;
    /// `minContains`/`maxContains` bounds; `contentMediaType`/`contentEncoding`.
    fn json_schema_keywords(&mut self, a: &SchemaObject, b: &SchemaObject, position: &Position) {
        let old_other = |key: &str| a.other.as_ref().and_then(|other| other.get(key)).cloned();
        let new_other = |key: &str| b.other.as_ref().and_then(|other| other.get(key)).cloned();
        for (keyword, suffix) in [
            ("contains", "contains"),
            ("propertyNames", "property-names"),
            ("unevaluatedItems", "unevaluated-items"),
            ("unevaluatedProperties", "unevaluated-properties"),
            ("contentSchema", "content-schema"),
        ] {
            match (old_other(keyword), new_other(keyword)) {
                (None, Some(_)) => self.schema_change(
                    &format!("{suffix}-added"),
                    position,
                    format!("`{keyword}` was added"),
                    a,
                    b,
                ),
                (Some(_), None) => self.schema_change(
                    &format!("{suffix}-removed"),
                    position,
                    format!("`{keyword}` was removed"),
                    a,
                    b,
                ),
                _ => {}
            }
        }
        match (a.prefix_items.is_empty(), b.prefix_items.is_empty()) {
            (true, false) => self.schema_change(
                "prefix-items-added",
                position,
                "`prefixItems` were added".into(),
                a,
                b,
            ),
            (false, true) => self.schema_change(
                "prefix-items-removed",
                position,
                "`prefixItems` were removed".into(),
                a,
                b,
            ),
            _ => {}
        }
        for (keyword, suffix) in [
            ("minContains", "min-contains"),
            ("maxContains", "max-contains"),
        ] {
            let (before, after) = (
                old_other(keyword).and_then(|v| v.as_f64()),
                new_other(keyword).and_then(|v| v.as_f64()),
            );
            if let (Some(x), Some(y)) = (before, after) {
                if y > x {
                    self.schema_change(
                        &format!("{suffix}-increased"),
                        position,
                        format!("`{keyword}` {x} -> {y}"),
                        a,
                        b,
                    );
                } else if y < x {
                    self.schema_change(
                        &format!("{suffix}-decreased"),
                        position,
                        format!("`{keyword}` {x} -> {y}"),
                        a,
                        b,
                    );
                }
            }
        }
        for (keyword, suffix, changed) in [
            ("dependentRequired", "dependent-required", true),
            ("dependentSchemas", "dependent-schema", false),
            ("patternProperties", "pattern-property", false),
        ] {
            let entries = |value: Option<Value>| {
                value
                    .and_then(|v| v.as_object().cloned())
                    .unwrap_or_default()
            };
            let (before, after) = (entries(old_other(keyword)), entries(new_other(keyword)));
            for (name, value) in &before {
                match after.get(name) {
                    None => self.schema_change(
                        &format!("{suffix}-removed"),
                        position,
                        format!("`{keyword}` entry `{name}` was removed"),
                        a,
                        b,
                    ),
                    Some(other) if changed && other != value => self.schema_change(
                        &format!("{suffix}-changed"),
                        position,
                        format!("`{keyword}` entry `{name}` changed"),
                        a,
                        b,
                    ),
                    Some(_) => {}
                }
            }
            for name in after.keys().filter(|name| !before.contains_key(*name)) {
                self.schema_change(
                    &format!("{suffix}-added"),
                    position,
                    format!("`{keyword}` entry `{name}` was added"),
                    a,
                    b,
                );
            }
        }
        for (keyword, suffix, before, after) in [
            (
                "contentMediaType",
                "content-media-type",
                &a.content_media_type,
                &b.content_media_type,
            ),
            (
                "contentEncoding",
                "content-encoding",
                &a.content_encoding,
                &b.content_encoding,
            ),
        ] {
            if before.is_some() && after.is_some() && before != after {
                self.schema_change(
                    &format!("{suffix}-changed"),
                    position,
                    format!("`{keyword}` changed"),
                    a,
                    b,
                );
            }
        }
    }

    /// `oneOf`/`anyOf` branches, matched by meaning (`branches.rs`): those
    /// left over are reported removed or added; the matched pairs are
    /// returned with their place (`oneOf[User]`), to be compared.
    fn branches(
        &mut self,
        old: &Flat<'c>,
        new: &Flat<'c>,
        a: &'c SchemaObject,
        b: &'c SchemaObject,
        position: &Position,
    ) -> Vec<(String, &'c Schema, &'c Schema)> {
        let mut pairs = Vec::new();
        for (keyword, id, before, after) in [
            ("oneOf", "one-of", &old.one_of, &new.one_of),
            ("anyOf", "any-of", &old.any_of, &new.any_of),
        ] {
            let before = branches::Side {
                contract: self.base,
                branches: before,
                discriminator: a.discriminator.as_deref(),
            };
            let after = branches::Side {
                contract: self.revision,
                branches: after,
                discriminator: b.discriminator.as_deref(),
            };
            let matching = self.match_branches(&before, &after, position);
            for index in matching.removed {
                self.schema_change(
                    &format!("{id}-removed"),
                    position,
                    format!("branch `{}` was removed", before.label(index)),
                    a,
                    b,
                );
            }
            for index in matching.added {
                self.schema_change(
                    &format!("{id}-added"),
                    position,
                    format!("branch `{}` was added", after.label(index)),
                    a,
                    b,
                );
            }
            for (i, j) in matching.pairs {
                // The revision's name, unless only the base's has one.
                let (old_label, new_label) = (before.label(i), after.label(j));
                let label = if new_label.starts_with('#') && !old_label.starts_with('#') {
                    old_label
                } else {
                    new_label
                };
                pairs.push((
                    format!("{keyword}[{label}]"),
                    before.branches[i],
                    after.branches[j],
                ));
            }
        }
        pairs
    }

    fn properties(
        &mut self,
        old: &Flat<'c>,
        new: &Flat<'c>,
        a: &SchemaObject,
        b: &SchemaObject,
        position: &Position,
        below: &mut Vec<Deferred<'c>>,
    ) {
        let op = position.operation.clone();
        for (name, old_property) in &old.properties {
            let property = position.property(name);
            let required_before = old.required.contains(name.as_str());
            let read_only = Flat::of(self.base, old_property)
                .object
                .is_some_and(|p| p.read_only);
            let write_only = Flat::of(self.base, old_property)
                .object
                .is_some_and(|p| p.write_only);
            // A readOnly property is not part of a request, a writeOnly one not of a response.
            if (position.request && read_only) || (!position.request && write_only) {
                // ...until it stops being writeOnly: then responses carry it.
                let still_write_only = new.properties.get(name).map(|p| {
                    Flat::of(self.revision, p)
                        .object
                        .is_some_and(|p| p.write_only)
                });
                if !position.request && still_write_only == Some(false) {
                    let id = if new.required.contains(name.as_str()) {
                        "response-required-property-became-not-write-only"
                    } else {
                        "response-optional-property-became-not-write-only"
                    };
                    let message = format!("{} is no longer writeOnly", property.describe());
                    self.report(id, Some(&op), message, Some(&a.loc), Some(&b.loc));
                }
                continue;
            }
            match new.properties.get(name) {
                None => {
                    let id = match (position.request, required_before) {
                        (true, _) => "request-property-removed",
                        (false, true) => "response-required-property-removed",
                        (false, false) => "response-optional-property-removed",
                    };
                    self.report(
                        id,
                        Some(&op),
                        format!("{} was removed", property.describe()),
                        Some(&a.loc),
                        Some(&b.loc),
                    );
                }
                Some(new_property) => {
                    let required_after = new.required.contains(name.as_str());
                    let has_default = Flat::of(self.revision, new_property).default.is_some();
                    let id = match (position.request, required_before, required_after) {
                        (true, false, true) if has_default => {
                            Some("request-property-became-required-with-default")
                        }
                        (true, false, true) => Some("request-property-became-required"),
                        (true, true, false) => Some("request-property-became-optional"),
                        (false, true, false) => Some("response-property-became-optional"),
                        (false, false, true) => Some("response-property-became-required"),
                        _ => None,
                    };
                    if let Some(id) = id {
                        let verb = if required_after {
                            "became required"
                        } else {
                            "became optional"
                        };
                        self.report(
                            id,
                            Some(&op),
                            format!("{} {verb}", property.describe()),
                            Some(&a.loc),
                            Some(&b.loc),
                        );
                    }
                    let deprecation = |contract, schema| {
                        Flat::of(contract, schema)
                            .object
                            .map(|object| (object.deprecated, object.extensions.as_deref()))
                    };
                    if let (Some((before, _)), Some((after, extensions))) = (
                        deprecation(self.base, old_property),
                        deprecation(self.revision, new_property),
                    ) {
                        let ids = if position.request {
                            &REQUEST_PROPERTY_DEPRECATION
                        } else {
                            &RESPONSE_PROPERTY_DEPRECATION
                        };
                        self.deprecation(
                            (before, after),
                            extensions,
                            ids,
                            (&op, &property.describe()),
                            (Some(&a.loc), Some(&b.loc)),
                        );
                    }
                    self.defer(old_property, new_property, property, below);
                }
            }
        }
        for (name, new_property) in &new.properties {
            if old.properties.contains_key(name) {
                continue;
            }
            let property = position.property(name);
            let required = new.required.contains(name.as_str());
            let flat = Flat::of(self.revision, new_property);
            if (position.request && flat.object.is_some_and(|p| p.read_only))
                || (!position.request && flat.object.is_some_and(|p| p.write_only))
            {
                continue;
            }
            let id = match (position.request, required) {
                (true, true) if flat.default.is_some() => {
                    "new-required-request-property-with-default"
                }
                (true, true) => "new-required-request-property",
                (true, false) => "new-optional-request-property",
                (false, true) => "response-required-property-added",
                (false, false) => "response-optional-property-added",
            };
            self.report(
                id,
                Some(&op),
                format!("{} was added", property.describe()),
                Some(&a.loc),
                Some(&b.loc),
            );
        }
    }
}

impl Position {
    fn clone_with_path(&self, path: &str) -> Position {
        Position {
            path: path.to_owned(),
            ..self.clone()
        }
    }
}

/// The revision operation (by index) each base operation is compared with.
/// Operations pair one to one by method and path shape, so a renamed path
/// parameter is a rename; when several paths share a shape (`/users/{id}`
/// and `/users/{userId}`), the same path pairs first and the rest pair in
/// document order, so a spec compared with itself pairs every operation
/// with itself.
fn match_operations(base: &[Operation], revision: &[Operation]) -> Vec<Option<usize>> {
    let shape = |operation: &Operation| (operation.method, template_shape(&operation.path));
    let mut unpaired: HashMap<(Method, String), Vec<usize>> = HashMap::new();
    for (index, operation) in revision.iter().enumerate() {
        unpaired.entry(shape(operation)).or_default().push(index);
    }
    let mut partners = vec![None; base.len()];
    for (partner, old) in partners.iter_mut().zip(base) {
        let candidates = unpaired.get_mut(&shape(old));
        if let Some(candidates) = candidates
            && let Some(at) = candidates
                .iter()
                .position(|&index| revision[index].path == old.path)
        {
            *partner = Some(candidates.remove(at));
        }
    }
    for (partner, old) in partners.iter_mut().zip(base) {
        if partner.is_none()
            && let Some(candidates) = unpaired.get_mut(&shape(old))
            && !candidates.is_empty()
        {
            *partner = Some(candidates.remove(0));
        }
    }
    partners
}

fn parameter_schema(parameter: &Parameter) -> Option<&Schema> {
    parameter.schema.as_ref().or_else(|| {
        parameter
            .content
            .values()
            .find_map(|media| media.schema.as_ref())
    })
}

fn type_list(types: &[Type]) -> String {
    types
        .iter()
        .map(|ty| ty.as_str())
        .collect::<Vec<_>>()
        .join("|")
}

/// The `X` of a schema that is only `anyOf` (or `oneOf`) of `X` and a
/// schema that accepts only `null`.
fn nullable_branch<'c>(contract: &'c Contract, object: &'c SchemaObject) -> Option<&'c Schema> {
    let only_null = |schema: &Schema| {
        matches!(contract.resolve(schema), Schema::Object(branch)
            if branch.types == [Type::Null]
                && branch.properties.is_empty()
                && branch.all_of.is_empty()
                && branch.one_of.is_empty()
                && branch.any_of.is_empty()
                && branch.enum_values.is_none())
    };
    let branches = match (object.any_of.as_slice(), object.one_of.as_slice()) {
        (branches @ [_, _], []) | ([], branches @ [_, _]) => branches,
        _ => return None,
    };
    let unconstrained = object.types.is_empty()
        && object.properties.is_empty()
        && object.all_of.is_empty()
        && object.items.is_none()
        && object.enum_values.is_none()
        && object.const_value.is_none()
        && object.not.is_none();
    match branches {
        [branch, null] | [null, branch]
            if unconstrained && only_null(null) && !only_null(branch) =>
        {
            Some(branch)
        }
        _ => None,
    }
}

/// A schema's meaning with refs followed and `allOf` parts merged: what the
/// comparison looks at, so that moving a schema into `components` or
/// splitting it into `allOf` parts is not a change.
struct Flat<'c> {
    /// The schema object that holds the position's own keywords (for locations).
    object: Option<&'c SchemaObject>,
    types: Vec<Type>,
    nullable: bool,
    enum_values: Option<Vec<Value>>,
    const_value: Option<Value>,
    default: Option<Value>,
    properties: IndexMap<&'c String, &'c Schema>,
    required: BTreeSet<&'c str>,
    items: Option<&'c Schema>,
    one_of: Vec<&'c Schema>,
    any_of: Vec<&'c Schema>,
    all_of_count: usize,
    maximum: Option<f64>,
    minimum: Option<f64>,
    exclusive_maximum: Option<f64>,
    exclusive_minimum: Option<f64>,
    max_length: Option<u64>,
    min_length: Option<u64>,
    max_items: Option<u64>,
    min_items: Option<u64>,
    pattern: Option<String>,
}

impl<'c> Flat<'c> {
    fn of(contract: &'c Contract, schema: &'c Schema) -> Flat<'c> {
        let mut flat = Flat {
            object: None,
            types: Vec::new(),
            nullable: false,
            enum_values: None,
            const_value: None,
            default: None,
            properties: IndexMap::new(),
            required: BTreeSet::new(),
            items: None,
            one_of: Vec::new(),
            any_of: Vec::new(),
            all_of_count: 0,
            maximum: None,
            minimum: None,
            exclusive_maximum: None,
            exclusive_minimum: None,
            max_length: None,
            min_length: None,
            max_items: None,
            min_items: None,
            pattern: None,
        };
        flat.merge(contract, schema);
        flat
    }

    /// Whether two merged views accept the same values, as far as the
    /// comparison looks (properties, required, types, enums, bounds).
    fn same_shape(&self, other: &Flat) -> bool {
        self.properties.keys().eq(other.properties.keys())
            && self.required == other.required
            && self.types == other.types
            && self.nullable == other.nullable
            && self.enum_values == other.enum_values
            && self.const_value == other.const_value
            && (
                self.maximum,
                self.minimum,
                self.exclusive_maximum,
                self.exclusive_minimum,
            ) == (
                other.maximum,
                other.minimum,
                other.exclusive_maximum,
                other.exclusive_minimum,
            )
            && (
                self.max_length,
                self.min_length,
                self.max_items,
                self.min_items,
            ) == (
                other.max_length,
                other.min_length,
                other.max_items,
                other.min_items,
            )
            && self.pattern == other.pattern
    }

    /// Merges `schema` and, depth first in document order, its `allOf`
    /// parts (the first value of a keyword wins). Parts nest arbitrarily
    /// deep through refs, so they wait on a stack instead of recursing; each
    /// schema object is merged once, which ends `allOf` loops.
    fn merge(&mut self, contract: &'c Contract, schema: &'c Schema) {
        let mut parts = vec![schema];
        let mut seen = HashSet::new();
        let mut top = true;
        while let Some(part) = parts.pop() {
            let is_top = std::mem::take(&mut top);
            let Schema::Object(object) = contract.resolve(part) else {
                continue;
            };
            if !seen.insert(&**object as *const SchemaObject as usize) {
                continue;
            }
            if is_top {
                self.object = Some(object);
                self.all_of_count = object.all_of.len();
            }
            // `anyOf: [X, {type: 'null'}]` is how 3.1 writes a nullable X
            // (and what merge makes of a 3.0 `nullable` schema without a type).
            if let Some(branch) = nullable_branch(contract, object) {
                self.nullable = true;
                if self.default.is_none() {
                    self.default = object.default.as_deref().cloned();
                }
                parts.push(branch);
                continue;
            }
            self.merge_object(object);
            parts.extend(object.all_of.iter().rev());
        }
    }

    fn merge_object(&mut self, object: &'c SchemaObject) {
        if self.types.is_empty() {
            self.types = object.types.clone();
        }
        self.nullable |= object.nullable;
        if self.enum_values.is_none() {
            self.enum_values = object.enum_values.clone();
        }
        if self.const_value.is_none() {
            self.const_value = object.const_value.as_deref().cloned();
        }
        if self.default.is_none() {
            self.default = object.default.as_deref().cloned();
        }
        for (name, property) in &object.properties {
            self.properties.entry(name).or_insert(property);
        }
        self.required
            .extend(object.required.iter().map(String::as_str));
        if self.items.is_none() {
            self.items = object.items.as_ref();
        }
        self.one_of.extend(&object.one_of);
        self.any_of.extend(&object.any_of);
        let constraints = object.constraints();
        let number =
            |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
        // Merged allOf parts all apply: keep the tightest bound.
        self.maximum = tightest(self.maximum, number(&constraints.maximum), f64::min);
        self.minimum = tightest(self.minimum, number(&constraints.minimum), f64::max);
        self.exclusive_maximum = tightest(
            self.exclusive_maximum,
            number(&constraints.exclusive_maximum),
            f64::min,
        );
        self.exclusive_minimum = tightest(
            self.exclusive_minimum,
            number(&constraints.exclusive_minimum),
            f64::max,
        );
        self.max_length = tightest(self.max_length, constraints.max_length, u64::min);
        self.min_length = tightest(self.min_length, constraints.min_length, u64::max);
        self.max_items = tightest(self.max_items, constraints.max_items, u64::min);
        self.min_items = tightest(self.min_items, constraints.min_items, u64::max);
        if self.pattern.is_none() {
            self.pattern = constraints.pattern.clone();
        }
    }
}

fn tightest<T: Copy>(a: Option<T>, b: Option<T>, pick: fn(T, T) -> T) -> Option<T> {
    match (a, b) {
        (Some(x), Some(y)) => Some(pick(x, y)),
        (x, None) => x,
        (None, y) => y,
    }
}

#[cfg(test)]
mod tests;
