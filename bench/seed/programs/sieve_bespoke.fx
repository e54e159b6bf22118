// sieve, bespoke: the same chain of filters with no effects. A filter's whole state is its prime, so the
// state machine is an array of primes. Same output as sieve.fx.
fn main() {
    let max_primes = 2_000; // PARAM max_primes
    let filters: [int] = [];
    let mut p = 0;
    let mut i = 2;
    let mut sum = 0;
    let mut last = 0;
    while p < max_primes {
        let mut divisible = false;
        let mut j = 0;
        while j < p {
            divisible = i % filters[j] == 0;
            if divisible { break; }
            j += 1;
        }
        if !divisible {
            push(filters, i);
            p += 1;
            sum += i;
            last = i;
        }
        i += 1;
    }
    println("primes " + str(p) + " last " + str(last) + " sum " + str(sum));
}
