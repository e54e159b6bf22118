effect Log { log(int) }
fn main() {
    let f = || perform Log::log(1);
    handle {
        nosuspend { f() } // E:9: effect Log may be performed inside 'nosuspend' (a suspension cannot cross it)
    } with { Log::log(v), k => { println(v); k(()) } };
}
