// Cancelling a running task: a heartbeat task ticks every 2 time units until main cancels it at time 7;
// cancel_task throws the cancellation into the task's suspended continuation, so its finally block runs
// right away, before cancel_task returns. The sleeping task's timer is discarded: no tick after that.
import std.async;

async fn heartbeat(name: str) {
    let mut n = 0;
    try {
        loop {
            sleep(2);
            n += 1;
            println(name + " tick " + str(n));
        }
    } finally {
        println(name + " cleaned up after " + str(n) + " ticks");
    }
}

async fn slow() -> int {
    sleep(10);
    println("slow work done at 10");
    42
}

async fn main() {
    let t = spawn(|| heartbeat("heartbeat"));
    let s = spawn(|| slow());
    sleep(7);
    cancel_task(t);
    println("cancelled the heartbeat at 7");
    println("slow returned " + str(await s));
    sleep(5);
    println("main done at 15");
}
