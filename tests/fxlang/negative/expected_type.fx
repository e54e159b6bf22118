fn f(x: 3) {} // E:9: expected type, found number 3
fn main() {}
