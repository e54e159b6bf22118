fn g() -> Gen[int] {
    yield 1;
    return 2; // E:12: a generator ends with 'return' without a value
}
fn main() {}
