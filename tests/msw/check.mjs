// Runs generated MSW handlers under real MSW (node), calls every operation
// of a spec with fetch, and validates every JSON body against its response
// schema with ajv. Usage: node check.mjs SPEC.json (an OpenAPI 3.1 document).
// Prints one summary line and exits 1 when any response is wrong.
import { readFileSync } from "node:fs";
import { setupServer } from "msw/node";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { handlers, statusOverrides } from "./handlers.js";

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
addFormats.default ? addFormats.default(ajv) : addFormats(ajv);
ajv.addSchema(spec, "spec.json");

const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const escape = (segment) => segment.replaceAll("~", "~0").replaceAll("/", "~1");
const isJson = (mediaType) => {
  const essence = mediaType.split(";")[0].trim();
  return essence === "application/json" || essence.endsWith("+json");
};

const server = setupServer(...handlers);
server.listen({ onUnhandledRequest: "error" });

let operations = 0;
let validated = 0;
const failures = [];

async function call(path, method, item, status, headers = {}) {
  const url = "http://api.test" + path.replace(/\{[^}]+\}/g, "x1");
  // Redirect statuses are answers to check, not to follow; no answer may hang the run.
  const response = await fetch(url, { method: method.toUpperCase(), headers, redirect: "manual", signal: AbortSignal.timeout(10000) });
  const label = `${method.toUpperCase()} ${path} -> ${status}`;
  if (response.status !== status) {
    failures.push(`${label}: got status ${response.status}`);
    return;
  }
  const content = item[method].responses[String(status)]?.content ?? {};
  const mediaType = Object.keys(content).find(isJson);
  if (!mediaType || !content[mediaType].schema || method === "head") {
    return;
  }
  const body = await response.json();
  const pointer = ["paths", path, method, "responses", String(status), "content", mediaType, "schema"].map(escape).join("/");
  const validate = ajv.getSchema(`spec.json#/${pointer}`);
  if (validate(body)) {
    validated += 1;
  } else {
    failures.push(`${label}: ${ajv.errorsText(validate.errors)}`);
  }
}

// Paths that differ only in parameter names answer the same URLs: the spec
// is ambiguous there (contracts validate warns), so the first handler answers.
const shape = (path) => path.split("/").map((segment) => (segment.includes("{") ? "{}" : segment)).join("/");
const shapes = new Map();
for (const [path, item] of Object.entries(spec.paths ?? {})) {
  for (const method of methods.filter((m) => item[m])) {
    const key = `${method} ${shape(path)}`;
    shapes.set(key, (shapes.get(key) ?? 0) + 1);
  }
}
let shadowed = 0;

for (const [path, item] of Object.entries(spec.paths ?? {})) {
  for (const method of methods.filter((m) => item[m])) {
    const codes = Object.keys(item[method].responses ?? {}).filter((code) => /^\d{3}$/.test(code)).map(Number);
    const fallback = codes.find((code) => code >= 200 && code < 300) ?? codes[0];
    if (fallback === undefined) continue;
    if (shapes.get(`${method} ${shape(path)}`) > 1) {
      shadowed += 1;
      continue;
    }
    operations += 1;
    await call(path, method, item, fallback);
    // Every other documented status, selected by header and by the override map.
    for (const status of codes.filter((code) => code !== fallback && code >= 200)) {
      await call(path, method, item, status, { "x-mock-status": String(status) });
    }
    const other = codes.find((code) => code !== fallback && code >= 200);
    if (other !== undefined) {
      const key = `${method.toUpperCase()} ${path}`;
      statusOverrides[key] = other;
      await call(path, method, item, other);
      delete statusOverrides[key];
    }
  }
}
server.close();

for (const failure of failures.slice(0, 20)) console.error(failure);
console.log(`node ${process.versions.node}: ${operations} operations mocked, ${validated} bodies valid, ${failures.length} failures, ${shadowed} operations skipped on ambiguous paths`);
console.log(`${validated} passed, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
