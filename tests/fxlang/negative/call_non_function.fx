fn main() {
    let n = 3;
    n(1); // E:5: cannot call a value of type int
}
