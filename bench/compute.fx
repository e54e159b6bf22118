// bench/asyncify_cost.py's compute-only program: no effects, generators or threads, so the lowering must leave
// it alone (its cost on code that never suspends should be near zero).
fn fib(n: int) -> int {
    if n < 2 { return n; }
    return fib(n - 1) + fib(n - 2);
}

fn main() {
    let mut acc = 0;
    let mut i = 0;
    while i < 200000 { // N
        acc = (acc * 31 + i * i) % 1000003;
        i += 1;
    }
    println("acc = " + str(acc) + ", fib = " + str(fib(22)));
}
