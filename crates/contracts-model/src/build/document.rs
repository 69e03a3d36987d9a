//! The top level of a document: `openapi`, info, servers, tags, security,
//! components and webhooks.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::access::kind_of;
use super::{At, Builder};
use crate::codes;
use crate::contract::*;
use crate::graph::{Kind, Node};

impl Builder<'_> {
    pub(super) fn contract(&mut self, root: FileId) -> Option<Contract> {
        let doc = self.docs.value(root);
        let at = At {
            file: root,
            pointer: String::new(),
        };
        let map = match &*doc {
            Value::Object(map) => map,
            Value::Null => {
                self.error(codes::NOT_OPENAPI, &at, "the document is empty");
                return None;
            }
            other => {
                self.error(
                    codes::NOT_OPENAPI,
                    &at,
                    format!("an OpenAPI document is an object, found {}", kind_of(other)),
                );
                return None;
            }
        };
        let openapi = match map.get("openapi") {
            Some(Value::String(text)) => text.clone(),
            Some(other) => {
                self.wrong_type(
                    &at.child("openapi"),
                    "a version string like \"3.1.0\"",
                    other,
                );
                return None;
            }
            None => {
                // The loader reads `swagger: "2.0"` as 3.0; other versions stay.
                let message = match map.get("swagger") {
                    Some(version) => format!(
                        "`swagger: {version}` is not a version contracts reads (Swagger \"2.0\", OpenAPI 3.0 and 3.1 are)"
                    ),
                    None => "missing `openapi` field: not an OpenAPI document".to_owned(),
                };
                self.error(codes::NOT_OPENAPI, &at, message);
                return None;
            }
        };
        self.version = if openapi.starts_with("3.0.") || openapi == "3.0" {
            Version::V3_0
        } else if openapi.starts_with("3.1.") || openapi == "3.1" {
            Version::V3_1
        } else {
            self.error(
                codes::UNSUPPORTED_VERSION,
                &at.child("openapi"),
                format!("OpenAPI version `{openapi}` is not supported (3.0.x and 3.1.x are)"),
            );
            return None;
        };

        let info = self.info(map, &at);
        let servers = self.servers(map, &at);
        let components = self.components(map, &at);
        let security = self.security(map, &at, &components);
        let tags = self.tags(map, &at);

        let mut operations = Vec::new();
        let mut empty_path_items = IndexMap::new();
        match map.get("paths") {
            Some(paths) => self.paths(
                paths,
                &at.child("paths"),
                &components,
                &mut operations,
                &mut empty_path_items,
            ),
            None if self.version == Version::V3_0 => {
                self.error(codes::MISSING_FIELD, &at, "missing required field `paths`")
            }
            None if !map.contains_key("webhooks") && !map.contains_key("components") => self.error(
                codes::MISSING_FIELD,
                &at,
                "an OpenAPI 3.1 document needs at least one of `paths`, `webhooks`, `components`",
            ),
            None => {}
        }
        let mut webhooks = Vec::new();
        if let Some((hooks, at)) = self.field_object(map, "webhooks", &at) {
            for (name, item) in hooks {
                self.path_item(
                    name,
                    item,
                    &at.child(name),
                    &components,
                    &mut webhooks,
                    false,
                );
            }
        }
        self.check_operation_ids(&operations);

        self.build_pending_schemas();
        self.check_verbatim_refs();
        self.check_alias_cycles();

        Some(Contract {
            openapi,
            version: self.version,
            info,
            servers,
            operations,
            empty_path_items,
            webhooks,
            components,
            security,
            tags,
            external_docs: map.get("externalDocs").cloned(),
            extensions: Self::extensions(map),
            schemas: std::mem::take(&mut self.schemas),
            files: self.docs.files(),
        })
    }

    fn info(&mut self, map: &Map<String, Value>, at: &At) -> Info {
        let Some(value) = map.get("info") else {
            self.error(codes::MISSING_FIELD, at, "missing required field `info`");
            return Info::default();
        };
        let at = at.child("info");
        let Some(info) = self.object(value, &at) else {
            return Info::default();
        };
        let required = |builder: &mut Self, key: &str| {
            builder.string(info, key, &at).unwrap_or_else(|| {
                if !info.contains_key(key) {
                    builder.error(
                        codes::MISSING_FIELD,
                        &at,
                        format!("missing required field `info.{key}`"),
                    );
                }
                String::new()
            })
        };
        let title = required(self, "title");
        let version = required(self, "version");
        Info {
            title,
            version,
            summary: self.string(info, "summary", &at),
            description: self.string(info, "description", &at),
            other: Self::keep(info, &["title", "version", "summary", "description"]),
        }
    }

    pub(super) fn servers(&mut self, map: &Map<String, Value>, at: &At) -> Vec<Server> {
        self.objects(map, "servers", at, |b, server, at| {
            Some(Server {
                url: b.required_string(server, "url", at, "server")?,
                description: b.string(server, "description", at),
                variables: server.get("variables").cloned(),
            })
        })
    }

    fn tags(&mut self, map: &Map<String, Value>, at: &At) -> Vec<Tag> {
        self.objects(map, "tags", at, |b, tag, at| {
            Some(Tag {
                name: b.required_string(tag, "name", at, "tag")?,
                description: b.string(tag, "description", at),
                other: Self::keep(tag, &["name", "description"]),
            })
        })
    }

    pub(super) fn security(
        &mut self,
        map: &Map<String, Value>,
        at: &At,
        components: &Components,
    ) -> Option<Vec<SecurityRequirement>> {
        let items = self.array(map, "security", at)?;
        let at = at.child("security");
        Some(
            items
                .iter()
                .enumerate()
                .filter_map(|(index, item)| {
                    let at = at.index(index);
                    let requirement = self.object(item, &at)?;
                    let mut out = SecurityRequirement::new();
                    for (name, scopes) in requirement {
                        let scope_at = at.child(name);
                        if !components.security_schemes.contains_key(name) {
                            self.error(
                                codes::SECURITY_SCHEME_UNDEFINED,
                                &scope_at,
                                format!("security scheme `{name}` is not defined in `components.securitySchemes`"),
                            );
                        }
                        let scopes = match scopes {
                            Value::Array(list) => list
                                .iter()
                                .filter_map(|scope| scope.as_str().map(str::to_owned))
                                .collect(),
                            other => {
                                self.wrong_type(&scope_at, "an array of scope names", other);
                                Vec::new()
                            }
                        };
                        out.insert(name.clone(), scopes);
                    }
                    Some(out)
                })
                .collect(),
        )
    }

    fn components(&mut self, map: &Map<String, Value>, at: &At) -> Components {
        let mut components = Components::default();
        let Some((sections, at)) = self.field_object(map, "components", at) else {
            return components;
        };
        for (section, entries) in sections {
            let section_at = at.child(section);
            let kind = Kind::from_section(section);
            let modelled = kind.filter(|kind| {
                matches!(
                    kind,
                    Kind::Schema
                        | Kind::Response
                        | Kind::Parameter
                        | Kind::RequestBody
                        | Kind::Header
                        | Kind::SecurityScheme
                )
            });
            let Some(kind) = modelled else {
                if let (Some(kind), Value::Object(entries)) = (kind, entries) {
                    self.keep_verbatim_entries(Node::Component(kind), entries, &section_at);
                }
                components.other.insert(section.clone(), entries.clone());
                continue;
            };
            let Some(entries) = self.object(entries, &section_at) else {
                continue;
            };
            for (name, entry) in entries {
                let entry_at = section_at.child(name);
                let name = name.clone();
                match kind {
                    Kind::Schema => {
                        let id = self.schema_id(entry_at.file, entry_at.pointer.clone());
                        components.schemas.insert(name, id);
                    }
                    Kind::Response => {
                        if let Some(response) = self.response(entry, &entry_at) {
                            components.responses.insert(name, response);
                        }
                    }
                    Kind::Parameter => {
                        if let Some(parameter) = self.parameter(entry, &entry_at) {
                            components.parameters.insert(name, parameter);
                        }
                    }
                    Kind::RequestBody => {
                        if let Some(body) = self.request_body(entry, &entry_at) {
                            components.request_bodies.insert(name, body);
                        }
                    }
                    Kind::Header => {
                        if let Some(header) = self.header(entry, &entry_at) {
                            components.headers.insert(name, header);
                        }
                    }
                    Kind::SecurityScheme => {
                        if let Some(scheme) = self.security_scheme(entry, &entry_at) {
                            components.security_schemes.insert(name, scheme);
                        }
                    }
                    // The model keeps the other sections as written (above).
                    Kind::Example | Kind::Link | Kind::Callback | Kind::PathItem => {}
                }
            }
        }
        components
    }

    fn security_scheme(&mut self, value: &Value, at: &At) -> Option<SecurityScheme> {
        self.with_target(value, at, Kind::SecurityScheme, |b, value, at, _| {
            let map = b.object(value, at)?;
            let kind = b.string(map, "type", at).or_else(|| {
                b.error(codes::MISSING_FIELD, at, "missing required field `type` in security scheme");
                None
            })?;
            let required = |b: &mut Self, key: &str| {
                b.string(map, key, at).or_else(|| {
                    if !map.contains_key(key) {
                        b.error(codes::MISSING_FIELD, at, format!("missing required field `{key}` for a `{kind}` security scheme"));
                    }
                    None
                })
            };
            Some(match kind.as_str() {
                "apiKey" => {
                    let name = required(b, "name")?;
                    let location_name = required(b, "in")?;
                    let location = ParameterLocation::parse(&location_name)
                        .filter(|l| *l != ParameterLocation::Path)
                        .or_else(|| {
                            b.error(codes::INVALID_VALUE, &at.child("in"), format!("`in: {location_name}` must be query, header or cookie"));
                            None
                        })?;
                    SecurityScheme::ApiKey { name, location }
                }
                "http" => SecurityScheme::Http {
                    scheme: required(b, "scheme")?,
                    bearer_format: b.string(map, "bearerFormat", at),
                },
                "oauth2" => {
                    let mut flows = IndexMap::new();
                    if map.contains_key("flows") {
                        if let Some((entries, flows_at)) = b.field_object(map, "flows", at) {
                            for (name, flow) in entries {
                                let flow_at = flows_at.child(name);
                                let Some(flow) = b.object(flow, &flow_at) else { continue };
                                let scopes = flow
                                    .get("scopes")
                                    .and_then(Value::as_object)
                                    .map(|scopes| {
                                        scopes
                                            .iter()
                                            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                                            .collect()
                                    })
                                    .unwrap_or_default();
                                flows.insert(
                                    name.clone(),
                                    OAuthFlow {
                                        authorization_url: b.string(flow, "authorizationUrl", &flow_at),
                                        token_url: b.string(flow, "tokenUrl", &flow_at),
                                        refresh_url: b.string(flow, "refreshUrl", &flow_at),
                                        scopes,
                                    },
                                );
                            }
                        }
                    } else {
                        b.error(codes::MISSING_FIELD, at, "missing required field `flows` for an `oauth2` security scheme");
                    }
                    SecurityScheme::OAuth2 { flows }
                }
                "openIdConnect" => SecurityScheme::OpenIdConnect {
                    url: required(b, "openIdConnectUrl")?,
                },
                "mutualTLS" => SecurityScheme::MutualTls,
                other => {
                    b.error(
                        codes::INVALID_VALUE,
                        &at.child("type"),
                        format!("unknown security scheme type `{other}` (apiKey, http, oauth2, openIdConnect, mutualTLS)"),
                    );
                    return None;
                }
            })
        })
        .flatten()
    }
}
