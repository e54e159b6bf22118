fn main() {
    let a: int = true; // E:18: type mismatch: expected int, found bool
    let b = missing; // E:13: unknown variable 'missing'
    let c = 1;
    c = 2; // E:5: cannot assign to immutable variable 'c'
}
