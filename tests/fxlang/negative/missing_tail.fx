fn answer() -> int {
    let x = 42;
} // E:1: type mismatch: expected int, found unit (the block has no value)
fn main() {}
