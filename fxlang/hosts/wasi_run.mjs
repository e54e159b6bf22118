// Runs a WASI command (docs/host.md) on V8: node 26 with --experimental-wasm-wasmfx and node's own WASI
// preview 1 implementation (node:wasi). `fxc run --engine node` calls it.
// usage: node --experimental-wasm-wasmfx --no-warnings wasi_run.mjs program.wasm SETUP_JSON
//   SETUP_JSON = {"args": [argv0, ...], "env": {NAME: VALUE}, "preopens": [[GUEST, HOST], ...]}
// Standard input, output and error are the process's own (fds 0, 1, 2); the preopens follow from fd 3
// in order. proc_exit ends the process at once with the program's status (returnOnExit: false), so no
// JS exception unwinds through the program, where its own `catch_all` could catch it.
import { readFileSync } from "node:fs";
import { WASI } from "node:wasi";

const [path, setupJson] = process.argv.slice(2);
if (!path || !setupJson) {
  process.stderr.write("usage: wasi_run.mjs program.wasm SETUP_JSON\n");
  process.exit(2);
}
const setup = JSON.parse(setupJson);
const preopens = {};
for (const [guest, host] of setup.preopens) preopens[guest] = host;
const wasi = new WASI({ version: "preview1", args: setup.args, env: setup.env, preopens, returnOnExit: false });

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
  if (e instanceof WebAssembly.LinkError || e instanceof WebAssembly.CompileError) return e.message;
  return `error: ${e && e.message ? e.message : e}`;
}

try {
  const { instance } = await WebAssembly.instantiate(readFileSync(path), wasi.getImportObject());
  wasi.start(instance);
} catch (e) {
  process.stderr.write(`fxc: ${describe(e)}\n`);
  process.exitCode = 1;
}
