fn sign(b: bool) -> int {
    match b { // E:5: non-exhaustive match: pattern 'false' is not covered
        true => 1,
        false if 1 > 2 => 0,
    }
}
fn main() {}
