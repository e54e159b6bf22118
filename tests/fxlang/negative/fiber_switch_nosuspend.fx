fn main() {
    let b = fiber(|from| { println("b"); });
    let a = fiber(|from| {
        nosuspend { switch_to(b); } // E:9: effect Switch may be performed inside 'nosuspend' (a suspension cannot cross it)
    });
    fiber_run(a);
}
