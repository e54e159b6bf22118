effect State { get() -> int, put(int) }
fn main() {
    let v = handle { perform get() } with { // E:13: handler for effect State does not handle operation 'put'
        get(), k => k(0),
    };
}
