fn main() {
    let a = 1;
    println(str(a + b)); // E:21: unknown variable 'b'
}
