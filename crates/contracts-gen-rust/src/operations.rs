//! Per-operation types: the JSON Schemas of inline bodies and of the
//! parameter structs (handed to typify with the named schemas), and the
//! response enums and body aliases (built here with `quote`, around the
//! types typify made).

use contracts_model::{MediaType, Operation, Response, Schema, SchemaId, StatusCode};
use indexmap::IndexMap;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value, json};

use crate::names::{Names, operation_base, rust_identity, status_suffix};

/// Where a body's Rust type comes from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target {
    /// A named schema's type.
    Schema(SchemaId),
    /// A type typify makes from a definition we add (`{Op}Body`, `{Op}Response200`).
    Definition(String),
    /// A JSON body without a schema.
    Any,
}

/// What a response carries.
pub(crate) enum Payload {
    Json(Target),
    /// `text/*`: a `String`.
    Text,
    /// Any other media type: the raw bytes.
    Binary,
    Empty,
}

/// The types one operation gets.
pub(crate) struct OperationTypes<'a> {
    pub operation: &'a Operation,
    /// `{Op}Body` and the JSON request body's type.
    pub body: Option<(String, Target)>,
    /// `{Op}Response`.
    pub response_enum: String,
    pub responses: Vec<(StatusCode, &'a Response, Payload)>,
}

/// A definition for typify: its name and draft-7 schema.
pub(crate) type Definition = (String, Value);

/// A body's chosen media type and what kind of payload it is.
type Chosen<'a> = (&'a MediaType, Kind);

/// The chosen media type of a body: JSON first, then text, then anything.
pub(crate) fn pick_media(content: &IndexMap<String, MediaType>) -> Option<Chosen<'_>> {
    let kinds = content.iter().map(|(name, media)| (media, kind_of(name)));
    kinds
        .clone()
        .find(|(_, kind)| *kind == Kind::Json)
        .or_else(|| kinds.clone().find(|(_, kind)| *kind == Kind::Text))
        .or_else(|| kinds.clone().next())
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    Json,
    Text,
    Binary,
}

fn kind_of(media_type: &str) -> Kind {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") {
        Kind::Json
    } else if essence.starts_with("text/") {
        Kind::Text
    } else {
        Kind::Binary
    }
}

/// Names every operation's types and collects the definitions typify
/// needs for them; `convert` turns a model schema into draft-7 JSON Schema.
pub(crate) fn plan<'a>(
    operations: impl Iterator<Item = &'a Operation>,
    names: &mut Names,
    convert: &dyn Fn(&Schema) -> Value,
    definitions: &mut Vec<Definition>,
) -> Vec<OperationTypes<'a>> {
    let mut out = Vec::new();
    for operation in operations {
        let base = operation_base(operation);
        let body = operation
            .request_body
            .as_ref()
            .and_then(|body| pick_media(&body.content))
            .filter(|(_, kind)| *kind == Kind::Json)
            .map(|(media, _)| media);
        let responses: Vec<(StatusCode, &Response, Option<Chosen>)> = operation
            .responses
            .iter()
            .map(|(status, response)| (*status, &**response, pick_media(&response.content)))
            .collect();
        let params = operation
            .parameters
            .iter()
            .any(|parameter| parameter.value_schema().is_some());
        // Every name this operation's types take, so the base is numbered
        // once for all of them.
        let mut suffixes = vec!["Response".to_owned()];
        if params {
            suffixes.push("Params".into());
        }
        if body.is_some() {
            suffixes.push("Body".into());
        }
        for (status, _, media) in &responses {
            if let Some((media, Kind::Json)) = media
                && is_inline(media)
            {
                suffixes.push(format!("Response{}", status_suffix(*status)));
            }
        }
        let suffix_refs: Vec<&str> = suffixes.iter().map(String::as_str).collect();
        let name = names.claim(&base, &suffix_refs);

        if params {
            definitions.push((format!("{name}Params"), params_schema(operation, convert)));
        }
        let body = body.map(|media| {
            let body_name = format!("{name}Body");
            let target = target(media, &body_name, convert, definitions);
            (body_name, target)
        });
        let responses = responses
            .into_iter()
            .map(|(status, response, media)| {
                let payload = match media {
                    None => Payload::Empty,
                    Some((_, Kind::Text)) => Payload::Text,
                    Some((_, Kind::Binary)) => Payload::Binary,
                    Some((media, Kind::Json)) => {
                        let type_name = format!("{name}Response{}", status_suffix(status));
                        Payload::Json(target(media, &type_name, convert, definitions))
                    }
                };
                (status, response, payload)
            })
            .collect();
        out.push(OperationTypes {
            operation,
            body,
            response_enum: format!("{name}Response"),
            responses,
        });
    }
    out
}

fn is_inline(media: &MediaType) -> bool {
    !matches!(media.schema, None | Some(Schema::Ref(_)))
}

/// A JSON body's type: the named schema it refs, or a definition named
/// `name` for an inline schema.
fn target(
    media: &MediaType,
    name: &str,
    convert: &dyn Fn(&Schema) -> Value,
    definitions: &mut Vec<Definition>,
) -> Target {
    match &media.schema {
        None => Target::Any,
        Some(Schema::Ref(id)) => Target::Schema(*id),
        Some(schema) => {
            definitions.push((name.to_owned(), convert(schema)));
            Target::Definition(name.to_owned())
        }
    }
}

/// The parameter struct as a JSON Schema object: one property per
/// parameter, required as the spec says. A name used in two locations
/// (`id` in the path and the query) keeps it for the first and is
/// prefixed with its location after that (`query_id`), so fields differ.
fn params_schema(operation: &Operation, convert: &dyn Fn(&Schema) -> Value) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut taken = std::collections::HashSet::new();
    for parameter in &operation.parameters {
        let Some(schema) = parameter.value_schema() else {
            continue;
        };
        let mut key = parameter.name.clone();
        let mut counter = 2;
        while !taken.insert(rust_identity(&key)) {
            key = match counter {
                2 => format!("{}_{}", parameter.location.as_str(), parameter.name),
                _ => format!(
                    "{}_{}_{counter}",
                    parameter.location.as_str(),
                    parameter.name
                ),
            };
            counter += 1;
        }
        let mut value = convert(schema);
        // Beside a `$ref`, draft 7 ignores other keywords.
        if let Value::Object(map) = &mut value
            && !map.contains_key("$ref")
            && let Some(description) = &parameter.description
        {
            map.insert("description".into(), json!(description));
        }
        if parameter.required {
            required.push(json!(key));
        }
        properties.insert(key, value);
    }
    json!({
        "type": "object",
        "description": format!("The parameters of `{}`.", operation.label()),
        "properties": properties,
        "required": required,
    })
}

/// One response variant: `Status200(T)`, `Status204`, `Status4xx { status, body }`, `Default { status }`.
fn variant(
    status: StatusCode,
    payload: Option<TokenStream>,
    doc: &str,
) -> (TokenStream, TokenStream) {
    let doc = quote!(#[doc = #doc]);
    match status {
        StatusCode::Code(code) => {
            let ident = format_ident!("Status{code}");
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            match payload {
                Some(ty) => (quote!(#doc #ident(#ty)), quote!(Self::#ident(..) => #code)),
                None => (quote!(#doc #ident), quote!(Self::#ident => #code)),
            }
        }
        StatusCode::Range(_) | StatusCode::Default => {
            let ident = match status {
                StatusCode::Default => format_ident!("Default"),
                _ => format_ident!("Status{}", status_suffix(status)),
            };
            let fields = match payload {
                Some(ty) => quote!(status: u16, body: #ty),
                None => quote!(status: u16),
            };
            (
                quote!(#doc #ident { #fields }),
                quote!(Self::#ident { status, .. } => *status),
            )
        }
    }
}

/// `{Op}Response`: one variant per documented status, with `status()`.
pub(crate) fn response_enum(
    types: &OperationTypes,
    payload_type: &dyn Fn(&Target) -> TokenStream,
) -> TokenStream {
    let operation = types.operation;
    let name = format_ident!("{}", types.response_enum);
    let mut doc = format!("The responses of `{}`.", operation.label());
    for text in [&operation.summary, &operation.description]
        .into_iter()
        .flatten()
    {
        doc.push_str("\n\n");
        doc.push_str(text);
    }
    let (variants, arms): (Vec<TokenStream>, Vec<TokenStream>) = types
        .responses
        .iter()
        .map(|(status, response, payload)| {
            let ty = match payload {
                Payload::Json(target) => Some(payload_type(target)),
                Payload::Text => Some(quote!(::std::string::String)),
                Payload::Binary => Some(quote!(::std::vec::Vec<u8>)),
                Payload::Empty => None,
            };
            let doc = match &response.description {
                Some(description) => format!("`{status}`: {description}"),
                None => format!("`{status}`"),
            };
            variant(*status, ty, &doc)
        })
        .unzip();
    let status_fn = if arms.is_empty() {
        // An enum without variants has no value to ask.
        quote!(match *self {})
    } else {
        quote!(match self { #(#arms,)* })
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub enum #name {
            #(#variants,)*
        }

        impl #name {
            /// The HTTP status code.
            pub fn status(&self) -> u16 {
                #status_fn
            }
        }
    }
}

/// `pub type {Op}Body = T;` for a request body that refs a named schema, so
/// every JSON request body has an `{Op}Body` type.
pub(crate) fn body_alias(name: &str, ty: TokenStream, operation: &Operation) -> TokenStream {
    let name = format_ident!("{name}");
    let doc = format!("The JSON request body of `{}`.", operation.label());
    quote! {
        #[doc = #doc]
        pub type #name = #ty;
    }
}
