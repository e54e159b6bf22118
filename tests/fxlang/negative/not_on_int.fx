fn main() {
    let b = !5; // E:14: type mismatch: expected bool, found int
}
