fn bump(n: int) -> int {
    n += 1; // E:5: cannot assign to immutable parameter 'n'
    n
}
fn main() {}
