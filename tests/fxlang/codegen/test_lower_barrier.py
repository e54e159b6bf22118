"""`nosuspend` as fxlang's `barrier` block (target fx: our VM only, standard tools reject 0xe7) and, after the
pass lower-barrier (fxlang/passes/lower_barrier.py), as a trapping handler (target standard: node and the VM),
on a hand-built handler program."""

from fxlang.check import types as T
from fxlang.passes import PIPELINES, run

from .test_lower_handlers import INT, Prog, run_on_vm


def program(target, perform):
    """main: handle { nosuspend { perform ask() or 41 } + 1 } with ask => k(100)."""
    p = Prog()
    ask = p.hs.op("ask", (), INT)
    body_fn, k_fn = T.Fn((), INT), T.Fn((INT,), INT)
    clause_fn = p.hs.clause_type(ask, INT)

    inner = p.code(body_fn, "inner")          # the nosuspend body
    if perform:
        p.hs.perform(inner, ask)
    else:
        inner.emit("i64.const", 41)

    body = p.code(body_fn, "body")
    with body.barrier("i64"):
        body.emit("ref.null", "struct")
        body.emit("call", inner)
    body.emit("i64.const", 1); body.emit("i64.add")

    clause = p.code(clause_fn, "clause.ask")
    p.call_closure(clause, k_fn, lambda: clause.emit("local.get", 1), lambda: clause.emit("i64.const", 100))
    ident = p.code(T.Fn((INT,), INT), "identity")
    ident.emit("local.get", 1)

    f = p.main
    p.closure(f, body_fn, body)
    p.closure(f, clause_fn, clause)
    p.closure(f, T.Fn((INT,), INT), ident)
    p.hs.handle(f, INT, [ask], INT)
    p.println_int(f)
    if target != "fx":
        p.m = run(p.m, PIPELINES[target])
    return p


def test_standard_guard_passes_values_through(tmp_path):
    data, r = program("standard", perform=False).run(tmp_path)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout.decode() == "42\n"
    assert run_on_vm(data) == ("42\n", None)


def test_standard_guard_traps_on_suspension(tmp_path):
    data, r = program("standard", perform=True).run(tmp_path)
    assert r.returncode == 1 and "suspension across nosuspend" in r.stderr.decode()
    out, trap = run_on_vm(data)
    assert out == "" and trap is not None


def test_fx_barrier_on_the_vm():
    from fxlang.wasm import encode
    assert run_on_vm(encode(program("fx", perform=False).m)) == ("42\n", None)
    out, trap = run_on_vm(encode(program("fx", perform=True).m))
    assert out == "" and "barrier" in str(trap)
