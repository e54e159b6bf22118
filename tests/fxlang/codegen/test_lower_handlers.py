"""fxlang.codegen.control.handlers at the Wasm level: bodies and clauses are closures written by hand with the builder
(the front end has no `handle`/`perform` yet), the drivers come from Handlers; validated by wasm-tools and run
on node 26 (V8's WasmFX) and on the VM."""

from fxlang.check import types as T
from fxlang.codegen.layout import CLO_CODE, CLO_ENV, Layout
from fxlang.codegen.runtime import Runtime
from fxlang.codegen.control.handlers import Handlers
from fxlang.wasm import Module, encode, ref

from .conftest import _run_node, run_vm_with_message, validate

INT, UNIT = T.INT, T.UNIT


class Prog:
    def __init__(self):
        self.m = Module()
        self.L = Layout(self.m)
        self.rt = Runtime(self.m, self.L)
        self.hs = Handlers(self.m, self.L)
        self.main = self.m.funcs.add(self.m.types.func([], []), name="main")
        self.m.exports.func("_start", self.main)

    def code(self, fn, name):
        f = self.m.funcs.add(self.L.code(fn), name=name)
        return f

    def closure(self, f, fn, code, env=None):
        """Push a closure of fx type `fn` for code function `code`; `env()` pushes a struct or None."""
        f.emit("ref.func", code)
        if env is None:
            f.emit("ref.null", "struct")
        else:
            env()
        f.emit("struct.new", self.L.clo(fn))

    def call_closure(self, f, fn, push_clo, push_args):
        clo = self.L.clo(fn)
        push_clo(); f.emit("struct.get", clo, CLO_ENV)
        push_args()
        push_clo(); f.emit("struct.get", clo, CLO_CODE)
        f.emit("call_ref", self.L.code(fn))

    def println_int(self, f):
        f.emit("call", self.rt.int_to_str())
        f.emit("call", self.rt.println())

    def run(self, tmp_path):
        data = encode(self.m)
        validate(data, tmp_path / "prog.wasm")
        return data, _run_node(tmp_path / "prog.wasm")


def test_deep_handler_answers_each_perform_and_applies_return_once(tmp_path):
    """body = ask() + 100 * ask(); the clause answers 1, 2, ... from a counter; return r => 2 * r."""
    p = Prog()
    L, m = p.L, p.m
    ask = p.hs.op("ask", (), INT)
    body_fn, k_fn, ret_fn = T.Fn((), INT), T.Fn((INT,), INT), T.Fn((INT,), INT)
    clause_fn = p.hs.clause_type(ask, INT)

    body = p.code(body_fn, "body")
    p.hs.perform(body, ask)
    p.hs.perform(body, ask)
    body.emit("i64.const", 100); body.emit("i64.mul"); body.emit("i64.add")

    cell = L.cell(INT)
    clause = p.code(clause_fn, "clause.ask")     # (env: cell, k) -> int
    c = clause.local(ref(cell), "counter")
    clause.emit("local.get", 0); clause.emit("ref.cast", ref(cell)); clause.emit("local.set", c)
    clause.emit("local.get", c)
    clause.emit("local.get", c); clause.emit("struct.get", cell, 0); clause.emit("i64.const", 1)
    clause.emit("i64.add"); clause.emit("struct.set", cell, 0)
    p.call_closure(clause, k_fn, lambda: clause.emit("local.get", 1),
                   lambda: (clause.emit("local.get", c), clause.emit("struct.get", cell, 0)))

    ret = p.code(ret_fn, "return")
    ret.emit("local.get", 1); ret.emit("i64.const", 2); ret.emit("i64.mul")

    f = p.main
    p.closure(f, body_fn, body)
    p.closure(f, clause_fn, clause, lambda: (f.emit("i64.const", 0), f.emit("struct.new", cell)))
    p.closure(f, ret_fn, ret)
    p.hs.handle(f, INT, [ask], INT)
    p.println_int(f)
    data, r = p.run(tmp_path)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout.decode() == "402\n"        # (1 + 100 * 2) * 2
    assert run_on_vm(data) == ("402\n", None)


def generator_program(resume_twice=False):
    """A generator: body yields 0, 1, 2 (op yield(int) -> unit); the clause prints and resumes k."""
    p = Prog()
    L = p.L
    yld = p.hs.op("yield", (INT,), UNIT)
    body_fn, k_fn, ret_fn = T.Fn((), UNIT), T.Fn((UNIT,), UNIT), T.Fn((UNIT,), UNIT)
    clause_fn = p.hs.clause_type(yld, UNIT)

    body = p.code(body_fn, "numbers")
    i = body.local("i64", "i")
    with body.block() as done:
        with body.loop() as again:
            body.emit("local.get", i); body.emit("i64.const", 3); body.emit("i64.ge_s"); body.emit("br_if", done)
            body.emit("local.get", i)
            p.hs.perform(body, yld)
            body.emit("local.get", i); body.emit("i64.const", 1); body.emit("i64.add"); body.emit("local.set", i)
            body.emit("br", again)

    clause = p.code(clause_fn, "clause.yield")    # (env, x: int, k) -> unit
    clause.emit("local.get", 1)
    p.println_int(clause)
    for _ in range(2 if resume_twice else 1):
        p.call_closure(clause, k_fn, lambda: clause.emit("local.get", 2), lambda: None)

    ret = p.code(ret_fn, "return")
    p.rt.literal(ret, "done")
    ret.emit("call", p.rt.println())

    f = p.main
    p.closure(f, body_fn, body)
    p.closure(f, clause_fn, clause)
    p.closure(f, ret_fn, ret)
    p.hs.handle(f, UNIT, [yld], UNIT)
    p.rt.literal(f, "after")
    f.emit("call", p.rt.println())
    return p


def test_generator_with_unit_answers(tmp_path):
    data, r = generator_program().run(tmp_path)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout.decode() == "0\n1\n2\ndone\nafter\n"
    assert run_on_vm(data) == ("0\n1\n2\ndone\nafter\n", None)


def test_k_is_one_shot(tmp_path):
    data, r = generator_program(resume_twice=True).run(tmp_path)
    assert r.returncode == 1
    assert r.stdout.decode() == "0\n1\n2\ndone\n"      # the innermost clause's second k(()) traps
    assert "continuation" in r.stderr.decode()
    out, trap = run_on_vm(data)
    assert out == "0\n1\n2\ndone\n"
    assert trap is not None and "continuation" in str(trap)


def test_unlisted_operations_reach_the_outer_handler(tmp_path):
    """inner handles `ask` only; the body's `tell(n)` goes past it to the outer handler, which prints n and
    resumes; then the inner one answers ask with 5."""
    p = Prog()
    ask = p.hs.op("ask", (), INT)
    tell = p.hs.op("tell", (INT,), UNIT)
    body_fn = T.Fn((), INT)
    ask_clause_fn, tell_clause_fn = p.hs.clause_type(ask, INT), p.hs.clause_type(tell, INT)
    ident = T.Fn((INT,), INT)

    body = p.code(body_fn, "body")                   # tell(7); ask() + 1
    body.emit("i64.const", 7); p.hs.perform(body, tell)
    p.hs.perform(body, ask); body.emit("i64.const", 1); body.emit("i64.add")

    ask_clause = p.code(ask_clause_fn, "clause.ask")   # k(5)
    p.call_closure(ask_clause, T.Fn((INT,), INT), lambda: ask_clause.emit("local.get", 1),
                   lambda: ask_clause.emit("i64.const", 5))
    tell_clause = p.code(tell_clause_fn, "clause.tell")  # println(x); k(())
    tell_clause.emit("local.get", 1); p.println_int(tell_clause)
    p.call_closure(tell_clause, T.Fn((UNIT,), INT), lambda: tell_clause.emit("local.get", 2), lambda: None)
    identity = p.code(ident, "identity")
    identity.emit("local.get", 1)

    # the outer body runs the inner handle; it is a closure too
    outer_body = p.code(body_fn, "outer.body")
    p.closure(outer_body, body_fn, body)
    p.closure(outer_body, ask_clause_fn, ask_clause)
    p.closure(outer_body, ident, identity)
    p.hs.handle(outer_body, INT, [ask], INT)

    f = p.main
    p.closure(f, body_fn, outer_body)
    p.closure(f, tell_clause_fn, tell_clause)
    p.closure(f, ident, identity)
    p.hs.handle(f, INT, [tell], INT)
    p.println_int(f)
    data, r = p.run(tmp_path)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout.decode() == "7\n6\n"
    assert run_on_vm(data) == ("7\n6\n", None)


def run_on_vm(data):
    """(stdout, None) or (stdout so far, the trap's message): conftest.run_vm_with_message in this file's terms."""
    out, status, message = run_vm_with_message(data)
    return out, (message if status else None)
