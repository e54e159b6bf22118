fn main() {
    panic(42); // E:11: type mismatch: expected str, found int
}
