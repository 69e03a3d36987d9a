// Runs openapi-typescript (pinned in tests/package.json) on many specs in one
// Node process, for `cargo xtask parity`: starting Node and loading Redocly
// once instead of once per spec.
//
// usage: node openapi-typescript.mjs JOBS.json
// JOBS.json: [{ "id", "spec": path, "output": path, "options": {...}, "transforms": [name, ...] }, ...]
// `transforms`: rewrites of the spec, of openapi-typescript's output
// through its `transform` hook, or of its printed output, by name (below), for the divergences of
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

/** The node `ref` (`#/a/b~1c`) points to in `spec`, if it is local. */
function resolve(spec, ref) {
  if (typeof ref !== "string" || !ref.startsWith("#/")) return undefined;
  return ref
    .slice(2)
    .split("/")
    .map((token) => decodeURIComponent(token).replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce((node, token) => node?.[token], spec);
}

/** `schema` with its `$ref`s followed (a bounded number of times). */
function target(spec, schema) {
  for (let hops = 0; typeof schema?.$ref === "string" && hops < 100; hops++) schema = resolve(spec, schema.$ref);
  return schema;
}

/** The JSON types of a schema's values as `gen --ts` reads them (integers are numbers); `undefined` when it does not say. */
function valueTypes(spec, schema) {
  schema = target(spec, schema);
  if (schema === null || typeof schema !== "object") return undefined;
  const jsonType = (value) => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value);
  let types;
  if (schema.const !== undefined) types = [jsonType(schema.const)];
  else if (Array.isArray(schema.enum)) types = schema.enum.map(jsonType);
  else if (schema.type !== undefined) types = [schema.type].flat().map((type) => (type === "integer" ? "number" : type));
  else return undefined;
  if (schema.nullable === true) types.push("null");
  return types;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

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
  // openapi-typescript narrows the discriminator property in the schemas a discriminator maps and in those
  // that extend its schema; `gen --ts` narrows each mapped object branch of the `oneOf`/`anyOf` instead.
  // Under `enumValues` the tags are `const`s (an enum would be one more const, which `gen --ts` has not).
  "discriminator-tags-at-unions"(spec, options) {
    const isObject = (branch) => {
      const schema = target(spec, branch);
      const shaped = schema?.properties || schema?.additionalProperties !== undefined || schema?.required;
      return [schema?.type].flat().includes("object") || (schema?.type === undefined && Boolean(shaped));
    };
    eachObject(spec, (node) => {
      const discriminator = node.discriminator;
      if (discriminator === undefined) return;
      delete node.discriminator;
      const property = discriminator?.propertyName;
      if (typeof property !== "string" || discriminator.mapping === null || typeof discriminator.mapping !== "object") return;
      const tags = new Map();
      for (const [tag, target] of Object.entries(discriminator.mapping)) {
        if (typeof target !== "string") continue;
        // A bare schema name stands for the component.
        const ref = /[#/.]/.test(target) ? target : `#/components/schemas/${target}`;
        tags.set(ref, [...(tags.get(ref) ?? []), tag]);
      }
      for (const key of ["oneOf", "anyOf"]) {
        if (!Array.isArray(node[key])) continue;
        node[key] = node[key].map((branch) => {
          const values = typeof branch?.$ref === "string" && tags.get(branch.$ref);
          if (!values || !isObject(branch)) return branch;
          const consts = values.length === 1 ? { const: values[0] } : { oneOf: values.map((value) => ({ const: value })) };
          const tagType = options.enumValues ? consts : { type: "string", enum: values };
          const tag = { type: "object", required: [property], properties: { [property]: tagType } };
          return { allOf: [branch, tag] };
        });
      }
    });
  },
  // openapi-typescript's `emptyObjectsUnknown` also opens the objects `additionalProperties: false` closes.
  // Under `enumValues`, `never` without an enum (an enum would be one more const).
  "closed-empty-objects"(spec, options) {
    eachObject(spec, (node) => {
      if (node.additionalProperties !== false || (node.type !== undefined && node.type !== "object")) return;
      const declares = Object.keys(node.properties ?? {}).length > 0 || node.patternProperties || node.required?.length;
      if (declares || node.allOf || node.oneOf || node.anyOf) return;
      node.additionalProperties = options.enumValues
        ? { allOf: [{ type: "string" }, { type: "number" }] }
        : { enum: [] };
    });
  },
  // openapi-typescript keeps a property with a `default` optional wherever the schema's path contains
  // `parameters` or `requestBody` (a schema named `parameters`, a property `requestBody`); `gen --ts` only
  // in parameters and request bodies: required everywhere else.
  "required-defaults-outside-requests"(spec) {
    const requests = new Set();
    const items = [...Object.values(spec.paths ?? {}), ...Object.values(spec.webhooks ?? {})];
    for (const item of items) {
      if (item === null || typeof item !== "object") continue;
      requests.add(item.parameters);
      for (const method of METHODS) {
        requests.add(item[method]?.parameters);
        requests.add(item[method]?.requestBody);
      }
    }
    requests.add(spec.components?.parameters);
    requests.add(spec.components?.requestBodies);
    const v30 = String(spec.openapi).startsWith("3.0");
    const stack = [spec];
    while (stack.length > 0) {
      const node = stack.pop();
      if (node === null || typeof node !== "object" || requests.has(node)) continue;
      stack.push(...Object.values(node));
      const properties = node.properties;
      if (Array.isArray(node) || properties === null || typeof properties !== "object") continue;
      for (const [name, property] of Object.entries(properties)) {
        // OpenAPI 3.0 ignores keywords beside `$ref`, a `default` too.
        if (property?.default === undefined || (v30 && property.$ref !== undefined)) continue;
        if (!Array.isArray(node.required)) node.required = [];
        if (!node.required.includes(name)) node.required.push(name);
      }
    }
  },
  // openapi-typescript intersects a `type` with a composition that admits none of its values (`never`);
  // `gen --ts` follows the composition (`type: 'null'` read as "or null").
  "composition-over-contradicting-type"(spec) {
    eachObject(spec, (node) => {
      if (node.type === undefined || node.const !== undefined || Array.isArray(node.enum)) return;
      const own = [node.type].flat().map((type) => (type === "integer" ? "number" : type));
      if (node.nullable === true) own.push("null");
      const disjoint = (schema) => {
        const types = valueTypes(spec, schema);
        return types !== undefined && !types.some((type) => own.includes(type));
      };
      const parts = (key) => (Array.isArray(node[key]) ? node[key] : []);
      const contradicts =
        parts("allOf").some(disjoint) ||
        (parts("oneOf").length > 0 && parts("oneOf").every(disjoint)) ||
        (parts("anyOf").length > 0 && parts("anyOf").every(disjoint));
      if (!contradicts) return;
      delete node.type;
      if (own.includes("null")) node.nullable = true;
    });
  },
  // openapi-typescript leaves out a `type: object` without members beside a composition; `gen --ts`
  // intersects the composition with an object that accepts any keys.
  "object-type-beside-composition"(spec) {
    eachObject(spec, (node) => {
      const types = [node.type].flat().filter((type) => type !== "null");
      if (types.length !== 1 || types[0] !== "object") return;
      const declares = Object.keys(node.properties ?? {}).length > 0 || node.required?.length > 0;
      if (declares || node.additionalProperties !== undefined || node.patternProperties !== undefined) return;
      if (!node.allOf && !node.oneOf && !node.anyOf) return;
      node.additionalProperties = true;
    });
  },
  // openapi-typescript ignores `items` without `type`, and intersects `properties` without `type` with every
  // branch; `gen --ts` narrows only the branches of their type when a branch has another.
  "untyped-members-narrow-their-branches"(spec) {
    const annotations = ["description", "title", "example", "examples", "deprecated", "default", "readOnly", "writeOnly"];
    eachObject(spec, (node) => {
      if (node.type !== undefined || node.const !== undefined || Array.isArray(node.enum) || node.allOf) return;
      const key = Array.isArray(node.oneOf) && !node.anyOf ? "oneOf" : Array.isArray(node.anyOf) && !node.oneOf ? "anyOf" : undefined;
      if (key === undefined) return;
      const declares = Object.keys(node.properties ?? {}).length > 0;
      const map = node.additionalProperties;
      // What `gen --ts` reads otherwise: no members beside `additionalProperties: false`; a map beside `anyOf`, an alternative.
      if (!declares && (map === false || (key === "anyOf" && map !== null && typeof map === "object"))) return;
      const object = declares || node.required?.length > 0 || map !== undefined;
      const implied = object ? "object" : node.items !== undefined || node.prefixItems !== undefined ? "array" : undefined;
      if (implied === undefined) return;
      const other = (branch) => {
        const types = valueTypes(spec, branch);
        return types !== undefined && !types.includes(implied);
      };
      if (!node[key].some(other)) return;
      const shape = { type: implied };
      for (const name of Object.keys(node)) {
        if (name === key || name === "nullable" || annotations.includes(name) || name.startsWith("x-")) continue;
        shape[name] = node[name];
        delete node[name];
      }
      node[key] = node[key].map((branch) => (other(branch) ? branch : { allOf: [branch, shape] }));
    });
  },
  // openapi-typescript makes a schema's own members one more alternative of its `anyOf`; `gen --ts` applies
  // both (an intersection), except for a map beside the `anyOf` alone, which both read as an alternative.
  "any-of-beside-own-members"(spec) {
    eachObject(spec, (node) => {
      if (!Array.isArray(node.anyOf) || node.const !== undefined || Array.isArray(node.enum)) return;
      const members = Object.keys(node.properties ?? {}).length > 0 || node.required?.length > 0;
      const map = node.additionalProperties;
      if (!members) {
        // `gen --ts` leaves out what `additionalProperties: false` would close beside a composition.
        if (map === false) return;
        if (map !== null && typeof map === "object" && !node.allOf && !node.oneOf) return;
        if (map === undefined && node.type === undefined && node.items === undefined) return;
      }
      const { anyOf, nullable, ...own } = node;
      let orNull = nullable === true;
      if (Array.isArray(own.type) && own.type.includes("null")) {
        own.type = own.type.filter((type) => type !== "null");
        orNull = true;
      }
      for (const key of Object.keys(node)) delete node[key];
      node.allOf = [own, { anyOf }];
      if (orNull) node.nullable = true;
    });
  },
  // openapi-typescript drops every keyword beside a `$ref`; in OpenAPI 3.1 (JSON Schema 2020-12) they apply.
  "ref-siblings-apply"(spec) {
    if (!String(spec.openapi).startsWith("3.1")) return;
    const annotations = ["description", "summary", "title", "$comment", "example", "examples", "deprecated"];
    eachObject(spec, (node) => {
      const ref = node.$ref;
      if (typeof ref !== "string" || !ref.startsWith("#/components/schemas/")) return;
      const applied = Object.keys(node).filter((key) => key !== "$ref" && !annotations.includes(key) && !key.startsWith("x-"));
      if (applied.length === 0) return;
      delete node.$ref;
      node.allOf = [{ $ref: ref }, ...(Array.isArray(node.allOf) ? node.allOf : [])];
    });
  },
  // openapi-typescript types a `$ref` into a schema (`#/components/schemas/Company/properties/created`) as the
  // property of the schema's type (`components["schemas"]["Company"]["created"]`), `undefined` included when
  // that property is optional; a component of its own is the schema alone.
  "hoist-nested-ref-targets"(spec) {
    const schemas = spec.components?.schemas;
    const prefix = "#/components/schemas/";
    if (schemas === null || typeof schemas !== "object") return;
    eachObject(spec, (node) => {
      const ref = node.$ref;
      if (typeof ref !== "string" || !ref.startsWith(prefix) || !ref.slice(prefix.length).includes("/")) return;
      // Percent-escapes would need escaping again in the new name; the corpus has none.
      if (ref.includes("%")) return;
      const found = resolve(spec, ref);
      if (found === undefined) return;
      // The target's own pointer is a name no component has (it holds a `/`).
      const name = ref.slice(prefix.length);
      schemas[name] ??= found;
      node.$ref = prefix + name.replaceAll("~", "~0").replaceAll("/", "~1");
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

// Rewrites of openapi-typescript's printed output.
const outputs = {
  // openapi-typescript declares a `--enum-values` const twice when two enums' names sanitize alike (`tsc`
  // refuses the file); `gen --ts` numbers the later ones (`statusValues2`).
  "number-duplicate-enum-values"(text) {
    const seen = new Map();
    return text.replace(/^export const ([A-Za-z_$][A-Za-z0-9_$]*)(?=: )/gm, (declaration, name) => {
      const count = (seen.get(name) ?? 0) + 1;
      seen.set(name, count);
      return count === 1 ? declaration : `export const ${name}${count}`;
    });
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
      if (transforms[name]) transforms[name](source, options);
      else if (hooks[name]) options.transform = hooks[name];
      else if (!outputs[name]) throw new Error(`unknown transform ${name}`);
    }
    const ast = await openapiTS(source, options);
    let text = astToString(ast);
    for (const name of named) if (outputs[name]) text = outputs[name](text);
    await writeFile(job.output, text);
    console.log(JSON.stringify({ id: job.id, ok: true }));
  } catch (error) {
    console.log(JSON.stringify({ id: job.id, error: String(error?.message ?? error).split("\n")[0] }));
  }
}
