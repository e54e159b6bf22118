"""Lambdas, captures (immutable copies, shared mutable cells), functions as values, higher-order code."""


def test_lambda_capturing_immutable_values(run):
    src = """
    fn apply(f: fn(int) -> int, x: int) -> int { f(x) }
    fn main() {
        let k = 10;
        let name = "n=";
        println(apply(|x| x + k, 5));
        let show = |x: int| name + str(x);
        println(show(7));
    }"""
    assert run(src) == "15\nn=7\n"


def test_counter_shares_mutable_capture(run):
    src = """
    fn make_counter() -> fn() -> int {
        let mut c = 0;
        || { c += 1; c }
    }
    fn main() {
        let a = make_counter();
        let b = make_counter();
        a(); a();
        println(a());
        println(b());
    }"""
    assert run(src) == "3\n1\n"


def test_closure_and_owner_see_the_same_variable(run):
    src = """
    fn main() {
        let mut total = 0;
        let add = |n: int| { total += n; };
        add(5);
        add(7);
        println(total);
        total = 100;
        add(1);
        println(total);
    }"""
    assert run(src) == "12\n101\n"


def test_nested_lambdas_capture_through_outer(run):
    src = """
    fn main() {
        let mut log = "";
        let base = 3;
        let outer = |x: int| {
            let inner = |y: int| { log = log + str(y) + ";"; x * y + base };
            inner(x + 1)
        };
        println(outer(2));
        println(outer(4));
        println(log);
    }"""
    assert run(src) == "9\n23\n3;5;\n"


def test_named_functions_as_values(run):
    src = """
    fn double(x: int) -> int { x * 2 }
    fn square(x: int) -> int { x * x }
    fn compose(f: fn(int) -> int, g: fn(int) -> int) -> fn(int) -> int { |x| g(f(x)) }
    fn main() {
        let fs = [double, square, compose(double, square)];
        let mut i = 0;
        while i < len(fs) { println(fs[i](5)); i += 1; }
        let h = compose(square, double);
        println(h(3));
    }"""
    assert run(src) == "10\n25\n100\n18\n"


def test_closures_in_loops_capture_each_iteration(run):
    src = """
    fn main() {
        let fs: [fn() -> int] = [];
        let mut i = 0;
        while i < 3 {
            let j = i * 10;
            push(fs, || j);
            i += 1;
        }
        println(fs[0]() + fs[1]() + fs[2]());
    }"""
    assert run(src) == "30\n"


def test_higher_order_map_filter_fold(run):
    src = """
    fn map(xs: [int], f: fn(int) -> int) -> [int] {
        let out: [int] = [];
        let mut i = 0;
        while i < len(xs) { push(out, f(xs[i])); i += 1; }
        out
    }
    fn fold(xs: [int], acc: int, f: fn(int, int) -> int) -> int {
        let mut a = acc;
        let mut i = 0;
        while i < len(xs) { a = f(a, xs[i]); i += 1; }
        a
    }
    fn main() {
        let xs = map([1, 2, 3, 4], |x| x * x);
        println(fold(xs, 0, |a, b| a + b));
        let mut calls = 0;
        let m = fold(xs, 0, |a, b| { calls += 1; if b > a { b } else { a } });
        println(str(m) + " after " + str(calls));
    }"""
    assert run(src) == "30\n16 after 4\n"


def test_recursion_through_closure_stored_in_struct(run):
    src = """
    struct Box { f: fn(int) -> int }
    fn fact(n: int) -> int { if n <= 1 { 1 } else { n * fact(n - 1) } }
    fn main() {
        let b = Box { f: fact };
        println(b.f(10));
        b.f = |n| n + 1;
        println(b.f(10));
    }"""
    assert run(src) == "3628800\n11\n"


def test_lambda_with_unit_result_and_float_params(run):
    src = """
    fn each(xs: [float], f: fn(float)) { let mut i = 0; while i < len(xs) { f(xs[i]); i += 1; } }
    fn main() {
        let mut sum = 0.0;
        each([0.5, 1.25, 2.0], |x| { sum += x; });
        println(sum);
        each([1.0], |x| println(x * 3.0));
    }"""
    assert run(src) == "3.75\n3.0\n"
