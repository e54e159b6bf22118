// async/await on the deterministic scheduler of std.async: three tasks sleep on a virtual clock and wake
// in the order of their wake-up times (3, 4, 5, 6, 8, 9, 10), whatever the order they were spawned in;
// main awaits their results.
import std.async;

async fn worker(name: str, delay: int, times: int) -> int {
    let mut i = 0;
    while i < times {
        sleep(delay);
        i += 1;
        println(name + " wakes up at " + str(delay * i));
    }
    delay * times
}

async fn main() {
    let a = spawn(|| worker("a", 3, 3));
    let b = spawn(|| worker("b", 5, 2));
    let c = spawn(|| worker("c", 4, 2));
    println("spawned three workers");
    let ra = await a;
    println("a finished: " + str(ra));
    let rb = await b;
    println("b finished: " + str(rb));
    let rc = await c;
    println("c had already finished: " + str(rc));
    println("total " + str(ra + rb + rc));
}
