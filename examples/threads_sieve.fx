// The concurrent prime sieve on std.threads: a counter thread sends 2, 3, 4, ... down a channel; each prime
// found gets a filter thread of its own, spliced into the pipeline, that drops its multiples. Threads are
// spawned while the pipeline runs, block in recv, and every hand-over is a direct switch to the next ready
// thread. A 0 flows down the pipeline last and shuts every stage down.
import std.threads;

fn counter(limit: int, out: Chan[int]) {
    let mut i = 2;
    while i <= limit { send(out, i); yield_now(); i += 1; }   // let the pipeline keep up
    send(out, 0);
}

fn filter(p: int, input: Chan[int], out: Chan[int]) {
    loop {
        let n = recv(input);
        if n == 0 { send(out, 0); break; }
        if n % p != 0 { send(out, n); }
    }
}

fn main() {
    run(|| {
        let first: Chan[int] = chan();
        let c = spawn(|| counter(300, first));
        let mut input = first;
        let stages: [Thread] = [];
        let mut line = "";
        let mut count = 0;
        loop {
            let p = recv(input);
            if p == 0 { break; }
            count += 1;
            line = line + " " + str(p);
            if count % 16 == 0 { println("primes:" + line); line = ""; }
            let out: Chan[int] = chan();
            let from = input;
            push(stages, spawn(|| filter(p, from, out)));
            input = out;
        }
        if line != "" { println("primes:" + line); }
        join(c);
        let mut i = 0;
        while i < len(stages) { join(stages[i]); i += 1; }
        println(str(count) + " primes below 300, " + str(len(stages) + 2) + " threads, " +
                str(switch_count()) + " switches");
    });
}
