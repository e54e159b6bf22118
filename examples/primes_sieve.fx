// A lazy sieve of Eratosthenes built from generators that hand on other generators.
fn nat(from: int) -> Gen[int] { let mut i = from; loop { yield i; i += 1; } }

fn drop_multiples(p: int, g: Gen[int]) -> Gen[int] {
    for x in g { if x % p != 0 { yield x; } }
}

fn sieve(g: Gen[int]) -> Gen[int] {
    match next(g) {
        Some(p) => { yield p; for x in sieve(drop_multiples(p, g)) { yield x; } },
        None => {},
    }
}

// returns an existing generator: the body's value is handed on, not dropped
fn primes() -> Gen[int] { sieve(nat(2)) }

fn take[T](n: int, g: Gen[T]) -> Gen[T] {
    let mut left = n;
    for x in g { if left == 0 { break; } left -= 1; yield x; }
}

fn first_primes(n: int) -> Gen[int] {
    let g = primes();
    take(n, g)
}

fn main() {
    let mut out = "";
    for p in first_primes(15) { out = out + str(p) + " "; }
    println(out);
    let g = primes();
    next(g);
    match next(g) { Some(p) => println(p), None => println("none") }
    cancel(g);
}
