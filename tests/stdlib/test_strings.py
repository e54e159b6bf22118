"""std.strings (stdlib/strings.fx): random inputs, each result compared with Python's own string methods,
on our VM and on V8.  One program per engine holds all the cases (compiling is the slow part)."""
from __future__ import annotations

import random

from tests.stdlib.conftest import run_program


def fx_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def show_list(xs) -> str:
    return "[" + "|".join(xs).replace("\n", "~") + "]"


FX_SHOW = 'fn show_list(xs: [str]) -> str { "[" + replace(join(xs, "|"), "\\n", "~") + "]" }\n'


def cases(seed: int, n: int):
    r = random.Random(seed)
    alphabet = "ab, \t\n"
    for _ in range(n):
        s = "".join(r.choice(alphabet) for _ in range(r.randrange(0, 12)))
        sub = "".join(r.choice("ab,") for _ in range(r.randrange(1, 3)))
        to = "".join(r.choice("xy") for _ in range(r.randrange(0, 3)))
        yield s, sub, to


def test_strings_match_python(fx):
    lines, want = [], []
    for s, sub, to in cases(9, 60):
        a, b, c = fx_str(s), fx_str(sub), fx_str(to)
        lines += [f"println(show_list(split({a}, {b})));", f"println(find({a}, {b}));",
                  f"println(rfind({a}, {b}));", f"println(contains({a}, {b}));",
                  f"println(starts_with({a}, {b}));", f"println(ends_with({a}, {b}));",
                  f"println(count({a}, {b}));", f"println(show_list([replace({a}, {b}, {c})]));",
                  f"println(show_list([trim({a}), trim_start({a}), trim_end({a})]));",
                  f"println(show_list(words({a})));", f"println(show_list(lines({a})));",
                  f"println(show_list([to_upper({a})]));"]
        ws = " \t\n\r\x0b\x0c"
        want += [show_list(s.split(sub)), str(s.find(sub)), str(s.rfind(sub)), str(sub in s).lower(),
                 str(s.startswith(sub)).lower(), str(s.endswith(sub)).lower(), str(s.count(sub)),
                 show_list([s.replace(sub, to)]), show_list([s.strip(ws), s.lstrip(ws), s.rstrip(ws)]),
                 show_list(s.split()), show_list(s.splitlines()), show_list([s.upper()])]
    parts = [["x", "", "yz"], [], [""], ["a"] * 40]
    for p in parts:
        lines.append(f"println(join([{', '.join(map(fx_str, p))}], \"-\"));" if p else
                     'println(join([], "-"));')
        want.append("-".join(p))
    lines.append('let b = buf_new(); for i in 0..300 { buf_push(b, str(i % 10)); } '
                 'println(buf_build(b)); println(buf_len(b));')
    want += ["".join(str(i % 10) for i in range(300)), "300"]
    lines.append('println(repeat("ab", 3) + pad_left("7", 3, "0") + pad_right("7", 3, "."));')
    want.append("ababab0077..")
    src = "import std.strings;\n" + FX_SHOW + "fn main() {\n" + "\n".join(lines) + "\n}\n"
    assert fx(src).splitlines() == want


def test_parse_int_and_parse_float_match_python(fx):
    r = random.Random(4)
    ints = ["0", "-0", "+12", " 42 ", "-9223372036854775808", "9223372036854775807", "9223372036854775808",
            "-9223372036854775809", "", "-", "+", "12a", "1 2", "0x10", "007"]
    ints += [str(r.randrange(-10**18, 10**18)) for _ in range(20)]
    floats = ["0", "-0.0", "3.25", ".5", "2.", "1e9", "-2.5e-3", "6.02e23", "1E+2", " 7.0 ", "inf", "-Infinity",
              "1e400", "", ".", "e5", "1e", "1.2.3", "--1", "0.1", "123456789012345.6"]
    floats += [repr(round(r.uniform(-1e6, 1e6), r.randrange(0, 8))) for _ in range(20)]
    floats += [f"{r.randrange(1, 10**15)}e{r.randrange(-22, 23)}" for _ in range(20)]

    def py_int(s):
        t = s.strip()
        if not t or not all(c.isdigit() for c in t.lstrip("+-")) or t.lstrip("+-") == "" or \
                t.count("-") + t.count("+") > 1 or t[1:].count("-") or t[1:].count("+"):
            return "none"
        v = int(t)
        return str(v) if -2**63 <= v < 2**63 else "none"

    def py_float(s):
        try:
            t = s.strip()
            if not t or t.lower().lstrip("+-") in ("inf", "infinity"):
                return repr(float(t)) if t else "none"
            if any(c not in "0123456789.eE+-" for c in t):
                return "none"
            v = float(t)
        except ValueError:
            return "none"
        return "inf" if v == float("inf") else "-inf" if v == -float("inf") else repr(v)

    lines = [f'println(match parse_int({fx_str(s)}) {{ Some(v) => str(v), None => "none" }});' for s in ints]
    lines += [f'println(match parse_float({fx_str(s)}) {{ Some(v) => str(v), None => "none" }});' for s in floats]
    src = "import std.strings;\nfn main() {\n" + "\n".join(lines) + "\n}\n"
    want = [py_int(s) for s in ints] + [py_float(s) for s in floats]
    assert fx(src).splitlines() == want


def test_empty_separator_is_a_panic(tmp_path):
    r = run_program('import std.strings;\nfn main() { println(len(split("abc", ""))); }\n', tmp_path)
    assert r.returncode == 1 and "split: empty separator" in r.stderr
