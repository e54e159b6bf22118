// Higher-order functions over arrays (map, filter, fold, compose) and mutual recursion.
fn map(xs: [int], f: fn(int) -> int) -> [int] {
    let out = [];
    let mut i = 0;
    while i < len(xs) { push(out, f(xs[i])); i += 1; }
    out
}

fn filter(xs: [int], keep: fn(int) -> bool) -> [int] {
    let out = [];
    let mut i = 0;
    while i < len(xs) { if keep(xs[i]) { push(out, xs[i]); } i += 1; }
    out
}

fn fold(xs: [int], init: int, f: fn(int, int) -> int) -> int {
    let mut acc = init;
    let mut i = 0;
    while i < len(xs) { acc = f(acc, xs[i]); i += 1; }
    acc
}

fn compose(f: fn(int) -> int, g: fn(int) -> int) -> fn(int) -> int {
    |x| g(f(x))
}

fn is_even(n: int) -> bool { if n == 0 { true } else { is_odd(n - 1) } }
fn is_odd(n: int) -> bool { if n == 0 { false } else { is_even(n - 1) } }

fn collatz_steps(n: int) -> int {
    let mut steps = 0;
    let mut x = n;
    while x != 1 {
        x = if is_even(x % 2) { x / 2 } else { 3 * x + 1 };
        steps += 1;
    }
    steps
}

fn range(a: int, b: int) -> [int] {
    let out = [];
    let mut i = a;
    while i < b { push(out, i); i += 1; }
    out
}

fn show(xs: [int]) -> str {
    let mut s = "[";
    let mut i = 0;
    while i < len(xs) { if i > 0 { s = s + ", "; } s = s + str(xs[i]); i += 1; }
    s + "]"
}

fn main() {
    let xs = range(1, 16);
    let squares = map(xs, |x| x * x);
    println("squares: " + show(squares));
    println("odd squares: " + show(filter(squares, |x| is_odd(x))));
    println("sum of squares: " + str(fold(squares, 0, |a, b| a + b)));
    let inc_then_double = compose(|x| x + 1, |x| x * 2);
    println("compose: " + show(map(range(0, 5), inc_then_double)));
    let steps = map(range(1, 11), collatz_steps);
    println("collatz steps 1..10: " + show(steps));
    let longest = fold(range(1, 300), 1, |best, n| if collatz_steps(n) > collatz_steps(best) { n } else { best });
    println("longest collatz below 300: " + str(longest) + " (" + str(collatz_steps(longest)) + " steps)");
    println("is_even(101) = " + str(is_even(101)) + ", is_odd(101) = " + str(is_odd(101)));
}
