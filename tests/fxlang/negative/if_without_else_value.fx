fn main() {
    if true { 5 } // E:15: type mismatch: expected unit, found int (an 'if' without 'else' has no value)
}
