fn main() {
    let n = 5;
    println(n.size); // E:13: type int has no field 'size'
}
