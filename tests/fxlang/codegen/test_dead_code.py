"""What the compiled program cannot reach is not in the binary (fxlang/passes/prune.py, run on every module
ProgramGen builds), and the generator glue that nothing needs is not emitted (fxlang/codegen/control/generators.py):
no guard around a `for` loop whose body cannot throw, no `got` flag for `match next(g)` on a local generator.
Every program also runs on node 26 and on our VM (both targets) with the same output."""

from __future__ import annotations

from fxlang.wasm.wat import disassemble

from .conftest import compile_source, run_vm


def same_everywhere(run, tmp_path, src):
    out = run(src)                                   # target fx on node (validated by wasm-tools first)
    for target in ("fx", "standard"):
        assert run_vm(compile_source(src, tmp_path / f"{target}.fx", target=target)) == (out, 0), target
    return out


def wat_of(build, src, target="standard"):
    return disassemble(build(src, target))


def func_text(wat, name):
    """The printed body of function `name`."""
    start = wat.index(f"(func ${name} ")
    end = wat.find("\n  (func ", start + 1)
    return wat[start:end if end > 0 else len(wat)]


def test_unused_functions_types_and_enum_instances_are_gone(build, run, tmp_path):
    src = """
    enum Shape { Circle(int), Square(int) }
    enum Unused { A(int), B }
    struct Never { x: int }
    fn area(s: Shape) -> int { match s { Circle(r) => 3 * r * r, Square(a) => a * a } }
    fn never_called(n: Never) -> int { n.x }
    fn main() { println(area(Square(4))); }"""
    wat = wat_of(build, src)
    assert "$area" in wat and "Shape" in wat
    for gone in ("never_called", "Unused", "$Never", "Option"):
        assert gone not in wat, gone
    assert same_everywhere(run, tmp_path, src) == "16\n"


def test_a_generator_fn_wrapper_stays_only_when_some_call_site_uses_it(build, run, tmp_path):
    local = """
    fn nat(n: int) -> Gen[int] { let mut i = 0; while i < n { yield i; i += 1; } }
    fn main() { let g = nat(3); let mut s = 0; loop { match next(g) { Some(x) => { s += x; }, None => { break; } } }
                println(s); }"""
    wat = wat_of(build, local)
    assert "(func $nat.body" in wat and "(func $nat " not in wat
    assert "$gen " not in wat and "Option" not in wat
    assert same_everywhere(run, tmp_path, local) == "3\n"
    passed = """
    fn nat(n: int) -> Gen[int] { let mut i = 0; while i < n { yield i; i += 1; } }
    fn total(g: Gen[int]) -> int { let mut s = 0; for x in g { s += x; } s }
    fn main() { println(total(nat(4))); }"""
    assert "(func $nat " in wat_of(build, passed)
    assert same_everywhere(run, tmp_path, passed) == "6\n"


def test_a_for_loop_whose_body_cannot_throw_has_no_guard(build):
    quiet = """
    fn nat(n: int) -> Gen[int] { let mut i = 0; while i < n { yield i; i += 1; } }
    fn main() { let mut s = 0; for x in nat(5) { if x == 3 { break; } s += x * 2; } println(s); }"""
    main = func_text(wat_of(build, quiet), "main")
    assert "try_table" not in main and "throw_ref" not in main
    assert "call $gen.cancel_k" in main             # the `break` still cancels the generator
    loud = quiet.replace("s += x * 2;", "s += twice(x);") + "\nfn twice(x: int) -> int { x * 2 }"
    assert "catch_all_ref" in func_text(wat_of(build, loud), "main")


def test_the_guard_still_cancels_when_the_body_throws(run, tmp_path):
    src = """
    exception Stop(int)
    fn nat(n: int) -> Gen[int] {
        let mut i = 0;
        try { while i < n { yield i; i += 1; } } finally { println("nat done at " + str(i)); }
    }
    fn check(x: int) -> int { if x == 2 { throw Stop(x); } x }
    fn main() {
        let mut s = 0;
        try { for x in nat(5) { s += check(x); } } catch Stop(v) { println("stopped " + str(v)); }
        for x in nat(3) { s += x; }
        println(s);
    }"""
    assert same_everywhere(run, tmp_path, src) == "nat done at 2\nstopped 2\nnat done at 3\n4\n"


def test_match_next_on_a_local_generator_needs_no_flag_even_with_guards(build, run, tmp_path):
    plain = """
    fn nat(n: int) -> Gen[int] { let mut i = 0; while i < n { yield i; i += 1; } }
    fn main() { let g = nat(4); let mut s = 0;
                loop { match next(g) { None => { break; }, Some(x) => { s += x; } } } println(s); }"""
    assert "$got" not in wat_of(build, plain)
    assert same_everywhere(run, tmp_path, plain) == "6\n"
    # a guard that steps g again: the arms after it must still see the first step's outcome
    guarded = """
    fn nat(n: int) -> Gen[int] { let mut i = 0; while i < n { yield i; i += 1; } }
    fn main() {
        let g = nat(5);
        loop {
            match next(g) {
                Some(x) if match next(g) { Some(_) => false, None => true } => { println("last " + str(x)); },
                Some(x) => { println("got " + str(x)); },
                None => { println("none"); break; },
            }
        }
    }"""
    assert same_everywhere(run, tmp_path, guarded) == "got 0\ngot 2\nlast 4\nnone\n"


def test_a_generator_that_threw_stays_finished_when_the_function_catches(run, tmp_path):
    src = """
    exception Bad(int)
    fn gen() -> Gen[int] { yield 1; throw Bad(2); }
    fn main() {
        let g = gen();
        println(match next(g) { Some(x) => x, None => -1 });
        try { next(g); } catch Bad(v) { println("bad " + str(v)); }
        println(match next(g) { Some(x) => x, None => -1 });
    }"""
    assert same_everywhere(run, tmp_path, src) == "1\nbad 2\n-1\n"
