// A round-robin scheduler written as an effect handler: 1,000 tasks cooperate through `pause()`. The
// handler parks each paused task's continuation at the back of the run queue; the loop in `run` resumes
// them in turn. The interleaving is visible in a running checksum and in the order tasks finish.
effect Coop { pause() }

let mut checksum = 0;
let mut steps_done = 0;

fn worker(id: int, steps: int) {
    let mut i = 0;
    while i < steps {
        checksum = (checksum * 31 + id * 7 + i) % 1000003;
        steps_done += 1;
        perform pause();
        i += 1;
    }
}

fn run(tasks: int) -> [int] {
    let queue: [fn() -> unit] = [];
    let finished: [int] = [];
    let mut id = 0;
    while id < tasks {
        let me = id;
        push(queue, || handle { worker(me, me % 5 + 1); push(finished, me); } with {
            pause(), k => { push(queue, || k(())); },
        });
        id += 1;
    }
    let mut head = 0;
    while head < len(queue) {
        let next = queue[head];
        head += 1;
        next();
    }
    println("resumptions: " + str(len(queue)));
    finished
}

fn main() {
    let finished = run(1000);
    println("tasks finished: " + str(len(finished)));
    println("steps: " + str(steps_done));
    let mut first = "";
    let mut i = 0;
    while i < 8 { first = first + " " + str(finished[i]); i += 1; }
    println("first to finish:" + first);
    let mut last = "";
    i = len(finished) - 5;
    while i < len(finished) { last = last + " " + str(finished[i]); i += 1; }
    println("last to finish:" + last);
    println("checksum: " + str(checksum));
}
