// itersum (wasmfx/fiber-c examples/itersum.c): a generator of 0, 1, ..., n-1 and a loop adding up what it
// yields. Checksum: n(n-1)/2. bench/seed/run.py sets the number marked PARAM (fx has no program input).
fn nat(n: int) -> Gen[int] {
    let mut i = 0;
    while i < n {
        yield i;
        i += 1;
    }
}

fn main() {
    let n = 1_000_000; // PARAM n
    let mut sum = 0;
    for x in nat(n) {
        sum += x;
    }
    println("itersum " + str(sum));
}
