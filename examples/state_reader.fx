// A State effect and a Reader effect composed: the reader supplies a step size, the state counts; handlers
// are deep and nest in either order; an inner Reader handler overrides the outer one for its block; a second
// State handler written in state-passing style returns a function and resumes its continuations later.
effect State { get() -> int, put(int) }
effect Reader { ask() -> int }

fn tick() {
    let step = perform Reader::ask();
    perform State::put(perform State::get() + step);
}

fn program() -> int {
    tick();
    tick();
    let inner = handle { tick(); perform State::get() } with { Reader::ask(), k => k(100) };
    tick();
    inner * 1000 + perform State::get()
}

fn main() {
    // state outside, reader inside
    let mut s = 0;
    let mut log = "";
    let r = handle {
        handle { program() } with { Reader::ask(), k => k(1) }
    } with {
        State::get(), k => k(s),
        State::put(v), k => { log = log + " " + str(v); s = v; k(()) },
    };
    println("result " + str(r) + ", final state " + str(s));
    println("puts:" + log);

    // reader outside, state inside, with a return clause that reports the final state
    let mut asks = 0;
    let mut s2 = 10;
    let pair = handle {
        handle { program() } with {
            State::get(), k => k(s2),
            State::put(v), k => { s2 = v; k(()) },
            return r => r * 10,
        }
    } with {
        Reader::ask(), k => { asks += 1; k(asks) },
    };
    println("result " + str(pair) + ", final state " + str(s2) + ", outer asks " + str(asks));

    // state-passing style: the handler's value is a function of the initial state
    let answer = handle {
        let run = handle { program() } with {
            State::get(), k => |st: int| k(st)(st),
            State::put(v), k => |st: int| k(())(v),
            return r => |st: int| r + st * 1000000,
        };
        run(7)
    } with { Reader::ask(), k => k(2) };
    println("state-passing: " + str(answer));
}
