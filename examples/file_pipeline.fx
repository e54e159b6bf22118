// run: --dir examples -- examples/data/poem.txt
// A lazy generator pipeline over the lines of a file: std.io's lines(path) reads the file a chunk at a time
// as the pipeline pulls, numbered() pairs each line with its number, matching() keeps the lines holding a
// word, take() stops after n. Stopping early cancels the generators below it: their finally blocks run
// (lines() closes the file) and nothing more is read. Each stage logs what it does, to show the order.
import std.io;

struct Numbered { n: int, text: str }

fn numbered(src: Gen[str]) -> Gen[Numbered] {
    let mut n = 0;
    try {
        for line in src { n += 1; yield Numbered { n: n, text: line }; }
    } finally {
        println("  [numbered: stopped after line " + str(n) + "]");
    };
}

fn contains(s: str, word: str) -> bool {
    let mut i = 0;
    while i + len(word) <= len(s) {
        if slice(s, i, i + len(word)) == word { return true; }
        i += 1;
    }
    false
}

fn matching(src: Gen[Numbered], word: str) -> Gen[Numbered] {
    for x in src { if contains(x.text, word) { yield x; } }
}

fn take(src: Gen[Numbered], n: int) -> Gen[Numbered] {
    let mut left = n;
    if left <= 0 { return; }
    for x in src {
        yield x;
        left -= 1;
        if left == 0 { break; }
    }
}

fn main() {
    let argv = args();
    let path = if len(argv) > 1 { argv[1] } else { "examples/data/poem.txt" };
    println("the first 3 lines of " + path + " with 'the':");
    try {
        for x in take(matching(numbered(lines(path)), "the"), 3) {
            println(str(x.n) + ": " + x.text);
        }
    } catch IOError(message) {
        println("cannot read: " + message);
    };
    println("all lines with 'sea':");
    for x in matching(numbered(lines(path)), "sea") { println(str(x.n) + ": " + x.text); }
}
