// Runs a compiled fx program on V8 (node 26, --experimental-wasm-wasmfx) with the `fx` host interface of
// docs/host.md, implemented exactly as the VM side does it (fxlang/hosts.py's Python twin in fxlang/cli.py).
// usage: node --experimental-wasm-wasmfx node_run.mjs program.wasm
import { readFileSync, writeSync } from "node:fs";
import { formatF64 } from "./f64_format.mjs";

const path = process.argv[2];
if (!path) {
  process.stderr.write("usage: node_run.mjs program.wasm\n");
  process.exit(2);
}

let memory = null;
const chunks = [];
let buffered = 0;
const EXIT_PIPE = 141;  // standard output closed early (`fxc run --engine node x.fx | head -1`): stop quietly
function flush() {
  try {
    for (const c of chunks) {
      let off = 0;
      while (off < c.length) off += writeSync(1, c, off, c.length - off);
    }
  } catch (e) {
    if (e && e.code === "EPIPE") process.exit(EXIT_PIPE);
    throw e;
  }
  chunks.length = 0;
  buffered = 0;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const imports = {
  fx: {
    write(ptr, len) {
      const bytes = new Uint8Array(memory.buffer, ptr >>> 0, len >>> 0).slice();
      chunks.push(bytes);
      buffered += bytes.length;
      if (buffered > 1 << 16) flush();
    },
    f64_to_str(x, ptr) {
      const bytes = encoder.encode(formatF64(x));
      new Uint8Array(memory.buffer, ptr >>> 0, bytes.length).set(bytes);
      return bytes.length;
    },
    trace(ptr, len) {
      // one line of `fxc build --trace` (docs/host.md, "Tracing"), straight to standard error
      const line = decoder.decode(new Uint8Array(memory.buffer, ptr >>> 0, len >>> 0));
      writeSync(2, `[trace] ${line}\n`);
    },
    panic(ptr, len) {
      // a trap, not an exception: a JS throw would be caught by the program's own `catch_all`
      const message = decoder.decode(new Uint8Array(memory.buffer, ptr >>> 0, len >>> 0));
      flush();
      writeSync(2, `fxc: trap: ${message}\n`);
      process.exit(1);
    },
  },
};

// A lowered (target asyncify) binary traps through `unreachable` in a function named "asyncify trap: MESSAGE"
// (docs/asyncify.md): report MESSAGE, as the VM does.
const NAMED_TRAP = /^\s*at asyncify trap: (.*?) \(wasm:/m;

function describe(e) {
  if (e instanceof WebAssembly.RuntimeError) {
    const named = e.message === "unreachable" && NAMED_TRAP.exec(e.stack || "");
    return `trap: ${named ? named[1] : e.message}`;
  }
  if (typeof WebAssembly.SuspendError === "function" && e instanceof WebAssembly.SuspendError)
    return `trap: unhandled suspension: ${e.message}`;
  if (e instanceof WebAssembly.Exception) return "trap: uncaught exception";
  if (e instanceof RangeError) return "trap: call stack exhausted";
  return `error: ${e && e.message ? e.message : e}`;
}

let code = 0;
try {
  const { instance } = await WebAssembly.instantiate(readFileSync(path), imports);
  memory = instance.exports.memory;
  instance.exports.main();
} catch (e) {
  flush();
  process.stderr.write(`fxc: ${describe(e)}\n`);
  code = 1;
}
flush();
process.exitCode = code;
