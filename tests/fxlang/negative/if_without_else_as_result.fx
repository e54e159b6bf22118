fn sign(n: int) -> int {
    if n > 0 { return 1; } // E:5: type mismatch: expected int, found unit (an 'if' without 'else' has no value)
}
fn main() {}
