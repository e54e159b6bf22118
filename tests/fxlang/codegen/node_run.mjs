// Test-only runner for compiled fx modules on node 26 (--experimental-wasm-wasmfx), implementing the `fx`
// host interface of docs/host.md. The lead's fxlang/hosts/node_run.mjs is the product runner; this one only
// lets the codegen tests run before/independently of it.
// usage: node --experimental-wasm-wasmfx node_run.mjs file.wasm
import { readFileSync, writeSync } from "node:fs";

function formatFloat(x) {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mant, expPart] = Math.abs(x).toExponential().split("e");
  const digits = mant.replace(".", "");
  const e = parseInt(expPart, 10);
  if (e >= -4 && e < 16) {
    if (e >= 0) {
      const intPart = digits.length > e + 1 ? digits.slice(0, e + 1) : digits.padEnd(e + 1, "0");
      const frac = digits.length > e + 1 ? digits.slice(e + 1) : "0";
      return sign + intPart + "." + frac;
    }
    return sign + "0." + "0".repeat(-e - 1) + digits;
  }
  const m = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
  const es = e < 0 ? "-" : "+";
  return sign + m + "e" + es + String(Math.abs(e)).padStart(2, "0");
}

const bytes = readFileSync(process.argv[2]);
let memory = null;
const out = [];
const imports = {
  fx: {
    write(ptr, len) {
      out.push(Buffer.from(new Uint8Array(memory.buffer, ptr, len)));
    },
    f64_to_str(x, ptr) {
      const s = Buffer.from(formatFloat(x), "utf8");
      new Uint8Array(memory.buffer, ptr, s.length).set(s);
      return s.length;
    },
  },
};
let status = 0;
try {
  const { instance } = await WebAssembly.instantiate(bytes, imports);
  memory = instance.exports.memory;
  instance.exports.main();
} catch (e) {
  writeSync(2, `fxc: trap: ${e.message}\n`);
  status = 1;
}
writeSync(1, Buffer.concat(out));
process.exitCode = status;
