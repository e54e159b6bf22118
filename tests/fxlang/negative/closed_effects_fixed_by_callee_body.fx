effect Log { log(int) }
effect State { get() -> int }
fn main() {
    let s: fn() -> unit / {State} = || { let x = perform State::get(); };
    g(s); // E:5: type mismatch: 'g' needs a function type with effects {Log} here, found {State}
}
// g's parameter type is written without effects, but g's body gives it the closed set {Log}
fn g(f: fn() -> unit) { let h: fn() -> unit / {Log} = f; }
