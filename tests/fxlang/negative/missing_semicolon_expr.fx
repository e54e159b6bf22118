fn main() {
    println("a") // E:17: expected ';' after this expression, found 'println' on the next line
    println("b");
}
