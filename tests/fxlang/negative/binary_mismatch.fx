fn main() {
    let s = 1 + "a"; // E:17: type mismatch: expected int, found str
}
