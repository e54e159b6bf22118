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

// V8's trap messages in the words of the spec (and of our VM, and wasmtime), so a trap reads the same on
// every engine.
const SPEC_WORDS = {
  "divide by zero": "integer divide by zero",
  "remainder by zero": "integer divide by zero",
  "divide result unrepresentable": "integer overflow",
  "float unrepresentable in integer range": "invalid conversion to integer",
  "memory access out of bounds": "out of bounds memory access",
  "array element access out of bounds": "out of bounds array access",
  "dereferencing a null pointer": "null reference",
  "illegal cast": "cast failure",
  "table index is out of bounds": "undefined element",
  "function signature mismatch": "indirect call type mismatch",
  "requested new array is too large": "out of memory",
  // fx's words (fxlang/hosts/traps.py, FX_WORDS): `nosuspend` compiles to a barrier
  "suspension across barrier": "suspension across nosuspend",
};

// The fx source map (fxlang/wasm/srcmap.py has the format): function index -> [fx name, offsets, places].
function sourceMap(module) {
  const sections = WebAssembly.Module.customSections(module, "fx.srcmap");
  if (sections.length !== 1) return null;
  const b = new Uint8Array(sections[0]);
  let p = 0;
  const leb = (signed) => {                 // at most 5 bytes (32 bits)
    let r = 0, shift = 0, byte;
    do {
      if (p >= b.length || shift > 28) throw new Error("malformed");
      byte = b[p++];
      r += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return signed && byte & 0x40 ? r - 2 ** shift : r;
  };
  const u32 = () => leb(false), s32 = () => leb(true);
  const name = () => {
    const n = u32();
    if (p + n > b.length) throw new Error("malformed");
    const s = new TextDecoder("utf-8", { fatal: true }).decode(b.subarray(p, p + n));
    p += n;
    return s;
  };
  try {
    if (u32() !== 1) return null;
    const files = [];
    for (let n = u32(); n > 0; n--) files.push(name());
    const funcs = new Map();
    for (let n = u32(); n > 0; n--) {
      const index = u32(), fxName = name(), offsets = [], places = [];
      u32(); u32();                                  // the function's code range (for wasmtime)
      let off = 0, line = 0, file;
      for (let k = u32(); k > 0; k--) {
        off += u32();
        const fileline = s32();
        line += Math.floor(fileline / 2);
        if (fileline & 1) file = files[u32()];
        const col = u32();
        if (file === undefined || line < 0) return null;
        offsets.push(off);
        places.push(file === "" ? null : `${file}:${line}:${col}`);   // "": no place in the source
      }
      funcs.set(index, [fxName, offsets, places]);
    }
    return p === b.length ? funcs : null;
  } catch {
    return null;
  }
}

const MAX_FRAMES = 8;

// The map comes from the binary, which may be hostile, and the text goes to a terminal: control characters
// escaped (as fxlang/wasm/srcmap.py does).
function printable(text) {
  const named = { "\n": "\\n", "\t": "\\t", "\r": "\\r" };
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => named[c] ||
    (c.charCodeAt(0) < 0x100 ? "\\x" + c.charCodeAt(0).toString(16).padStart(2, "0")
                             : "\\u" + c.charCodeAt(0).toString(16)));
}

// The (function index, module offset) frames of V8's stack, innermost first.
function frames(stack) {
  return [...(stack || "").matchAll(/wasm-function\[(\d+)\]:0x([0-9a-f]+)/g)]
    .map((m) => [Number(m[1]), parseInt(m[2], 16)]);
}

// "FILE:L:C (in fn f)" for the frames the map places in the source.
function located(frames, map) {
  if (!map) return [];
  const out = [];
  for (const [func, off] of frames) {
    const entry = map.get(func);
    if (!entry) continue;
    const [fxName, offsets, places] = entry;
    let i = -1;
    while (i + 1 < offsets.length && offsets[i + 1] <= off) i++;
    if (i < 0 || places[i] === null) continue;
    out.push(printable(fxName ? `${places[i]} (in ${fxName})` : places[i]));
  }
  return out;
}

// `first` and a "called from" line per caller, a run of calls from one place (recursion) as one line
// ending in ", repeatedly"; at most MAX_FRAMES lines, then "  ..." (as fxlang/hosts/traps.py does).
function placed(first, places) {
  const lines = [first], rest = places.slice(1);
  for (let i = 0; i < rest.length; ) {
    let j = i;
    while (j + 1 < rest.length && rest[j + 1] === rest[i]) j++;
    lines.push(`  called from ${rest[i]}` + (j > i ? ", repeatedly" : ""));
    i = j + 1;
  }
  if (lines.length > MAX_FRAMES) lines.splice(MAX_FRAMES, lines.length, "  ...");
  return lines.join("\n");
}

function trap(message, stack, map) {
  const places = located(frames(stack), map);
  if (!places.length) return `trap: ${message}`;
  return placed(`trap: ${message} at ${places[0]}`, places);
}

// A panic wrote "fxc: trap: MESSAGE" and trapped in the function the map names "<panic>": the rest of its
// line (as fxlang/hosts/traps.py, report, does), or null when the trap is no panic.
function panicTail(stack, map) {
  const fs = frames(stack);
  if (!map || !fs.length || (map.get(fs[0][0]) || [])[0] !== "<panic>") return null;
  const places = located(fs.slice(1), map);
  return places.length ? placed(` at ${places[0]}`, places) + "\n" : "\n";
}

function describe(e, map) {
  if (e instanceof WebAssembly.RuntimeError) {
    const named = e.message === "unreachable" && NAMED_TRAP.exec(e.stack || "");
    const message = named ? named[1] : e.message;
    return trap(SPEC_WORDS[message] || message, e.stack, map);
  }
  if (typeof WebAssembly.SuspendError === "function" && e instanceof WebAssembly.SuspendError)
    return trap(`unhandled suspension: ${e.message}`, e.stack, map);
  if (e instanceof WebAssembly.Exception) return "trap: uncaught exception";
  if (e instanceof RangeError) return trap("call stack exhausted", e.stack, map);
  if (e instanceof WebAssembly.LinkError || e instanceof WebAssembly.CompileError) return e.message;
  return `error: ${e && e.message ? e.message : e}`;
}

Error.stackTraceLimit = 100;      // enough frames to show MAX_FRAMES of the program's own
let module = null;
try {
  module = await WebAssembly.compile(readFileSync(path));
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  wasi.start(instance);
} catch (e) {
  // The map is read only now, after the program: node 26's experimental WasmFX gave a wrong result
  // (examples/round_robin.fx: "tasks finished: 999") when it was read before the run, with this limit
  // set — a heap-state-dependent engine bug; the old order ran the same binary right.
  const map = module ? sourceMap(module) : null;
  const tail = e instanceof WebAssembly.RuntimeError ? panicTail(e.stack, map) : null;
  process.stderr.write(tail !== null ? tail : `fxc: ${describe(e, map)}\n`);
  process.exitCode = 1;
}
