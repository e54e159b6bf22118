effect Ask { ask() -> int }
fn main() {
    let v = handle { perform ask() } with {
        ask(), k => k("forty-two"), // E:23: type mismatch: expected int, found str
    };
}
