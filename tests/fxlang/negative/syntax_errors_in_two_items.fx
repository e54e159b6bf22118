fn first() -> int {
    let x = 1 + ; // E:17: expected expression, found ';'
    x
}
fn second() {
    println("a" "b"); // E:17: expected ')' or ',', found string literal
}
fn main() {}
