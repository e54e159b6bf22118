fn main() {
    println("a")
    println("b"); // E:5: expected ';' after expression, found 'println'
}
