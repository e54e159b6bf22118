enum Option { Some(int), None }
fn main() {
    let x = Some; // E:13: variant 'Some' takes 1 argument; write Some(...)
}
