"""Script values: JSON arguments -> API values, and matching results against expected patterns.

wasm-tools writes i32/i64 as decimal strings (sometimes signed) and f32/f64 as the decimal bit
pattern, or the patterns `nan:canonical` / `nan:arithmetic`. References are `{"type": "externref",
"value": "null" | "<n>"}` and friends; a reference type without a value means "any non-null
reference of that kind" (`ref.func`, `ref.extern`, `ref.struct`, ...). `either` lists alternatives.
API values (vm/__init__.py): i32/i64 as signed Python ints, f32/f64 as floats, null as None.
"""

from __future__ import annotations

from ..exec.numeric import f32_from_bits, f32_to_bits, f64_from_bits, f64_to_bits

_MASK = {"i32": 0xFFFFFFFF, "i64": 0xFFFFFFFFFFFFFFFF, "f32": 0xFFFFFFFF, "f64": 0xFFFFFFFFFFFFFFFF}
_SIGN = {"i32": 0x80000000, "i64": 0x8000000000000000}

# Null-only reference types: the `ref.null` of their hierarchy is the only value.
_NULL_TYPES = {"refnull", "nullref", "nullfuncref", "nullexternref", "nullexnref", "nullcontref"}


class HostRef:
    """`ref.host n` / `ref.extern n`: an opaque host reference numbered n (one object per n and run)."""

    __slots__ = ("n",)

    def __init__(self, n: int):
        self.n = n

    def __eq__(self, other):
        return isinstance(other, HostRef) and other.n == self.n

    def __hash__(self):
        return hash(("host", self.n))

    def __repr__(self) -> str:
        return f"ref.host {self.n}"


class Values:
    """Per-script conversions; keeps one HostRef per number so identity comparisons work."""

    def __init__(self):
        self._hosts: dict[int, HostRef] = {}

    def host(self, n: int) -> HostRef:
        r = self._hosts.get(n)
        if r is None:
            r = self._hosts[n] = HostRef(n)
        return r

    def arg(self, a: dict):
        """One JSON argument -> the API value passed to an exported function."""
        t, v = a["type"], a.get("value")
        if t in ("i32", "i64"):
            x = int(v) & _MASK[t]
            return x - ((x & _SIGN[t]) << 1)
        if t == "f32":
            return f32_from_bits(int(v) & _MASK[t])
        if t == "f64":
            return f64_from_bits(int(v) & _MASK[t])
        if v is None or v == "null":
            return None
        if t == "externref":
            return self.host(int(v))
        if t == "anyref":
            # ref.host n as an anyref: the host reference internalised, as any.convert_extern makes it
            try:
                from ..runtime.gc import any_convert_extern
            except ImportError:
                return self.host(int(v))
            return any_convert_extern(self.host(int(v)))
        raise ValueError(f"unsupported argument type {t}")

    def matches(self, e: dict, got) -> bool:
        """Does the API value `got` match the expected-value pattern `e`?"""
        t, v = e["type"], e.get("value")
        if t == "either":
            return any(self.matches(alt, got) for alt in e["values"])
        if t in ("i32", "i64"):
            return isinstance(got, int) and not isinstance(got, bool) and \
                got & _MASK[t] == int(v) & _MASK[t]
        if t in ("f32", "f64"):
            if not isinstance(got, float):
                return False
            if t == "f32":
                bits, quiet, exp = f32_to_bits(got), 0x400000, 0x7F800000
            else:
                bits, quiet, exp = f64_to_bits(got), 1 << 51, 0x7FF << 52
            if v == "nan:canonical":
                return bits & (_MASK[t] >> 1) == exp | quiet  # either sign
            if v == "nan:arithmetic":
                return bits & exp == exp and bits & quiet != 0
            return bits == int(v) & _MASK[t]
        if t == "v128":
            return False  # no SIMD in this VM
        # references
        if t in _NULL_TYPES or v == "null":
            return got is None
        if got is None:
            return False
        if v is not None:  # a numbered host reference, possibly internalised (anyref) or externalised
            inner = getattr(got, "value", got) if type(got).__name__ in ("HostAny", "ExternAny") else got
            return inner == self.host(int(v))
        return _is_kind(t, got)

    def show(self, got, t: str | None = None) -> str:
        """A result for a failure message; floats with their bit pattern (binary32 when t is f32)."""
        if isinstance(got, float):
            bits = f32_to_bits(got) if t == "f32" else f64_to_bits(got)
            return f"{got!r} (bits {bits:#x})"
        return repr(got)


_GC_KINDS = {"structref": ("Struct",), "arrayref": ("Array",), "i31ref": ("I31",),
             "eqref": ("Struct", "Array", "I31")}


def _is_kind(t: str, got) -> bool:
    """Non-null `got` of the abstract reference kind t (ref.func, ref.struct, ref.i31, ...)."""
    kinds = _GC_KINDS.get(t)
    if kinds is not None:
        return type(got).__name__ in kinds
    if t == "funcref":
        return callable(got) or type(got).__name__ in ("Func", "Function", "ExportedFunc")
    return True  # externref / anyref / exnref / contref: any non-null value


def format_expected(es: list) -> str:
    return "(" + ", ".join(_fmt(e) for e in es) + ")"


def _fmt(e: dict) -> str:
    t, v = e["type"], e.get("value")
    if t == "either":
        return "either(" + " | ".join(_fmt(a) for a in e["values"]) + ")"
    if t in ("f32", "f64") and v is not None and not v.startswith("nan"):
        bits = int(v) & _MASK[t]
        x = f32_from_bits(bits) if t == "f32" else f64_from_bits(bits)
        return f"{t}:{x!r}"
    if t in ("i32", "i64"):
        x = int(v) & _MASK[t]
        return f"{t}:{x - ((x & _SIGN[t]) << 1)}"
    return f"{t}:{v}" if v is not None else t
