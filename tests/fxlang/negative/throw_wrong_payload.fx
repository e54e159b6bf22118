exception Bad(int, str)
fn main() {
    throw Bad("x", "y"); // E:15: type mismatch: expected int, found str
}
