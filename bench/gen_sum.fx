// bench/gen_sum.py's fx side: a generator of 0, 1, ..., n-1 and a for loop summing what it yields.
// The hand-written twin is bench/gen_sum.wat; both print the same line.
// bench/gen_sum.py replaces the number on the line marked `// N`.

fn nat(n: int) -> Gen[int] {
    let mut i = 0;
    while i < n {
        yield i;
        i += 1;
    }
}

fn main() {
    let n = 1_000_000; // N
    let mut sum = 0;
    for x in nat(n) {
        sum += x;
    }
    println("sum = " + str(sum));
}
