//! Paths on the gateway: paths under their service's prefix, operations
//! decorated with where they come from, path items two services share.

use contracts_model::Method;
use serde_json::{Map, Value, json};

use crate::names::rename_security;
use crate::parts::Layout;

impl Layout<'_> {
    /// Provenance, upstream servers, pushed-down security, gateway operationIds, service tags.
    pub(crate) fn decorate(&self, item: &mut Map<String, Value>, path_servers: Option<&Value>) {
        let (index, service, names) = (self.index, self.service, self.names);
        let root = &service.documents[0].value;
        let root_security = root
            .get("security")
            .map(|security| rename_security(index, security, names));
        let root_servers = root.get("servers");
        for (key, operation) in item.iter_mut() {
            if Method::from_key(key).is_none() {
                continue;
            }
            let Some(operation) = operation.as_object_mut() else {
                continue;
            };
            operation.insert("x-contracts-service".into(), json!(service.name));
            let upstream = operation
                .remove("servers")
                .or_else(|| path_servers.cloned())
                .or_else(|| root_servers.cloned());
            if let Some(upstream) =
                upstream.filter(|servers| servers.as_array().is_some_and(|list| !list.is_empty()))
            {
                operation.insert("x-contracts-upstream".into(), upstream);
            }
            match operation.get("security") {
                Some(security) => {
                    let renamed = rename_security(index, security, names);
                    operation.insert("security".into(), renamed);
                }
                None => {
                    if let Some(security) = &root_security {
                        operation.insert("security".into(), security.clone());
                    }
                }
            }
            if let Some(id) = operation.get("operationId").and_then(Value::as_str)
                && let Some(gateway_id) = self.operation_ids.get(&(index, id.to_owned()))
            {
                operation.insert("operationId".into(), json!(gateway_id));
            }
            if self.service_tags {
                let tags = operation.entry("tags").or_insert_with(|| json!([]));
                if let Value::Array(tags) = tags
                    && !tags.contains(&json!(service.name))
                {
                    tags.insert(0, json!(service.name));
                }
            }
        }
    }
}

/// The operations of a path item, with their methods.
pub(crate) fn operations(
    item: &Map<String, Value>,
) -> impl Iterator<Item = (&str, &Map<String, Value>)> {
    item.iter()
        .filter(|(key, _)| Method::from_key(key).is_some())
        .filter_map(|(key, value)| Some((key.as_str(), value.as_object()?)))
}

/// Moves path-level `parameters` into each operation (an operation's own win).
pub(crate) fn push_down_parameters(item: &mut Map<String, Value>) {
    let Some(Value::Array(shared)) = item.remove("parameters") else {
        return;
    };
    for (key, operation) in item.iter_mut() {
        if Method::from_key(key).is_none() {
            continue;
        }
        let Some(operation) = operation.as_object_mut() else {
            continue;
        };
        let own = operation.entry("parameters").or_insert_with(|| json!([]));
        let Value::Array(own) = own else { continue };
        let identity = |parameter: &Value| {
            (
                parameter.get("name").cloned(),
                parameter.get("in").cloned(),
                parameter.get("$ref").cloned(),
            )
        };
        let mut merged: Vec<Value> = shared
            .iter()
            .filter(|parameter| !own.iter().any(|mine| identity(mine) == identity(parameter)))
            .cloned()
            .collect();
        merged.append(own);
        *own = merged;
    }
}

/// `prefix` + the path without `strip_prefix` (`/users` + `/{id}` = `/users/{id}`).
pub fn prefixed_path(path: &str, prefix: &str, strip_prefix: Option<&str>) -> String {
    let stripped = match strip_prefix {
        Some(strip) if !strip.is_empty() => match path.strip_prefix(strip.trim_end_matches('/')) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
            _ => path,
        },
        _ => path,
    };
    let prefix = prefix.trim_end_matches('/');
    match (prefix.is_empty(), stripped) {
        (true, "") => "/".to_owned(),
        (true, rest) => rest.to_owned(),
        (false, "" | "/") => prefix.to_owned(),
        (false, rest) if rest.starts_with('/') => format!("{prefix}{rest}"),
        (false, rest) => format!("{prefix}/{rest}"),
    }
}
