// std.math: small numeric helpers, written in fx.

fn abs(x: int) -> int { if x < 0 { -x } else { x } }
fn min(a: int, b: int) -> int { if a < b { a } else { b } }
fn max(a: int, b: int) -> int { if a > b { a } else { b } }
fn clamp(x: int, lo: int, hi: int) -> int { max(lo, min(x, hi)) }

// b to the power e (e >= 0), by repeated squaring; wraps around on overflow like every int operation
fn pow(b: int, e: int) -> int {
    let mut result = 1;
    let mut base = b;
    let mut n = e;
    while n > 0 {
        if n % 2 == 1 { result = result * base; }
        base = base * base;
        n = n / 2;
    }
    result
}

fn gcd(a: int, b: int) -> int {
    let mut x = abs(a);
    let mut y = abs(b);
    while y != 0 {
        let t = x % y;
        x = y;
        y = t;
    }
    x
}

fn fabs(x: float) -> float { if x < 0.0 { -x } else { x } }
fn fmin(a: float, b: float) -> float { if a < b { a } else { b } }
fn fmax(a: float, b: float) -> float { if a > b { a } else { b } }

// square root by Newton's method (x >= 0); exact for perfect squares
fn sqrt(x: float) -> float {
    if x == 0.0 { return 0.0; }
    let mut r = if x > 1.0 { x / 2.0 } else { 1.0 };
    let mut i = 0;
    while i < 100 {
        let next = (r + x / r) / 2.0;
        if next == r { break; }
        r = next;
        i += 1;
    }
    r
}
