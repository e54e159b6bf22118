"""Robustness of the VM: bad input never gets a Python exception out of it, only the VM's own errors.

- random bytes and mutated valid modules through decode / validate / instantiate / calls;
- `wasm-tools smith` modules (seeded from hypothesis bytes): valid by construction, so the validator
  must accept them; instantiated and every exported function called, with fuel;
- an infinite loop stops at the fuel limit; recursion 10,000 deep works; unbounded recursion traps
  "call stack exhausted" and the VM keeps working afterwards.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings, strategies as st

import vm

WASM_TOOLS = str(Path(sys.executable).with_name("wasm-tools")) if Path(sys.executable).with_name(
    "wasm-tools").exists() else (shutil.which("wasm-tools") or "wasm-tools")
FUEL = 5_000
MAGIC = b"\x00asm\x01\x00\x00\x00"
# the engine raises the (process-wide) recursion limit for its execution thread; hypothesis notices
pytestmark = pytest.mark.filterwarnings("ignore:The recursion limit will not be reset")
SETTINGS = dict(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def wat(text: str) -> bytes:
    return subprocess.run([WASM_TOOLS, "parse", "-"], input=text.encode(), capture_output=True,
                          check=True).stdout


SEEDS_WAT = [
    # numbers, locals, loops, branches
    """(module
      (func $fib (export "fib") (param i32) (result i32)
        (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
          (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                         (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
      (func (export "loop") (param i32) (result i64) (local i64)
        (block $done (loop $l
          (br_if $done (i32.eqz (local.get 0)))
          (local.set 1 (i64.add (local.get 1) (i64.extend_i32_u (local.get 0))))
          (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
          (br $l)))
        (local.get 1))
      (func (export "floats") (param f64) (result f32)
        (f32.demote_f64 (f64.sqrt (f64.mul (local.get 0) (f64.const 2.5))))))""",
    # memory, data, globals, tables, call_indirect
    """(module
      (memory (export "mem") 1 2)
      (data (i32.const 8) "hello")
      (global $g (mut i32) (i32.const 7))
      (table 4 funcref)
      (elem (i32.const 0) $a $b)
      (type $t (func (result i32)))
      (func $a (result i32) (i32.load8_u (i32.const 8)))
      (func $b (result i32) (global.get $g))
      (func (export "ci") (param i32) (result i32) (call_indirect (type $t) (local.get 0)))
      (func (export "store") (param i32 i64) (i64.store (local.get 0) (local.get 1))
        (global.set $g (i32.wrap_i64 (local.get 1))))
      (func (export "grow") (result i32) (memory.grow (i32.const 1))))""",
    # exceptions
    """(module
      (tag $e (param i32))
      (func $thrower (param i32) (throw $e (local.get 0)))
      (func (export "catch") (param i32) (result i32)
        (block $h (result i32)
          (try_table (catch $e $h) (call $thrower (local.get 0)))
          (i32.const -1))))""",
    # continuations: a generator suspending to a resume loop
    """(module
      (type $f (func))
      (type $k (cont $f))
      (tag $yield (param i32))
      (func $gen (local i32)
        (loop $l (suspend $yield (local.get 0))
          (local.set 0 (i32.add (local.get 0) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get 0) (i32.const 10)))))
      (elem declare func $gen)
      (func (export "sum") (result i32) (local $k (ref null $k)) (local $s i32)
        (local.set $k (cont.new $k (ref.func $gen)))
        (block $done
          (loop $next
            (block $on (result i32 (ref $k))
              (resume $k (on $yield $on) (local.get $k))
              (br $done))
            (local.set $k)
            (local.set $s (i32.add (local.get $s)))
            (br $next)))
        (local.get $s)))""",
    # GC structs and arrays
    """(module
      (type $p (struct (field $x (mut i32)) (field $y f64)))
      (type $a (array (mut i8)))
      (func (export "s") (param i32) (result i32)
        (struct.get $p $x (struct.new $p (local.get 0) (f64.const 1.5))))
      (func (export "a") (param i32) (result i32)
        (array.len (array.new $a (i32.const 1) (local.get 0)))))""",
]


@pytest.fixture(scope="module")
def seeds():
    return [wat(t) for t in SEEDS_WAT]


def default_args(func):
    ft = getattr(func, "functype", None)
    if ft is None:
        return None
    args = []
    for t in ft.params:
        if t in ("i32", "i64"):
            args.append(3)
        elif t in ("f32", "f64"):
            args.append(1.5)
        elif getattr(t, "nullable", False):
            args.append(None)
        else:
            return None  # a non-nullable reference we cannot make
    return args


def small_enough(module) -> bool:
    # keep generated modules from allocating gigabytes: that tests the machine, not the VM
    mems = list(getattr(module, "memories", []))
    tabs = list(getattr(module, "tables", []))
    for imp in getattr(module, "imports", []):
        if getattr(imp, "kind", None) in ("memory", "table"):
            return False
    return all(m.type.limits.min <= 64 for m in mems) and all(t.type.limits.min <= 100_000 for t in tabs)


def exercise(data: bytes, *, must_validate: bool = False) -> str:
    """Run data through every phase; only vm.VMError may come out. Returns how far it got."""
    try:
        module = vm.decode(data)
    except vm.DecodeError as e:
        assert e.offset is None or 0 <= e.offset <= len(data), f"offset {e.offset} outside the input"
        return "malformed"
    try:
        vm.validate(module)
    except vm.ValidationError as e:
        if must_validate:
            raise AssertionError(f"valid module rejected: {e}") from e
        return "invalid"
    if not small_enough(module):
        return "too big"
    try:
        inst = vm.instantiate(module, {}, fuel=FUEL)
    except (vm.LinkError, vm.Trap, vm.WasmException):
        return "not instantiated"
    for name in list(inst.exports):
        f = inst.exports[name]
        if not callable(f):
            continue
        args = default_args(f)
        if args is None:
            continue
        inst.fuel[0] = FUEL
        try:
            f(*args)
        except (vm.Trap, vm.WasmException):
            pass
    return "ran"


@settings(max_examples=300, **SETTINGS)
@given(st.binary(max_size=300))
def test_random_bytes(data):
    exercise(data)


@settings(max_examples=300, **SETTINGS)
@given(st.binary(max_size=300))
def test_random_bytes_after_the_header(data):
    event(exercise(MAGIC + data))


def leb(n: int) -> bytes:
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


# sections with well-formed headers and random contents reach every section decoder
SECTIONS = st.lists(st.tuples(st.integers(0, 13), st.binary(max_size=40)), max_size=6).map(
    lambda secs: MAGIC + b"".join(bytes([i]) + leb(len(body)) + body for i, body in secs))


@settings(max_examples=300, **SETTINGS)
@given(SECTIONS)
def test_random_sections(data):
    event(exercise(data))


@settings(max_examples=250, **SETTINGS)
@given(st.data())
def test_mutated_valid_modules(seeds, data):
    blob = bytearray(data.draw(st.sampled_from(seeds)))
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(8, len(blob) - 1))
        op = data.draw(st.sampled_from(["set", "insert", "delete", "bump"]))
        if op == "set":
            blob[pos] = data.draw(st.integers(0, 255))
        elif op == "insert":
            blob[pos:pos] = data.draw(st.binary(min_size=1, max_size=4))
        elif op == "delete" and len(blob) > 9:
            del blob[pos]
        else:
            blob[pos] = (blob[pos] + data.draw(st.sampled_from([1, -1, 0x40, 0x80]))) & 0xFF
    event(exercise(bytes(blob)))


SUITE = Path(__file__).resolve().parents[2] / ".." / "shared" / "testsuite"
SUITE_SEEDS = ["stack-switching/cont.wast", "stack-switching/resume_throw.wast", "try_table.wast",
               "gc/struct.wast", "gc/array.wast", "gc/br_on_cast.wast", "return_call_ref.wast", "elem.wast"]


@pytest.fixture(scope="module")
def suite_modules(tmp_path_factory):
    """Valid module binaries of a few spec scripts (the stack-switching, EH, GC and tail-call ones)."""
    if not SUITE.is_dir():
        pytest.fail(f"spec testsuite not found at {SUITE}")
    blobs = []
    for name in SUITE_SEEDS:
        out = tmp_path_factory.mktemp("suite")
        subprocess.run([WASM_TOOLS, "json-from-wast", str(SUITE / name), "-o", str(out / "x.json"),
                        "--wasm-dir", str(out)], check=True, capture_output=True)
        commands = json.loads((out / "x.json").read_text())["commands"]
        blobs += [(out / c["filename"]).read_bytes() for c in commands
                  if c["type"] == "module" and c.get("module_type") == "binary"]
    return blobs


@settings(max_examples=250, **SETTINGS)
@given(st.data())
def test_mutated_spec_modules(suite_modules, data):
    blob = bytearray(data.draw(st.sampled_from(suite_modules)))
    for _ in range(data.draw(st.integers(1, 3))):
        pos = data.draw(st.integers(8, len(blob) - 1))
        blob[pos] = data.draw(st.integers(0, 255))
    event(exercise(bytes(blob)))


def test_seed_modules_are_valid_and_run(seeds):
    assert [exercise(s, must_validate=True) for s in seeds] == ["ran"] * len(seeds)


SMITH_FLAGS = ["--simd-enabled", "false", "--relaxed-simd-enabled", "false", "--threads-enabled", "false",
               "--memory64-enabled", "false", "--shared-everything-threads-enabled", "false",
               "--wide-arithmetic-enabled", "false", "--custom-page-sizes-enabled", "false",
               "--custom-descriptors-enabled", "false", "--compact-imports-enabled", "false",
               "--max-imports", "0", "--export-everything", "true", "--max-memories", "1",
               "--max-memory32-bytes", str(16 * 65536), "--max-table-elements", "1000"]


@settings(max_examples=60, **SETTINGS)
@given(st.binary(min_size=16, max_size=1500))
def test_wasm_tools_smith_modules(tmp_path_factory, seed):
    out = tmp_path_factory.mktemp("smith") / "m.wasm"
    proc = subprocess.run([WASM_TOOLS, "smith", *SMITH_FLAGS, "-o", str(out)], input=seed, capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()
    event(exercise(out.read_bytes(), must_validate=True))


# --- fuel and the call stack ---------------------------------------------------------------------------

RECURSION = wat("""(module
  (func $down (export "down") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1)))))))
  (func $forever (export "forever") (param i32) (result i32)
    (i32.add (i32.const 1) (call $forever (local.get 0))))
  (func (export "spin") (loop $l (br $l))))""")


def test_infinite_loop_stops_at_the_fuel_limit():
    inst = vm.instantiate(vm.decode(RECURSION), {}, fuel=20_000)
    with pytest.raises(vm.OutOfFuel) as info:
        inst.exports.spin()
    assert info.value.msg == "out of fuel"
    assert inst.fuel[0] <= 0


def test_deep_and_unbounded_recursion():
    inst = vm.instantiate(vm.decode(RECURSION), {})
    assert inst.exports.down(10_000) == 10_000
    with pytest.raises(vm.Exhaustion) as info:
        inst.exports.forever(0)
    assert info.value.msg == "call stack exhausted"
    # the process and the VM live on
    assert inst.exports.down(10_000) == 10_000
    other = vm.instantiate(vm.decode(RECURSION), {})
    assert other.exports.down(100) == 100
