// The exported `*Values` consts of generated modules (`--enum-values`), for
// `cargo xtask parity`: each file's TypeScript stripped of its types and run,
// so both tools' literals are read as JavaScript reads them.
//
// usage: node enum-values.mjs FILES.json
// FILES.json: [path, ...]
// Prints one JSON line per file: { "file", "values": { name: [...] } } or { "file", "error" }.

import { readFile } from "node:fs/promises";
import vm from "node:vm";
import ts from "typescript";

const files = JSON.parse(await readFile(process.argv[2], "utf8"));
for (const file of files) {
  try {
    const text = await readFile(file, "utf8");
    const { outputText } = ts.transpileModule(text, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    });
    const exports = {};
    vm.runInNewContext(outputText, { exports, module: { exports } }, { timeout: 10_000 });
    const values = {};
    for (const [name, value] of Object.entries(exports)) {
      if (name.endsWith("Values") && Array.isArray(value)) values[name] = value;
    }
    console.log(JSON.stringify({ file, values }));
  } catch (error) {
    console.log(JSON.stringify({ file, error: String(error?.message ?? error).split("\n")[0] }));
  }
}
