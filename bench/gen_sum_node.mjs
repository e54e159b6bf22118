// bench/gen_sum.py's V8 side: instantiate a WASI command (docs/host.md) with a minimal fd_write that
// collects standard output, call its `_start` REPS times and time each call inside JS with performance.now().
// usage: node --experimental-wasm-wasmfx gen_sum_node.mjs program.wasm REPS
// Prints one JSON line: {"outputs": [...one string per call...], "ms": [...], "compile_ms": x}.
import { readFileSync } from "node:fs";

const [path, repsArg] = process.argv.slice(2);
const reps = Number(repsArg || 5);
const decoder = new TextDecoder();
let memory = null;
let out = "";
const imports = {
  wasi_snapshot_preview1: {
    fd_write(fd, iovs, count, nwritten) {
      const view = new DataView(memory.buffer);
      let total = 0;
      for (let i = 0; i < count; i++) {
        const ptr = view.getUint32(iovs + 8 * i, true), len = view.getUint32(iovs + 8 * i + 4, true);
        if (fd === 1) out += decoder.decode(new Uint8Array(memory.buffer, ptr, len));
        total += len;
      }
      view.setUint32(nwritten, total, true);
      return 0;
    },
    proc_exit(code) {
      throw new Error(`proc_exit(${code})`);
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
  instance.exports._start();
  ms.push(performance.now() - t);
  outputs.push(out);
}
process.stdout.write(JSON.stringify({ outputs, ms, compile_ms: compileMs }) + "\n");
