fn main() {
    let ok = 1 < 2 < 3; // E:20: comparison operators cannot be chained; use parentheses
}
