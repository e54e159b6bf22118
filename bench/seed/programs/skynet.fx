// skynet (wasmfx/fiber-c examples/skynet.c): a tree of coroutines, `levels` deep with 10 children per node;
// each of the 10^levels leaves yields its number to its parent, which adds it up. Every node runs as its own
// continuation (its own handler), as every node is its own fiber in the C version.
// Checksum: the sum of the leaves' numbers, L(L-1)/2 for L leaves (499999500000 for 6 levels).
// bench/seed/run.py sets the number marked PARAM (fx has no program input).
effect Leaf { leaf(int) }

let mut result = 0;

fn skynet(level: int, num: int) {
    if level == 0 {
        perform leaf(num);
    } else {
        let lb = num * 10;
        let mut i = lb;
        while i < lb + 10 {
            handle { skynet(level - 1, i) } with { leaf(v), k => { result += v; k(()) } };
            i += 1;
        }
    }
}

fn main() {
    let levels = 6; // PARAM levels
    // the root runs under a handler too (in C it is a plain call; its level is never 0 there)
    handle { skynet(levels, 0) } with { leaf(v), k => { result += v; k(()) } };
    println("skynet " + str(result));
}
