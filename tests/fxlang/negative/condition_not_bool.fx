fn main() {
    let n = 3;
    while n { } // E:11: type mismatch: expected bool, found int
}
