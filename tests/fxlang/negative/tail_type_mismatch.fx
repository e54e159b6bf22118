fn half(x: int) -> float {
    x / 2 // E:5: type mismatch: expected float, found int
}
fn main() {}
