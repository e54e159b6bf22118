fn main() {
    for c in "abc" { println(c); } // E:14: 'for' iterates over a generator (Gen[T]), an array or a range a..b, not str
    for i in 0..3 { break 5; } // E:27: 'break' with a value is only allowed inside 'loop'
    for i in 0.."a" { } // E:17: type mismatch: expected int, found str
}
