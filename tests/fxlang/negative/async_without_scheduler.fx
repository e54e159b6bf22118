async fn work() -> int { 1 } // E:10: an async fn needs the scheduler: add 'import std.async;'
fn main() {}
