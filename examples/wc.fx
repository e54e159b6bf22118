// run: --dir examples -- examples/data/poem.txt -
// wc: lines, words and bytes of each file named on the command line ("-" is standard input; no name at
// all: standard input only), then a total when there are several. Files are read through WASI under the
// directories `fxc run --dir` preopens; a missing one is reported and counted as an error (exit status 1).
import std.io;

struct Counts { lines: int, words: int, bytes: int }

fn is_space(b: int) -> bool { b == 32 || b == 10 || b == 9 || b == 13 }

fn count(text: str) -> Counts {
    let mut lines = 0;
    let mut words = 0;
    let mut in_word = false;
    let mut i = 0;
    let n = len(text);
    while i < n {
        let b = byte(text, i);
        if b == 10 { lines += 1; }
        if is_space(b) { in_word = false; } else if !in_word { in_word = true; words += 1; }
        i += 1;
    }
    Counts { lines: lines, words: words, bytes: n }
}

fn show(c: Counts, name: str) {
    let line = str(c.lines) + " " + str(c.words) + " " + str(c.bytes);
    println(if len(name) > 0 { line + " " + name } else { line });
}

fn main() {
    let argv = args();
    let mut names = [];
    let mut i = 1;
    while i < len(argv) { push(names, argv[i]); i += 1; }
    if len(names) == 0 { push(names, ""); }
    let mut total = Counts { lines: 0, words: 0, bytes: 0 };
    let mut failed = false;
    let mut k = 0;
    while k < len(names) {
        let name = names[k];
        k += 1;
        let text = try {
            Some(if len(name) == 0 || name == "-" { read_all() } else { read_file(name) })
        } catch IOError(message) {
            eprintln("wc: " + message);
            failed = true;
            None
        };
        match text {
            Some(t) => {
                let c = count(t);
                show(c, name);
                total = Counts { lines: total.lines + c.lines, words: total.words + c.words,
                                 bytes: total.bytes + c.bytes };
            },
            None => {},
        }
    }
    if len(names) > 1 { show(total, "total"); }
    if failed { exit(1); }
}
