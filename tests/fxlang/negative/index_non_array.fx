fn main() {
    let s = "text";
    println(s[0]); // E:13: cannot index a value of type str
}
