fn name(n: int) -> str {
    match n { // E:5: non-exhaustive match: not all values of type int are covered; add a '_' arm
        0 => "zero",
        1 => "one",
    }
}
fn main() {}
