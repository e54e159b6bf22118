// A token ring on std.threads: 128 threads in a circle, each with its own channel. The token goes round
// 40 times; every thread folds its id and the round into it before passing it on, so the final value is a
// checksum of the whole route. Threads block in recv and are woken by send; every hand-over is a direct
// switch from one thread to the next (`switch` on our VM, the lowered form on V8).
import std.threads;

fn member(me: int, n: int, rounds: int, ring: [Chan[int]], done: Chan[int]) {
    let mut r = 0;
    while r < rounds {
        let token = recv(ring[me]);
        let next = (token * 31 + me * 7 + r) % 1000003;
        if me == n - 1 && r == rounds - 1 {
            send(done, next);
        } else {
            send(ring[(me + 1) % n], next);
        }
        r += 1;
    }
}

fn main() {
    let n = 128;
    let rounds = 40;
    run(|| {
        let ring: [Chan[int]] = [];
        let mut i = 0;
        while i < n { push(ring, chan()); i += 1; }
        let done: Chan[int] = chan();
        let members: [Thread] = [];
        i = 0;
        while i < n {
            let me = i;
            push(members, spawn(|| member(me, n, rounds, ring, done)));
            i += 1;
        }
        send(ring[0], 1);
        let checksum = recv(done);
        i = 0;
        while i < n { join(members[i]); i += 1; }
        println("threads: " + str(n) + ", rounds: " + str(rounds) + ", hand-overs: " + str(n * rounds));
        println("checksum: " + str(checksum));
        println("switches: " + str(switch_count()));
    });
}
