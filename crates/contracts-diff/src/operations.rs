//! Operations: matching base and revision operations by method and path
//! shape, comparing a matched pair (lifecycle, operationId, tags, security,
//! then parameters, request body and responses), and webhooks.

use std::collections::{HashMap, HashSet};

use contracts_model::{Contract, Method, Operation, template_shape};
use indexmap::IndexMap;

use crate::{Engine, rules};

impl<'c> Engine<'c> {
    pub(crate) fn operations(&mut self) {
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
                        &rules::PATH_REMOVAL
                    } else {
                        &rules::OPERATION_REMOVAL
                    };
                    let (id, why) = self.removal(old.deprecated, Some(&old.extensions), ids);
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
                    rules::ENDPOINT_ADDED,
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
                    rules::WEBHOOK_REMOVED,
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
                    rules::WEBHOOK_ADDED,
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
                rules::REQUEST_PATH_PARAMETER_RENAMED,
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
            &rules::OPERATION_DEPRECATION,
            (&label, &label),
            locs,
        );
        if new.deprecated {
            self.sunset_change(
                (&old.extensions, &new.extensions),
                &rules::OPERATION_SUNSET_CHANGE,
                (&label, &label),
                locs,
            );
        }
        match (&old.operation_id, &new.operation_id) {
            (Some(a), Some(b)) if a != b => self.report(
                rules::API_OPERATION_ID_REMOVED,
                op,
                format!("operationId `{a}` became `{b}`"),
                Some(&old.loc),
                Some(&new.loc),
            ),
            (Some(a), None) => self.report(
                rules::API_OPERATION_ID_REMOVED,
                op,
                format!("operationId `{a}` was removed"),
                Some(&old.loc),
                Some(&new.loc),
            ),
            (None, Some(b)) => self.report(
                rules::API_OPERATION_ID_ADDED,
                op,
                format!("operationId `{b}` was added"),
                Some(&old.loc),
                Some(&new.loc),
            ),
            _ => {}
        }
        for tag in old.tags.iter().filter(|tag| !new.tags.contains(tag)) {
            self.report(
                rules::API_TAG_REMOVED,
                op,
                format!("tag `{tag}` was removed"),
                Some(&old.loc),
                Some(&new.loc),
            );
        }
        for tag in new.tags.iter().filter(|tag| !old.tags.contains(tag)) {
            self.report(
                rules::API_TAG_ADDED,
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
                rules::API_SECURITY_REMOVED,
                op,
                format!("security requirement {names:?} was removed"),
                Some(&old.loc),
                Some(&new.loc),
            );
        }
        for requirement in new_security.iter().filter(|r| !old_security.contains(r)) {
            let names: Vec<&String> = requirement.keys().collect();
            self.report(
                rules::API_SECURITY_ADDED,
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
}

/// The revision operation (by index) each base operation is compared with.
/// Operations pair one to one by method and path shape, so a renamed path
/// parameter is a rename; when several paths share a shape (`/users/{id}`
/// and `/users/{userId}`), the same path pairs first and the rest pair in
/// document order, so a spec compared with itself pairs every operation
/// with itself.
pub(crate) fn match_operations(base: &[Operation], revision: &[Operation]) -> Vec<Option<usize>> {
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
