//! Parameters: matched by location and name (path parameters by their
//! place in the template, headers case-insensitively), then compared.

use std::collections::HashSet;

use contracts_model::{Operation, Parameter, ParameterLocation, template_names};
use indexmap::IndexMap;

use crate::schema::Position;
use crate::{Engine, rules};

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
                        &rules::PARAMETER_REMOVAL,
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
                        &rules::PARAMETER_DEPRECATION,
                        (label, &what),
                        locs,
                    );
                    if other.deprecated {
                        self.sunset_change(
                            (&parameter.extensions, &other.extensions),
                            &rules::PARAMETER_SUNSET_CHANGE,
                            (label, &what),
                            locs,
                        );
                    }
                    match (parameter.required, other.required) {
                        (false, true) => self.report(
                            rules::REQUEST_PARAMETER_BECAME_REQUIRED,
                            Some(label),
                            format!("{what} became required"),
                            Some(&parameter.loc),
                            Some(&other.loc),
                        ),
                        (true, false) => self.report(
                            rules::REQUEST_PARAMETER_BECAME_OPTIONAL,
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
                    if let (Some(a), Some(b)) = (parameter.value_schema(), other.value_schema()) {
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
                    rules::NEW_REQUIRED_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH
                } else {
                    rules::NEW_OPTIONAL_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH
                }
            } else if parameter.required {
                rules::NEW_REQUIRED_REQUEST_PARAMETER
            } else {
                rules::NEW_OPTIONAL_REQUEST_PARAMETER
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
