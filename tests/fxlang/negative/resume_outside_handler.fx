effect Ask { ask() -> int }
fn main() {
    let v = handle { perform Ask::ask() } with { ask(), k => resume(1) };
    println(resume(2)); // E:13: 'resume' outside a handler: only the body of a handler clause can resume (or call its continuation parameter, e.g. k(v))
}
