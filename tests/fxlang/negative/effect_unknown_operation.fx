effect Ask { ask() -> int }
fn main() {
    let v = handle { perform aks() } with { // E:22: unknown effect operation 'aks'
        ask(), k => k(1),
    };
}
