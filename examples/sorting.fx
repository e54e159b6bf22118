// Quicksort and insertion sort over int arrays, a sieve of Eratosthenes, and a binary search.
fn quicksort(a: [int], lo: int, hi: int) {
    if lo >= hi { return; }
    let pivot = a[(lo + hi) / 2];
    let mut i = lo;
    let mut j = hi;
    while i <= j {
        while a[i] < pivot { i += 1; }
        while a[j] > pivot { j -= 1; }
        if i <= j {
            let t = a[i];
            a[i] = a[j];
            a[j] = t;
            i += 1;
            j -= 1;
        }
    }
    quicksort(a, lo, j);
    quicksort(a, i, hi);
}

fn insertion_sort(a: [int]) {
    let mut i = 1;
    while i < len(a) {
        let v = a[i];
        let mut j = i - 1;
        while j >= 0 && a[j] > v { a[j + 1] = a[j]; j -= 1; }
        a[j + 1] = v;
        i += 1;
    }
}

fn sieve(n: int) -> [int] {
    let mut composite = [];
    let mut i = 0;
    while i <= n { push(composite, false); i += 1; }
    let primes = [];
    let mut p = 2;
    while p <= n {
        if !composite[p] {
            push(primes, p);
            let mut m = p * p;
            while m <= n { composite[m] = true; m += p; }
        }
        p += 1;
    }
    primes
}

fn search(a: [int], x: int) -> int {
    let mut lo = 0;
    let mut hi = len(a) - 1;
    while lo <= hi {
        let mid = (lo + hi) / 2;
        if a[mid] == x { return mid; }
        if a[mid] < x { lo = mid + 1; } else { hi = mid - 1; }
    }
    0 - 1
}

fn join(a: [int], from: int, to: int) -> str {
    let mut s = "";
    let mut i = from;
    while i < to && i < len(a) {
        if i > from { s = s + ","; }
        s = s + str(a[i]);
        i += 1;
    }
    s
}

fn main() {
    let mut xs = [];
    let mut seed = 42;
    let mut i = 0;
    while i < 200 {
        seed = (seed * 6364136223846793005 + 1442695040888963407) % 1000003;
        if seed < 0 { seed = 0 - seed; }
        push(xs, seed % 1000);
        i += 1;
    }
    let ys = [];
    i = 0;
    while i < len(xs) { push(ys, xs[i]); i += 1; }
    quicksort(xs, 0, len(xs) - 1);
    insertion_sort(ys);
    let mut same = true;
    i = 0;
    while i < len(xs) { if xs[i] != ys[i] { same = false; } i += 1; }
    println("smallest: " + join(xs, 0, 10));
    println("largest:  " + join(xs, len(xs) - 5, len(xs)));
    println("both sorts agree: " + str(same));
    let ps = sieve(1000);
    println(str(len(ps)) + " primes below 1000; the last five: " + join(ps, len(ps) - 5, len(ps)));
    println("index of 997: " + str(search(ps, 997)) + ", of 998: " + str(search(ps, 998)));
}
