"""`break`/`continue`/`return` leaving a `handle` body or clause (fxlang/codegen/control/jumps.py): an `$escape` exception
caught at the handle, which makes the jump; on node 26 and on the VM (both targets)."""

from __future__ import annotations

from fxlang.check import check
from fxlang.codegen.control.jumps import escaping_jumps
from fxlang.modules import load_source
from fxlang.syntax import ast

from .conftest import compile_source, run_vm


def same_everywhere(run, tmp_path, src):
    out = run(src)                                   # target fx on node (validated by wasm-tools first)
    for target in ("fx", "standard"):
        assert run_vm(compile_source(src, tmp_path / f"{target}.fx", target=target)) == (out, 0), target
    return out


def test_return_break_continue_out_of_handle_bodies(run, tmp_path):
    src = """
    effect Ask { ask() -> int }
    fn find(xs: [int]) -> int {
        let mut i = 0;
        while i < len(xs) {
            handle { if perform ask() == xs[i] { return i; } } with { ask(), k => k(3) };
            i += 1;
        }
        -1
    }
    fn main() {
        println(find([1, 3, 5]));
        println(find([1, 2]));
        let mut n = 0;
        loop {
            n += 1;
            handle { if n > 3 { break; } if n == 2 { continue; } println(n); } with { ask(), k => k(1) };
        }
        println(n);
    }"""
    assert same_everywhere(run, tmp_path, src) == "1\n-1\n1\n3\n4\n"


def test_break_with_a_value_out_of_a_clause_skips_the_rest_of_the_resuming_clause(run, tmp_path):
    src = """
    effect Log { log(int) }
    fn main() {
        let mut seen = 0;
        let v = loop {
            handle {
                perform log(seen);
                seen += 1;
                perform log(seen);
            } with {
                log(x), k => { if x == 3 { break "stopped at " + str(x); } k(()); println("after " + str(x)); },
            };
        };
        println(v);
    }"""
    assert same_everywhere(run, tmp_path, src) == "after 1\nafter 0\nafter 2\nafter 1\nstopped at 3\n"


def test_return_through_nested_handles_cancels_generators_and_runs_finally(run, tmp_path):
    src = """
    effect Ask { ask() -> int }
    effect Log { log(int) }
    fn nums(n: int) -> Gen[int] {
        let mut i = 0;
        try { while i < n { yield i; i += 1; } } finally { println("nums done " + str(n)); }
    }
    fn search(limit: int) -> int {
        for a in nums(5) {
            let r = handle {
                for b in nums(3) {
                    try {
                        handle {
                            perform log(a * 10 + b);
                            if a * 10 + b == limit { return a * 100 + b; }
                        } with { log(v), k => { if v == 11 { break; } k(()) } };
                    } finally { println("fin " + str(a) + str(b)); }
                }
                7
            } with { ask(), k => k(0) };
            println("a " + str(a) + " r " + str(r));
        }
        -1
    }
    fn main() { println(search(21)); }"""
    assert same_everywhere(run, tmp_path, src) == (
        "fin 00\nfin 01\nfin 02\nnums done 3\na 0 r 7\n"
        "fin 10\nfin 11\nnums done 3\na 1 r 7\n"
        "fin 20\nfin 21\nnums done 3\nnums done 5\n201\n")


def test_catch_all_lets_a_jump_through_and_finally_runs(run, tmp_path):
    src = """
    effect Log { log(str) }
    fn items() -> Gen[str] { yield "p"; yield "q"; yield "r"; }
    fn main() {
        let mut total = 0;
        for i in items() {
            try {
                handle { perform log(i); } with {
                    log(m), k => { if m == "q" { continue; } total += 1; k(()) },
                };
            } catch _ { println("never"); } finally { println("fin " + i); }
        }
        println(total);
    }"""
    assert same_everywhere(run, tmp_path, src) == "fin p\nfin q\nfin r\n2\n"


def test_jumps_in_lambdas_and_generators(run, tmp_path):
    src = """
    effect Ask { ask() -> int }
    fn gen_jump() -> Gen[int] {
        let mut i = 0;
        loop {
            i += 1;
            let x = handle { perform ask() } with { ask(), k => { if i > 3 { return; } k(i) } };
            yield x;
        }
    }
    fn main() {
        let f = |n: int| -> int { handle { if n > 2 { return n * 2; } n } with { ask(), k => k(0) } };
        println(f(1) + f(5));
        for x in gen_jump() { println(x); }
    }"""
    assert same_everywhere(run, tmp_path, src) == "11\n1\n2\n3\n"


def test_escaping_jumps_are_those_whose_target_is_outside(tmp_path):
    src = """
    effect Ask { ask() -> int }
    fn main() {
        loop {
            handle {
                let mut i = 0;
                while i < 3 { i += 1; if i == 2 { continue; } if i == 5 { break; } }
                let g = |x: int| -> int { if x > 0 { return x; } 0 };
                if g(1) > 0 { break; }
            } with { ask(), k => { if true { return; } k(1) } };
        }
    }"""
    program = load_source(src, str(tmp_path / "p.fx"))
    check(program)
    h = next(n for item in program.main.items for n in ast.walk(item) if isinstance(n, ast.Handle))
    kinds = sorted(type(j).__name__ for j in escaping_jumps(h))
    assert kinds == ["Break", "Return"]


def test_a_program_without_escaping_jumps_has_no_escape_tag(build):
    from fxlang.wasm.wat import disassemble
    data = build("""
    effect Ask { ask() -> int }
    fn main() { let mut i = 0; while i < 2 { i += handle { perform ask() } with { ask(), k => k(1) }; } }""")
    assert "escape" not in disassemble(data)


def test_a_for_loop_inside_the_handle_body_is_cancelled_before_the_finally_around_it(run, tmp_path):
    src = """
    effect Ask { ask() -> int }
    fn nums(n: int) -> Gen[int] {
        let mut i = 0;
        try { while i < n { yield i; i += 1; } } finally { println("nums done"); }
    }
    fn f() -> int {
        let r = handle {
            try {
                for x in nums(3) { println(x); if x == perform ask() { return 5; } }
            } finally { println("fin"); }
            0
        } with { ask(), k => k(1) };
        r + 100
    }
    fn main() { println(f()); }"""
    assert same_everywhere(run, tmp_path, src) == "0\n1\nnums done\nfin\n5\n"


def test_handles_whose_body_never_finishes(run, tmp_path):
    src = """
    effect Ask { ask() -> int }
    fn f() -> int {
        let mut i = 0;
        loop {
            i += 1;
            let v: int = handle { if i > 2 { return i * 10; } continue; } with { ask(), k => k(1) };
            println(v);
        }
    }
    fn main() {
        println(f());
        let w = loop { handle { break 7; } with { ask(), k => { k(1); } } };
        println(w);
    }"""
    assert same_everywhere(run, tmp_path, src) == "30\n7\n"
