fn main() {
    try { println(1); } finally { 5 } // E:35: type mismatch: expected unit, found int (a 'finally' block has no value)
}
