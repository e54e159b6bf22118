// bench/seed/run.py's V8 host for the hand-written WAT variants, which print through an `fx.write(ptr, len)`
// import of their own (compiled fx programs are WASI commands and run through fxlang/hosts/wasi_run.mjs).
// usage: node --experimental-wasm-wasmfx fx_host.mjs program.wasm   (calls its export `main`)
import { readFileSync } from "node:fs";

let memory = null;
const decoder = new TextDecoder();
const { instance } = await WebAssembly.instantiate(readFileSync(process.argv[2]), {
  fx: { write(ptr, len) { process.stdout.write(decoder.decode(new Uint8Array(memory.buffer, ptr >>> 0, len >>> 0))); } },
});
memory = instance.exports.memory;
instance.exports.main();
