enum Option { Some(int), None }
fn main() {
    let o = Some(1);
    let v = match o {
        Some(x) => x,
        None => "none", // E:17: type mismatch: expected int, found str (the arms of 'match' must have the same type)
    };
}
