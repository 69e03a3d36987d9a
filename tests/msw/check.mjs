// Runs generated MSW handlers under real MSW (node), calls every operation
// of a spec with fetch, and validates every JSON body against its response
// schema with ajv; other bodies must carry their media type, and text bodies
// of string schemas are validated as strings. Counts the bodies that are the
// spec's own examples (an example's properties may be completed with required
// writeOnly ones). Usage: node check.mjs SPEC.json [--json] [--stateful] (an OpenAPI 3.1
// document). Prints one summary line, or with --json one JSON object of
// counts (valid bodies, wrong answers and what could not be checked, by
// kind), and exits 1 when any response is wrong. With --stateful (handlers
// of `gen --msw --stateful`), an answer with another documented status (a
// 404 for an id the store does not hold) is checked against that status.
import { readFileSync } from "node:fs";
import { setupServer } from "msw/node";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { handlers, statusOverrides } from "./handlers.js";

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const json = process.argv.includes("--json");
// `--stateful`: handlers from `gen --msw --stateful`, whose collections hold only the ids they made.
const stateful = process.argv.includes("--stateful");
// Stateful answers for ids the store does not hold, by status.
const storeAnswers = {};
// Patterns are read as ECMAScript regexes without the `u` flag, as most JSON
// Schema validators in JavaScript do: `\-` outside a class is then legal.
const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true, unicodeRegExp: false });
addFormats.default ? addFormats.default(ajv) : addFormats(ajv);
ajv.addSchema(spec, "spec.json");

const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const escape = (segment) => segment.replaceAll("~", "~0").replaceAll("/", "~1");
const essence = (mediaType) => mediaType.split(";")[0].trim().toLowerCase();
const isJson = (mediaType) => essence(mediaType) === "application/json" || essence(mediaType).endsWith("+json");
// A node with its refs followed, and its pointer. Local refs only: the
// gateway is one self-contained document.
const locate = (node, pointer) => {
  for (let hops = 0; node?.$ref !== undefined && hops < 100; hops += 1) {
    pointer = node.$ref.slice(2);
    node = pointer.split("/").reduce((at, key) => at?.[key.replaceAll("~1", "/").replaceAll("~0", "~")], spec);
  }
  return [node, pointer];
};
const deref = (node) => locate(node, "")[0];
// The spec's examples for a media type: its own, then its schema's.
const examplesOf = (media) => {
  const own = [...("example" in media ? [media.example] : []), ...Object.values(media.examples ?? {}).map((e) => deref(e)?.value)];
  const schema = deref(media.schema) ?? {};
  return [...own, ...("example" in schema ? [schema.example] : []), ...(schema.examples ?? [])].filter((e) => e !== undefined);
};
// `body` is `example`, maybe with properties added.
const extends_ = (body, example) => {
  if (Array.isArray(example)) return Array.isArray(body) && body.length === example.length && example.every((item, i) => extends_(body[i], item));
  if (example !== null && typeof example === "object") {
    return body !== null && typeof body === "object" && !Array.isArray(body) && Object.entries(example).every(([key, value]) => key in body && extends_(body[key], value));
  }
  return body === example;
};

const server = setupServer(...handlers);
server.listen({ onUnhandledRequest: "error" });
// MSW tries the handlers in turn and matches each one's path (building its
// regular expression anew) before looking at its method: with a large spec's
// thousand handlers that is most of a run. A handler of another method never
// answers, so each call runs against the handlers that may (their method's,
// and any without one method), in their order: the same answers, the same
// shadowing (the GitHub spec's run: about 85 s -> 50 s).
const handlersByMethod = new Map();
const useHandlersOf = (method) => {
  if (!handlersByMethod.has(method)) {
    const own = handlers.filter((handler) => typeof handler.info?.method !== "string" || handler.info.method.toUpperCase() === method);
    handlersByMethod.set(method, own);
  }
  server.resetHandlers(...handlersByMethod.get(method));
};

let operations = 0;
let validated = 0;
// Where each distinct body came from, and the distinct non-JSON answers, by `label`.
const sources = new Map();
const nonJson = new Set();
const failures = [];
// The string values of each generated body, by `label`: how many are a bare
// placeholder tells whether mocks look like data.
const generatedText = new Map();
const strings = (value) =>
  typeof value === "string" ? [value] : value !== null && typeof value === "object" ? Object.values(value).flatMap(strings) : [];
const PLACEHOLDERS = new Set(["string", "value", "item"]);
// By kind: answers that were wrong, and responses or operations no body of
// which could be checked.
const failed = {};
const unchecked = {};
const tally = (counts, kind) => {
  counts[kind] = (counts[kind] ?? 0) + 1;
};
const fail = (kind, message) => {
  tally(failed, kind);
  failures.push(message);
};
// The validator of the schema at `pointer`; null when ajv cannot compile it
// (a `pattern` that is no JavaScript regular expression in unicode mode):
// its bodies go unchecked, counted, rather than stopping the run.
const compile = (pointer) => {
  try {
    return ajv.getSchema(`spec.json#/${pointer}`);
  } catch {
    return null;
  }
};

// The schema of `method path`'s `status` body, its media type and media object.
const bodySchema = (path, method, item, status) => {
  const at = ["paths", path, method, "responses", String(status)].map(escape).join("/");
  const [answer, answerPointer] = locate(item[method].responses[String(status)], at);
  const content = answer?.content ?? {};
  // The generator's choice: a JSON media type, else the first.
  const mediaType = Object.keys(content).find(isJson) ?? Object.keys(content)[0];
  if (!mediaType) return {};
  const media = content[mediaType];
  const pointer = `${answerPointer}/content/${escape(mediaType)}/schema`;
  return { mediaType, media, validate: media.schema ? compile(pointer) : undefined };
};

// `twins`: the other operations whose paths answer the same URLs (the spec
// is ambiguous there; MSW's first matching handler answers): a body valid
// for one of them is valid.
async function call(path, method, item, status, twins, headers = {}) {
  const url = "http://api.test" + path.replace(/\{[^}]+\}/g, "x1");
  // Redirect statuses are answers to check, not to follow; no answer may hang the run.
  const label = `${method.toUpperCase()} ${path} -> ${status}`;
  let response;
  useHandlersOf(method.toUpperCase());
  try {
    response = await fetch(url, { method: method.toUpperCase(), headers, redirect: "manual", signal: AbortSignal.timeout(10000) });
  } catch (error) {
    fail("fetch-error", `${label}: ${error}`);
    return;
  }
  if (response.status !== status && stateful && method !== "head" && item[method].responses[String(response.status)] !== undefined) {
    // Stateful handlers answer an id their store does not hold with the
    // documented status for it (404): its body is checked against that status.
    tally(storeAnswers, String(response.status));
    status = response.status;
  }
  if (response.status !== status) {
    // On an ambiguous path another operation's handler may answer, without this status.
    if (twins.length > 0) {
      tally(unchecked, "answered-by-twin");
    } else {
      fail("status", `${label}: got status ${response.status}`);
    }
    return;
  }
  const { mediaType, media, validate } = bodySchema(path, method, item, status);
  // HTTP gives no content to 204, 205 and 304 answers.
  if (!mediaType || [204, 205, 304].includes(status)) {
    tally(unchecked, "no-content");
    return;
  }
  if (method === "head") {
    tally(unchecked, "head");
    return;
  }
  let body;
  if (isJson(mediaType)) {
    if (!media.schema) {
      tally(unchecked, "no-schema");
      return;
    }
    const text = await response.text();
    try {
      body = JSON.parse(text);
    } catch {
      // Another operation's handler on an ambiguous path may answer without content.
      if (twins.length > 0) {
        tally(unchecked, "answered-by-twin");
      } else {
        fail("not-json", `${label}: the body is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
      }
      return;
    }
    if (validate === null) {
      tally(unchecked, "schema-not-compiled");
      return;
    }
  } else {
    nonJson.add(label);
    const expected = essence(mediaType).includes("*") ? "application/octet-stream" : essence(mediaType);
    const got = essence(response.headers.get("content-type") ?? "");
    if (got !== expected) {
      fail("content-type", `${label}: content type ${got}, not ${expected}`);
      return;
    }
    body = await response.text();
    const schema = deref(media.schema);
    if (!validate || ![schema?.type].flat().includes("string")) {
      tally(unchecked, "non-json-body");
      return;
    }
  }
  const twinValid = () =>
    twins.some(([twinPath, twinItem]) => twinItem[method].responses[String(status)] && bodySchema(twinPath, method, twinItem, status).validate?.(body));
  if (validate(body) || twinValid()) {
    validated += 1;
    const source = examplesOf(media).some((example) => extends_(body, example)) ? "example" : "generated";
    sources.set(label, source);
    if (source === "generated" && !generatedText.has(label)) {
      generatedText.set(label, strings(body));
    }
  } else {
    fail("schema", `${label}: ${ajv.errorsText(validate.errors)}`);
  }
}

// Paths that differ only in parameter names, or after a `?` or `#` (which
// requests never carry in their path), answer the same URLs: the spec is
// ambiguous there (contracts validate warns), so the first handler answers.
const shape = (path) => path.replace(/[?#].*$/, "").replace(/\{[^}]*\}/g, "{}");
const shapes = new Map();
for (const [path, item] of Object.entries(spec.paths ?? {})) {
  for (const method of methods.filter((m) => item[m])) {
    const key = `${method} ${shape(path)}`;
    shapes.set(key, [...(shapes.get(key) ?? []), [path, item]]);
  }
}
let ambiguous = 0;

for (const [path, item] of Object.entries(spec.paths ?? {})) {
  for (const method of methods.filter((m) => item[m])) {
    const codes = Object.keys(item[method].responses ?? {}).filter((code) => /^\d{3}$/.test(code)).map(Number);
    // `default` and ranges (`4XX`) name no status a client could ask for.
    for (const code of Object.keys(item[method].responses ?? {}).filter((code) => !/^\d{3}$/.test(code))) {
      tally(unchecked, code === "default" ? "default-response" : "range-response");
    }
    for (const code of codes.filter((code) => code < 200)) tally(unchecked, "informational-status");
    const fallback = codes.find((code) => code >= 200 && code < 300) ?? codes[0];
    if (fallback === undefined) {
      // Only `default` or ranges (`2XX`): no status to ask for.
      tally(unchecked, "operation-without-status-code");
      continue;
    }
    const twins = shapes.get(`${method} ${shape(path)}`).filter(([twin]) => twin !== path);
    if (twins.length > 0) ambiguous += 1;
    operations += 1;
    await call(path, method, item, fallback, twins);
    // Every other documented status, selected by header and by the override map.
    for (const status of codes.filter((code) => code !== fallback && code >= 200)) {
      await call(path, method, item, status, twins, { "x-mock-status": String(status) });
    }
    const other = codes.find((code) => code !== fallback && code >= 200);
    if (other !== undefined && twins.length === 0) {
      const key = `${method.toUpperCase()} ${path}`;
      statusOverrides[key] = other;
      await call(path, method, item, other, twins);
      delete statusOverrides[key];
    }
  }
}
server.close();

const count = (source) => [...sources.values()].filter((s) => s === source).length;
for (const failure of failures.slice(0, 20)) console.error(failure);
if (json) {
  const texts = [...generatedText.values()].flat();
  const placeholders = texts.filter((text) => PLACEHOLDERS.has(text)).length;
  const store = stateful ? { storeAnswers } : {};
  console.log(JSON.stringify({ operations, valid: validated, failed, unchecked, ambiguous, fromExamples: count("example"), generated: count("generated"), nonJson: nonJson.size, generatedStrings: texts.length, placeholders, ...store }));
  process.exit(failures.length === 0 ? 0 : 1);
}
console.log(`node ${process.versions.node}: ${operations} operations mocked, ${validated} bodies valid, ${failures.length} failures, ${ambiguous} operations on ambiguous paths; distinct valid bodies: ${count("example")} from spec examples, ${count("generated")} generated; ${nonJson.size} non-JSON responses; ${unchecked["answered-by-twin"] ?? 0} statuses on ambiguous paths answered by another operation, unchecked`);
console.log(`${validated} passed, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
