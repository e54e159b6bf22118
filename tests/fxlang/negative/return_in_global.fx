let limit: int = return; // E:18: 'return' outside of a function
fn main() {}
