fn pass_to(f: Fiber) { switch_to(f); }
fn main() { // E:4: 'main' may perform effect Switch that no handler handles (main -> pass_to -> switch_to)
    let f = fiber(|from| { println("never"); });
    pass_to(f);
}
