// bench/handler_speed.py's V8 side: instantiate a program of the `fx` host interface (docs/host.md: write and
// panic, which is all the bench programs import), call `main` REPS times, time each call inside JS.
// usage: node --experimental-wasm-wasmfx handler_speed_node.mjs program.wasm REPS
// Prints one JSON line: {"outputs": [...one string per call...], "ms": [...]}; a trap goes to stderr, exit 1.
import { readFileSync } from "node:fs";

const [path, repsArg] = process.argv.slice(2);
const reps = Number(repsArg || 3);
const decoder = new TextDecoder();
let memory = null;
let out = "";
const text = (ptr, len) => decoder.decode(new Uint8Array(memory.buffer, ptr >>> 0, len >>> 0));
const imports = {
  fx: {
    write(ptr, len) { out += text(ptr, len); },
    panic(ptr, len) { throw new Error(text(ptr, len)); },
  },
};
const { instance } = await WebAssembly.instantiate(readFileSync(path), imports);
memory = instance.exports.memory;
const outputs = [];
const ms = [];
for (let i = 0; i < reps; i++) {
  out = "";
  const t = performance.now();
  try {
    instance.exports.main();
  } catch (e) {
    process.stderr.write(`trap: ${e.message}\n`);
    process.exit(1);
  }
  ms.push(performance.now() - t);
  outputs.push(out);
}
process.stdout.write(JSON.stringify({ outputs, ms }) + "\n");
