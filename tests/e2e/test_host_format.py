"""The two implementations of docs/host.md's float formatting agree: Python repr and the V8 shim's JS."""
from __future__ import annotations

import json
import math
import struct
import subprocess

from hypothesis import given, settings, strategies as st

from fxlang.hosts.python_host import format_f64
from tests.e2e.conftest import ROOT

SCRIPT = """
import { formatF64 } from %s;
const vals = JSON.parse(process.argv[1]);
const dec = v => v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "-0" ? -0 : v;
console.log(JSON.stringify(vals.map(v => formatF64(dec(v)))));
"""


def js_format(node: str, values: list[float]) -> list[str]:
    def enc(v):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        if v == 0 and math.copysign(1, v) < 0:
            return "-0"
        return v
    module = json.dumps((ROOT / "fxlang/hosts/f64_format.mjs").as_uri())
    out = subprocess.run([node, "--input-type=module", "-e", SCRIPT % module, json.dumps([enc(v) for v in values])],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


EDGES = [0.0, -0.0, 1.0, -1.5, 0.1, 1e16, 1e15, 9999999999999998.0, 1e-4, 1e-5, 0.00012345, 5e-324,
         1.7976931348623157e308, 2.5, 100.0, 1e22, math.inf, -math.inf, math.nan, 123456789.125]


def test_edges_match_python_repr(node):
    assert js_format(node, EDGES) == [format_f64(v) for v in EDGES]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(st.floats(), st.integers(0, 2**64 - 1).map(
    lambda b: struct.unpack("<d", b.to_bytes(8, "little"))[0])), min_size=50, max_size=200))
def test_random_floats_match_python_repr(node, values):
    assert js_format(node, values) == [format_f64(v) for v in values]
