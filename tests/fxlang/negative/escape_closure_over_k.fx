effect Ask { ask() -> int }
effect Log { log(int) }
fn main() { // E:4: 'main' may perform effect Log that no handler handles (main -> call through a function value (lambda at 11:44 performs Log))
    let mut saved: [fn(int) -> int] = [];
    let first = handle {
        handle {
            let x = perform Ask::ask();
            perform Log::log(x);
            x + 1
        } with {
            Ask::ask(), k => { push(saved, |v: int| k(v)); 0 },
        }
    } with {
        Log::log(v), k => { println(v); k(()) },
    };
    println(saved[0](41));
}
