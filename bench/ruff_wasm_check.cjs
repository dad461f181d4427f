#!/usr/bin/env node
// Benchmark peer (prints, asserts nothing): Ruff's WebAssembly build (@astral-sh/ruff-wasm-nodejs,
// installed into .bench/ by `make bench`) checking every .py file below a folder with its default
// rules (E4, E7, E9, F), one file after another on one thread, as the wasm build runs.
// Usage: node bench/ruff_wasm_check.cjs CORPUS [MODULE_DIR]
// Prints one line: files, MB, diagnostics, and the time and MB/s of the checks alone (after the
// module is loaded); bench/check_corpus.sh times the whole process beside `mlintern check`.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const corpus = process.argv[2];
const moduleDir = process.argv[3] ?? path.join(__dirname, "..", ".bench", "node_modules", "@astral-sh", "ruff-wasm-nodejs");
if (!corpus) {
  console.error("usage: node bench/ruff_wasm_check.cjs CORPUS [MODULE_DIR]");
  process.exit(2);
}

const { Workspace, PositionEncoding } = require(moduleDir);

function pythonFiles(folder) {
  const found = [];
  const pending = [folder];
  while (pending.length > 0) {
    const current = pending.pop();
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        pending.push(full);
      } else if (entry.isFile() && entry.name.endsWith(".py")) {
        found.push(full);
      }
    }
  }
  return found.sort();
}

const files = pythonFiles(corpus);
const workspace = new Workspace(Workspace.defaultSettings(), PositionEncoding.Utf16);
let bytes = 0;
let diagnostics = 0;
let failures = 0;
const start = process.hrtime.bigint();
for (const file of files) {
  const data = fs.readFileSync(file);
  bytes += data.length;
  try {
    diagnostics += workspace.check(data.toString("utf8")).length;
  } catch {
    failures++;
  }
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const mb = bytes / 1048576;
console.log(
  `ruff-wasm ${Workspace.version()} (default rules, 1 thread, checks only): ${files.length} files, ${mb.toFixed(1)} MB, ` +
    `${diagnostics} diagnostics${failures > 0 ? `, ${failures} files refused` : ""}, ${Math.round(ms)} ms, ${(mb / (ms / 1000)).toFixed(1)} MB/s`,
);
