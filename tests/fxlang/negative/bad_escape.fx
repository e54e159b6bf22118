fn main() {
    println("tab\q"); // E:17: unknown escape sequence '\q'
}
