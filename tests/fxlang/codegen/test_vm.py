"""The same compiled programs on our own VM (`vm`, through its public API only): output must match what the
test expects (the node tests pin the same programs on V8)."""


import pytest

from .conftest import compile_source, run_vm_wasi, trap_message

vm = pytest.importorskip("vm")
if not hasattr(vm, "instantiate"):
    pytest.skip("vm.instantiate is not there yet", allow_module_level=True)


def run_vm(src, tmp_path):
    """(stdout, None) or, after a trap or a panic, (stdout so far, its message)."""
    out, err, status = run_vm_wasi(compile_source(src, tmp_path / "prog.fx"))
    return out.decode(), (trap_message(err) if status else None)


PROGRAMS = {
    "scalars": ("""
        fn fib(n: int) -> int { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }
        fn main() {
            println(fib(15)); println(-7 / 2); println(-7 % 3); println(7.5 % 2.0);
            println(0.1 + 0.2); println(1e16); println(str(-9223372036854775807 - 1));
            println(3 < 4 && !(2.5 > 3.0)); println(int(-3.9)); println(float(7) / 2.0);
        }""", "610\n-3\n-1\n1.5\n0.30000000000000004\n1e+16\n-9223372036854775808\ntrue\n-3\n3.5\n"),
    "data": ("""
        struct P { x: int, y: int }
        enum Shape { Circle(float), Rect(P, P), Dot }
        fn area(s: Shape) -> float {
            match s { Circle(r) => 3.0 * r * r, Rect(a, b) => float((b.x - a.x) * (b.y - a.y)), Dot => 0.0 }
        }
        fn main() {
            let shapes = [Circle(1.0), Rect(P { x: 0, y: 0 }, P { y: 3, x: 2 }), Dot];
            let mut i = 0;
            while i < len(shapes) { println(area(shapes[i])); i += 1; }
            let xs: [int] = [];
            while i < 20 { push(xs, i); i += 1; }
            xs[0] += 100;
            println(str(len(xs)) + " " + str(xs[0]) + " " + str(pop(xs)));
            println(match "b" { "a" => 1, "b" => 2, _ => 3 });
        }""", "3.0\n6.0\n0.0\n17 103 19\n2\n"),
    "closures": ("""
        fn make_counter() -> fn() -> int { let mut c = 0; || { c += 1; c } }
        fn twice(x: int) -> int { x * 2 }
        fn apply(f: fn(int) -> int, x: int) -> int { f(x) }
        fn main() {
            let c = make_counter();
            c(); c();
            let k = 5;
            println(c() + apply(|x| x + k, 1) + apply(twice, 10));
            let mut log = "";
            let add = |s: str| { log = log + s; };
            add("a"); add("b");
            println(log < "abc");
        }""", "29\ntrue\n"),
    "strings": ("""
        fn main() {
            let mut s = "";
            let mut i = 0;
            while i < 600 { s = s + "abcdefgh"; i += 1; }
            println(len(s));
            println("héllo" + " " + str(true) + " " + str(2.5));
            println("abc" == "ab" + "c");
        }""", "4800\nhéllo true 2.5\ntrue\n"),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_on_vm(name, tmp_path):
    src, expected = PROGRAMS[name]
    out, trap = run_vm(src, tmp_path)
    assert trap is None, f"trap: {trap}"
    assert out == expected


def test_trap_on_vm(tmp_path):
    out, trap = run_vm('fn main() { println("before"); let xs = [1]; println(xs[1]); }', tmp_path)
    assert out == "before\n"
    assert trap is not None and "out of bounds" in str(trap)
