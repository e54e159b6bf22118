enum Option { Some(bool), None }
fn get(o: Option) -> int {
    match o { // E:5: non-exhaustive match: pattern 'Some(false)' is not covered
        Some(true) => 1,
        None => 0,
    }
}
fn main() {}
