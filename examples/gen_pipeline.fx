// Generator pipelines over an infinite generator: filter, map and take are generators consuming generators.
// Nothing runs until the consumer asks; `take` stops the chain with `break`, which cancels the upstream
// generator (here `map`, whose finally block reports it).
fn nat(from: int) -> Gen[int] {
    let mut i = from;
    loop {
        yield i;
        i += 1;
    }
}

fn filter(g: Gen[int], keep: fn(int) -> bool) -> Gen[int] {
    for x in g {
        if keep(x) { yield x; }
    }
}

fn map(g: Gen[int], f: fn(int) -> int) -> Gen[int] {
    try {
        for x in g { yield f(x); }
    } finally {
        println("map closed");
    }
}

fn take(g: Gen[int], n: int) -> Gen[int] {
    let mut left = n;
    for x in g {
        if left == 0 { break; }
        yield x;
        left -= 1;
    }
}

fn is_prime(n: int) -> bool {
    let mut d = 2;
    while d * d <= n {
        if n % d == 0 { return false; }
        d += 1;
    }
    n >= 2
}

fn join(g: Gen[int]) -> str {
    let mut s = "";
    for x in g {
        if len(s) > 0 { s = s + " "; }
        s = s + str(x);
    }
    s
}

fn main() {
    let odd_squares = map(filter(nat(1), |x| x % 2 == 1), |x| x * x);
    for x in take(odd_squares, 5) { println(x); }

    let mut total = 0;
    for x in take(filter(nat(1), |x| x % 3 == 0 || x % 5 == 0), 10) { total += x; }
    println("sum of the first ten multiples of 3 or 5: " + str(total));

    println("primes: " + join(take(filter(nat(0), is_prime), 10)));

    // pulling by hand
    let g = map(nat(10), |x| x * 2);
    match next(g) { Some(x) => println("first: " + str(x)), None => println("empty") }
    match next(g) { Some(x) => println("second: " + str(x)), None => println("empty") }
    cancel(g);
    println("done");
}
