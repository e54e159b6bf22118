// bench/gen_sum.py --with-next: bench/gen_sum.fx with the loop written with next(g), which returns Option[int],
// instead of `for`; the same line is printed. bench/gen_sum.py replaces the number on the line marked `// N`.

fn nat(n: int) -> Gen[int] {
    let mut i = 0;
    while i < n {
        yield i;
        i += 1;
    }
}

fn main() {
    let n = 1_000_000; // N
    let g = nat(n);
    let mut sum = 0;
    loop {
        match next(g) {
            Some(x) => { sum += x; },
            None => { break; },
        }
    }
    println("sum = " + str(sum));
}
