effect Yield { yield_value(int) }
fn produce() { perform yield_value(1); }
fn main() {
    let v = handle {
        nosuspend { produce(); } // E:9: effect Yield may be performed inside 'nosuspend' (a suspension cannot cross it)
    } with { yield_value(x), k => k() };
}
