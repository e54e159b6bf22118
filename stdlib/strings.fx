// std.strings: string building helpers, written in fx.

// `s` repeated `n` times ("" when n <= 0)
fn repeat(s: str, n: int) -> str {
    let mut out = "";
    let mut i = 0;
    while i < n { out = out + s; i += 1; }
    out
}

// the parts separated by `sep`
fn join(parts: [str], sep: str) -> str {
    let mut out = "";
    let mut i = 0;
    while i < len(parts) {
        if i > 0 { out = out + sep; }
        out = out + parts[i];
        i += 1;
    }
    out
}

// `s` padded on the left with `fill` up to `width` bytes
fn pad_left(s: str, width: int, fill: str) -> str {
    let mut out = s;
    while len(out) < width { out = fill + out; }
    out
}
