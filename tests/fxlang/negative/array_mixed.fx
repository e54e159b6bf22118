fn main() {
    let xs = [1, 2.5]; // E:18: type mismatch: expected int, found float
}
