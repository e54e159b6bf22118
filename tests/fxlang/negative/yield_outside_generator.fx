fn walk(xs: [int]) {
    let mut i = 0;
    while i < len(xs) { yield xs[i]; i += 1; }
}
fn main() { // E:4: yield outside a generator: 'main' may yield int (main -> walk -> yield); only a fn returning Gen[T] can run code that yields
    walk([1, 2]);
    yield 3; // E:5: yield outside a generator: 'main' cannot yield (only a fn returning Gen[T], or a fn called from one, may yield)
}
