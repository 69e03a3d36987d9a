#!/usr/bin/env node
// Runs the `contracts` binary of this machine's platform package, installed
// as an optional dependency (the way esbuild, Biome and oxlint ship theirs):
// npm installs only the one whose `os`, `cpu` and `libc` match.
"use strict";
const { spawnSync } = require("node:child_process");

const SCOPE = "@contracts-cli";
/** The platforms packages are published for, by `platform-arch[-libc]`; `cargo xtask dist npm` reads this list. */
const PLATFORMS = [
  "linux-x64-gnu",
  "linux-x64-musl",
  "linux-arm64-gnu",
  "linux-arm64-musl",
  "darwin-x64",
  "darwin-arm64",
  "win32-x64",
];

/** glibc or musl: Node's report names the glibc it runs on, and none on musl. */
function libc() {
  const report = typeof process.report?.getReport === "function" ? process.report.getReport() : undefined;
  return report?.header?.glibcVersionRuntime ? "gnu" : "musl";
}

const key = process.platform === "linux" ? `linux-${process.arch}-${libc()}` : `${process.platform}-${process.arch}`;
const name = `${SCOPE}/${key}`;
const executable = process.platform === "win32" ? "contracts.exe" : "contracts";

let binary;
if (PLATFORMS.includes(key)) {
  try {
    binary = require.resolve(`${name}/bin/${executable}`);
  } catch {
    binary = undefined;
  }
}
if (binary === undefined) {
  console.error(
    PLATFORMS.includes(key)
      ? `contracts: ${name}, the binary for this machine (${key}), is not installed.\n` +
          `It is an optional dependency: install without --omit=optional / --no-optional, or add it: npm i -D ${name}`
      : `contracts: no prebuilt binary for ${key} (there are for ${PLATFORMS.join(", ")}).\n` +
          "Build one with Rust instead: cargo install --path crates/contracts-cli, in a clone of the contracts repository",
  );
  process.exit(2);
}
const result = spawnSync(binary, process.argv.slice(2), { stdio: "inherit" });
if (result.error) {
  console.error(`contracts: cannot run ${binary}: ${result.error.message}`);
  process.exit(2);
}
if (result.signal) {
  process.kill(process.pid, result.signal);
}
process.exit(result.status ?? 1);
