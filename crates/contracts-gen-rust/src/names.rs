//! Rust type names: every name handed to typify or printed by us is claimed
//! here first, so no two become the same Rust identifier.

use std::collections::HashSet;

use contracts_model::{Contract, Operation, SchemaId, StatusCode};
use heck::ToPascalCase;
use indexmap::IndexMap;

/// The names claimed so far, by what they become as Rust identifiers.
#[derive(Default)]
pub(crate) struct Names {
    used: HashSet<String>,
}

impl Names {
    /// Component schemas keep their names; schemas reached only through file
    /// refs join them. Names that would become the same Rust type name
    /// (`auto-merge` and `auto_merge` are both `AutoMerge`) are numbered.
    pub fn schemas(&mut self, contract: &Contract) -> IndexMap<SchemaId, String> {
        let mut names = IndexMap::new();
        let candidates = contract
            .components
            .schemas
            .iter()
            .map(|(name, id)| (*id, name.as_str()))
            .chain(
                contract
                    .schemas
                    .iter()
                    .enumerate()
                    .map(|(index, schema)| (SchemaId(index as u32), schema.name.as_str())),
            );
        for (id, base) in candidates {
            if !names.contains_key(&id) {
                let name = self.claim(base, &[""]);
                names.insert(id, name);
            }
        }
        names
    }

    /// The first of `base`, `base2`, `base3`, ... whose every `suffixes`
    /// variant is still free; claims those variants.
    pub fn claim(&mut self, base: &str, suffixes: &[&str]) -> String {
        let mut name = base.to_owned();
        let mut counter = 2;
        loop {
            let identities: Vec<String> = suffixes
                .iter()
                .map(|suffix| rust_identity(&format!("{name}{suffix}")))
                .collect();
            let distinct: HashSet<&String> = identities.iter().collect();
            if distinct.len() == identities.len()
                && identities
                    .iter()
                    .all(|identity| !self.used.contains(identity))
            {
                self.used.extend(identities);
                return name;
            }
            name = format!("{base}{counter}");
            counter += 1;
        }
    }
}

/// What a name keeps once turned into a Rust type name: letters and digits,
/// case folded, with the `x` typify puts before a leading digit.
pub(crate) fn rust_identity(name: &str) -> String {
    let identity: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    match identity.chars().next() {
        Some(first) if !first.is_ascii_digit() => identity,
        _ => format!("x{identity}"),
    }
}

/// The PascalCase base name of an operation: its operationId, else its
/// method and path (`get /users/{id}` -> `GetUsersId`). typify's own case
/// conversion (heck) is used, so names read back from typify match.
pub(crate) fn operation_base(operation: &Operation) -> String {
    let source = match &operation.operation_id {
        Some(id) if id.chars().any(|c| c.is_alphanumeric()) => id.clone(),
        _ => format!("{} {}", operation.method.as_str(), operation.path),
    };
    let name = source
        .replace(|c: char| !c.is_alphanumeric(), " ")
        .to_pascal_case();
    match name.chars().next() {
        Some(first) if first.is_alphabetic() => name,
        _ => format!("X{name}"),
    }
}

/// `200`, `2xx` or `Default`: the part of a response's names that says its status.
pub(crate) fn status_suffix(status: StatusCode) -> String {
    match status {
        StatusCode::Code(code) => code.to_string(),
        StatusCode::Range(hundreds) => format!("{hundreds}xx"),
        StatusCode::Default => "Default".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_fold_case_and_punctuation() {
        assert_eq!(rust_identity("auto-merge"), rust_identity("AutoMerge"));
        assert_eq!(rust_identity("2fa"), rust_identity("x2fa"));
        assert_ne!(rust_identity("a1"), rust_identity("a2"));
    }

    #[test]
    fn claims_number_the_base_until_every_variant_is_free() {
        let mut names = Names::default();
        assert_eq!(names.claim("User", &[""]), "User");
        assert_eq!(names.claim("user", &[""]), "user2");
        assert_eq!(names.claim("Get", &["Params", "Response"]), "Get");
        assert_eq!(names.claim("get", &["Response"]), "get2");
        assert_eq!(names.claim("Pair", &["", "2"]), "Pair");
        assert_eq!(names.claim("Pair", &[""]), "Pair3", "Pair2 is taken");
    }
}
