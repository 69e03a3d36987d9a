// Dereferences specs with json-schema-ref-parser (pinned in tests/package.json),
// many in one Node process, for the `diff-deref` stages of `cargo xtask
// conformance` and for the CLI test on the GitHub specs: `diff S deref(S)`
// must report no change in meaning.
//
// usage: node deref.mjs JOBS.json
// JOBS.json: [{ "id", "spec": path, "output": path }, ...]
// Prints one JSON line per job: { "id", "ok": true, "ms" } when `output` was
// written, else { "id", "skipped": reason, "detail" }, the reason one of
//   cyclic           a chain of refs comes back to where it started: nothing
//                    inlines it (the dereferencer leaves such refs as they are)
//   changes-meaning  a `$ref` with sibling keywords that the spec's version
//                    ignores (Swagger 2.0, OpenAPI 3.0) or that clash with its
//                    target (3.1): the dereferencer merges them into the
//                    target, which is not what the spec means
//   too-big          the dereferenced document would pass SIZE_LIMIT bytes,
//                    or dereferencing it took more than TIME_LIMIT_MS
//   failed           the dereferencer refused the spec (the error is the detail)

import { readFile, writeFile } from "node:fs/promises";
import { $RefParser } from "@apidevtools/json-schema-ref-parser";

// `contracts` holds about 30 times a document's size in memory while it
// reads it: past this, the conformance run's memory cap (2 GiB) would end it.
const SIZE_LIMIT = 64 * 1024 * 1024;
const TIME_LIMIT_MS = 60_000;

/** Keys beside a `$ref` that only annotate: merging them changes no meaning. */
function annotation(key) {
  return (
    key.startsWith("x-") ||
    ["description", "title", "summary", "example", "examples", "externalDocs", "$comment"].includes(key)
  );
}

/** The node `ref` (`#/a/b~1c`) points to in `spec`, if it is local. */
function resolve(spec, ref) {
  if (typeof ref !== "string" || !ref.startsWith("#")) return undefined;
  if (ref === "#") return spec;
  if (!ref.startsWith("#/")) return undefined;
  return ref
    .slice(2)
    .split("/")
    .map((token) => decodeURIComponent(token).replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce((node, token) => node?.[token], spec);
}

/** JSON pointer of a path of keys. */
function pointer(path) {
  return "#/" + path.map((key) => String(key).replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
}

/**
 * The first `$ref` whose siblings the dereferencer would merge against the
 * spec's meaning: `{ at, keys }`, or undefined. Literal values (`example`,
 * `examples`, `default`, `enum`, `const`) are data, not schemas: not walked.
 */
function siblingThatChangesMeaning(spec) {
  const siblingsApply = typeof spec.openapi === "string" && spec.openapi.startsWith("3.1");
  const stack = [[spec, []]];
  while (stack.length > 0) {
    const [node, path] = stack.pop();
    if (node === null || typeof node !== "object") continue;
    if (!Array.isArray(node) && typeof node.$ref === "string") {
      const keys = Object.keys(node).filter((key) => key !== "$ref" && !annotation(key));
      if (siblingsApply) {
        // 3.1: the siblings apply beside the target; merged they replace
        // its keywords of the same name.
        const target = resolve(spec, node.$ref);
        const clashing = keys.filter((key) => target && typeof target === "object" && key in target);
        if (clashing.length > 0) return { at: pointer(path), keys: clashing };
      } else if (keys.length > 0) {
        return { at: pointer(path), keys };
      }
    }
    // Keys of a map of names (`properties`, `components.schemas`) are names, not keywords.
    const names = ["properties", "patternProperties", "schemas", "$defs", "definitions"].includes(path.at(-1));
    for (const [key, value] of Object.entries(node)) {
      if (["example", "examples", "default", "enum", "const"].includes(key) && !Array.isArray(node) && !names) {
        // `examples` is a map of Example Objects in parameters and media
        // types, but their `value`s are data all the same.
        continue;
      }
      stack.push([value, [...path, key]]);
    }
  }
  return undefined;
}

/**
 * The length of `value` as JSON, with shared objects counted once per use,
 * as `JSON.stringify` writes them; stops counting past `limit`.
 */
function jsonSize(value, limit) {
  const sizes = new Map();
  const size = (node) => {
    if (node === null || typeof node !== "object") return JSON.stringify(node ?? null)?.length ?? 4;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    let total = 2;
    for (const [key, child] of Object.entries(node)) {
      total += (Array.isArray(node) ? 0 : key.length + 3) + size(child) + 1;
      if (total > limit) break;
    }
    sizes.set(node, total);
    return total;
  };
  return size(value);
}

async function dereference(job) {
  const text = await readFile(job.spec, "utf8");
  const spec = JSON.parse(text);
  const sibling = siblingThatChangesMeaning(spec);
  if (sibling) return { skipped: "changes-meaning", detail: `${sibling.at}: $ref beside ${sibling.keys.join(", ")}` };
  const parser = new $RefParser();
  const started = performance.now();
  let circular;
  let result;
  try {
    result = await parser.dereference(job.spec, JSON.parse(text), {
      resolve: { external: false },
      dereference: {
        circular: "ignore",
        onCircular: (path) => {
          circular ??= path;
        },
      },
    });
  } catch (error) {
    return { skipped: "failed", detail: String(error?.message ?? error).split("\n")[0] };
  }
  const ms = Math.round(performance.now() - started);
  if (circular !== undefined || parser.$refs.circular) {
    return { skipped: "cyclic", detail: `${circular ?? "a ref"} comes back to itself` };
  }
  if (ms > TIME_LIMIT_MS) return { skipped: "too-big", detail: `dereferencing took ${ms} ms` };
  const size = jsonSize(result, SIZE_LIMIT);
  if (size > SIZE_LIMIT) return { skipped: "too-big", detail: `more than ${SIZE_LIMIT} bytes dereferenced` };
  await writeFile(job.output, JSON.stringify(result));
  return { ok: true, ms };
}

const jobs = JSON.parse(await readFile(process.argv[2], "utf8"));
for (const job of jobs) {
  let report;
  try {
    report = await dereference(job);
  } catch (error) {
    report = { skipped: "failed", detail: String(error?.message ?? error).split("\n")[0] };
  }
  console.log(JSON.stringify({ id: job.id, ...report }));
}
