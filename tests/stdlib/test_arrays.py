"""std.arrays (stdlib/arrays.fx): the generic helpers against Python's list functions on random arrays, on
our VM and on V8."""
from __future__ import annotations

import random


def test_generic_array_helpers_match_python(fx):
    r = random.Random(3)
    lines, want = [], []
    for _ in range(25):
        xs = [r.randrange(-20, 20) for _ in range(r.randrange(0, 30))]
        lit = "[" + ", ".join(map(str, xs)) + "]"
        lines.append(f"let xs: [int] = {lit};")
        lines += ["println(show(map(xs, |x| x * 3)));", "println(show(filter(xs, |x| x % 2 == 0)));",
                  "println(fold(xs, 1, |a, x| a * 2 + x));", "println(show(reversed(xs)));",
                  "println(show(sorted_by(xs, |a, b| a > b)));",
                  "println(any(xs, |x| x > 15)); println(all(xs, |x| x < 19)); println(position(xs, |x| x < -15));",
                  "println(show(sub_array(xs, 2, 5)));"]
        acc = 1
        for x in xs:
            acc = acc * 2 + x
        want += [str([x * 3 for x in xs]).replace("'", ""), str([x for x in xs if x % 2 == 0]), str(acc),
                 str(xs[::-1]), str(sorted(xs, reverse=True)), str(any(x > 15 for x in xs)).lower(),
                 str(all(x < 19 for x in xs)).lower(),
                 str(next((i for i, x in enumerate(xs) if x < -15), -1)), str(xs[2:5])]
        # stability: sort (word, key) pairs by key only
        words = [(f"w{i}", r.randrange(0, 5)) for i in range(r.randrange(0, 40))]
        wl = "[" + ", ".join(f'W {{ s: "{w}", k: {k} }}' for w, k in words) + "]"
        lines.append(f"let ws: [W] = {wl}; sort_by(ws, |a, b| a.k < b.k); "
                     "println(show_with(ws, |w| w.s));")
        want.append("[" + ", ".join(w for w, _ in sorted(words, key=lambda p: p[1])) + "]")
    lines += ['println(show(range(4))); println(show(range_from(-2, 2))); println(sum(range(101)));',
              'println(show_with(concat(["a"], ["b", "c"]), |s| s)); println(fsum([0.5, 0.25]));',
              'let e: [int] = []; reverse(e); sort(e); println(show(e));',
              'println(unwrap_or(find_first([1, 4, 9], |x| x > 3), 0));']
    want += ["[0, 1, 2, 3]", "[-2, -1, 0, 1]", "5050", "[a, b, c]", "0.75", "[]", "4"]
    src = ("import std.arrays;\nstruct W { s: str, k: int }\nfn main() {\n"
           + "\n".join(_group(lines)) + "\n}\n")
    assert fx(src).splitlines() == want


def _group(lines):
    """Each case's statements in one block, so its `let`s do not pile up in main's scope."""
    out, cur = [], []
    for x in lines:
        if x.startswith("let xs") and cur:
            out.append(" ".join(cur))
            cur = []
        cur.append(x)
    out.append(" ".join(cur))
    return ["{ " + b + " }" for b in out]
