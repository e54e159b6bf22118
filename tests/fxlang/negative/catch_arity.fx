exception Bad(int, str)
fn main() {
    try { throw Bad(1, "y"); } catch Bad(n) { println(n); } // E:32: exception 'Bad' carries 2 values but the catch clause binds 1
}
