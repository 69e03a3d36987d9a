//! MSW request handlers for every operation of a contract, in the `http` /
//! `HttpResponse` API that msw 2 and 3 share. Each handler answers with the
//! spec's own example where one matches the response schema, else with data
//! generated from the schema (in Rust, emitted as a literal; JSON bodies are
//! checked by `satisfies` against the generated TypeScript types). Text and
//! binary media types answer with a string body of their own type.
//! The status is the first 2XX by default; `statusOverrides["GET /users/{id}"]`
//! or a request header `x-mock-status` selects another documented one.
//!
//! Architecture invariant: pure; knows only the model (and `contracts-ts`
//! for printing), not the TypeScript generator.

pub mod codes;
mod echo;
mod examples;
mod fit;
mod heights;
mod mock;

use contracts_gen::Generated;
use contracts_model::{Contract, MediaType, Operation, Response, StatusCode};
use contracts_ts::Ts;
use oxc_allocator::Allocator;

use examples::Bodies;
pub use mock::{Locale, Mocker};

#[derive(Debug, Clone)]
pub struct Options {
    /// The module the handlers import their types (`paths`) from.
    pub types_import: String,
    /// Prefix of every handler's URL; `*` matches any origin.
    pub base_url: String,
    /// Seed of the generated mock data: the same seed gives the same file.
    pub seed: u64,
    /// The language of values chosen by what a property's name means.
    pub locale: Locale,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            types_import: "./types".to_owned(),
            base_url: "*".to_owned(),
            seed: 1,
            locale: Locale::En,
        }
    }
}

/// The runtime every handlers module carries: the status override map and
/// the resolver factory. Fixed code, parsed by oxc, never text from a spec.
const RUNTIME: &str = r#"import { http, HttpResponse, type JsonBodyType } from "msw";

/**
 * The status each handler answers with, by operation (`"GET /users/{id}": 404`).
 * A request header `x-mock-status: 404` wins over it. A status the operation
 * does not document falls back to its default (first 2XX).
 */
export const statusOverrides: Record<string, number> = {};

/** A body that is not JSON (text, XML, bytes): sent as it is, with its media type. */
class Raw {
    constructor(readonly contentType: string, readonly body: string) {}
}

function raw(contentType: string, body: string): Raw {
    return new Raw(contentType, body);
}

/** Path parameters a body's fields repeat: `{ field: [parameter, kind] }`. */
type Echo = Record<string, [string, "string" | "uuid" | "integer" | "number"]>;

/** What a path parameter's text must look like to become a field of each kind. */
const echoable = {
    string: /^/,
    uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    integer: /^-?\d+$/,
    number: /^-?\d+(\.\d+)?$/,
};

/** A copy of `body` whose `echo` fields hold the request's path parameters, where the kind fits. */
function echoed(body: JsonBodyType, params: Record<string, string | readonly string[] | undefined>, echo: Echo | undefined): JsonBodyType {
    if (echo === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
        return body;
    }
    const copy: Record<string, JsonBodyType> = { ...(body as Record<string, JsonBodyType>) };
    for (const [field, [name, kind]] of Object.entries(echo)) {
        const text = params[name];
        if (typeof text !== "string" || !(field in copy)) {
            continue;
        }
        if (echoable[kind].test(text)) {
            copy[field] = kind === "integer" || kind === "number" ? Number(text) : text;
        }
    }
    return copy;
}

/**
 * Bodies by status: `undefined` for a response without content, `null` for JSON `null`;
 * `echo`, by status, the fields that repeat the request's path parameters.
 */
function mock(key: string, fallback: number, bodies: Record<number, JsonBodyType | Raw | undefined>, echo: Record<number, Echo> = {}) {
    return ({ request, params }: { request: Request; params: Record<string, string | readonly string[] | undefined> }) => {
        const header = request.headers.get("x-mock-status");
        const wanted = header === null ? (statusOverrides[key] ?? fallback) : Number(header);
        const status = wanted in bodies ? wanted : fallback;
        const body = bodies[status];
        if (body instanceof Raw) {
            return new HttpResponse(body.body, { status, headers: { "Content-Type": body.contentType } });
        }
        return body === undefined ? new HttpResponse(null, { status }) : HttpResponse.json(echoed(body, params, echo[status]), { status });
    };
}
"#;

/// The handlers module, with warnings for examples left out (and why) and
/// mocks that hit a limit. Deterministic for a seed.
pub fn generate(contract: &Contract, options: &Options) -> Generated {
    let allocator = Allocator::default();
    let mut ts = Ts::new(&allocator);
    // Parse first: comments made afterwards get keys past the parsed source.
    let mut statements = ts.parse(RUNTIME);
    let header = ts.doc(&[
        "This file was auto-generated by contracts (`contracts gen --msw`).".to_owned(),
        "Do not make direct changes to the file.".to_owned(),
    ]);
    statements.insert(
        0,
        ts.import_types(header, &["paths"], &options.types_import),
    );

    // MSW takes the first matching handler, and `*` matches any prefix of a URL:
    // longer paths first (so `*/repositories` cannot answer `/orgs/x/repositories`),
    // among equally long ones, more literal text first (a parameter also
    // matches `x:cancel`, so `/{name}:cancel` goes before `/{name}`, and
    // `/teams/mine` before `/teams/{team}`), then fewer parameters.
    let mut operations: Vec<&Operation> = contract.operations.iter().collect();
    operations.sort_by_key(|operation| {
        let path = matched(&operation.path);
        let segments = path.split('/').filter(|s| !s.is_empty()).count();
        let parameters = path.matches('{').count();
        let literal: usize = (path.split('{'))
            .map(|part| part.split_once('}').map_or(part, |(_, rest)| rest).len())
            .sum();
        (
            std::cmp::Reverse(segments),
            std::cmp::Reverse(literal),
            parameters,
        )
    });
    // What each documented status answers with, so the schemas that check
    // examples are known (and compiled once) before any body is made.
    let plans: Vec<Plan> = operations
        .into_iter()
        .filter_map(|operation| {
            let fallback = default_status(operation)?;
            let statuses = (operation.responses.iter())
                .filter_map(|(status, response)| match status {
                    StatusCode::Code(code) => Some((
                        *code,
                        answer(response).filter(|_| !NULL_BODY_STATUSES.contains(code)),
                    )),
                    _ => None,
                })
                .collect();
            Some(Plan {
                operation,
                fallback,
                statuses,
            })
        })
        .collect();
    let media = plans.iter().flat_map(|plan| {
        (plan.statuses.iter()).filter_map(|(_, answer)| answer.map(|(_, media)| media))
    });
    let mut bodies = Bodies::new(contract, options.seed, options.locale, media);
    let mut handlers = Vec::new();
    for Plan {
        operation,
        fallback,
        statuses,
    } in &plans
    {
        let key = operation.label();
        let mut entries = Vec::new();
        let mut echoes = serde_json::Map::new();
        for (code, answer) in statuses {
            let body = match answer {
                Some((media_type, media)) if is_json(media_type) => {
                    let echo = (media.schema.as_ref())
                        .and_then(|schema| echo::fields(contract, operation, schema));
                    if let Some(echo) = echo {
                        echoes.insert(code.to_string(), echo);
                    }
                    let (value, fits_types) = bodies.json(&key, media);
                    if !fits_types {
                        entries.push((code.to_string(), ts.json(&value)));
                        continue;
                    }
                    let ty = ts.indexed(
                        "paths",
                        &[
                            &operation.path,
                            operation.method.as_str(),
                            "responses",
                            &code.to_string(),
                            "content",
                            media_type,
                        ],
                    );
                    ts.satisfies(ts.json(&value), ty)
                }
                Some((media_type, media)) => {
                    let text = bodies.text(&key, media);
                    ts.call(
                        ts.ident("raw"),
                        vec![
                            ts.string_expression(content_type(media_type)),
                            ts.string_expression(&text),
                        ],
                    )
                }
                None => ts.ident("undefined"),
            };
            entries.push((code.to_string(), body));
        }
        let mut arguments = vec![
            ts.string_expression(&key),
            ts.json(&serde_json::json!(fallback)),
            ts.object_expression(entries),
        ];
        if !echoes.is_empty() {
            arguments.push(ts.json(&serde_json::Value::Object(echoes)));
        }
        let resolver = ts.call(ts.ident("mock"), arguments);
        let url = format!(
            "{}{}",
            options.base_url.trim_end_matches('/'),
            msw_path(&operation.path)
        );
        let method = ts.property_access(ts.ident("http"), operation.method.as_str());
        handlers.push(ts.call(method, vec![ts.string_expression(&url), resolver]));
    }
    let span = ts.doc(&["A handler for every operation, for `setupServer(...handlers)` or `setupWorker(...handlers)`.".to_owned()]);
    statements.push(ts.export_const(span, "handlers", ts.array_expression(handlers)));
    Generated::file(ts.print(statements), bodies.warnings)
}

/// The first documented 2XX, else the first documented status.
fn default_status(operation: &Operation) -> Option<u16> {
    let codes = operation
        .responses
        .keys()
        .filter_map(|status| match status {
            StatusCode::Code(code) => Some(*code),
            _ => None,
        });
    let codes: Vec<u16> = codes.collect();
    codes
        .iter()
        .copied()
        .find(|code| (200..300).contains(code))
        .or(codes.first().copied())
}

/// An operation's handler to be: its default status, and what each
/// documented status answers with.
struct Plan<'c> {
    operation: &'c Operation,
    fallback: u16,
    statuses: Vec<(u16, Option<Answer<'c>>)>,
}

/// Statuses whose responses carry no content in HTTP (fetch's `Response`
/// refuses a body for them), whatever the spec says.
const NULL_BODY_STATUSES: [u16; 3] = [204, 205, 304];

/// A media type a response answers with, and its entry.
type Answer<'c> = (&'c str, &'c MediaType);

/// The media type a response answers with: a JSON one when there is one.
fn answer(response: &Response) -> Option<Answer<'_>> {
    let mut content = response.content.iter();
    let json = content.clone().find(|(media_type, _)| is_json(media_type));
    json.or_else(|| content.next())
        .map(|(media_type, media)| (media_type.as_str(), media))
}

fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

fn essence(media_type: &str) -> &str {
    media_type.split(';').next().unwrap_or("").trim()
}

/// The `Content-Type` of a non-JSON body: the media type, or for a range
/// (`image/*`, `*/*`) plain bytes.
fn content_type(media_type: &str) -> &str {
    if essence(media_type).contains('*') {
        "application/octet-stream"
    } else {
        media_type
    }
}

/// The part of a path MSW matches requests against: what follows `?` or
/// `#` is dropped by both MSWs (and requests never carry it in their path).
fn matched(path: &str) -> &str {
    path.split(['?', '#']).next().unwrap_or_default()
}

/// `/users/{id}` -> `/users/:id`. MSW parameter names are identifiers, so
/// `{enterprise-team}` becomes `:enterprise_team` (the names are not used).
/// Literal text is escaped where MSW 2 (path-to-regexp 6) or MSW 3
/// (`@msw/url`) would read it as syntax: `/v1/{name}:cancel` ->
/// `/v1/:name\:cancel`, and an identifier character right after a parameter
/// (`{id}abc`), which would extend its name. `*` stays a wildcard: it also matches a literal `*`, and MSW 2 reads no escaped one.
fn msw_path(path: &str) -> String {
    let path = matched(path);
    let mut out = String::with_capacity(path.len());
    let mut in_parameter = false;
    let mut after_parameter = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_parameter = true;
                out.push(':');
            }
            '}' => {
                in_parameter = false;
                after_parameter = true;
                continue;
            }
            c if in_parameter && !(c.is_ascii_alphanumeric() || c == '_') => out.push('_'),
            c if in_parameter => out.push(c),
            ':' | '(' | ')' | '[' | ']' | '+' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if after_parameter && (c.is_ascii_alphanumeric() || c == '_') => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        after_parameter = false;
    }
    out
}

#[cfg(test)]
mod tests;
