fn main() {
    let b = true + false; // E:13: operator '+' cannot be applied to bool
}
