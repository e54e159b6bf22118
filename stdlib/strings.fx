// std.strings: string helpers, written in fx (docs/stdlib.md lists them).
// Strings are immutable UTF-8; indexes and lengths count bytes, as `len`, `byte` and `slice` do.  Searching
// works on bytes too, which is exact for UTF-8 (a character's encoding never appears inside another's).

// ---- a string builder: appending n pieces costs O(total length * log n), not O(total * n) like `+` in a loop

struct StrBuf { chunks: [str] }

fn buf_new() -> StrBuf {
    let chunks: [str] = [];
    StrBuf { chunks: chunks }
}

// appends `s`; keeps the chunks' lengths decreasing by at least half, merging the last ones when not
fn buf_push(b: StrBuf, s: str) {
    push(b.chunks, s);
    let c = b.chunks;
    while len(c) > 1 && len(c[len(c) - 2]) <= 2 * len(c[len(c) - 1]) {
        let last = pop(c);
        let before = pop(c);
        push(c, before + last);
    }
}

// everything appended so far, as one string (the builder keeps it and may go on)
fn buf_build(b: StrBuf) -> str {
    let c = b.chunks;
    while len(c) > 1 {
        let last = pop(c);
        let before = pop(c);
        push(c, before + last);
    }
    if len(c) == 0 { "" } else { c[0] }
}

fn buf_len(b: StrBuf) -> int {
    let mut n = 0;
    for c in b.chunks { n += len(c); }
    n
}

// ---- searching

// whether `sub` occurs in `s` at byte index `i`
fn occurs_at(s: str, sub: str, i: int) -> bool {
    if i < 0 || i + len(sub) > len(s) { return false; }
    for j in 0..len(sub) {
        if byte(s, i + j) != byte(sub, j) { return false; }
    }
    true
}

// the byte index of the first `sub` in `s` at or after `start`, or -1 ("" is found at `start`)
fn find_from(s: str, sub: str, start: int) -> int {
    let from = if start < 0 { 0 } else { start };
    let last = len(s) - len(sub);
    if len(sub) == 0 { return if from <= len(s) { from } else { -1 }; }
    let first = byte(sub, 0);
    let mut i = from;
    while i <= last {
        if byte(s, i) == first && occurs_at(s, sub, i) { return i; }
        i += 1;
    }
    -1
}

// the byte index of the first `sub` in `s`, or -1
fn find(s: str, sub: str) -> int { find_from(s, sub, 0) }

// the byte index of the last `sub` in `s`, or -1
fn rfind(s: str, sub: str) -> int {
    let mut i = len(s) - len(sub);
    while i >= 0 {
        if occurs_at(s, sub, i) { return i; }
        i -= 1;
    }
    -1
}

fn contains(s: str, sub: str) -> bool { find(s, sub) >= 0 }

fn starts_with(s: str, prefix: str) -> bool { occurs_at(s, prefix, 0) }

fn ends_with(s: str, suffix: str) -> bool { occurs_at(s, suffix, len(s) - len(suffix)) }

// how many times `sub` occurs in `s`, not overlapping (a panic for "")
fn count(s: str, sub: str) -> int {
    if len(sub) == 0 { panic("count: empty substring"); }
    let mut n = 0;
    let mut i = find_from(s, sub, 0);
    while i >= 0 {
        n += 1;
        i = find_from(s, sub, i + len(sub));
    }
    n
}

// ---- splitting and joining

// the parts of `s` between the occurrences of `sep` (a panic for ""): split("a,b,,c", ",") is
// ["a", "b", "", "c"]; split("", ",") is [""]
fn split(s: str, sep: str) -> [str] {
    if len(sep) == 0 { panic("split: empty separator"); }
    let out: [str] = [];
    let mut start = 0;
    let mut i = find_from(s, sep, 0);
    while i >= 0 {
        push(out, slice(s, start, i));
        start = i + len(sep);
        i = find_from(s, sep, start);
    }
    push(out, slice(s, start, len(s)));
    out
}

fn is_space(b: int) -> bool { b == 32 || b == 9 || b == 10 || b == 13 || b == 11 || b == 12 }

// the words of `s`: the non-empty runs between ASCII whitespace
fn words(s: str) -> [str] {
    let out: [str] = [];
    let mut i = 0;
    let n = len(s);
    while i < n {
        while i < n && is_space(byte(s, i)) { i += 1; }
        let start = i;
        while i < n && !is_space(byte(s, i)) { i += 1; }
        if i > start { push(out, slice(s, start, i)); }
    }
    out
}

// the lines of `s`, without their "\n" (or "\r\n"); a final line break does not start another line
fn lines(s: str) -> [str] {
    let out: [str] = [];
    if len(s) == 0 { return out; }
    for l in split(s, "\n") {
        push(out, if ends_with(l, "\r") { slice(l, 0, len(l) - 1) } else { l });
    }
    if ends_with(s, "\n") { pop(out); }
    out
}

// the parts separated by `sep`
fn join(parts: [str], sep: str) -> str {
    let b = buf_new();
    for i in 0..len(parts) {
        if i > 0 { buf_push(b, sep); }
        buf_push(b, parts[i]);
    }
    buf_build(b)
}

// `s` with every `from` replaced by `to`, left to right, not overlapping (`from` "" changes nothing)
fn replace(s: str, from: str, to: str) -> str {
    if len(from) == 0 { return s; }
    let b = buf_new();
    let mut start = 0;
    let mut i = find_from(s, from, 0);
    while i >= 0 {
        buf_push(b, slice(s, start, i));
        buf_push(b, to);
        start = i + len(from);
        i = find_from(s, from, start);
    }
    buf_push(b, slice(s, start, len(s)));
    buf_build(b)
}

// ---- trimming, case, padding

fn trim_start(s: str) -> str {
    let mut i = 0;
    while i < len(s) && is_space(byte(s, i)) { i += 1; }
    slice(s, i, len(s))
}

fn trim_end(s: str) -> str {
    let mut j = len(s);
    while j > 0 && is_space(byte(s, j - 1)) { j -= 1; }
    slice(s, 0, j)
}

// `s` without ASCII whitespace at either end
fn trim(s: str) -> str { trim_end(trim_start(s)) }

// ASCII letters to upper case; other bytes unchanged
fn to_upper(s: str) -> str { strings_map_ascii(s, 97, 122, -32) }

fn to_lower(s: str) -> str { strings_map_ascii(s, 65, 90, 32) }

fn strings_map_ascii(s: str, lo: int, hi: int, delta: int) -> str {
    let b = buf_new();
    let mut start = 0;
    for i in 0..len(s) {
        let c = byte(s, i);
        if c >= lo && c <= hi {
            buf_push(b, slice(s, start, i));
            buf_push(b, chr(c + delta));
            start = i + 1;
        }
    }
    buf_push(b, slice(s, start, len(s)));
    buf_build(b)
}

// `s` repeated `n` times ("" when n <= 0)
fn repeat(s: str, n: int) -> str {
    let b = buf_new();
    for _ in 0..n { buf_push(b, s); }
    buf_build(b)
}

// `s` padded on the left with `fill` up to `width` bytes
fn pad_left(s: str, width: int, fill: str) -> str {
    let mut out = s;
    while len(out) < width && len(fill) > 0 { out = fill + out; }
    out
}

// `s` padded on the right with `fill` up to `width` bytes
fn pad_right(s: str, width: int, fill: str) -> str {
    let mut out = s;
    while len(out) < width && len(fill) > 0 { out = out + fill; }
    out
}

// ---- parsing numbers

fn is_digit(b: int) -> bool { b >= 48 && b <= 57 }

// A decimal integer with an optional sign and surrounding whitespace ("-42", " +7 "); None when `s` is not
// one or the value does not fit in an int.
fn parse_int(s: str) -> Option[int] {
    let t = trim(s);
    let n = len(t);
    let mut i = 0;
    let mut neg = false;
    if n > 0 && (byte(t, 0) == 45 || byte(t, 0) == 43) {
        neg = byte(t, 0) == 45;
        i = 1;
    }
    if i >= n { return None; }
    // accumulate negatively: -9223372036854775808 fits, its positive does not
    let mut v = 0;
    while i < n {
        let c = byte(t, i);
        if !is_digit(c) { return None; }
        let d = c - 48;
        if v < (-9223372036854775807 - 1 + d) / 10 { return None; }   // v * 10 - d would overflow
        v = v * 10 - d;
        i += 1;
    }
    if neg { Some(v) } else if v == -9223372036854775807 - 1 { None } else { Some(-v) }
}

// A decimal floating-point number: optional sign, digits with an optional '.', an optional exponent
// ("3.25", "-1e9", ".5", "2.", "6.02e23"), or "inf", "infinity", "nan" (any case), with surrounding
// whitespace.  None when `s` is not one.  Correctly rounded when the number has at most 15 significant digits
// and a decimal exponent of at most 22 in size (the common case); otherwise within a few units in the last
// place.
fn parse_float(s: str) -> Option[float] {
    let t = to_lower(trim(s));
    let n = len(t);
    let mut i = 0;
    let mut neg = false;
    if n > 0 && (byte(t, 0) == 45 || byte(t, 0) == 43) {
        neg = byte(t, 0) == 45;
        i = 1;
    }
    let rest = slice(t, i, n);
    if rest == "inf" || rest == "infinity" { return Some(if neg { -1.0 / 0.0 } else { 1.0 / 0.0 }); }
    if rest == "nan" { return Some(0.0 / 0.0); }
    // digits: up to 18 significant ones kept in an int, the others only move the exponent
    let mut mant = 0;
    let mut kept = 0;
    let mut exp10 = 0;
    let mut digits = 0;
    let mut seen_point = false;
    while i < n {
        let c = byte(t, i);
        if is_digit(c) {
            digits += 1;
            if kept < 18 {
                if mant > 0 || c != 48 { kept += 1; }
                mant = mant * 10 + (c - 48);
                if seen_point { exp10 -= 1; }
            } else if !seen_point {
                exp10 += 1;
            }
        } else if c == 46 && !seen_point {
            seen_point = true;
        } else {
            break;
        }
        i += 1;
    }
    if digits == 0 { return None; }
    if i < n && byte(t, i) == 101 {
        i += 1;
        let mut eneg = false;
        if i < n && (byte(t, i) == 45 || byte(t, i) == 43) {
            eneg = byte(t, i) == 45;
            i += 1;
        }
        if i >= n { return None; }
        let mut e = 0;
        while i < n {
            let c = byte(t, i);
            if !is_digit(c) { return None; }
            if e < 100000 { e = e * 10 + (c - 48); }
            i += 1;
        }
        exp10 += if eneg { -e } else { e };
    }
    if i != n { return None; }
    let v = strings_scale(float(mant), exp10);
    Some(if neg { -v } else { v })
}

// m * 10^e: one multiplication or division by an exact power of ten when |e| <= 22 (correctly rounded for
// an exact m), else in steps
fn strings_scale(m: float, e: int) -> float {
    if m == 0.0 { return 0.0; }
    let mut v = m;
    let mut k = e;
    while k > 22 { v = v * 1e22; k -= 22; }
    while k < -22 { v = v / 1e22; k += 22; }
    let mut p = 1.0;
    let mut a = if k < 0 { -k } else { k };
    while a > 0 { p = p * 10.0; a -= 1; }
    if k < 0 { v / p } else { v * p }
}
