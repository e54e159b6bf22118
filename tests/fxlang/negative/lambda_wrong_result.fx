fn main() {
    let f: fn(int) -> int = |x| x == 1; // E:33: type mismatch: expected int, found bool
}
