effect State { get() -> int }
effect Log { log(str) }
fn helper() -> int { perform State::get() }
fn f() -> int / {Log} { helper() } // E:4: 'f' may perform State, which its declared effects do not include (f -> helper -> perform State::get)
fn main() {}
