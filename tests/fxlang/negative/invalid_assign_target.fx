fn main() {
    1 + 2 = 3; // E:5: invalid assignment target
}
