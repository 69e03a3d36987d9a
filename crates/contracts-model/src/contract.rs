//! The contract: what a service promises, per operation.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::PathBuf;
use std::ptr;
use std::sync::Arc;

use indexmap::IndexMap;
use serde_json::Value;

use crate::schema::Schema;

/// Index of a source file in [`Contract::files`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// Where a node came from: a file and the JSON pointer inside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Loc {
    pub file: FileId,
    pub pointer: String,
}

/// Index of a named schema in [`Contract::schemas`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SchemaId(pub u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    V3_0,
    V3_1,
}

/// A schema every `$ref` to the same place shares, with a stable identity:
/// the file and pointer it lives at. `name` is the pointer's last token
/// (`User` for `#/components/schemas/User`), which generators use for naming.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedSchema {
    pub name: String,
    pub loc: Loc,
    pub schema: Schema,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    /// The `openapi` field as written (`3.0.3`).
    pub openapi: String,
    pub version: Version,
    pub info: Info,
    pub servers: Vec<Server>,
    /// Operations of `paths`, in document order.
    pub operations: Vec<Operation>,
    /// Path items of `paths` without operations, with their own `parameters`
    /// (openapi-typescript lists them too), in document order.
    pub empty_path_items: IndexMap<String, Vec<Arc<Parameter>>>,
    /// Operations of 3.1 `webhooks`; `path` holds the webhook name.
    pub webhooks: Vec<Operation>,
    pub components: Components,
    /// Root-level security; `None` when absent.
    pub security: Option<Vec<SecurityRequirement>>,
    pub tags: Vec<Tag>,
    pub external_docs: Option<Value>,
    pub extensions: IndexMap<String, Value>,
    /// Every schema reached by a `$ref` or declared in `components.schemas`.
    pub schemas: Vec<NamedSchema>,
    /// Source files, as displayed (relative to the project root); index = [`FileId`].
    pub files: Vec<PathBuf>,
}

/// Most schemas [`Contract::declared_properties`] gathers through nested `allOf` parts.
const MAX_PART_SCHEMAS: usize = 1_000;

impl Contract {
    pub fn schema(&self, id: SchemaId) -> &NamedSchema {
        &self.schemas[id.0 as usize]
    }

    /// The properties `schema` declares, itself or through its own `allOf`
    /// parts (refs followed; each schema once, at most [`MAX_PART_SCHEMAS`]),
    /// by name, the first declaration of each.
    pub fn declared_properties<'a>(&'a self, schema: &'a Schema) -> HashMap<&'a str, &'a Schema> {
        let mut declared = HashMap::new();
        let mut seen = HashSet::new();
        let mut next = vec![schema];
        while let Some(schema) = next.pop() {
            let Schema::Object(object) = self.resolve(schema) else {
                continue;
            };
            if seen.len() >= MAX_PART_SCHEMAS || !seen.insert(ptr::from_ref(&**object)) {
                continue;
            }
            for (name, property) in &object.properties {
                declared.entry(name.as_str()).or_insert(property);
            }
            next.extend(object.all_of.iter().rev());
        }
        declared
    }

    /// Follows `Ref`s (aliases) to the schema that has content.
    /// Ref cycles without content were reported by the builder; here they end at `Bool(true)`.
    pub fn resolve<'a>(&'a self, schema: &'a Schema) -> &'a Schema {
        const ANY: &Schema = &Schema::Bool(true);
        match schema {
            Schema::Ref(_) => self
                .resolve_named(schema)
                .map_or(ANY, |named| &named.schema),
            other => other,
        }
    }

    /// The named schema with content that `schema`'s `Ref`s lead to: `None`
    /// for a schema written in place, or a ref cycle without content.
    pub fn resolve_named(&self, schema: &Schema) -> Option<&NamedSchema> {
        let &Schema::Ref(mut id) = schema else {
            return None;
        };
        for _ in 0..=self.schemas.len() {
            let named = self.schema(id);
            match named.schema {
                Schema::Ref(next) => id = next,
                _ => return Some(named),
            }
        }
        None
    }

    pub fn file(&self, id: FileId) -> &PathBuf {
        &self.files[id.0 as usize]
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Info {
    pub title: String,
    pub version: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// `termsOfService`, `contact`, `license`, `x-` keys, verbatim.
    pub other: IndexMap<String, Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
    pub variables: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    pub name: String,
    pub description: Option<String>,
    pub other: IndexMap<String, Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Options => "options",
            Method::Head => "head",
            Method::Patch => "patch",
            Method::Trace => "trace",
        }
    }

    /// The method a path item's key names (`get`, ...), if it names one.
    pub fn from_key(key: &str) -> Option<Method> {
        Method::ALL
            .into_iter()
            .find(|method| method.as_str() == key)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str().to_ascii_uppercase())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub loc: Loc,
    pub method: Method,
    pub path: String,
    pub operation_id: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub deprecated: bool,
    /// Path-item parameters merged with the operation's (the operation wins on name + location).
    /// Objects reached through a `$ref` are shared (`Arc`) by every operation that uses them.
    pub parameters: Vec<Arc<Parameter>>,
    /// The path item's own `parameters` (shared by its operations, also in
    /// `parameters`): openapi-typescript's `paths[p].parameters` is made of them.
    pub path_item_parameters: Vec<Arc<Parameter>>,
    pub request_body: Option<Arc<RequestBody>>,
    pub responses: IndexMap<StatusCode, Arc<Response>>,
    /// `None` inherits the root security; `Some(vec![])` means public.
    pub security: Option<Vec<SecurityRequirement>>,
    pub servers: Vec<Server>,
    pub callbacks: IndexMap<String, Value>,
    pub extensions: IndexMap<String, Value>,
}

impl Operation {
    /// `GET /users/{id}`, the name users see in reports.
    pub fn label(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParameterLocation {
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "path" => ParameterLocation::Path,
            "query" => ParameterLocation::Query,
            "header" => ParameterLocation::Header,
            "cookie" => ParameterLocation::Cookie,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ParameterLocation::Path => "path",
            ParameterLocation::Query => "query",
            ParameterLocation::Header => "header",
            ParameterLocation::Cookie => "cookie",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub loc: Loc,
    pub name: String,
    pub location: ParameterLocation,
    pub required: bool,
    pub deprecated: bool,
    pub description: Option<String>,
    pub schema: Option<Schema>,
    /// The `content` form (one media type) instead of `schema`.
    pub content: IndexMap<String, MediaType>,
    pub style: Option<String>,
    pub explode: Option<bool>,
    pub examples: Vec<Example>,
    pub extensions: IndexMap<String, Value>,
    /// The `components.parameters` name when the parameter came through a `$ref`.
    pub component: Option<String>,
}

impl Parameter {
    /// The schema of the parameter's value: its `schema`, or that of its
    /// `content` form's media type (the first one with a schema).
    pub fn value_schema(&self) -> Option<&Schema> {
        self.schema.as_ref().or_else(|| {
            self.content
                .values()
                .find_map(|media| media.schema.as_ref())
        })
    }

    /// Same name and location; header names compare case-insensitively, as HTTP does.
    pub fn is_same_parameter(&self, other: &Parameter) -> bool {
        self.location == other.location
            && match self.location {
                ParameterLocation::Header => self.name.eq_ignore_ascii_case(&other.name),
                _ => self.name == other.name,
            }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub loc: Loc,
    pub description: Option<String>,
    pub required: bool,
    pub content: IndexMap<String, MediaType>,
    pub extensions: IndexMap<String, Value>,
    pub component: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MediaType {
    pub loc: Loc,
    pub schema: Option<Schema>,
    /// `example`, then the `examples` entries in order.
    pub examples: Vec<Example>,
    pub encoding: Option<Value>,
}

/// One example value and where it is written: `.../example`, the `value` of
/// an `examples` entry, or of the `components.examples` entry its `$ref` names
/// (entries with only an `externalValue` are left out: it is never fetched).
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub loc: Loc,
    pub value: Value,
}

/// A response key: one status, a range (`4XX`), or `default`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusCode {
    Code(u16),
    /// The hundreds digit of `1XX`..`5XX`.
    Range(u8),
    Default,
}

impl StatusCode {
    pub fn parse(key: &str) -> Option<Self> {
        if key == "default" {
            return Some(StatusCode::Default);
        }
        let bytes = key.as_bytes();
        if bytes.len() != 3 || !(b'1'..=b'5').contains(&bytes[0]) {
            return None;
        }
        if bytes[1..].eq_ignore_ascii_case(b"XX") {
            return Some(StatusCode::Range(bytes[0] - b'0'));
        }
        if bytes[1..].iter().all(u8::is_ascii_digit) {
            return key.parse().ok().map(StatusCode::Code);
        }
        None
    }

    pub fn is_success(self) -> bool {
        matches!(self, StatusCode::Code(200..=299) | StatusCode::Range(2))
    }
}

impl fmt::Display for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusCode::Code(code) => write!(f, "{code}"),
            StatusCode::Range(hundreds) => write!(f, "{hundreds}XX"),
            StatusCode::Default => f.write_str("default"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub loc: Loc,
    pub description: Option<String>,
    pub headers: IndexMap<String, Arc<Header>>,
    pub content: IndexMap<String, MediaType>,
    pub links: IndexMap<String, Value>,
    pub extensions: IndexMap<String, Value>,
    pub component: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub loc: Loc,
    pub description: Option<String>,
    pub required: bool,
    pub deprecated: bool,
    pub schema: Option<Schema>,
    pub content: IndexMap<String, MediaType>,
    pub component: Option<String>,
}

/// One alternative of a security requirement: scheme name -> scopes (all must hold).
pub type SecurityRequirement = IndexMap<String, Vec<String>>;

#[derive(Debug, Clone, PartialEq)]
pub enum SecurityScheme {
    ApiKey {
        name: String,
        location: ParameterLocation,
    },
    Http {
        scheme: String,
        bearer_format: Option<String>,
    },
    OAuth2 {
        flows: IndexMap<String, OAuthFlow>,
    },
    OpenIdConnect {
        url: String,
    },
    MutualTls,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct OAuthFlow {
    pub authorization_url: Option<String>,
    pub token_url: Option<String>,
    pub refresh_url: Option<String>,
    pub scopes: IndexMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Components {
    pub schemas: IndexMap<String, SchemaId>,
    pub responses: IndexMap<String, Arc<Response>>,
    pub parameters: IndexMap<String, Arc<Parameter>>,
    pub request_bodies: IndexMap<String, Arc<RequestBody>>,
    pub headers: IndexMap<String, Arc<Header>>,
    pub security_schemes: IndexMap<String, SecurityScheme>,
    /// `examples`, `links`, `callbacks`, `pathItems`, `x-` keys: kept verbatim.
    pub other: IndexMap<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_parse_codes_ranges_and_default() {
        assert_eq!(StatusCode::parse("200"), Some(StatusCode::Code(200)));
        assert_eq!(StatusCode::parse("4xx"), Some(StatusCode::Range(4)));
        assert_eq!(StatusCode::parse("default"), Some(StatusCode::Default));
        for bad in ["600", "20", "2000", "6XX", "abc", "2X0", ""] {
            assert_eq!(StatusCode::parse(bad), None, "{bad}");
        }
        assert!(StatusCode::Code(204).is_success());
        assert!(!StatusCode::Default.is_success());
    }
}
