fn g() -> Gen[int] {
    yield 1;
    nosuspend { yield 2; } // E:5: effect yield int may be performed inside 'nosuspend' (a suspension cannot cross it)
}
fn main() { for x in g() { println(x); } }
