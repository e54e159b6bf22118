fn names() -> Gen[str] {
    yield "a";
    yield 2; // E:11: type mismatch: expected str, found int (this generator yields str)
}
fn nums(n: int) { yield n; } // E:19: type mismatch: generator 'strs' yields str but may yield int (strs -> nums -> yield)
fn strs() -> Gen[str] { nums(1); }
fn main() {
    for s in names() { println(s); }
}
