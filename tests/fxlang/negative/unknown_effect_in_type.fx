effect State { get() -> int }
struct Point { x: int }
fn apply(f: fn() -> int / {Stat}) -> int { f() } // E:28: unknown effect 'Stat'
fn twice(f: fn() -> int / {Point}) -> int { f() } // E:28: 'Point' is not an effect
fn main() {}
