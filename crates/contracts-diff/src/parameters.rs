//! Parameters: matched by location and name (path parameters by their
//! place in the template, headers case-insensitively), then compared.

use std::collections::HashSet;

use contracts_model::{Operation, Parameter, ParameterLocation, Schema, template_names};
use indexmap::IndexMap;

use crate::Engine;
use crate::rules::{DeprecationIds, RemovalIds, SunsetChangeIds};
use crate::schema::Position;

impl<'c> Engine<'c> {
    pub(crate) fn parameters(&mut self, old: &'c Operation, new: &'c Operation, label: &str) {
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
}

fn parameter_schema(parameter: &Parameter) -> Option<&Schema> {
    parameter.schema.as_ref().or_else(|| {
        parameter
            .content
            .values()
            .find_map(|media| media.schema.as_ref())
    })
}
