// bench/asyncify_cost.py's V8 side: instantiate a program of the `fx` host interface (docs/host.md), call its
// `main` REPS times, time each call inside JS.  usage: node [flags] asyncify_node.mjs program.wasm REPS
// Prints one JSON line: {"outputs": [...], "ms": [...]}.  Run with --experimental-wasm-wasmfx for a WasmFX
// binary and without it for a lowered (target asyncify) one.
import { readFileSync } from "node:fs";
import { formatF64 } from "../fxlang/hosts/f64_format.mjs";

const [path, repsArg] = process.argv.slice(2);
const reps = Number(repsArg || 3);
const decoder = new TextDecoder();
const encoder = new TextEncoder();
let memory = null;
let out = "";
const imports = {
  fx: {
    write(ptr, len) { out += decoder.decode(new Uint8Array(memory.buffer, ptr >>> 0, len >>> 0)); },
    f64_to_str(x, ptr) {
      const bytes = encoder.encode(formatF64(x));
      new Uint8Array(memory.buffer, ptr >>> 0, bytes.length).set(bytes);
      return bytes.length;
    },
    trace() {},
    panic(ptr, len) { throw new Error("panic: " + decoder.decode(new Uint8Array(memory.buffer, ptr >>> 0, len >>> 0))); },
  },
};
const { instance } = await WebAssembly.instantiate(readFileSync(path), imports);
memory = instance.exports.memory;
const outputs = [];
const ms = [];
for (let i = 0; i < reps; i++) {
  out = "";
  const t = performance.now();
  instance.exports.main();
  ms.push(performance.now() - t);
  outputs.push(out);
}
process.stdout.write(JSON.stringify({ outputs, ms }) + "\n");
