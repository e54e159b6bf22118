"""Generators and exceptions end to end (docs/effects.md): Gen[T], yield (also from plain functions), for,
next, cancel (finally blocks run), throw, try/catch/catch _/finally, cleanups on return/break; node and VM."""

from .conftest import compile_source, run_vm


def test_generators(both):
    src = """
    fn nat(from: int) -> Gen[int] { let mut i = from; loop { yield i; i += 1; } }
    fn twice(x: int) { yield x; yield x; }
    fn pairs(n: int) -> Gen[int] { let mut i = 0; while i < n { twice(i); i += 1; } }
    fn words() -> Gen[str] { yield "a"; yield "bc"; }
    fn main() {
        for x in nat(5) { if x > 8 { break; } println(x); }
        let mut s = 0;
        for y in pairs(3) { s = s * 10 + y; }
        println(s);
        let g = words();
        match next(g) { Some(w) => println(w), None => println("none") };
        match next(g) { Some(w) => println(w), None => println("none") };
        match next(g) { Some(w) => println(w), None => println("none") };
    }
    """
    assert both(src) == "5\n6\n7\n8\n1122\na\nbc\nnone\n"


def test_exceptions_finally_and_cancellation(both):
    src = """
    exception Boom(int)
    exception Stop
    fn risky(n: int) -> int { if n > 2 { throw Boom(n); } n * 10 }
    fn gen0(a: int) -> Gen[int] {
        try { yield a; yield a + 1; yield a + 2; } finally { println("gen cleanup"); }
    }
    fn find(xs: [int]) -> int {
        let mut i = 0;
        while i < len(xs) {
            try { if xs[i] == 7 { return i; } } finally { println("checked " + str(xs[i])); }
            i += 1;
        }
        0 - 1
    }
    fn main() {
        let r = try { risky(1) + risky(5) } catch Boom(e) { e * 100 } catch _ { 0 };
        println(r);
        try { throw Stop; } catch Boom(e) { println("boom"); } catch _ { println("something"); } finally { println(2); };
        let v = try { 5 } finally { println("fin"); };
        println(v);
        for x in gen0(10) { println(x); if x == 11 { break; } }
        let g = gen0(1);
        match next(g) { Some(x) => { println(x); cancel(g); }, None => { } };
        println(find([3, 7, 9]));
        let nested = try { try { throw Boom(3); } catch Stop { 1 } } catch Boom(x) { x + 40 };
        println(nested);
    }
    """
    assert both(src) == ("500\nsomething\n2\nfin\n5\n10\n11\ngen cleanup\n1\ngen cleanup\n"
                         "checked 3\nchecked 7\n1\n43\n")


def test_uncaught_exception_is_a_trap(run_trap, tmp_path):
    src = 'exception Oops(str)\nfn main() { println("a"); throw Oops("x"); }'
    out, err = run_trap(src)
    assert out == "a\n" and "exception" in err
    assert run_vm(compile_source(src, tmp_path / "vm.fx")) == ("a\n", 1)


def test_generator_of_structs_exhausted_then_next_is_none(both):
    src = """
    struct P { x: int }
    fn ps(n: int) -> Gen[P] { let mut i = 0; while i < n { yield P { x: i * i }; i += 1; } }
    fn main() {
        let g = ps(3);
        let mut total = 0;
        for p in g { total += p.x; }
        println(total);
        match next(g) { Some(p) => println(p.x), None => println("done") };
        let h = ps(5);
        cancel(h);
        match next(h) { Some(p) => println(p.x), None => println("cancelled") };
    }"""
    assert both(src) == "5\ndone\ncancelled\n"


def test_async_main_with_globals_and_sleeping_tasks(both):
    src = """
    import std.async;
    let names = ["a", "b"];
    let mut finished = 0;
    async fn worker(i: int, delay: int) -> int {
        sleep(delay);
        println(names[i] + " woke");
        finished += 1;
        delay * 10
    }
    async fn main() {
        let a = spawn(|| worker(0, 5));
        let b = spawn(|| worker(1, 2));
        println("spawned");
        println(await a + await b);
        println(finished);
    }"""
    assert both(src) == "spawned\nb woke\na woke\n70\n2\n"


def test_exceptions_across_handlers_loops_and_generators(both):
    src = """
    exception Bad(str, int)
    exception Unit
    effect Ask { ask() -> int }
    fn main() {
        let x = loop { try { break 5; } finally { println("leaving loop"); } };
        println(x);
        let r = try {
            handle { perform ask() + 1 } with { ask(), k => { throw Bad("in clause", k(1)); } }
        } catch Bad(m, n) { println(m); n };
        println(r);
        let s = try { handle { throw Unit; } with { ask(), k => k(0) } } catch Unit { 7 };
        println(s);
        let mut log = "";
        for i in gen() { log = log + str(i); if i == 2 { continue; } log = log + ","; }
        println(log);
    }
    fn gen() -> Gen[int] { let mut i = 0; while i < 4 { try { yield i; } finally { } i += 1; } }
    """
    assert both(src) == "leaving loop\n5\nin clause\n2\n7\n0,1,23,\n"
