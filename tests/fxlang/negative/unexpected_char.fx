fn main() {
    let x = 1 @ 2; // E:15: unexpected character '@'
}
