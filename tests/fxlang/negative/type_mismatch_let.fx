fn main() {
    let x: int = "hello"; // E:18: type mismatch: expected int, found str
}
