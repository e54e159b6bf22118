fn main() {
    // E@3:13: unterminated string literal
    let s = "no end;
}
