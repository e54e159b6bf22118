fn add(a: int, b: int) -> int { a + b }
fn main() {
    println(add(1, 2, 3)); // E:13: 'add' takes 2 arguments but 3 were given
}
