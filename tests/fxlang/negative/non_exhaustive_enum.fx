enum Option { Some(int), None }
fn get(o: Option) -> int {
    match o { // E:5: non-exhaustive match: pattern 'None' is not covered
        Some(x) => x,
    }
}
fn main() {}
