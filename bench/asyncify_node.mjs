// bench/asyncify_cost.py's V8 side: run a WASI command (docs/host.md) once and time `_start` inside JS.
// usage: node [flags] asyncify_node.mjs program.wasm  -> the program's output on stdout, then one line
// {"ms": x} on stderr.  Run with --experimental-wasm-wasmfx for a WasmFX binary, without it for a lowered one.
import { readFileSync } from "node:fs";
import { WASI } from "node:wasi";

const wasi = new WASI({ version: "preview1", args: ["program"], env: {}, returnOnExit: true });
const { instance } = await WebAssembly.instantiate(readFileSync(process.argv[2]), wasi.getImportObject());
const t = performance.now();
const status = wasi.start(instance);
const ms = performance.now() - t;
process.stderr.write(JSON.stringify({ ms, status }) + "\n");
