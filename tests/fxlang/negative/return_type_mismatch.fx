fn name() -> str {
    return 42; // E:12: type mismatch: expected str, found int
}
fn main() {}
