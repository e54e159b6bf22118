// sieve: cooperative primes (wasmfx/fiber-c examples/sieve.c), written with an effect. Every prime found gets
// a filter coroutine; a candidate is passed down the filters until one reports it divisible, and a candidate
// no filter divides is the next prime. Checksum: how many primes, the last one, their sum.
// bench/seed/run.py sets the number marked PARAM (fx has no program input).
effect Filter { report(bool) -> int }

// A filter: receives candidates, reports whether `p` divides each; a candidate <= 0 ends it.
fn filter(p: int) {
    let mut c = perform report(false);
    while c > 0 {
        c = perform report(c % p == 0);
    }
}

fn main() {
    let max_primes = 2_000; // PARAM max_primes
    let done = |c: int| -> bool { false };
    let filters: [fn(int) -> bool] = [];
    let mut p = 0;
    let mut i = 2;
    let mut sum = 0;
    let mut last = 0;
    while p < max_primes {
        let mut divisible = false;
        let mut j = 0;
        while j < p {
            divisible = filters[j](i);
            if divisible { break; }
            j += 1;
        }
        if !divisible {
            let me = p;
            push(filters, done);
            // start the filter: it runs to its first report, and its continuation waits in filters[me]
            handle { filter(i); false } with { report(d), k => { filters[me] = k; d } };
            p += 1;
            sum += i;
            last = i;
        }
        i += 1;
    }
    let mut j = 0;
    while j < p { filters[j](0); j += 1; }
    println("primes " + str(p) + " last " + str(last) + " sum " + str(sum));
}
