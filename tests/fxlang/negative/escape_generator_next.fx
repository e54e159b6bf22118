effect Log { log(int) }
fn counter() -> Gen[int] { perform Log::log(0); yield 1; }
fn main() { // E:4: 'main' may perform effect Log that no handler handles (main -> next of a generator (from 'counter': generator 'counter' performs Log))
    let g = handle { counter() } with { Log::log(v), k => { println(v); k(()) } };
    match next(g) { Some(x) => println(x), None => println(0) }
}
