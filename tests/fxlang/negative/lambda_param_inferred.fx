fn apply(f: fn(str) -> int, s: str) -> int { f(s) }
fn main() {
    println(apply(|s| s * 2, "ab")); // E:23: operator '*' cannot be applied to str
}
