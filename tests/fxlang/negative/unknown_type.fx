fn area(s: Shape) -> float { // E:12: unknown type 'Shape'
    1.0
}
fn main() {}
