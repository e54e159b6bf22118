// std.arrays: generic helpers over arrays, written in fx (docs/stdlib.md lists them).
// Arrays are shared by reference: the helpers that say "in place" change their argument, the others
// return a new array and leave it alone.

// [0, 1, ..., n - 1] ([] when n <= 0)
fn range(n: int) -> [int] { range_from(0, n) }

// [lo, lo + 1, ..., hi - 1]
fn range_from(lo: int, hi: int) -> [int] {
    let out: [int] = [];
    for i in lo..hi { push(out, i); }
    out
}

fn sum(xs: [int]) -> int {
    let mut total = 0;
    for x in xs { total += x; }
    total
}

fn fsum(xs: [float]) -> float {
    let mut total = 0.0;
    for x in xs { total += x; }
    total
}

// a new array of f(x) for each x, in order
fn map[T, U](xs: [T], f: fn(T) -> U) -> [U] {
    let out: [U] = [];
    for x in xs { push(out, f(x)); }
    out
}

// the elements for which `keep` holds, in order
fn filter[T](xs: [T], keep: fn(T) -> bool) -> [T] {
    let out: [T] = [];
    for x in xs { if keep(x) { push(out, x); } }
    out
}

// f(...f(f(init, xs[0]), xs[1])..., xs[n - 1])
fn fold[T, A](xs: [T], init: A, f: fn(A, T) -> A) -> A {
    let mut acc = init;
    for x in xs { acc = f(acc, x); }
    acc
}

// calls f on each element, in order
fn each[T](xs: [T], f: fn(T) -> unit) {
    for x in xs { f(x); }
}

fn any[T](xs: [T], p: fn(T) -> bool) -> bool {
    for x in xs { if p(x) { return true; } }
    false
}

fn all[T](xs: [T], p: fn(T) -> bool) -> bool {
    for x in xs { if !p(x) { return false; } }
    true
}

// the index of the first element for which `p` holds, or -1
fn position[T](xs: [T], p: fn(T) -> bool) -> int {
    for i in 0..len(xs) { if p(xs[i]) { return i; } }
    -1
}

// the first element for which `p` holds
fn find_first[T](xs: [T], p: fn(T) -> bool) -> Option[T] {
    for x in xs { if p(x) { return Some(x); } }
    None
}

// a new array with the elements of `a` then those of `b`
fn concat[T](a: [T], b: [T]) -> [T] {
    let out: [T] = [];
    for x in a { push(out, x); }
    for x in b { push(out, x); }
    out
}

// a new array with the same elements (a shallow copy)
fn copy_of[T](xs: [T]) -> [T] { sub_array(xs, 0, len(xs)) }

// a new array with xs[a], ..., xs[b - 1] (a and b clamped to 0..len(xs))
fn sub_array[T](xs: [T], a: int, b: int) -> [T] {
    let out: [T] = [];
    let lo = if a < 0 { 0 } else { a };
    let hi = if b > len(xs) { len(xs) } else { b };
    for i in lo..hi { push(out, xs[i]); }
    out
}

// reverses in place
fn reverse[T](xs: [T]) {
    let mut i = 0;
    let mut j = len(xs) - 1;
    while i < j {
        let t = xs[i];
        xs[i] = xs[j];
        xs[j] = t;
        i += 1;
        j -= 1;
    }
}

// a new array with the elements in reverse order
fn reversed[T](xs: [T]) -> [T] {
    let out = copy_of(xs);
    reverse(out);
    out
}

// Sorts in place by `less` (a strict order: less(a, b) when a must come before b).  Stable: equal
// elements keep their order.  Merge sort, O(n log n) comparisons; insertion sort for short runs.
fn sort_by[T](xs: [T], less: fn(T, T) -> bool) {
    let n = len(xs);
    if n < 2 { return; }
    let tmp = copy_of(xs);
    arrays_merge_sort(xs, tmp, 0, n, less);
}

fn arrays_merge_sort[T](xs: [T], tmp: [T], lo: int, hi: int, less: fn(T, T) -> bool) {
    if hi - lo <= 12 {
        for i in lo + 1..hi {
            let x = xs[i];
            let mut j = i - 1;
            while j >= lo && less(x, xs[j]) {
                xs[j + 1] = xs[j];
                j -= 1;
            }
            xs[j + 1] = x;
        }
        return;
    }
    let mid = lo + (hi - lo) / 2;
    arrays_merge_sort(xs, tmp, lo, mid, less);
    arrays_merge_sort(xs, tmp, mid, hi, less);
    if !less(xs[mid], xs[mid - 1]) { return; }        // already in order
    for i in lo..hi { tmp[i] = xs[i]; }
    let mut a = lo;
    let mut b = mid;
    let mut k = lo;
    while k < hi {
        // take from the right half only when strictly less: stability
        if b < hi && (a >= mid || less(tmp[b], tmp[a])) {
            xs[k] = tmp[b];
            b += 1;
        } else {
            xs[k] = tmp[a];
            a += 1;
        }
        k += 1;
    }
}

// a sorted copy (stable)
fn sorted_by[T](xs: [T], less: fn(T, T) -> bool) -> [T] {
    let out = copy_of(xs);
    sort_by(out, less);
    out
}

// sorts ints in place, ascending
fn sort(xs: [int]) { sort_by(xs, |a, b| a < b); }

// "[1, 2, 3]"
fn show(xs: [int]) -> str { show_with(xs, |x| str(x)) }

// "[a, b]" with each element shown by `f`
fn show_with[T](xs: [T], f: fn(T) -> str) -> str {
    let mut out = "[";
    for i in 0..len(xs) {
        if i > 0 { out = out + ", "; }
        out = out + f(xs[i]);
    }
    out + "]"
}
