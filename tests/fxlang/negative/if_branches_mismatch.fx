fn main() {
    let v = if true { 1 } else { "one" }; // E:34: type mismatch: expected int, found str (the branches of 'if' must have the same type)
}
