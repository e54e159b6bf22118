fn main() {
    let a = fiber(|n: int| { println(n); }); // E:20: type mismatch: expected Option[Fiber], found int
    // E@2:19: type mismatch: expected fn(Option[Fiber]) -> unit, found fn(int) -> unit
    let b = fiber(|from| { switch_to(3); }); // E:38: type mismatch: expected Fiber, found int
    fiber_run(a, b); // E:5: 'fiber_run' takes 1 argument but 2 were given
    let s = a + b; // E:13: operator '+' cannot be applied to Fiber
}
