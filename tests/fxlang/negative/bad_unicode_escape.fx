fn main() {
    let s = "\u{-26}"; // E:14: invalid unicode escape
}
