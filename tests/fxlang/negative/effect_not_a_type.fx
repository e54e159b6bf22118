effect Ask { ask() -> int }
fn run(a: Ask) {} // E:11: 'Ask' is an effect, not a type
fn main() {}
