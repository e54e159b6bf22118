fn main() {
    let big = 99999999999999999999; // E:15: integer literal is too large for int
}
