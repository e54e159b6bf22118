"""The call-graph analysis: which functions may suspend and which instructions are points."""
from __future__ import annotations

import subprocess

from fxlang.asyncify.analysis import Analysis
from fxlang.wasm.read import read
from tests.e2e.conftest import wasm_tools_path

MODULE = """
(module
  (type $ft (func))
  (type $ct (cont $ft))
  (type $ct2 (cont $ft))
  (tag $a)
  (tag $b)
  (func $pure (result i32) (i32.const 1))
  (func $sa (suspend $a))
  (func $calls_sa (call $sa))
  (func $tail_sa (return_call $sa))
  (func $via_ref (call_ref $ft (ref.func $sa)))
  (func $handles_a (resume $ct (on $a 0) (cont.new $ct (ref.func $sa))) (unreachable))
  (func $handles_b (resume $ct (on $b 0) (cont.new $ct (ref.func $sa))) (unreachable))
  (func $in_barrier (block (call $sa)))
  (func $sw (switch $ct2 $a (cont.new $ct2 (ref.func $sa))))
  (elem declare func $sa)
  (export "pure" (func $pure))
)
"""


def analysed(wat: str, tmp_path):
    src = tmp_path / "m.wat"
    src.write_text(wat)
    out = tmp_path / "m.wasm"
    r = subprocess.run([wasm_tools_path(), "parse", str(src), "-o", str(out)], capture_output=True)
    assert r.returncode == 0, r.stderr.decode()
    m = read(out.read_bytes())
    names = {v: int(k) for k, v in m.names.funcs.items()}
    return m, Analysis(m), names


def test_tags_flow_through_calls_tail_calls_and_references(tmp_path):
    m, an, f = analysed(MODULE, tmp_path)
    a = 0
    assert an.tags[f["pure"]] == frozenset()
    assert an.tags[f["sa"]] == {a}
    assert an.tags[f["calls_sa"]] == {a}
    assert an.tags[f["tail_sa"]] == {a}
    assert an.tags[f["via_ref"]] == {a}            # $sa is address-taken and of type $ft


def test_a_resume_lets_escape_only_what_its_clauses_do_not_handle(tmp_path):
    m, an, f = analysed(MODULE, tmp_path)
    assert an.tags[f["handles_a"]] == frozenset()
    assert an.tags[f["handles_b"]] == {0}           # $a passes through a handler of $b


def test_switch_has_its_own_code(tmp_path):
    m, an, f = analysed(MODULE, tmp_path)
    assert an.tags[f["sw"]] == {0 + an.ntags}       # handled by (on $a switch) only, not by (on $a $l)


def test_nothing_escapes_a_barrier(tmp_path):
    m, an, f = analysed(MODULE.replace("(func $in_barrier (block (call $sa)))",
                                       "(func $in_barrier (block (call $sa)))"), tmp_path)
    body = m.funcs.entries[f["in_barrier"] - m.imports.count("func")].body
    for i, ins in enumerate(body):            # wasm-tools cannot write `barrier`: make the block one
        if ins.op == "block":
            body[i] = ins._replace(op="barrier")
    an = Analysis(m)
    assert an.tags[f["in_barrier"]] == frozenset()
    assert not an.instrumented(f["in_barrier"])
