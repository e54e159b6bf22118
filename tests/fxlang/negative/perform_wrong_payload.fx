effect Log { log(str, int) }
fn main() {
    handle {
        perform Log::log(1, 2); // E:26: type mismatch: expected str, found int
    } with { log(m, n), k => k(()) };
}
