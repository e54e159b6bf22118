"""std.collections (stdlib/collections.fx): a random sequence of map and set operations, replayed on a Python
dict / set (insertion-ordered like the fx map), results compared, on our VM and on V8."""
from __future__ import annotations

import random


def test_hash_map_and_set_behave_like_dict_and_set(fx):
    r = random.Random(7)
    lines, want = [], []
    d: dict = {}
    keys = [f"k{i}" for i in range(40)] + ["", "a b", "é"]
    for _ in range(400):
        op = r.random()
        k = r.choice(keys)
        if op < 0.5:
            v = r.randrange(1000)
            lines.append(f'map_set(m, "{k}", {v});')
            d[k] = v
        elif op < 0.7:
            lines.append(f'println(map_remove(m, "{k}"));')
            want.append(str(k in d).lower())
            d.pop(k, None)
        elif op < 0.9:
            lines.append(f'println(map_get_or(m, "{k}", -1));')
            want.append(str(d.get(k, -1)))
        else:
            lines.append('println(map_len(m)); println(join(map_keys(m), ","));')
            want += [str(len(d)), ",".join(d)]
    lines.append('println(fold(map_values(m), 0, |a, b| a + b));')
    want.append(str(sum(d.values())))
    # int keys, many of them (several resizes), negative ones, and a set
    s: set = set()
    order: list = []
    for _ in range(300):
        x = r.randrange(-10**12, 10**12) if r.random() < 0.5 else r.randrange(-50, 50)
        lines.append(f"im_add({x});")
        if x not in s:
            s.add(x)
            order.append(x)
    lines.append("println(set_len(ints)); println(show(set_items(ints)));")
    want += [str(len(s)), "[" + ", ".join(map(str, order)) + "]"]
    probe = order[:20] + [10**13, -10**13]
    for x in probe:
        lines.append(f"println(set_has(ints, {x}));")
        want.append(str(x in s).lower())
    src = ("import std.collections;\nimport std.strings;\nimport std.arrays;\n"
           "let ints: HashSet[int] = int_set();\n"
           "fn im_add(x: int) { set_add(ints, x); }\n"
           "fn main() {\n    let m: HashMap[str, int] = str_map();\n" + "\n".join(lines) + "\n}\n")
    assert fx(src).splitlines() == want


def test_a_map_with_custom_keys(fx):
    # keys of a struct type: the map takes their hash and equality as functions
    out = fx("""
import std.collections;
struct P { x: int, y: int }
fn main() {
    let m: HashMap[P, str] = map_new(|p: P| p.x * 31 + p.y, |a: P, b: P| a.x == b.x && a.y == b.y);
    map_set(m, P { x: 1, y: 2 }, "a");
    map_set(m, P { x: 2, y: 1 }, "b");
    map_set(m, P { x: 1, y: 2 }, "c");
    println(map_len(m));
    println(unwrap_or(map_get(m, P { x: 1, y: 2 }), "?"));
    println(map_has(m, P { x: 3, y: 3 }));
    map_each(m, |k, v| println(str(k.x) + "," + str(k.y) + " " + v));
}
""")
    assert out == "2\nc\nfalse\n1,2 c\n2,1 b\n"
