// The float formatting rule of docs/host.md (fx.f64_to_str), shared by the V8 shim and its tests.
// Python's repr(float): shortest round-trip digits; positional when -4 <= exp < 16, else scientific.
export function formatF64(x) {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mant, expStr] = Math.abs(x).toExponential().split("e");
  const digits = mant.replace(".", "");
  const exp = parseInt(expStr, 10);
  if (exp >= -4 && exp < 16) {
    let s;
    if (exp >= 0) {
      const intLen = exp + 1;
      if (digits.length <= intLen) s = digits + "0".repeat(intLen - digits.length) + ".0";
      else s = digits.slice(0, intLen) + "." + digits.slice(intLen);
    } else {
      s = "0." + "0".repeat(-exp - 1) + digits;
    }
    return sign + s;
  }
  const m = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
  const e = Math.abs(exp) < 10 ? "0" + Math.abs(exp) : String(Math.abs(exp));
  return sign + m + "e" + (exp < 0 ? "-" : "+") + e;
}
