effect Log { log(int) }
fn noisy() -> Gen[int] {
    let mut i = 0;
    loop { perform Log::log(i); yield i; i += 1; }
}
fn main() { // E:4: 'main' may perform effect Log that no handler handles (main -> for over a generator (from 'noisy': generator 'noisy' performs Log))
    let g = handle { noisy() } with { Log::log(v), k => { println(v); k(()) } };
    for x in g { if x > 2 { break; } }
}
