"""Fuzzing with wasm-tools smith: random valid modules (GC, exceptions, tail calls, memory64, no SIMD/threads)
read back and re-encode to the same bytes, and print to WAT that wasm-tools parses back to the same module."""

import random
import subprocess

from ._wasm_oracle import WASM_TOOLS, parse_many, strip_custom
from fxlang.wasm import encode
from fxlang.wasm.read import read
from fxlang.wasm.wat import disassemble

FEATURES = ['--simd-enabled', 'false', '--relaxed-simd-enabled', 'false', '--threads-enabled', 'false',
            '--shared-everything-threads-enabled', 'false', '--wide-arithmetic-enabled', 'false',
            '--custom-descriptors-enabled', 'false', '--compact-imports-enabled', 'false',
            '--gc-enabled', 'true', '--exceptions-enabled', 'true', '--tail-call-enabled', 'true',
            '--memory64-enabled', 'true', '--custom-page-sizes-enabled', 'true', '--extended-const-enabled', 'true']


def _smith(n: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        entropy = bytes(rng.randrange(256) for _ in range(rng.choice([64, 512, 4096])))
        p = subprocess.run([WASM_TOOLS, 'smith', *FEATURES], input=entropy, capture_output=True, check=True)
        out.append(p.stdout)
    return out


def _as_text_can_say(data: bytes) -> bytes:
    """The module re-encoded without what WAT cannot express: empty sections, an unneeded data count section,
    non-canonical grouping of local declarations."""
    m = read(data)
    m.keep_empty, m.data_count = set(), None
    for f in m.funcs:
        f.local_runs = None
    return strip_custom(encode(m))


def test_smith_modules_round_trip():
    modules = _smith(40, seed=20261123)
    for data in modules:
        assert encode(read(data)) == data
    texts = [disassemble(d) for d in modules]
    for data, parsed in zip(modules, parse_many(texts)):
        assert isinstance(parsed, bytes), parsed
        assert strip_custom(parsed) == _as_text_can_say(data)
