// state, bespoke: the counter as an explicit state machine answering the same get/put protocol, no effects.
// Same output as state.fx.
struct Counter { pc: int, n: int }

// Runs the counter from its program counter to its next operation: 1 get, 2 put (of `put_value`), 0 done.
// `answer` is the value of the get it was waiting in.
let mut put_value = 0;

fn step(c: Counter, answer: int) -> int {
    if c.pc == 0 { c.pc = 1; return 1; }                   // while get() < n
    if c.pc == 1 {
        if answer < c.n { c.pc = 2; return 1; }            // put(get() + 1)
        return 0;
    }
    if c.pc == 2 { c.pc = 3; put_value = answer + 1; return 2; }
    c.pc = 1;                                              // back to the loop test
    1
}

fn main() {
    let n = 10_000_000; // PARAM n
    let mut s = 0;
    let c = Counter { pc: 0, n: n };
    let mut op = step(c, 0);
    let mut ops = 0;
    while op != 0 {
        ops += 1;
        if op == 1 { op = step(c, s); } else { s = put_value; op = step(c, 0); }
    }
    println("state " + str(s) + " ops " + str(ops));
}
