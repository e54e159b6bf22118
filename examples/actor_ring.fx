// An actor ring: 100 actors, each a task with an inbox channel, pass a token around the ring three times;
// every actor adds one and forwards it. Then a shutdown message travels the ring once and every actor stops.
import std.async;

async fn actor(id: int, inbox: Chan[int], next: Chan[int], done: Chan[int], stop_at: int, counts: [int]) {
    loop {
        let token = recv(inbox);
        if token < 0 {
            if id != len(counts) - 1 { send(next, token); }
            break;
        }
        counts[id] += 1;
        if token == stop_at {
            send(done, token);
        } else {
            if id == 0 { println("lap " + str(token / len(counts) + 1) + " starts"); }
            send(next, token + 1);
        }
    }
}

async fn main() {
    let n = 100;
    let inboxes: [Chan[int]] = [];
    let counts: [int] = [];
    let mut i = 0;
    while i < n {
        push(inboxes, chan());
        push(counts, 0);
        i += 1;
    }
    let done: Chan[int] = chan();
    let tasks: [Task[unit]] = [];
    i = 0;
    while i < n {
        let me = i;
        push(tasks, spawn(|| actor(me, inboxes[me], inboxes[(me + 1) % n], done, 3 * n, counts)));
        i += 1;
    }
    send(inboxes[0], 0);
    let token = recv(done);
    println("the token came back as " + str(token));
    send(inboxes[0], -1);
    i = 0;
    while i < n {
        await tasks[i];
        i += 1;
    }
    let mut handled = 0;
    i = 0;
    while i < n {
        handled += counts[i];
        i += 1;
    }
    println("all " + str(n) + " actors stopped after handling " + str(handled) + " tokens");
    println("actor 0 saw the token " + str(counts[0]) + " times, actor 99 " + str(counts[99]) + " times");
}
