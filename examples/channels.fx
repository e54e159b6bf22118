// Producer/consumer over channels: a producer sends the numbers 1..10 and an end marker, a transformer
// squares what it receives and passes it on, and main consumes the squares. Only main prints, in the
// order of the channel, so the output does not depend on how the scheduler interleaves the tasks.
import std.async;

async fn produce(out: Chan[int], n: int) {
    let mut i = 1;
    while i <= n {
        send(out, i);
        i += 1;
    }
    send(out, -1);
}

async fn square(input: Chan[int], out: Chan[int]) -> int {
    let mut handled = 0;
    loop {
        let v = recv(input);
        if v < 0 { break; }
        send(out, v * v);
        handled += 1;
    }
    send(out, -1);
    handled
}

async fn main() {
    let numbers: Chan[int] = chan();
    let squares: Chan[int] = chan();
    let p = spawn(|| produce(numbers, 10));
    let s = spawn(|| square(numbers, squares));
    let mut total = 0;
    loop {
        let v = recv(squares);
        if v < 0 { break; }
        println("received " + str(v));
        total += v;
    }
    println("sum of squares " + str(total));
    await p;
    println("the transformer handled " + str(await s) + " values");
}
