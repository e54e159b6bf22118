fn main() {
    let xs = [1, 2, 3];
    push(xs, "four"); // E:14: type mismatch: expected int, found str
}
