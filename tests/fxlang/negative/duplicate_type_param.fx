struct Pair[A, A] { a: A } // E:8: duplicate type parameter 'A'
fn main() {}
