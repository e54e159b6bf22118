let a: int = b + 1; // E:14: global 'b' is used before its initialiser has run
let b: int = 2;
fn main() {}
