fn f(a: int, a: int) -> int { a } // E:14: duplicate parameter 'a'
fn main() {}
