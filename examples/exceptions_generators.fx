// Exceptions crossing generators with finally cleanup: a record reader opens a "file", yields records and
// closes it in `finally`, which runs whether the reader is exhausted, fails with an exception (which then
// propagates to whoever resumed it, through any generators in between), or is cancelled by `break`.
exception BadRecord(int)
exception Empty

let mut open_files = 0;

fn read_records(name: str, data: [int]) -> Gen[int] {
    open_files += 1;
    println("open " + name);
    try {
        if len(data) == 0 { throw Empty; }
        let mut i = 0;
        while i < len(data) {
            if data[i] < 0 { throw BadRecord(i); }
            yield data[i];
            i += 1;
        }
    } finally {
        open_files -= 1;
        println("close " + name);
    }
}

fn concat(a: Gen[int], b: Gen[int]) -> Gen[int] {
    try {
        for x in a { yield x; }
        for x in b { yield x; }
    } finally {
        println("concat finished");
    }
}

fn total(name: str, data: [int]) {
    let mut sum = 0;
    try {
        for x in read_records(name, data) { sum += x; }
        println("total of " + name + ": " + str(sum));
    } catch BadRecord(i) {
        println("bad record at index " + str(i) + " of " + name + " after summing " + str(sum));
    } catch _ {
        println(name + " failed");
    }
}

fn main() {
    total("a", [1, 2, 3]);
    total("b", [4, 5, -1, 7]);
    total("empty", []);

    try {
        for x in concat(read_records("c", [1, 2]), read_records("d", [3, -5])) {
            println("got " + str(x));
        }
    } catch BadRecord(i) {
        println("concat failed at index " + str(i));
    } finally {
        println("open files: " + str(open_files));
    }

    for x in read_records("e", [10, 20, 30]) {
        if x == 20 { break; }
        println("got " + str(x));
    }
    println("open files: " + str(open_files));

    let g = read_records("f", [7, 8]);
    match next(g) {
        Some(x) => { println("first of f: " + str(x)); cancel(g); }
        None => {}
    }
    let unused = read_records("never started", [1]);
    cancel(unused);
    println("open files: " + str(open_files));
}
