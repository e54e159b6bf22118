effect Ask { ask() -> int }
effect Log { log(int) }
fn main() { // E:4: 'main' may perform effect Log that no handler handles (main -> call through a function value (continuation 'k' at 7:25 resumes code that performs Log))
    let mut saved: [fn(int) -> int] = [];
    let r = handle {
        handle { let x = perform Ask::ask(); perform Log::log(x); x + 1 } with {
            Ask::ask(), k => { push(saved, k); 0 },
        }
    } with { Log::log(v), k => { println(v); k(()) } };
    println(saved[0](41));
}
