struct int { v: float } // E:8: 'int' is a built-in type and cannot be redefined
fn main() {}
