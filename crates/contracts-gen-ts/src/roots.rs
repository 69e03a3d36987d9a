//! `--root-types`' exported aliases and `--make-paths-enum`'s `ApiPaths`.

use std::collections::HashSet;

use contracts_model::{Operation, SchemaId, Type};
use contracts_ts::is_identifier;
use indexmap::IndexMap;
use oxc_ast::ast::Statement;
use oxc_span::SPAN;

use crate::{Generator, case};

impl<'c, 'a> Generator<'c, 'a> {
    /// `--root-types`: an alias per component, named as openapi-typescript
    /// names them (change-case's `pascalCase`, `_2` on a clash; a later
    /// schema whose name without the prefix is taken replaces the earlier
    /// one, as theirs does). Names that are not identifiers, or that the
    /// module already uses, are left out: theirs would not compile.
    pub(crate) fn root_types(&self) -> Vec<Statement<'a>> {
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
    pub(crate) fn paths_enum(&self) -> Statement<'a> {
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
}

/// openapi-typescript's name for an operation without an operationId:
/// `get/users/{id}:cancel` -> `GetUsers`. Each `/`-part is capitalized and
/// loses its first `{...}`, `:...` or run of other characters than `\w`
/// (`/{.*}|:.*|[^a-zA-Z\d_]+/`, the first match only).
pub(crate) fn operation_path_name(operation: &Operation) -> String {
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
pub(crate) fn enum_member_name(name: &str) -> String {
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

/// `order-status` / `in_progress` -> `OrderStatus` / `InProgress`.
pub(crate) fn pascal_case(text: &str) -> String {
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
