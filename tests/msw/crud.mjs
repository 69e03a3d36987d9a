// Stateful MSW handlers (`gen --msw --stateful`) under real MSW (node):
// for each collection path given, a create-read-update-delete sequence,
// every JSON body validated with ajv against its response schema, and the
// state checked between steps (a created item is listed and read, an update
// shows, a deleted item answers 404, `resetMockState()` restores the seed).
// Request bodies are the spec's own examples. Usage:
//   node crud.mjs SPEC.json /users /products ... [--json]
// Prints one line per failure and a summary (with --json, a JSON object of
// counts) and exits 1 when a step fails.
import { readFileSync } from "node:fs";
import { setupServer } from "msw/node";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { handlers, resetMockState } from "./handlers.js";

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const collections = process.argv.slice(3).filter((arg) => arg.startsWith("/"));
const json = process.argv.includes("--json");
const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true, unicodeRegExp: false });
addFormats.default ? addFormats.default(ajv) : addFormats(ajv);
ajv.addSchema(spec, "spec.json");

const essence = (mediaType) => mediaType.split(";")[0].trim().toLowerCase();
const isJson = (mediaType) => essence(mediaType) === "application/json" || essence(mediaType).endsWith("+json");
const escape = (segment) => segment.replaceAll("~", "~0").replaceAll("/", "~1");
// A node with its (local) refs followed, and its pointer.
const locate = (node, pointer) => {
  for (let hops = 0; node?.$ref !== undefined && hops < 100; hops += 1) {
    pointer = node.$ref.slice(2);
    node = pointer.split("/").reduce((at, key) => at?.[key.replaceAll("~1", "/").replaceAll("~0", "~")], spec);
  }
  return [node, pointer];
};
const deref = (node) => locate(node, "")[0];
// What a schema is by reference: its ref, else itself.
const identity = (schema) => JSON.stringify(schema?.$ref ?? schema);
const base = "https://api.example.com";
const server = setupServer(...handlers);
server.listen({ onUnhandledRequest: "error" });

// Collections tested, and those whose list shows the store.
const counts = { collections: 0, listed: 0, steps: 0, valid: 0 };
const failures = [];
const fail = (message) => failures.push(message);

/** The example a request body of `path` `method` documents, if any. */
const requestExample = (path, method) => {
  const media = deref(spec.paths[path]?.[method]?.requestBody)?.content?.["application/json"];
  if (media === undefined) return undefined;
  if ("example" in media) return media.example;
  const named = Object.values(media.examples ?? {}).map((example) => deref(example)?.value);
  if (named.length > 0) return named[0];
  const schema = deref(media.schema) ?? {};
  return "example" in schema ? schema.example : schema.examples?.[0];
};

/** Calls and checks one step: the status, and the body against its response schema. */
const step = async (label, path, method, url, status, body) => {
  counts.steps += 1;
  const init = { method: method.toUpperCase(), headers: {} };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["content-type"] = "application/json";
  }
  const response = await fetch(base + url, init);
  if (response.status !== status) {
    fail(`${label}: ${method.toUpperCase()} ${url} answered ${response.status}, not ${status}`);
    return undefined;
  }
  const text = await response.text();
  const [answer, at] = locate(spec.paths[path][method].responses[String(status)], `paths/${escape(path)}/${method}/responses/${status}`);
  const content = answer?.content ?? {};
  const mediaType = Object.keys(content).find(isJson);
  const media = mediaType === undefined ? undefined : content[mediaType];
  if (media === undefined) {
    if (text !== "") fail(`${label}: ${url} answered a body where the spec has none`);
    else counts.valid += 1;
    return undefined;
  }
  const value = JSON.parse(text);
  const pointer = `spec.json#/${at}/content/${escape(mediaType)}/schema`;
  const validate = ajv.getSchema(pointer);
  if (validate(value)) counts.valid += 1;
  else fail(`${label}: ${method.toUpperCase()} ${url} ${status}: ${ajv.errorsText(validate.errors)}`);
  return value;
};

/** The items of a list body: the body, or its one array-valued property. */
const itemsOf = (body) => (Array.isArray(body) ? body : Object.values(body ?? {}).find(Array.isArray) ?? []);

const firstSuccess = (operation) => Number(Object.keys(operation.responses).find((status) => /^2\d\d$/.test(status)));

for (const collection of collections) {
  const item = Object.keys(spec.paths).find((path) => path.startsWith(`${collection}/{`) && path.indexOf("}") === path.length - 1 && path.split("/").length === collection.split("/").length + 1);
  const create = spec.paths[collection]?.post;
  const payload = requestExample(collection, "post");
  if (item === undefined || create === undefined || payload === undefined) {
    fail(`${collection}: no item path, POST or request example to test with`);
    continue;
  }
  counts.collections += 1;
  const label = collection;
  const idName = item.slice(item.lastIndexOf("{") + 1, -1);
  const idOf = (body) => body?.[idName] ?? body?.id;
  const listed = async () => itemsOf(await step(label, collection, "get", collection, firstSuccess(spec.paths[collection].get)));

  // The list shows the store when it lists the items the item GET answers.
  const listSchema = deref(Object.values(deref(spec.paths[collection].get?.responses?.[firstSuccess(spec.paths[collection].get ?? { responses: {} })])?.content ?? {})[0]?.schema);
  const itemSchema = Object.values(deref(spec.paths[item].get.responses[firstSuccess(spec.paths[item].get)])?.content ?? {})[0]?.schema;
  const listedItems = listSchema?.type === "array" ? listSchema.items : Object.values(listSchema?.properties ?? {}).map(deref).find((p) => p?.type === "array")?.items;
  const keepsList = identity(listedItems) === identity(itemSchema);
  if (keepsList) counts.listed += 1;
  const before = (await listed()).map(idOf);
  const created = await step(label, collection, "post", collection, firstSuccess(create), payload);
  const id = idOf(created);
  if (id === undefined || before.includes(id)) {
    fail(`${label}: POST made no new id (${id})`);
    continue;
  }
  const after = (await listed()).map(idOf);
  if (keepsList && (!after.includes(id) || after.length !== before.length + 1)) fail(`${label}: the created item is not listed`);
  const url = `${collection}/${encodeURIComponent(String(id))}`;
  const read = await step(label, item, "get", url, firstSuccess(spec.paths[item].get));
  if (idOf(read) !== id) fail(`${label}: GET ${url} answered another item`);

  for (const method of ["patch", "put"]) {
    const update = spec.paths[item][method];
    const change = requestExample(item, method);
    if (update === undefined || change === undefined) continue;
    const updated = await step(label, item, method, url, firstSuccess(update), change);
    const reread = await step(label, item, "get", url, firstSuccess(spec.paths[item].get));
    for (const [key, value] of Object.entries(change)) {
      // A copied field shows in what is answered and read next.
      if (updated !== undefined && key in updated && JSON.stringify(updated[key]) === JSON.stringify(value) && JSON.stringify(reread?.[key]) !== JSON.stringify(value)) {
        fail(`${label}: ${method.toUpperCase()} ${url} changed \`${key}\` but the next GET does not show it`);
      }
    }
  }

  if (spec.paths[item].delete !== undefined) {
    await step(label, item, "delete", url, firstSuccess(spec.paths[item].delete));
    await step(label, item, "get", url, 404);
    const remaining = (await listed()).map(idOf);
    if (keepsList && remaining.includes(id)) fail(`${label}: the deleted item is still listed`);
  }

  const extra = idOf(await step(label, collection, "post", collection, firstSuccess(create), payload));
  resetMockState();
  const reset = (await listed()).map(idOf);
  if (keepsList && JSON.stringify(reset) !== JSON.stringify(before)) fail(`${label}: resetMockState() did not restore the seed`);
  // The item made before the reset is gone.
  await step(label, item, "get", `${collection}/${encodeURIComponent(String(extra))}`, 404);
}

server.close();
for (const failure of failures) console.error(failure);
const summary = { ...counts, failed: failures.length };
console.log(json ? JSON.stringify(summary) : `${counts.collections} collections (${counts.listed} listed from the store), ${counts.steps} steps, ${counts.valid} valid bodies, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
