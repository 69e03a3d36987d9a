// Runs openapi-typescript (pinned in tests/package.json) on many specs in one
// Node process, for `cargo xtask parity`: starting Node and loading Redocly
// once instead of once per spec.
//
// usage: node openapi-typescript.mjs JOBS.json
// JOBS.json: [{ "id", "spec": path, "output": path, "options": {...}, "transforms": [name, ...] }, ...]
// `transforms`: rewrites of the spec, or of openapi-typescript's output
// through its `transform` hook, by name (below), for the divergences of
// docs/compat.md that no option of openapi-typescript undoes.
// Prints one JSON line per job: { "id", "ok": true } or { "id", "error" }.

import { readFile, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";

/** Calls `visit` on every object under `root`; a stack, not recursion, as specs nest deep. */
function eachObject(root, visit) {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== "object") continue;
    if (!Array.isArray(node)) visit(node);
    stack.push(...Object.values(node));
  }
}

const transforms = {
  // openapi-typescript requires every header reached through a `$ref`, whatever its `required`.
  "inline-header-refs"(spec) {
    const prefix = "#/components/headers/";
    eachObject(spec, (node) => {
      const headers = node.headers;
      if (headers === null || typeof headers !== "object") return;
      for (const [name, header] of Object.entries(headers)) {
        const target = header?.$ref?.startsWith(prefix) && spec.components?.headers?.[header.$ref.slice(prefix.length)];
        if (target && !target.$ref) headers[name] = target;
      }
    });
  },
  // openapi-typescript leaves out `required` names that `properties` does not declare.
  "declare-required-properties"(spec) {
    eachObject(spec, (node) => {
      if (!Array.isArray(node.required) || node.required.some((name) => typeof name !== "string")) return;
      const properties = node.properties ?? {};
      if (typeof properties !== "object" || Array.isArray(properties)) return;
      const missing = node.required.filter((name) => !Object.hasOwn(properties, name));
      if (missing.length === 0) return;
      node.properties = properties;
      for (const name of missing) properties[name] = {};
    });
  },
  // openapi-typescript narrows the discriminator property of schemas a discriminator maps or that extend its schema.
  "without-discriminators"(spec) {
    eachObject(spec, (node) => {
      delete node.discriminator;
    });
  },
};

const hooks = {
  // openapi-typescript's own recipe for `Blob`s, where `gen --ts` makes them: binary strings of request bodies.
  "binary-request-bodies-as-blob"(schema, metadata) {
    const binary = schema.format === "binary" || schema.contentMediaType === "application/octet-stream";
    const inRequestBody = /\/requestBod(y|ies)\//.test(metadata.path ?? "");
    if (binary && inRequestBody) {
      return ts.factory.createTypeReferenceNode(ts.factory.createIdentifier("Blob"));
    }
  },
};

const jobs = JSON.parse(await readFile(process.argv[2], "utf8"));
for (const job of jobs) {
  try {
    let source = pathToFileURL(job.spec);
    const options = { silent: true, ...job.options };
    const named = job.transforms ?? [];
    if (named.some((name) => transforms[name])) {
      source = JSON.parse(await readFile(job.spec, "utf8"));
    }
    for (const name of named) {
      if (transforms[name]) transforms[name](source);
      else if (hooks[name]) options.transform = hooks[name];
      else throw new Error(`unknown transform ${name}`);
    }
    const ast = await openapiTS(source, options);
    await writeFile(job.output, astToString(ast));
    console.log(JSON.stringify({ id: job.id, ok: true }));
  } catch (error) {
    console.log(JSON.stringify({ id: job.id, error: String(error?.message ?? error).split("\n")[0] }));
  }
}
