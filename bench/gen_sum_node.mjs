// bench/gen_sum.py's V8 side: instantiate a program of the `fx` host interface (docs/host.md), call its
// `main` REPS times and time each call inside JS with performance.now().
// usage: node --experimental-wasm-wasmfx gen_sum_node.mjs program.wasm REPS
// Prints one JSON line: {"outputs": [...one string per call...], "ms": [...], "compile_ms": x}.
import { readFileSync } from "node:fs";

const [path, repsArg] = process.argv.slice(2);
const reps = Number(repsArg || 5);
const decoder = new TextDecoder();
let memory = null;
let out = "";
const imports = {
  fx: {
    write(ptr, len) {
      out += decoder.decode(new Uint8Array(memory.buffer, ptr >>> 0, len >>> 0));
    },
  },
};

const t0 = performance.now();
const { instance } = await WebAssembly.instantiate(readFileSync(path), imports);
const compileMs = performance.now() - t0;
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
process.stdout.write(JSON.stringify({ outputs, ms, compile_ms: compileMs }) + "\n");
