// std.arrays: helpers over [int], written in fx (the language has no generics yet).

// [0, 1, ..., n - 1]
fn range(n: int) -> [int] {
    let out: [int] = [];
    let mut i = 0;
    while i < n { push(out, i); i += 1; }
    out
}

fn sum(xs: [int]) -> int {
    let mut total = 0;
    let mut i = 0;
    while i < len(xs) { total += xs[i]; i += 1; }
    total
}

fn map(xs: [int], f: fn(int) -> int) -> [int] {
    let out: [int] = [];
    let mut i = 0;
    while i < len(xs) { push(out, f(xs[i])); i += 1; }
    out
}

fn filter(xs: [int], keep: fn(int) -> bool) -> [int] {
    let out: [int] = [];
    let mut i = 0;
    while i < len(xs) {
        if keep(xs[i]) { push(out, xs[i]); }
        i += 1;
    }
    out
}

fn fold(xs: [int], init: int, f: fn(int, int) -> int) -> int {
    let mut acc = init;
    let mut i = 0;
    while i < len(xs) { acc = f(acc, xs[i]); i += 1; }
    acc
}

// sorts in place (insertion sort: stable, fine for the small arrays of example programs)
fn sort(xs: [int]) {
    let mut i = 1;
    while i < len(xs) {
        let x = xs[i];
        let mut j = i - 1;
        while j >= 0 && xs[j] > x {
            xs[j + 1] = xs[j];
            j -= 1;
        }
        xs[j + 1] = x;
        i += 1;
    }
}

// "[1, 2, 3]"
fn show(xs: [int]) -> str {
    let mut out = "[";
    let mut i = 0;
    while i < len(xs) {
        if i > 0 { out = out + ", "; }
        out = out + str(xs[i]);
        i += 1;
    }
    out + "]"
}
