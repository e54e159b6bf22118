"""Scalars, operators, control flow and functions, compiled and run on V8."""


def test_hello(run):
    assert run('fn main() { println("hello, world"); }') == "hello, world\n"


def test_int_arithmetic_truncates_toward_zero(run):
    src = """
    fn main() {
        println(7 / 2); println(-7 / 2); println(7 % 3); println(-7 % 3); println(7 % -3);
        println(2 * 3 + 4 * 5 - 1); println(-(3 - 10));
        println(9223372036854775807 + 1);
    }"""
    assert run(src).split() == ["3", "-3", "1", "-1", "1", "25", "7", "-9223372036854775808"]


def test_float_arithmetic_and_conversions(run):
    src = """
    fn main() {
        println(1.5 + 2.25); println(10.0 / 4.0); println(-2.5 * 2.0); println(7.5 % 2.0);
        println(-7.5 % 2.0); println(float(3)); println(int(3.99)); println(int(-3.99));
        println(0.1 + 0.2); println(1.0 / 3.0); println(1e16); println(0.00001); println(-0.0);
        println(1.0 / 0.0); println(-1.0 / 0.0);
    }"""
    assert run(src).split() == ["3.75", "2.5", "-5.0", "1.5", "-1.5", "3.0", "3", "-3",
                                "0.30000000000000004", "0.3333333333333333", "1e+16", "1e-05", "-0.0",
                                "inf", "-inf"]


def test_comparisons_and_logic(run):
    src = """
    fn loud(b: bool) -> bool { print("!"); b }
    fn main() {
        println(3 < 4); println(3 >= 4); println(2.5 <= 2.5); println(1.0 != 1.0);
        println(true == false); println(!true);
        println(false && loud(true)); println(true || loud(false));
        println(true && loud(true));
    }"""
    assert run(src) == "true\nfalse\ntrue\nfalse\nfalse\nfalse\nfalse\ntrue\n!true\n"


def test_if_else_chain_and_block_values(run):
    src = """
    fn classify(n: int) -> str {
        if n < 0 { "negative" } else if n == 0 { "zero" } else { "positive" }
    }
    fn main() {
        println(classify(-5)); println(classify(0)); println(classify(5));
        let x = { let a = 2; let b = 3; a * b };
        println(x);
        if x > 5 { println("big"); }
    }"""
    assert run(src) == "negative\nzero\npositive\n6\nbig\n"


def test_while_loop_break_continue(run):
    src = """
    fn main() {
        let mut i = 0;
        let mut total = 0;
        while i < 10 {
            i += 1;
            if i % 2 == 0 { continue; }
            if i > 7 { break; }
            total += i;
        }
        println(total);
        let mut n = 0;
        let found = loop {
            n += 1;
            if n * n > 50 { break n; }
        };
        println(found);
    }"""
    assert run(src) == "16\n8\n"


def test_nested_loops_break_inner_only(run):
    src = """
    fn main() {
        let mut i = 0;
        let mut count = 0;
        while i < 4 {
            let mut j = 0;
            loop { if j == i { break; } count += 1; j += 1; }
            i += 1;
        }
        println(count);
    }"""
    assert run(src) == "6\n"


def test_return_early_and_from_loop(run):
    src = """
    fn find(limit: int) -> int {
        let mut k = 0;
        loop {
            if k * k >= limit { return k; }
            k += 1;
        }
    }
    fn sign(x: int) -> int {
        if x < 0 { return -1; }
        if x == 0 { return 0; }
        1
    }
    fn main() { println(find(30)); println(sign(-4)); println(sign(0)); println(sign(9)); }"""
    assert run(src) == "6\n-1\n0\n1\n"


def test_recursion_and_mutual_recursion(run):
    src = """
    fn fib(n: int) -> int { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }
    fn is_even(n: int) -> bool { if n == 0 { true } else { is_odd(n - 1) } }
    fn is_odd(n: int) -> bool { if n == 0 { false } else { is_even(n - 1) } }
    fn main() { println(fib(20)); println(is_even(100)); println(is_odd(7)); println(is_odd(10)); }"""
    assert run(src) == "6765\ntrue\ntrue\nfalse\n"


def test_unit_functions_and_values(run):
    src = """
    fn say(s: str) { println(s); }
    fn nothing() -> unit { () }
    fn main() {
        let u = say("one");
        let v: unit = nothing();
        say("two");
        println(str(3) + "!");
    }"""
    assert run(src) == "one\ntwo\n3!\n"


def test_globals_initialised_in_order(run):
    src = """
    let base = 40;
    let answer = base + 2;
    let mut counter = 0;
    let names = ["a", "b"];
    fn bump() -> int { counter += 1; counter }
    fn main() {
        println(answer);
        bump(); bump();
        println(bump());
        println(names[1]);
    }"""
    assert run(src) == "42\n3\nb\n"


def test_unit_slots_never_types_shadowing_and_globals_holding_closures(run):
    src = """
    struct U { a: unit, n: int }
    enum E { A(unit), B(int, unit), C }
    let adder = |x: int| x + 100;
    let mut hits = [0];
    fn first() -> int { loop { return 1; } }
    fn pick(b: bool) -> fn(int) -> int { if b { |x| x * 2 } else { adder } }
    fn unit_param(u: unit, x: int) -> int { x + 1 }
    fn main() {
        let u = U { a: (), n: 3 };
        println(u.n);
        let w = u.a;
        let e = B(4, ());
        let n = match e { A(_) => 0, B(k, _) => k, C => -1 };
        println(n);
        println(match A(()) { A(x) => 7, _ => 8 });
        let us = [(), ()];
        push(us, ());
        println(len(us));
        println(adder(1) + first());
        push(hits, 5);
        hits[0] += 2;
        println(hits[0] + hits[1]);
        println(pick(true)(5) + pick(false)(5));
        println(unit_param((), 41));
        let f = |x: int| -> int { if x > 0 { return x; } 0 - x };
        println(f(-3) + f(4));
        let mut i = 0;
        let r = loop {
            i += 1;
            match i { 5 => { break i * 10; }, _ => { continue; } }
        };
        println(r);
        let x = 1;
        let x = x + 1;
        let g = || x;
        println(g());
        let noop = |s: str| {};
        noop("x");
        let mut total = 0;
        let mut j = 0;
        while j < 3 { let mut k = j; let bump = || { k += 10; }; bump(); total += k; j += 1; }
        println(total);
    }
    """
    assert run(src).split() == ["3", "4", "7", "3", "102", "7", "115", "42", "7", "50", "2", "33"]


def test_global_initialiser_with_block_locals_captured_by_a_closure(run):
    src = """
    let mut count = 0;
    let counter = { let mut c = 100; || { c += 1; count += 1; c } };
    let table = [1, 2, 3];
    fn main() {
        counter(); counter();
        println(counter() + count);
        push(table, 4);
        println(len(table));
    }"""
    assert run(src) == "106\n4\n"
