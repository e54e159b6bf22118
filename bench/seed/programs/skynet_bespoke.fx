// skynet, bespoke: the same tree walked by plain recursion, no coroutines. Same output as skynet.fx.
let mut result = 0;

fn skynet(level: int, num: int) {
    if level == 0 {
        result += num;
    } else {
        let lb = num * 10;
        let mut i = lb;
        while i < lb + 10 {
            skynet(level - 1, i);
            i += 1;
        }
    }
}

fn main() {
    let levels = 6; // PARAM levels
    skynet(levels, 0);
    println("skynet " + str(result));
}
