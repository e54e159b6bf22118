fn main() -> int { // E:14: 'main' must return unit, not int
    0
}
