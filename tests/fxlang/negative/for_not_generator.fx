fn main() {
    for x in [1, 2, 3] { println(x); } // E:14: 'for' iterates over a generator (Gen[T]), not [int]
}
