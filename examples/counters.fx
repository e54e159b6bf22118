// Closures as counters: each closure owns a mutable captured cell; closures stored in arrays and records.
struct Counter { incr: fn() -> int, reset: fn() -> unit, name: str }

fn make(name: str, step: int) -> Counter {
    let mut n = 0;
    Counter {
        incr: || { n += step; n },
        reset: || { n = 0; },
        name: name,
    }
}

fn repeat(times: int, f: fn() -> int) -> int {
    let mut last = 0;
    let mut i = 0;
    while i < times { last = f(); i += 1; }
    last
}

fn main() {
    let cs = [make("ones", 1), make("fives", 5), make("tens", 10)];
    let mut i = 0;
    while i < len(cs) {
        let c = cs[i];
        println(c.name + " after " + str(i + 2) + " steps: " + str(repeat(i + 2, c.incr)));
        i += 1;
    }
    cs[1].reset();
    println("fives after reset and one step: " + str(cs[1].incr()));
    let adders = [];
    let mut k = 0;
    while k < 4 {
        let j = k * 100;
        push(adders, |x: int| x + j);
        k += 1;
    }
    let mut acc = 1;
    for_each(adders, |f| { acc = f(acc); });
    println("composed adders: " + str(acc));
}

fn for_each(fs: [fn(int) -> int], body: fn(fn(int) -> int) -> unit) {
    let mut i = 0;
    while i < len(fs) { body(fs[i]); i += 1; }
}
