effect Emit { emit(int, str) }
fn main() {
    handle { perform emit(1, "a") } with {
        emit(n), k => k(), // E:9: operation 'emit' takes 2 arguments but the clause has 1
    };
}
