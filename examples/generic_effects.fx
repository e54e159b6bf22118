// Polymorphic effects: one State[T] / Emit[T] declaration, generic handlers, T inferred at each perform.
effect State[T] { get() -> T, put(T) }
effect Emit[T] { emit(T) }

// a generic handler: runs `body` with a state cell starting at `init`
fn run_state[T, R](init: T, body: fn() -> R / {State[T] | e}) -> R {
    let mut s = init;
    handle { body() } with {
        get(), k => k(s),
        put(v), k => { s = v; k() },
    }
}

// collects everything `body` emits
fn collect[T](body: fn() -> unit / {Emit[T] | e}) -> [T] {
    let out: [T] = [];
    handle { body() } with { emit(x), k => { push(out, x); k() } };
    out
}

// the effect's type argument comes from the declared effects
fn next_id() -> int / {State[int]} {
    let n = perform get();
    perform put(n + 1);
    n
}

fn label(prefix: str) -> str / {State[int]} { prefix + str(next_id()) }

fn fib_upto(limit: int) / {Emit[int]} {
    let mut a = 0;
    let mut b = 1;
    while a < limit { perform emit(a); let t = a + b; a = b; b = t; }
}

fn show(xs: [int]) -> str {
    let mut s = "";
    let mut i = 0;
    while i < len(xs) { if i > 0 { s = s + " "; } s = s + str(xs[i]); i += 1; }
    s
}

fn main() {
    println(run_state(100, || label("node") + "," + label("node") + "," + label("edge")));
    // two instances side by side: State[str] inside State[int]
    let total = run_state(0, || {
        let words = run_state("", || {
            let mut i = 0;
            while i < 3 {
                perform put(perform get() + "ab");         // State[str]: the inner handler
                perform put(perform get() + len("xyz"));   // State[int]: goes out to the outer one
                i += 1;
            }
            perform get()
        });
        println(words);
        perform get()
    });
    println(total);
    println(show(collect(|| fib_upto(100))));
    let names = collect(|| { perform emit("a"); perform emit("b"); });
    println(len(names));
    // a generic handler written inline, the type coming from the clauses
    let r = handle { perform put(perform get() * 3.0); perform get() } with {
        get(), k => k(1.5),
        put(v), k => { println(v); k() },
    };
    println(r);
}
