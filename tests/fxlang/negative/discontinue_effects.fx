effect E { op() }
fn main() { // E:4: 'main' may perform effect E that no handler handles (main -> discontinue through a function value)
    let saved: [fn(int) -> unit / {E}] = [];
    discontinue(saved[0]);
}
