// Runs openapi-typescript (pinned in tests/package.json) on many specs in one
// Node process, for `cargo xtask parity`: starting Node and loading Redocly
// once instead of once per spec.
//
// usage: node openapi-typescript.mjs JOBS.json
// JOBS.json: [{ "id", "spec": path, "output": path, "options": {...} }, ...]
// Prints one JSON line per job: { "id", "ok": true } or { "id", "error" }.

import { readFile, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const jobs = JSON.parse(await readFile(process.argv[2], "utf8"));
for (const job of jobs) {
  try {
    const ast = await openapiTS(pathToFileURL(job.spec), { silent: true, ...job.options });
    await writeFile(job.output, astToString(ast));
    console.log(JSON.stringify({ id: job.id, ok: true }));
  } catch (error) {
    console.log(JSON.stringify({ id: job.id, error: String(error?.message ?? error).split("\n")[0] }));
  }
}
