struct P { a: int }
enum P { A, B } // E:6: duplicate definition of 'P'
fn main() {}
