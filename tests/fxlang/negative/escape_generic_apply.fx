effect Log { log(int) }
fn apply[T](x: T, f: fn(T) -> unit) { f(x); }
fn main() { // E:4: 'main' may perform effect Log that no handler handles (main -> apply -> call through a function value (lambda at 4:14 performs Log))
    apply(1, |x: int| perform Log::log(x));
}
