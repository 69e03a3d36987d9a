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
mod state;

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
    /// Collections get an in-memory store: what a `POST` adds, the next
    /// `GET` lists (see `state.rs`), and `resetMockState()` is exported.
    pub stateful: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            types_import: "./types".to_owned(),
            base_url: "*".to_owned(),
            seed: 1,
            locale: Locale::En,
            stateful: false,
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

/// The in-memory store of stateful mocks and the resolvers that use it;
/// fixed code, parsed by oxc, never text from a spec. Each resolver falls
/// back to the stateless `mock` when a status is asked for (a header or
/// `statusOverrides`) or the store cannot answer.
const STATEFUL_RUNTIME: &str = r#"type Item = Record<string, JsonBodyType>;
type Params = Record<string, string | readonly string[] | undefined>;
type Info = { request: Request; params: Params };
type Bodies = Record<number, JsonBodyType | Raw | undefined>;

/** An in-memory collection of items by id; `resetMockState()` puts it back to its seed. */
class Collection {
    private items = new Map<string, Item>();
    private made = 0;

    constructor(readonly idProperty: string, readonly idKind: "uuid" | "integer" | "string", private readonly seed: readonly Item[]) {
        this.reset();
    }

    reset(): void {
        this.items = new Map(this.seed.map((item) => [String(item[this.idProperty]), structuredClone(item)]));
        this.made = 0;
    }

    list(): Item[] {
        return [...this.items.values()];
    }

    get(id: string | undefined): Item | undefined {
        return id === undefined ? undefined : this.items.get(id);
    }

    /** A new item: the seed's fields, the request's over them, and a new id. */
    add(fields: Item): Item {
        const item: Item = { ...structuredClone(this.seed[0]), ...fields, [this.idProperty]: this.nextId() };
        this.items.set(String(item[this.idProperty]), item);
        return item;
    }

    update(id: string, fields: Item): Item {
        const kept = this.items.get(id) ?? {};
        const item: Item = { ...kept, ...fields, [this.idProperty]: kept[this.idProperty] };
        this.items.set(id, item);
        return item;
    }

    remove(id: string | undefined): boolean {
        return id !== undefined && this.items.delete(id);
    }

    private nextId(): JsonBodyType {
        this.made += 1;
        switch (this.idKind) {
            case "uuid":
                return crypto.randomUUID();
            case "integer":
                return Math.max(0, ...this.list().map((item) => Number(item[this.idProperty]) || 0)) + 1;
            default:
                return `${String(this.seed[0][this.idProperty])}-${this.made}`;
        }
    }
}

/** Every collection, for `resetMockState`. */
const collections: Collection[] = [];

function collection(idProperty: string, idKind: "uuid" | "integer" | "string", seed: readonly object[]): Collection {
    const made = new Collection(idProperty, idKind, seed as readonly Item[]);
    collections.push(made);
    return made;
}

/** Puts every collection back to its seed, as before any request: for a test's `beforeEach`. */
export function resetMockState(): void {
    for (const collection of collections) {
        collection.reset();
    }
}

function statusAsked(request: Request, key: string): boolean {
    return request.headers.get("x-mock-status") !== null || key in statusOverrides;
}

function param(params: Params, name: string): string | undefined {
    const value = params[name];
    return typeof value === "string" ? value : undefined;
}

/** The `copy` properties of the request's JSON body. */
async function fields(request: Request, copy: readonly string[]): Promise<Item> {
    const body: unknown = await request.json().catch(() => undefined);
    const picked: Item = {};
    if (body !== null && typeof body === "object" && !Array.isArray(body)) {
        for (const name of copy) {
            if (name in body) {
                picked[name] = (body as Item)[name];
            }
        }
    }
    return picked;
}

/** The stateless answers: of the status asked for (else the fallback), and for an id the store does not hold. */
function answers(missing: number | undefined, key: string, fallback: number, bodies: Bodies, echo?: Record<number, Echo>) {
    const stateless = mock(key, fallback, bodies, echo);
    return { stateless, notFound: missing === undefined ? stateless : mock(key, missing, bodies, echo) };
}

/** A list answered with the collection's items (or an object holding them in `holder`). */
function listed(store: Collection, holder: string | undefined, key: string, fallback: number, bodies: Bodies, echo?: Record<number, Echo>) {
    const stateless = mock(key, fallback, bodies, echo);
    return (info: Info) => {
        const body = bodies[fallback];
        if (statusAsked(info.request, key) || body === undefined || body instanceof Raw) {
            return stateless(info);
        }
        const items = store.list();
        return HttpResponse.json(holder === undefined ? items : { ...(body as Item), [holder]: items }, { status: fallback });
    };
}

/** A `POST` that adds an item made of the seed and the request's `copy` properties. */
function created(store: Collection, copy: readonly string[], answersItem: boolean, key: string, fallback: number, bodies: Bodies, echo?: Record<number, Echo>) {
    const stateless = mock(key, fallback, bodies, echo);
    return async (info: Info) => {
        if (statusAsked(info.request, key)) {
            return stateless(info);
        }
        const item = store.add(await fields(info.request, copy));
        return answersItem ? HttpResponse.json(item, { status: fallback }) : stateless(info);
    };
}

/** A `GET` of one item; an unknown id answers the documented `missing` status. */
function read(store: Collection, name: string, missing: number | undefined, key: string, fallback: number, bodies: Bodies, echo?: Record<number, Echo>) {
    const { stateless, notFound } = answers(missing, key, fallback, bodies, echo);
    return (info: Info) => {
        if (statusAsked(info.request, key)) {
            return stateless(info);
        }
        const item = store.get(param(info.params, name));
        return item === undefined ? notFound(info) : HttpResponse.json(item, { status: fallback });
    };
}

/** A `PUT` or `PATCH` of one item: the request's `copy` properties over it. */
function updated(store: Collection, name: string, copy: readonly string[], answersItem: boolean, missing: number | undefined, key: string, fallback: number, bodies: Bodies, echo?: Record<number, Echo>) {
    const { stateless, notFound } = answers(missing, key, fallback, bodies, echo);
    return async (info: Info) => {
        if (statusAsked(info.request, key)) {
            return stateless(info);
        }
        const id = param(info.params, name);
        if (id === undefined || store.get(id) === undefined) {
            return notFound(info);
        }
        const item = store.update(id, await fields(info.request, copy));
        return answersItem ? HttpResponse.json(item, { status: fallback }) : stateless(info);
    };
}

/** A `DELETE` of one item. */
function removed(store: Collection, name: string, missing: number | undefined, key: string, fallback: number, bodies: Bodies, echo?: Record<number, Echo>) {
    const { stateless, notFound } = answers(missing, key, fallback, bodies, echo);
    return (info: Info) => {
        if (statusAsked(info.request, key)) {
            return stateless(info);
        }
        return store.remove(param(info.params, name)) ? stateless(info) : notFound(info);
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
    // Stateful: each collection's seed item, its item `GET`'s generated body;
    // a collection whose body does not fit the types stays stateless.
    let collections = match options.stateful {
        true => state::collections(contract),
        false => state::Collections::default(),
    };
    let seeds: Vec<Option<serde_json::Value>> = (collections.list.iter())
        .map(|collection| {
            let (value, fits_types) = bodies.json(&collection.item.label(), collection.media);
            let has_id = value.get(&collection.id_property).is_some();
            (fits_types && has_id).then_some(value)
        })
        .collect();
    if options.stateful {
        statements.extend(ts.parse(STATEFUL_RUNTIME));
    }
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
        let role = (collections.roles.get(&key)).filter(|(index, _)| seeds[*index].is_some());
        let resolver = match role {
            None => ts.call(ts.ident("mock"), arguments),
            Some((index, role)) => {
                let (function, mut leading) = stateful_arguments(&ts, role);
                leading.insert(0, ts.ident(&format!("collection{index}")));
                leading.extend(arguments);
                ts.call(ts.ident(function), leading)
            }
        };
        let url = format!(
            "{}{}",
            options.base_url.trim_end_matches('/'),
            msw_path(&operation.path)
        );
        let method = ts.property_access(ts.ident("http"), operation.method.as_str());
        handlers.push(ts.call(method, vec![ts.string_expression(&url), resolver]));
    }
    for (index, (collection, seed)) in collections.list.iter().zip(&seeds).enumerate() {
        let Some(seed) = seed else { continue };
        let item = &collection.item;
        let ty = ts.indexed(
            "paths",
            &[
                &item.path,
                item.method.as_str(),
                "responses",
                &collection.status.to_string(),
                "content",
                collection.media_type,
            ],
        );
        let store = ts.call(
            ts.ident("collection"),
            vec![
                ts.string_expression(&collection.id_property),
                ts.string_expression(collection.id_kind.as_str()),
                ts.array_expression(vec![ts.satisfies(ts.json(seed), ty)]),
            ],
        );
        statements.push(ts.local_const(&format!("collection{index}"), store));
    }
    let span = ts.doc(&["A handler for every operation, for `setupServer(...handlers)` or `setupWorker(...handlers)`.".to_owned()]);
    statements.push(ts.export_const(span, "handlers", ts.array_expression(handlers)));
    Generated::file(ts.print(statements), bodies.warnings)
}

/// The stateful resolver of a role, and its arguments before the store's
/// and the stateless ones (see `STATEFUL_RUNTIME`).
fn stateful_arguments<'a>(
    ts: &Ts<'a>,
    role: &state::Role,
) -> (&'static str, Vec<contracts_ts::Expression<'a>>) {
    use state::Role;
    let missing = |missing: &Option<u16>| match missing {
        Some(status) => ts.json(&serde_json::json!(status)),
        None => ts.ident("undefined"),
    };
    let write = |write: &state::Write| {
        [
            ts.json(&serde_json::json!(write.copy)),
            ts.json(&serde_json::json!(write.answers_item)),
        ]
    };
    match role {
        Role::List { holder } => (
            "listed",
            vec![match holder {
                Some(holder) => ts.string_expression(holder),
                None => ts.ident("undefined"),
            }],
        ),
        Role::Create(create) => ("created", write(create).into()),
        Role::Read {
            param,
            missing: absent,
        } => ("read", vec![ts.string_expression(param), missing(absent)]),
        Role::Update {
            param,
            write: update,
            missing: absent,
        } => {
            let mut arguments = vec![ts.string_expression(param)];
            arguments.extend(write(update));
            arguments.push(missing(absent));
            ("updated", arguments)
        }
        Role::Delete {
            param,
            missing: absent,
        } => (
            "removed",
            vec![ts.string_expression(param), missing(absent)],
        ),
    }
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
