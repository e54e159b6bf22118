// itersum, bespoke: the generator as an explicit iterator record (its state is the next number), no effects.
// Same output as itersum.fx.
struct Nat { i: int, n: int }

// The next number, or -1 when the iterator is exhausted.
fn nat_next(g: Nat) -> int {
    if g.i < g.n { let v = g.i; g.i = v + 1; v } else { -1 }
}

fn main() {
    let n = 1_000_000; // PARAM n
    let g = Nat { i: 0, n: n };
    let mut sum = 0;
    loop {
        let x = nat_next(g);
        if x < 0 { break; }
        sum += x;
    }
    println("itersum " + str(sum));
}
